"""The build cache: after any kind of edit, a cached rebuild gives exactly the files of a clean build.

Each case builds the fixture site once (filling the cache), makes one edit, rebuilds with the
cache into the same folder and without it into another, and compares the two folders byte for
byte: pages, feeds, data, share cards and the search index. It also checks that the cached
rebuild did redo less than everything where the edit touches little (otherwise the cache would
be correct only by doing nothing).
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st

from gongshi import search
from gongshi.incremental import manifest as cache
from gongshi.outdir import MARKER
from gongshi.pipeline import Options, Result, build_site
from gongshi.resources import builtin_path

BASIC = FIXTURES / "basic" / "content"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file but the search bundles (`<edition>/pagefind*/`), which `found` compares; the marker's
    list of files likewise without them."""
    files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    out = {path: p.read_bytes() for path, p in files.items() if not re.match(r"[^/]+/pagefind", path)}
    listed = json.loads(out.pop(MARKER))["files"]
    out[MARKER] = "\n".join(path for path in listed if not re.match(r"[^/]+/pagefind", path)).encode()
    return out


def fragments(bundle: Path) -> dict[str, dict[str, object]]:
    """Pagefind id → the page as indexed (url, text, title), from a bundle's fragment files."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        document = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found.update({path.stem: document} if "url" in document else document)
    return found


def found(folder: Path) -> dict[str, dict[str, dict[str, object]]]:
    """Per edition, url → page as the search page finds it: the pages of its bundles (every part of the
    main one, and the delta when merged) but those whose id `delta.json` hides, whichever bundle they
    are in. A page found twice fails."""
    out = {}
    for edition in ("zh-hans", "zh-hant"):
        delta = folder / edition / "pagefind-delta"
        info = json.loads((delta / "delta.json").read_text("utf-8"))
        pages: dict[str, dict[str, object]] = {}
        parts = [folder / edition / "pagefind", *(delta / part for part in info["parts"])]
        for bundle in parts + ([delta] if info["merge"] else []):
            for ident, page in fragments(bundle).items():
                if ident not in info["superseded"]:
                    assert page["url"] not in pages, f"{page['url']} is found twice"
                    pages[str(page["url"])] = {k: page[k] for k in ("content", "meta", "word_count")}
        out[edition] = pages
    return out


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def site_templates(root: Path) -> Path:
    """A copy of the built-in templates as the site's own, to edit."""
    templates = root / "templates"
    if not templates.exists():
        shutil.copytree(builtin_path("templates"), templates)
    return templates


EDITS: dict[str, Callable[[Path], None]] = {
    "initiative progress": lambda root: replace_in(
        root / "content/initiatives/rural-bus.yaml", "progress: 40", "progress: 45"
    ),
    "initiative title": lambda root: replace_in(root / "content/initiatives/rural-bus.yaml", "title: ", "title: 新"),
    "update body": lambda root: replace_in(root / "content/updates/2019-07-bus.md", "出行更方便了", "出行更便捷了"),
    "update added": lambda root: (root / "content/updates/2019-08-bus.md").write_text(
        "---\ntitle: 第二条线路开通\ndate: 2019-08-01\ninitiatives: [rural-bus]\n---\n又一条线路开通了。\n", "utf-8"
    ),
    "update removed": lambda root: (root / "content/updates/2019-07-bus.md").unlink(),
    "hand-written edition added": lambda root: (root / "content/updates/2019-07-bus.zh-hant.md").write_text(
        "測試區第一條城鄉公交線路開通了。\n", "utf-8"
    ),
    "glossary entry": lambda root: (root / "content/glossary.yaml").write_text(
        (root / "content/glossary.yaml").read_text("utf-8") + "公交: 公車\n", "utf-8"
    ),
    "site.yaml": lambda root: replace_in(root / "content/site.yaml", "title: 民生实事测试站", "title: 民生实事公示站"),
    "template": lambda root: replace_in(
        site_templates(root) / "_macros.html", '{{ _("按状态") }}', '{{ _("按进展状态") }}'
    ),
    "static asset": lambda root: (site_templates(root) / "static" / "style.css").write_text(
        (builtin_path("templates", "static", "style.css")).read_text("utf-8") + "\nmain { color: #111; }\n", "utf-8"
    ),
    "output edited by hand": lambda root: (root / "site/zh-hans/about/index.html").write_text("hand-edited", "utf-8"),
    "output deleted by hand": lambda root: shutil.rmtree(root / "site/zh-hant/initiatives"),
    "search index deleted by hand": lambda root: shutil.rmtree(root / "site/zh-hans/pagefind"),
    "cache file corrupted": lambda root: next((root / ".cache").glob("build-*.json")).write_text("{", "utf-8"),
}
# Edits that touch few pages: the cached rebuild must make fewer than half of them (the fixture has
# three initiatives, neighbours of each other, so an edit reaches many of its pages).
SMALL = {"initiative progress", "update body", "hand-written edition added", "output edited by hand"}


def build(root: Path, out: str = "site", cached: bool = True) -> Result:
    return build_site(Options(content=root / "content", out=root / out, history=False, cache=cached))


def assert_like_clean(root: Path) -> None:
    """The site built with the cache holds the same files as a clean build, and search finds the same pages."""
    build(root, "clean", cached=False)
    assert tree(root / "site") == tree(root / "clean")
    assert found(root / "site") == found(root / "clean")


@pytest.fixture
def root(tmp_path: Path, pagefind: Path) -> Path:
    shutil.copytree(BASIC, tmp_path / "content")
    build(tmp_path)
    return tmp_path


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_cached_rebuild_equals_clean_build(root: Path, edit: str) -> None:
    pages = sum(path.endswith(".html") for path in tree(root / "site"))
    EDITS[edit](root)
    cached = build(root)
    assert_like_clean(root)
    if edit == "template":  # the edit shows: the site's new template folder is used at once
        assert "按进展状态" in (root / "site/zh-hans/initiatives/index.html").read_text("utf-8")
    if edit in SMALL:
        made = sum(path.endswith(".html") for path in cached.files)
        assert 0 < made < pages / 2, f"{edit}: made {made} of {pages} pages"


def test_two_edits_in_a_row(root: Path) -> None:
    for edit in ("update body", "initiative progress", "glossary entry"):
        EDITS[edit](root)
        build(root)
    assert_like_clean(root)


def test_nothing_changed_does_nothing(root: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()}
    again = build(root)
    assert again.files == {} and again.written == 0 and again.unchanged == len(before) - 1  # the marker
    assert "render" not in again.timings and "load" not in again.timings
    assert {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()} == before


def test_warnings_are_repeated_when_nothing_changed(root: Path) -> None:
    (root / "content/updates/notes.txt").write_text("x", "utf-8")  # ignored file: a warning
    first = build(root)
    again = build(root)
    assert again.files == {} and [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert any("notes.txt" in w.path for w in again.warnings)


def test_unchanged_pages_are_not_rendered_again(root: Path) -> None:
    EDITS["update body"](root)
    again = build(root)
    made = {p for p in again.files if p.endswith(".html")}
    # the update's page in both editions and the pages showing its initiative, not the other update or
    # the pages that do not show any record
    assert "zh-hans/updates/2019-07-bus/index.html" in made and "zh-hant/updates/2019-07-bus/index.html" in made
    assert "zh-hans/initiatives/rural-bus/index.html" in made and "zh-hans/initiatives/index.html" in made
    assert "zh-hans/updates/2021-11-qingjiang/index.html" not in made
    assert "zh-hans/about/index.html" not in made and "zh-hant/search/index.html" not in made


def test_cache_is_json_and_can_be_deleted(root: Path) -> None:
    manifest = next((root / ".cache").glob("build-*.json"))
    loaded = cache.load(manifest, root / "site")
    assert loaded is not None and loaded.files
    manifest.unlink()
    EDITS["initiative progress"](root)
    build(root)
    assert_like_clean(root)


def test_another_output_folder_has_its_own_manifest(root: Path) -> None:
    build(root, "other")
    assert len(list((root / ".cache").glob("build-*.json"))) == 2
    assert tree(root / "other") == tree(root / "site")


def test_small_edit_goes_into_the_delta_and_keeps_the_main_index(root: Path) -> None:
    main = {p: p.stat().st_mtime_ns for p in (root / "site/zh-hans/pagefind").rglob("*") if p.is_file()}
    old = {str(page["url"]): ident for ident, page in fragments(root / "site/zh-hans/pagefind").items()}
    EDITS["update body"](root)
    build(root)
    delta = json.loads((root / "site/zh-hans/pagefind-delta/delta.json").read_text("utf-8"))
    assert delta["merge"] and delta["superseded"] == [old["/updates/2019-07-bus/"]]
    assert {p: p.stat().st_mtime_ns for p in (root / "site/zh-hans/pagefind").rglob("*") if p.is_file()} == main
    # The initiative's page shows the update, but outside what is indexed: its index entry is the same,
    # so it stays in the main bundle (the same id in the delta would be hidden with its old version).
    in_delta = {str(page["url"]) for page in fragments(root / "site/zh-hans/pagefind-delta").values()}
    assert in_delta == {"/updates/2019-07-bus/"}
    assert "/initiatives/rural-bus/" in found(root / "site")["zh-hans"]


def test_a_shared_id_makes_a_new_main_index(root: Path, pagefind: Path) -> None:
    """Pagefind's ids are short content hashes, unique within one run only: should a page kept in the
    main bundle share its id with one the delta replaces, hiding that id would hide both, so
    everything is indexed again."""
    binary = pagefind
    manifest = cache.load(next((root / ".cache").glob("build-*.json")), root / "site")
    assert manifest is not None
    base = manifest.search["zh-Hans"]
    keys = {p: key for p, (key, _) in base.items()}
    edited, kept = "zh-hans/updates/2019-07-bus/index.html", "zh-hans/updates/2021-11-qingjiang/index.html"
    changed = {**keys, edited: "edited"}

    def read(path: str) -> bytes:
        return (root / "site" / path).read_bytes().replace("出行更方便了".encode(), "出行更便捷了".encode())

    pages = (read, lambda path: len(read(path)))
    assert search.index_edition("zh-Hans", changed, pages, binary, base).keep_base
    clash = {**base, kept: (base[kept][0], base[edited][1])}  # as if Pagefind had given both the same id
    again = search.index_edition("zh-Hans", changed, pages, binary, clash)
    assert not again.keep_base and again.base[kept][1] != again.base[edited][1]


def test_large_edit_makes_a_new_main_index(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "DELTA_MIN", 0)  # the fixture is small: 10 % of its pages is less than one
    EDITS["glossary entry"](root)  # every page may change: everything is indexed again
    build(root)
    delta = json.loads((root / "site/zh-hans/pagefind-delta/delta.json").read_text("utf-8"))
    assert delta == {"parts": [], "merge": False, "superseded": []}
    assert not (root / "site/zh-hans/pagefind-delta/pagefind.js").exists()


def test_only_changed_documents_are_schema_checked_again(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongshi.load import documents

    checked: list[str] = []
    real = documents.validate_tree

    def counting(tree, name):  # type: ignore[no-untyped-def]
        checked.append(tree.source.path)
        return real(tree, name)

    documents.checked.cache_clear()  # the in-process memo would hide the checks
    monkeypatch.setattr(documents, "validate_tree", counting)
    EDITS["initiative progress"](root)
    build(root)
    assert [Path(p).name for p in checked] == ["rural-bus.yaml"]


def test_a_document_with_a_problem_is_never_known_valid() -> None:
    from gongshi.load.documents import Documents
    from gongshi.load.source import Source

    docs = Documents()
    good, bad = Source("a.yaml", "title: 甲\nstatus: planned\n"), Source("b.yaml", "title: 乙\nstatus: doing\n")
    assert docs.check(good, "initiative")[2] and not docs.check(bad, "initiative")[2]
    assert docs.valid == {Documents.key("initiative", good)}
    skipped = Documents(frozenset(docs.valid))
    assert skipped.check(good, "initiative") == docs.check(good, "initiative")


def test_an_empty_main_index_is_never_kept(pagefind: Path) -> None:
    """After a build with nothing to index, the first searchable page makes a main bundle, not a delta."""
    binary = pagefind
    page = (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>测试</title></head><body>'
        "<article data-pagefind-body><h1>测试</h1><p>城乡公交线路开通。</p></article></body></html>"
    ).encode()
    keys, pages = {"zh-hans/updates/a/index.html": "k"}, (lambda path: page, lambda path: len(page))
    done = search.index_edition("zh-Hans", keys, pages, binary, base={})
    assert not done.keep_base and "zh-hans/pagefind/pagefind.js" in done.files
    assert done.base == {"zh-hans/updates/a/index.html": ("k", done.base["zh-hans/updates/a/index.html"][1])}


@pytest.mark.parametrize("path", ["../victim.txt", "/tmp/victim.txt", "zh-hans/../../victim.txt", "a\\..\\b"])
def test_a_forged_manifest_cannot_reach_outside_the_site(root: Path, path: str) -> None:
    """The build removes files it no longer makes, as listed in the manifest: a path leaving site/
    makes the whole manifest count as absent (a clean build), and nothing outside is touched."""
    victim = root / "victim.txt"
    victim.write_text("keep me", "utf-8")
    manifest = next((root / ".cache").glob("build-*.json"))
    data = json.loads(manifest.read_text("utf-8"))
    data["files"][path] = ["k", "0" * 64, 7, victim.stat().st_mtime_ns]
    manifest.write_text(json.dumps(data), "utf-8")
    assert cache.load(manifest, root / "site") is None
    EDITS["initiative progress"](root)
    build(root)
    assert victim.read_text("utf-8") == "keep me"


def test_output_restored_with_new_times_is_still_unchanged(root: Path) -> None:
    """A site folder restored from a CI cache has the same bytes but new modification times."""
    for path in (root / "site").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    again = build(root)
    assert again.files == {} and again.written == 0
    manifest = cache.load(next((root / ".cache").glob("build-*.json")), root / "site")
    assert manifest is not None and {e.mtime_ns for e in manifest.files.values()} == {1_000_000_000}
    pages = sum(path.endswith(".html") for path in tree(root / "site"))
    EDITS["update body"](root)
    edited = build(root)
    assert 0 < sum(p.endswith(".html") for p in edited.files) < pages / 2


# Parts: with parts of one byte (one page each: a page larger than a part is a part alone), each
# edition's 5 searchable pages (3 initiatives, then 2 updates) are indexed into pagefind/, pagefind-2/
# … pagefind-5/ (the update 2019-07-bus is the fourth).
PARTS = ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4", "pagefind-5"]


@pytest.fixture
def parted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pagefind: Path) -> Path:
    monkeypatch.setattr(search, "PART_BYTES", 1)
    shutil.copytree(BASIC, tmp_path / "content")
    build(tmp_path)
    return tmp_path


def test_a_small_site_has_one_part(root: Path) -> None:
    assert sorted(p.name for p in (root / "site/zh-hans").glob("pagefind*")) == ["pagefind", "pagefind-delta"]
    assert json.loads((root / "site/zh-hans/pagefind-delta/delta.json").read_text("utf-8"))["parts"] == []


def test_the_main_index_is_made_in_parts(parted: Path) -> None:
    for edition, lang in (("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")):
        folder = parted / "site" / edition
        assert sorted(p.name for p in folder.glob("pagefind*")) == [*PARTS, "pagefind-delta"]
        counts = [
            json.loads((folder / part / "pagefind-entry.json").read_text("utf-8"))["languages"][edition]["page_count"]
            for part in PARTS
        ]
        assert counts == [1, 1, 1, 1, 1]
        info = json.loads((folder / "pagefind-delta/delta.json").read_text("utf-8"))
        assert info == {"parts": [f"../{p}/" for p in PARTS[1:]], "merge": False, "superseded": []}
        manifest = cache.load(next((parted / ".cache").glob("build-*.json")), parted / "site")
        assert manifest is not None
        ids = {
            f"{edition}{page['url']}index.html": ident
            for part in PARTS
            for ident, page in fragments(folder / part).items()
        }
        assert {p: i for p, (_, i) in manifest.search[lang].items()} == ids and len(ids) == 5
        # Each run's ids are its own (Pagefind makes them unique within a run only): see
        # test_a_shared_id_makes_a_new_main_index for what a shared one would do.
        assert len(set(ids.values())) == 5


@pytest.mark.parametrize(
    "edit", ["update body", "initiative title", "update added", "update removed", "search index deleted by hand"]
)
def test_cached_rebuild_with_parts_equals_clean_build(parted: Path, edit: str) -> None:
    EDITS[edit](parted)
    build(parted)
    assert_like_clean(parted)


def test_a_delta_hides_the_old_version_from_any_part(parted: Path) -> None:
    part = parted / "site/zh-hans/pagefind-4"
    old = {str(page["url"]): ident for ident, page in fragments(part).items()}["/updates/2019-07-bus/"]
    files = "*.*"  # the files of the bundles keep their times; their folders are made anew with the site
    bundles = {p: p.stat().st_mtime_ns for name in PARTS for p in (parted / "site/zh-hans" / name).rglob(files)}
    EDITS["update body"](parted)
    build(parted)
    info = json.loads((parted / "site/zh-hans/pagefind-delta/delta.json").read_text("utf-8"))
    assert info == {"parts": [f"../{p}/" for p in PARTS[1:]], "merge": True, "superseded": [old]}
    assert {p: p.stat().st_mtime_ns for name in PARTS for p in (parted / "site/zh-hans" / name).rglob(files)} == bundles
    text = str(found(parted / "site")["zh-hans"]["/updates/2019-07-bus/"]["content"]).replace("\u200b", "")
    assert "出行更便捷了" in text  # Pagefind separates the words it found with zero-width spaces


def test_a_file_of_a_part_gone_makes_a_new_main_index(parted: Path) -> None:
    (parted / "site/zh-hans/pagefind-2/pagefind-entry.json").unlink()
    (parted / "site/zh-hant/pagefind-delta/delta.json").unlink()  # the delta is no part: made again alone
    again = build(parted)
    assert "zh-hans/pagefind/pagefind-entry.json" in again.files  # every part made again
    assert not any(search.main_bundle(p, "zh-Hant") for p in again.files)
    build(parted, "clean", cached=False)
    assert found(parted / "site") == found(parted / "clean")
    assert (parted / "site/zh-hans/pagefind-2/pagefind-entry.json").read_bytes() == (
        parted / "clean/zh-hans/pagefind-2/pagefind-entry.json"
    ).read_bytes()


@given(st.lists(st.integers(0, 300), max_size=60), st.integers(1, 1000))
def test_parts_hold_every_page_once_in_order_within_the_budget(sizes: list[int], budget: int) -> None:
    pages = [f"p{i:03}" for i in range(len(sizes))]
    weigh = dict(zip(pages, sizes, strict=True)).__getitem__
    parts = search.split(pages, weigh, budget)
    assert [p for part in parts for p in part] == pages and all(parts)
    assert all(len(part) == 1 or sum(map(weigh, part)) <= budget for part in parts)
    # a part is cut only when the next page would not fit: no two neighbours could be one part
    assert all(sum(map(weigh, a)) + weigh(b[0]) > budget for a, b in itertools.pairwise(parts))


def test_main_bundle_paths() -> None:
    assert search.part_path("zh-Hans", 1) == "zh-hans/pagefind/"
    assert search.part_path("zh-Hant", 3) == "zh-hant/pagefind-3/"
    assert search.main_bundle("zh-hans/pagefind/pagefind.js", "zh-Hans")
    assert search.main_bundle("zh-hans/pagefind-12/fragment/a.pf_fragment", "zh-Hans")
    assert not search.main_bundle("zh-hans/pagefind-delta/delta.json", "zh-Hans")
    assert not search.main_bundle("zh-hant/pagefind-2/pagefind.js", "zh-Hans")
    assert not search.main_bundle("zh-hans/search/pagefind/x", "zh-Hans")

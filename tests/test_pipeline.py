"""The whole pipeline on fixture sites: golden pages, determinism, safe writing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from gongshi.errors import ContentError
from gongshi.pipeline import Options, build_site, render_files

BASIC = FIXTURES / "basic" / "content"
GOLDEN_PAGES = [
    "index.html",
    "404.html",
    "zh-hans/index.html",
    "zh-hant/index.html",
    "zh-hans/initiatives/index.html",
    "zh-hant/initiatives/rural-bus/index.html",
    "zh-hans/initiatives/qingjiang-certificates/index.html",
    "zh-hant/initiatives/school-places/index.html",
    "zh-hant/updates/2019-07-bus/index.html",
    "zh-hans/updates/2021-11-qingjiang/index.html",
    "zh-hant/updates/index.html",
    "zh-hant/status/delayed/index.html",
    "zh-hans/departments/index.html",
]


@pytest.fixture(scope="module")
def basic_files() -> dict[str, bytes]:
    return render_files(Options(content=BASIC, history=False)).files  # with the search index: one full render


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_pages(basic_files: dict[str, bytes], golden, page: str) -> None:
    """Rendered pages of the basic fixture match their reviewed golden copies."""
    golden(f"basic/{page}", basic_files[page])


def test_both_editions_have_the_same_paths(basic_files: dict[str, bytes]) -> None:
    """Every page exists in both editions under the same path, so the edition switch never 404s."""

    def pages(prefix: str) -> set[str]:  # the search bundles hold files named by their content
        return {p.removeprefix(prefix) for p in basic_files if p.startswith(prefix) and "/pagefind/" not in p}

    hans, hant = pages("zh-hans/"), pages("zh-hant/")
    assert hans == hant
    assert "initiatives/rural-bus/index.html" in hans


def test_output_is_deterministic() -> None:
    """Two renders of the same content are byte-identical."""
    first = render_files(Options(content=BASIC, history=False)).files
    second = render_files(Options(content=BASIC, history=False)).files
    assert first == second


def test_pages_declare_language_and_alternates(basic_files: dict[str, bytes]) -> None:
    """Each edition page names its language and links the other edition's same page."""
    page = basic_files["zh-hant/initiatives/rural-bus/index.html"].decode()
    assert '<html lang="zh-Hant">' in page
    assert 'hreflang="zh-Hans" href="https://example.org/gongshi/zh-hans/initiatives/rural-bus/index.html"' in page
    assert 'href="../../../zh-hans/initiatives/rural-bus/index.html"' in page
    assert '<link rel="canonical" href="https://example.org/gongshi/zh-hant/initiatives/rural-bus/index.html">' in page


def test_no_absolute_internal_links(basic_files: dict[str, bytes]) -> None:
    """Links, scripts and styles are relative, so the site works from a subfolder and from disk."""
    import re

    for path, data in basic_files.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        html = data.decode()
        for tag in re.findall(r"<(?:a|script|img)\b[^>]*>|<link rel=\"(?:stylesheet|icon)\"[^>]*>", html):
            url = re.search(r'(?:href|src)="([^"]*)"', tag)
            assert url is not None, tag
            assert not url.group(1).startswith(("/", "https://example.org/gongshi")), (path, tag)


def test_failed_build_leaves_site_untouched(tmp_path: Path) -> None:
    """A content error after a good build changes nothing in site/."""
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    out = tmp_path / "site"
    build_site(Options(content=content, out=out, search=False, history=False))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "initiatives" / "rural-bus.yaml").write_text("title: 坏\nstatus: doing\n", "utf-8")
    with pytest.raises(ContentError):
        build_site(Options(content=content, out=out, search=False, history=False))
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    """A rebuild keeps the inode of every file whose bytes did not change, and rewrites the rest."""
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    out = tmp_path / "site"
    build_site(Options(content=content, out=out, search=False, history=False))
    page = out / "zh-hans" / "initiatives" / "rural-bus" / "index.html"
    other = out / "zh-hans" / "initiatives" / "school-places" / "index.html"
    inode_other = other.stat().st_ino
    source = content / "initiatives" / "rural-bus.yaml"
    source.write_text(source.read_text("utf-8").replace("progress: 40", "progress: 50", 1), "utf-8")
    result = build_site(Options(content=content, out=out, search=False, history=False))
    assert "进度 50%" in page.read_text("utf-8")
    assert other.stat().st_ino == inode_other
    assert 0 < result.written < result.unchanged


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    """--out pointing at a folder that is not a gongshi site is refused, not wiped."""
    from gongshi.errors import UsageError

    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(UsageError):
        build_site(Options(content=BASIC, out=precious, search=False, history=False))
    assert (precious / "notes.txt").read_text("utf-8") == "keep me"


def test_site_templates_override_builtin(tmp_path: Path) -> None:
    """A site's own templates/ replaces a built-in template of the same name."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "updates.html").write_text(
        '{% extends "base.html" %}{% block title %}X{% endblock %}{% block main %}OVERRIDDEN{% endblock %}', "utf-8"
    )
    files = render_files(Options(content=BASIC, templates=templates, search=False, history=False)).files
    assert b"OVERRIDDEN" in files["zh-hans/updates/index.html"]
    assert b"OVERRIDDEN" not in files["zh-hans/index.html"]


@pytest.mark.usefixtures("pagefind")
def test_search_index_per_edition(basic_files: dict[str, bytes]) -> None:
    """Each edition has its own Pagefind bundle, of its initiatives and updates only."""
    for edition, lang in (("zh-hans", "zh-hans"), ("zh-hant", "zh-hant")):
        entry = json.loads(basic_files[f"{edition}/pagefind/pagefind-entry.json"])
        assert list(entry["languages"]) == [lang]
        assert entry["languages"][lang]["page_count"] == 5  # 3 initiatives, 2 updates
    assert not any(path.startswith("pagefind/") for path in basic_files)
    search_page = basic_files["zh-hant/search/index.html"].decode()
    assert '<html lang="zh-Hant">' in search_page and "&#39;wasm-unsafe-eval&#39;" in search_page


def test_parallel_render_matches_sequential(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering editions in worker processes gives byte-identical output."""
    from gongshi import render

    sequential = render_files(Options(content=BASIC, search=False, history=False)).files
    monkeypatch.setattr(render, "PARALLEL_FROM", 0)
    parallel = render_files(Options(content=BASIC, search=False, history=False)).files
    assert parallel == sequential

"""Rendered files on disk until written (`gongshi.stash`), so that a build's memory does not grow
with the site (issue 18): the same site as from memory, nothing left beside it afterwards."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from gongshi import write
from gongshi.pipeline import Options, build_site, render_files
from gongshi.stash import Lazy, Stash

BASIC = FIXTURES / "basic" / "content"


def test_a_stash_is_a_mapping_whose_values_live_on_disk(tmp_path: Path) -> None:
    stash = Stash(tmp_path)
    stash["zh-hans/b/index.html"] = b"<p>b</p>"
    stash["zh-hans/a/index.html"] = b"<p>a</p>"
    stash["zh-hans/b/index.html"] = b"<p>b2</p>"  # put again: last in order, as in a dict
    assert list(stash) == ["zh-hans/a/index.html", "zh-hans/b/index.html"]
    assert (tmp_path / "zh-hans/b/index.html").read_bytes() == stash["zh-hans/b/index.html"] == b"<p>b2</p>"
    assert "zh-hans/c/index.html" not in stash and stash.size("zh-hans/a/index.html") == 8
    sent = pickle.dumps(stash)  # what a render worker sends the build: the paths, not the pages
    assert b"<p>a</p>" not in sent and dict(pickle.loads(sent)) == dict(stash)
    with pytest.raises(KeyError):
        stash["zh-hans/c/index.html"]
    del stash["zh-hans/a/index.html"]
    assert len(stash) == 1 and not (tmp_path / "zh-hans/a/index.html").exists()


@pytest.mark.parametrize("path", ["../x.html", "/tmp/x.html", "a/../../x.html", "a\\..\\x"])
def test_a_stash_never_writes_outside_its_folder(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="leaves the output folder"):
        Stash(tmp_path / "stash")[path] = b"x"
    assert not (tmp_path / "x.html").exists()


def test_lazy_reads_each_file_when_asked(tmp_path: Path) -> None:
    asked: list[str] = []
    lazy = Lazy(["a", "b"], lambda path: asked.append(path) or path.encode())
    assert asked == [] and list(lazy) == ["a", "b"] and lazy["b"] == b"b" and asked == ["b"]
    with pytest.raises(KeyError):
        lazy["c"]


def test_a_build_through_the_stash_equals_the_site_rendered_in_memory(tmp_path: Path) -> None:
    """Large sites render in workers that stash their pages: the site is the same byte for byte, and
    the stash, also one a killed build left, is gone afterwards."""
    shutil.copytree(BASIC, tmp_path / "content")
    left = tmp_path / ".site.gongshi-stash"
    (left / "zh-hans").mkdir(parents=True)
    (left / "zh-hans" / "old.html").write_bytes(b"left by a killed build")
    options = Options(content=tmp_path / "content", out=tmp_path / "site", search=False, history=False)
    result = build_site(options)
    assert not left.exists()
    stashed = [part for part in result.files.maps if isinstance(part, Stash)]  # type: ignore[attr-defined]
    assert len(stashed) == 3  # each edition's files, and the site root's
    expected = render_files(options).files
    site = tmp_path / "site"
    built = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    built = {p: data for p, data in built.items() if p in expected}
    assert built == dict(expected) and len(built) == len(expected)
    (left / "zh-hans").mkdir(parents=True)  # killed again: the next build has nothing to do, and removes it
    assert build_site(options).written == 0 and not left.exists()


def test_stashed_pages_are_moved_into_the_site_not_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BASIC, tmp_path / "content")
    written: list[str] = []
    real_create = write.create_file
    monkeypatch.setattr(write, "create_file", lambda target, data: written.append(target) or real_create(target, data))
    options = Options(content=tmp_path / "content", out=tmp_path / "site", search=False, history=False)
    result = build_site(options)
    stashed = {path for part in result.files.maps if isinstance(part, Stash) for path in part}  # type: ignore[attr-defined]
    trees = {tmp_path / "site", tmp_path / ".site.gongshi-new"}  # the new tree is made beside the site
    folders = {
        Path(t).parent.relative_to(tree).as_posix() for t in written for tree in trees if Path(t).is_relative_to(tree)
    }
    assert stashed and not folders & {Path(p).parent.as_posix() for p in stashed if p.endswith("/index.html")}
    page = sorted(stashed)[0]
    assert result.files[page] == (tmp_path / "site" / page).read_bytes()  # read where it now is

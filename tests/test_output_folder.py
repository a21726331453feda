"""The output folder's promises (gongshi/outdir.py): only gongshi's own folder is written, nothing gongshi
did not write is deleted, one build at a time, and a reader (or a crash) sees the old site or the new."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, gongshi_cli

from gongshi import outdir, stash, write
from gongshi.errors import ContentError
from gongshi.pipeline import Options, build_site

BASIC = FIXTURES / "basic" / "content"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    return content


def build(content: Path, out: Path, **options: object) -> None:
    build_site(Options(content=content, out=out, search=False, history=False, **options))  # type: ignore[arg-type]


def test_a_folder_gongshi_did_not_make_is_refused_untouched(tmp_path: Path) -> None:
    """The old test (index.html and static/) let this folder be wiped: .git and photos/ removed."""
    mysite = tmp_path / "mysite"
    for folder in ("static", ".git", "photos"):
        (mysite / folder).mkdir(parents=True)
    (mysite / "index.html").write_text("x", "utf-8")
    (mysite / "photos" / "a.jpg").write_bytes(b"jpeg")
    before = tree(mysite)
    done = gongshi_cli("--content", str(copy_content(tmp_path)), "--out", str(mysite), "--no-search", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "not made by gongshi" in done.stderr and str(mysite) in done.stderr
    assert tree(mysite) == before and (mysite / ".git").is_dir()


@pytest.mark.parametrize("how", ["cached", "no cache", "cache deleted"])
def test_what_gongshi_did_not_write_survives_every_build(tmp_path: Path, how: str) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "keep:\n  - downloads/*.pdf\n  - about/index.html\n", "utf-8")
    build(content, out)
    ours = {"CNAME": b"example.org\n", ".git/HEAD": b"ref\n", ".well-known/security.txt": b"x"}
    ours |= {"downloads/report.pdf": b"%PDF", "photos/a.jpg": b"jpeg", "about/index.html": b"mine"}
    for rel, data in ours.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("民生实事测试站", "民生实事公示站"), "utf-8")
    if how == "cache deleted":
        shutil.rmtree(tmp_path / ".cache")
    build(content, out, cache=how != "no cache")
    assert {rel: (out / rel).read_bytes() for rel in ours} == ours
    assert "民生实事公示站" in (out / "zh-hans" / "index.html").read_text("utf-8")


def test_a_file_gongshi_wrote_and_no_longer_builds_is_removed(tmp_path: Path) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    build(content, out)
    page = out / "zh-hans" / "updates" / "2019-07-bus" / "index.html"
    assert page.is_file()
    (content / "updates" / "2019-07-bus.md").unlink()
    build(content, out, cache=False)
    assert not page.exists() and (out / "zh-hans" / "index.html").is_file()


def test_unchanged_files_keep_their_inode(tmp_path: Path) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    build(content, out)
    about = out / "zh-hans" / "about" / "index.html"
    before = about.stat()
    (content / "updates" / "2019-07-bus.md").write_text(
        (content / "updates" / "2019-07-bus.md").read_text("utf-8") + "\n补充一句。\n", "utf-8"
    )
    build(content, out)
    assert (about.stat().st_ino, about.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_output_folder_that_is_a_symlink_stays_a_symlink(tmp_path: Path) -> None:
    content, real, link = copy_content(tmp_path), tmp_path / "www" / "real", tmp_path / "site"
    real.mkdir(parents=True)
    link.symlink_to(real, target_is_directory=True)
    for cache in (True, False):
        build(content, link, cache=cache)
        assert link.is_symlink() and (real / "zh-hans" / "index.html").is_file()


def test_a_mount_point_is_updated_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mount point cannot be renamed or exchanged: each file is replaced where it is."""
    content, out = copy_content(tmp_path), tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("example.org", "utf-8")
    monkeypatch.setattr(outdir, "is_mount", lambda folder: folder == out)
    monkeypatch.setattr(outdir, "exchange", lambda *a: pytest.fail("a mount point cannot be exchanged"))
    build(content, out)
    inode = out.stat().st_ino
    (out / "zh-hans" / ".stale.html.gongshi-new").write_text("left by a killed build", "utf-8")
    (content / "updates" / "2019-07-bus.md").unlink()
    build(content, out, cache=False)
    assert out.stat().st_ino == inode and (out / "CNAME").read_text("utf-8") == "example.org"
    assert not (out / "zh-hans" / "updates" / "2019-07-bus").exists()
    assert not list(out.rglob("*.gongshi-new"))


@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_is_a_clear_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int
) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    build(content, out)
    before = tree(out)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("民生实事测试站", "民生实事公示站"), "utf-8")
    calls = []

    def failing(target: str, data: bytes) -> os.stat_result:
        calls.append(target)
        if len(calls) > 3:
            raise OSError(errno_, os.strerror(errno_), target)
        return real_create(target, data)

    def failing_move(self: stash.Stash, path: str) -> Path:  # rename(2) too reports ENOSPC when a folder cannot grow
        calls.append(path)
        if len(calls) > 3:
            raise OSError(errno_, os.strerror(errno_), path)
        return real_file(self, path)

    real_create, real_file = write.create_file, stash.Stash.file
    monkeypatch.setattr(write, "create_file", failing)
    monkeypatch.setattr(stash.Stash, "file", failing_move)
    with pytest.raises(ContentError) as raised:
        build(content, out, cache=False)
    (problem,) = raised.value.diagnostics
    assert problem.path == str(out) and os.strerror(errno_) in str(problem.message)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith("gongshi-lock")) == [
        ".cache",
        "content",
        "site",
    ]


def test_a_site_set_aside_by_a_killed_build_is_put_back(tmp_path: Path) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    build(content, out)
    out.rename(tmp_path / ".site.old")  # killed between the two renames of `exchange`'s fallback
    build(content, out, cache=False)
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith("gongshi-lock")) == [
        ".cache",
        ".site.gongshi-new",
        "content",
        "site",
    ]


def test_the_spare_tree_is_brought_up_to_date_whatever_it_holds(tmp_path: Path) -> None:
    """The site before last, kept beside the site for the next build, may be half made by a killed
    build or changed by hand: the next build makes it the new site exactly, never writing into a
    file it shares with the live site."""
    content, out = copy_content(tmp_path), tmp_path / "site"
    build(content, out)
    build(content, tmp_path / "reference", cache=False)
    spare = tmp_path / ".site.gongshi-new"
    shutil.copytree(out, spare, copy_function=os.link)  # every file shared with the live site
    live = tree(out)
    (spare / "zh-hans" / "about" / "index.html").unlink()
    (spare / "zh-hans" / "about" / "index.html").mkdir()  # a folder where a file must be
    shutil.rmtree(spare / "zh-hans" / "initiatives")
    (spare / "zh-hans" / "initiatives").write_text("a file where a folder must be", "utf-8")
    (spare / "junk" / "deep").mkdir(parents=True)
    (spare / "junk" / "deep" / "x.html").write_text("junk", "utf-8")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("民生实事测试站", "民生实事公示站"), "utf-8")
    build(content, out)
    assert tree(spare) == live  # the old site, untouched though its files were shared
    build(content, tmp_path / "reference", cache=False)
    assert tree(out) == tree(tmp_path / "reference")


def hold_lock(content: Path, out: Path) -> int:
    """Hold the output folder's lock as a build with process id 4242 would."""
    fd = os.open(out.with_name(f".{out.name}.gongshi-lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"4242")
    return fd


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    fd = hold_lock(content, out)
    told: list[str] = []
    waiting = threading.Thread(target=build, args=(content, out), kwargs={"waiting": lambda t: told.append(str(t))})
    waiting.start()
    time.sleep(1)
    assert waiting.is_alive() and not out.exists()
    os.close(fd)
    waiting.join(60)
    assert (out / "index.html").is_file()
    assert told == ["waiting for another build into this folder to finish (process 4242)"]


def test_two_clean_builds_at_once_both_succeed(tmp_path: Path) -> None:
    """Once, one of them exited 3 (Directory not empty) and left a site without index.html."""
    content, out = copy_content(tmp_path), tmp_path / "site"
    args = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--no-search"]
    runs = [subprocess.Popen([*args, "--no-cache"], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    build(content, tmp_path / "reference", cache=False)
    assert tree(out) == tree(tmp_path / "reference")


def test_the_command_line_says_which_build_it_waits_for(tmp_path: Path) -> None:
    content, out = copy_content(tmp_path), tmp_path / "site"
    fd = hold_lock(content, out)
    args = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--no-search"]
    run = subprocess.Popen([*args, "--lang", "en"], stderr=subprocess.PIPE, text=True, encoding="utf-8")
    time.sleep(1.5)
    os.close(fd)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0 and err.startswith(
        "waiting for another build into this folder to finish (process 4242)"
    ), err


def test_a_kept_link_where_gongshi_writes_a_folder_is_never_written_through(tmp_path: Path) -> None:
    """A link someone put in the site (kept: gongshi did not write it) at the place of one of
    gongshi's folders: the new site gets the folder, and nothing is written where the link points."""
    content, out = copy_content(tmp_path), tmp_path / "site"
    build(content, out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "zh-hans" / "about" / "index.html").unlink()
    (out / "zh-hans" / "about").rmdir()
    (out / "zh-hans" / "about").symlink_to(elsewhere, target_is_directory=True)
    build(content, out, cache=False)
    build(content, out, cache=False)  # the second tree now holds the link: brought up to date again
    assert list(elsewhere.iterdir()) == []
    assert (out / "zh-hans" / "about" / "index.html").is_file() and not (out / "zh-hans" / "about").is_symlink()

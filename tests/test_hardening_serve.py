"""Hardening of the preview server, the Pagefind binary and the command line (issue 17)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import FIXTURES

from gongshi import scratch, search


def _plant(folder: Path) -> Path:
    """An executable `pagefind_extended` in `folder`'s node_modules, as anyone may leave in /tmp."""
    binary = folder / search.BINARY
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\ntouch planted-ran\n", "utf-8")
    binary.chmod(0o755)
    return binary


def test_pagefind_is_not_taken_from_the_working_folder_or_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A binary planted in a parent folder's (or the working folder's) node_modules is never chosen."""
    planted = [_plant(tmp_path), _plant(tmp_path / "project")]
    (tmp_path / "project" / "content").mkdir()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setenv("PATH", os.defpath)
    for cwd in (tmp_path / "project" / "content", tmp_path / "project"):
        monkeypatch.chdir(cwd)
        found = search.find_binary()
        assert found is None or found.resolve() not in planted
        assert found in (None, Path(search.__file__).resolve().parents[1] / search.BINARY)


def test_pagefind_binary_path_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PAGEFIND_BINARY_PATH, the user's own choice, still wins."""
    chosen = _plant(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(chosen))
    assert search.find_binary() == chosen


KILLED_INDEXING = """
import sys, tempfile
from pathlib import Path
from gongshi import scratch, search
scratch.SHARED_MEMORY, tempfile.tempdir = Path(sys.argv[1]), sys.argv[2]
search._index("zh-Hans", {"zh-hans/initiatives/a/index.html": b"<html></html>"}, Path(sys.argv[3]), "zh-hans/pagefind/")
"""


def _scratch_folders(root: Path) -> list[Path]:
    return sorted(root.glob("gongshi-pagefind-*"))


def test_scratch_of_a_killed_indexing_is_cleaned_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed while Pagefind runs leaves its scratch folder; the next build removes it, never a live one."""
    shm, tmp = tmp_path / "shm", tmp_path / "tmp"
    shm.mkdir(), tmp.mkdir()
    monkeypatch.setattr(scratch, "SHARED_MEMORY", shm)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    slow = tmp_path / "pagefind_extended"
    slow.write_text("#!/bin/sh\nsleep 30\n", "utf-8")
    slow.chmod(0o755)
    build = subprocess.Popen(
        [sys.executable, "-c", KILLED_INDEXING, str(shm), str(tmp), str(slow)], start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while not [f for f in _scratch_folders(shm) if (f / "pages").is_dir()]:
            assert time.monotonic() < deadline and build.poll() is None
            time.sleep(0.05)
        (live,) = _scratch_folders(shm)
        scratch.clean_scratch()  # another build starts meanwhile: the live build's folder stays
        assert live.is_dir()
        os.killpg(build.pid, signal.SIGKILL)  # the build and its Pagefind
        build.wait()
        assert live.is_dir()  # left behind
        with search.Indexing(tmp_path / "site", None, None):  # the next build starts
            assert not live.exists()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
        build.wait()


def test_clean_scratch_leaves_links_fresh_folders_and_other_files(tmp_path: Path) -> None:
    """Only abandoned scratch folders go: not a link named like one, not one just made, nothing else."""
    outside = tmp_path / "outside"
    (outside / "pages").mkdir(parents=True)
    root = tmp_path / "root"
    root.mkdir()
    (root / "gongshi-pagefind-link").symlink_to(outside)
    (root / "gongshi-pagefind-1234-abcd" / "pages").mkdir(parents=True)  # made this instant, not yet locked
    (root / "gongshi-pagefind-old" / "pages").mkdir(parents=True)  # made by an older gongshi, long ago
    os.utime(root / "gongshi-pagefind-old", (time.time() - 3600, time.time() - 3600))
    (root / "other").mkdir()
    scratch.clean_scratch([root])
    assert sorted(p.name for p in root.iterdir()) == ["gongshi-pagefind-1234-abcd", "gongshi-pagefind-link", "other"]
    assert (outside / "pages").is_dir()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)//", "data:text/html,x", "//evil.example/", "example.org", "https://a b/"]
)
def test_base_url_option_must_be_a_web_address(
    run_cli: Callable[..., CompletedProcess[str]], tmp_path: Path, url: str
) -> None:
    """`--base-url` is checked like `base_url` in site.yaml: anything but http(s) is a usage error, nothing built."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    for command in ("build", "check", "serve"):  # serve last: before the check, it would serve on
        done = run_cli(command, f"--base-url={url}")
        assert done.returncode == 2, done.stderr
        assert f"argument --base-url: '{url}' is not a web address" in done.stderr
        assert "http:// or https://" in done.stderr
        assert not (tmp_path / "site").exists()


def test_base_url_option_takes_a_web_address(run_cli: Callable[..., CompletedProcess[str]], tmp_path: Path) -> None:
    """A site's address in a subfolder is accepted as it was."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    done = run_cli("check", "--base-url", "https://example.org/reports/")
    assert done.returncode == 0, done.stderr

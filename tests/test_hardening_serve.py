"""Hardening of the preview server, the Pagefind binary and the command line (issue 17)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gongshi import search


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

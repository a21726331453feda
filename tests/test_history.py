"""Revision history from git: per-initiative status and progress over commits, with and without git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES

from gongshi.history import read_history
from gongshi.pipeline import Options, render_files


def _git(repo: Path, *args: str, date: str = "2021-01-01T10:00:00+08:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "e@example.org",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "e@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _set(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The basic fixture in a git repository with four commits changing rural-bus."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    record = tmp_path / "content" / "initiatives" / "rural-bus.yaml"
    _git(tmp_path, "init", "-q", "-b", "main")
    _set(record, "progress: 40", "progress: 10")
    _set(record, "status: in_progress", "status: planned\n# draft")
    _set(record, "progress: 10", "progress: 0")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first", date="2019-03-01T09:00:00+08:00")
    _set(record, "status: planned\n# draft", "status: in_progress")
    _set(record, "progress: 0", "progress: 25")
    _git(tmp_path, "commit", "-qam", "started", date="2019-05-10T09:00:00+08:00")
    _set(record, "title: 开通城乡公交线路", "title: 开通城乡公交新线路")
    _git(tmp_path, "commit", "-qam", "retitle", date="2019-06-01T09:00:00+08:00")
    _set(record, "progress: 25", "progress: 40")
    _git(tmp_path, "commit", "-qam", "progress", date="2019-07-02T09:00:00+08:00")
    return tmp_path


def test_history_records_status_and_progress_per_commit(repo: Path) -> None:
    """Each commit that touched a record is a revision, with what changed in status and progress."""
    history = read_history(repo / "content")
    assert history.available
    revisions = history.revisions["rural-bus"]
    assert [(str(r.date), r.status, r.progress) for r in revisions] == [
        ("2019-03-01", "planned", 0),
        ("2019-05-10", "in_progress", 25),
        ("2019-06-01", "in_progress", 25),
        ("2019-07-02", "in_progress", 40),
    ]
    assert [(r.status_changed, r.progress_changed) for r in revisions] == [
        (True, True),
        (True, True),
        (False, False),
        (False, True),
    ]
    assert history.last_changed("initiatives/rural-bus.yaml").isoformat() == "2019-07-02"
    assert history.last_changed("initiatives/school-places.yaml").isoformat() == "2019-03-01"


def test_history_is_cached_by_head(repo: Path) -> None:
    """A second read with the same HEAD comes from .cache/ and gives the same answer."""
    first = read_history(repo / "content")
    assert (repo / ".cache" / "history.json").is_file()
    assert read_history(repo / "content") == first


def test_pages_show_history_and_chart(repo: Path) -> None:
    """The initiative page lists its revisions (dates and what changed, never commit ids) with a progress
    chart; "last updated" is the newest report in the content, not the last commit (issue 13)."""
    files = render_files(Options(content=repo / "content", search=False)).files
    page = files["zh-hans/initiatives/rural-bus/index.html"].decode()
    assert "修订历史" in page and '<polyline points="' in page
    assert "进度 40%" in page and "修改了其他内容" in page
    assert '最后更新：<time datetime="2019-07-01">' in page  # the log entry, not the commit of 2019-07-02
    assert 'class="commit"' not in page
    school = files["zh-hans/initiatives/school-places/index.html"].decode()
    assert "2019年3月1日" in school


def test_builds_without_git(tmp_path: Path) -> None:
    """A copy without .git builds, says history is unavailable, and tells the editor why and what to do."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    history = read_history(tmp_path / "content")
    assert not history.available and "not in a git repository" in history.reason and "git init" in history.hint
    files = render_files(Options(content=tmp_path / "content", search=False)).files
    assert "修订历史暂不可用" in files["zh-hans/initiatives/rural-bus/index.html"].decode()


def test_shallow_clone_gets_a_hint(repo: Path, tmp_path: Path) -> None:
    """A shallow clone builds without history and the build warns with how to fetch it."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    history = read_history(clone / "content")
    assert not history.available and "fetch-depth: 0" in history.hint
    result = render_files(Options(content=clone / "content", search=False))
    assert any("shallow clone" in w.message for w in result.warnings)

"""Shared fixtures: fixture sites, golden-file comparison, the CLI runner."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output (review the diff!)"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, bytes], None]:
    """Compare bytes with tests/golden/<name>, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, data: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.exists(), f"no golden file {name}; run pytest --update-golden and review it"
        expected = path.read_bytes()
        if expected != data:
            diff = "\n".join(
                difflib.unified_diff(
                    expected.decode("utf-8").splitlines(),
                    data.decode("utf-8").splitlines(),
                    f"golden/{name}",
                    "output",
                    lineterm="",
                    n=2,
                )
            )
            pytest.fail(f"{name} differs from its golden file (pytest --update-golden to accept):\n{diff}")

    return check


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `python -m gongshi ARGS` in a working folder, as staff and CI do."""

    def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run(
            [sys.executable, "-m", "gongshi", *args],
            cwd=cwd or tmp_path,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )

    return run

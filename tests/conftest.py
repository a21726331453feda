"""Shared fixtures: fixture sites, golden-file comparison, the CLI runner, Pagefind.

Pagefind: a test that needs the search binary (what gongshi's `search.find_binary()` finds) takes
the `pagefind` fixture, or carries `@pytest.mark.usefixtures("pagefind")` when it only needs the
binary to be there. `bash scripts/setup` installs Pagefind (npm), so when it is missing those tests
FAIL, in CI and locally alike, with a message saying to run setup. A developer without Pagefind who
wants the rest of the suite opts out explicitly with GONGSHI_TEST_NO_SEARCH=1: those tests are then
skipped, with that reason in the summary. The variable changes nothing when Pagefind is found.
"""

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
NO_SEARCH = "GONGSHI_TEST_NO_SEARCH"  # =1: skip, not fail, the tests needing Pagefind when it is missing

# Staff read gongshi's messages in Chinese unless their locale is English. The suite asserts the
# English ids (the same in every language, what `--format json` calls `id`); tests/test_messages.py
# checks the Chinese, passing `--lang` or its own LANG. Set for this process and every CLI it runs.
os.environ["LANG"] = "en_US.UTF-8"
for _name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)


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


def gongshi_cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m gongshi ARGS` in the working folder `cwd`, as staff and CI do."""
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`gongshi_cli` in the test's own folder unless told another."""

    def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return gongshi_cli(*args, cwd=cwd or tmp_path, stdin=stdin)

    return run


@pytest.fixture(scope="session")
def pagefind() -> Path:
    """The Pagefind binary; without it the test fails (setup installs it), or skips when GONGSHI_TEST_NO_SEARCH=1."""
    from gongshi import search  # imported on use: conftest itself loads for every test, gongshi or not

    binary = search.find_binary()
    if binary is not None:
        return binary
    if os.environ.get(NO_SEARCH) == "1":
        pytest.skip(f"needs Pagefind, which is missing; skipped because {NO_SEARCH}=1")
    pytest.fail(
        "this test needs Pagefind (the search binary) and it was not found: run `bash scripts/setup`"
        " (it installs Pagefind with npm), or set PAGEFIND_BINARY_PATH to a pagefind_extended binary."
        f" To skip the tests needing it instead, set {NO_SEARCH}=1.",
        pytrace=False,
    )

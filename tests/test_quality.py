"""Code quality, checked by the same `pytest` run as everything else.

- ruff: lint rules and formatting over gongshi/, tests/, bench/ and build.py (configured in pyproject.toml);
- mypy: strict type checking of gongshi/ (configured in pyproject.toml);
- size limits on gongshi/, measured with the ast module, so that no module or function grows past what a
  reader takes in at once: a module has fewer than `MODULE_LINES` lines, a function (methods and nested
  functions included; from its `def` line to its last line, decorators excluded) fewer than
  `FUNCTION_LINES`, and at most `PARAMETERS` parameters (self and cls not counted; *args and **kwargs
  count one each).

A failure lists every offender as `path:line name: figure`: split what it names (or fix the lint or
type error) rather than raising a limit.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "gongshi"
CHECKED = ["gongshi", "tests", "bench", "build.py"]  # what ruff checks, relative to the repository root

MODULE_LINES = 350  # a module has fewer lines than this
FUNCTION_LINES = 40  # a function has fewer lines than this
PARAMETERS = 6  # a function has at most this many parameters


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m ARGS` from the repository root, with the test environment's Python."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def _passes(result: subprocess.CompletedProcess[str]) -> None:
    """Fail with the tool's own report (each problem as path:line) unless it exited 0."""
    if result.returncode != 0:
        command = " ".join(["python", *result.args[1:]])
        pytest.fail(f"`{command}` exited {result.returncode}:\n{result.stdout}{result.stderr}", pytrace=False)


def test_ruff_check() -> None:
    """Lint rules (pyproject.toml [tool.ruff.lint]) hold over the code and its tests, benchmarks and build script."""
    _passes(_tool("ruff", "check", "--no-cache", "--output-format=concise", *CHECKED))


def test_ruff_format() -> None:
    """Everything is formatted as `ruff format` would, so diffs hold changes only."""
    _passes(_tool("ruff", "format", "--check", "--no-cache", *CHECKED))


def test_mypy_strict(tmp_path: Path) -> None:
    """gongshi/ type-checks under mypy --strict (pyproject.toml [tool.mypy])."""
    _passes(_tool("mypy", "--cache-dir", str(tmp_path / "mypy-cache")))  # a fresh cache: no clash with other runs


# --- size limits on gongshi/ -------------------------------------------------------------------------------


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _modules() -> list[Path]:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules, f"no Python files under {PACKAGE}"
    return modules


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{line}"


def _functions(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, Function]]:
    """Every function under `node` with its qualified name (`Class.method`, `outer.inner`), nested ones too."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + child.name, child
            yield from _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def _all_functions() -> Iterator[tuple[Path, str, Function]]:
    for path in _modules():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for name, function in _functions(tree):
            yield path, name, function


def _parameters(function: Function) -> int:
    """Parameters as a caller sees them: self/cls not counted, *args and **kwargs one each."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    starred = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return len(positional) + len(arguments.kwonlyargs) + len(starred)


def _none(offenders: list[str], what: str, remedy: str) -> None:
    """Fail listing every offender, one `path:line name: figure` a line, unless there is none."""
    if offenders:
        pytest.fail(f"{len(offenders)} {what}; {remedy}:\n" + "\n".join(offenders), pytrace=False)


def test_modules_are_short() -> None:
    """No module of gongshi/ reaches 350 lines (MODULE_LINES), so each stays one subject a reader takes in."""
    offenders = []
    for path in _modules():
        lines = len(path.read_text("utf-8").splitlines())
        if lines >= MODULE_LINES:
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            offenders.append(f"{_where(path, 1)} {module}: {lines} lines")
    _none(offenders, f"module(s) of gongshi/ with {MODULE_LINES} lines or more", "split them by subject")


def test_functions_are_short() -> None:
    """No function of gongshi/ (methods, nested ones too) reaches 40 lines (FUNCTION_LINES): each fits a screen."""
    offenders = []
    for path, name, function in _all_functions():
        lines = (function.end_lineno or function.lineno) - function.lineno + 1  # `def` line on: no decorators
        if lines >= FUNCTION_LINES:
            offenders.append(f"{_where(path, function.lineno)} {name}: {lines} lines")
    _none(offenders, f"function(s) of gongshi/ with {FUNCTION_LINES} lines or more", "split them into steps")


def test_functions_take_few_parameters() -> None:
    """No function of gongshi/ takes more than 6 parameters (PARAMETERS); beyond, they belong in a dataclass."""
    offenders = []
    for path, name, function in _all_functions():
        count = _parameters(function)
        if count > PARAMETERS:
            offenders.append(f"{_where(path, function.lineno)} {name}: {count} parameters")
    _none(offenders, f"function(s) of gongshi/ with more than {PARAMETERS} parameters", "group them in a dataclass")

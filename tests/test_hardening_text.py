"""Untrusted text, history and the build cache: no input crashes, hangs or corrupts a build (issue 17).

Each case builds a small site in a temporary folder and asserts the exit status is 0, 1 or 2, never
3 (a bug in gongshi). Inputs that used to take quadratic time are run in a child process with a
generous time limit: the fixed code takes well under a second, the old code hours, so the limit
tells them apart on any machine without asserting a duration.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, gongshi_cli

from gongshi.convert import OVERRIDE_RE, Converter

UPDATE = """---
title: 线路开通
date: 2019-07-01
initiatives: [rural-bus]
---
{body}
"""
# Python expressions of the worst inputs for a lazy `-\{(.*?)\}-`: every `-{` scans to the end.
WORST_OVERRIDES = ('"-{" * 200_000', '"-{" * 100_000 + "}-"', '"-{" * 100_000 + "}" * 100_000')


def _site(tmp_path: Path) -> Path:
    """The basic fixture site in `tmp_path`; returns its content folder."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    return tmp_path / "content"


def _build(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = gongshi_cli("build", "--no-search", *args, cwd=tmp_path)
    assert result.returncode in (0, 1, 2), result.stderr
    return result


def _finishes(code: str, seconds: float = 30) -> None:
    """Runs `code` in a child Python; fails when it has not finished in `seconds` (the old,
    quadratic code needs hours on these inputs; the fixed one a fraction of a second)."""
    try:
        subprocess.run([sys.executable, "-c", code], check=True, timeout=seconds, capture_output=True)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {seconds} s: {code}") from None


# --- 1. overrides in linear time -------------------------------------------------------------------


def test_override_scan_is_linear_on_unclosed_markers() -> None:
    """`-{` repeated 200,000 times (with or without a closing `}-`) converts in linear time."""
    for text in WORST_OVERRIDES:
        _finishes(
            "from gongshi.convert import Converter, OVERRIDE_RE\n"
            f"text = {text}\n"
            "Converter().convert(text, 'zh-Hans', 'zh-Hant')\n"
            "OVERRIDE_RE.sub(lambda m: 'x', text)\n"
        )


def test_override_scan_finds_what_the_pattern_found() -> None:
    """The scan cuts overrides exactly where the `-\\{(.*?)\\}-` pattern did."""
    text = "a-{b}-c-{-{d}-e-{}--{f}}-g}--{h"
    found = [(m.start(), m.end(), m.group(0), m.group(1)) for m in OVERRIDE_RE.finditer(text)]
    assert found == [(1, 6, "-{b}-", "b"), (7, 14, "-{-{d}-", "-{d"), (15, 19, "-{}-", ""), (19, 25, "-{f}}-", "f}")]
    assert OVERRIDE_RE.sub(lambda m: m.group(1).upper(), text) == "aBc-{DeF}g}--{h"
    assert Converter().convert("-{发}-" + "-{" * 3, "zh-Hans", "zh-Hant") == "发" + "-{" * 3


def test_update_full_of_override_markers_builds(tmp_path: Path) -> None:
    """An update body of 200,000 `-{` builds (the issue's 40,000 took 44 s, 200,000 over 300 s)."""
    content = _site(tmp_path)
    (content / "updates" / "markers.md").write_text(UPDATE.format(body="-{" * 200_000), "utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "gongshi", "build", "--no-search", "--no-history"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("the build was still running after 60 s") from None
    assert result.returncode == 0, result.stderr

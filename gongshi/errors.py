"""Diagnostics and the exceptions that carry them.

Every problem gongshi finds in content is a `Diagnostic`: a value with a path, a 1-based line and
column, a message, an optional hint and a severity. Stages collect diagnostics instead of raising
at the first one, so that one run reports every mistake in every file.

Exception hierarchy (all derive from `GongshiError`):

- `ContentError`: the content has at least one error-level diagnostic. Carries all of them.
  The command line prints them and exits with status 1.
- `UsageError`: the command line itself is wrong (unknown option, missing folder). Exit status 2.

Anything else that escapes is a bug in gongshi; `cli.main` says so instead of showing a traceback.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from gongshi.i18n import ENGLISH, Messages, msg


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place in one file."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    source_line: str = ""
    # A place that is not a line and column: a spreadsheet cell, `Sheet1!D7`. Shown instead of them.
    cell: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.cell}" if self.cell else f"{self.path}:{self.line}:{self.col}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.message)


class GongshiError(Exception):
    """Base of every error gongshi raises on purpose."""


class ContentError(GongshiError):
    """The content has errors; `diagnostics` holds all of them, warnings included."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        count = sum(d.is_error for d in self.diagnostics)
        super().__init__(f"{count} error(s) in content")

    def __reduce__(self) -> tuple[type[ContentError], tuple[tuple[Diagnostic, ...]]]:
        # A page renders in a worker process for large sites; its error comes back pickled.
        return (ContentError, (self.diagnostics,))


class UsageError(GongshiError):
    """The command line is wrong."""


EXCERPT = 160  # characters of a source line shown around the column: a line never dumps a whole file

# Shown as symbols in an excerpt: C0 and C1 controls (a terminal obeys them), bidirectional overrides
# (they reorder what is shown), surrogates and noncharacters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")

SEVERITY_WORDS = {Severity.ERROR: msg("error"), Severity.WARNING: msg("warning")}
HINT = msg("hint")


def format_gcc(diag: Diagnostic, tr: Messages = ENGLISH) -> str:
    """`path:line:col: error: message`, then the source line with a caret, then the hint, in the
    language of `tr` (the word `error`/`warning` too: editors match `错误`/`警告` as well)."""
    lines = [f"{diag.where}: {tr(SEVERITY_WORDS[diag.severity])}: {tr(diag.message)}"]
    if diag.source_line:
        source, column = excerpt(diag.source_line, diag.col)
        lines.append(f"  {source}")
        lines.append("  " + " " * column + "^")
    if diag.hint:
        lines.append(f"  {tr(HINT)}: {tr(diag.hint)}")
    return "\n".join(lines)


def format_github(diag: Diagnostic, tr: Messages = ENGLISH) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's line."""
    kind = "error" if diag.is_error else "warning"
    text = tr(diag.message) + (f" ({tr(HINT)}: {tr(diag.hint)})" if diag.hint else "")
    return f"::{kind} file={_gh_escape(diag.path, True)},line={diag.line},col={diag.col}::{_gh_escape(text, False)}"


def format_json(diags: Iterable[Diagnostic], tr: Messages = ENGLISH) -> str:
    """One JSON document listing every diagnostic, for scripts: `message` and `hint` in the language
    of `tr`, `id` the English message's template, the same in every language (for matching)."""
    items = [
        {
            "path": d.path,
            "line": d.line,
            "col": d.col,
            **({"cell": d.cell} if d.cell else {}),
            "severity": d.severity.value,
            "message": tr(d.message),
            "hint": tr(d.hint),
            "id": getattr(d.message, "template", d.message),
        }
        for d in diags
    ]
    return json.dumps(items, ensure_ascii=False, indent=2)


def excerpt(line: str, col: int) -> tuple[str, int]:
    """At most `EXCERPT` characters of `line` around `col` (1-based), printable (control characters
    as symbols such as ␁, an ellipsis where the line was cut), and the terminal column of `col` in
    it: full-width characters take two columns, so the caret stays under the right one."""
    at = min(max(col - 1, 0), len(line))
    start = max(0, min(at - EXCERPT // 2, len(line) - EXCERPT))
    end = start + EXCERPT
    text = _UNPRINTABLE.sub(_symbol, ("…" if start else "") + line[start:end] + ("…" if end < len(line) else ""))
    prefix = text[: at - start + (1 if start else 0)]
    return text, sum(2 if _is_wide(ch) else 1 for ch in prefix)


def _symbol(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\t":
        return " "
    if char < " ":
        return chr(0x2400 + ord(char))  # ␀ … ␟
    return "␡" if char == "\x7f" else "\ufffd"


def _gh_escape(text: str, is_property: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")

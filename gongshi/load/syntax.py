"""YAML syntax errors and comments in words staff understand, at the place the mistake really is.

libyaml often notices a mistake one line late (a full-width colon, a missing space after a
colon): the line it reports and the one before are searched for the usual causes first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import msg

if TYPE_CHECKING:  # source.py calls this module: no import at run time
    from gongshi.load.source import Source

_KEY = r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)"
_FULLWIDTH_COLON = re.compile(_KEY + "\\s*：")
_NO_SPACE = re.compile(_KEY + r":(?=[^\s/])")
_SPECIAL_START = re.compile(_KEY + r":\s+([*@`&!%]+)")
_TEXT_AFTER_QUOTE = re.compile(_KEY + r":\s+([\"'])[^\"']*\3(?=[^\s#,\]}])")
# ' #' directly followed by text ("3 #楼") is a number sign cut off as a comment; "x  # note" is a comment.
_SWALLOWED_COMMENT = re.compile(_KEY + r":[ \t]+(?![\"'|>\[{])[^#\n]*?\S[ \t]+(#[^\s#].*)")


def syntax_error(source: Source, exc: yaml.MarkedYAMLError, offset: int) -> Diagnostic:
    """A YAML syntax error in words staff understand, at the place the mistake really is.

    libyaml often notices a mistake one line late (a full-width colon, a missing space after a
    colon): the line it reports and the one before are searched for the usual causes first.
    """
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 if mark else 1) + offset
    for number in (line, line - 1):
        found = _known_mistake(source, number, exc)
        if found is not None:
            return found
    said = exc.problem or ""
    problem: str = _PROBLEMS.get(said) or said or msg("YAML syntax error")
    hint: str = ""
    if "quoted scalar" in (exc.context or "") and exc.context_mark is not None:
        mark = exc.context_mark
        problem = msg("this quoted text is never closed")
        hint = msg("add the closing quote, or remove the opening one")
    elif "mapping values are not allowed" in said:
        hint = msg("a value containing ': ' must be quoted, or a line is indented wrongly")
    elif "could not find expected ':'" in said:
        hint = msg("every line needs 'key: value'; check the previous line's indentation and quotes")
    line = (mark.line + 1 if mark else 1) + offset
    col = mark.column + 1 if mark else 1
    return source.diagnostic(line, col, msg("YAML syntax: {problem}", problem=problem), hint)


# libyaml's words for the syntax errors staff meet most, so that they can be shown translated (the
# English stays libyaml's own).
_PROBLEMS = {
    "mapping values are not allowed in this context": msg("mapping values are not allowed in this context"),
    "could not find expected ':'": msg("could not find expected ':'"),
    "did not find expected key": msg("did not find expected key"),
    "did not find expected '-' indicator": msg("did not find expected '-' indicator"),
    "did not find expected ',' or ']'": msg("did not find expected ',' or '{bracket}'", bracket="]"),
    "did not find expected ',' or '}'": msg("did not find expected ',' or '{bracket}'", bracket="}"),
    "found character that cannot start any token": msg("found character that cannot start any token"),
    "found undefined alias": msg("found undefined alias"),
    "found unexpected end of stream": msg("found unexpected end of stream"),
}


def _known_mistake(source: Source, number: int, exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    """The usual causes of a syntax error, looked for on line `number`."""
    text = source.line(number)
    if "\t" in text[: len(text) - len(text.lstrip())] or ("\t" in text and "tab" in (exc.problem or "")):
        return source.diagnostic(
            number,
            text.index("\t") + 1,
            msg("YAML syntax: a tab character cannot be used here"),
            msg("YAML indents with spaces only; replace the tab with spaces"),
        )
    if match := _FULLWIDTH_COLON.match(text):
        return source.diagnostic(
            number,
            text.index("：") + 1,
            msg("YAML syntax: a full-width colon '：' cannot separate a key from its value"),
            msg("use the half-width colon ':' followed by a space: '{key}: '", key=match.group(2)),
        )
    if match := _NO_SPACE.match(text):
        return source.diagnostic(
            number,
            match.end(2) + 1,
            msg("YAML syntax: the colon after '{key}' needs a space after it", key=match.group(2)),
            msg("write '{key}: ' with a space after the colon", key=match.group(2)),
        )
    return _quoting_mistake(source, number, text)


def _quoting_mistake(source: Source, number: int, text: str) -> Diagnostic | None:
    """The causes of a syntax error in a value that needed quotes, looked for on line `number` (`text`)."""
    if match := _TEXT_AFTER_QUOTE.match(text):
        return source.diagnostic(
            number,
            match.start(3) + 1,
            msg("YAML syntax: text continues after the closing quote"),
            msg("put the whole value in quotes, or use Chinese quotes “” inside the text"),
        )
    if "-{" in text and ("[" in text or "{" in text.split("-{")[0]):
        return source.diagnostic(
            number,
            text.index("-{") + 1,
            # TRANSLATORS: {override} is -{…}-, the conversion's override; {open} and {close} are the braces { }.
            msg(
                "YAML syntax: an override {override} inside a [list] or {open}mapping{close} must be quoted",
                override="-{…}-",
                open="{",
                close="}",
            ),
            msg('put that value in quotes: "{override}"', override="-{…}-"),
        )
    if match := _SPECIAL_START.match(text):
        char = match.group(3)
        return source.diagnostic(
            number,
            match.start(3) + 1,
            msg("YAML syntax: a value starting with '{char}' must be in quotes", char=char[0]),
            msg('put the whole value in quotes: {key}: "{value}..."', key=match.group(2), value=char),
        )
    return None


def swallowed_comments(source: Source, text: str | None, offset: int) -> list[Diagnostic]:
    """Warn where ' #' silently cut a value short (`title: 改造 3 #楼` shows only 改造 3)."""
    out = []
    for number, line in enumerate((source.text if text is None else text).split("\n"), 1 + offset):
        if match := _SWALLOWED_COMMENT.match(line):
            out.append(
                source.diagnostic(
                    number,
                    match.start(3) + 1,
                    msg("text after ' #' is a comment and will not be shown"),
                    msg("if '#' belongs to the text, put the whole value in quotes"),
                    severity=Severity.WARNING,
                )
            )
    return out

"""Reading source files: bytes to text, YAML to values that remember where they came from.

Staff edit these files by hand, often on Windows, so this module accepts a UTF-8 byte-order mark
and CRLF line endings silently, recognises GBK and says so, and loads YAML safely: only the plain
YAML types, no object-constructing tags, a bound on aliases (a "billion laughs" file fails fast)
and a size limit. Values come with the 1-based line and column of every key and value, so that
later stages can point at the exact place of a mistake.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from gongshi.errors import Diagnostic
from gongshi.i18n import msg
from gongshi.load.syntax import swallowed_comments, syntax_error

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 20_000
MAX_DEPTH = 50
MAX_NUMBER = 10**15

Path_ = tuple[str | int, ...]

# Invisible control characters: C0 but tab and newline (CR is a line end), DEL, C1, lone surrogates
# (from a YAML escape) and the noncharacters U+FFFE and U+FFFF. No text needs them, and they make the
# site's feeds and share cards ill-formed XML.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_CONTROL_REPORTS = 10  # lines of one file reported

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {
    f"{_TAG}str",
    f"{_TAG}int",
    f"{_TAG}float",
    f"{_TAG}bool",
    f"{_TAG}null",
    f"{_TAG}timestamp",
    f"{_TAG}seq",
    f"{_TAG}map",
}


@dataclass(frozen=True)
class Source:
    """The text of one file, with the display path used in every message about it."""

    path: str
    text: str

    def line(self, number: int) -> str:
        lines = self.text.split("\n")
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def diagnostic(self, line: int, col: int, message: str, hint: str = "", **kw: Any) -> Diagnostic:
        """A diagnostic at `line:col` of this file, with the source line for the caret."""
        return Diagnostic(self.path, line, col, message, hint, source_line=self.line(line), **kw)


@dataclass(frozen=True)
class Tree:
    """A YAML document as plain values plus the position of every value and key in it."""

    source: Source
    value: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at `path`, or of its nearest ancestor."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1 + self.line_offset, 1))

    def at(self, path: Path_, message: str, hint: str = "", key: bool = False, **kw: Any) -> Diagnostic:
        line, col = self.where(path, key)
        return self.source.diagnostic(line, col, message, hint, **kw)


def decode(data: bytes, path: str, too_large_hint: str = "") -> tuple[Source | None, list[Diagnostic]]:
    """Bytes of a file to its text, with a clear error for a file that is not UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                path,
                1,
                1,
                msg("file is {size:,} bytes; the limit is {limit:,}", size=len(data), limit=MAX_FILE_BYTES),
                too_large_hint,
            )
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            data.decode("gbk")
            hint = msg("this file looks like GBK; save it as UTF-8 (记事本: 另存为 → 编码 UTF-8)")
        except UnicodeDecodeError:
            hint = msg("save the file as UTF-8")
        return None, [Diagnostic(path, line, col, msg("file is not valid UTF-8"), hint)]
    source = Source(path, text.replace("\r\n", "\n").replace("\r", "\n"))
    problems = _controls(source)
    return (None, problems) if problems else (source, [])


def _controls(source: Source) -> list[Diagnostic]:
    """An error at the first control character (`CONTROL`) of each line that has one."""
    found: list[Diagnostic] = []
    text, last = source.text, 0
    for match in CONTROL.finditer(source.text):
        line = text.count("\n", 0, match.start()) + 1
        if line == last:
            continue
        col = match.start() - text.rfind("\n", 0, match.start())
        found.append(source.diagnostic(line, col, control_message(match.group()), _CONTROL_HINT))
        if len(found) == MAX_CONTROL_REPORTS:
            break
        last = line
    return found


def control_message(char: str) -> str:
    return msg("invisible control character {code} in the text", code=f"U+{ord(char):04X}")


_CONTROL_HINT = msg(
    "delete it (it often comes with text pasted from Word, a PDF or a web page): "
    "it would break the site's feeds and share cards"
)


def split_front_matter(source: Source) -> tuple[str, str, int, list[Diagnostic]]:
    """Split `---` front matter from a Markdown body: (front matter, body, body's first line)."""
    lines = source.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return (
            "",
            source.text,
            1,
            [
                source.diagnostic(
                    1,
                    1,
                    msg("missing front matter"),
                    msg("start the file with a line '---', the title, date and initiatives, then '---'"),
                )
            ],
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2, []
    return (
        "",
        "",
        1,
        [
            source.diagnostic(
                1, 1, msg("front matter is not closed"), msg("add a line '---' after the last front matter line")
            )
        ],
    )


def parse_yaml(source: Source, text: str | None = None, line_offset: int = 0) -> tuple[Tree | None, list[Diagnostic]]:
    """Parse one YAML document safely; `line_offset` places front matter inside its file."""
    try:
        node = yaml.compose(source.text if text is None else text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_error(source, exc, line_offset)]
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        return None, [source.diagnostic(1 + line_offset, 1, msg("YAML error: {error}", error=str(exc)))]
    builder = _Builder(source, line_offset)
    if node is None:
        return Tree(source, None, line_offset=line_offset), []
    try:
        value = builder.build(node, ())
    except _Abort as abort:
        return None, [abort.diagnostic]
    tree = Tree(source, value, builder.positions, builder.key_positions, line_offset)
    return tree, builder.diagnostics + swallowed_comments(source, text, line_offset)


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


class _Builder:
    """Turns composed YAML nodes into plain values, recording positions and duplicate keys."""

    def __init__(self, source: Source, line_offset: int) -> None:
        self.source = source
        self.offset = line_offset
        self.count = 0
        self.active: set[int] = set()
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> _Abort:
        line, col = self.pos(node)
        return _Abort(self.source.diagnostic(line, col, message, hint))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                msg("file holds more than {limit:,} values", limit=MAX_NODES),
                msg("YAML aliases (*name) may be expanding the file; write the values out"),
            )
        if node.tag not in _PLAIN_TAGS:
            tag = "!!" + node.tag[len(_TAG) :] if node.tag.startswith(_TAG) else node.tag
            raise self.fail(
                node,
                msg("YAML tag '{tag}' is not allowed", tag=tag),
                msg("remove the '!' tag; gongshi reads plain text, numbers, lists and mappings"),
            )
        if len(path) > MAX_DEPTH:
            raise self.fail(
                node,
                msg("values are nested more than {limit} levels deep", limit=MAX_DEPTH),
                msg("check the indentation and the brackets {brackets}", brackets="[ ] { }"),
            )
        self.positions[path] = self.pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise self.fail(node, msg("a YAML alias refers to itself"))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag[len(_TAG) :]
        if tag in ("str", "timestamp"):
            # Timestamps stay text: gongshi parses dates itself, with its own messages.
            text = str(node.value)
            control = CONTROL.search(text)
            if control is not None:  # written as an escape ("\x01"): decode let the file through
                hint = msg("remove the escape that writes it (such as \\x01 or \\u0001)")
                self.diagnostics.append(self.source.diagnostic(*self.pos(node), control_message(control.group()), hint))
            return text
        if tag == "null":
            return None
        try:
            value = {
                "int": _SCALAR.construct_yaml_int,
                "float": _SCALAR.construct_yaml_float,
                "bool": _SCALAR.construct_yaml_bool,
            }[tag](node)
            if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf: no figure of a report
                raise ValueError(node.value)
        except (ValueError, IndexError, KeyError):
            raise self.fail(
                node,
                msg("'{value}' is not a valid {type}", value=str(node.value)[:40], type=tag),
                msg("write the number in digits, or put text in quotes"),
            ) from None
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise self.fail(
                node, msg("number is too large"), msg("numbers up to {limit:,} are accepted", limit=MAX_NUMBER)
            )
        return value

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Hashable, Any]:
        result: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, msg("a key must be plain text"), msg("write the key as a word"))
            key = self.scalar(key_node)
            key = key if isinstance(key, str) else str(key_node.value)
            if key in result:
                first = self.key_positions[(*path, key)][0]
                line, col = self.pos(key_node)
                self.diagnostics.append(
                    self.source.diagnostic(
                        line,
                        col,
                        msg("duplicate key '{key}' (first on line {line})", key=key, line=first),
                        msg("keep one of them; the second would silently replace the first"),
                    )
                )
                continue
            self.key_positions[(*path, key)] = self.pos(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

"""Markdown for update narratives: markdown-it-py configured once, safe by default.

A body is parsed once and rendered once per edition; the edition's text function is applied to
text and image descriptions only, so code, URLs and attributes are never converted. Raw HTML is
shown as text, and only web, mail and relative links become links: `javascript:`, `data:`,
`vbscript:` and every other scheme render as plain text.

A site that sets `allow_html: true` gets raw HTML through an allow-list sanitiser (nh3, the
bindings of the Rust `ammonia` crate): listed tags and attributes only, http(s) and mailto URLs
only. Text inside raw HTML is not converted between the scripts. Pictures never come from
another host (a reader's browser would ask that host for them): a Markdown image from one becomes
a link to it, and a raw `<img>` whose `src` is not on the site (relative, or from the site's
root) loses its `src`, so the browser shows its `alt` text; write the Markdown image to get the link.

A body is limited by its structure, not only by the file's size: markdown-it makes a token for
every line, link, emphasis and table cell, and a megabyte of them costs seconds and hundreds of
megabytes per parse. `structure_errors` refuses, at the line where a limit is crossed, a body with
more than `MAX_LINES` lines, `MAX_MARKS` Markdown marks or `MAX_TABLE_CELLS` table cells: a
hundred times what a long real narrative has. Nesting is cut by markdown-it itself (`maxNesting`,
20 in the CommonMark preset): deeper quotes, lists and brackets are read as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from gongshi.errors import Diagnostic
from gongshi.i18n import msg
from gongshi.model import Body
from gongshi.vocabulary import HAN_RANGES

TextFn = Callable[[str], str]
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_EXTERNAL_RE = re.compile(r"^https?://", re.IGNORECASE)
# A bare URL inside text, up to a space, Chinese punctuation or a Han character (请登录
# https://zwfw.gov.cn办理: the URL ends before 办理): never converted between scripts.
BARE_URL_RE = re.compile(rf"https?://[^\s<>()\[\]，。；：！？、“”‘’（）【】《》{HAN_RANGES}]+")
MAX_LINES = 20_000
MAX_MARKS = 20_000
MAX_TABLE_CELLS = 10_000
# What makes markdown-it push a token or a delimiter to pair: a run of emphasis or code marks, a
# link or image opener, an HTML tag or autolink, an entity, an escape.
_MARK_RE = re.compile(r"[*_~`]+|[\[<&\\]")


def _cleaned(url: str) -> str:
    """The URL as a browser reads it: spaces and control characters inside a scheme are ignored."""
    return "".join(ch for ch in url if ch > " " and ch != "\x7f")


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto, fragment and relative URLs; never javascript:, data:, vbscript:.

    Browsers ignore spaces and control characters inside a scheme (`java\tscript:`), so they are
    dropped before the scheme is read. Protocol-relative URLs (`//host`) are refused as well.
    """
    cleaned = _cleaned(url)
    if not cleaned or cleaned.replace("\\", "/").startswith("//") or cleaned.startswith("/\\"):
        return False  # //host, \\host and /\host all lead browsers to another host
    match = _SCHEME_RE.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def is_local_url(url: str) -> bool:
    """True for a URL on the site itself (relative, from its root, a fragment): no other host."""
    return is_safe_url(url) and _SCHEME_RE.match(_cleaned(url)) is None


ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title", "class"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class Parsed:
    """Tokens of one Markdown body, ready to render in any edition."""

    tokens: Sequence[Token]
    allow_html: bool = False


def _make(html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = is_safe_url  # type: ignore[method-assign]  # markdown-it's documented hook
    md.add_render_rule("text", _render_text)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def parse(markdown: str, allow_html: bool = False) -> Parsed:
    """Parse a body once; `token.map` lines are relative to the body's first line."""
    md = _MD_HTML if allow_html else _MD
    return Parsed(tuple(md.parse(markdown)), allow_html)


def render(parsed: Parsed, text_fn: TextFn) -> str:
    """HTML of a parsed body, with `text_fn` applied to reader-facing text."""
    env: dict[str, Any] = {"text_fn": text_fn}
    md = _MD_HTML if parsed.allow_html else _MD
    html = str(md.renderer.render(list(parsed.tokens), md.options, env))
    if parsed.allow_html:
        html = nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
            strip_comments=True,
            attribute_filter=_url_filter,
        )
    return html


def structure_errors(body: Body) -> list[Diagnostic]:
    """A body markdown-it would take seconds and hundreds of megabytes to parse, refused at the line
    where it crosses a limit (`MAX_LINES`, `MAX_MARKS`, `MAX_TABLE_CELLS`): one scan, linear."""
    lines = body.markdown.split("\n")
    split = msg("split the text into several updates")
    found = []
    if len(lines) > MAX_LINES:
        found.append((MAX_LINES, msg("this text has more than {limit:,} lines", limit=MAX_LINES), split))
    marks = _crossing((len(_MARK_RE.findall(line)) for line in lines), MAX_MARKS)
    if marks is not None:
        message = msg("this text has more than {limit:,} Markdown marks (links, emphasis, code, HTML)", limit=MAX_MARKS)
        found.append((marks, message, split))
    table = _table_crossing(lines)
    if table is not None:
        message = msg("the tables of this text have more than {limit:,} cells", limit=MAX_TABLE_CELLS)
        found.append((table, message, msg("publish the figures as a file and link to it, or split the table")))
    return [
        Diagnostic(body.origin.path, body.line + index, 1, message, hint, source_line=lines[index][:80])
        for index, message, hint in found
    ]


def _crossing(counts: Iterable[int], limit: int) -> int | None:
    """The index at which the running total of `counts` passes `limit`."""
    total = 0
    for index, count in enumerate(counts):
        total += count
        if total > limit:
            return index
    return None


def _table_crossing(lines: Sequence[str]) -> int | None:
    """The first line of the table that brings the cells of all tables past `MAX_TABLE_CELLS`.

    A table is a line with `|` over a delimiter row (`| --- | :-: |`) and the lines up to the next
    blank one; markdown-it gives every row the header's columns, so its cells are columns × rows."""
    cells, index = 0, 1
    while index < len(lines):
        row = lines[index]
        if "|" in lines[index - 1] and "|" in row and "-" in row and not row.strip(" \t|:-"):
            start, columns = index - 1, row.count("|") + 1
            while index + 1 < len(lines) and lines[index + 1].strip():
                index += 1
            cells += columns * (index - start)
            if cells > MAX_TABLE_CELLS:
                return start
        index += 1
    return None


def plain_text(parsed: Parsed, text_fn: TextFn) -> str:
    """The body's words without markup (feeds, search, summaries)."""
    words: list[str] = []
    for token in parsed.tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(text_fn(child.content) if child.type == "text" else child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type in ("paragraph_close", "heading_close", "list_item_close"):
            words.append("\n")
    return re.sub(r"\n{2,}", "\n", "".join(words)).strip()


def convert_text(text: str, text_fn: TextFn) -> str:
    """`text_fn` applied to text, but not to the URLs written in it."""
    out, pos = [], 0
    for match in BARE_URL_RE.finditer(text):
        out += [text_fn(text[pos : match.start()]), match.group(0)]
        pos = match.end()
    out.append(text_fn(text[pos:]))
    return "".join(out)


def _url_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3 keeps scheme-less URLs such as //host; gongshi's own URL policy decides those too, and
    a picture's `src` must be on the site (another host would be a third-party request)."""
    if attribute in ("href", "src") and not is_safe_url(value):
        return None
    if tag == "img" and attribute == "src" and not is_local_url(value):
        return None
    return value


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    content = tokens[idx].content
    if idx and tokens[idx - 1].type == "link_open" and tokens[idx - 1].markup == "autolink":
        return escapeHtml(content)  # <https://…> shows its URL: never converted
    return escapeHtml(convert_text(content, env["text_fn"]))


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    alt = env["text_fn"](self.renderInlineAsText(token.children or [], options, env))
    src = str(token.attrGet("src") or "")
    if not is_local_url(src):
        # A picture from another host would be a third-party request: link to it instead.
        return f'<a href="{escapeHtml(src)}" rel="noopener noreferrer">{escapeHtml(alt or src)}</a>'
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(env["text_fn"](str(title)))}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} loading="lazy">'


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    title = token.attrGet("title")
    if title:
        token.attrSet("title", env["text_fn"](str(title)))
    if _EXTERNAL_RE.match(str(token.attrGet("href") or "")):
        token.attrSet("rel", "noopener noreferrer")
    return str(self.renderToken(tokens, idx, options, env))


def _render_table_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    # Wide tables scroll inside their own box instead of widening the page on a phone.
    return '<div class="table-wrap">' + str(self.renderToken(tokens, idx, options, env))


def _render_table_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    return str(self.renderToken(tokens, idx, options, env)) + "</div>"


_MD = _make(html=False)
_MD_HTML = _make(html=True)

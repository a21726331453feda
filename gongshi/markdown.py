"""Markdown for update narratives: markdown-it-py configured once, safe by default.

A body is parsed once and rendered once per edition; the edition's text function is applied to
text and image descriptions only, so code, URLs and attributes are never converted. Raw HTML is
shown as text, and only web, mail and relative links become links: `javascript:`, `data:`,
`vbscript:` and every other scheme render as plain text.

A site that sets `allow_html: true` gets raw HTML through an allow-list sanitiser (nh3, the
bindings of the Rust `ammonia` crate): listed tags and attributes only, http(s) and mailto URLs
only. Text inside raw HTML is not converted between the scripts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from gongshi.vocabulary import HAN_RANGES

TextFn = Callable[[str], str]
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_EXTERNAL_RE = re.compile(r"^https?://", re.IGNORECASE)
# A bare URL inside text, up to a space, Chinese punctuation or a Han character (请登录
# https://zwfw.gov.cn办理: the URL ends before 办理): never converted between scripts.
BARE_URL_RE = re.compile(rf"https?://[^\s<>()\[\]，。；：！？、“”‘’（）【】《》{HAN_RANGES}]+")


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto, fragment and relative URLs; never javascript:, data:, vbscript:.

    Browsers ignore spaces and control characters inside a scheme (`java\tscript:`), so they are
    dropped before the scheme is read. Protocol-relative URLs (`//host`) are refused as well.
    """
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    if not cleaned or cleaned.replace("\\", "/").startswith("//") or cleaned.startswith("/\\"):
        return False  # //host, \\host and /\host all lead browsers to another host
    match = _SCHEME_RE.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


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
    """nh3 keeps scheme-less URLs such as //host; gongshi's own URL policy decides those too."""
    if attribute in ("href", "src") and not is_safe_url(value):
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
    if _EXTERNAL_RE.match(src):
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

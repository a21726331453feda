"""Hypothesis strategies shared by the tests: Han text, mixed text, overrides, Markdown, URLs.

Everything here is built from the standard library and gongshi's own rule tables; nothing reads
outside the repository.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from hypothesis import strategies as st

from gongshi.convert import default_rules


def is_han(ch: str) -> bool:
    """True for a CJK unified or compatibility ideograph (any block, assigned or not)."""
    cp = ord(ch)
    if 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF:
        return True
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def _decode_table(leads: range, trails: list[int], codec: str) -> str:
    chars: list[str] = []
    for lead in leads:
        for trail in trails:
            try:
                ch = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and is_han(ch):
                chars.append(ch)
    return "".join(dict.fromkeys(chars))


@cache
def common_hans() -> str:
    """GB2312 level 1: the 3,755 most common Simplified characters."""
    return _decode_table(range(0xB0, 0xD8), list(range(0xA1, 0xFF)), "gb2312")


@cache
def common_hant() -> str:
    """Big5 level 1 (A440-C67E): the 5,401 most common Traditional characters."""
    chars = _decode_table(range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], "big5")
    return chars[: chars.index(bytes([0xC6, 0x7E]).decode("big5")) + 1]


# Characters and words that the rules and the seed errors are about, drawn often so that the
# properties exercise the rule paths and not only OpenCC.
TRICKY_HANS = "余于范钟姜谷涂蒙游周胡郁卜朴里征发干后系面只台云松布复历"
TRICKY_HANT = "著着裡裏羣群衆眾衞衛綫線爲為峯峰麪麵牀床啓啟說説內内溫温"


@cache
def _rule_words() -> tuple[str, ...]:
    rules = default_rules()
    words = {*rules.units, *rules.titles, *rules.roles, *(k for k, _ in rules.phrases)}
    return tuple(sorted(words))


def han_chars(alphabet: str) -> st.SearchStrategy[str]:
    return st.sampled_from(alphabet)


def hans_text(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """Simplified Han-only text: common characters, the rules' characters and whole rule words."""
    piece = st.one_of(
        han_chars(common_hans()),
        han_chars(TRICKY_HANS),
        st.sampled_from(_rule_words()),
    )
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join).filter(lambda s: len(s) >= min_size)


def common_hans_text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Han-only text drawn from common Simplified characters only."""
    return st.text(alphabet=common_hans(), min_size=min_size, max_size=max_size)


def common_hant_text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Han-only text drawn from common Traditional characters (and the seed's variant forms)."""
    return st.text(alphabet=common_hant() + TRICKY_HANT, min_size=min_size, max_size=max_size)


def non_han_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text without a Han character and without an override opener `-{`."""
    chars = st.characters(codec="utf-8").filter(lambda ch: not is_han(ch))
    return st.text(alphabet=chars, max_size=max_size).filter(lambda s: "-{" not in s)


_PUNCT = "，。、；：？！“”‘’（）《》…— 0123456789abcXYZ%-"


def mixed_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Han text of either script mixed with punctuation, digits, Latin and stray symbols."""
    piece = st.one_of(
        hans_text(min_size=1, max_size=4),
        han_chars(common_hant() + TRICKY_HANT),
        st.sampled_from(_PUNCT),
        st.characters(codec="utf-8"),
    )
    return st.lists(piece, max_size=max_size).map("".join).filter(lambda s: "-{" not in s)


# The documented variant syntax: every `;`-separated part is `zh-hans:...` or `zh-hant:...`.
_VARIANT_PART = re.compile(r"^\s*zh-han[st]\s*:", re.IGNORECASE)


def is_variant_body(body: str) -> bool:
    return all(_VARIANT_PART.match(part) for part in body.split(";"))


def override_body(max_size: int = 20) -> st.SearchStrategy[str]:
    """X such that `-{X}-` is a keep-as-written override: no `-{`, no `}-`, not variant syntax."""
    chars = st.one_of(
        han_chars(common_hans()),
        han_chars(TRICKY_HANS + TRICKY_HANT),
        st.sampled_from(_PUNCT + ";:{}"),
        st.characters(codec="utf-8"),
    )
    return (
        st.lists(chars, max_size=max_size)
        .map("".join)
        .filter(lambda s: "-{" not in s and "}-" not in s and not is_variant_body(s))
    )


def brace_free(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text with no `{` or `}`, so that it can sit next to override markers unambiguously."""
    return strategy.filter(lambda s: "{" not in s and "}" not in s)


# --- Markdown ---------------------------------------------------------------------------------

_URL_ASCII = "abcdefghijklmnopqrstuvwxyz0123456789-_."


def url_part(max_size: int = 8, han: bool = True) -> st.SearchStrategy[str]:
    alphabet = (common_hans() + TRICKY_HANS if han else "") + _URL_ASCII
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size)


@st.composite
def urls(draw: st.DrawFn, han: bool = True) -> str:
    """https URLs whose path and query carry Simplified characters (https://example.org/路径?q=发),
    or with `han=False` ASCII only, as a bare URL in text is written (it ends at the first Han
    character: 请登录https://zwfw.gov.cn办理)."""
    path = "/".join(draw(st.lists(url_part(han=han), min_size=1, max_size=3)))
    query = draw(st.one_of(st.just(""), url_part(han=han).map(lambda q: f"?q={q}")))
    return f"https://example.org/{path}{query}"


def code_content(max_size: int = 12) -> st.SearchStrategy[str]:
    """What goes between backticks: Han, Latin and inner spaces (never at the ends)."""
    alphabet = common_hans() + TRICKY_HANS + 'abcxyz019 _*[]()<>&"'
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size).filter(
        lambda s: s.strip() == s and s.strip() != ""
    )


def md_plain(max_size: int = 10) -> st.SearchStrategy[str]:
    """Reader text with no Markdown syntax in it: Han and Chinese punctuation."""
    return st.text(alphabet=common_hans() + TRICKY_HANS + "，。、；：？！", min_size=1, max_size=max_size)


@st.composite
def md_fragment(draw: st.DrawFn, bare_urls: bool = False) -> tuple[str, str, str]:
    """(kind, markdown, payload): plain text, a link `[text](url)`, a code span `` `code` `` or,
    with `bare_urls`, a bare URL ended by a space, Chinese punctuation or a Han character."""
    kinds = ["text", "link", "code", *(["bare"] if bare_urls else [])]
    kind = draw(st.sampled_from(kinds))
    if kind == "text":
        text = draw(md_plain())
        return kind, text, text
    if kind == "link":
        url = draw(urls())
        return kind, f"[{draw(hans_text(min_size=1, max_size=6))}]({url})", url
    if kind == "bare":
        url = draw(urls(han=False))
        return kind, url + draw(st.sampled_from([" ", "，", "。", "；", "办理"])), url
    code = draw(code_content())
    return kind, f"`{code}`", code


MdLine = tuple[str, list[tuple[str, str, str]]]


@st.composite
def md_line(draw: st.DrawFn, bare_urls: bool = False) -> MdLine:
    """One line of Markdown narrative and the fragments it was built from."""
    fragments = draw(st.lists(md_fragment(bare_urls), min_size=1, max_size=6))
    parts: list[str] = []
    for i, (kind, markdown, _) in enumerate(fragments):
        if i:
            sep = draw(st.sampled_from(["", " "]))
            if kind == "code" and fragments[i - 1][0] == "code":
                sep = " "  # two code spans must not touch: `a``b` is one span
            parts.append(sep)
        parts.append(markdown)
    return "".join(parts), fragments


@st.composite
def md_document(draw: st.DrawFn) -> MdLine:
    """A few paragraphs of md_line, with all their fragments in order."""
    lines = draw(st.lists(md_line(), min_size=1, max_size=4))
    return "\n\n".join(line for line, _ in lines), [f for _, frags in lines for f in frags]

"""Simplified ↔ Traditional conversion: OpenCC plus what OpenCC cannot know.

A text is cut into segments, left to right, and each segment is converted by one of:

1. an inline override (MediaWiki's syntax): `-{清姜}-` stays as written in every edition,
   `-{zh-hans:里;zh-hant:裏}-` gives each edition its own text; the markers never reach a page;
2. the glossary (the site's `content/glossary.yaml`, then gongshi's defaults in
   `data/conversion.yaml`): whole phrases, longest first, in both directions;
3. rules for classes of error that no phrase list can enumerate: surnames before a title or
   after a role word (余主任, 作家余华), and 里 meaning "inside" before a word that itself starts
   with 里 (学校里程序);
4. OpenCC for everything else, with the configured standard: `s2tw` (default), `s2hk` or `s2t`
   towards Traditional, `t2s` towards Simplified. Never `s2twp`: mainland vocabulary
   (项目, 信息, 视频) stays mainland vocabulary.

Everything here is pure: no file is read after the tables are loaded, and the same input always
gives the same output. `Converter.segments` exposes the cut, for the review report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import opencc
import yaml

from gongshi.model import LANGS, Content, Lang
from gongshi.resources import builtin_path
from gongshi.vocabulary import HAN, HAN_RANGES

STANDARDS = ("s2tw", "s2hk", "s2t")
Kind = Literal["engine", "glossary", "rule", "override", "same"]

OVERRIDE_RE = re.compile(r"-\{(.*?)\}-", re.DOTALL)
_VARIANT_RE = re.compile(r"^\s*(zh-han[st])\s*:(.*)$", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of a converted text: what was written, what was produced, and by what."""

    start: int
    written: str  # the slice of the text as written
    output: str
    kind: Kind


@dataclass(frozen=True)
class Rules:
    """gongshi's default conversion knowledge (see `data/conversion.yaml`)."""

    phrases: tuple[tuple[str, str], ...]
    units: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]
    titles: tuple[str, ...]
    roles: tuple[str, ...]
    role_surnames: str
    after_name: str
    boundary_surnames: str
    name_boundary: str
    locative_after: str
    locative_not_before: str
    locative_as_in: str


@cache
def default_rules() -> Rules:
    """The rules shipped with gongshi, read once per process."""
    data: dict[str, Any] = yaml.safe_load(builtin_path("data", "conversion.yaml").read_text("utf-8"))
    return Rules(
        phrases=tuple((str(k), str(v)) for k, v in data["phrases"].items()),
        units=tuple(data["units"]),
        surnames=tuple(data["surnames"].items()),
        titles=tuple(data["titles"]),
        roles=tuple(data["roles"]),
        role_surnames=data["role_surnames"],
        after_name=data["after_name"],
        boundary_surnames=data["boundary_surnames"],
        name_boundary=data["name_boundary"],
        locative_after=data["locative"]["after"],
        locative_not_before=data["locative"]["not_before"],
        locative_as_in=data["locative"]["as_in"],
    )


@cache
def engine(config: str) -> Any:
    """The OpenCC converter for one configuration, loaded once per process."""
    return opencc.OpenCC(f"{config}.json")


class _Engine:
    """One OpenCC configuration; `residual` then converts characters it left alone.

    Traditional texts come in Taiwan, Hong Kong and older forms (著/着, 衞/衛, 羣/群). tw2s
    knows the Taiwan ones; the Hong Kong variants it leaves (衞) are converted afterwards one
    character at a time, and only those: running hk2s over the whole text would undo phrases
    tw2s converted on purpose (乾縣 → 乾县, not 干县).
    """

    def __init__(self, config: str, residual: str | None = None) -> None:
        self._engine = engine(config)
        self._table = _residual_table(config, residual) if residual else {}

    def convert(self, text: str) -> str:
        out: str = self._engine.convert(text)
        return out.translate(self._table) if self._table else out


@cache
def _residual_table(config: str, residual: str) -> dict[int, str]:
    """Characters `config` leaves alone and `residual` converts (衞 → 卫), as a str.translate table.

    Found once by converting every CJK character one at a time with both configurations.
    """
    blocks = [range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00), range(0x20000, 0x2A6E0)]
    chars = "\n".join(chr(c) for block in blocks for c in block)
    own, other = engine(config).convert(chars).split("\n"), engine(residual).convert(chars).split("\n")
    return {ord(c): b for c, a, b in zip(chars.split("\n"), own, other, strict=True) if a == c and b != c}


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def _alternation(words: Sequence[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered) or "(?!)"


class Converter:
    """Converts text between the editions with one glossary and one Traditional standard.

    Build one per site and reuse it: conversion results are memoised, since the same interface
    strings and names recur on every page.
    """

    @classmethod
    def for_content(cls, content: Content) -> Converter:
        """The converter of a site: its glossary, its Traditional standard (`conversion:` in site.yaml)."""
        return cls(tuple((e.hans, e.hant) for e in content.glossary), content.config.conversion)

    def __reduce__(self) -> tuple[type[Converter], tuple[tuple[tuple[str, str], ...], str, Rules]]:
        """Sent to a render worker as its settings; the worker builds its own engines and memo."""
        return (Converter, (self.glossary, self.standard, self.rules))

    def __init__(
        self, glossary: Sequence[tuple[str, str]] = (), standard: str = "s2tw", rules: Rules | None = None
    ) -> None:
        if standard not in STANDARDS:
            raise ValueError(f"unknown conversion standard {standard!r}; use one of {STANDARDS}")
        self.standard = standard
        self.glossary = tuple(glossary)
        self.rules = rules or default_rules()
        self._to_hant = _Engine(standard)
        self._to_hans = _Engine("tw2s", residual="hk2s")
        # Site entries win over defaults for the same phrase.
        pairs = dict(self.rules.phrases)
        pairs.update(glossary)
        self._hant_pairs = pairs
        self._hans_pairs: dict[str, str] = {}
        for hans, hant in pairs.items():
            self._hans_pairs.setdefault(hant, hans)
        self._locative = self._to_hant.convert(self.rules.locative_as_in)[-1]
        self._surnames = dict(self.rules.surnames)
        self._units = frozenset(self.rules.units)
        rules = self.rules
        free = "".join(s for s in self._surnames if s not in rules.boundary_surnames)
        titles = f"(?=(?:{_alternation(rules.titles)}))"
        # Every alternative starts with one of these characters: a look-ahead on them lets the regex
        # skip most positions at once (3-4x faster on long text, same matches).
        starts = {w[0] for w in (*pairs, *rules.units, *rules.roles)} | set(self._surnames) | {"里"}
        self._to_hant_re = re.compile(
            f"(?=[{''.join(sorted(re.escape(c) for c in starts))}])"
            f"(?:(?P<glossary>{_alternation(list(pairs))})"
            f"|(?P<unit>{_alternation(rules.units)})"
            f"|(?<![0-9十百千万亿两几多])(?P<st>[{free}]){titles}"
            f"|(?:(?<=[{rules.name_boundary}])|(?<![{HAN_RANGES}]))(?P<sb>[{rules.boundary_surnames}]){titles}"
            f"|(?P<role>{_alternation(rules.roles)})(?P<rs>[{rules.role_surnames}])"
            f"(?=[{HAN_RANGES}]{{1,2}}(?:[{rules.after_name}]|[^{HAN_RANGES}]|$))"
            f"|(?<=[{rules.locative_after}])(?P<loc>里)(?![{rules.locative_not_before}]))"
        )
        self._to_hans_re = re.compile(f"(?P<glossary>{_alternation(list(self._hans_pairs))})")
        self._memo: dict[tuple[str, str, str], str] = {}

    def convert(self, text: str, from_lang: Lang, target: Lang) -> str:
        """`text` written in `from_lang`, as it should read in the `target` edition."""
        key = (text, from_lang, target)
        cached = self._memo.get(key)
        if cached is None:
            cached = "".join(seg.output for seg in self.segments(text, from_lang, target))
            self._memo[key] = cached
        return cached

    def segments(self, text: str, from_lang: Lang, target: Lang) -> Iterator[Segment]:
        """The cut of `text` into overrides, glossary phrases, rule matches and engine text."""
        pos = 0
        for match in OVERRIDE_RE.finditer(text):
            yield from self._plain(text[pos : match.start()], pos, from_lang, target)
            yield Segment(match.start(), match.group(0), self._override(match.group(1), from_lang, target), "override")
            pos = match.end()
        yield from self._plain(text[pos:], pos, from_lang, target)

    def _override(self, inner: str, from_lang: Lang, target: Lang) -> str:
        variants: dict[str, str] = {}
        for part in inner.split(";"):
            match = _VARIANT_RE.match(part)
            if match is None:
                return inner  # -{text}-: keep as written in every edition
            lang = next(x for x in LANGS if x.lower() == match.group(1).lower())
            variants[lang] = match.group(2)
        if target in variants:
            return variants[target]
        other, value = next(iter(variants.items()))
        return self.convert(value, other, target)  # type: ignore[arg-type]

    def _plain(self, text: str, offset: int, from_lang: Lang, target: Lang) -> Iterator[Segment]:
        if not text:
            return
        if from_lang == target or not has_han(text):
            yield Segment(offset, text, text, "same")
            return
        to_hant = target == "zh-Hant"
        pattern = self._to_hant_re if to_hant else self._to_hans_re
        engine = self._to_hant if to_hant else self._to_hans
        pos = 0
        pending = 0  # start of text not yet converted
        while True:
            match = pattern.search(text, pos)
            if match is None:
                break
            if to_hant and match.group("role") and self._is_word(text, match.start("rs")):
                pos = match.start("rs")  # the "name" is a word (农民谷物, 教师范读): rescan from there
                continue
            if pending < match.start():
                piece = text[pending : match.start()]
                yield Segment(offset + pending, piece, engine.convert(piece), "engine")
            yield from self._matched(match, offset, to_hant, engine)
            pos = pending = match.end()
        if pending < len(text):
            piece = text[pending:]
            yield Segment(offset + pending, piece, engine.convert(piece), "engine")

    def _is_word(self, text: str, index: int) -> bool:
        """Whether the character at `index` belongs to a listed word with its neighbour."""
        return text[index : index + 2] in self._units or text[index - 1 : index + 1] in self._units

    def _matched(self, match: re.Match[str], offset: int, to_hant: bool, engine: _Engine) -> Iterator[Segment]:
        start, word = offset + match.start(), match.group(0)
        if match.group("glossary"):
            pairs = self._hant_pairs if to_hant else self._hans_pairs
            yield Segment(start, word, pairs[word], "glossary")
        elif match.group("unit"):
            yield Segment(start, word, engine.convert(word), "engine")
        elif match.group("st") or match.group("sb"):
            yield Segment(start, word, self._surnames[word], "rule")
        elif match.group("role"):
            role, surname = match.group("role"), match.group("rs")
            yield Segment(start, role, engine.convert(role), "engine")
            yield Segment(start + len(role), surname, self._surnames[surname], "rule")
        else:  # locative 里
            yield Segment(start, word, self._locative, "rule")

    def engine_only(self, text: str, from_lang: Lang, target: Lang) -> str:
        """What bare OpenCC would give: used to find glossary entries that change nothing."""
        if from_lang == target:
            return text
        return (self._to_hant if target == "zh-Hant" else self._to_hans).convert(text)

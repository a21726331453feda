"""Simplified ↔ Traditional conversion: OpenCC, then what OpenCC cannot know.

A text is first cut at its inline overrides (MediaWiki's syntax): `-{清姜}-` stays as written in
every edition, `-{zh-hans:里;zh-hant:裏}-` gives each edition its own text; the markers never
reach a page. Every other piece is converted whole by OpenCC with the configured standard
(`s2tw`, the default, `s2hk` or `s2t` towards Traditional; `tw2s`, then Hong Kong variants,
towards Simplified; never `s2twp`: mainland vocabulary stays mainland vocabulary). Quotation
marks follow the standard: “”‘’ become 「」『』 for Taiwan and Hong Kong, and back towards
Simplified (inside `-{…}-`, code and URLs nothing is converted). Decisions are
then laid over the engine's output (`overlay`), weakest first, each replacing what it overlaps:

1. word boundaries (`words`): where a phrase of the engine crossed from one word into the next
   (统一|出台, not 一出 → 一齣), the word converted on its own;
2. person names (towards Traditional): name characters keep their form (余昕, 游志坚);
3. the standard's forms (`standard_forms` in `data/conversion.yaml`): the Ministry of
   Education's and the legal unified forms for Taiwan (發布, 公布, 計畫, 夥伴, 銷毀);
4. gongshi's rules: surnames before a title or after a role word (余主任, 作家余华), 里 meaning
   "inside" (学校里程序);
5. gongshi's phrases (`data/conversion.yaml`);
6. the site's glossary (`content/glossary.yaml`): the last word, in both directions.

Everything here is pure: no file is read after the tables are loaded, and the same input always
gives the same output. `Converter.segments` exposes the pieces and what decided each, for the
review report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from gongshi.convert.engine import Engine, engine, forms
from gongshi.convert.overlay import Fix, Kind, Segment, overlay
from gongshi.convert.rules import NameRules, Phrases, Rules, default_rules
from gongshi.convert.words import Names, Repairs, merged_forms, words_of
from gongshi.model import LANGS, Content, Lang
from gongshi.vocabulary import HAN

__all__ = [
    "CORNER_QUOTES",
    "CURLY_QUOTES",
    "OVERRIDE_RE",
    "REGIONAL",
    "STANDARDS",
    "Converter",
    "Kind",
    "Rules",
    "Segment",
    "default_rules",
    "engine",
    "has_han",
]

STANDARDS = ("s2tw", "s2hk", "s2t")
TO_HANS = "t2s"  # the key of the forms towards Simplified in `standard_forms`
REGIONAL = {"s2tw": "t2tw", "s2hk": "t2hk"}  # a standard's regional forms of OpenCC's Traditional (裏 → 裡)
# Quotation marks: Taiwan and Hong Kong write 「」 and 『』 where the mainland writes “” and ‘’.
CORNER_QUOTES = str.maketrans("“”‘’", "「」『』")
CURLY_QUOTES = str.maketrans("「」『』", "“”‘’")

_OVERRIDE = re.compile(r"-\{(.*?)\}-", re.DOTALL)  # only ever matched over one span found by `_Overrides`
_VARIANT_RE = re.compile(r"^\s*(zh-han[st])\s*:(.*)$", re.DOTALL | re.IGNORECASE)


class _Overrides:
    """The inline overrides `-{…}-` of a text, as `re.finditer` and `re.sub` of `-\\{(.*?)\\}-` would
    find them, in linear time: that lazy pattern, retried at every `-{`, scans to the end of the
    text from each one when no `}-` follows (`-{` × 40,000 took 44 s). Here each `-{` looks for
    the next `}-` once, and the scan stops at the first `-{` that has none after it."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while (start := text.find("-{", pos)) >= 0 and (end := text.find("}-", start + 2)) >= 0:
            match = _OVERRIDE.match(text, start, end + 2)  # one `}-` in the span, at its end: linear
            assert match is not None  # the span is `-{…}-` by construction
            yield match
            pos = end + 2

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        out, pos = [], 0
        for match in self.finditer(text):
            out += [text[pos : match.start()], repl(match)]
            pos = match.end()
        out.append(text[pos:])
        return "".join(out)


OVERRIDE_RE = _Overrides()  # the name of the pattern it replaces, for lint's masking


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


class _Direction:
    """Everything that converts towards one edition: the engine and the decisions over it."""

    def __init__(self, engine: Engine, repairs: Repairs, layers: Sequence[Phrases | NameRules]) -> None:
        self.engine = engine
        self.repairs = repairs
        self.layers = layers

    def fixes(self, text: str, base: str, simplified: str) -> Iterator[Fix]:
        yield from self.repairs.fixes(text, base, simplified)
        for layer in self.layers:
            yield from layer.fixes(text)


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
        self.rules = rules = rules or default_rules()
        to_hant, to_hans = Engine(standard), Engine("tw2s", residual="hk2s")
        phrases, site = Phrases(rules.phrases, "glossary"), Phrases(self.glossary, "glossary")
        self._to = {
            "zh-Hant": _Direction(
                to_hant,
                Repairs(to_hant, self._names(), rules.engine_collisions),
                (
                    Phrases(rules.forms_of(standard), "standard"),
                    NameRules(rules, to_hant.convert(rules.locative_as_in)[-1]),
                    phrases,
                    site,
                ),
            ),
            "zh-Hans": _Direction(
                to_hans,
                Repairs(to_hans, self._names(merged=merged_forms(standard))),
                (Phrases(rules.forms_of(TO_HANS), "standard"), phrases.reverse(), site.reverse()),
            ),
        }
        self._quotes = {"zh-Hant": CORNER_QUOTES if standard in REGIONAL else {}, "zh-Hans": CURLY_QUOTES}
        self._memo: dict[tuple[str, str, str], str] = {}

    def _names(self, merged: frozenset[str] = frozenset()) -> Names:
        rules = self.rules
        surnames = (rules.common_surnames, dict(rules.surnames), rules.given_name_chars)
        return Names(*surnames, rules.boundary_surnames, rules.name_boundary, merged)

    def convert(self, text: str, from_lang: Lang, target: Lang) -> str:
        """`text` written in `from_lang`, as it should read in the `target` edition."""
        key = (text, from_lang, target)
        cached = self._memo.get(key)
        if cached is None:
            if "-{" in text or from_lang == target or not has_han(text):
                cached = "".join(seg.output for seg in self.segments(text, from_lang, target))
            else:  # the common case, without building segments
                base, fixes = self._decisions(text, target)
                cached = "".join(seg.output for seg in overlay(text, base, fixes)) if fixes else base
            self._memo[key] = cached
        return cached

    def segments(self, text: str, from_lang: Lang, target: Lang) -> Iterator[Segment]:
        """The cut of `text` into overrides and converted pieces, each with what decided it."""
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
        if from_lang == target or not has_han(text):  # as written, with the edition's quotation marks
            yield Segment(offset, text, text.translate(self._quotes[target]), "same")
            return
        yield from overlay(text, *self._decisions(text, target), offset)

    def _decisions(self, text: str, target: Lang) -> tuple[str, list[Fix]]:
        """The engine's output for `text` and the decisions laid over it, weakest first."""
        direction = self._to[target]
        base = direction.engine.convert(text).translate(self._quotes[target])
        if len(base) != len(text):  # no configuration gongshi uses does this; keep the engine's word
            return base, []
        simplified = text if target == "zh-Hant" else base
        return base, list(direction.fixes(text, base, simplified))

    def words(self, text: str, from_lang: Lang, target: Lang) -> list[tuple[int, int, bool]]:
        """The words of `text` (start, end, and whether the engine's tables hold the word: then its
        conversion was not a guess), segmented in Simplified; for the review report."""
        direction = self._to[target]
        base = direction.engine.convert(text)
        simplified = text if target == "zh-Hant" or len(base) != len(text) else base
        phrases = direction.engine.phrases()
        return [(w.start, w.end, text[w.start : w.end] in phrases) for w in words_of(simplified)]

    def query_table(self, target: Lang) -> dict[str, str]:
        """For the search page of `target`'s edition: each character of the other script, and the
        forms it can take in this one, the usual first (发 → 發髮; 裡 → 里), so that a query pasted in
        either script finds the same pages."""
        if target == "zh-Hant":
            variants = engine(REGIONAL[self.standard]).convert if self.standard in REGIONAL else str
            table = {s: "".join(dict.fromkeys(variants(t) for t in ts)) for s, ts in forms(self.standard).items()}
        else:
            to_hans = self._to["zh-Hans"].engine
            table = {t: "".join(dict.fromkeys((to_hans.convert(t), *ss))) for t, ss in forms("tw2s").items()}
        singles = self._to[target].engine.singles()
        table.update({c: found for c, found in singles.items() if c not in table})
        return {char: found for char, found in sorted(table.items()) if found != char}

    def engine_only(self, text: str, from_lang: Lang, target: Lang) -> str:
        """What bare OpenCC would give: used to find glossary entries that change nothing."""
        if from_lang == target:
            return text
        return self._to[target].engine.convert(text)

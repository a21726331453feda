"""Word boundaries and person names: what OpenCC's phrase matching cannot see.

OpenCC knows only the phrases whose conversion differs from their characters', and matches
them greedily from the left: in 统一出台 it finds 一出 (一齣, an act of a play) before it could
see 统一 and 出台, and writes 統一齣臺. A segmenter with a lexicon of the language's ordinary
words (jieba's, through rjieba) sees 统一|出台. Where the engine chose a character that its
phrase took from across such a boundary, the word converted on its own is used instead.

The repair is deliberately narrow, so that it never undoes a phrase the engine got right:
it touches only a character that a phrase decided (not the character's own default), only
when the word holding it, converted alone, gives another character, only when the phrase
crossed into one neighbouring word, only when both words have two characters or more
(jieba is least reliable about single characters, except function words: 被|发明), and
never when the character may come from a phrase the engine knows as a unit: one of three
characters or more (范文正, 不干你事), or one that begins and ends where words do (模里|西斯
is the phrase 模里西斯).

Person names: in a name the segmenter finds that neither its dictionary (朴素, which jieba
also tags as a name) nor OpenCC's (蒋国梁 → 蔣國樑) holds, and that begins with a common
surname, the surname takes its surname form (余昕, not 餘昕; 钟 → 鍾) and a given name keeps
the characters names use as written (周岳雄, not 周嶽雄; 周幺龙, not 周么龍).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from typing import NamedTuple

import rjieba

from gongshi.convert.engine import Engine, forms
from gongshi.convert.overlay import Fix
from gongshi.vocabulary import HAN, HAN_RANGES

NAME_TAGS = frozenset({"nr", "nrfg"})
# Single-character words jieba is sure of: prepositions, conjunctions, particles, adverbs,
# pronouns, numerals (被|发明, 并|成为, 一|出门).
_LONGEST = 8  # phrases longer than this are names and titles that no word boundary splits wrongly
SINGLE_TAGS = frozenset({"p", "c", "uj", "ul", "uz", "ug", "uv", "ud", "d", "r", "m"})


class Word(NamedTuple):
    start: int
    end: int
    tag: str


def words_of(simplified: str, offset: int = 0) -> list[Word]:
    """The words of a Simplified text, with their part-of-speech tags (jieba's tag set); positions
    start at `offset`."""
    out, pos = [], offset
    for word, tag in rjieba.tag(simplified):
        out.append(Word(pos, pos + len(word), tag))
        pos += len(word)
    return out


# What jieba segments as one block (its re_han): Han characters, Latin letters, digits, a few marks.
_RUN_CHAR = re.compile(f"[{HAN_RANGES}a-zA-Z0-9+#&._%\\-]")
_RUN = re.compile(f"{_RUN_CHAR.pattern}+")


def _runs(text: str, positions: list[int]) -> Iterator[tuple[int, int]]:
    """The runs of `text` (blocks jieba segments on their own) that hold any of `positions` (sorted)."""
    end = 0
    for pos in positions:
        if pos < end or not _RUN_CHAR.match(text, pos):
            continue
        start = pos
        while start > end and _RUN_CHAR.match(text, start - 1):
            start -= 1
        match = _RUN.match(text, pos)
        end = match.end() if match else pos + 1
        yield start, end


@dataclass(frozen=True)
class Names:
    """How person names are found and which forms their characters keep."""

    surnames: str  # a name begins with one of these
    first: dict[str, str]  # the form a surname takes where the engine would write another (余 → 余, 钟 → 鍾)
    given: str  # characters a given name keeps as written (岳, 幺)
    boundary_surnames: str = ""  # surnames that begin a name only after `boundary` or at a phrase's start (于)
    boundary: str = ""
    # Towards Simplified: Traditional characters whose Simplified form is also another Traditional
    # character (樑 → 梁): a name holding one is marked for the review report, not changed.
    merged: frozenset[str] = frozenset()

    def candidates(self, text: str, base: str, simplified: str) -> set[int]:
        """Positions where a name would change the engine's output (or, towards Simplified, lose a
        form): a surname (于 only where it may begin a name), or a given name's character one or
        two places after a surname."""
        if self._chars is None:
            return set()
        out = set()
        for match in self._chars.finditer(text):
            i, c = match.start(), match.group()
            if not self.merged and base[i] == c:
                continue
            if c in self.first and not self.merged:
                if c not in self.boundary_surnames or i == 0 or self._opens(simplified[i - 1]):
                    out.add(i)
            elif any(s in self.surnames for s in simplified[max(0, i - 2) : i]):
                out.add(i)
        return out

    def _opens(self, before: str) -> bool:
        return before in self.boundary or not HAN.match(before)

    @cached_property
    def _chars(self) -> re.Pattern[str] | None:
        chars = "".join(sorted(self.merged or {*self.first, *self.given}))
        return _char_class(chars) if chars else None

    def is_name(self, word: Word, simplified: str, phrases: frozenset[str]) -> bool:
        first, size = simplified[word.start], word.end - word.start
        if word.tag not in NAME_TAGS or not 2 <= size <= 3 or first not in self.surnames:
            return False
        if first in self.boundary_surnames and word.start > 0 and not self._opens(simplified[word.start - 1]):
            return False
        known = simplified[word.start : word.end]  # jieba's dictionary words (朴素) and OpenCC's names (蒋国梁)
        return not rjieba.has_word(known) and known not in phrases

    def fixes(self, text: str, base: str, word: Word) -> list[Fix]:
        fixes = []
        for i in range(word.start, word.end):
            c = text[i]
            if self.merged:
                form = base[i] if c in self.merged else None
            else:
                form = self.first.get(c) if i == word.start else (c if c in self.given else None)
            if form is not None and (base[i] != form or self.merged):
                fixes.append(Fix(i, i + 1, form, "name"))
        return fixes


@cache
def _char_class(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chars)}]")


@cache
def merged_forms(config: str) -> frozenset[str]:
    """Traditional characters that their Simplified form does not bring back: it is itself a
    Traditional character, which converts to another one (樑 → 梁 → 梁; not 後 → 后 → 後)."""
    table = forms(config)
    return frozenset(t for s, targets in table.items() if s in targets for t in targets[1:] if t != s)


NO_NAMES = Names("", {}, "")


class Repairs:
    """Word-boundary repairs (both directions) and person names (towards Traditional) for one engine."""

    def __init__(self, engine: Engine, names: Names = NO_NAMES, collisions: frozenset[str] = frozenset()) -> None:
        self._engine = engine
        self._names = names
        self._phrases = engine.phrases()
        self._collisions = collisions  # long phrases of the engine that are collisions all the same (国历年)
        self._memo: dict[str, str] = {}  # words and phrases recur; a call into OpenCC costs more than a lookup
        self._runs: dict[tuple[str, str], tuple[Fix, ...]] = {}

    def _convert(self, piece: str) -> str:
        out = self._memo.get(piece)
        if out is None:
            out = self._memo[piece] = self._engine.convert(piece)
        return out

    def fixes(self, text: str, base: str, simplified: str) -> list[Fix]:
        """Decisions for `text`, whose engine output is `base`; `simplified` is the text in Simplified.

        Only the runs of Han text that hold a suspect position are segmented (most text holds
        none): jieba segments each such run on its own anyway, so the words are the same. A run's
        decisions depend on the run alone, and runs recur (names, set phrases): they are memoised."""
        positions = {*self._engine.decided(text, base), *self._names.candidates(text, base, simplified)}
        fixes: list[Fix] = []
        for start, end in _runs(simplified, sorted(positions)):
            key = (text[start:end], base[start:end])
            found = self._runs.get(key)
            if found is None:
                found = self._runs[key] = self._run(*key, simplified[start:end])
            fixes += (Fix(f.start + start, f.end + start, f.output, f.kind) for f in found)
        return fixes

    def _run(self, text: str, base: str, simplified: str) -> tuple[Fix, ...]:
        suspects = set(self._engine.decided(text, base))
        names = self._names.candidates(text, base, simplified)
        fixes: list[Fix] = []
        words = words_of(simplified)
        k = 0
        while k < len(words):
            word = words[k]
            span = range(word.start, word.end)
            if not names.isdisjoint(span) and self._names.is_name(word, simplified, self._phrases):
                fixes += self._names.fixes(text, base, word)
            elif not suspects.isdisjoint(span):
                cut = self._cut(word, text, simplified)
                if cut is not None:
                    words[k : k + 1] = [Word(word.start, cut, word.tag), Word(cut, word.end, word.tag)]
                    continue
                if len(span) > 1 or word.tag in SINGLE_TAGS:
                    fixes += self._boundary(text, base, words, k, suspects)
            k += 1
        return tuple(fixes)

    def _cut(self, w: Word, text: str, simplified: str) -> int | None:
        """Where to cut a long word the engine does not know into two dictionary words (考试制度:
        考试|制度), so that a phrase colliding inside it (试制) is seen; None to keep it whole."""
        if w.end - w.start < 4 or text[w.start : w.end] in self._phrases:
            return None
        halves = ((simplified[w.start : c], simplified[c : w.end]) for c in range(w.start + 2, w.end - 1))
        return next((w.start + len(a) for a, b in halves if rjieba.has_word(a) and rjieba.has_word(b)), None)

    def _boundary(self, text: str, base: str, words: list[Word], k: int, suspects: set[int]) -> list[Fix]:
        word = words[k]
        alone = self._convert(text[word.start : word.end])
        fixes = []
        for i in range(word.start, word.end):
            if i not in suspects or alone[i - word.start] == base[i]:
                continue
            neighbour = self._crossed(text, base, words, k, i)
            if neighbour is None or (neighbour.end - neighbour.start < 2 and neighbour.tag not in SINGLE_TAGS):
                continue
            if not self._agrees(text, base, words, k, i):
                fixes.append(Fix(i, i + 1, alone[i - word.start], "word"))
        return fixes

    def _agrees(self, text: str, base: str, words: list[Word], k: int, i: int) -> bool:
        """Whether the engine's character at `i` may come from a phrase it knows as such: one of
        three characters or more (范文正, 不干你事), or one that begins and ends where words do
        (模里|西斯 is the phrase 模里西斯). Two-character phrases that cut a word (一出, 括发, 国历)
        are the engine's collisions."""
        starts = {w.start for w in words[max(0, k - 3) : k + 1]}
        ends = {w.end for w in words[k : k + 4]}
        for s in range(max(0, i - _LONGEST + 1), i + 1):
            for e in range(max(s + 2, i + 1), min(len(text), s + _LONGEST) + 1):
                phrase = text[s:e]
                if phrase not in self._phrases or self._convert(phrase)[i - s] != base[i]:
                    continue
                if (e - s > 2 and phrase not in self._collisions) or (s in starts and e in ends):
                    return True
        return False

    def _crossed(self, text: str, base: str, words: list[Word], k: int, i: int) -> Word | None:
        """The neighbouring word whose phrase with `words[k]` gives the engine's character at `i`."""
        word = words[k]
        if k > 0:
            left = words[k - 1]
            if self._convert(text[left.start : word.end])[i - left.start] == base[i]:
                return left
        if k + 1 < len(words):
            right = words[k + 1]
            if self._convert(text[word.start : right.end])[i - word.start] == base[i]:
                return right
        return None

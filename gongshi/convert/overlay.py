"""The engine's output with decisions laid over it: the one place where conversions combine.

OpenCC converts a whole text first. Every other source of knowledge then decides single
positions or words of that output (`Fix`), from the weakest to the strongest: word-boundary
repairs, person names, the standard's forms, gongshi's rules, gongshi's phrases, the site's
glossary. A decision is dropped, whole, where it overlaps a stronger one that is kept; positions
no decision covers keep the engine's output. So anything gongshi adds can only change the
positions it names, and the glossary is the last word wherever it matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

# What produced a piece of output: the engine alone, a word-boundary repair, a person name, the
# standard's form, a rule, a glossary phrase, an inline override, or nothing (same script).
Kind = Literal["engine", "word", "name", "standard", "rule", "glossary", "override", "same"]


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of a converted text: what was written, what was produced, and by what."""

    start: int
    written: str  # the slice of the text as written
    output: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Fix:
    """A decision for `text[start:end]`, which becomes `output`."""

    start: int
    end: int
    output: str
    kind: Kind


def overlay(text: str, base: str, fixes: Iterable[Fix], offset: int = 0) -> Iterator[Segment]:
    """`text` as segments: `base` (the engine's output, as long as `text`) where no fix applies.

    `fixes` come weakest first; a fix is dropped where it overlaps a stronger one that is kept.
    """
    chosen: list[Fix] = []
    taken = bytearray(len(text))  # 1 where a kept fix decides
    for fix in reversed(list(fixes)):
        if taken.find(1, fix.start, fix.end) == -1:
            taken[fix.start : fix.end] = b"\x01" * (fix.end - fix.start)
            chosen.append(fix)
    pos = 0
    for fix in sorted(chosen, key=lambda f: f.start):
        if pos < fix.start:
            yield Segment(offset + pos, text[pos : fix.start], base[pos : fix.start], "engine")
        yield Segment(offset + fix.start, text[fix.start : fix.end], fix.output, fix.kind)
        pos = fix.end
    if pos < len(text):
        yield Segment(offset + pos, text[pos:], base[pos:], "engine")

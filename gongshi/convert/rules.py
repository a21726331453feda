"""gongshi's own conversion knowledge (`data/conversion.yaml`) and the matchers that apply it.

- `Phrases`: whole phrases with a fixed form (gongshi's phrases, a standard's forms, a site's
  glossary), found longest first;
- `NameRules`: surnames before a title or after a role word (余主任, 作家余华), and 里 meaning
  "inside" before a word that itself starts with 里 (学校里程序); `units` are words inside which
  these rules never fire (其余主任 is 其餘主任).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from gongshi.convert.overlay import Fix, Kind
from gongshi.resources import builtin_path
from gongshi.vocabulary import HAN_RANGES


@dataclass(frozen=True)
class Rules:
    """gongshi's default conversion knowledge (see `data/conversion.yaml`)."""

    phrases: tuple[tuple[str, str], ...]
    standard_forms: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # per standard (and "t2s")
    given_name_chars: str
    engine_collisions: frozenset[str]
    common_surnames: str
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

    def forms_of(self, standard: str) -> tuple[tuple[str, str], ...]:
        return dict(self.standard_forms).get(standard, ())


def _pairs(data: Mapping[Any, Any] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (data or {}).items())


@cache
def default_rules() -> Rules:
    """The rules shipped with gongshi, read once per process."""
    data: dict[str, Any] = yaml.safe_load(builtin_path("data", "conversion.yaml").read_text("utf-8"))
    return Rules(
        phrases=_pairs(data["phrases"]),
        standard_forms=tuple((str(k), _pairs(v)) for k, v in data["standard_forms"].items()),
        given_name_chars=data["given_name_chars"],
        engine_collisions=frozenset(data["engine_collisions"]),
        common_surnames="".join(data["common_surnames"].split()),
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


def alternation(words: Sequence[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered) or "(?!)"


class Phrases:
    """Phrases with a fixed output, matched leftmost and longest first."""

    def __init__(self, pairs: Sequence[tuple[str, str]], kind: Kind) -> None:
        self.pairs = dict(pairs)
        self.kind = kind
        self._re = re.compile(alternation(list(self.pairs))) if self.pairs else None

    def reverse(self) -> Phrases:
        """The same phrases the other way (the first phrase wins where two share an output)."""
        back: dict[str, str] = {}
        for written, output in self.pairs.items():
            back.setdefault(output, written)
        return Phrases(tuple(back.items()), self.kind)

    def fixes(self, text: str) -> Iterator[Fix]:
        if self._re is None:
            return
        for match in self._re.finditer(text):
            yield Fix(match.start(), match.end(), self.pairs[match.group()], self.kind)


class NameRules:
    """Surnames and the locative 里, towards Traditional; `locative` is the standard's 里 (裡 or 裏)."""

    def __init__(self, rules: Rules, locative: str) -> None:
        self._locative = locative
        self._surnames = dict(rules.surnames)
        self._units = frozenset(rules.units)
        free = "".join(s for s in self._surnames if s not in rules.boundary_surnames)
        titles = f"(?=(?:{alternation(rules.titles)}))"
        # Every alternative starts with one of these characters: a look-ahead on them lets the regex
        # skip most positions at once (3-4x faster on long text, same matches).
        starts = {w[0] for w in (*rules.units, *rules.roles)} | set(self._surnames) | {"里"}
        self._re = re.compile(
            f"(?=[{''.join(sorted(re.escape(c) for c in starts))}])"
            f"(?:(?P<unit>{alternation(rules.units)})"
            f"|(?<![0-9十百千万亿两几多])(?P<st>[{free}]){titles}"
            f"|(?:(?<=[{rules.name_boundary}])|(?<![{HAN_RANGES}]))(?P<sb>[{rules.boundary_surnames}]){titles}"
            f"|(?P<role>{alternation(rules.roles)})(?P<rs>[{rules.role_surnames}])"
            f"(?=[{HAN_RANGES}]{{1,2}}(?:[{rules.after_name}]|[^{HAN_RANGES}]|$))"
            f"|(?<=[{rules.locative_after}])(?P<loc>里)(?![{rules.locative_not_before}]))"
        )

    def fixes(self, text: str) -> Iterator[Fix]:
        pos = 0
        while (match := self._re.search(text, pos)) is not None:
            pos = match.end()
            if match.group("role") and self._is_word(text, match.start("rs")):
                pos = match.start("rs")  # the "name" is a word (农民谷物, 教师范读): rescan from there
            elif match.group("st") or match.group("sb"):
                yield Fix(match.start(), match.end(), self._surnames[match.group()], "rule")
            elif match.group("role"):
                start = match.start("rs")
                yield Fix(start, start + 1, self._surnames[match.group("rs")], "rule")
            elif match.group("loc"):
                yield Fix(match.start(), match.end(), self._locative, "rule")

    def _is_word(self, text: str, index: int) -> bool:
        """Whether the character at `index` belongs to a listed word with its neighbour."""
        return text[index : index + 2] in self._units or text[index - 1 : index + 1] in self._units

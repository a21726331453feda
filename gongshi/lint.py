"""Copy lint: what a careful editor would flag in a source file, as warnings with the fix.

- Files written in Traditional get the errors a bad conversion leaves behind, all shown by the
  Traditional seed this product was designed against: Simplified characters left in Traditional
  text (决, 减, 注册), one character in two variant forms in one file (羣衆 beside 群眾), and,
  on a site written in mainland usage, Taiwan vocabulary in mainland text (專案, 資訊, 點比特:
  the list and why each word is on it are in `data/taiwan-usage.tsv`). `check` runs this.
- Every file gets Chinese typesetting (a space between Chinese and Latin letters or digits,
  full-width punctuation in Chinese text) from autocorrect, a maintained rule set, and files
  written in Simplified get Traditional characters reported. `lint` runs these.

Text marked as written (`-{…}-`) is never flagged, and text inside 《》 or quotes (a document's
title, a quoted name) is never respaced or re-punctuated.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from gongshi.convert import OVERRIDE_RE, REGIONAL, engine
from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import msg
from gongshi.load.source import Source
from gongshi.resources import builtin_path
from gongshi.vocabulary import HAN

_YAML_FLOW = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s*(?:\[.*\]|\{.*\})\s*(?:#.*)?$")
_MARKED = "\ue000"  # stands for each character of marked text: no rule applies to it
# Titles and quotations, kept as written: 《…》, “…”, 「…」, 『…』 and "…" within one line.
_QUOTED = re.compile(r"《[^《》\n]*》|“[^“”\n]*”|「[^「」\n]*」|『[^『』\n]*』|\"[^\"\n]*\"")
# A YAML value in double quotes (`title: "…"`, `- "…"`): those quotes are syntax, not quotation.
_YAML_QUOTED = re.compile(r"^(\s*(?:-\s+)?(?:[A-Za-z0-9_-]+:\s+)?)\"(.*)\"(\s*(?:#.*)?)$")
# A number beside Chinese text: digits, not part of a word with letters (5G, A4, COVID-19).
_NUMBER_AFTER = re.compile(r"[0-9][0-9.,:/%-]*(?![A-Za-z0-9])")
_NUMBER_BEFORE = re.compile(r"(?<![A-Za-z0-9.,:/%-])[0-9.,:/%-]*[0-9]$")


def _mask_marked(text: str) -> str:
    """The text with every character of `-{…}-` replaced (line breaks kept): positions unchanged."""
    return OVERRIDE_RE.sub(lambda m: re.sub(r"[^\n]", _MARKED, m.group()), text)


def _other_edition_lines(text: str, lang: str) -> set[int]:
    """Lines holding a hand-written value for the other edition (`zh-Hans: …` in a Traditional file)."""
    key = "zh-Hans:" if lang == "zh-Hant" else "zh-Hant:"
    return {number for number, line in enumerate(text.split("\n"), 1) if key in line}


@cache
def _shared_forms() -> frozenset[str]:
    text = builtin_path("data", "shared-forms.txt").read_text("utf-8")
    return frozenset("".join(line for line in text.splitlines() if not line.startswith("#")))


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _variant_message(char: str, preferred: str, mixed: bool, standard: str) -> tuple[str, str]:
    if mixed:
        return (
            msg(
                "'{char}' and '{preferred}' are two forms of one character in this file", char=char, preferred=preferred
            ),
            msg("write '{preferred}' throughout", preferred=preferred),
        )
    return (
        msg("'{char}' is an inherited variant form", char=char),
        msg("the {standard} standard writes '{preferred}'", standard=_STANDARD_NAMES[standard], preferred=preferred),
    )


_STANDARD_NAMES = {"s2tw": msg("Taiwan"), "s2hk": msg("Hong Kong"), "s2t": msg("OpenCC Traditional")}


def lint_traditional(source: Source, standard: str = "s2tw", usage: str = "mainland") -> list[Diagnostic]:
    """Warnings for one file written in Traditional; `usage` is site.yaml's (no vocabulary unless mainland)."""
    text = _mask_marked(source.text)
    out: list[Diagnostic] = []

    def warn(index: int, message: str, hint: str) -> None:
        line, col = _position(text, index)
        out.append(source.diagnostic(line, col, message, hint, severity=Severity.WARNING))

    for index, char, form in _simplified_only(text, standard):
        warn(
            index,
            msg("'{char}' is a Simplified character in a file written in Traditional", char=char),
            msg("write '{form}'", form=form),
        )
    for index, char, preferred, mixed in _variants(text, standard):
        warn(index, *_variant_message(char, preferred, mixed, standard))
    to_trad = engine(standard)
    for index, word, mainland in _vocabulary(text) if usage == "mainland" else ():
        warn(
            index,
            msg("'{word}' is Taiwan or Hong Kong usage, not mainland usage", word=word),
            msg("write '{form}'", form=to_trad.convert(mainland)),
        )
    skip = _other_edition_lines(text, "zh-Hant")
    return sorted((d for d in out if d.line not in skip), key=lambda d: (d.line, d.col))


def _simplified_only(text: str, standard: str) -> Iterator[tuple[int, str, str]]:
    """Characters that no Traditional standard writes (决, 减, 册), with the form to write."""
    inherited, to_trad = engine("s2t"), engine(standard)
    regional = (engine("t2tw"), engine("t2hk"))
    shared = _shared_forms()
    for match in HAN.finditer(text):
        char = match.group()
        traditional = inherited.convert(char)
        if char in shared or traditional == char or any(e.convert(traditional) == char for e in regional):
            continue  # 群 is s2t's 羣 in Taiwan's standard form: a variant question, not a Simplified one
        # Convert the surrounding word so the suggestion fits it (注册 → 註冊, not 注冊).
        start = match.start()
        context = text[max(0, start - 1) : start + 2]
        converted = to_trad.convert(context)
        offset = 1 if start > 0 else 0
        yield start, char, converted[offset] if len(converted) == len(context) else to_trad.convert(char)


def _variants(text: str, standard: str) -> Iterator[tuple[int, str, str, bool]]:
    """(index, char, preferred, mixed): inherited forms, and one character in two forms."""
    to_standard = engine(REGIONAL.get(standard, "t2tw"))
    present = set(HAN.findall(text))
    reported: set[tuple[str, int]] = set()
    for match in HAN.finditer(text):
        char = match.group()
        preferred = to_standard.convert(char)
        if preferred == char:
            continue
        mixed = preferred in present
        if standard not in REGIONAL and not mixed:
            continue  # s2t keeps inherited forms; only mixing them is a problem
        line = text.count("\n", 0, match.start())
        if (char, line) not in reported:
            reported.add((char, line))
            yield match.start(), char, preferred, mixed


@dataclass(frozen=True, slots=True)
class _Usage:
    """One line of `data/taiwan-usage.tsv`."""

    word: str  # as Taiwan writes it
    mainland: str  # in Simplified
    not_inside: tuple[str, ...]  # longer strings holding the word, in which it is not that word


@cache
def _usage_table() -> tuple[re.Pattern[str], dict[str, list[_Usage]]]:
    """Every form of every listed word (Taiwan's, Hong Kong's, inherited) by its first character,
    longest first, and a pattern for those characters."""
    forms: dict[str, _Usage] = {}
    for line in builtin_path("data", "taiwan-usage.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, mainland, *rest = line.split("\t")
        entry = _Usage(word, mainland, tuple(rest[0].split()) if rest else ())
        for config in ("t2tw", "t2hk", "tw2t"):
            form = engine(config).convert(word)
            forms.setdefault(form, entry if form == word else _Usage(form, mainland, _forms(entry, config)))
    by_first: dict[str, list[_Usage]] = {}
    for form in sorted(forms, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(forms[form])
    return re.compile("|".join(map(re.escape, by_first))), by_first


def _forms(entry: _Usage, config: str) -> tuple[str, ...]:
    return tuple(engine(config).convert(longer) for longer in entry.not_inside)


def _vocabulary(text: str) -> Iterator[tuple[int, str, str]]:
    """(index, word, mainland word in Simplified): listed words, whole, left to right, never overlapping."""
    starts, by_first = _usage_table()
    end = 0
    for match in starts.finditer(text):
        start = match.start()
        if start < end:
            continue
        for entry in by_first[match.group()]:  # the longest word that is not part of a longer string
            if text.startswith(entry.word, start) and not _inside_longer(text, start, entry):
                end = start + len(entry.word)
                yield start, entry.word, entry.mainland
                break


def _inside_longer(text: str, start: int, entry: _Usage) -> bool:
    """Whether the word found at `start` is part of one of its longer strings (專案組, 實現時間)."""
    for longer in entry.not_inside:
        offset = longer.find(entry.word)
        while offset >= 0:
            if offset <= start and text.startswith(longer, start - offset):
                return True
            offset = longer.find(entry.word, offset + 1)
    return False


def lint_copy(source: Source, lang: str, digit_spacing: bool = True) -> list[Diagnostic]:
    """Typesetting warnings (autocorrect) and characters of the other script.

    `digit_spacing` is site.yaml's `lint: {digit_spacing: …}`: false drops the space between
    Chinese and digits (在 2019 年) from autocorrect's suggestions, and with it the warning when
    nothing else is left.
    """
    import autocorrect_py

    out = []
    masked = _mask_marked(source.text)
    lines, masked_lines = source.text.split("\n"), masked.split("\n")
    for result in autocorrect_py.lint_for(masked, source.path).lines:
        for offset, (old, new) in enumerate(zip(result.old.split("\n"), result.new.split("\n"), strict=False)):
            number = result.line + offset
            guess = result.col - 1 if offset == 0 else 0
            found = _typesetting(lines[number - 1], masked_lines[number - 1], old, new, guess, digit_spacing)
            if found is not None:
                col, hint = found
                out.append(
                    source.diagnostic(
                        number,
                        col,
                        msg("Chinese typesetting: spacing or punctuation"),
                        msg("write: {text}", text=hint),
                        severity=Severity.WARNING,
                    )
                )
    if lang == "zh-Hans":
        out += _traditional_in_simplified(source, masked.split("\n"))
    return sorted(out, key=lambda d: (d.line, d.col))


def _typesetting(line: str, masked: str, old: str, new: str, guess: int, digit_spacing: bool) -> tuple[int, str] | None:
    """(column, corrected text) for one line of autocorrect's result (`old` found in the line at
    `guess` or elsewhere), once the edits this site does not take are undone; None when nothing
    is left to correct."""
    start = guess if masked.startswith(old, guess) else masked.find(old)
    if old == new or start < 0 or _YAML_FLOW.match(line) or line.lstrip().startswith("#"):
        return None  # in `[a, b]` and `{a: b, c: d}` the comma is YAML syntax, not Chinese punctuation
    kept = [(s - start, e - start) for s, e in _kept_as_written(masked)]
    written = line[start : start + len(old)]
    corrected = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        undo = op != "equal" and (
            _touches(kept, i1, i2) or (not digit_spacing and _digit_space(old, i1, i2, new[j1:j2]))
        )
        corrected.append(written[i1:i2] if undo or op == "equal" else new[j1:j2])
    fixed = "".join(corrected)
    if fixed == written:
        return None
    first = next((i for i, (a, b) in enumerate(zip(written, fixed, strict=False)) if a != b), len(written))
    return start + first + 1, fixed.strip()


def _kept_as_written(line: str) -> list[tuple[int, int]]:
    """Spans of one line that typesetting leaves alone: marked text, titles, quotations."""
    yaml = _YAML_QUOTED.match(line)
    if yaml:  # the value's own quotes are YAML syntax: blank them out, keep the positions
        line = f"{yaml.group(1)} {yaml.group(2)} {yaml.group(3)}"
    spans = [m.span() for m in _QUOTED.finditer(line)]
    return spans + [m.span() for m in re.finditer(f"{_MARKED}+", line)]


def _touches(spans: list[tuple[int, int]], i1: int, i2: int) -> bool:
    """Whether an edit of old[i1:i2] (an insertion when i1 == i2) falls within one of the spans."""
    if i1 == i2:
        return any(s < i1 < e for s, e in spans)
    return any(i1 < e and s < i2 for s, e in spans)


def _digit_space(old: str, i1: int, i2: int, inserted: str) -> bool:
    """Whether an edit only puts a space between a Chinese character and a number (在 2019 年),
    not a word that starts or ends with a digit (开通 5G 网络)."""
    if i1 != i2 or inserted.strip() or not 0 < i1 < len(old):
        return False
    if HAN.match(old[i1 - 1]) and _NUMBER_AFTER.match(old, i1):
        return True
    return bool(HAN.match(old[i1]) and _NUMBER_BEFORE.search(old, 0, i1))


def _traditional_in_simplified(source: Source, lines: list[str]) -> list[Diagnostic]:
    """Traditional characters in a file written in Simplified (lines of the other edition aside)."""
    out = []
    to_hans, valid = engine("t2s"), _valid_in_simplified()
    skip = _other_edition_lines(source.text, "zh-Hans")
    for number, text in enumerate(lines, 1):
        if number in skip:
            continue
        for match in HAN.finditer(text):
            char = match.group()
            if char not in valid and to_hans.convert(char) != char:
                out.append(
                    source.diagnostic(
                        number,
                        match.start() + 1,
                        msg("'{char}' is a Traditional character in a file written in Simplified", char=char),
                        msg("write '{form}', or mark the file 'lang: zh-Hant'", form=to_hans.convert(char)),
                        severity=Severity.WARNING,
                    )
                )
    return out


@cache
def _valid_in_simplified() -> frozenset[str]:
    """Traditional-looking characters that Simplified text also uses (乾隆, 於 as a surname)."""
    from gongshi.review import ambiguity_table

    return frozenset(char for char, forms in ambiguity_table("zh-Hans").items() if char in forms)

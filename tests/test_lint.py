"""Lint of files written in Traditional: leftovers, mixed variants, Taiwan vocabulary."""

from __future__ import annotations

from gongshi.lint import lint_traditional
from gongshi.load.source import Source

# Short texts of our own with the kinds of error the badly converted Traditional seed shows.
BAD = (
    "渭濱區把解决問題列入清單，羣衆很滿意，群眾也點讚。\n"
    "該專案負責人說，現時車間已生產出减速器，工作輔導做得好。\n"
    "請勿發佈垃圾資訊，留言需人工稽核。改造點比特，筦道滲漏。标签：注册\n"
)


def _findings(text: str, standard: str = "s2tw") -> list[tuple[int, int, str, str]]:
    return [(d.line, d.col, d.message.split("'")[1], d.hint) for d in lint_traditional(Source("a.md", text), standard)]


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
    assert ("稽核", "write '審核'") in found
    assert ("點比特", "write '點位'") in found
    assert ("工作輔導", "write '作業輔導'") in found
    assert ("筦道", "write '管道'") in found


def test_clean_traditional_text_has_no_findings() -> None:
    """Correct Traditional with mainland vocabulary passes silently, including shared forms (里, 后, 干)."""
    text = "渭濱區的項目信息已經審核，群眾在社區裡活動，5 公里外的皇后鎮，幹部和乾旱，行政效能提高。"
    assert _findings(text) == []

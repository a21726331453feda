"""The conversion review report: findings, their context, and confirmation."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from gongshi.convert import Converter
from gongshi.pipeline import Options, build_site, check_site
from gongshi.review import load_reviewed, pending_findings, review_text, save_reviewed


def test_lists_each_guess_with_context_and_pin() -> None:
    """了 after 出台 (了 or 瞭: no word of the tables decides it) is listed with its sentence before
    and after, and a glossary line that pins the whole word, not a window of characters."""
    findings = list(review_text(Converter(), "他们一起出台了政策。", "zh-Hans", "zh-Hant", "a.md", 3))
    assert len(findings) == 1
    found = findings[0]
    assert (found.char, found.chosen, found.forms, found.why) == ("了", "了", ("了", "瞭"), "engine")
    assert found.before == "他们一起出台【了】政策。"
    assert found.after == "他們一起出臺【了】政策。"
    assert found.pin == "出台了: 出臺了"
    assert (found.path, found.line) == ("a.md", 3)


def test_choices_made_by_a_word_are_not_listed() -> None:
    """发 in 银发族 and 头发 is decided by a word of the engine's tables that is also a word of
    the sentence: not a guess, not listed."""
    assert list(review_text(Converter(), "爷爷奶奶等银发族，头发花白。", "zh-Hans", "zh-Hant", "a.md", 1)) == []


def test_recognised_names_are_listed_in_both_directions() -> None:
    """A person's name keeps its characters (余昕, not 餘昕) and is listed for the editor to confirm;
    towards Simplified, a name whose character merges with another (樑 and 梁 are both 梁) is listed."""
    to_hant = list(review_text(Converter(), "副主任余昕出席会议。", "zh-Hans", "zh-Hant", "a.md", 1))
    assert [(f.char, f.chosen, f.why, f.pin) for f in to_hant] == [("余", "余", "name", "余昕: 余昕")]
    to_hans = list(review_text(Converter(), "基隆市長謝國樑出席。", "zh-Hant", "zh-Hans", "a.md", 1))
    assert [(f.char, f.chosen, f.why, f.pin) for f in to_hans] == [("樑", "梁", "name", "谢国梁: 謝國樑")]


def test_glossary_and_overrides_are_not_listed() -> None:
    """Choices the editor already pinned (glossary, -{}-) are not asked again."""
    converter = Converter((("头发", "頭髮"),))
    assert list(review_text(converter, "头发和-{发}-", "zh-Hans", "zh-Hant", "a.md", 1)) == []


def test_line_numbers_follow_newlines() -> None:
    """A finding on the third line of a text reports that line."""
    findings = list(review_text(Converter(), "一\n二\n副主任余昕出席", "zh-Hans", "zh-Hant", "a.md", 10))
    assert [f.line for f in findings] == [12]


def test_accepted_findings_are_not_listed_again(tmp_path: Path) -> None:
    """After --accept, unchanged sentences drop out; an edited sentence comes back."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    checked = check_site(Options(content=content))
    site, converter = checked.content, checked.converter
    findings = pending_findings(content, site, converter)
    assert findings
    save_reviewed(content, findings, load_reviewed(content))
    assert pending_findings(content, site, converter) == []
    update = content / "updates" / "2019-07-bus.md"
    update.write_text(update.read_text("utf-8").replace("出行更方便了", "出发更方便了"), "utf-8")
    checked = check_site(Options(content=content))
    site, converter = checked.content, checked.converter
    again = pending_findings(content, site, converter)
    assert again and all(f.path.endswith("2019-07-bus.md") for f in again)


def test_review_page_only_with_flag(tmp_path: Path) -> None:
    """site/_review/ is built with --review only, and is marked noindex."""
    plain = build_site(Options(content=FIXTURES / "basic" / "content", out=tmp_path / "a", search=False, history=False))
    assert "_review/index.html" not in plain.files
    reviewed = build_site(
        Options(content=FIXTURES / "basic" / "content", out=tmp_path / "b", review=True, search=False, history=False)
    )
    page = reviewed.files["_review/index.html"].decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "银发" not in page and "【" in page

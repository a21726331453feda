"""The conversion review report: findings, their context, and confirmation."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from gongshi.convert import Converter
from gongshi.pipeline import Options, build_site, check_site
from gongshi.review import load_reviewed, pending_findings, review_text, save_reviewed


def test_lists_each_ambiguous_choice_with_context_and_pin() -> None:
    """发 in 银发族 is listed with its sentence before and after and the glossary line that pins it."""
    findings = list(review_text(Converter(), "爷爷奶奶等银发族。", "zh-Hans", "zh-Hant", "a.md", 3))
    assert len(findings) == 1
    found = findings[0]
    assert (found.char, found.chosen, found.forms) == ("发", "髮", ("發", "髮"))
    assert found.before == "爷爷奶奶等银【发】族。"
    assert found.after == "爺爺奶奶等銀【髮】族。"
    assert found.pin == "银发族: 銀髮族"
    assert (found.path, found.line) == ("a.md", 3)


def test_glossary_and_overrides_are_not_listed() -> None:
    """Choices the editor already pinned (glossary, -{}-) are not asked again."""
    converter = Converter((("头发", "頭髮"),))
    assert list(review_text(converter, "头发和-{发}-", "zh-Hans", "zh-Hant", "a.md", 1)) == []


def test_line_numbers_follow_newlines() -> None:
    """A finding on the third line of a text reports that line."""
    findings = list(review_text(Converter(), "一\n二\n出发", "zh-Hans", "zh-Hant", "a.md", 10))
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

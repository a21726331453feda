"""Editor tools: `new` templates and the copy `lint`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from gongshi.config import LintSettings
from gongshi.errors import ContentError, UsageError
from gongshi.lint import lint_copy
from gongshi.load import load_content
from gongshi.load.source import Source
from gongshi.pipeline import Options, check_site
from gongshi.tools import lint_content, new_file


def test_new_files_are_valid_and_never_overwrite(tmp_path: Path) -> None:
    """`new` writes commented templates that are valid, whose placeholder text fails `check` until it is
    replaced; a new update is a draft, not published until `draft: true` is removed. Existing names are refused."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    record = new_file(content, "initiative", "new-bus", "2026-11-23")
    update = new_file(content, "update", "2026-11-news", "2026-11-23")
    assert record.read_text("utf-8").startswith("# 一项民生实事")
    assert "date: 2026-11-23" in update.read_text("utf-8")
    with pytest.raises(ContentError) as caught:
        check_site(Options(content=content, search=False))
    errors = [d for d in caught.value.diagnostics if d.is_error]
    assert [(Path(d.path).name, d.message) for d in errors] == [
        ("new-bus.yaml", "the template's placeholder '在这里写实事名称' is still here")
    ]
    record.write_text(record.read_text("utf-8").replace("在这里写实事名称", "新开公交线路"), "utf-8")
    checked = check_site(Options(content=content, search=False))
    assert "2026-11-news" not in {u.slug for u in checked.content.updates}  # a draft
    assert any("is a draft" in w.message for w in checked.warnings)
    with pytest.raises(UsageError):
        new_file(content, "initiative", "new-bus", "2026-11-23")
    with pytest.raises(UsageError):
        new_file(content, "initiative", "rural-bus", "2026-11-23")
    with pytest.raises(UsageError):
        new_file(content, "update", "公交", "2026-11-23")


def test_copy_lint_spacing_and_punctuation() -> None:
    """Missing spaces around digits and half-width punctuation in Chinese text are reported with the fix."""
    found = lint_copy(Source("a.yaml", "title: 在2019年开通\nsummary: 发展要面对群众,好.\n"), "zh-Hans")
    assert [(d.line, d.hint) for d in found] == [(1, "write: 在 2019 年开通"), (2, "write: 发展要面对群众，好。")]


def test_copy_lint_leaves_yaml_lists_alone() -> None:
    """The comma of a YAML list `[a, b]` is syntax, not punctuation to make full-width."""
    assert lint_copy(Source("a.yaml", "partners: [甲单位, 乙单位]\n"), "zh-Hans") == []


def test_copy_lint_finds_traditional_characters_in_simplified_file() -> None:
    """A Traditional character in a Simplified file is reported; 乾隆 is fine in both scripts."""
    found = lint_copy(Source("a.md", "這是乾隆年间的事。\n"), "zh-Hans")
    assert [(d.col, d.message.split("'")[1]) for d in found] == [(1, "這")]


def test_lint_content_covers_every_record(tmp_path: Path) -> None:
    """Every record and update is linted in its own language, hand-written editions included."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    assert lint_content(content) == []
    sibling = content / "updates" / "2021-11-qingjiang.zh-hans.md"
    sibling.write_text(sibling.read_text("utf-8") + "共36名職工。\n", "utf-8")
    found = [(Path(d.path).name, d.line, d.message) for d in lint_content(content)]
    assert ("2021-11-qingjiang.zh-hans.md", 5, "Chinese typesetting: spacing or punctuation") in found
    assert (
        "2021-11-qingjiang.zh-hans.md",
        5,
        "'職' is a Traditional character in a file written in Simplified",
    ) in found


def test_site_settings_reach_lint_and_check(tmp_path: Path) -> None:
    """site.yaml's `usage` and `lint: {digit_spacing: …}` reach `lint` and `check` through the loader."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    update = content / "updates" / "2021-11-qingjiang.md"
    update.write_text(update.read_text("utf-8") + "該專案共36名職工受益。\n", "utf-8")

    def messages() -> tuple[set[str], set[str]]:
        checked = check_site(Options(content=content, search=False), editorial=True)
        return {d.message for d in lint_content(content)}, {d.message for d in checked.warnings}

    taiwan = "'專案' is Taiwan or Hong Kong usage, not mainland usage"
    typesetting = "Chinese typesetting: spacing or punctuation"
    linted, checked = messages()
    assert {taiwan, typesetting} <= linted and taiwan in checked
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8") + "usage: taiwan\nlint:\n  digit_spacing: false\n", "utf-8")
    config = load_content(content).content
    assert config is not None and (config.config.usage, config.config.lint) == ("taiwan", LintSettings(False))
    linted, checked = messages()
    assert not {taiwan, typesetting} & (linted | checked)

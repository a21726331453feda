"""Staff messages in Chinese (the default) and English: the catalogue, the CLI in both languages.

The rest of the suite reads the English ids (conftest sets LANG=en_US.UTF-8); here each test
chooses its language explicitly, with `--lang` or the locale variables.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURES, ROOT, TESTS
from hypothesis import given
from hypothesis import strategies as st

from gongshi.i18n import ENGLISH, LOCALE_DIR, Text, language_option, messages, msg, staff_language

HAN = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"\{(\w+)(?:[^{}]*)\}")
PERCENT = re.compile(r"%(?:\(\w+\))?[sr]")


def _cli(*args: str, cwd: Path, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    if lang is not None:
        env["LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


def _case(tmp_path: Path, name: str = "bad-status-near-miss") -> Path:
    """The basic fixture with one invalid case laid over it (as tests/test_invalid.py does)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    shutil.copytree(TESTS / "invalid" / name / "content", content, dirs_exist_ok=True)
    return content


def test_catalogues_are_complete_and_current() -> None:
    """Every message in the code has Chinese, zh_Hant is converted from zh_Hans, the .mo are compiled."""
    found = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "--check"], capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_every_translation_keeps_the_fields_of_its_id(language: str) -> None:
    """A translation that drops or renames `{field}` would show the English instead: none does."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "gongshi.po").open("rb") as f:
        catalog = read_po(f)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        fields = (
            sorted(pattern.findall(text)) for pattern in (FIELD, PERCENT) for text in (message.id, message.string)
        )
        if next(fields) != next(fields) or next(fields) != next(fields):
            wrong.append(message.id)
    assert not wrong


def test_chinese_is_the_default_and_follows_the_source_script(tmp_path: Path) -> None:
    """No English locale: the problems, the hint and the summary are in Chinese; Traditional when the
    site writes Traditional; `path:line:col` stays first so editors still jump to the place."""
    content = _case(tmp_path)
    result = _cli("check", cwd=tmp_path, lang="C.UTF-8")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("content/initiatives/rural-bus.yaml:"))
    first, rest = lines[at], lines[at + 1 :]
    assert first.startswith("content/initiatives/rural-bus.yaml:2:9: 错误: ")
    assert "planned（未启动）" in first and HAN.search(first.split("错误: ")[1].split("planned")[0])
    assert any(line.startswith("  提示: ") for line in rest)
    assert "error" not in result.stderr and "hint" not in result.stderr
    assert HAN.search(rest[-1]), rest[-1]

    site = (content / "site.yaml").read_text("utf-8")
    (content / "site.yaml").write_text(re.sub(r"(?m)^source_lang:.*$", "", site) + "source_lang: zh-Hant\n", "utf-8")
    traditional = _cli("check", cwd=tmp_path, lang="C.UTF-8").stderr
    assert ": 錯誤: " in traditional and "  提示: " in traditional
    assert "planned（未啟動）、in_progress（推進中）" in traditional  # the statuses' names converted too


@pytest.mark.parametrize("how", [("--lang", "en"), ("--lang=en",), ()])
def test_english_with_lang_option_or_english_locale(tmp_path: Path, how: tuple[str, ...]) -> None:
    _case(tmp_path)
    result = _cli("check", *how, cwd=tmp_path, lang="C.UTF-8" if how else "en_GB.UTF-8")
    assert result.returncode == 1
    assert "content/initiatives/rural-bus.yaml:2:9: error: status 'inprogress' is not one of" in result.stderr
    assert "  hint: did you mean 'in_progress'?" in result.stderr
    assert re.search(r"\n1 error\(s\), \d+ warning\(s\); nothing was written\n$", result.stderr)


def test_lang_option_before_the_command_and_in_traditional(tmp_path: Path) -> None:
    _case(tmp_path)
    result = _cli("--lang", "zh-hant", "check", cwd=tmp_path, lang="en_US.UTF-8")
    assert ": 錯誤: " in result.stderr
    wrong = _cli("check", "--lang", "fr", cwd=tmp_path)
    assert wrong.returncode == 2 and "--lang" in wrong.stderr


def test_json_keeps_the_english_id_beside_the_chinese_message(tmp_path: Path) -> None:
    _case(tmp_path)
    result = _cli("check", "--format", "json", cwd=tmp_path, lang="zh_CN.UTF-8")
    [problem] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert problem["id"] == "{field} '{value}' is not one of {choices}"
    assert HAN.search(problem["message"]) and HAN.search(problem["hint"])


def test_help_and_argparse_errors_in_chinese(tmp_path: Path) -> None:
    """`--help` of every command, and argparse's own words (usage, its errors), in the staff's language."""
    top = _cli("--help", cwd=tmp_path, lang="zh_CN.UTF-8").stdout
    assert top.startswith("用法") and "--lang" in top
    for command in ("build", "check", "serve", "review", "new", "lint", "convert", "export", "import"):
        text = _cli(command, "--help", cwd=tmp_path, lang="zh_CN.UTF-8").stdout
        assert text.startswith("用法"), command
        # every option and argument has help, and it is Chinese
        for line in text.splitlines():
            if re.match(r"^  (-|\w)", line) and "  " in line.strip():
                assert HAN.search(line), (command, line)
    english = _cli("check", "--help", cwd=tmp_path, lang="en_US.UTF-8").stdout
    assert english.startswith("usage:") and "treat warnings as errors" in english
    missing = _cli("import", cwd=tmp_path, lang="zh_CN.UTF-8")
    assert missing.returncode == 2 and "用法" in missing.stderr and "错误" in missing.stderr


def test_serve_error_page_in_the_staff_language(tmp_path: Path) -> None:
    from gongshi.errors import ContentError
    from gongshi.pipeline import Options, build_site
    from gongshi.serve import Preview

    content = _case(tmp_path)
    options = Options(content=content, out=tmp_path / "site", search=False, history=False)
    for language, heading, word in (("zh-Hans", "构建失败", "错误"), ("en", "The build failed", "error")):
        preview = Preview(options, liveport=35999, tr=messages(language))
        assert not preview.rebuild()
        page = preview.error_page().decode()
        assert f'<html lang="{language}">' in page and f"<h1>{heading}</h1>" in page
        assert f"<strong>{word}</strong>" in page and "vscode://file/" in page
    with pytest.raises(ContentError):
        build_site(options)


def test_staff_language_precedence() -> None:
    assert staff_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert staff_language(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert staff_language(None, {"LC_ALL": "", "LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh-Hant"
    assert staff_language(None, {"LANG": "C.UTF-8"}, "zh-Hant") == "zh-Hant"
    assert staff_language(None, {"LANG": "de_DE.UTF-8"}) == "zh-Hans"
    assert staff_language(None, {}) == "zh-Hans"
    assert language_option("ZH-HANT") == "zh-Hant" and language_option("zh_CN") == "zh-Hans"
    with pytest.raises(ValueError):
        language_option("fr")


_values = st.one_of(st.integers(), st.text(max_size=20))


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), _values, min_size=3, max_size=3))
def test_a_text_is_its_english_and_survives_a_cache(args: dict[str, object]) -> None:
    """A `Text` equals the English it stands for, through pickling and the manifest's JSON, nested too."""
    import pickle

    inner = msg("{a} and {b}", a=args["a"], b=args["b"])
    text = msg("{c}: {inner}", c=args["c"], inner=inner)
    assert text == f"{args['c']}: {args['a']} and {args['b']}"
    assert ENGLISH(text) == text
    for copy in (pickle.loads(pickle.dumps(text)), Text.from_json(json.loads(json.dumps(text.to_json())))):
        assert copy == text and isinstance(copy, Text)
        assert messages("zh-Hans")(copy) == messages("zh-Hans")(text)


def test_a_translation_that_lost_a_field_shows_the_english() -> None:
    import gettext

    class Broken(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "坏了 {nothing}"

    from gongshi.i18n import Messages

    assert Messages("zh-Hans", Broken())(msg("file {name} is missing", name="a")) == "file a is missing"

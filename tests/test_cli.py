"""The command line end to end, as staff and CI run it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT

BASIC = FIXTURES / "basic" / "content"


def _copy_basic(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    return content


def test_build_writes_both_editions_and_summary(run_cli, tmp_path: Path) -> None:
    """`gongshi` with no command builds content/ into site/ and ends with a summary line."""
    _copy_basic(tmp_path)
    result = run_cli()
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "zh-hans" / "index.html").is_file()
    assert (tmp_path / "site" / "zh-hant" / "initiatives" / "rural-bus" / "index.html").is_file()
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("built ") and "written" in last and "unchanged" in last and last.endswith(" s")


def test_rebuild_uses_the_cache_unless_told_not_to(run_cli, tmp_path: Path) -> None:
    """A second build with nothing changed writes nothing; --no-cache neither reads nor writes .cache/."""
    _copy_basic(tmp_path)
    first = run_cli("build", "--no-cache")
    assert first.returncode == 0, first.stderr
    assert not (tmp_path / ".cache").exists()
    assert run_cli("build").returncode == 0
    assert list((tmp_path / ".cache").glob("build-*.json"))
    again = run_cli("build").stderr.strip().splitlines()[-1]
    assert " 0 written" in again and " 0 removed" in again, again


def test_progress_bar_counts_stages(monkeypatch) -> None:
    """On a terminal, each stage redraws one line: a bar of the stages done and the stage's name."""
    import io
    import sys

    from gongshi import cli
    from gongshi.i18n import ENGLISH

    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    cli._progress(ENGLISH, "render")
    line = stream.getvalue()
    assert line.startswith("\r\033[K[█████░░░░] ") and line.endswith("rendering pages…")  # 5 of 9 stages before it


def test_progress_bar_follows_the_build(tmp_path: Path) -> None:
    """The bar only moves forward: a build tells its stages in the order STAGE_NAMES lists them."""
    from gongshi import cli
    from gongshi.pipeline import Options, build_site

    told: list[str] = []
    build_site(
        Options(content=_copy_basic(tmp_path), out=tmp_path / "site", history=False, review=True, progress=told.append)
    )
    order = list(cli.STAGE_NAMES)
    assert set(told) <= set(order) and {"render", "write", "index"} <= set(told)
    assert [order.index(stage) for stage in told] == sorted(order.index(stage) for stage in told), told


def test_build_py_entry_point(run_cli, tmp_path: Path) -> None:
    """`python build.py --content X --out Y` works from any folder."""
    import subprocess
    import sys

    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--content", str(BASIC), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()


def test_check_writes_nothing(run_cli, tmp_path: Path) -> None:
    """`check` validates and exits 0 without creating site/."""
    _copy_basic(tmp_path)
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site").exists()
    assert "warning: glossary entry '清姜' changes nothing" in result.stderr


def test_content_errors_exit_1_in_gcc_format(run_cli, tmp_path: Path) -> None:
    """Content errors are all reported as path:line:col with a hint, exit 1, nothing written."""
    content = _copy_basic(tmp_path)
    (content / "initiatives" / "rural-bus.yaml").write_text("title: 公交\nstatus: doing\nprogres: 5\n", "utf-8")
    school = content / "initiatives" / "school-places.yaml"
    school.write_text("title: 学区\nstatus: planned\nprogress: 120\n", "utf-8")
    result = run_cli("build")
    assert result.returncode == 1
    err = result.stderr
    where = "content/initiatives/rural-bus.yaml:2:9: error: "
    assert where + "status 'doing' is not one of planned (not started), in_progress (under way)," in err
    assert "content/initiatives/rural-bus.yaml:3:1: error: unknown key 'progres'" in err
    assert "hint: did you mean 'progress'?" in err
    assert "content/initiatives/school-places.yaml:3:11: error: progress is 120; it must be from 0 to 100" in err
    assert "nothing was written" in err
    assert not (tmp_path / "site").exists()


def test_github_format(run_cli, tmp_path: Path) -> None:
    """--format github prints workflow annotations on the file's line."""
    content = _copy_basic(tmp_path)
    (content / "initiatives" / "rural-bus.yaml").write_text("title: 公交\nstatus: doing\n", "utf-8")
    result = run_cli("check", "--format", "github")
    assert result.returncode == 1
    assert "::error file=content/initiatives/rural-bus.yaml,line=2,col=9::status 'doing' is not one of" in result.stderr


def test_json_format(run_cli, tmp_path: Path) -> None:
    """--format json prints one machine-readable document of all problems."""
    content = _copy_basic(tmp_path)
    (content / "initiatives" / "rural-bus.yaml").write_text("title: 公交\nstatus: doing\n", "utf-8")
    result = run_cli("check", "--format", "json")
    problems = json.loads(result.stdout)
    errors = [p for p in problems if p["severity"] == "error"]
    assert [(p["path"], p["line"], p["col"]) for p in errors] == [("content/initiatives/rural-bus.yaml", 2, 9)]
    assert "did you mean" in errors[0]["hint"] or "allowed" in errors[0]["hint"]


def test_usage_errors_exit_2(run_cli, tmp_path: Path) -> None:
    """A missing content folder or an unknown option is a usage error, exit 2."""
    assert run_cli("build", "--content", "nowhere").returncode == 2
    assert run_cli("build", "--no-such-option").returncode == 2
    assert run_cli("convert").returncode == 2


def test_convert_stdin_keeps_lines(run_cli, tmp_path: Path) -> None:
    """`convert --to zh-Hant` converts stdin line by line with the site's glossary and overrides."""
    _copy_basic(tmp_path)
    text = "清姜商场的群众\n\n`代码 发` 和 [链接](https://example.org/发)\n-{里}-面"
    result = run_cli("convert", "--to", "zh-Hant", stdin=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == ["清姜商場的群眾", "", "`代码 发` 和 [鏈接](https://example.org/发)", "里面"]


def test_convert_file_to_simplified(run_cli, tmp_path: Path) -> None:
    """`convert --to zh-Hans FILE` converts a Traditional file."""
    source = tmp_path / "a.md"
    source.write_text("壓在心裡的石頭，羣衆看著", "utf-8")
    result = run_cli("convert", "--to", "zh-Hans", str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "压在心里的石头，群众看着"


def test_module_and_console_script_agree(run_cli) -> None:
    """`python -m gongshi --version` answers (the console script runs the same main)."""
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("gongshi ")


def test_sample_content_passes_strict_check(run_cli) -> None:
    """The README recommends `check --strict` for pre-commit and CI: the sample content passes it."""
    result = run_cli("check", "--strict", "--content", str(ROOT / "content"))
    assert result.returncode == 0, result.stderr
    assert "0 warning(s)" in result.stderr


def test_convert_accepts_the_url_spelling_of_an_edition(run_cli) -> None:
    """`--to zh-hant`, as the site's URLs write it, works like `--to zh-Hant`."""
    result = run_cli("convert", "--to", "zh-hant", "--content", str(ROOT / "content"), stdin="统一出台政策")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "統一出臺政策"


def test_a_mistyped_command_is_named_with_the_likely_one(run_cli) -> None:
    """`chek` was taken as an argument of `build`: "unrecognized arguments: chek"."""
    result = run_cli("chek")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "gongshi: error: 'chek' is not a command: did you mean 'check'?"
    chinese = run_cli("chek", "--lang", "zh-Hans")
    assert "没有“chek”这个命令：是不是要用“check”？" in chinese.stderr

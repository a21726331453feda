"""Untrusted text, history and the build cache: no input crashes, hangs or corrupts a build (issue 17).

Each case builds a small site in a temporary folder and asserts the exit status is 0, 1 or 2, never
3 (a bug in gongshi). Inputs that used to take quadratic time are run in a child process with a
generous time limit: the fixed code takes well under a second, the old code hours, so the limit
tells them apart on any machine without asserting a duration.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, gongshi_cli
from openpyxl import load_workbook
from test_cache import found
from test_history import _git

from gongshi import markdown
from gongshi.convert import OVERRIDE_RE, Converter
from gongshi.errors import Diagnostic
from gongshi.history import read_history
from gongshi.i18n import msg
from gongshi.incremental import manifest as manifest_module
from gongshi.incremental.verified import warning_json
from gongshi.load.documents import Documents
from gongshi.load.source import Source
from gongshi.model import Body, Origin
from gongshi.outputs.data import safe_cell
from gongshi.pipeline import Options, build_site, render_files

UPDATE = """---
title: 线路开通
date: 2019-07-01
initiatives: [rural-bus]
---
{body}
"""
# Python expressions of the worst inputs for a lazy `-\{(.*?)\}-`: every `-{` scans to the end.
WORST_OVERRIDES = ('"-{" * 200_000', '"-{" * 100_000 + "}-"', '"-{" * 100_000 + "}" * 100_000')


def _site(tmp_path: Path) -> Path:
    """The basic fixture site in `tmp_path`; returns its content folder."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    return tmp_path / "content"


def _build(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = gongshi_cli("build", "--no-search", *args, cwd=tmp_path)
    assert result.returncode in (0, 1, 2), result.stderr
    return result


def _finishes(code: str, seconds: float = 30) -> None:
    """Runs `code` in a child Python; fails when it has not finished in `seconds` (the old,
    quadratic code needs hours on these inputs; the fixed one a fraction of a second)."""
    try:
        subprocess.run([sys.executable, "-c", code], check=True, timeout=seconds, capture_output=True)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {seconds} s: {code}") from None


# --- 1. overrides in linear time -------------------------------------------------------------------


def test_override_scan_is_linear_on_unclosed_markers() -> None:
    """`-{` repeated 200,000 times (with or without a closing `}-`) converts in linear time."""
    for text in WORST_OVERRIDES:
        _finishes(
            "from gongshi.convert import Converter, OVERRIDE_RE\n"
            f"text = {text}\n"
            "Converter().convert(text, 'zh-Hans', 'zh-Hant')\n"
            "OVERRIDE_RE.sub(lambda m: 'x', text)\n"
        )


def test_override_scan_finds_what_the_pattern_found() -> None:
    """The scan cuts overrides exactly where the `-\\{(.*?)\\}-` pattern did."""
    text = "a-{b}-c-{-{d}-e-{}--{f}}-g}--{h"
    found = [(m.start(), m.end(), m.group(0), m.group(1)) for m in OVERRIDE_RE.finditer(text)]
    assert found == [(1, 6, "-{b}-", "b"), (7, 14, "-{-{d}-", "-{d"), (15, 19, "-{}-", ""), (19, 25, "-{f}}-", "f}")]
    assert OVERRIDE_RE.sub(lambda m: m.group(1).upper(), text) == "aBc-{DeF}g}--{h"
    assert Converter().convert("-{发}-" + "-{" * 3, "zh-Hans", "zh-Hant") == "发" + "-{" * 3


def test_update_full_of_override_markers_builds(tmp_path: Path) -> None:
    """An update body of 200,000 `-{` builds (the issue's 40,000 took 44 s, 200,000 over 300 s)."""
    content = _site(tmp_path)
    (content / "updates" / "markers.md").write_text(UPDATE.format(body="-{" * 200_000), "utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "gongshi", "build", "--no-search", "--no-history"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("the build was still running after 60 s") from None
    assert result.returncode == 0, result.stderr


# --- 2. Markdown limited by structure ------------------------------------------------------------


def _body(text: str) -> Body:
    return Body(text, 6, Origin("content/updates/x.md"))


def test_pathological_markdown_is_refused_at_its_line() -> None:
    """`![a` × 100,000 (30 s), a 2,000 × 200 table (28 s, 687 MB) and 30,000 lines are content
    errors at the file and line, found before markdown-it ever sees them."""
    table = "前言\n\n" + "|a" * 200 + "|\n" + "|-" * 200 + "|\n" + ("|1" * 200 + "|\n") * 2_000
    cases = {"![a" * 100_000: (6, "Markdown marks"), table: (8, "cells"), "段落\n" * 30_000: (20_006, "lines")}
    for text, (line, words) in cases.items():
        [diag] = markdown.structure_errors(_body(text))
        assert (diag.path, diag.line, diag.is_error) == ("content/updates/x.md", line, True)
        assert words in diag.message and diag.hint


def test_real_narratives_are_within_the_markdown_limits() -> None:
    """The sample site's updates, and a long narrative dense with links, emphasis and a table, pass."""
    for path in sorted((ROOT / "content" / "updates").glob("*.md")):
        assert markdown.structure_errors(_body(path.read_text("utf-8"))) == [], path
    sentence = "据统计，全区新增[公交线路](https://example.org/a?x=1&y=2)三条，**覆盖**群众`12`万人。"
    table = "| 线路 | 里程 | 站点 |\n| --- | --- | --- |\n" + "| 1 路 | 12 公里 | 8 |\n" * 300
    long = ("\n\n".join([sentence * 5] * 250) + "\n\n" + table) * 2  # 380 KB, 15,000 marks
    assert markdown.structure_errors(_body(long)) == []


def test_deep_nesting_is_cut_by_markdown_it() -> None:
    """Quotes and lists nested 100,000 deep stay cheap: markdown-it's maxNesting (20) stops them."""
    _finishes(
        "from gongshi import markdown\n"
        "for text in ('>' * 100_000 + ' a', '[' * 100_000 + 'a' + ']' * 100_000, '*' * 100_000 + 'a'):\n"
        "    markdown.render(markdown.parse(text), str)\n"
    )


def test_pathological_update_fails_the_build_at_its_line(tmp_path: Path) -> None:
    """A build with such an update exits 1 quickly, naming the file and line."""
    content = _site(tmp_path)
    (content / "updates" / "brackets.md").write_text(UPDATE.format(body="![a" * 100_000), "utf-8")
    result = _build(tmp_path, "--no-history")
    assert result.returncode == 1
    assert "content/updates/brackets.md:6:1: error:" in result.stderr


def test_raw_html_images_from_other_hosts_are_dropped() -> None:
    """With allow_html, `<img src=https://…>` makes no third-party request; local pictures stay."""
    remote = (
        "<img src=https://cdn.example.org/a.png alt=远程>",
        '<IMG SRC="HTTPS://cdn.example.org/a.png">',
        '<img src="ht\ttps://cdn.example.org/a.png">',
        '<img src="https&#58;//cdn.example.org/a.png">',
        '<img src="//cdn.example.org/a.png">',
        "![远程](https://cdn.example.org/a.png)",
    )
    html = markdown.render(markdown.parse("\n\n".join(remote) + '\n\n<img src="photos/b.png" alt="本地">', True), str)
    assert "<img" in html and "cdn.example.org" not in html.replace('<a href="https://cdn.example.org/a.png"', "")
    assert '<img src="photos/b.png" alt="本地">' in html


# --- 3. the formula guard of every spreadsheet gongshi writes -------------------------------------

FORMULAS = (
    "=HYPERLINK(1)",
    "＝HYPERLINK(1)",
    "＋1",
    "－1",
    "＠SUM(1)",
    " =1+1",
    "\u3000=1+1",
    "\t=1",
    "\r=1",
    "\n=1",
    "\n\n+1",
    "-2+3",
    "@SUM(1)",
)


def test_formula_guard_covers_full_width_and_leading_space() -> None:
    """Text a spreadsheet could run gets a leading ', full-width and after spaces or line breaks too;
    numbers stay numbers, and ordinary text is left alone."""
    for text in FORMULAS:
        assert safe_cell(text) == "'" + text, text
    assert [safe_cell(v) for v in (-5, 2.5, "公交-线路", "A=1", "", None)] == [-5, 2.5, "公交-线路", "A=1", "", ""]


def _formula_site(tmp_path: Path) -> Path:
    content = _site(tmp_path)
    record = content / "initiatives" / "rural-bus.yaml"
    text = record.read_text("utf-8").replace("title: 开通城乡公交线路", 'title: "=HYPERLINK(1)"')
    text = text.replace("name: 新开通公交线路", 'name: " ＝1+1"').replace("unit: 条", "unit: '@SUM(1)'")
    record.write_text(text, "utf-8")
    return content


def test_open_data_csv_guards_titles_and_target_texts(tmp_path: Path) -> None:
    """data/initiatives.csv guards the title and each target's name and unit; figures stay figures."""
    files = render_files(Options(content=_formula_site(tmp_path), search=False, history=False)).files
    rows = csv.DictReader(io.StringIO(files["zh-hans/data/initiatives.csv"][3:].decode("utf-8")))
    row = next(r for r in rows if r["id"] == "rural-bus")
    assert (row["title"], row["target_name"], row["unit"]) == ("'=HYPERLINK(1)", "' ＝1+1", "'@SUM(1)")
    assert (row["progress"], row["target"], row["actual"]) == ("40", "2", "1")


def test_monthly_sheet_runs_no_formula(tmp_path: Path) -> None:
    """`export sheet` as CSV guards its cells like the open data; as XLSX its texts are text, not formulas."""
    content = _formula_site(tmp_path)
    for name in ("a.csv", "a.xlsx"):
        fmt = ("--format", "csv") if name.endswith("csv") else ()
        result = gongshi_cli("export", "sheet", "--content", str(content), "-o", name, *fmt, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    text = (tmp_path / "a.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "' ＝1+1" in text
    sheet = load_workbook(tmp_path / "a.xlsx").worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(cell.value == "=HYPERLINK(1)" for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)


# --- 4. history: old revisions as untrusted as today's files ----------------------------------------


def _history_repo(tmp_path: Path, *progresses: str) -> Path:
    """The basic site in git, with one commit of rural-bus per value of `progresses`, then 40 again."""
    content = _site(tmp_path)
    record = content / "initiatives" / "rural-bus.yaml"
    written = record.read_text("utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first", date="2019-03-01T09:00:00+08:00")
    for day, value in enumerate((*progresses, "40"), 2):
        record.write_text(written.replace("progress: 40\n", f"progress: {value}\n", 1), "utf-8")
        _git(tmp_path, "commit", "-qam", "edit", "--allow-empty", date=f"2019-04-{day:02d}T09:00:00+08:00")
    return content


def test_invalid_old_revisions_are_skipped(tmp_path: Path) -> None:
    """An old commit with a 400-digit progress (it made every build exit 3), .inf, .nan, 250 or
    text is left out of the history; the build succeeds."""
    bad = ("1" * 400, ".inf", ".nan", "250", "一半", "[40]")
    content = _history_repo(tmp_path, *bad)
    revisions = read_history(content).revisions["rural-bus"]
    assert [(str(r.date), r.progress) for r in revisions] == [("2019-03-01", 40), ("2019-04-08", 40)]
    assert _build(tmp_path).returncode == 0


@pytest.mark.parametrize("damage", ["[]", "null", "5", '{"key": 1}', "{", '"x"', "WRONG_FIELD", "INFINITE", "HUGE"])
def test_damaged_history_cache_is_rebuilt(tmp_path: Path, damage: str) -> None:
    """.cache/history.json holding [], null, a wrong field type (each made every build exit 3) or
    values no commit can have is ignored and written again."""
    content = _history_repo(tmp_path, "30")
    expected = read_history(content)
    cache = tmp_path / ".cache" / "history.json"
    if damage in ("WRONG_FIELD", "INFINITE", "HUGE"):
        data = json.loads(cache.read_text("utf-8"))
        first = data["revisions"]["rural-bus"][0]
        first.update({"WRONG_FIELD": {"date": 20190301}, "INFINITE": {"progress": 1e999}}.get(damage, {}))
        first["progress"] = int("9" * 400) if damage == "HUGE" else first["progress"]
        text = json.dumps(data)
    else:
        text = damage
    cache.write_text(text, "utf-8")
    assert read_history(content) == expected
    assert json.loads(cache.read_text("utf-8"))["revisions"]
    assert _build(tmp_path).returncode == 0


def test_oversized_blob_in_history_is_not_read(tmp_path: Path) -> None:
    """A record of 34 MB anywhere in history (each build took 17–19 s and 1.25 GB) is skipped
    without being read: its revision is left out, the others stay."""
    content = _history_repo(tmp_path, "30")
    record = content / "initiatives" / "rural-bus.yaml"
    record.write_text(record.read_text("utf-8") + "# " + "x" * 34_000_000 + "\n", "utf-8")
    _git(tmp_path, "commit", "-qam", "huge", date="2019-05-01T09:00:00+08:00")
    _git(tmp_path, "revert", "--no-edit", "HEAD", date="2019-05-02T09:00:00+08:00")
    code = (
        "import resource, sys\n"
        "from gongshi.history import read_history\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"revisions = read_history(__import__('pathlib').Path({str(content)!r})).revisions['rural-bus']\n"
        "print(len(revisions), (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    count, megabytes = map(int, done.stdout.split())
    assert count == 4  # first, 30, 40, the revert; not the huge one
    assert megabytes < 20  # the blob was never in memory, not even once


# --- 5. the build cache: verified, never trusted ------------------------------------------------------


def _manifest_file(root: Path) -> Path:
    [path] = (root / ".cache").glob("build-*.json")
    return path


def _key(text: str) -> str:
    return Documents.key("initiative", Source("content/initiatives/rural-bus.yaml", text))


def test_forged_valid_entry_does_not_skip_the_schema_check(tmp_path: Path) -> None:
    """A `valid` entry forged for an invalid record (its key put in place of the valid one's, in
    whatever form the manifest keeps it) does not skip the schema check: the error is reported."""
    content = _site(tmp_path)
    assert _build(tmp_path, "--no-history").returncode == 0
    record = content / "initiatives" / "rural-bus.yaml"
    good = record.read_text("utf-8")
    bad = good.replace("status: in_progress", "status: doing")
    record.write_text(bad, "utf-8")
    manifest = _manifest_file(tmp_path)
    assert _key(good) in manifest.read_text("utf-8")
    manifest.write_text(manifest.read_text("utf-8").replace(_key(good), _key(bad)), "utf-8")
    result = _build(tmp_path, "--no-history")
    assert result.returncode == 1
    assert "content/initiatives/rural-bus.yaml:2:9: error: status 'doing'" in result.stderr


def _malformed(data: dict[str, Any], case: str) -> object:
    """The manifest `data` with one thing of the wrong type or shape (`case`)."""
    warning = data["warnings"][0]
    first = next(iter(data["files"]))
    changes: dict[str, Any] = {
        "inputs": {"inputs": 5},
        "valid": {"valid": "abc"},
        "valid map": {"valid": {"abc": 5}},
        "files": {"files": []},
        "file size": {"files": {**data["files"], first: [*data["files"][first][:2], "12", 0]}},
        "file entry": {"files": {**data["files"], first: data["files"][first][:3]}},
        "search": {"search": {"zh-Hans": []}},
        "search lang": {"search": {"klingon": {}}},
        "warning line": {"warnings": [{**warning, "line": "7"}]},
        "warning field": {"warnings": [{**warning, "colour": "red"}]},
        "warning format": {"warnings": [{**warning, "message": {"template": "{x:>999999999}", "args": {"x": 1}}}]},
        "extra key": {"extra": 1},
    }
    if case in ("list", "null"):
        return [] if case == "list" else None
    return {**data, **changes[case]}


MALFORMED = ["list", "null", "inputs", "valid", "valid map", "files", "file size", "file entry", "search"]
MALFORMED += ["search lang", "warning line", "warning field", "warning format", "extra key"]


def test_malformed_manifest_counts_as_absent(tmp_path: Path) -> None:
    """A manifest with a wrong type anywhere (or a warning whose message would fill the memory)
    counts as absent: the next build is a clean one, never an internal error."""
    content = _site(tmp_path)
    options = Options(content=content, out=tmp_path / "site", search=False, history=False)
    build_site(options)
    path = _manifest_file(tmp_path)
    data = json.loads(path.read_text("utf-8"))
    data["warnings"] = [warning_json(Diagnostic("content", 1, 1, msg("file is {size:,} bytes", size=5), "hint"))]
    path.write_text(json.dumps(data), "utf-8")
    assert manifest_module.load(path, tmp_path / "site") is not None  # a warning as gongshi writes it
    for case in MALFORMED:
        path.write_text(json.dumps(_malformed(data, case)), "utf-8")
        assert manifest_module.load(path, tmp_path / "site") is None, case
        result = build_site(options)
        assert result.files and not result.reused, case  # a clean build: every file is made again


def test_stale_search_map_is_checked_against_the_bundle(tmp_path: Path, pagefind: Path) -> None:
    """A search map whose ids are not those of the bundle's pages (stale or forged: here none, which
    hid nothing, so every edited page was found twice) is dropped and the index made again: search
    finds what a clean build's finds."""
    content = _site(tmp_path)
    options = Options(content=content, out=tmp_path / "site", history=False)
    build_site(options)
    path = _manifest_file(tmp_path)
    data = json.loads(path.read_text("utf-8"))
    for pages in data["search"].values():
        for entry in pages.values():
            entry[1] = ""  # as if Pagefind had left every page out: nothing would be hidden
    path.write_text(json.dumps(data), "utf-8")
    record = content / "initiatives" / "rural-bus.yaml"
    record.write_text(record.read_text("utf-8").replace("title: 开通", "title: 新开通"), "utf-8")
    build_site(options)
    build_site(Options(content=content, out=tmp_path / "clean", history=False, cache=False))
    assert found(tmp_path / "site") == found(tmp_path / "clean")


# --- found on the way: dates and figures -------------------------------------------------------------------


def test_a_date_with_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    """`due: "2019 1<20,000 spaces>x"` took 16 s: the optional spaces around a separator were tried
    every way of splitting the run."""
    _finishes("from gongshi.load.dates import _meant; _meant('2019 1' + ' ' * 200_000 + 'x')")


@pytest.mark.parametrize("figure", [".nan", ".inf", "-.inf", ".NaN"])
def test_a_figure_that_is_not_a_number_is_an_error_at_its_line(tmp_path: Path, figure: str) -> None:
    """`progress: .nan` passed the schema (no comparison with NaN is true) and the build exited 3."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    record = tmp_path / "content" / "initiatives" / "rural-bus.yaml"
    record.write_text(record.read_text("utf-8").replace("progress: 40", f"progress: {figure}", 1), "utf-8")
    result = _build(tmp_path)
    assert result.returncode == 1
    assert "rural-bus.yaml:" in result.stderr and f"'{figure}' is not a valid float" in result.stderr


def test_the_inputs_digest_never_reads_through_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build cache's digest of content/ read every file a link pointed to, outside content/ too."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (tmp_path / "secret.txt").write_text("hunter2", "utf-8")
    (content / "notes.txt").symlink_to(tmp_path / "secret.txt")
    (content / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    read: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(str(self)) or original(self))
    before = manifest_module.digest_folders([content])
    assert read and not [path for path in read if "secret" in path or "elsewhere" in path]
    (tmp_path / "secret.txt").write_text("changed", "utf-8")
    assert manifest_module.digest_folders([content]) == before  # the link, not what it points to
    (content / "notes.txt").unlink()
    (content / "notes.txt").symlink_to(tmp_path / "other.txt")
    assert manifest_module.digest_folders([content]) != before

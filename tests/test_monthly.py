"""The monthly progress table: `export sheet` → a department fills it in → `import`.

The round trip is run as the office runs it: the command line writes the workbook, openpyxl edits
it as Excel would (values changed, a row deleted, rows reordered), the command line imports it,
and the records and built pages are compared with what they must be, byte for byte.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import FIXTURES
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from gongshi.pipeline import Options, build_site, check_site

CONTENT = FIXTURES / "monthly" / "content"
Run = Callable[..., CompletedProcess[str]]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the monthly fixture's content/, in the test's folder."""
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def _export(run: Run, site: Path, *extra: str) -> Path:
    result = run("export", "sheet", "--content", str(site), "-o", "sheet.xlsx", *extra)
    assert result.returncode == 0, result.stderr
    return site.parent / "sheet.xlsx"


def _table(path: Path) -> tuple[Worksheet, dict[str, int], dict[str, int]]:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = {str(cell.value): cell.column for cell in sheet[1]}
    rows = {str(sheet.cell(r, 1).value): r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value}
    return sheet, columns, rows


def _fill(path: Path, values: dict[tuple[str, str], object], drop: str = "", reverse: bool = False) -> Path:
    """The table as a department returns it: `values` by (编号, header), a row deleted, the rest reordered."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = {str(cell.value): cell.column for cell in sheet[1]}
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=2) if row[0].value]
    for row in table:
        for (ident, header), value in values.items():
            if row[0] == ident:
                row[columns[header] - 1] = value
    table = [row for row in table if row[0] != drop]
    sheet.delete_rows(2, sheet.max_row)
    for row in reversed(table) if reverse else table:
        sheet.append(row)
    out = path.with_name("filled.xlsx")
    book.save(out)
    return out


def test_export_sheet_layout(run_cli: Run, site: Path) -> None:
    """One row per initiative (per target where it has several); the record's state on the left,
    locked; the columns to fill on the right, unlocked, with a status drop-down and number checks."""
    sheet, columns, rows = _table(_export(run_cli, site))
    assert list(columns) == [
        "编号",
        "项目名称",
        "目标任务",
        "责任单位",
        "计划",
        "上次报告",
        "本期完成",
        "进度（%）",
        "状态",
        "情况说明",
        "原因",
        "措施",
    ]
    assert list(rows) == ["bus-lines", "clinics", "old-housing#1", "old-housing#2", "pocket-parks", "street-lights"]
    bus = [sheet.cell(rows["bus-lines"], c).value for c in range(1, 7)]
    assert bus == [
        "bus-lines",
        "开通城乡公交线路",
        "新开通公交线路",
        "测试区交通运输局",
        "3 条",
        "2021-06-30，推进中，40%，完成 1 条",
    ]
    assert sheet.cell(rows["old-housing#2"], columns["计划"]).value == "1.2 亿元"
    assert sheet.freeze_panes == "C2" and sheet.protection.sheet
    assert (
        sheet.cell(2, columns["编号"]).protection.locked and not sheet.cell(2, columns["进度（%）"]).protection.locked
    )
    checks = {str(dv.sqref)[0]: dv for dv in sheet.data_validations.dataValidation}
    assert checks["I"].formula1 == '"未启动,推进中,滞后,已完成,已取消"'
    assert (checks["H"].type, checks["H"].formula1, checks["H"].formula2) == ("decimal", "0", "100")
    help_page = load_workbook(site.parent / "sheet.xlsx").worksheets[1]
    assert help_page.title == "填写说明" and help_page.cell(2, 1).value == "编号"


def test_export_filters_and_csv(run_cli: Run, site: Path) -> None:
    """--department keeps the rows of one unit; CSV is UTF-8 with a byte-order mark for Excel and WPS."""
    result = run_cli(
        "export", "sheet", "--content", str(site), "--department", "城市管理局", "--format", "csv", "-o", "a.csv"
    )
    assert result.returncode == 0, result.stderr
    data = (site.parent / "a.csv").read_bytes()
    assert data.startswith("\ufeff编号,项目名称".encode())
    ids = [line.split(",")[0] for line in data.decode("utf-8-sig").splitlines()[1:]]
    assert ids == ["old-housing#1", "old-housing#2", "pocket-parks", "street-lights"]
    assert run_cli("export", "sheet", "--content", str(site), "--year", "1999").returncode == 2


MONTH = {
    ("bus-lines", "进度（%）"): 60,
    ("bus-lines", "本期完成"): 2,
    ("bus-lines", "情况说明"): "第二条线路已经开通。",
    ("pocket-parks", "进度（%）"): "35%",
    ("old-housing#1", "进度（%）"): 45,
    ("old-housing#2", "本期完成"): 0.6,
    ("clinics", "状态"): "滞后",
    ("clinics", "原因"): "施工队伍进场推迟。",
    ("clinics", "措施"): "增加施工班组，倒排工期。",
}
SOURCE = ("--source-title", "测试日报九月报道", "--source-url", "https://example.org/news/9")

BUS_AFTER = """# 来源：测试日报 2021-06-30 报道
title: 开通城乡公交线路
status: in_progress
progress: 60   # 按已开通线路估算
department: 测试区交通运输局
year: 2021
due: 2021-12

summary: 年底前开通 3 条通往乡村的公交线路。
targets:
  - name: 新开通公交线路
    target: 3
    actual: 2
    unit: 条
log:
  - date: 2021-06-30
    status: in_progress
    progress: 40
    note: 第一条线路已经开通。
    source: 测试日报报道
  - date: 2021-09-30
    progress: 60
    note: 第二条线路已经开通。
    source: 测试日报九月报道
sources:
  - title: 测试日报报道
    publisher: 测试日报
    url: https://example.org/news/1
    date: 2021-06-30
  - title: 测试日报九月报道
    url: https://example.org/news/9
    date: 2021-09-30
"""

CLINICS_AFTER = """title: 社区卫生服务站提质
status: delayed
progress: 50
department: 测试区卫生健康局
year: 2021
due: 2021-12
summary: >-
  对 4 个社区卫生服务站进行改造，
  增加全科医生诊室。
reason: 施工队伍进场推迟。
remedy: 增加施工班组，倒排工期。
log:
  - date: 2021-09-30
    status: delayed
    note: 原因：施工队伍进场推迟；措施：增加施工班组，倒排工期。
    source: 测试日报九月报道
sources:
  - title: 测试日报九月报道
    url: https://example.org/news/9
    date: 2021-09-30
"""


def test_round_trip(run_cli: Run, site: Path, tmp_path: Path) -> None:
    """Three progress figures, two target figures, one delay with its reason and remedy; a row
    deleted and the rest reversed. --dry-run shows the diff and writes nothing; the import then
    changes exactly those values, keeps comments, blank lines, quoting and key order, and the
    built pages show the new month."""
    before = {p.name: p.read_text("utf-8") for p in (site / "initiatives").iterdir()}
    filled = _fill(_export(run_cli, site), MONTH, drop="street-lights", reverse=True)
    dry = run_cli("import", str(filled), "--content", str(site), "--date", "2021-09-30", *SOURCE, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "+progress: 60   # 按已开通线路估算" in dry.stdout and "-progress: 40   # 按已开通线路估算" in dry.stdout
    assert "would update 4 record(s) from 5 row(s)" in dry.stderr
    assert {p.name: p.read_text("utf-8") for p in (site / "initiatives").iterdir()} == before
    done = run_cli("import", str(filled), "--content", str(site), "--date", "2021-09-30", *SOURCE)
    assert done.returncode == 0, done.stderr
    after = {p.name: p.read_text("utf-8") for p in (site / "initiatives").iterdir()}
    assert after["bus-lines.yaml"] == BUS_AFTER
    assert after["clinics.yaml"] == CLINICS_AFTER
    assert after["street-lights.yaml"] == before["street-lights.yaml"]
    assert after["pocket-parks.yaml"].startswith('title: "新建口袋公园"\nstatus: in_progress\nprogress: 35\n')
    assert "summary: '利用边角地新建 5 个口袋公园。'" in after["pocket-parks.yaml"]
    assert "    actual: 0.6\n" in after["old-housing.yaml"] and "progress: 45\n" in after["old-housing.yaml"]
    pages = build_site(Options(content=site, out=tmp_path / "site", search=False, history=False)).files
    bus = pages["zh-hans/initiatives/bus-lines/index.html"].decode()
    assert "第二条线路已经开通。" in bus and "60%" in bus
    clinics = pages["zh-hant/initiatives/clinics/index.html"].decode()
    assert "施工隊伍進場推遲" in clinics and "滯後" in clinics


def test_bad_rows_are_all_reported_and_nothing_is_written(run_cli: Run, site: Path) -> None:
    """Every problem of the table in one run, each at its cell, with a hint; nothing written."""
    before = {p.name: p.read_text("utf-8") for p in (site / "initiatives").iterdir()}
    table = _export(run_cli, site)
    filled = _fill(
        table,
        {
            ("bus-lines", "进度（%）"): "九十",
            ("clinics", "状态"): "快完成了",
            ("pocket-parks", "进度（%）"): 10,
            ("old-housing#1", "本期完成"): "两个",
            ("street-lights", "编号"): "street-light",
        },
    )
    result = run_cli("import", str(filled), "--content", str(site), "--date", "2021-05-01")
    assert result.returncode == 1
    expected = [
        "filled.xlsx:月度进展!H2: error: 进度 must be a number from 0 to 100, not '九十'",
        "  hint: write the number only, like 90 or 87.5 (the % sign may stay)",
        "filled.xlsx:月度进展!I3: error: 状态 must be one of 未启动、推进中、滞后、已完成、已取消, not '快完成了'",
        "filled.xlsx:月度进展!G4: error: 本期完成 must be a number, not '两个'",
        "filled.xlsx:月度进展!H6: warning: 进度 goes down from 20% to 10: confirm this is right",
    ]
    for line in expected:
        assert line in result.stderr
    assert "error(s)" in result.stderr and "nothing was written" in result.stderr
    assert {p.name: p.read_text("utf-8") for p in (site / "initiatives").iterdir()} == before


def test_unknown_and_repeated_ids(run_cli: Run, site: Path) -> None:
    """An 编号 the site does not have gets the closest one as a hint; a repeated one names its first row."""
    filled = _fill(_export(run_cli, site), {("street-lights", "进度（%）"): 5, ("clinics", "进度（%）"): 55})
    book = load_workbook(filled)
    sheet = book.worksheets[0]
    sheet.cell(7, 1).value = "street-light"
    sheet.append(["clinics", None, None, None, None, None, None, 60])
    book.save(filled)
    result = run_cli("import", str(filled), "--content", str(site), "--date", "2021-09-30")
    assert result.returncode == 1
    assert "filled.xlsx:月度进展!A7: error: 编号 'street-light' is not a record of this site" in result.stderr
    assert "hint: did you mean 'street-lights'?" in result.stderr
    assert "filled.xlsx:月度进展!A8: error: 编号 'clinics' is also on row 3" in result.stderr


def test_delay_needs_reason_and_remedy_and_old_dates_warn(run_cli: Run, site: Path) -> None:
    """滞后 without 原因 and 措施 is an error; a report date before the record's last report is a warning."""
    filled = _fill(_export(run_cli, site), {("clinics", "状态"): "滯後", ("bus-lines", "进度（%）"): 50})
    result = run_cli("import", str(filled), "--content", str(site), "--date", "2021-05-01")
    assert "filled.xlsx:月度进展!I3: error: 状态 滞后 needs 原因 and 措施" in result.stderr
    assert (
        "filled.xlsx:月度进展!H2: warning: the report date 2021-05-01 is before this record's last report (2021-06-30)"
        in result.stderr
    )


def test_gbk_csv_is_explained(run_cli: Run, site: Path) -> None:
    """A CSV saved by Excel's 'CSV (逗号分隔)' on a Chinese system is GBK: said, with what to do."""
    (site.parent / "gbk.csv").write_bytes("编号,进度（%）\nbus-lines,60\n".encode("gbk"))
    result = run_cli("import", "gbk.csv", "--content", str(site), "--date", "2021-09-30")
    assert result.returncode == 1
    assert "gbk.csv:1:1: error: the CSV file is in the GBK encoding, not UTF-8" in result.stderr
    assert "CSV UTF-8" in result.stderr


def test_utf8_csv_imports(run_cli: Run, site: Path) -> None:
    """A UTF-8 CSV with a real table's headers (完成率 for progress) imports; places are line:column."""
    (site.parent / "m.csv").write_text("\ufeff序号,编号,完成率\n1,pocket-parks,40\n2,clinics,一半\n", "utf-8")
    result = run_cli("import", "m.csv", "--content", str(site), "--date", "2021-09-30")
    assert "m.csv:3:3: error: 进度 must be a number from 0 to 100, not '一半'" in result.stderr
    (site.parent / "m.csv").write_text("\ufeff序号,编号,完成率\n1,pocket-parks,40\n", "utf-8")
    result = run_cli("import", "m.csv", "--content", str(site), "--date", "2021-09-30")
    assert result.returncode == 0, result.stderr
    assert "progress: 40\n" in (site / "initiatives" / "pocket-parks.yaml").read_text("utf-8")


def test_example_content_builds() -> None:
    """The real example (examples/yueyanglou: a month entered by hand, the next imported) stays valid."""
    example = Path(__file__).parent.parent / "examples" / "yueyanglou" / "content"
    checked = check_site(Options(content=example), editorial=True)
    item = checked.content.initiative("yyl-road-safety")
    assert item is not None and item.status == "completed" and [e.date.iso for e in item.log] == ["2019-07", "2019-08"]

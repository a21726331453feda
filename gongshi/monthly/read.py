"""Reading a filled monthly table (.xlsx or .csv): its rows, by header name, with each cell's place.

Departments delete rows, reorder them, add columns and save in either script, so columns are found
by their header (编号, 进度（%）, 進度…, and the names real tables use: 完成率, 完成情况), never
by position. A cell's place is reported as a spreadsheet shows it: `Sheet1!D7` for a workbook,
line and column for a CSV file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gongshi.convert import Converter
from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import msg
from gongshi.monthly import COLUMNS
from gongshi.page import number

# Other names real tables give the columns (normalised: no spaces, half-width brackets, Simplified).
ALIASES = {
    "进度": "progress",
    "进度%": "progress",
    "完成率": "progress",
    "完成率(%)": "progress",
    "完成进度": "progress",
    "累计完成": "actual",
    "完成数": "actual",
    "完成情况": "note",
    "进展情况": "note",
    "滞后原因": "reason",
    "整改措施": "remedy",
    "补救措施": "remedy",
}


@dataclass(frozen=True)
class Cell:
    text: str  # the value as text, stripped ("" when empty)
    row: int
    col: int
    place: str  # "Sheet1!D7", or "" in a CSV file (line and column say it)

    def problem(self, path: str, message: str, hint: str = "", warning: bool = False) -> Diagnostic:
        severity = Severity.WARNING if warning else Severity.ERROR
        return Diagnostic(path, self.row, self.col, message, hint, severity, cell=self.place)


@dataclass(frozen=True)
class Sheet:
    path: str
    rows: tuple[dict[str, Cell], ...]  # column key → cell, for every row below the header


def read_sheet(path: Path, converter: Converter) -> tuple[Sheet | None, list[Diagnostic]]:
    """The table in `path`, or the problems that keep it from being read."""
    shown = str(path)
    if not path.is_file():
        return None, [Diagnostic(shown, 1, 1, msg("no such file"), msg("give the path of the filled table"))]
    if path.suffix.lower() == ".csv":
        grid, problems = _csv_grid(path)
        places = False
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        grid, problems = _xlsx_grid(path)
        places = True
    else:
        hint = msg("save the table as .xlsx (Excel or WPS: 另存为 → Excel 工作簿) or as CSV UTF-8")
        return None, [Diagnostic(shown, 1, 1, msg("cannot read a '{suffix}' file", suffix=path.suffix), hint)]
    if grid is None:
        return None, problems
    name, table = grid
    return _columns(shown, name if places else "", table, converter)


def _csv_grid(path: Path) -> tuple[tuple[str, list[list[object]]] | None, list[Diagnostic]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            return None, [
                Diagnostic(
                    str(path), 1, 1, msg("the file is not UTF-8 text"), msg("save the table as CSV UTF-8 or .xlsx")
                )
            ]
        hint = msg(
            "Excel's 'CSV (逗号分隔)' saves in the GBK encoding; save it again as 'CSV UTF-8 (逗号分隔)' "
            "or as an Excel workbook (.xlsx), then import that file"
        )
        return None, [Diagnostic(str(path), 1, 1, msg("the CSV file is in the GBK encoding, not UTF-8"), hint)]
    return ("", [list(r) for r in csv.reader(io.StringIO(text))]), []


def _xlsx_grid(path: Path) -> tuple[tuple[str, list[list[object]]] | None, list[Diagnostic]]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file: say so, whatever openpyxl raised
        hint = msg("open it in Excel or WPS and save it again as an Excel workbook (.xlsx)")
        problem = msg("not a readable .xlsx workbook ({error})", error=type(exc).__name__)
        return None, [Diagnostic(str(path), 1, 1, problem, hint)]
    for sheet in book.worksheets:
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        if any(_key(v) == "id" for row in table[:5] for v in row):
            book.close()
            return (sheet.title, table), []
    book.close()
    hint = msg("the first row of the table must keep the headers export wrote, with 编号 among them")
    return None, [Diagnostic(str(path), 1, 1, msg("no sheet has a 编号 column"), hint)]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _normal(header: str) -> str:
    return "".join(unicodedata.normalize("NFKC", header).split())


_KEYS = {**{_normal(c.header): c.key for c in COLUMNS}, **ALIASES}


def _key(value: object, converter: Converter | None = None) -> str | None:
    header = _normal(_text(value))
    if converter is not None:
        header = converter.convert(header, "zh-Hant", "zh-Hans")
    return _KEYS.get(header)


def _columns(
    path: str, sheet: str, table: list[list[object]], converter: Converter
) -> tuple[Sheet | None, list[Diagnostic]]:
    start = next((i for i, row in enumerate(table[:5]) if any(_key(v, converter) == "id" for v in row)), None)
    if start is None:
        hint = msg("the first row of the table must keep the headers export wrote, with 编号 among them")
        return None, [Diagnostic(path, 1, 1, msg("the table has no 编号 column"), hint)]
    keys: dict[int, str] = {}
    for col, value in enumerate(table[start]):
        key = _key(value, converter)
        if key is not None and key not in keys.values():
            keys[col] = key
    rows = []
    for number_, row in enumerate(table[start + 1 :], start + 2):
        cells = {key: _cell(row, col, number_, sheet) for col, key in keys.items()}
        if any(c.text for c in cells.values()):
            rows.append(cells)
    return Sheet(path, tuple(rows)), []


def _cell(row: list[object], col: int, number_: int, sheet: str) -> Cell:
    value = _text(row[col]) if col < len(row) else ""
    return Cell(value, number_, col + 1, f"{sheet}!{get_column_letter(col + 1)}{number_}" if sheet else "")

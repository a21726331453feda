"""`gongshi export sheet`: the monthly table, one row per initiative (per target where it has several).

The sheet is in the site's source script, in the order of the records, with the columns of
`COLUMNS`: what the record says now on the left (locked), the columns a department fills in on
the right (unlocked, with drop-downs and number checks), and a second page explaining each column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gongshi.convert import Converter
from gongshi.model import Content, Initiative, Lang, Target, Text
from gongshi.monthly import COLUMNS, HELP_TITLE, SHEET_TITLE, TARGET_MARK
from gongshi.outputs.data import safe_cell
from gongshi.page import number
from gongshi.vocabulary import STATUS_LABELS

Row = dict[str, str]
EXTRA_ROWS = 200  # rows below the table that keep the drop-downs, for rows a department adds


class _Words:
    """Texts of the records in the sheet's script."""

    def __init__(self, converter: Converter, lang: Lang) -> None:
        self.converter, self.lang = converter, lang

    def __call__(self, text: Text | str | None) -> str:
        if text is None:
            return ""
        if isinstance(text, str):  # gongshi's own words, written in Simplified
            return self.converter.convert(text, "zh-Hans", self.lang)
        return text.written(self.lang) or self.converter.convert(text.original, text.lang, self.lang)


def sheet_rows(
    content: Content, converter: Converter, year: int | None = None, department: str | None = None
) -> list[Row]:
    """The rows of the table: the records of `year`'s list whose responsible units include `department`."""
    words = _Words(converter, content.config.source_lang)
    rows: list[Row] = []
    for item in content.initiatives:
        if year is not None and item.list_year != year:
            continue
        if department and not any(department in words(d) for d in _units(item)):
            continue
        targets: Sequence[Target | None] = item.targets or (None,)
        for number_, target in enumerate(targets, 1):
            row_id = item.id if len(targets) == 1 else f"{item.id}{TARGET_MARK}{number_}"
            rows.append(_row(item, target, row_id, words))
    return rows


def _units(item: Initiative) -> list[Text]:
    return [
        *(item.departments or ([item.department] if item.department else [])),
        *(t.department for t in item.targets if t.department is not None),
    ]


def _row(item: Initiative, target: Target | None, row_id: str, words: _Words) -> Row:
    task = words(target.name) if target is not None else _first_sentence(words(item.summary))
    unit = target.department if target is not None and target.department is not None else item.department
    return {
        "id": row_id,
        "title": words(item.title),
        "task": task,
        "department": words(unit),
        "plan": _plan(target, words) if target is not None else "",
        "last": _last(item, target, words),
    }


def _first_sentence(text: str) -> str:
    end = text.find("。")
    return text[: end + 1] if 0 <= end < len(text) - 1 else text


def _plan(target: Target, words: _Words) -> str:
    if target.target is None:
        return ""
    figure = number(target.target)
    if target.target_max is not None:
        figure += f"–{number(target.target_max)}"
    prefix = {"at_least": words("不低于"), "at_most": words("不超过")}.get(target.bound, "")
    return " ".join(part for part in (prefix, figure, words(target.unit)) if part)


def _last(item: Initiative, target: Target | None, words: _Words) -> str:
    parts = []
    entry = max(item.log, key=lambda e: e.date.key) if item.log else None
    if entry is not None:
        parts.append(entry.date.iso)
    parts.append(words(STATUS_LABELS[item.status]))
    if item.progress is not None:
        parts.append(f"{number(item.progress)}%")
    if target is not None and target.actual is not None:
        parts.append(words("完成") + f" {number(target.actual)} {words(target.unit)}".rstrip())
    return words("，").join(parts) if len(parts) > 1 else "".join(parts)


def write_csv(rows: list[Row], lang: Lang, converter: Converter) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese right; no cell is a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([converter.convert(c.header, "zh-Hans", lang) for c in COLUMNS])
    writer.writerows([[safe_cell(row.get(c.key, "")) for c in COLUMNS] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[Row], lang: Lang, converter: Converter, path: Path, when: dt.datetime) -> None:
    """The workbook: the table (header frozen, fill-in columns unlocked and checked) and its help page.

    `when` is written as the workbook's creation and change time, so the same records give the same file.
    """
    words = _Words(converter, lang)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = words(SHEET_TITLE)
    sheet.append([words(c.header) for c in COLUMNS])
    for row in rows:
        sheet.append([row.get(c.key, "") for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl takes text starting with = for a formula: it is text
                cell.data_type = "s"
    _layout(sheet, len(rows))
    _checks(sheet, len(rows), words)
    _help(book.create_sheet(words(HELP_TITLE)), words)
    book.properties.creator = "gongshi"
    book.properties.created = book.properties.modified = when
    book.save(path)


def _layout(sheet: Worksheet, count: int) -> None:
    sheet.freeze_panes = "C2"
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    fill_fill = PatternFill("solid", fgColor="FFF7D6")
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        head = sheet.cell(row=1, column=index)
        head.font, head.fill = Font(bold=True), fill_fill if column.fill else header_fill
        for row in range(2, count + 2 + EXTRA_ROWS):
            cell = sheet.cell(row=row, column=index)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.fill:
                cell.protection = Protection(locked=False)
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.sort = protection.autoFilter = False


def _checks(sheet: Worksheet, count: int, words: _Words) -> None:
    last = count + 1 + EXTRA_ROWS
    letters = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, 1)}
    names = ",".join(words(label) for label in STATUS_LABELS.values())
    checks = (
        ("status", DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)),
        (
            "progress",
            DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True),
        ),
        ("actual", DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)),
    )
    for key, check in checks:
        check.error = words(next(c.help for c in COLUMNS if c.key == key))
        check.showErrorMessage = True
        check.add(f"{letters[key]}2:{letters[key]}{last}")
        sheet.add_data_validation(check)


def _help(sheet: Worksheet, words: _Words) -> None:
    sheet.append([words("列"), words("说明")])
    for column in COLUMNS:
        sheet.append([words(column.header), words(column.help)])
    sheet.append([])
    sheet.append(
        [
            "",
            words(
                "填好后请保存为 .xlsx 文件交回。可以删去与本单位无关的行，也可以调整行的顺序；不要改动表头和“编号”列。"
            ),
        ]
    )
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90
    for cell in sheet[1]:
        cell.font = Font(bold=True)

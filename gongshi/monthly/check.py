"""Checking a filled table against the records: what each row changes, and every problem at once.

A row changes its record when any fill-in column has a value. Problems are errors (nothing is
written while any is left: an unknown or repeated 编号, a progress that is not a number from 0 to
100, a status outside the vocabulary, a delay without its reason and remedy) or warnings to
confirm (progress lower than the last report, a report date before the record's last one).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

from gongshi.convert import Converter
from gongshi.errors import Diagnostic
from gongshi.i18n import msg
from gongshi.model import Content, Date, Initiative
from gongshi.monthly import FILLED, TARGET_MARK
from gongshi.monthly.read import Cell, Sheet
from gongshi.vocabulary import STATUS_BY_NAME, STATUS_LABELS, STATUSES

STATUS_LIST = "、".join(STATUS_LABELS.values())


@dataclass
class Change:
    """What the rows of one record say (several rows when it has several targets)."""

    item: Initiative
    rows: list[int] = field(default_factory=list)
    values: dict[str, tuple[object, Cell]] = field(default_factory=dict)  # progress, status, note …
    actuals: dict[int, float] = field(default_factory=dict)  # target index (0-based) → actual


def check_sheet(
    sheet: Sheet, content: Content, date: Date, converter: Converter
) -> tuple[list[Change], list[Diagnostic]]:
    """The changes the sheet makes, in the order of its rows, and every problem found."""
    changes: dict[str, Change] = {}
    seen: dict[str, Cell] = {}
    problems: list[Diagnostic] = []
    for row in sheet.rows:
        if not any(row[key].text for key in FILLED if key in row):
            continue
        problems += _row(row, sheet.path, (content, converter), seen, changes)
    for change in changes.values():
        problems += _record_checks(change, sheet.path, date)
    return list(changes.values()), problems


def _row(
    row: dict[str, Cell], path: str, site: tuple[Content, Converter], seen: dict[str, Cell], changes: dict[str, Change]
) -> list[Diagnostic]:
    content, converter = site
    id_cell = row["id"]
    if not id_cell.text:
        return [
            id_cell.problem(
                path, msg("编号 is empty in a filled row"), msg("copy the 编号 of this row from the table export wrote")
            )
        ]
    if id_cell.text in seen:
        first = seen[id_cell.text]
        message = msg("编号 '{id}' is also on row {row}", id=id_cell.text, row=first.row)
        return [id_cell.problem(path, message, msg("keep one row for it"))]
    seen[id_cell.text] = id_cell
    ident, _, number_ = id_cell.text.partition(TARGET_MARK)
    item = content.initiative(ident)
    if item is None:
        close = difflib.get_close_matches(ident, [i.id for i in content.initiatives], n=1)
        hint = (
            msg("did you mean '{id}'?", id=close[0]) if close else msg("the 编号 column must stay as export wrote it")
        )
        return [id_cell.problem(path, msg("编号 '{id}' is not a record of this site", id=ident), hint)]
    change = changes.setdefault(item.id, Change(item))
    change.rows.append(id_cell.row)
    target = int(number_) - 1 if number_.isdigit() else 0
    return _values(row, path, change, target, converter)


def _values(row: dict[str, Cell], path: str, change: Change, target: int, converter: Converter) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for key in FILLED:
        cell = row.get(key)
        if cell is None or not cell.text:
            continue
        value, problem = _parse(key, cell, path, converter)
        if problem is not None:
            problems.append(problem)
        elif key == "actual":
            problems += _actual(change, target, value, cell, path)  # type: ignore[arg-type]
        else:
            problems += _keep(change, key, value, cell, path)
    return problems


def _parse(key: str, cell: Cell, path: str, converter: Converter) -> tuple[object, Diagnostic | None]:
    text = unicodedata.normalize("NFKC", cell.text).strip()
    if key == "progress":
        figure = _figure(text.removesuffix("%"))
        if figure is None or not 0 <= figure <= 100:
            hint = msg("write the number only, like 90 or 87.5 (the % sign may stay)")
            return None, cell.problem(
                path, msg("进度 must be a number from 0 to 100, not '{value}'", value=cell.text), hint
            )
        return figure, None
    if key == "actual":
        figure = _figure(text)
        if figure is None or figure < 0:
            hint = msg("write the cumulative amount as a number, in the unit of the 计划 column, like 1800")
            return None, cell.problem(path, msg("本期完成 must be a number, not '{value}'", value=cell.text), hint)
        return figure, None
    if key == "status":
        code = STATUS_BY_NAME.get(converter.convert(text, "zh-Hant", "zh-Hans"), text if text in STATUSES else None)
        if code is None:
            hint = msg("choose the status from the drop-down list of the 状态 column")
            message = msg("状态 must be one of {statuses}, not '{value}'", statuses=STATUS_LIST, value=cell.text)
            return None, cell.problem(path, message, hint)
        return code, None
    return cell.text, None


def _figure(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _actual(change: Change, target: int, value: float, cell: Cell, path: str) -> list[Diagnostic]:
    if target >= len(change.item.targets):
        hint = msg("leave 本期完成 empty, or add the target to the record (targets:) first")
        return [cell.problem(path, msg("本期完成: '{id}' has no target to count it against", id=change.item.id), hint)]
    change.actuals[target] = value
    return []


def _keep(change: Change, key: str, value: object, cell: Cell, path: str) -> list[Diagnostic]:
    earlier = change.values.get(key)
    if earlier is not None and earlier[0] != value:
        hint = msg("give the record's progress, status and notes on one of its rows")
        message = msg("{value!r} differs from row {row} of the same record", value=cell.text, row=earlier[1].row)
        return [cell.problem(path, message, hint)]
    change.values[key] = (value, cell)
    return []


def _record_checks(change: Change, path: str, date: Date) -> list[Diagnostic]:
    item, values, problems = change.item, change.values, []
    status = values.get("status")
    if status is not None and status[0] == "delayed":
        missing = [
            label
            for key, label in (("reason", "原因"), ("remedy", "措施"))
            if key not in values and not getattr(item, key)
        ]
        if missing:
            hint = msg("a delayed item says why and what is being done: fill in 原因 and 措施 on its row")
            if len(missing) == 2:
                message = msg("状态 滞后 needs 原因 and 措施")
            else:
                message = msg("状态 滞后 needs {column}", column=missing[0])
            problems.append(status[1].problem(path, message, hint))
    progress = values.get("progress")
    if progress is not None and item.progress is not None and float(progress[0]) < item.progress:  # type: ignore[arg-type]
        message = msg(
            "进度 goes down from {old}% to {new}: confirm this is right", old=item.progress, new=progress[1].text
        )
        problems.append(progress[1].problem(path, message, "", warning=True))
    last = max((e.date for e in item.log), default=None)
    if last is not None and date < last:
        cell = progress[1] if progress is not None else next(iter(values.values()))[1] if values else None
        if cell is not None:
            message = msg(
                "the report date {date} is before this record's last report ({last})", date=date.iso, last=last.iso
            )
            problems.append(cell.problem(path, message, msg("check --date"), warning=True))
    return problems

"""Open data per edition: `data/initiatives.json` and `data/initiatives.csv`.

The JSON follows `schema/open-data.schema.json` (every field of every initiative, texts in the
edition's script, computed schedule included). The CSV has one row per initiative, in UTF-8 with a
byte-order mark so that Excel opens Chinese correctly; a text cell a spreadsheet could take for a
formula starts with ' (`safe_cell`, which the monthly sheet uses too).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from gongshi import stats
from gongshi.edition import Edition
from gongshi.incremental.plan import Plan
from gongshi.model import Citation, Date, Initiative, LogEntry, Target
from gongshi.page import View, number
from gongshi.vocabulary import SCHEDULE_LABELS, STATUS_LABELS

SCHEMA_VERSION = 1
CSV_COLUMNS = (
    "id",
    "title",
    "status",
    "status_label",
    "progress",
    "expected_progress",
    "schedule",
    "schedule_label",
    "department",
    "partners",
    "category",
    "region",
    "year",
    "start",
    "due",
    "outcome",
    "carried_to",
    "target_name",
    "target",
    "actual",
    "unit",
    "summary",
    "url",
)
LIST_COLUMNS = {"department": "departments", "partners": "partners", "region": "regions"}  # CSV → JSON
TARGET_COLUMNS = {"target_name": "name", "target": "target", "actual": "actual", "unit": "unit"}  # CSV → JSON
NUMBER_COLUMNS = frozenset({"target", "actual"})  # figures only: never guarded
FORMULA_STARTS = frozenset("=+-@")  # after NFKC, which also reads ＝＋－＠ (and ﹦﹢﹣) as these


def _date(value: Date | None) -> str | None:
    return value.iso if value else None


def _source(ed: Edition, source: Citation) -> dict[str, Any]:
    return {
        "title": ed.t(source.title),
        "publisher": ed.t(source.publisher) or None,
        "author": ed.t(source.author) or None,
        "url": source.url,
        "date": _date(source.date),
    }


def record(ed: Edition, item: Initiative) -> dict[str, Any]:
    """One initiative as open data, in the edition's script."""
    page = f"{ed.dir}/initiatives/{item.id}/index.html"
    return {
        "id": item.id,
        "url": ed.absolute(page) or page,
        "title": ed.t(item.title),
        "status": item.status,
        "status_label": ed.ui(STATUS_LABELS[item.status]),
        "progress": item.progress,
        **_schedule(ed, item),
        "department": ed.t(item.department) or None,
        "departments": [ed.t(d) for d in item.departments],
        "leader": ed.t(item.leader) or None,
        "partners": [ed.t(p) for p in item.partners],
        "category": ed.t(item.category) or None,
        "region": ed.t(item.region) or None,
        "regions": [ed.t(r) for r in item.regions],
        "year": item.list_year,
        "part_of": item.part_of,
        "carried_to": item.carried_to,
        "outcome": stats.outcome(item) if ed.closed(item) else None,
        "start": _date(item.start),
        "due": _date(item.due),
        "summary": ed.t(item.summary) or None,
        "reason": ed.t(item.reason) or None,
        "remedy": ed.t(item.remedy) or None,
        "budget": _budget(ed, item),
        "targets": [_target(ed, t) for t in item.targets],
        "milestones": [{"date": m.date.iso, "title": ed.t(m.title), "done": m.done} for m in item.milestones],
        "log": [_log_entry(ed, e) for e in item.log],
        "sources": [_source(ed, s) for s in item.sources],
        "updates": [u.slug for u in ed.updates_of(item)],
    }


def _schedule(ed: Edition, item: Initiative) -> dict[str, Any]:
    schedule = ed.schedule(item)
    return {
        "expected_progress": schedule.expected,
        "schedule_basis": schedule.basis or None,
        "schedule": schedule.mark or None,
        "schedule_label": ed.ui(SCHEDULE_LABELS[schedule.mark]) if schedule.mark else None,
    }


def _budget(ed: Edition, item: Initiative) -> dict[str, Any] | None:
    budget = item.budget
    if budget is None:
        return None
    return {
        "amount": budget.amount,
        "spent": budget.spent,
        "unit": ed.t(budget.unit),
        "note": ed.t(budget.note) or None,
    }


def _target(ed: Edition, target: Target) -> dict[str, Any]:
    return {
        "name": ed.t(target.name),
        "target": target.target,
        "actual": target.actual,
        "unit": ed.t(target.unit) or None,
        "note": ed.t(target.note) or None,
        "bound": target.bound or None,
        "target_max": target.target_max,
        "department": ed.t(target.department) or None,
    }


def _log_entry(ed: Edition, entry: LogEntry) -> dict[str, Any]:
    return {
        "date": entry.date.iso,
        "status": entry.status,
        "progress": entry.progress,
        "note": ed.t(entry.note) or None,
        "source": ed.t(entry.source) or None,
    }


def _csv_value(row: dict[str, Any], column: str) -> object:
    """One cell: every department, partner and region joined with 、; each target's name, figures and
    unit in the same order, joined with ； (a single target gives plain values)."""
    if column in LIST_COLUMNS:
        return safe_cell("、".join(row[LIST_COLUMNS[column]]))
    if column in TARGET_COLUMNS:
        values = [target[TARGET_COLUMNS[column]] for target in row["targets"]]
        joined = "；".join("" if v is None else number(v) if isinstance(v, int | float) else str(v) for v in values)
        return joined if column in NUMBER_COLUMNS else safe_cell(joined)
    return safe_cell(row[column])


def safe_cell(value: object) -> object:
    """A spreadsheet cell that runs nothing (OWASP's advice on CSV injection): text that a
    spreadsheet could take for a formula gets a leading '. That is text starting with = + - @, or
    their full-width forms ＝＋－＠ (spreadsheets read those as formulas in a Chinese locale), after
    any spaces or line breaks, and text starting with a tab, CR or line break. Numbers stay numbers
    (-5 is a value, not a formula); None is an empty cell. The open data and the monthly sheet both
    use it."""
    if value is None:
        return ""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def _formula_like(text: str) -> bool:
    if text[:1] in ("\t", "\r", "\n"):
        return True
    stripped = text.lstrip()
    return bool(stripped) and unicodedata.normalize("NFKC", stripped[0]) in FORMULA_STARTS


def _json(document: dict[str, Any]) -> str:
    """The document with one initiative per line: compact to write (the C encoder), readable in a diff."""
    head = json.dumps({k: v for k, v in document.items() if k != "initiatives"}, ensure_ascii=False)
    rows = ",\n".join(json.dumps(row, ensure_ascii=False) for row in document["initiatives"])
    return f'{head[:-1]}, "initiatives": [\n{rows}\n]}}\n' if rows else f'{head[:-1]}, "initiatives": []}}\n'


def make(view: View, plan: Plan) -> None:
    """The edition's initiatives as JSON and as CSV."""
    ed = view.ed
    paths = (f"{ed.dir}/data/initiatives.json", f"{ed.dir}/data/initiatives.csv")
    plan.add_many(paths, ("data", ed.content.initiatives), lambda: _open_data(ed))


def _open_data(ed: Edition) -> dict[str, bytes]:
    records = [record(ed, item) for item in ed.content.initiatives]
    document = {
        "schema_version": SCHEMA_VERSION,
        "edition": ed.lang,
        "title": ed.t(ed.content.config.title),
        "publisher": ed.t(ed.content.config.publisher) or None,
        "as_of": ed.as_of_shown.iso if ed.as_of_shown else None,
        "initiatives": records,
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in records:
        writer.writerow([_csv_value(row, column) for column in CSV_COLUMNS])
    return {
        f"{ed.dir}/data/initiatives.json": _json(document).encode("utf-8"),
        f"{ed.dir}/data/initiatives.csv": b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"),
    }

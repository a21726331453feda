"""`gongshi export sheet` and `gongshi import`: the monthly round trip, from the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import sys
from pathlib import Path
from typing import TextIO

from gongshi.errors import ContentError, Diagnostic, UsageError
from gongshi.i18n import ENGLISH, Messages, msg
from gongshi.model import Date
from gongshi.monthly.apply import Source, rewrite, validated
from gongshi.monthly.check import Change, check_sheet
from gongshi.monthly.export import sheet_rows, write_csv, write_xlsx
from gongshi.monthly.read import read_sheet
from gongshi.pipeline import Options, check_site
from gongshi.stats import report_date


@dataclasses.dataclass(frozen=True)
class Export:
    year: int | None = None
    department: str | None = None
    output: Path | None = None
    format: str = "xlsx"


def export_command(options: Options, wanted: Export, stream: TextIO, tr: Messages = ENGLISH) -> int:
    """Write the monthly table of the site (or of one year's list, one department's rows)."""
    checked = check_site(options)
    content, converter = checked.content, checked.converter
    rows = sheet_rows(content, converter, wanted.year, wanted.department)
    if not rows:
        raise UsageError(msg("no initiative matches --year and --department: nothing to export"))
    lang = content.config.source_lang
    output = wanted.output or Path(f"progress-sheet.{wanted.format}")
    if wanted.format == "csv":
        output.write_bytes(write_csv(rows, lang, converter))
    else:
        day = report_date(content)
        write_xlsx(rows, lang, converter, output, dt.datetime(day.year, day.month, day.day))
    print(tr(msg("wrote {path}: {rows} row(s)", path=output, rows=len(rows))), file=stream)
    return 0


@dataclasses.dataclass(frozen=True)
class Import:
    file: Path
    date: Date
    source: Source = dataclasses.field(default_factory=Source)
    dry_run: bool = False


def import_command(options: Options, wanted: Import, stream: TextIO, tr: Messages = ENGLISH) -> list[Diagnostic]:
    """Apply a filled table to the records; returns the warnings (errors raise ContentError)."""
    if not wanted.date.month:
        raise UsageError(msg("--date must be a day or a month (YYYY-MM-DD or YYYY-MM): the date the figures are for"))
    checked = check_site(options)
    content, converter = checked.content, checked.converter
    sheet, problems = read_sheet(wanted.file, converter)
    changes: list[Change] = []
    if sheet is not None:
        changes, found = check_sheet(sheet, content, wanted.date, converter)
        problems += found
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    texts = {
        Path(c.item.origin.path): rewrite(Path(c.item.origin.path).read_text("utf-8"), c, wanted.date, wanted.source)
        for c in changes
    }
    broken = validated(options.content, texts, lambda folder: check_site(dataclasses.replace(options, content=folder)))
    if broken:
        raise ContentError(problems + broken)
    for path, text in texts.items():
        if wanted.dry_run:
            lines = path.read_text("utf-8").splitlines(keepends=True)
            stream.writelines(difflib.unified_diff(lines, text.splitlines(keepends=True), f"a/{path}", f"b/{path}"))
        else:
            _replace(path, text)
    counts = {"records": len(texts), "rows": len(sheet.rows) if sheet else 0, "file": wanted.file}
    if wanted.dry_run:
        done = msg("would update {records} record(s) from {rows} row(s) of {file}", **counts)
    else:
        done = msg("updated {records} record(s) from {rows} row(s) of {file}", **counts)
    print(tr(done), file=sys.stderr)
    return [p for p in problems if not p.is_error]


def _replace(path: Path, text: str) -> None:
    """Write through a temporary file beside it, so a record is never left half written."""
    temporary = path.with_name(f".{path.name}.import")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)

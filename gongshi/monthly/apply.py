"""Writing a month's figures into the records, keeping everything else of each file as it was.

ruamel.yaml reads a record with its comments, key order, quoting and blank lines and writes it back
byte for byte (checked for every record of the sample and the tests); only the values the table
changes, and the new `log:` entry, differ. The new texts are checked by the normal loader before
anything is written, and written only when no record has an error.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from gongshi.errors import ContentError, Diagnostic
from gongshi.model import Date
from gongshi.monthly.check import Change


@dataclass(frozen=True)
class Source:
    """The document the month's figures come from (`--source-title`, `--source-url`)."""

    title: str = ""
    url: str = ""
    publisher: str = ""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the editor wrote on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def rewrite(text: str, change: Change, date: Date, source: Source) -> str:
    """The record's YAML `text` with the change applied and a `log:` entry for `date` appended."""
    yaml = _yaml()
    data = yaml.load(text)
    values = {key: value for key, (value, _) in change.values.items()}
    if "status" in values:
        data["status"] = values["status"]
    if "progress" in values:
        _put(data, "progress", values["progress"], after="status")
    after = "summary" if "summary" in data else "status"
    for key in ("reason", "remedy"):
        if key in values:
            _put(data, key, values[key], after=after)
            after = key
    for index, actual in change.actuals.items():
        _put(data["targets"][index], "actual", actual, after="target")
    _log(data, values, date, source)
    if source.title:
        _source(data, date, source)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _put(data: CommentedMap, key: str, value: Any, after: str) -> None:
    """Set `key`, or insert it after `after` (at the end when that is missing too)."""
    if key in data:
        data[key] = value
        return
    keys = list(data)
    data.insert(keys.index(after) + 1 if after in keys else len(keys), key, value)


def _iso(date: Date) -> dt.date | str:
    """A day as a YAML date (written unquoted, as editors write it); a coarser date as its text."""
    return dt.date(date.year, date.month, date.day) if date.day else date.iso


def _log(data: CommentedMap, values: dict[str, object], date: Date, source: Source) -> None:
    entry = CommentedMap()
    entry["date"] = _iso(date)
    for key in ("status", "progress"):
        if key in values:
            entry[key] = values[key]
    note = str(values.get("note", ""))
    labels = (("reason", "原因"), ("remedy", "措施"))
    details = "；".join(f"{label}：{str(values[key]).rstrip('。；;')}" for key, label in labels if key in values)
    if details:
        note = f"{note}{details}。" if note else f"{details}。"
    if note:
        entry["note"] = note
    if source.title:
        entry["source"] = source.title
    if "log" not in data or data["log"] is None:
        _put(data, "log", CommentedSeq(), after="milestones" if "milestones" in data else "targets")
    data["log"].append(entry)


def _source(data: CommentedMap, date: Date, source: Source) -> None:
    sources = data.get("sources")
    if sources is None:
        data["sources"] = sources = CommentedSeq()
    if any(str(s.get("title")) == source.title for s in sources):
        return
    entry = CommentedMap(title=source.title)
    for key, value in (("publisher", source.publisher), ("url", source.url)):
        if value:
            entry[key] = value
    entry["date"] = _iso(date)
    sources.append(entry)


def validated(content_dir: Path, texts: dict[Path, str], check: Any) -> list[Diagnostic]:
    """Problems of the content as it would be with `texts` written (`check` loads and checks a
    content folder, raising ContentError): tried on a copy, so the real files are untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content_dir, copy, symlinks=False)
        for path, text in texts.items():
            (copy / path.resolve().relative_to(content_dir.resolve())).write_text(text, "utf-8")
        try:
            check(copy)
        except ContentError as exc:
            return [
                Diagnostic(d.path.replace(str(copy), str(content_dir)), d.line, d.col, d.message, d.hint, d.severity)
                for d in exc.diagnostics
                if d.is_error
            ]
    return []

"""Building the content model from one schema-valid YAML tree, with the checks of one record.

`RecordBuilder` turns plain values into the frozen dataclasses of `model`, remembering the line of
every text (for the review report), and adds to the diagnostics what the schema cannot say:
impossible dates (the schema checks their form), status against progress, `due` before `start`, a
delayed or cancelled record without its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import msg
from gongshi.load.dates import impossible_date_hint
from gongshi.load.source import Path_, Tree
from gongshi.model import (
    LANGS,
    Budget,
    Citation,
    Correction,
    Date,
    Initiative,
    Lang,
    LogEntry,
    Milestone,
    Origin,
    Target,
    Text,
)

T = TypeVar("T")


class RecordBuilder:
    """Builds dataclasses from one schema-valid tree, adding per-file checks to `diags`."""

    def __init__(self, tree: Tree, default_lang: Lang, diags: list[Diagnostic]) -> None:
        self.tree = tree
        self.diags = diags
        value = tree.value if isinstance(tree.value, dict) else {}
        self.lang: Lang = value.get("lang", default_lang)
        self.ok = True

    def error(self, path: Path_, message: str, hint: str = "") -> None:
        self.diags.append(self.tree.at(path, message, hint))
        self.ok = False

    def warn(self, path: Path_, message: str, hint: str = "") -> None:
        self.diags.append(self.tree.at(path, message, hint, severity=Severity.WARNING))

    def text(self, value: str | dict[str, str], path: Path_) -> Text:
        line = self.tree.where(path)[0]
        if isinstance(value, str):
            return Text.plain(value, self.lang, line)
        values = tuple((lang, value[lang]) for lang in LANGS if lang in value)
        source = self.lang if self.lang in value else values[0][0]
        return Text(source, values, line)

    def opt_text(self, data: dict[str, Any], key: str, path: Path_ = ()) -> Text | None:
        return self.text(data[key], (*path, key)) if key in data else None

    def date(self, value: str | int | None, path: Path_) -> Date | None:
        """A date of the schema's form (`2032` may come as an int) that must also exist."""
        if value is None:
            return None
        try:
            return Date.parse(value)
        except ValueError:
            problem = msg("{field} '{value}' is not a real date", field=path[-1], value=value)
            self.error(path, problem, impossible_date_hint(str(value)))
            return None

    def items(self, data: dict[str, Any], key: str, make: Callable[[dict[str, Any], Path_], T]) -> tuple[T, ...]:
        return tuple(make(item, (key, i)) for i, item in enumerate(data.get(key, ())))

    def citation(self, data: dict[str, Any], path: Path_) -> Citation:
        return Citation(
            title=self.text(data["title"], (*path, "title")),
            publisher=self.opt_text(data, "publisher", path),
            author=self.opt_text(data, "author", path),
            url=data.get("url"),
            date=self.date(data.get("date"), (*path, "date")),
        )

    def target(self, data: dict[str, Any], path: Path_) -> Target:
        low, high = data.get("target"), data.get("target_max")
        if isinstance(low, int | float) and isinstance(high, int | float) and high < low:
            self.error(
                (*path, "target_max"),
                msg("the range {low}–{high} runs backwards", low=low, high=high),
                msg("target is the bottom of the range, target_max its top"),
            )
        return Target(
            self.text(data["name"], (*path, "name")),
            data.get("target"),
            data.get("actual"),
            self.opt_text(data, "unit", path),
            self.opt_text(data, "note", path),
            data.get("bound", ""),
            data.get("target_max"),
            self.opt_text(data, "department", path),
        )

    def milestone(self, data: dict[str, Any], path: Path_) -> Milestone:
        date = self.date(data["date"], (*path, "date"))
        return Milestone(date or Date(1, 1), self.text(data["title"], (*path, "title")), bool(data.get("done", False)))

    def log_entry(self, data: dict[str, Any], path: Path_) -> LogEntry:
        date = self.date(data["date"], (*path, "date"))
        return LogEntry(
            date or Date(1, 1),
            data.get("status"),
            data.get("progress"),
            self.opt_text(data, "note", path),
            self.opt_text(data, "source", path),
            data.get("planned_progress"),
        )

    def texts(self, data: dict[str, Any], key: str) -> tuple[Text, ...]:
        """One text or a list of them (several lead departments, several regions)."""
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            return tuple(self.text(v, (key, i)) for i, v in enumerate(value))
        return (self.text(value, (key,)),)

    def budget(self, data: dict[str, Any]) -> Budget | None:
        budget = data.get("budget")
        if not budget:
            return None
        unit = self.text(budget["unit"], ("budget", "unit"))
        return Budget(budget["amount"], unit, self.opt_text(budget, "note", ("budget",)), budget.get("spent"))

    def correction(self, data: dict[str, Any], path: Path_) -> Correction:
        date = self.date(data["date"], (*path, "date"))
        return Correction(date or Date(1, 1), self.text(data["note"], (*path, "note")))

    def initiative(self, ident: str) -> Initiative | None:
        data: dict[str, Any] = self.tree.value
        departments, regions = self.texts(data, "department"), self.texts(data, "region")
        item = Initiative(
            id=ident,
            origin=Origin(self.tree.source.path, 1),
            lang=self.lang,
            title=self.text(data["title"], ("title",)),
            status=data["status"],
            progress=data.get("progress"),
            department=departments[0] if departments else None,
            partners=tuple(self.text(p, ("partners", i)) for i, p in enumerate(data.get("partners", ()))),
            category=self.opt_text(data, "category"),
            region=regions[0] if regions else None,
            year=data.get("year"),
            start=self.date(data.get("start"), ("start",)),
            due=self.date(data.get("due"), ("due",)),
            summary=self.opt_text(data, "summary"),
            reason=self.opt_text(data, "reason"),
            remedy=self.opt_text(data, "remedy"),
            budget=self.budget(data),
            targets=self.items(data, "targets", self.target),
            milestones=tuple(sorted(self.items(data, "milestones", self.milestone), key=lambda m: m.date)),
            log=tuple(sorted(self.items(data, "log", self.log_entry), key=lambda e: e.date)),
            sources=self.items(data, "sources", self.citation),
            corrections=tuple(sorted(self.items(data, "corrections", self.correction), key=lambda c: c.date)),
            carried_to=data.get("carried_to"),
            departments=departments,
            regions=regions,
            leader=self.opt_text(data, "leader"),
            planned_progress=data.get("planned_progress"),
            part_of=data.get("part_of"),
        )
        self.check_record(data)
        return item if self.ok else None

    def check_record(self, data: dict[str, Any]) -> None:
        """Checks that need several fields of one record; they read the raw values, so they also
        run (and report) when another key of the same file breaks the schema."""
        self.check_progress(data)
        start, due = _quiet_date(data.get("start")), _quiet_date(data.get("due"))
        if start and due and due.last() < start.first():
            self.error(
                ("due",),
                msg("due {due} is before start {start}", due=due.iso, start=start.iso),
                msg("check the year and month of both dates"),
            )
        self.check_reason(data)

    def check_progress(self, data: dict[str, Any]) -> None:
        status, progress = data.get("status"), data.get("progress")
        if not isinstance(progress, (int, float)) or isinstance(progress, bool):
            progress = None
        if status == "completed" and progress is not None and progress < 100:
            self.error(
                ("progress",),
                msg("status is completed but progress is {progress}", progress=progress),
                msg("set progress: 100, or choose status in_progress"),
            )
        if status == "planned" and progress:
            self.warn(
                ("progress",),
                msg("status is planned but progress is {progress}", progress=progress),
                msg("if work has started (前期工作 included), choose status in_progress; otherwise set progress: 0"),
            )

    def check_reason(self, data: dict[str, Any]) -> None:
        status = data.get("status")
        if status == "cancelled" and not data.get("reason"):
            self.error(
                ("status",),
                msg("a cancelled initiative needs 'reason:'"),
                msg("add 'reason:' saying why it will not be done; readers are owed an explanation"),
            )
        if status == "delayed" and not data.get("reason"):
            self.error(
                ("status",),
                msg("a delayed initiative needs 'reason:'"),
                msg("add 'reason:' saying why it is delayed; readers are owed an explanation"),
            )
        elif status == "delayed" and not data.get("remedy"):  # sources often give a reason alone
            self.warn(
                ("status",),
                msg("a delayed initiative should say what is being done: 'remedy:' is missing"),
                msg("add 'remedy:' when the department says what it is doing about the delay"),
            )


def _quiet_date(value: object) -> Date | None:
    """A date for cross-field checks; malformed ones are reported by the schema or the builder (and
    only there: a 民國 date such as 116-05-31 is no date here, not one before every start)."""
    try:
        return Date.parse(value) if isinstance(value, (str, int)) else None
    except ValueError:
        return None

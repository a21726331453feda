"""Facts computed from the content for every edition alike: report date, counts, groups, deadlines.

Pure functions of the content model: no conversion, no templates. The report date is explicit
(`as_of` in site.yaml or `--as-of`, else the newest date in the content), never the clock, so the
same content always gives the same site.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from gongshi.model import Content, Date, Initiative, Text, Update
from gongshi.vocabulary import OPEN_STATUSES, STATUSES


def report_date(content: Content) -> dt.date:
    """The day deadlines and schedules are judged on: the last day of `report_written`."""
    written = report_written(content)
    return written.last() if written is not None else dt.date(1970, 1, 1)


def report_written(content: Content) -> Date | None:
    """The report date as pages show it: `as_of` from the configuration, else the newest update or log
    date, as precise as it was written (a month stays a month)."""
    if content.config.as_of is not None:
        return content.config.as_of
    dates: list[Date] = [u.date for u in content.updates]
    dates += [entry.date for item in content.initiatives for entry in item.log]
    return max(dates, key=lambda d: d.last()) if dates else None


def year_report_date(content: Content, year: int | None) -> dt.date:
    """The day a year's list is judged on: the last day of `year_report_written`, else the site's."""
    written = year_report_written(content, year)
    return written.last() if written is not None else report_date(content)


def year_report_written(content: Content, year: int | None) -> Date | None:
    """The report date of one year's list: its own `as_of` in site.yaml; for a closed year without one,
    the newest date reported on its initiatives; otherwise the site's report date, unless that is
    before the year began (a new year is not dated by the last one's reports: None)."""
    info = content.year(year)
    if info is not None and info.as_of is not None:
        return info.as_of
    if info is not None and info.closed:
        reports = updates_by_initiative(content)
        members = (i for i in content.initiatives if i.list_year == year)
        dates = [d for i in members if (d := last_reported(i, reports.get(i.id, ()))) is not None]
        if dates:
            return max(dates, key=lambda d: d.last())
    site = report_written(content)
    return None if site is None or (year is not None and site.year < year) else site


def is_closed(content: Content, item: Initiative) -> bool:
    """Whether the initiative's year's list is closed: its state is final."""
    info = content.year(item.list_year)
    return info is not None and info.closed


def outcome(item: Initiative) -> str:
    """The final state of an initiative of a closed year (`vocabulary.OUTCOME_LABELS`)."""
    if item.status in ("completed", "cancelled"):
        return item.status
    return "carried" if item.carried_to else "unfinished"


def deadline(item: Initiative) -> dt.date | None:
    """The last day of an initiative: its `due`, else the end of its `year`."""
    if item.due is not None:
        return item.due.last()
    return dt.date(item.year, 12, 31) if item.year is not None else None


def is_overdue(item: Initiative, as_of: dt.date) -> bool:
    """Open (neither completed nor cancelled) and past its deadline: the one definition of 逾期 that
    the badge, the schedule pages, the home page and the checks all use."""
    end = deadline(item)
    return item.status in OPEN_STATUSES and end is not None and end < as_of


def updates_by_initiative(content: Content) -> dict[str, tuple[Update, ...]]:
    """The updates reporting on each initiative, newest first: one pass over all updates."""
    found: dict[str, list[Update]] = {}
    for update in content.updates:
        for ident in update.initiatives:
            found.setdefault(ident, []).append(update)
    return {ident: tuple(sorted(items, key=lambda u: (u.date, u.slug), reverse=True)) for ident, items in found.items()}


def last_reported(item: Initiative, updates: Iterable[Update]) -> Date | None:
    """The newest date anything was reported about an initiative: its log or its updates."""
    dates = [entry.date for entry in item.log] + [u.date for u in updates]
    return max(dates) if dates else None


@dataclass(frozen=True)
class Silence:
    """How long an open initiative has gone without a report, at the report date."""

    since: Date  # its newest report, or its start when nothing has been reported yet
    reported: bool
    days: int


def silence(item: Initiative, updates: Iterable[Update], as_of: dt.date) -> Silence | None:
    """The silence of an open initiative, or None: closed, or never reported and without a start
    (a record made today is not "not updated for 90 days")."""
    if item.status not in OPEN_STATUSES:
        return None
    last = last_reported(item, updates)
    since = last or item.start
    if since is None:
        return None
    return Silence(since, last is not None, max((as_of - since.last()).days, 0))


def reported_progress(item: Initiative) -> float | None:
    """Progress for averages, only where there is a figure: completed counts as 100, cancelled not at
    all, and an item without a reported figure is left out (not counted as 0: a district with items
    in progress but no figures has not done nothing)."""
    if item.status == "cancelled":
        return None
    return 100 if item.status == "completed" else item.progress


def effective_progress(item: Initiative) -> float | None:
    """Progress for the schedule: completed counts as 100, planned without a figure as 0, cancelled not at all."""
    if item.status == "cancelled":
        return None
    if item.status == "completed":
        return 100
    if item.progress is None and item.status == "planned":
        return 0
    return item.progress


@dataclass(frozen=True)
class Schedule:
    """序时进度: the progress expected by the report date, and how the actual progress compares.

    `mark` is one of SCHEDULE_MARKS, or "" when there is nothing to compare (no dates, no
    progress, or the initiative is completed or cancelled).
    """

    expected: float | None
    mark: str
    basis: str = ""  # "planned": the official planned progress (计划进度); "linear": a straight line start → due


def schedule(item: Initiative, as_of: dt.date, tolerance: float) -> Schedule:
    """The expected progress is the official planned figure where the record or its newest log entry
    gives one (`planned_progress`); otherwise it grows linearly from `start` to `due` (or across
    `year` when only the year is known)."""
    if item.status == "cancelled":
        return Schedule(None, "")
    expected: float | None = item.planned
    basis = "planned"
    if expected is None:
        expected, basis = linear_expected(item, as_of), "linear"
    basis = basis if expected is not None else ""
    if is_overdue(item, as_of):
        return Schedule(expected, "overdue", basis)
    progress = effective_progress(item)
    if expected is None or progress is None or item.status == "completed":
        return Schedule(expected, "", basis)
    if progress > expected + tolerance:
        return Schedule(expected, "ahead", basis)
    if progress < expected - tolerance:
        return Schedule(expected, "behind", basis)
    return Schedule(expected, "on_track", basis)


def linear_expected(item: Initiative, as_of: dt.date) -> int | None:
    """The progress a straight line from `start` (or the start of `year`) to the deadline gives at `as_of`."""
    start = item.start.first() if item.start else (dt.date(item.year, 1, 1) if item.year else None)
    end = deadline(item)
    if start is None or end is None or end < start:
        return None
    span = (end - start).days
    return round(100 * (1.0 if span == 0 else min(max((as_of - start).days / span, 0.0), 1.0)))


@dataclass(frozen=True)
class Overview:
    """The numbers on the home page."""

    total: int
    by_status: tuple[tuple[str, int], ...]
    mean_progress: int | None  # over the `measured` items that have a figure (`reported_progress`)
    measured: int
    counted: int  # all but the cancelled ones
    completed: int
    overdue: tuple[Initiative, ...]
    upcoming: tuple[Initiative, ...]


def overview(items: Iterable[Initiative], as_of: dt.date, upcoming_days: int = 90) -> Overview:
    """The home page's numbers; `upcoming` are the open initiatives due within `upcoming_days`."""
    items = tuple(items)
    counts = {status: 0 for status in STATUSES}
    for item in items:
        counts[item.status] += 1
    values = [p for p in (reported_progress(i) for i in items) if p is not None]
    horizon = as_of + dt.timedelta(days=upcoming_days)
    dated = [i for i in items if i.status in OPEN_STATUSES and deadline(i) is not None]
    overdue = sorted((i for i in dated if is_overdue(i, as_of)), key=_due_key)
    upcoming = sorted((i for i in dated if as_of <= _due_key(i)[0] <= horizon), key=_due_key)
    return Overview(
        total=len(items),
        by_status=tuple(counts.items()),
        mean_progress=round(sum(values) / len(values)) if values else None,
        measured=len(values),
        counted=len(items) - counts["cancelled"],
        completed=counts["completed"],
        overdue=tuple(overdue),
        upcoming=tuple(upcoming),
    )


def _due_key(item: Initiative) -> tuple[dt.date, str]:
    end = deadline(item)
    assert end is not None
    return end, item.id


@dataclass(frozen=True)
class Group:
    """Initiatives sharing a department, category or region; `key` is the URL folder."""

    key: str
    name: Text
    items: tuple[Initiative, ...]

    @property
    def facet(self) -> Facet:
        return Facet(self.key, self.name, len(self.items))


@dataclass(frozen=True)
class Facet:
    """A group as the filters on list pages show it: without its members, so that a list page
    depends on the names of the groups, not on every initiative in them."""

    key: str
    name: Text
    count: int


@functools.lru_cache(maxsize=65536)  # pure; list pages ask for the same few hundred names tens of thousands of times
def group_key(simplified_name: str) -> str:
    """A readable, stable ASCII folder for a Chinese name, the same in both editions: its pinyin, then
    four hex digits of its hash, so that two names read alike never share one (渭滨区商务局 →
    wei-bin-qu-shang-wu-ju-2123)."""
    syllables = [re.sub(r"[^a-z0-9]+", "", s.lower()) for s in lazy_pinyin(simplified_name)]
    readable = "-".join(s for s in syllables if s)[:60].strip("-")
    digest = hashlib.sha1(simplified_name.encode("utf-8")).hexdigest()
    return f"{readable}-{digest[:4]}" if readable else digest[:8]


def old_group_key(simplified_name: str) -> str:
    """The folder group_key gave before it was readable (until 2026-12): kept as a redirect."""
    return hashlib.sha1(simplified_name.encode("utf-8")).hexdigest()[:8]


def groups(items: Iterable[Initiative], field: str, simplified: Callable[[Text], str]) -> tuple[Group, ...]:
    """Group initiatives by one text field, keyed by its Simplified form.

    An initiative written in Traditional and one written in Simplified that name the same unit
    (渭濱區商務局, 渭滨区商务局) land in the same group; an initiative naming a unit twice, once.
    """
    found: dict[str, tuple[Text, list[Initiative]]] = {}
    for item in items:
        value = getattr(item, field)
        texts = value if isinstance(value, tuple) else () if value is None else (value,)
        named = {simplified(text): text for text in texts}
        for name, text in named.items():  # once per group, though a unit leads and partners (牵头, 配合)
            found.setdefault(name, (text, []))[1].append(item)
    return tuple(Group(group_key(name), text, tuple(members)) for name, (text, members) in sorted(found.items()))

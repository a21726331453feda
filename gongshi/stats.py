"""Facts computed from the content for every edition alike: report date, counts, groups, deadlines.

Pure functions of the content model: no conversion, no templates. The report date is explicit
(`as_of` in site.yaml or `--as-of`, else the newest date in the content), never the clock, so the
same content always gives the same site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gongshi.model import Content, Date, Initiative, Text, Update
from gongshi.vocabulary import OPEN_STATUSES, STATUSES


def report_date(content: Content) -> dt.date:
    """`as_of` from the configuration, else the newest update or log date."""
    if content.config.as_of is not None:
        return content.config.as_of.last()
    dates: list[Date] = [u.date for u in content.updates]
    dates += [entry.date for item in content.initiatives for entry in item.log]
    return max(dates).last() if dates else dt.date(1970, 1, 1)


def is_overdue(item: Initiative, as_of: dt.date) -> bool:
    """Past its due date and neither completed nor cancelled."""
    return item.status in OPEN_STATUSES and item.due is not None and item.due.last() < as_of


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


def effective_progress(item: Initiative) -> int | None:
    """Progress for averages: completed counts as 100, planned as 0, cancelled not at all."""
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

    expected: int | None
    mark: str


def schedule(item: Initiative, as_of: dt.date, tolerance: int) -> Schedule:
    """Expected progress grows linearly from `start` to `due` (or across `year` when only the year is known)."""
    start = item.start.first() if item.start else (dt.date(item.year, 1, 1) if item.year else None)
    end = item.due.last() if item.due else (dt.date(item.year, 12, 31) if item.year else None)
    if start is None or end is None or end < start or item.status == "cancelled":
        return Schedule(None, "")
    span = (end - start).days
    fraction = 1.0 if span == 0 else min(max((as_of - start).days / span, 0.0), 1.0)
    expected = round(100 * fraction)
    if item.status == "completed":
        return Schedule(expected, "")
    if as_of > end:
        return Schedule(expected, "overdue")
    progress = effective_progress(item)
    if progress is None:
        return Schedule(expected, "")
    if progress > expected + tolerance:
        return Schedule(expected, "ahead")
    if progress < expected - tolerance:
        return Schedule(expected, "behind")
    return Schedule(expected, "on_track")


@dataclass(frozen=True)
class Overview:
    """The numbers on the home page."""

    total: int
    by_status: tuple[tuple[str, int], ...]
    mean_progress: int | None
    measured: int
    overdue: tuple[Initiative, ...]
    upcoming: tuple[Initiative, ...]


def overview(items: Iterable[Initiative], as_of: dt.date, upcoming_count: int = 6) -> Overview:
    items = tuple(items)
    counts = {status: 0 for status in STATUSES}
    for item in items:
        counts[item.status] += 1
    values = [p for p in (effective_progress(i) for i in items) if p is not None]
    open_with_due = [i for i in items if i.status in OPEN_STATUSES and i.due is not None]
    overdue = sorted((i for i in open_with_due if is_overdue(i, as_of)), key=_due_key)
    upcoming = sorted((i for i in open_with_due if not is_overdue(i, as_of)), key=_due_key)
    return Overview(
        total=len(items),
        by_status=tuple(counts.items()),
        mean_progress=round(sum(values) / len(values)) if values else None,
        measured=len(values),
        overdue=tuple(overdue),
        upcoming=tuple(upcoming[:upcoming_count]),
    )


def _due_key(item: Initiative) -> tuple[dt.date, str]:
    assert item.due is not None
    return item.due.last(), item.id


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


def group_key(simplified_name: str) -> str:
    """A stable ASCII folder for a Chinese name, the same in both editions."""
    return hashlib.sha1(simplified_name.encode("utf-8")).hexdigest()[:8]


def groups(items: Iterable[Initiative], field: str, simplified: Callable[[Text], str]) -> tuple[Group, ...]:
    """Group initiatives by one text field, keyed by its Simplified form.

    An initiative written in Traditional and one written in Simplified that name the same unit
    (渭濱區商務局, 渭滨区商务局) land in the same group.
    """
    found: dict[str, tuple[Text, list[Initiative]]] = {}
    for item in items:
        value = getattr(item, field)
        if value is None:
            continue
        name = simplified(value)
        found.setdefault(name, (value, []))[1].append(item)
    return tuple(Group(group_key(name), text, tuple(members)) for name, (text, members) in sorted(found.items()))

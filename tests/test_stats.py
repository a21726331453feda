"""Facts computed for readers: report date, schedule status (序时进度), overview, groups."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gongshi import stats
from gongshi.config import SiteConfig
from gongshi.model import Body, Content, Date, Initiative, LogEntry, Origin, Text, Update


def _item(
    status: str = "in_progress",
    progress: int | None = None,
    start: str | None = None,
    due: str | None = None,
    year: int | None = None,
    ident: str = "a",
) -> Initiative:
    return Initiative(
        id=ident,
        origin=Origin("a.yaml"),
        lang="zh-Hans",
        title=Text.plain("甲", "zh-Hans"),
        status=status,
        progress=progress,
        year=year,
        start=Date.parse(start) if start else None,
        due=Date.parse(due) if due else None,
    )


@pytest.mark.parametrize(
    ("item", "as_of", "expected", "mark"),
    [
        (_item(progress=50, start="2020-01-01", due="2020-12-31"), dt.date(2020, 7, 1), 50, "on_track"),
        (_item(progress=80, start="2020-01-01", due="2020-12-31"), dt.date(2020, 7, 1), 50, "ahead"),
        (_item(progress=20, start="2020-01-01", due="2020-12-31"), dt.date(2020, 7, 1), 50, "behind"),
        (_item(progress=90, start="2020-01-01", due="2020-06"), dt.date(2020, 7, 1), 100, "overdue"),
        (_item(progress=10, year=2020), dt.date(2020, 4, 1), 25, "behind"),
        (_item(start="2020-01-01", due="2020-12-31"), dt.date(2020, 7, 1), 50, ""),
        (_item(status="planned", start="2020-03-01", due="2020-12-31"), dt.date(2020, 2, 1), 0, "on_track"),
        (_item(status="completed", progress=100, year=2020), dt.date(2021, 1, 1), 100, ""),
        (_item(status="cancelled", year=2020), dt.date(2020, 6, 1), None, ""),
        (_item(progress=30), dt.date(2020, 6, 1), None, ""),
    ],
)
def test_schedule(item: Initiative, as_of: dt.date, expected: int | None, mark: str) -> None:
    """Expected progress is linear from start to due (or across the year); the mark compares within 5 points."""
    plan = stats.schedule(item, as_of, tolerance=5)
    assert (plan.expected, plan.mark) == (expected, mark)


def test_month_precision_due_counts_to_month_end() -> None:
    """A due date of 2019-12 means the end of December."""
    assert not stats.is_overdue(_item(due="2019-12"), dt.date(2019, 12, 31))
    assert stats.is_overdue(_item(due="2019-12"), dt.date(2020, 1, 1))


def _content(items: tuple[Initiative, ...], updates: tuple[Update, ...] = (), as_of: str | None = None) -> Content:
    config = SiteConfig(title="t", as_of=Date.parse(as_of) if as_of else None)
    return Content(config, items, updates)


def test_report_date_is_explicit_or_newest_content_date() -> None:
    """The report date never comes from the clock."""
    logged = dataclasses.replace(_item(), log=(LogEntry(Date(2020, 3, 4)),))
    update = Update(
        "u", Origin("u.md"), "zh-Hans", Text.plain("t", "zh-Hans"), Date(2020, 5, 6), Body("", 1, Origin("u.md"))
    )
    assert stats.report_date(_content((logged,), (update,))) == dt.date(2020, 5, 6)
    assert stats.report_date(_content((logged,), (update,), as_of="2021-01-02")) == dt.date(2021, 1, 2)


def test_overview_counts_progress_and_deadlines() -> None:
    """Counts by status, mean of the reported figures (completed 100; an item without a figure is left
    out, not counted as 0), overdue, and upcoming within the window."""
    items = (
        _item(progress=40, due="2020-03", ident="a"),
        _item(status="completed", ident="b"),
        _item(status="planned", due="2021-01", ident="c"),
        _item(status="cancelled", due="2019-01", ident="d"),
    )
    overview = stats.overview(items, dt.date(2020, 6, 1), upcoming_days=365)
    assert dict(overview.by_status) == {"planned": 1, "in_progress": 1, "delayed": 0, "completed": 1, "cancelled": 1}
    assert (overview.mean_progress, overview.measured, overview.counted, overview.completed) == (70, 2, 3, 1)
    assert [i.id for i in overview.overdue] == ["a"]
    assert [i.id for i in overview.upcoming] == ["c"]
    assert stats.overview(items, dt.date(2020, 6, 1)).upcoming == ()  # 2021-01 is beyond the default 90 days


def test_groups_merge_scripts() -> None:
    """The same unit written in Simplified and in Traditional is one group with one key."""
    a = Initiative(
        id="a",
        origin=Origin("a"),
        lang="zh-Hans",
        title=Text.plain("甲", "zh-Hans"),
        status="planned",
        department=Text.plain("渭滨区商务局", "zh-Hans"),
    )
    b = Initiative(
        id="b",
        origin=Origin("b"),
        lang="zh-Hant",
        title=Text.plain("乙", "zh-Hant"),
        status="planned",
        department=Text.plain("渭濱區商務局", "zh-Hant"),
    )
    to_hans = {"渭滨区商务局": "渭滨区商务局", "渭濱區商務局": "渭滨区商务局"}
    groups = stats.groups((a, b), "department", lambda t: to_hans[t.original])
    assert len(groups) == 1 and [i.id for i in groups[0].items] == ["a", "b"]
    assert groups[0].key == stats.group_key("渭滨区商务局")


def test_department_groups_hold_lead_and_partner_units_once() -> None:
    """An initiative is listed under its lead department and under each partner (配合单位), and once
    under a unit it names twice; the grouping is by the Simplified name, whatever the script."""

    def unit(name: str) -> Text:
        return Text.plain(name, "zh-Hans")

    lead = dataclasses.replace(
        _item(ident="a"), departments=(unit("交通局"),), partners=(unit("财政局"), unit("交通局"))
    )
    other = dataclasses.replace(_item(ident="b"), departments=(unit("财政局"),))
    groups = stats.groups((lead, other), "units", lambda text: text.original)
    assert [(g.name.original, [i.id for i in g.items]) for g in groups] == [("交通局", ["a"]), ("财政局", ["a", "b"])]

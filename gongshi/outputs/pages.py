"""The HTML pages of one edition: home, lists, one page per initiative and per update, index pages.

Every page is added to the plan with the context its template is rendered from, which is also
what its key is made of: a page is rendered again only when that context changed.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gongshi import stats
from gongshi.config import Year
from gongshi.incremental.plan import Plan
from gongshi.model import Initiative, Update
from gongshi.outputs.paging import PAGE_SIZE, paginate
from gongshi.page import SEARCH_CSP, View
from gongshi.vocabulary import GROUP_FIELDS, OUTCOME_LABELS, SCHEDULE_LABELS, STATUS_LABELS

HOME_CARDS = 12  # initiatives shown in each of the home page's sections (overdue, upcoming, stale)


def make(view: View, plan: Plan) -> None:
    """Every page of the edition, into `plan`."""
    pages = _Pages(view, plan)
    pages.home()
    pages.initiatives()
    pages.listings()
    pages.groups()
    pages.updates()
    pages.others()


class _Pages:
    def __init__(self, view: View, plan: Plan) -> None:
        self.view, self.plan, self.ed = view, plan, view.ed
        self.items = view.ed.content.initiatives
        self.by_field = {name: stats.groups(self.items, attr, self.ed.simplified) for name, attr, _ in GROUP_FIELDS}
        self.years = years = sorted({i.list_year for i in self.items if i.list_year is not None}, reverse=True)
        self.filters: dict[str, Any] = {
            "groups": {name: tuple(g.facet for g in groups) for name, groups in self.by_field.items()},
            "years": years,
        }
        # the ids in each group, for the instant filter's choices on a list of one page
        self.members = {
            name: {g.key: frozenset(i.id for i in g.items) for g in groups} for name, groups in self.by_field.items()
        }

    def add(self, path: str, template: str, **context: Any) -> None:
        """A page at `path` in the edition's folder, rendered from `template` with `context`."""
        where = f"{self.ed.dir}/{path}"
        self.plan.add(where, (template, context), lambda: self.view.page(self.ed.dir, template, path, **context))

    def wants(self, path: str) -> bool:
        return self.plan.wants(f"{self.ed.dir}/{path}")

    def paged(self, path: str, template: str, entries: Sequence[Any], name: str = "items", **context: Any) -> None:
        """A list in pages of `paging.PAGE_SIZE` (`path` is page 1's): `name` holds each page's entries,
        `pager` where the page stands."""
        for where, chunk, pager in paginate(path, entries):
            if self.wants(where):
                self.add(where, template, **{name: chunk}, pager=pager, **context)

    def listing(self, path: str, members: Iterable[Initiative], template: str = "list.html", **context: Any) -> None:
        """A list of initiatives with the filters, in pages; texts in `context` are in the edition's script."""
        items = tuple(members)
        # the instant filter (app.js) sees one page's cards: offered only when the list is one page
        choices = self.choices(items) if len(items) <= PAGE_SIZE else None
        self.paged(path, template, items, choices=choices, **self.filters, **context)

    def choices(self, items: Sequence[Initiative]) -> dict[str, tuple[stats.Facet, ...]]:
        """The instant filter's choices for a list: the groups its initiatives are in."""
        ids = frozenset(i.id for i in items)
        return {
            name: tuple(g.facet for g in groups if not ids.isdisjoint(self.members[name][g.key]))
            for name, groups in self.by_field.items()
        }

    def home(self) -> None:
        """The current year's list (all initiatives when there is one year or none), and every year's summary."""
        if not self.wants("index.html"):
            return
        ed, years = self.ed, self.years
        current = years[0] if len(years) > 1 else None
        items = tuple(i for i in self.items if current is None or i.list_year in (current, None))
        categories = stats.groups(items, "category", ed.simplified)
        self.add(
            "index.html",
            "home.html",
            overview=stats.overview(items, ed.as_of_year(current), ed.content.config.upcoming_days),
            items=items,
            current=current,
            year_list=tuple(self.year_summary(year) for year in years) if current else (),
            stale=tuple(i for i in items if ed.stale(i)),
            updates=ed.content.updates[::-1][:8],
            charts={"by_category": category_progress(categories)},
            home_cards=HOME_CARDS,
            **self.filters,
        )

    def year_summary(self, year: int) -> tuple[int, Year | None, int, int]:
        """A year's list in one line: the year, its settings, how many initiatives, how many completed."""
        members = [i for i in self.items if i.list_year == year]
        done = sum(1 for i in members if i.status == "completed")
        return year, self.ed.content.year(year), len(members), done

    def year_page(self, year: int) -> None:
        """A year's list with its own summary: its report date, and its counts (the outcomes once closed)."""
        ed, info = self.ed, self.ed.content.year(year)
        items = tuple(i for i in self.items if i.list_year == year)
        as_of = ed.as_of_year(year)
        shown = stats.year_report_written(ed.content, year)
        outcomes = Counter(stats.outcome(i) for i in items) if info and info.closed else Counter()
        self.listing(
            f"years/{year}/index.html",
            items,
            "year.html",
            year=year,
            info=info,
            year_as_of=shown,
            overview=stats.overview(items, as_of, ed.content.config.upcoming_days),
            outcomes=tuple((code, outcomes[code]) for code in OUTCOME_LABELS if outcomes[code]),
        )

    def initiatives(self) -> None:
        self.listing("initiatives/index.html", self.items, heading=self.ed.ui("全部实事"), label="")
        related = Related(self.by_field, self.ed.content.updates, self.items)
        items, by_id = self.items, {i.id: i for i in self.items}
        carried_from = {i.carried_to: i for i in items if i.carried_to}
        parts: dict[str, tuple[Initiative, ...]] = {}
        for part in items:
            if part.part_of:
                parts[part.part_of] = (*parts.get(part.part_of, ()), part)
        for index, item in enumerate(items):
            if self.wants(f"initiatives/{item.id}/index.html"):
                self.add(
                    f"initiatives/{item.id}/index.html",
                    "initiative.html",
                    item=item,
                    updates=self.ed.updates_of(item),
                    related=related.of(item),
                    carried=(carried_from.get(item.id), by_id.get(item.carried_to or "")),
                    parts=(by_id.get(item.part_of or ""), parts.get(item.id, ())),
                    prev=items[index - 1] if index else None,
                    next=items[index + 1] if index + 1 < len(items) else None,
                )

    def listings(self) -> None:
        """The lists by status, by schedule mark and by year."""
        ed, items = self.ed, self.items
        for status, label in STATUS_LABELS.items():
            members = (i for i in items if i.status == status)
            self.listing(f"status/{status}/index.html", members, heading=ed.ui(label), label=ed.ui("状态"))
        for mark, label in SCHEDULE_LABELS.items():
            members = (i for i in items if ed.schedule(i).mark == mark)
            self.listing(f"schedule/{mark}/index.html", members, heading=ed.ui(label), label=ed.ui("序时进度"))
        for year in self.years:
            self.year_page(year)

    def groups(self) -> None:
        """Per department, category and region: an index of the groups, and a list per group."""
        for folder, attr, label in GROUP_FIELDS:
            groups = self.by_field[folder]
            missing = sum(1 for item in self.items if not getattr(item, attr))
            self.paged(
                f"{folder}/index.html", "groups.html", groups, "groups", folder=folder, label=label, missing=missing
            )
            for group in groups:
                path = f"{folder}/{group.key}/index.html"
                self.listing(path, group.items, heading=self.ed.t(group.name), label=self.ed.ui(label))
                old = f"{folder}/{stats.old_group_key(self.ed.simplified(group.name))}/index.html"
                if old != path:  # published links to the hashed folders keep working
                    self.add(old, "redirect.html", target=path, heading=self.ed.t(group.name))

    def updates(self) -> None:
        updates = self.ed.content.updates
        by_id = {i.id: i for i in self.items}
        self.paged("updates/index.html", "updates.html", updates[::-1], "updates")
        for update in updates:
            if self.wants(f"updates/{update.slug}/index.html"):
                reported = tuple(by_id[x] for x in update.initiatives if x in by_id)
                self.add(f"updates/{update.slug}/index.html", "update.html", update=update, initiatives=reported)

    def others(self) -> None:
        """Corrections, about and search."""
        made = ((c, i) for i in self.items for c in i.corrections)
        corrections = sorted(made, key=lambda p: (p[0].date, p[1].id), reverse=True)
        self.paged("corrections/index.html", "corrections.html", corrections, "corrections")
        self.add("about/index.html", "about.html")
        self.add("search/index.html", "search.html", csp=SEARCH_CSP)


# The group pages' old hashed folders, now redirects (not in the sitemap).
MOVED = re.compile(r"(?:departments|categories|regions)/[0-9a-f]{8}/index\.html")


def category_progress(categories: Sequence[stats.Group]) -> list[tuple[stats.Group, int | None, int]]:
    """The home page's chart of progress by category: each category, the mean of the figures reported
    (None when none is), and how many of its items have one."""
    by_category = []
    for group in categories:
        values = [p for p in (stats.reported_progress(i) for i in group.items) if p is not None]
        by_category.append((group, round(sum(values) / len(values)) if values else None, len(values)))
    return by_category


class Related:
    """Initiatives related to one another, for "related initiatives": by shared department, category,
    region, or an update reporting on both. A group holding more than three quarters of all initiatives (the
    district's one region, say) tells nothing and is left out."""

    def __init__(
        self, by_field: Mapping[str, Sequence[stats.Group]], updates: Sequence[Update], items: Sequence[Initiative]
    ) -> None:
        self.keys: dict[str, tuple[str, ...]] = {}  # an initiative's group keys
        self.members: dict[str, frozenset[str]] = {}  # the ids in each group
        self.by_id: dict[str, Initiative] = {}
        groups = [(f"{folder}/{g.key}", g.items) for folder, found in by_field.items() for g in found]
        known, total = {i.id: i for i in items}, len(items)
        for update in updates:
            reported = tuple(known[x] for x in update.initiatives if x in known)
            groups.append((f"updates/{update.slug}", reported))
        for key, members in groups:
            if len(members) < 2 or 4 * len(members) > 3 * max(total, 2):
                continue
            self.members[key] = frozenset(i.id for i in members)
            for member in members:
                self.keys[member.id] = (*self.keys.get(member.id, ()), key)
                self.by_id[member.id] = member

    def of(self, item: Initiative, limit: int = 4) -> tuple[Initiative, ...]:
        return related_initiatives(item, self.keys, self.members, self.by_id, limit)


def related_initiatives(
    item: Initiative,
    keys: Mapping[str, tuple[str, ...]],
    members: Mapping[str, frozenset[str]],
    by_id: Mapping[str, Initiative],
    limit: int = 4,
) -> tuple[Initiative, ...]:
    """Initiatives sharing the most of department, category and region with `item`, then by id.

    `keys[id]` are an initiative's group keys; `members[key]` the ids in each group. Level by
    level (all of its groups, then all but one …), the ids in at least that many of them come
    from set intersections, in C, instead of counting every member of every group in Python.
    """
    groups = [members[key] for key in keys.get(item.id, ())]
    chosen: list[str] = []
    seen: frozenset[str] = frozenset({item.id})
    for need in range(len(groups), 0, -1):
        level = frozenset().union(*(frozenset.intersection(*combo) for combo in itertools.combinations(groups, need)))
        chosen += heapq.nsmallest(limit - len(chosen), level - seen)
        if len(chosen) >= limit:
            break
        seen |= level
    return tuple(by_id[ident] for ident in chosen)

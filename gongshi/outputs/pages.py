"""The HTML pages of one edition: home, lists, one page per initiative and per update, index pages.

Every page is added to the plan with the context its template is rendered from, which is also
what its key is made of: a page is rendered again only when that context changed.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gongshi import stats
from gongshi.incremental.plan import Plan
from gongshi.model import Initiative
from gongshi.page import SEARCH_CSP, View
from gongshi.vocabulary import GROUP_FIELDS, SCHEDULE_LABELS, STATUS_LABELS


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
        years = sorted({i.year for i in self.items if i.year is not None}, reverse=True)
        self.filters = {
            "groups": {name: tuple(g.facet for g in groups) for name, groups in self.by_field.items()},
            "years": years,
        }

    def add(self, path: str, template: str, **context: Any) -> None:
        """A page at `path` in the edition's folder, rendered from `template` with `context`."""
        where = f"{self.ed.dir}/{path}"
        self.plan.add(where, (template, context), lambda: self.view.page(self.ed.dir, template, path, **context))

    def wants(self, path: str) -> bool:
        return self.plan.wants(f"{self.ed.dir}/{path}")

    def listing(self, path: str, members: Iterable[Initiative], heading: str, label: str = "") -> None:
        """A list page; `heading` and `label` are already in the edition's script."""
        if self.wants(path):
            self.add(path, "list.html", items=tuple(members), heading=heading, label=label, **self.filters)

    def home(self) -> None:
        if not self.wants("index.html"):
            return
        items, ed = self.items, self.ed
        self.add(
            "index.html",
            "home.html",
            overview=stats.overview(items, ed.as_of),
            items=items,
            stale=tuple(i for i in items if ed.stale(i)),
            updates=ed.content.updates[::-1][:8],
            charts={"by_category": category_progress(self.by_field["categories"])},
            **self.filters,
        )

    def initiatives(self) -> None:
        self.listing("initiatives/index.html", self.items, self.ed.ui("全部实事"))
        related = Related(self.by_field)
        items = self.items
        for index, item in enumerate(items):
            if self.wants(f"initiatives/{item.id}/index.html"):
                self.add(
                    f"initiatives/{item.id}/index.html",
                    "initiative.html",
                    item=item,
                    updates=self.ed.updates_of(item),
                    related=related.of(item),
                    prev=items[index - 1] if index else None,
                    next=items[index + 1] if index + 1 < len(items) else None,
                )

    def listings(self) -> None:
        """The lists by status, by schedule mark and by year."""
        ed, items = self.ed, self.items
        for status, label in STATUS_LABELS.items():
            members = (i for i in items if i.status == status)
            self.listing(f"status/{status}/index.html", members, ed.ui(label), ed.ui("状态"))
        for mark, label in SCHEDULE_LABELS.items():
            members = (i for i in items if ed.schedule(i).mark == mark)
            self.listing(f"schedule/{mark}/index.html", members, ed.ui(label), ed.ui("序时进度"))
        for year in self.filters["years"]:
            members = (i for i in items if i.year == year)
            self.listing(f"years/{year}/index.html", members, f"{year}年", ed.ui("年度"))

    def groups(self) -> None:
        """Per department, category and region: an index of the groups, and a list per group."""
        for folder, _attr, label in GROUP_FIELDS:
            groups = self.by_field[folder]
            self.add(f"{folder}/index.html", "groups.html", groups=groups, folder=folder, label=label)
            for group in groups:
                path = f"{folder}/{group.key}/index.html"
                self.listing(path, group.items, self.ed.t(group.name), self.ed.ui(label))

    def updates(self) -> None:
        updates = self.ed.content.updates
        by_id = {i.id: i for i in self.items}
        self.add("updates/index.html", "updates.html", updates=updates[::-1])
        for update in updates:
            if self.wants(f"updates/{update.slug}/index.html"):
                reported = tuple(by_id[x] for x in update.initiatives if x in by_id)
                self.add(f"updates/{update.slug}/index.html", "update.html", update=update, initiatives=reported)

    def others(self) -> None:
        """Corrections, about and search."""
        made = ((c, i) for i in self.items for c in i.corrections)
        corrections = sorted(made, key=lambda p: (p[0].date, p[1].id), reverse=True)
        self.add("corrections/index.html", "corrections.html", corrections=corrections)
        self.add("about/index.html", "about.html")
        self.add("search/index.html", "search.html", csp=SEARCH_CSP)


def category_progress(categories: Sequence[stats.Group]) -> list[tuple[stats.Group, int, int]]:
    """The home page's chart of progress by category: each category with progress, its mean and size."""
    by_category = []
    for group in categories:
        values = [p for p in (stats.effective_progress(i) for i in group.items) if p is not None]
        if values:
            by_category.append((group, round(sum(values) / len(values)), len(group.items)))
    return by_category


class Related:
    """Initiatives related to one another by department, category and region, for "related initiatives"."""

    def __init__(self, by_field: Mapping[str, Sequence[stats.Group]]) -> None:
        self.keys: dict[str, tuple[str, ...]] = {}  # an initiative's group keys
        self.members: dict[str, frozenset[str]] = {}  # the ids in each group
        self.by_id: dict[str, Initiative] = {}
        for folder, groups in by_field.items():
            for group in groups:
                self.members[f"{folder}/{group.key}"] = frozenset(i.id for i in group.items)
                for member in group.items:
                    self.keys[member.id] = (*self.keys.get(member.id, ()), f"{folder}/{group.key}")
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

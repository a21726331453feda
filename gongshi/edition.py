"""Convert stage: one edition's view of the content, every text through the converter once.

An `Edition` turns the model's `Text` values, Markdown bodies, interface strings and dates into
what one edition shows, memoising each, and computes the schedule of every initiative once.
Renderers and outputs (pages, feeds, open data) all read content through it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from gongshi import markdown, stats
from gongshi.convert import Converter
from gongshi.history import History
from gongshi.model import Body, Content, Date, Initiative, Lang, Text, Update, edition_dir


@dataclass
class Edition:
    """One edition's view of the content: every text through the converter, once."""

    lang: Lang
    content: Content
    converter: Converter
    as_of: dt.date
    history: History = field(default_factory=lambda: History(False))
    _bodies: dict[tuple[str, str], str] = field(default_factory=dict)
    _schedules: dict[str, stats.Schedule] = field(default_factory=dict)
    _year_dates: dict[int | None, dt.date] = field(default_factory=dict)

    @property
    def dir(self) -> str:
        return edition_dir(self.lang)

    def schedule(self, item: Initiative) -> stats.Schedule:
        """序时进度 of one initiative at its year's report date (the same in every edition)."""
        if item.id not in self._schedules:
            as_of = self.as_of_year(item.list_year)
            found = stats.schedule(item, as_of, self.content.config.schedule_tolerance)
            # a closed year's item has an outcome, not a schedule: no 慢序时 list, badge or open-data mark
            self._schedules[item.id] = stats.Schedule(found.expected, "", found.basis) if self.closed(item) else found
        return self._schedules[item.id]

    def as_of_year(self, year: int | None) -> dt.date:
        """The report date of a year's list (`stats.year_report_date`); the site's for items without a year."""
        if year not in self._year_dates:
            self._year_dates[year] = stats.year_report_date(self.content, year) if year else self.as_of
        return self._year_dates[year]

    def closed(self, item: Initiative) -> bool:
        """Whether the initiative's year's list is closed (its state is its outcome)."""
        return stats.is_closed(self.content, item)

    @cached_property
    def as_of_shown(self) -> Date | None:
        """The report date as pages show it, as precise as it was written; None when the content has no
        date at all (nothing is said then, rather than an invented date)."""
        return stats.report_written(self.content)

    @cached_property
    def _updates(self) -> dict[str, tuple[Update, ...]]:
        return stats.updates_by_initiative(self.content)

    def updates_of(self, item: Initiative) -> tuple[Update, ...]:
        """The updates reporting on `item`, newest first."""
        return self._updates.get(item.id, ())

    def last_updated(self, item: Initiative) -> Date | None:
        """The newest report on an initiative in the content (its log, its updates), as precise as it was
        written. Not the last commit: a repository copied today would make everything "updated" today."""
        return stats.last_reported(item, self.updates_of(item))

    def stale(self, item: Initiative) -> bool:
        """Open in a year not closed, and not updated for longer than `stale_after_days` before its
        year's report date."""
        if self.closed(item):
            return False
        quiet = stats.silence(item, self.updates_of(item), self.as_of_year(item.list_year))
        return quiet is not None and quiet.days > self.content.config.stale_after_days

    def absolute(self, path: str) -> str:
        """`path` (from the site root) as an absolute URL, or "" when no base_url is set."""
        return self.content.config.base_url + path if self.content.config.base_url else ""

    def t(self, text: Text | str | None) -> str:
        """A content text as this edition shows it: hand-written, else converted.

        Plain strings are site settings, written in the site's source language.
        """
        if text is None:
            return ""
        if isinstance(text, str):
            return self.converter.convert(text, self.content.config.source_lang, self.lang)
        written = text.written(self.lang)
        if written is not None:
            return self.converter.convert(written, self.lang, self.lang)
        return self.converter.convert(text.original, text.lang, self.lang)

    def ui(self, text: str) -> str:
        """An interface string (written in Simplified) in this edition's script."""
        return self.converter.convert(text, "zh-Hans", self.lang)

    def simplified(self, text: Text) -> str:
        written = text.written("zh-Hans")
        return written if written is not None else self.converter.convert(text.original, text.lang, "zh-Hans")

    def body(self, update: Update) -> str:
        """The update's HTML in this edition, from its hand-written edition when there is one."""
        key = (update.slug, self.lang)
        if key not in self._bodies:
            own = update.written_body(self.lang)
            source: Body = own or update.body
            lang = self.lang if own else update.lang
            parsed = markdown.parse(source.markdown, self.content.config.allow_html)
            self._bodies[key] = markdown.render(parsed, lambda s: self.converter.convert(s, lang, self.lang))
        return self._bodies[key]

    def date(self, value: Date | dt.date | None) -> str:
        """A date as precise as it was written: 2019年8月31日, 2019年8月, 2019年第三季度, 2019年底, 2019年.

        Never pass `Date.last()` or `first()` here for display: they invent a day."""
        if value is None:
            return ""
        if isinstance(value, dt.date) or value.day:
            return f"{value.year}年{value.month}月{value.day}日"
        if value.month:
            return f"{value.year}年{value.month}月"
        if value.quarter:
            return f"{value.year}年" + self.ui(f"第{'一二三四'[value.quarter - 1]}季度")
        return f"{value.year}年" + (self.ui("底") if value.year_end else "")

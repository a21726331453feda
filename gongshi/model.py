"""The content model: plain frozen dataclasses, built once by `content.load_content`.

Text that readers see is a `Text`: the words as written (in the file's language) plus any
hand-written value for another edition. A `Text` is turned into a string for one edition by the
convert stage, never by `str()`: a template that forgets to localise fails loudly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["zh-Hans", "zh-Hant"]
LANGS: tuple[Lang, ...] = ("zh-Hans", "zh-Hant")
ID_RE = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")  # \Z: "$" would accept a final newline


def edition_dir(lang: Lang) -> str:
    """The URL folder of an edition: `zh-hans` or `zh-hant`."""
    return lang.lower()


@dataclass(frozen=True, slots=True)
class Text:
    """Reader-facing text: `lang` is the language of the main value in `values` (the file's language)."""

    lang: Lang
    values: tuple[tuple[Lang, str], ...]
    line: int = field(default=0, compare=False)  # where it was written, for the review report

    @classmethod
    def plain(cls, value: str, lang: Lang, line: int = 0) -> Text:
        return cls(lang, ((lang, value),), line)

    def written(self, lang: Lang) -> str | None:
        """The value written by hand for `lang`, if any."""
        for key, value in self.values:
            if key == lang:
                return value
        return None

    @property
    def original(self) -> str:
        return self.written(self.lang) or ""

    def __str__(self) -> str:
        raise TypeError("Text must be localised for an edition (use t(...) in templates)")


@dataclass(frozen=True, slots=True, order=True)
class Date:
    """A calendar date, or a month when the day is not known (`day` is 0)."""

    year: int
    month: int
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> Date:
        """Parse `YYYY-MM-DD` or `YYYY-MM`; raises ValueError for impossible dates."""
        parts = [int(p) for p in text.split("-")]
        date = cls(parts[0], parts[1], parts[2] if len(parts) == 3 else 0)
        date.last()  # validates month and day
        if len(parts) == 3:
            dt.date(date.year, date.month, date.day)
        return date

    def first(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    def last(self) -> dt.date:
        """The last day the date covers: itself, or the month's last day."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was defined, for messages about it."""

    path: str
    line: int = 1


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a fact comes from: a report, a notice (`source:` and `sources:` in content files)."""

    title: Text
    publisher: Text | None = None
    author: Text | None = None
    url: str | None = None
    date: Date | None = None


@dataclass(frozen=True, slots=True)
class Target:
    name: Text
    target: float | None = None
    actual: float | None = None
    unit: Text | None = None
    note: Text | None = None

    @property
    def ratio(self) -> float | None:
        """Actual over target, capped at 1, when both are known."""
        if self.target is None or self.actual is None or self.target <= 0:
            return None
        return min(self.actual / self.target, 1.0)


@dataclass(frozen=True, slots=True)
class Milestone:
    date: Date
    title: Text
    done: bool = False


@dataclass(frozen=True, slots=True)
class LogEntry:
    date: Date
    status: str | None = None
    progress: int | None = None
    note: Text | None = None
    source: Text | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """A published correction: what was wrong on the page, and when it was put right."""

    date: Date
    note: Text


@dataclass(frozen=True, slots=True)
class Budget:
    amount: float
    unit: Text
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Initiative:
    id: str
    origin: Origin
    lang: Lang
    title: Text
    status: str
    progress: int | None = None
    department: Text | None = None
    partners: tuple[Text, ...] = ()
    category: Text | None = None
    region: Text | None = None
    year: int | None = None
    start: Date | None = None
    due: Date | None = None
    summary: Text | None = None
    reason: Text | None = None
    remedy: Text | None = None
    budget: Budget | None = None
    targets: tuple[Target, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    log: tuple[LogEntry, ...] = ()
    sources: tuple[Citation, ...] = ()
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True, slots=True)
class Body:
    """A Markdown body and the file line its first line sits on."""

    markdown: str
    line: int
    origin: Origin


@dataclass(frozen=True, slots=True)
class Update:
    slug: str
    origin: Origin
    lang: Lang
    title: Text
    date: Date
    body: Body
    summary: Text | None = None
    initiatives: tuple[str, ...] = ()
    source: Citation | None = None
    # Hand-written bodies for other editions (`<slug>.zh-hant.md`), replacing conversion.
    written_bodies: tuple[tuple[Lang, Body], ...] = ()

    def written_body(self, lang: Lang) -> Body | None:
        for key, body in self.written_bodies:
            if key == lang:
                return body
        return None


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    hans: str
    hant: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Contact:
    text: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    publisher: str = ""
    description: str = ""
    source_lang: Lang = "zh-Hans"
    editions: tuple[Lang, ...] = LANGS
    conversion: str = "s2tw"
    timezone: str = "Asia/Shanghai"
    base_url: str = ""
    as_of: Date | None = None
    schedule_tolerance: int = 5
    stale_after_days: int = 90
    allow_html: bool = False
    contact: Contact = field(default_factory=Contact)

    def __post_init__(self) -> None:
        # Pages append paths to base_url: it always ends with "/" (or is empty).
        if self.base_url and not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")


@dataclass(frozen=True, slots=True)
class Content:
    """Everything a build reads, validated."""

    config: SiteConfig
    initiatives: tuple[Initiative, ...]
    updates: tuple[Update, ...]
    glossary: tuple[GlossaryEntry, ...] = ()

    def initiative(self, ident: str) -> Initiative | None:
        for item in self.initiatives:
            if item.id == ident:
                return item
        return None

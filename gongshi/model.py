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
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the site's settings are in `config`, which builds on this module
    from gongshi.config import SiteConfig, Year

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


DATE_RE = re.compile(r"\A([1-9][0-9]{3})(?:-([0-9]{2})(?:-([0-9]{2}))?|-Q([1-4])|-(end))?\Z")  # as the schemas' date


@dataclass(frozen=True, slots=True, order=True)
class Date:
    """A date as precise as it was written: a day, a month (`day` 0), a quarter, the end of a year
    (年底, December) or a year (`month` 0).

    `first()` and `last()` are the days it covers, for schedules. Dates sort by their first day,
    the longer span first: 2019 < 2019-Q3 < 2019-07 < 2019-07-01 (a month before its days, as
    always); the year's end sorts after December. Constructing an impossible date raises ValueError.
    """

    key: tuple[int, int, int] = field(init=False, repr=False)  # the order; set from the other fields
    year: int
    month: int = 0
    day: int = 0
    quarter: int = 0
    year_end: bool = False

    def __post_init__(self) -> None:
        if (self.day and not self.month) or bool(self.month) + bool(self.quarter) + self.year_end > 1:
            raise ValueError(f"not one kind of date: {self!r}")
        if not 0 <= self.quarter <= 4:
            raise ValueError(f"no quarter {self.quarter}")
        first, last = self.first(), self.last()  # raise for a month 13 or a 30 February
        object.__setattr__(self, "key", (first.toordinal(), -last.toordinal(), int(self.year_end)))

    @classmethod
    def parse(cls, text: str | int) -> Date:
        """`YYYY-MM-DD`, `YYYY-MM`, `YYYY-Q1`…`YYYY-Q4`, `YYYY-end` or `YYYY` (YAML gives an int for
        it); raises ValueError for another form or an impossible date."""
        match = DATE_RE.match(str(text)) if not isinstance(text, bool) else None
        if match is None:
            raise ValueError(f"not a date: {text!r}")
        year, month, day, quarter, end = match.groups()
        date = cls(int(year), int(month or 0), int(day or 0), int(quarter or 0), bool(end))
        if date.iso != match[0]:  # month or day 00 would read as a coarser date
            raise ValueError(f"not a real date: {text!r}")
        return date

    def _months(self) -> tuple[int, int]:
        if self.month:
            return self.month, self.month
        if self.quarter:
            return 3 * self.quarter - 2, 3 * self.quarter
        return (12 if self.year_end else 1), 12

    def first(self) -> dt.date:
        """The first day the date covers."""
        return dt.date(self.year, self._months()[0], self.day or 1)

    def last(self) -> dt.date:
        """The last day the date covers: itself, or the last day of its month, quarter or year."""
        month = self._months()[1]
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def iso(self) -> str:
        """As written in content and open data: 2019-08-31, 2019-08, 2019-Q3, 2019-end, 2019."""
        if self.month:
            return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        if self.quarter:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}" + ("-end" if self.year_end else "")


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
    bound: str = ""  # "at_least" (不低于), "at_most" (不超过), or "" (a plain target)
    target_max: float | None = None  # the top of a range (20–30): `target` is its bottom
    department: Text | None = None  # when this target has its own responsible unit

    @property
    def ratio(self) -> float | None:
        """Actual over target when both are known: above 1 when the target was exceeded (a bar may cap
        its drawing at 100 %, a number never). None for an upper limit (不超过), where less is better."""
        if self.target is None or self.actual is None or self.target <= 0 or self.bound == "at_most":
            return None
        return None if self.target_max is not None else self.actual / self.target

    @property
    def met(self) -> bool | None:
        """Whether the actual figure meets the target (an upper limit: stays at or below it)."""
        if self.target is None or self.actual is None:
            return None
        if self.target_max is not None:
            return self.target <= self.actual <= self.target_max
        return self.actual <= self.target if self.bound == "at_most" else self.actual >= self.target


@dataclass(frozen=True, slots=True)
class Milestone:
    date: Date
    title: Text
    done: bool = False


@dataclass(frozen=True, slots=True)
class LogEntry:
    date: Date
    status: str | None = None
    progress: float | None = None  # as written: 40, or 87.12
    note: Text | None = None
    source: Text | None = None
    planned_progress: float | None = None  # the official planned progress (计划进度) at this report


@dataclass(frozen=True, slots=True)
class Correction:
    """A published correction: what was wrong on the page, and when it was put right."""

    date: Date
    note: Text


@dataclass(frozen=True, slots=True)
class Budget:
    amount: float  # planned investment (计划投资)
    unit: Text  # 万元, 亿元 …
    note: Text | None = None
    spent: float | None = None  # invested so far (累计完成投资), in the same unit


@dataclass(frozen=True, slots=True)
class Initiative:
    id: str
    origin: Origin
    lang: Lang
    title: Text
    status: str
    progress: float | None = None  # percent as written: an int (40) or a float (87.12), never rounded
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
    carried_to: str | None = None  # 结转: the id of this item in a later year's list
    departments: tuple[Text, ...] = ()  # every lead department (牵头单位); `department` is the first
    regions: tuple[Text, ...] = ()  # every region named; `region` is the first
    leader: Text | None = None  # the responsible leader (责任领导, 分管领导)
    planned_progress: float | None = None  # the official planned progress (计划进度) at the report date
    part_of: str | None = None  # the id of the initiative this one is a part (sub-item) of

    @property
    def planned(self) -> float | None:
        """The official planned progress: the record's, else the newest log entry's that gives one."""
        if self.planned_progress is not None:
            return self.planned_progress
        return next((e.planned_progress for e in reversed(self.log) if e.planned_progress is not None), None)

    @property
    def units(self) -> tuple[Text, ...]:
        """Every unit responsible for a part of it: the lead departments, the partners (配合单位)
        and the units of single targets; an initiative is listed under each."""
        return (*self.departments, *self.partners, *(t.department for t in self.targets if t.department is not None))

    @property
    def list_year(self) -> int | None:
        """The year's list the initiative belongs to: `year`, else the year of `due` or `start`."""
        if self.year is not None:
            return self.year
        dated = self.due or self.start
        return dated.year if dated is not None else None


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
    draft: bool = False  # not published, not counted, until `draft: true` is removed

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
class Content:
    """Everything a build reads, validated."""

    config: SiteConfig
    initiatives: tuple[Initiative, ...]
    updates: tuple[Update, ...]
    glossary: tuple[GlossaryEntry, ...] = ()

    def year(self, year: int | None) -> Year | None:
        """The settings of one year's list, when site.yaml has them."""
        return next((y for y in self.config.years if y.year == year), None)

    def initiative(self, ident: str) -> Initiative | None:
        for item in self.initiatives:
            if item.id == ident:
                return item
        return None

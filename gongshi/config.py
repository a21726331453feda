"""The site's settings: `content/site.yaml` as frozen dataclasses (the rest of the content model is `model`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongshi.model import LANGS, Date, Lang


@dataclass(frozen=True, slots=True)
class Year:
    """One year's list of initiatives (`years:` in site.yaml): closed once its year is over."""

    year: int
    title: str = ""  # e.g. 2019年十件民生实事
    as_of: Date | None = None  # the year's report date; default: the newest date reported on its items
    closed: bool = False  # the list is final: its state is shown as the outcome, no reminders or schedule warnings


@dataclass(frozen=True, slots=True)
class Contact:
    text: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class LintSettings:
    """`lint:` in site.yaml: which of the copy lint's typesetting suggestions a site takes."""

    digit_spacing: bool = True  # a space between Chinese and a number (在 2019 年); many official titles have none


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
    upcoming_days: int = 90  # "即将到期" on the home page: deadlines within this many days of the report date
    years: tuple[Year, ...] = ()
    allow_html: bool = False
    contact: Contact = field(default_factory=Contact)
    usage: str = "mainland"  # the authors' vocabulary: mainland, taiwan or hongkong (Taiwan words flagged in mainland)
    lint: LintSettings = field(default_factory=LintSettings)
    colour: str = ""  # the district's colour, #rrggbb: the header's rule and accents (static/site.css)
    emblem: str = ""  # an emblem file in content/, shown beside the title (static/emblem.svg or .png)
    emblem_data: bytes = b""  # its bytes, read by the loader (not a site.yaml key)
    keep: tuple[str, ...] = ()  # files in the output folder no build deletes (CNAME, .git, .well-known always)

    def __post_init__(self) -> None:
        # Pages append paths to base_url: it always ends with "/" (or is empty).
        if self.base_url and not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        object.__setattr__(self, "keep", tuple(self.keep))  # a YAML list, as the loader passes it on
        lint: object = self.lint  # site.yaml's `lint:` mapping, as the loader passes it on
        if isinstance(lint, dict):
            object.__setattr__(self, "lint", LintSettings(**lint))

"""What to tell staff about a date gongshi cannot read, with the exact text to write instead.

`model.Date.parse` reads the written forms (2019-12-31, 2019-12, 2019-Q4, 2019-end, 2019), and
the schemas' date pattern accepts the same. Here are the forms staff type instead: a 民國 (ROC)
year (`116-05-31`, `民國116年5月31日`, the 民國 year + 1911 being the Western one), Chinese date
words (`2019年12月`, `2019年第三季度`, `2019年底`), other separators and one-digit months
(`2019/12/31`, `2020-4-1`). Each is recognised and answered with the date to write.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

from gongshi.i18n import msg
from gongshi.model import Date

DATE_HINT = msg(
    "write dates as YYYY-MM-DD (2019-12-31); when the day is not known, YYYY-MM (2019-12), "
    "a quarter YYYY-Q1 to YYYY-Q4 (2019-Q4), the year's end YYYY-end (2019-end, 年底) or the year YYYY (2019)"
)
ROC_OFFSET = 1911  # 民國 1 is 1912

_YEAR = re.compile(r"(?P<roc>民[國国])?\s*(?P<year>[0-9]{2,4})\s*(?:年|[-/.\s])?\s*(?P<rest>.*)")
_MONTH_DAY = re.compile(r"(?P<month>[0-9]{1,2})\s*(?:月|[-/.\s])?\s*(?:(?P<day>[0-9]{1,2})\s*[日号號]?)?")
_QUARTER = re.compile(r"(?:第\s*)?(?P<q>[一二三四1-4])\s*季度?|[Qq]\s*(?P<qq>[1-4])")
_YEAR_END = re.compile(r"年?[底末]|end", re.IGNORECASE)
_NUMERALS = "一二三四"


def date_problem(name: str, value: object) -> tuple[str, str]:
    """The message and hint for `name`'s value `value`, which is not a date in a form gongshi reads."""
    text = str(value).strip()
    written, roc_year = (None, None) if isinstance(value, float) else _meant(text)  # 2019.10 is read as 2019.1
    if roc_year is None:
        hint = msg("write {date}", date=written) if written else DATE_HINT
        return msg("{field} '{value}' is not a date", field=name, value=text), hint
    if written is None:
        hint = msg(
            "write the year as 民國 year + {offset} ({year}), as YYYY-MM-DD; check the day",
            offset=ROC_OFFSET,
            year=roc_year + ROC_OFFSET,
        )
        return msg("{field} '{value}' looks like a 民國 (ROC) date, but not a real one", field=name, value=text), hint
    if roc_year >= 100 or text.startswith(("民國", "民国")):
        return (
            msg("{field} '{value}' looks like a 民國 (ROC) date", field=name, value=text),
            msg("write {date} (民國 year + {offset})", date=written, offset=ROC_OFFSET),
        )
    return (
        msg("{field} '{value}' has a two-digit year", field=name, value=text),
        msg(
            "write {date} if it is a 民國 (ROC) year (民國 year + {offset}), or the year in four digits",
            date=written,
            offset=ROC_OFFSET,
        ),
    )


def _meant(text: str) -> tuple[str | None, int | None]:
    """The date `text` was probably meant to be, as it should be written (None when it is not
    recognisable or not a real date), and its 民國 year if it was written with one."""
    # runs of spaces as one: the patterns' optional spaces around a separator would otherwise try
    # every way of splitting a long run (quadratic; 20,000 spaces took 16 s)
    match = _YEAR.fullmatch(" ".join(unicodedata.normalize("NFKC", text).split()))
    if match is None:
        return None, None
    number, rest = int(match["year"]), match["rest"].strip()
    roc = match["roc"] is not None or number < 1000  # 116, and 0116 too
    if (roc and number >= 1000) or (number < 100 and not rest and not match["roc"]):
        return None, None  # 民國2019 is no date; a lone 12 could be anything
    written = _written(number + ROC_OFFSET if roc else number, rest)
    try:
        Date.parse(written or "")
    except ValueError:
        written = None
    return written, (number if roc else None)


def _written(year: int, rest: str) -> str | None:
    """The date of `year` and the words after it (month and day, a quarter, the year's end)."""
    if not rest:
        return f"{year}"
    if match := _MONTH_DAY.fullmatch(rest):
        day = f"-{int(match['day']):02d}" if match["day"] else ""
        return f"{year}-{int(match['month']):02d}{day}"
    if match := _QUARTER.fullmatch(rest):
        quarter = match["q"] or match["qq"]
        return f"{year}-Q{quarter if quarter.isdigit() else _NUMERALS.index(quarter) + 1}"
    if _YEAR_END.fullmatch(rest):
        return f"{year}-end"
    return None


def impossible_date_hint(value: str) -> str:
    """Why a date written in a readable form does not exist: a month 13, a 30 February, a day 00."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", value)
    if match is None:
        return DATE_HINT
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return msg("the month is written 01 to 12")
    days = calendar.monthrange(year, month)[1]
    if match[3] == "00":
        return msg("the day is written 01 to {days}", days=days)
    return msg("{year:04d}-{month:02d} has only {days} days", year=year, month=month, days=days)

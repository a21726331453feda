"""Dates as precise as they were written (day, month, quarter, year's end, year), 民國 dates, decimal figures."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from jsonschema import Draft202012Validator

from gongshi.load import load_content
from gongshi.load.dates import DATE_HINT, date_problem
from gongshi.model import Date
from gongshi.pipeline import Options, render_files
from gongshi.resources import builtin_path

BASIC = FIXTURES / "basic" / "content"


@pytest.mark.parametrize(
    ("written", "first", "last", "iso"),
    [
        ("2019-08-31", "2019-08-31", "2019-08-31", "2019-08-31"),
        ("2019-08", "2019-08-01", "2019-08-31", "2019-08"),
        ("2020-02", "2020-02-01", "2020-02-29", "2020-02"),
        ("2019-Q3", "2019-07-01", "2019-09-30", "2019-Q3"),
        ("2019-Q1", "2019-01-01", "2019-03-31", "2019-Q1"),
        ("2019-end", "2019-12-01", "2019-12-31", "2019-end"),
        ("2032", "2032-01-01", "2032-12-31", "2032"),
        (2032, "2032-01-01", "2032-12-31", "2032"),  # YAML reads `due: 2032` as a number
    ],
)
def test_every_written_form_has_its_first_and_last_day(written: str | int, first: str, last: str, iso: str) -> None:
    """Each form of date parses, covers the days a schedule needs, and is written back as it was."""
    date = Date.parse(written)
    assert (date.first().isoformat(), date.last().isoformat(), date.iso) == (first, last, iso)


@pytest.mark.parametrize(
    "written", ["2019-02-30", "2019-13", "2019-00", "2019-08-00", "116-05-31", "0116-05-31", "2019-Q5"]
)
def test_impossible_dates_and_other_forms_are_refused(written: str) -> None:
    """Only real dates in the written forms parse: a 民國 year is never read as the year 116."""
    with pytest.raises(ValueError):
        Date.parse(written)


def test_dates_sort_by_first_day_the_longer_span_first() -> None:
    """A month sorts as the month (before its days, after the days before it); a year before its quarters."""
    written = ["2019-07-01", "2019-06-30", "2019-12-31", "2019-end", "2019", "2019-07", "2019-Q3", "2019-12", "2020"]
    ordered = [d.iso for d in sorted(Date.parse(w) for w in written)]
    assert ordered == [
        "2019",
        "2019-06-30",
        "2019-Q3",
        "2019-07",
        "2019-07-01",
        "2019-12",
        "2019-end",
        "2019-12-31",
        "2020",
    ]
    assert max(Date.parse("2019-08"), Date.parse("2019-08-15")) == Date.parse("2019-08-15")
    assert Date.parse("2019-08") < Date.parse("2019-08-01") < Date.parse("2019-09")


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        ("116-05-31", "looks like a 民國 (ROC) date", "write 2027-05-31 (民國 year + 1911)"),
        ("民國116年5月31日", "looks like a 民國 (ROC) date", "write 2027-05-31 (民國 year + 1911)"),
        ("民国108年12月", "looks like a 民國 (ROC) date", "write 2019-12 (民國 year + 1911)"),
        (116, "looks like a 民國 (ROC) date", "write 2027 (民國 year + 1911)"),
        ("98-05-31", "has a two-digit year", "write 2009-05-31 if it is a 民國 (ROC) year"),
        ("2019/12/31", "is not a date", "write 2019-12-31"),
        ("2020-4-1", "is not a date", "write 2020-04-01"),
        ("2019年12月", "is not a date", "write 2019-12"),
        ("2019年第三季度", "is not a date", "write 2019-Q3"),
        ("2019-q3", "is not a date", "write 2019-Q3"),
        ("2019年底", "is not a date", "write 2019-end"),
        ("明年三月", "is not a date", DATE_HINT),
    ],
)
def test_a_date_staff_can_not_use_is_answered_with_the_date_to_write(
    written: str | int, message: str, hint: str
) -> None:
    """民國 dates, Chinese date words and other separators get the exact date to write instead."""
    said, told = date_problem("due", written)
    assert said == f"due '{written}' {message}"
    assert told.startswith(hint)


def _content(tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    for name, replacements in edits.items():
        path = content / name
        text = path.read_text("utf-8")
        for old, new in replacements:
            assert old in text, (old, name)
            text = text.replace(old, new, 1)
        path.write_text(text, "utf-8")
    return content


def test_roc_due_date_is_one_error_saying_what_to_write(tmp_path: Path) -> None:
    """116-05-31 after a start date: one error naming the 民國 year, not also "due 0116-05-31 is before start"."""
    content = _content(tmp_path, {"initiatives/rural-bus.yaml": [("due: 2019-12\n", "due: 116-05-31\n")]})
    problems = [(d.message, d.hint) for d in load_content(content).diagnostics if d.is_error]
    assert problems == [("due '116-05-31' looks like a 民國 (ROC) date", "write 2027-05-31 (民國 year + 1911)")]


def test_year_only_due_may_be_a_number_and_roc_year_is_explained(tmp_path: Path) -> None:
    """`due: 2032` (a YAML number) is a date; `due: 116` is a 民國 year, with the year to write."""
    edits = {
        "initiatives/rural-bus.yaml": [("due: 2019-12\n", "due: 2032\n")],
        "initiatives/school-places.yaml": [("due: 2019-09\n", "due: 116\n")],
    }
    loaded = load_content(_content(tmp_path, edits))
    assert [(d.path.rsplit("/", 1)[-1], d.message, d.hint) for d in loaded.diagnostics if d.is_error] == [
        ("school-places.yaml", "due '116' looks like a 民國 (ROC) date", "write 2027 (民國 year + 1911)")
    ]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The basic fixture with a quarter, a year's end, a year, a month log date and decimal figures."""
    bus = [
        ("progress: 40\ndepartment", "progress: 87.12\ndepartment"),
        ("due: 2019-12\n", "due: 2019-Q4\n"),
        ("    target: 2\n", "    target: 2.5\n"),
        (
            "  - date: 2019-07-01\n    status: in_progress\n    progress: 40\n",
            "  - date: 2019-08\n    progress: 40.5\n",
        ),
    ]
    school = [("due: 2019-09\n", "start: 2019-end\ndue: 2032\n")]
    content = _content(
        tmp_path_factory.mktemp("dates"), {"initiatives/rural-bus.yaml": bus, "initiatives/school-places.yaml": school}
    )
    return render_files(Options(content=content, search=False, history=False)).files


def test_pages_show_dates_as_precise_as_written(files: dict[str, bytes]) -> None:
    """Quarter, year's end and year are shown as such in both editions; a month never gains a day."""
    for edition in ("zh-hans", "zh-hant"):
        bus = files[f"{edition}/initiatives/rural-bus/index.html"].decode()
        assert "2019年第四季度" in bus and "2019年8月" in bus
        assert "8月31日" not in bus and "2019-08-31" not in bus
        school = files[f"{edition}/initiatives/school-places/index.html"].decode()
        assert "2019年底" in school and "2032年" in school


def test_decimal_progress_and_figures_are_shown_as_written(files: dict[str, bytes]) -> None:
    """87.12 % is shown as 87.12% (not rounded) on the page and in the feed; JSON keeps numbers."""
    page = files["zh-hans/initiatives/rural-bus/index.html"].decode()
    assert "进度 87.12%" in page and "进度 40.5%" in page
    assert "进度 40.5%" in files["zh-hans/initiatives/rural-bus/feed.xml"].decode()
    bus = next(r for r in json.loads(files["zh-hans/data/initiatives.json"])["initiatives"] if r["id"] == "rural-bus")
    assert bus["progress"] == 87.12 and bus["log"][0]["progress"] == 40.5 and bus["targets"][0]["target"] == 2.5
    assert ",87.12," in files["zh-hans/data/initiatives.csv"].decode()


def test_open_data_writes_dates_as_written(files: dict[str, bytes]) -> None:
    """JSON and CSV hold 2019-Q4, 2019-end, 2032 and 2019-08, never an invented last day; the schema allows them."""
    data = json.loads(files["zh-hant/data/initiatives.json"])
    by_id = {r["id"]: r for r in data["initiatives"]}
    assert (by_id["rural-bus"]["due"], by_id["rural-bus"]["log"][0]["date"]) == ("2019-Q4", "2019-08")
    assert (by_id["school-places"]["start"], by_id["school-places"]["due"]) == ("2019-end", "2032")
    assert ",2019-03-01,2019-Q4," in files["zh-hant/data/initiatives.csv"].decode()
    schema = json.loads(builtin_path("schema", "open-data.schema.json").read_text("utf-8"))
    assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == []


def test_schedule_runs_from_the_first_to_the_last_day(files: dict[str, bytes]) -> None:
    """2019-end to 2032: expected progress from 1 December 2019 to 31 December 2032."""
    data = json.loads(files["zh-hans/data/initiatives.json"])
    as_of = dt.date.fromisoformat(data["as_of"])
    start, end = dt.date(2019, 12, 1), dt.date(2032, 12, 31)
    school = next(r for r in data["initiatives"] if r["id"] == "school-places")
    assert school["expected_progress"] == round(100 * (as_of - start).days / (end - start).days)


def test_feed_stamps_a_month_with_its_first_day_and_shows_no_day(files: dict[str, bytes]) -> None:
    """Atom needs a timestamp: a month's log entry is stamped on its first day, and no text shows a day."""
    feed = files["zh-hans/initiatives/rural-bus/feed.xml"].decode()
    assert "<updated>2019-08-01T00:00:00+08:00</updated>" in feed
    assert not re.search(r"2019-08-31|8月31日", feed)

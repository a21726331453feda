"""Every fact on a page is exact: what real district tables showed wrong (issue 13), each on a small site.

Each test writes a content folder (the base fixture plus the records it needs), renders it in
memory and reads the pages or the warnings as a reader or an editor would.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from gongshi.errors import ContentError
from gongshi.pipeline import Options, check_site, render_files

BASIC = FIXTURES / "basic" / "content"


def _site(tmp_path: Path, records: dict[str, str], site_extra: str = "", drop_basic: bool = False) -> Path:
    """The base fixture with `records` (file name in initiatives/ → YAML) added, and lines added to site.yaml."""
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    if drop_basic:
        for path in (content / "initiatives").iterdir():
            path.unlink()
        for path in (content / "updates").iterdir():
            path.unlink()
    for name, text in records.items():
        (content / "initiatives" / name).write_text(text, "utf-8")
    if site_extra:
        with (content / "site.yaml").open("a", encoding="utf-8") as site:
            site.write(site_extra)
    return content


def _pages(content: Path) -> dict[str, str]:
    files = render_files(Options(content=content, search=False, history=False)).files
    return {path: data.decode() for path, data in files.items() if path.endswith(".html")}


def _text(html: str) -> str:
    """What a reader sees: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


JOBS = """title: 新增城镇就业
status: in_progress
year: 2019
start: 2019-01
due: 2019-12
targets:
  - name: 新增城镇就业
    target: 2500
    actual: 3321
    unit: 人
log:
  - date: 2019-08
    note: 1至8月完成情况。
sources:
  - title: 2019年重点民生实事1至7月完成情况
    publisher: 岳阳楼区人民政府办公室
    author: 区实事办
    date: 2019-07-25
"""


def test_an_exceeded_target_shows_its_real_ratio(tmp_path: Path) -> None:
    """3,321 of a planned 2,500 is 133 %, never 100 %."""
    page = _pages(_site(tmp_path, {"jobs.yaml": JOBS}))["zh-hans/initiatives/jobs/index.html"]
    assert "（133%）" in page and "（100%）" not in page


def test_a_month_date_keeps_its_precision_in_last_updated(tmp_path: Path) -> None:
    """A log entry dated 2019-08 is "updated 2019年8月", not an invented 8月31日."""
    page = _text(_pages(_site(tmp_path, {"jobs.yaml": JOBS}))["zh-hans/initiatives/jobs/index.html"])
    assert "最后更新：2019年8月" in page and "8月31日" not in page


def test_sources_and_contacts_are_separated(tmp_path: Path) -> None:
    """Title, publisher, author and date of a source, and the contact details, never run together."""
    pages = _pages(_site(tmp_path, {"jobs.yaml": JOBS}, "  phone: 0730-1234567\n"))
    page = _text(pages["zh-hans/initiatives/jobs/index.html"])
    assert "1至7月完成情况 · 岳阳楼区人民政府办公室 · 区实事办 · 2019年7月25日" in page
    assert "test@example.org · 电话 0730-1234567" in page


def test_headline_figures_say_what_they_count(tmp_path: Path) -> None:
    """With most items lacking a figure, no average pretends to be the district's progress, and a
    category without figures shows "no figures", not 0 %."""
    records = {
        f"item-{n}.yaml": f"title: 第{n}项\nstatus: in_progress\ncategory: 城市更新\nyear: 2019\n" for n in range(5)
    }
    records["done.yaml"] = "title: 已完成项\nstatus: completed\ncategory: 交通\nyear: 2019\n"
    home = _text(_pages(_site(tmp_path, records, drop_basic=True))["zh-hans/index.html"])
    assert "整体进度" not in home and not re.search(r"平均进度 \d+%", home)
    assert "已完成 1 项，占 6 项实事的 17%" in home
    assert "城市更新 无进度数据" in home and "城市更新 0%" not in home


def test_related_initiatives_share_something_that_tells(tmp_path: Path) -> None:
    """The one region every item shares relates nothing; a shared department does."""
    records = {
        f"r-{n}.yaml": f"title: 第{n}项\nstatus: planned\nregion: 全区\ndepartment: 部门{n % 3}\nyear: 2019\n"
        for n in range(6)
    }
    pages = _pages(_site(tmp_path, records, drop_basic=True))
    section = pages["zh-hans/initiatives/r-0/index.html"].split('id="h-related"')[1].split("</section>")[0]
    related = re.findall(r'href="\.\./(r-\d)/index\.html"', section)
    assert set(related) == {"r-3"}


def test_warnings_never_show_none_and_a_new_record_is_not_stale(tmp_path: Path) -> None:
    """A planned item behind schedule is described without "None"; a record without a start or report is
    not "not updated for 90 days"."""
    records = {
        "late.yaml": "title: 迟迟未动\nstatus: planned\nstart: 2021-01-01\ndue: 2021-12-31\n",
        "fresh.yaml": "title: 新建记录\nstatus: planned\n",
    }
    warnings = check_site(Options(content=_site(tmp_path, records), history=False), editorial=True).warnings
    text = "\n".join(w.message for w in warnings)
    assert "None" not in text
    assert "behind schedule (progress 0%, expected" in text
    assert not any("fresh.yaml" in w.path and "not updated" in w.message for w in warnings)


def test_overdue_has_one_definition(tmp_path: Path) -> None:
    """An item due without a start, and one with only a year, are both overdue everywhere: badge, schedule
    page and the home page's list."""
    records = {
        "no-start.yaml": "title: 无开始日期\nstatus: in_progress\ndue: 2021-10\n",
        "year-only.yaml": "title: 只有年度\nstatus: in_progress\nyear: 2021\n",
    }
    pages = _pages(_site(tmp_path, records, "as_of: 2022-01-15\n"))
    overdue_list = pages["zh-hans/schedule/overdue/index.html"]
    home = pages["zh-hans/index.html"].split('id="h-overdue"')[1].split("</section>")[0]
    for ident in ("no-start", "year-only"):
        assert f"initiatives/{ident}/index.html" in overdue_list and f"initiatives/{ident}/index.html" in home
        assert "flag-overdue" in pages[f"zh-hans/initiatives/{ident}/index.html"]


def test_coming_deadlines_are_within_the_window(tmp_path: Path) -> None:
    """即将到期 lists deadlines within `upcoming_days` (90 by default), not five years ahead."""
    records = {
        "soon.yaml": "title: 下月到期\nstatus: in_progress\nyear: 2021\ndue: 2021-12-20\n",
        "later.yaml": "title: 五年后到期\nstatus: in_progress\nyear: 2021\ndue: 2026-12\n",
    }
    home = _pages(_site(tmp_path, records, "as_of: 2021-11-15\n"))["zh-hans/index.html"]
    upcoming = home.split('id="h-upcoming"')[1].split("</section>")[0]
    assert "initiatives/soon/" in upcoming and "initiatives/later/" not in upcoming


def test_a_year_comes_from_the_deadline_when_not_given(tmp_path: Path) -> None:
    """An item with `due` but no `year` is in that year's list."""
    pages = _pages(_site(tmp_path, {"due-only.yaml": "title: 只有期限\nstatus: planned\ndue: 2022-06\n"}))
    assert "initiatives/due-only/index.html" in pages["zh-hans/years/2022/index.html"]


CLOSED_YEAR = """years:
  - year: 2019
    title: 2019年十件民生实事
    closed: true
  - year: 2021
"""


def test_a_closed_year_shows_its_outcome_and_raises_no_reminders(tmp_path: Path) -> None:
    """Once 2019 is closed, its items are not overdue reminders; its page counts 完成 / 未完成 / 结转, and a
    carried item links both years."""
    records = {
        "old.yaml": "title: 老旧小区改造\nstatus: in_progress\nyear: 2019\nprogress: 60\ncarried_to: old-next\n",
        "old-next.yaml": "title: 老旧小区改造（续）\nstatus: in_progress\nyear: 2021\nprogress: 20\n",
    }
    content = _site(tmp_path, records, CLOSED_YEAR)
    warnings = check_site(Options(content=content, history=False), editorial=True).warnings
    reminders = ("not updated", "behind schedule")
    assert not [
        w
        for w in warnings
        if Path(w.path).stem in ("old", "rural-bus", "school-places") and w.message.startswith(reminders)
    ]
    assert not [w for w in warnings if Path(w.path).stem == "old"]  # carried: its final state is the next year's
    pages = _pages(content)
    year = _text(pages["zh-hans/years/2019/index.html"])
    assert "本年度清单已结项" in year and "1 结转" in year and "2019年十件民生实事" in year
    old = _text(pages["zh-hans/initiatives/old/index.html"])
    assert "最终情况：结转" in old and "结转至 2021年度：老旧小区改造（续）" in old
    assert "由 2019年度：老旧小区改造 结转而来" in _text(pages["zh-hans/initiatives/old-next/index.html"])
    assert "flag-overdue" not in pages["zh-hans/initiatives/old/index.html"].split("</header>")[0]
    assert "历年清单" in _text(pages["zh-hans/index.html"])


def test_carried_to_must_name_a_later_item(tmp_path: Path) -> None:
    """A carry-over to an id that does not exist is an error naming the file."""
    content = _site(tmp_path, {"old.yaml": "title: 老项目\nstatus: in_progress\nyear: 2019\ncarried_to: nowhere\n"})
    with pytest.raises(ContentError) as caught:
        check_site(Options(content=content, history=False))
    assert any("old.yaml" in d.path and "nowhere" in d.message for d in caught.value.diagnostics)


def test_planned_with_progress_and_delayed_without_remedy_are_warnings(tmp_path: Path) -> None:
    """前期工作 under status planned, and a delay whose source gives a reason but no remedy, are
    warnings that say what to do: the site still builds."""
    records = {
        "prep.yaml": "title: 前期工作\nstatus: planned\nprogress: 10\n",
        "late.yaml": "title: 进度滞后\nstatus: delayed\nreason: 征地未完成。\n",
    }
    warnings = check_site(Options(content=_site(tmp_path, records), history=False)).warnings
    found = {(Path(w.path).name, w.message) for w in warnings if not w.is_error}
    assert ("prep.yaml", "status is planned but progress is 10") in found
    assert any(name == "late.yaml" and "'remedy:' is missing" in message for name, message in found)


def test_open_data_csv_carries_targets_and_actuals(tmp_path: Path) -> None:
    """The CSV has the target and actual figures the JSON has, for people who open it in Excel."""
    import csv
    import io

    files = render_files(Options(content=_site(tmp_path, {"jobs.yaml": JOBS}), search=False, history=False)).files
    rows = list(csv.DictReader(io.StringIO(files["zh-hans/data/initiatives.csv"].decode("utf-8-sig"))))
    jobs = next(row for row in rows if row["id"] == "jobs")
    assert (jobs["target_name"], jobs["target"], jobs["actual"], jobs["unit"]) == ("新增城镇就业", "2500", "3321", "人")


INTERCHANGE = """title: 交流道新建工程
status: in_progress
progress: 87.12
planned_progress: 87.10
start: 2019-01
due: 2030-12
department: [交通局, 工务局]
leader: 副市长
region: [臺北市, 新北市]
budget:
  amount: 1200
  spent: 800
  unit: 万元
targets:
  - name: 新增就业
    target: 3480
    bound: at_least
    actual: 3600
    unit: 人
  - name: 城镇登记失业率
    target: 4.5
    bound: at_most
    actual: 3.57
    unit: "%"
  - name: 新增学位
    target: 20
    target_max: 30
    unit: 个
    department: 教育局
"""


def test_what_real_tables_say_is_accepted_and_shown(tmp_path: Path) -> None:
    """Several lead departments and regions, a responsible leader, investment planned and spent, at-least,
    at-most and range targets with their own department: accepted and shown as the table says them."""
    pages = _pages(_site(tmp_path, {"interchange.yaml": INTERCHANGE}))
    page = _text(pages["zh-hans/initiatives/interchange/index.html"])
    for shown in (
        "交通局、工务局",
        "副市长",
        "臺北市、新北市",
        "计划投资1200 万元",
        "累计完成投资800 万元（67%）",
        "不低于 3480 人",
        "3600 人（103%）",
        "不超过 4.5 %",
        "3.57 %（达标）",
        "20–30 个",
        "责任单位：教育局",
    ):
        assert shown in page, shown
    regions = _text(pages["zh-hans/regions/index.html"])
    assert "臺北市" in regions and "新北市" in regions


def test_the_official_planned_progress_judges_the_schedule(tmp_path: Path) -> None:
    """87.12 % against an official plan of 87.10 % is on schedule, not 慢序时, and the page says which
    plan it used; without a planned figure the straight line is used and said so."""
    content = _site(tmp_path, {"interchange.yaml": INTERCHANGE})
    pages = _pages(content)
    page = _text(pages["zh-hans/initiatives/interchange/index.html"])
    assert "计划进度 87.1%" in page and "官方公布的计划进度" in page and "慢序时" not in page.split("序时进度依据")[0]
    assert "flag-on_track" in pages["zh-hans/initiatives/interchange/index.html"]
    assert "按时间均匀推算" in _text(pages["zh-hans/initiatives/rural-bus/index.html"])
    warnings = check_site(Options(content=content, history=False), editorial=True).warnings
    assert not [w for w in warnings if "interchange" in w.path and "behind schedule" in w.message]


def test_sub_items_link_to_their_initiative(tmp_path: Path) -> None:
    """Items 9 and 10 of a table, both parts of one renovation, link to it and it lists them; a part_of
    naming nothing is an error."""
    records = {
        "shanty.yaml": "title: 棚户区改造\nstatus: in_progress\n",
        "shanty-a.yaml": "title: 城市棚户区改造\nstatus: in_progress\nprogress: 60\npart_of: shanty\n",
        "shanty-b.yaml": "title: 国有工矿棚户区改造\nstatus: planned\npart_of: shanty\n",
    }
    pages = _pages(_site(tmp_path, records))
    whole = _text(pages["zh-hans/initiatives/shanty/index.html"])
    assert "子项目" in whole and "城市棚户区改造 推进中 60%" in whole and "国有工矿棚户区改造" in whole
    assert "本项是 棚户区改造 的子项目" in _text(pages["zh-hans/initiatives/shanty-a/index.html"])
    broken = _site(tmp_path / "broken", {"lost.yaml": "title: 子项\nstatus: planned\npart_of: nowhere\n"})
    with pytest.raises(ContentError) as caught:
        check_site(Options(content=broken, history=False))
    assert any("lost.yaml" in d.path and "part_of" in d.message for d in caught.value.diagnostics)


def test_a_closed_year_item_is_judged_by_its_outcome_everywhere(tmp_path: Path) -> None:
    """An unfinished item of a closed year is not 推进中 or 慢序时 anywhere (its page, the 慢序时 list, the
    CSV), and when its last report is older than the year's close, `check` says its final state is
    missing; a new year is not dated by the old year's reports."""
    import csv
    import io

    records = {
        "old.yaml": "title: 老项目\nstatus: in_progress\nyear: 2019\nstart: 2019-01\ndue: 2019-12\nprogress: 10\n"
        "log:\n  - date: 2019-03\n    progress: 10\n",
        "late.yaml": "title: 年末更新\nstatus: in_progress\nyear: 2019\nlog:\n  - date: 2019-12\n    progress: 80\n",
        "next.yaml": "title: 新年度项目\nstatus: planned\nyear: 2022\n",
    }
    content = _site(tmp_path, records, CLOSED_YEAR + "  - year: 2022\n")
    files = render_files(Options(content=content, search=False, history=False)).files
    old = files["zh-hans/initiatives/old/index.html"].decode().split('class="initiative"')[1].split("</header>")[0]
    assert "outcome-unfinished" in old and "status-in_progress" not in old and "flag-behind" not in old
    assert "initiatives/old/" not in files["zh-hans/schedule/behind/index.html"].decode()
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["zh-hans/data/initiatives.csv"].decode("utf-8-sig")))}
    assert (rows["old"]["outcome"], rows["old"]["schedule"]) == ("unfinished", "")
    assert "数据截至 2019年12月" not in _text(files["zh-hans/years/2022/index.html"].decode())
    warnings = check_site(Options(content=content, history=False), editorial=True).warnings
    final = [w for w in warnings if "final state is not reported" in w.message]
    named = {Path(w.path).name for w in final}
    assert "old.yaml" in named and "late.yaml" not in named  # reported in December: its final state


def test_range_targets_are_met_within_the_range(tmp_path: Path) -> None:
    """25 of a 20–30 target is met (not 125 %); a range written backwards, and 不低于 written as the
    bound, get errors that say how to write them."""
    good = "title: 新增学位\nstatus: in_progress\ntargets:\n  - name: 学位\n    target: 20\n    target_max: 30\n"
    good += "    actual: 25\n"
    page = _text(_pages(_site(tmp_path, {"seats.yaml": good}))["zh-hans/initiatives/seats/index.html"])
    assert "25 （达标）" in page
    assert "125%" not in page
    bad = {
        "backwards.yaml": "title: 倒序\nstatus: planned\ntargets:\n  - name: 学位\n    target: 30\n"
        "    target_max: 20\n",
        "chinese.yaml": "title: 中文下限\nstatus: planned\ntargets:\n  - name: 就业\n    target: 3480\n"
        "    bound: 不低于\n",
    }
    with pytest.raises(ContentError) as caught:
        check_site(Options(content=_site(tmp_path / "bad", bad), history=False))
    found = {(Path(d.path).name, d.message, d.hint) for d in caught.value.diagnostics if d.is_error}
    assert any(name == "backwards.yaml" and "runs backwards" in message for name, message, _ in found)
    assert any(name == "chinese.yaml" and hint == "write at_least for 不低于" for name, _, hint in found)

"""Long lists in pages: no page grows with the number of initiatives (issue 18).

The end-to-end part renders the benchmark's synthetic content (bench/corpus.py) with 130
initiatives and 130 updates, more than two pages of every long list, and reads the pages as a
reader would: every initiative once, in order, the navigation links to pages that exist.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from gongshi.outputs.paging import PAGE_SIZE, WINDOW, page_path, paginate
from gongshi.pipeline import Options, render_files

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # bench/corpus.py: the benchmark's synthetic content

N = 130
CARD = re.compile(r'<h[23] class="card-title"><a href="(?:(?:\.\./)*initiatives/)?([a-z0-9-]+)/index\.html">')


@given(st.integers(0, 400), st.integers(1, 60), st.data())
def test_pages_hold_every_entry_once_in_order(length: int, size: int, data: st.DataObject) -> None:
    entries = list(range(length))
    pages = list(paginate("x/index.html", entries, size))
    assert [e for _, chunk, _ in pages for e in chunk] == entries
    assert [path for path, _, _ in pages][:2] == ["x/index.html", "x/index-2.html"][: len(pages)]
    for number, (path, chunk, pager) in enumerate(pages, 1):
        assert path == page_path("x/index.html", number) == pager.href(number)
        assert (pager.number, pager.count, pager.total) == (number, len(pages), length)
        assert 0 < len(chunk) <= size or length == 0
        assert chunk == tuple(entries[pager.first - 1 : pager.last])
        shown = [n for n in pager.numbers if n is not None]
        assert shown == sorted(set(shown)) and {1, number, len(pages)} <= set(shown)
        assert len(pager.numbers) <= 2 * WINDOW + 5  # the navigation does not grow with the list
        gaps = [i for i, n in enumerate(pager.numbers) if n is None]
        assert all(pager.numbers[i - 1] is not None and pager.numbers[i + 1] is not None for i in gaps)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("paging")
    corpus.generate(root / "corpus", N)
    built = render_files(Options(content=root / "corpus" / "content", search=False, history=False)).files
    return {path: data.decode("utf-8") for path, data in built.items() if path.endswith(".html")}


def pages_of(files: dict[str, str], first: str) -> list[str]:
    """The pages of the list whose first page is `first`, followed by their "next" links."""
    found, path = [], first
    while True:
        found.append(path)
        nxt = re.search(r'<a rel="next" href="([^"]+)">', files[path])
        if not nxt:
            return found
        path = f"{path.rsplit('/', 1)[0]}/{nxt.group(1)}"


@pytest.mark.parametrize("edition", ["zh-hans", "zh-hant"])
def test_initiative_list_in_pages_shows_each_initiative_once(files: dict[str, str], edition: str) -> None:
    pages = pages_of(files, f"{edition}/initiatives/index.html")
    assert pages == [f"{edition}/initiatives/index.html"] + [
        f"{edition}/initiatives/index-{k}.html" for k in range(2, -(-N // PAGE_SIZE) + 1)
    ]
    ids = [ident for page in pages for ident in CARD.findall(files[page])]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == N
    assert all(len(CARD.findall(files[page])) <= PAGE_SIZE for page in pages)
    second = files[pages[1]]
    label = "（第 2 页）" if edition == "zh-hans" else "（第 2 頁）"
    assert f"<title>{'全部实事' if edition == 'zh-hans' else '全部實事'}{label}" in second
    assert '<a aria-current="page">2</a>' in second and 'rel="prev" href="index.html"' in second
    assert "第 51–100" in second and f"共 {N} " in second
    # the instant filter sees only one page's cards: not offered on a list of several pages
    assert "js-filter" not in files[pages[0]] and "data-filterable" not in files[pages[0]]


def test_every_long_list_is_paged(files: dict[str, str]) -> None:
    """No list page holds more than a page of entries: the updates archive, each status, each year."""
    updates = pages_of(files, "zh-hans/updates/index.html")
    timelines = [re.search(r'<ul class="timeline">(.*?)</ul>', files[page], re.S) for page in updates]
    slugs = [s for found in timelines if found for s in re.findall(r'<a href="([^"/]+)/index\.html">', found.group(1))]
    assert len(updates) == -(-N // PAGE_SIZE) and len(slugs) == len(set(slugs)) == N
    for path, html in files.items():
        assert len(CARD.findall(html)) <= PAGE_SIZE, path
        assert html.count("<time") <= 2 * PAGE_SIZE + 20, path


def test_a_short_list_keeps_the_instant_filter_with_its_own_groups(files: dict[str, str]) -> None:
    """A list of one page keeps the instant filter, offering the groups of its own cards only."""
    short = [
        p
        for p, html in files.items()
        if p.startswith("zh-hans/departments/") and "js-filter" in html and 1 < len(CARD.findall(html)) <= PAGE_SIZE
    ]
    assert short
    html = files[short[0]]
    select = re.search(r'<select name="departments">(.*?)</select>', html, re.S)
    assert select is not None
    offered = set(re.findall(r'<option value="([^"]+)">', select.group(1)))
    on_cards = {k for keys in re.findall(r'data-departments="([^"]*)"', html) for k in keys.split()}
    assert offered == on_cards


def test_many_groups_are_linked_once_not_listed_on_every_page(tmp_path: Path) -> None:
    """A portal's hundreds of departments: the filters link to the departments' index instead."""
    corpus.generate(tmp_path / "c", 40)
    for number, record in enumerate(sorted((tmp_path / "c" / "content" / "initiatives").glob("*.yaml"))):
        text = record.read_text(encoding="utf-8")
        record.write_text(re.sub(r"(?m)^department: .*$", f"department: 第{number}号责任单位", text), encoding="utf-8")
    built = render_files(Options(content=tmp_path / "c" / "content", search=False, history=False)).files
    html = built["zh-hans/initiatives/index.html"].decode("utf-8")
    named = re.search(r'<a href="\.\./departments/index\.html">全部 (\d+) 个责任单位</a>', html)
    assert named and int(named.group(1)) >= 40  # and the partner units the corpus names
    assert "../departments/di-" not in html.split("js-filter")[0]  # no link to each department in the filters


def test_the_home_page_shows_a_dozen_of_each_and_links_the_rest(tmp_path: Path) -> None:
    """Forty initiatives all overdue in the one year listed: the home page shows twelve, and links the list."""
    corpus.generate(tmp_path / "c", 40)
    for record in (tmp_path / "c" / "content" / "initiatives").glob("*.yaml"):
        text = re.sub(r"(?m)^status: \w+$", "status: in_progress", record.read_text(encoding="utf-8"))
        text = re.sub(r"(?m)^due: .*$", "due: '2024-06-30'", re.sub(r"(?m)^year: .*$", "year: 2024", text))
        text = re.sub(r"(?m)^start: .*$", "start: '2024-01-15'", text)
        record.write_text(re.sub(r"(?m)^reason: .*$", "", text), encoding="utf-8")
    built = render_files(Options(content=tmp_path / "c" / "content", search=False, history=False)).files
    html = built["zh-hans/index.html"].decode("utf-8")
    overdue = re.search(r'<section aria-labelledby="h-overdue">(.*?)</section>', html, re.S)
    assert overdue is not None
    assert len(CARD.findall(overdue.group(1))) == 12
    assert '<a href="schedule/overdue/index.html">全部逾期实事</a>' in overdue.group(1)

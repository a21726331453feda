"""Search in a real browser: Pagefind finds Chinese words in both editions, and filters work with JavaScript."""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import CONTENT, ROOT, _QuietHandler, _Server, is_local

pytestmark = pytest.mark.browser

# (edition, query, a page that must be found): a Simplified word in the Simplified edition, a Traditional
# word in the Traditional one, each inside longer words on the page (公交 in 公交线路, 社區 in 老舊社區).
CASES = [
    ("zh-hans", "公交", "initiatives/tianyuan-rural-bus/index.html"),
    ("zh-hans", "课后服务", "initiatives/tianyuan-after-school-care/index.html"),
    ("zh-hant", "社區", "initiatives/weibin-old-communities/index.html"),
    ("zh-hant", "房產證", "initiatives/weibin-qingjiang-property-certificates/index.html"),
]


@pytest.mark.usefixtures("pagefind")
@pytest.mark.parametrize(("edition", "query", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_search_finds_pages_in_each_script(site, new_page, edition: str, query: str, expected: str) -> None:
    """Typing a word into the search page lists the page that contains it, linked correctly."""
    page, recorder = new_page()
    page.goto(site.url(f"{edition}/search/index.html"))
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector(".search-results li a", timeout=15000)
    links = [site.path_of(a.evaluate("a => a.href")) for a in page.query_selector_all(".search-results li a")]
    assert f"{edition}/{expected}".removesuffix("index.html") in links, links
    assert page.evaluate("document.documentElement.lang") == ("zh-Hans" if edition == "zh-hans" else "zh-Hant")
    assert recorder.console_errors == [] and recorder.page_errors == []
    assert [url for url in recorder.requests if not is_local(url)] == []


def _results(page) -> list[str]:
    expect(page.locator(".search-status")).to_have_text(re.compile(r"\S"), timeout=15000)
    page.wait_for_timeout(500)  # a late duplicate would arrive here
    return [a.get_attribute("href") for a in page.query_selector_all(".search-results li a")]


@pytest.mark.usefixtures("pagefind")
def test_typing_then_enter_lists_each_result_once(site, new_page) -> None:
    """Typing, then Enter at once (the usual way with a Chinese input method), shows one list: each
    page once, as many as the count says."""
    page, recorder = new_page()
    page.goto(site.url("zh-hans/search/index.html"))
    page.type("#q", "社区", delay=30)
    page.press("#q", "Enter")
    links = _results(page)
    assert links and len(links) == len(set(links))
    assert f"找到 {len(links)} 条结果" in page.inner_text(".search-status")
    assert recorder.console_errors == [] and recorder.page_errors == []


@pytest.mark.usefixtures("pagefind")
@pytest.mark.parametrize("edition", ["zh-hans", "zh-hant"])
def test_both_scripts_find_the_same_pages(site, new_page, edition: str) -> None:
    """社区 and 社區 (and 发展, 發展) give the same results in each edition: the query is converted."""
    page, _ = new_page()
    for simplified, traditional in (("社区", "社區"), ("发展", "發展")):
        found = []
        for query in (simplified, traditional):
            page.goto(site.url(f"{edition}/search/index.html") + "?q=" + query)
            found.append(sorted(_results(page)))
        assert found[0] and found[0] == found[1], (simplified, found)


@pytest.mark.usefixtures("pagefind")
def test_header_search_box_leads_to_results(site, new_page) -> None:
    """Every page's header has a search box: a plain form to the search page, which shows the results."""
    page, _ = new_page()
    page.goto(site.url("zh-hant/initiatives/index.html"))
    page.fill("#site-q", "公交")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/zh-hant/search/index.html?q=*")
    assert _results(page)
    assert page.input_value("#q") == "公交"


def test_instant_filter_narrows_the_list(site, new_page) -> None:
    """With JavaScript, choosing a status hides the other cards and says how many are shown."""
    page, _ = new_page()
    page.goto(site.url("zh-hans/initiatives/index.html"))
    total = page.locator(".cards .card").count()
    page.select_option("select[name=status]", "completed")
    shown = page.locator(".cards .card:visible").count()
    assert 0 < shown < total
    assert str(shown) in page.inner_text(".filter-count")


@contextlib.contextmanager
def serve(www: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port: its URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def found(page, url: str) -> list[str]:
    """The links the search page at `url` (with its query) lists."""
    page.goto(url)
    page.wait_for_selector(".search-results li a", timeout=15000)
    return [a.evaluate("a => a.href") for a in page.query_selector_all(".search-results li a")]


@pytest.mark.usefixtures("pagefind")
def test_search_after_an_edit_uses_the_delta(tmp_path: Path, new_page) -> None:
    """After one update is edited, a rebuild indexes only it (the delta bundle): search finds its new
    text, and lists the update once, not also its old version from the main bundle."""
    content, out = tmp_path / "content", tmp_path / "www" / "site"
    shutil.copytree(CONTENT, content)
    slug = "2019-11-tianyuan-after-school-care"

    def build() -> None:
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr

    build()
    update = content / "updates" / f"{slug}.md"
    update.write_text(update.read_text("utf-8").replace("凿石小学", "凿石小学萤火虫科学社"), "utf-8")
    build()
    assert (out / "zh-hans/pagefind-delta/pagefind.js").is_file()
    with serve(tmp_path / "www") as root:
        page, recorder = new_page()
        base = root + "site/"
        for query in ("萤火虫", "凿石小学"):
            links = found(page, base + "zh-hans/search/index.html?q=" + query)
            assert [link for link in links if link.endswith(f"/updates/{slug}/")] == [base + f"zh-hans/updates/{slug}/"]
        assert recorder.console_errors == [] and recorder.page_errors == []


@pytest.mark.usefixtures("pagefind")
def test_search_merges_the_parts_of_a_large_index(tmp_path: Path, new_page, monkeypatch: pytest.MonkeyPatch) -> None:
    """With parts of 50 KB, the sample site's 30 searchable pages per edition are indexed into several
    bundles: search finds a page of a part after the first, and after an edit the page's new text once,
    and its initiative (whose page changed outside what is indexed) still."""
    from gongshi import search
    from gongshi.pipeline import Options, build_site

    monkeypatch.setattr(search, "PART_BYTES", 50_000)
    content, out = tmp_path / "content", tmp_path / "www" / "site"
    shutil.copytree(CONTENT, content)
    update, initiative = "updates/2021-11-weibin-special-education/", "initiatives/weibin-special-education/"

    def urls(bundle: str) -> set[str]:
        return {
            json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for path in (out / "zh-hant" / bundle / "fragment").glob("*.pf_fragment")
        }

    build_site(Options(content=content, out=out, history=False))
    parts = sorted(p.name for p in (out / "zh-hant").glob("pagefind-[0-9]*"))
    assert len(parts) >= 2 and "/" + update not in urls("pagefind")
    assert any("/" + update in urls(part) for part in parts)
    with serve(tmp_path / "www") as root:
        page, recorder = new_page()
        edition = root + "site/zh-hant/"
        assert edition + update in found(page, edition + "search/index.html?q=啟智班")
        source = content / "updates" / "2021-11-weibin-special-education.md"
        source.write_text(source.read_text("utf-8").replace("做課堂遊戲", "做螢火蟲課堂遊戲"), "utf-8")
        build_site(Options(content=content, out=out, history=False))
        assert json.loads((out / "zh-hant/pagefind-delta/delta.json").read_bytes())["merge"]
        assert found(page, edition + "search/index.html?q=螢火蟲") == [edition + update]
        links = found(page, edition + "search/index.html?q=送教上門")
        assert links.count(edition + update) == 1 and links.count(edition + initiative) == 1
        assert recorder.console_errors == [] and recorder.page_errors == []

"""Search in a real browser: Pagefind finds Chinese words in both editions, and filters work with JavaScript."""

from __future__ import annotations

import pytest

from .conftest import is_local

pytestmark = pytest.mark.browser

# (edition, query, a page that must be found): a Simplified word in the Simplified edition, a Traditional
# word in the Traditional one, each inside longer words on the page (公交 in 公交线路, 社區 in 老舊社區).
CASES = [
    ("zh-hans", "公交", "initiatives/tianyuan-rural-bus/index.html"),
    ("zh-hans", "课后服务", "initiatives/tianyuan-after-school-care/index.html"),
    ("zh-hant", "社區", "initiatives/weibin-old-communities/index.html"),
    ("zh-hant", "房產證", "initiatives/weibin-qingjiang-property-certificates/index.html"),
]


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


def test_instant_filter_narrows_the_list(site, new_page) -> None:
    """With JavaScript, choosing a status hides the other cards and says how many are shown."""
    page, _ = new_page()
    page.goto(site.url("zh-hans/initiatives/index.html"))
    total = page.locator(".cards .card").count()
    page.select_option("select[name=status]", "completed")
    shown = page.locator(".cards .card:visible").count()
    assert 0 < shown < total
    assert str(shown) in page.inner_text(".filter-count")


def test_search_after_an_edit_uses_the_delta(tmp_path, new_page) -> None:
    """After one update is edited, a rebuild indexes only it (the delta bundle): search finds its new
    text, and lists the update once, not also its old version from the main bundle."""
    import functools
    import shutil
    import subprocess
    import sys
    import threading

    from .conftest import CONTENT, ROOT, _QuietHandler, _Server

    content, out = tmp_path / "content", tmp_path / "www" / "site"
    shutil.copytree(CONTENT, content)
    slug = "2019-11-tianyuan-after-school-care"

    def build() -> None:
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    build()
    update = content / "updates" / f"{slug}.md"
    update.write_text(update.read_text("utf-8").replace("凿石小学", "凿石小学萤火虫科学社"), "utf-8")
    build()
    assert (out / "zh-hans/pagefind-delta/pagefind.js").is_file()
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page, recorder = new_page()
        base = f"http://127.0.0.1:{server.server_address[1]}/site/"
        for query in ("萤火虫", "凿石小学"):
            page.goto(base + "zh-hans/search/index.html?q=" + query)
            page.wait_for_selector(".search-results li a", timeout=15000)
            links = [a.evaluate("a => a.href") for a in page.query_selector_all(".search-results li a")]
            assert [link for link in links if link.endswith(f"/updates/{slug}/")] == [base + f"zh-hans/updates/{slug}/"]
        assert recorder.console_errors == [] and recorder.page_errors == []
    finally:
        server.shutdown()
        server.server_close()

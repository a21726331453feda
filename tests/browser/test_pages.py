"""Each page kind of both editions, the root chooser and 404.html, loaded in Chromium from a subfolder."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import pytest

from .conftest import (
    AXE_JS,
    DESKTOP,
    EDITION_PAGES,
    EDITIONS,
    PAGES,
    PHONE,
    _QuietHandler,
    _Server,
    format_axe,
    load_and_measure,
    page_id,
    require_node_module,
    run_axe,
    switch_problems,
)

pytestmark = pytest.mark.browser

PAGE_IDS = [page_id(p) for p in PAGES]
EDITION_PAGE_IDS = [page_id(p) for p in EDITION_PAGES]


@pytest.mark.parametrize(("kind", "edition"), PAGES, ids=PAGE_IDS)
def test_page_loads_without_errors(site, page_report, kind, edition) -> None:
    """The page loads (200) with no console error (CSP violation, missing file) and no uncaught script error."""
    report = page_report(site.page(kind, edition))
    assert report.status == 200, f"{report.url} answered {report.status}"
    problems = [f"console: {e}" for e in report.console_errors] + [f"page error: {e}" for e in report.page_errors]
    assert not problems, f"{report.url}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(("kind", "edition"), PAGES, ids=PAGE_IDS)
def test_page_requests_nothing_from_other_hosts(site, page_report, kind, edition) -> None:
    """The page makes no request to any host but the one serving the site (no CDN, font, analytics)."""
    report = page_report(site.page(kind, edition))
    assert not report.outside_requests, f"{report.url} requested other hosts (blocked by the test):\n  " + "\n  ".join(
        report.outside_requests
    )


@pytest.mark.parametrize(("kind", "edition"), PAGES, ids=PAGE_IDS)
def test_page_has_no_axe_violations(site, axe_violations, kind, edition) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page, at desktop or phone width."""
    path = site.page(kind, edition)
    found = axe_violations(path)
    assert not any(found.values()), f"axe-core violations on {site.url(path)}:\n{format_axe(found)}"


@pytest.mark.parametrize(("kind", "edition"), PAGES, ids=PAGE_IDS)
def test_page_does_not_scroll_sideways_on_a_phone(site, page_report, kind, edition) -> None:
    """At 390 px wide the page is no wider than the screen, with its <details> closed or opened."""
    report = page_report(site.page(kind, edition))
    width = report.overflow
    assert width["closed"] <= PHONE["width"] and width["opened"] <= PHONE["width"], (
        f"{report.url} is {width['closed']} px wide ({width['opened']} px with <details> open) at "
        f"{PHONE['width']} px; sticking out:\n  " + "\n  ".join(width["sticking"])
    )


@pytest.mark.parametrize(("kind", "edition"), EDITION_PAGES, ids=EDITION_PAGE_IDS)
def test_edition_page_declares_its_language(site, page_report, kind, edition) -> None:
    """Each edition's pages say <html lang="zh-Hans"> or "zh-Hant", so fonts and screen readers pick the script."""
    report = page_report(site.page(kind, edition))
    assert report.lang == EDITIONS[edition], f"{report.url} has <html lang={report.lang!r}>"


@pytest.mark.parametrize(("kind", "edition"), EDITION_PAGES, ids=EDITION_PAGE_IDS)
def test_edition_switch_links_the_same_page(site, page_report, kind, edition) -> None:
    """The 简体中文/繁體中文 switch is one link, with hreflang, to this very page in the other edition."""
    path = site.page(kind, edition)
    problems = switch_problems(site, path, page_report(path))
    assert not problems, f"{site.url(path)}: " + "; ".join(problems)


def test_every_built_page_is_clean_on_a_phone(site, page_report) -> None:
    """Every built page loads at 390 px without errors, outside requests or overflow, and links its mirror page."""
    problems = []
    paths = site.page_paths()
    assert len(paths) > 100, f"only {len(paths)} pages were built"
    for path in paths:
        report = page_report(path)
        width = report.overflow
        found = (
            ([f"HTTP {report.status}"] if report.status != 200 else [])
            + [f"console: {e}" for e in report.console_errors]
            + [f"page error: {e}" for e in report.page_errors]
            + [f"request to another host: {u}" for u in report.outside_requests]
        )
        if max(width["closed"], width["opened"]) > PHONE["width"]:
            found.append(
                f"{max(width['closed'], width['opened'])} px wide at {PHONE['width']} px: "
                + "; ".join(width["sticking"])
            )
        found += switch_problems(site, path, report)
        problems += [f"/{path}: {p}" for p in found]
    assert not problems, f"{len(problems)} problems:\n  " + "\n  ".join(problems)


BAD_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>bad</title>
<script src="https://cdn.example.com/lib.js"></script></head>
<body><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">
<div style="width: 900px">too wide</div>
<script>console.error("boom"); throw new Error("uncaught");</script></body></html>
"""


def test_checks_catch_a_bad_page(site, new_page) -> None:
    """The checks themselves work: a page with each defect (served beside the site) fails every one of them."""
    bad = site.root.parent / "selftest" / "bad.html"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text(BAD_PAGE, encoding="utf-8")
    url = site.base.replace(f"/{site.root.name}/", "/selftest/bad.html")
    page, recorder = new_page(viewport=PHONE)
    report = load_and_measure(page, recorder, url)
    assert report.outside_requests == ["https://cdn.example.com/lib.js"]
    assert any("boom" in e for e in report.console_errors), report.console_errors
    assert any("uncaught" in e for e in report.page_errors), report.page_errors
    assert report.overflow["closed"] > PHONE["width"] and report.overflow["sticking"], report.overflow
    assert report.lang is None
    require_node_module(AXE_JS)
    axe_page, _ = new_page(bypass_csp=True)
    found = run_axe(axe_page, url)
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in found["390x844"]}, format_axe(found)


def test_large_text_mode_enlarges_every_text(site, new_page) -> None:
    """大字高对比 on a phone: the title, the lead, badges, progress labels and section headings grow
    with the body text, not the body text alone."""
    page, _ = new_page(viewport=PHONE)
    page.goto(site.url("zh-hant/initiatives/weibin-machine-tool-project/index.html"))
    parts = ("h1", "p.lead", ".status", ".progress-label", "h2", "dd", ".targets td")

    def sizes() -> dict[str, float]:
        return {s: page.locator(s).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") for s in parts}

    before = sizes()
    page.click(".contrast-toggle")
    after = sizes()
    grown = {s: round(after[s] / before[s], 2) for s in parts}
    assert all(ratio >= 1.2 for ratio in grown.values()), grown


class _NotFoundHandler(_QuietHandler):
    """A host that answers a missing address with the site's 404.html, as static hosts do."""

    site_root: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (self.site_root / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["390", "1280"])
def test_404_in_a_subfolder_is_styled_and_links_work(site, new_page, width) -> None:
    """Served for a missing address three folders deep below the subfolder, 404.html finds the site's
    root: its stylesheet loads, its header and search box are there, its links lead to real pages."""
    handler = type("Handler", (_NotFoundHandler,), {"site_root": site.root})
    www = site.root.parent
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/{site.root.name}/"
        page, recorder = new_page(viewport=width)
        page.goto(base + "zh-hans/initiatives/no-such/")
        page.wait_for_function("() => document.querySelector('base') !== null", timeout=10000)
        colour = page.locator(".masthead").evaluate("e => getComputedStyle(e).borderBottomStyle")
        assert colour == "solid"  # style.css applied
        assert page.locator("#site-q").is_visible()
        home = page.locator("main a").first
        home.click()
        page.wait_for_load_state()
        assert page.url == base + "zh-hans/index.html"
        assert recorder.page_errors == []
    finally:
        server.shutdown()
        server.server_close()


# Elements whose own text (three characters or more) wraps in a box narrower than two and a half
# characters: on a phone that reads one character per line (目标 / 实际 / 未报告 in a table cell).
NARROW_TEXT = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (Array.from(own).length < 3 || el.closest('svg, .visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize), line = parseFloat(style.lineHeight) || size * 1.5;
    if (box.width && box.height > line * 1.5 && box.width < 2.5 * size) {
      const name = `<${el.tagName.toLowerCase()} class="${el.className}">`;
      out.push(`${name} ${Math.round(box.width)} px: ${own.slice(0, 12)}`);
    }
  }
  return out;
}"""


def test_no_text_is_squeezed_to_a_character_a_line_on_a_phone(site, new_page) -> None:
    """At 390 px no page kind of either edition squeezes a text into a column of one or two characters."""
    page, _ = new_page(viewport=PHONE)
    problems = []
    for kind, edition in EDITION_PAGES:
        path = site.page(kind, edition)
        page.goto(site.url(path), wait_until="load")
        problems += [f"/{path}: {p}" for p in page.evaluate(NARROW_TEXT)]
    assert not problems, "\n".join(problems)

"""Getting around: the edition switch, the list and its filters without JavaScript, the root chooser."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import CONTENT, EDITION_KINDS, EDITION_NAMES, EDITIONS, OTHER

pytestmark = pytest.mark.browser

STATUSES = ["planned", "in_progress", "delayed", "completed", "cancelled"]


def _initiatives() -> dict[str, dict]:
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((CONTENT / "initiatives").glob("*.yaml"))
    }


def _listed(site, page, edition: str) -> list[str]:
    """Ids of the initiatives a page's main content links to, in order, without repeats."""
    pattern = re.compile(rf"^{re.escape(site.base)}{edition}/initiatives/([a-z0-9-]+)/index\.html$")
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.href)")
    return list(dict.fromkeys(m.group(1) for h in hrefs if (m := pattern.match(h))))


def _units(record: dict) -> list[str]:
    """Every unit a record names: lead departments, partners, targets' units (each lists it)."""
    lead = record.get("department") or []
    units = [lead] if isinstance(lead, str) else list(lead)
    units += record.get("partners") or []
    units += [t["department"] for t in record.get("targets") or [] if t.get("department")]
    return units


def _filter_link(page, url: str):
    """The one link in the page's filter navigation that leads to url (hrefs are relative, so compare resolved)."""
    hrefs = page.locator("main nav a[href]").evaluate_all("links => links.map(a => a.href)")
    assert hrefs.count(url) == 1, f"{page.url}: expected one filter link to {url}, found {hrefs.count(url)}"
    folded = page.locator("main nav.filters details:not([open]) > summary")
    if folded.count():  # the filters fold behind one control: open it, as a reader does
        folded.first.click()
    return page.locator("main nav a[href]").nth(hrefs.index(url))


def _click_to(page, link, url: str) -> None:
    """Click a link and wait until the page at url has loaded (fails, naming the URL, if it never comes)."""
    link.click()
    page.wait_for_url(url, wait_until="load", timeout=10_000)


@pytest.fixture(scope="module")
def nojs_page(new_page):
    """One tab with JavaScript disabled, shared by the tests that check the site works without it."""
    page, _ = new_page(java_script_enabled=False)
    return page


@pytest.fixture(scope="module")
def js_page(new_page):
    """One tab with JavaScript on, shared by the edition-switch tests."""
    page, _ = new_page()
    return page


# One click per page kind, Simplified to Traditional and Traditional to Simplified in turn. Where every
# switch link leads is checked without clicking, on every page, by test_pages.py.
SWITCH_CASES = [(kind, ("zh-hans", "zh-hant")[i % 2]) for i, kind in enumerate(EDITION_KINDS)]


@pytest.mark.parametrize(("kind", "edition"), SWITCH_CASES, ids=[f"{k}-from-{e}" for k, e in SWITCH_CASES])
def test_edition_switch_lands_on_the_same_page(site, js_page, kind, edition) -> None:
    """Clicking the 简体中文/繁體中文 switch lands on the same page in the other edition, with its <html lang>."""
    page, other = js_page, OTHER[edition]
    page.goto(site.url(site.page(kind, edition)), wait_until="load")
    _click_to(page, page.get_by_role("link", name=EDITION_NAMES[other], exact=True), site.url(site.page(kind, other)))
    assert page.locator("html").get_attribute("lang") == EDITIONS[other], f"{site.page(kind, other)}: wrong lang"


@pytest.mark.parametrize("edition", EDITIONS)
def test_initiative_list_works_without_javascript(site, nojs_page, edition) -> None:
    """Without JavaScript, the masthead leads to the list, which links every initiative, and a card opens it."""
    page = nojs_page
    page.goto(site.url(f"{edition}/index.html"), wait_until="load")
    _click_to(
        page,
        page.locator("header nav a[href$='initiatives/index.html']"),
        site.url(f"{edition}/initiatives/index.html"),
    )
    listed = _listed(site, page, edition)
    assert sorted(listed) == sorted(_initiatives()), "the list does not show exactly the initiatives in content/"
    first = page.locator(f"main a[href$='{listed[0]}/index.html']").first
    title = first.inner_text().strip()
    _click_to(page, first, site.url(f"{edition}/initiatives/{listed[0]}/index.html"))
    assert page.locator("h1").inner_text().strip() == title


@pytest.mark.parametrize("edition", EDITIONS)
def test_status_filters_work_without_javascript(site, nojs_page, edition) -> None:
    """Without JavaScript, the status filters (on the list, then on each status page) list exactly that status."""
    page = nojs_page
    records = _initiatives()
    page.goto(site.url(f"{edition}/initiatives/index.html"), wait_until="load")
    for status in STATUSES:
        url = site.url(f"{edition}/status/{status}/index.html")
        _click_to(page, _filter_link(page, url), url)
        expected = sorted(i for i, record in records.items() if record["status"] == status)
        assert sorted(_listed(site, page, edition)) == expected, f"status/{status}/ lists the wrong initiatives"
    # Open an initiative from a filtered list, as a reader would.
    url = site.url(f"{edition}/status/in_progress/index.html")
    _click_to(page, _filter_link(page, url), url)
    first = _listed(site, page, edition)[0]
    _click_to(
        page,
        page.locator(f"main a[href$='/{first}/index.html']").first,
        site.url(f"{edition}/initiatives/{first}/index.html"),
    )


@pytest.mark.parametrize("edition", EDITIONS)
def test_department_filters_work_without_javascript(site, nojs_page, edition) -> None:
    """Without JavaScript, the department filters (on the list, then on each department page) list its initiatives."""
    page = nojs_page
    records = _initiatives()
    list_url = site.url(f"{edition}/initiatives/index.html")
    page.goto(list_url, wait_until="load")
    targets = page.locator("main nav a[href]").evaluate_all(
        "links => links.map(a => [a.href, a.textContent.trim()]).filter(([h]) => h.includes('/departments/'))"
    )
    departments = {unit for r in records.values() for unit in _units(r)}
    assert len(targets) == len(departments), f"{list_url}: {len(targets)} department filters for {len(departments)}"
    seen: set[str] = set()
    for url, name in targets:
        assert re.fullmatch(rf"{re.escape(site.base)}{edition}/departments/[^/]+/index\.html", url), url
        _click_to(page, _filter_link(page, url), url)
        listed = _listed(site, page, edition)
        assert listed, f"{url} ({name}) lists no initiative"
        assert name in page.locator("h1").inner_text(), f"{url}: the heading does not name {name}"
        seen.update(listed)
    assert seen == {i for i, r in records.items() if _units(r)}, "some initiatives are in no department"


# Elements that carry the hidden attribute (controls that only work with JavaScript) but are rendered anyway,
# typically because a stylesheet rule such as `display: flex` overrides the attribute.
SHOWN_HIDDEN = """() => Array.from(document.querySelectorAll('[hidden]'))
  .filter(el => getComputedStyle(el).display !== 'none')
  .map(el => el.outerHTML.split('>')[0] + '>  (display: ' + getComputedStyle(el).display + ')')"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_nothing_hidden_shows_without_javascript(site, nojs_page, edition) -> None:
    """Without JavaScript, no element marked hidden (a control that needs the script) is shown on home or list pages."""
    page = nojs_page
    problems = []
    for kind in ("home", "initiatives", "status", "department", "category", "region"):
        page.goto(site.url(site.page(kind, edition)), wait_until="load")
        problems += [f"{site.page(kind, edition)}: {el}" for el in page.evaluate(SHOWN_HIDDEN)]
    assert not problems, "shown although marked hidden, with JavaScript off:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("edition", EDITIONS)
def test_chooser_links_work_without_javascript(site, nojs_page, edition) -> None:
    """Without JavaScript, the root chooser's button for an edition opens that edition's home page."""
    page = nojs_page
    page.goto(site.base, wait_until="load")
    chooser_button = page.get_by_role("link", name=re.compile(EDITION_NAMES[edition]))
    _click_to(page, chooser_button, site.url(f"{edition}/index.html"))
    assert page.locator("html").get_attribute("lang") == EDITIONS[edition]


@pytest.mark.parametrize("edition", EDITIONS)
def test_chooser_remembers_the_edition(site, new_page, edition) -> None:
    """With JavaScript, the edition chosen at the root is remembered: loading the root again goes straight to it."""
    page, _ = new_page()
    page.goto(site.base, wait_until="load")
    assert page.url == site.base, "the chooser redirected before any edition was chosen"
    chooser_button = page.get_by_role("link", name=re.compile(EDITION_NAMES[edition]))
    _click_to(page, chooser_button, site.url(f"{edition}/index.html"))
    page.goto(site.base, wait_until="load")
    page.wait_for_url(site.url(f"{edition}/index.html"), wait_until="load", timeout=10_000)
    assert page.locator("html").get_attribute("lang") == EDITIONS[edition]
    page.context.close()


def test_moved_group_pages_redirect(site, new_page) -> None:
    """The hashed department, category and region folders published before lead to the readable ones."""
    page, recorder = new_page()
    moved = site.redirect_paths()
    assert len(moved) >= 10
    for path in moved[:5]:
        page.goto(site.url(path))
        page.wait_for_url(re.compile(r".*/(departments|categories|regions)/[a-z0-9-]+-[0-9a-f]{4}/index\.html$"))
        assert page.locator("h1").inner_text()
    assert recorder.page_errors == []

"""Browser tests: the sample site, built and served from a subfolder, in headless Chromium.

README
======
Run:   .venv/bin/python -m pytest tests/browser -q      (also part of the plain `pytest` run and of CI)

Needs: Debian's `chromium` at /usr/bin/chromium and `fonts-noto-cjk` (scripts/setup installs both when
       run as root); node_modules/ from `npm ci` (axe-core, vnu-jar; scripts/setup runs it); `java` on
       PATH for vnu.jar. When any of these is missing the tests fail (an error at setup, or a failure)
       with a message saying what to install; they never skip, so CI cannot go green without a browser.
       `playwright install` is not used. For a quick local run without them: pytest -m "not browser".

What:  once per session content/ is built with build.py into <tmp>/www/gongshi/ and <tmp>/www is served
       by a threaded http.server on 127.0.0.1 and a free port, so the site runs from a subfolder
       (http://127.0.0.1:PORT/gongshi/), as on a real host. Each page kind of both editions (home,
       initiatives list, an initiative, updates archive, an update, a status page, departments index
       and a department, categories and a category, regions and a region), the root chooser and
       404.html are checked for: console and page errors, requests to any host but 127.0.0.1 (all are
       recorded, and blocked), axe-core WCAG 2.1 A/AA violations (at 1280 and 390 px), sideways
       scrolling at 390 px, <html lang> and the edition switch. Every built page is also swept at
       390 px for overflow, errors, outside requests and its edition switch. Without JavaScript the
       list and its status/department filters must work and nothing marked hidden may show; with
       JavaScript the chooser remembers the edition.
       Pages of kinds not listed in EDITION_KINDS get the
       sweep and vnu only; add a line there to give a kind the per-page checks (axe, switch click).
       The Nu HTML Checker (vnu.jar) checks every built HTML file, once. A self-check feeds a page with
       each defect to the detectors, so a broken check cannot pass silently.

Files: test_pages.py (per page kind, and the sweep of every page), test_navigation.py (edition
       switch, no-JS list and filters, chooser), test_vnu.py (vnu.jar; it starts in the background
       when the session does), test_screenshots.py. Screenshots of every page kind of both editions
       (and the chooser and 404.html) at 390x844 and 1280x900 go to tests/artifacts/screenshots/
       (git-ignored): look at them after changing templates or CSS.

A failure here is usually the site's fault (templates, CSS, script): fix the site, not the test.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

BROWSER_TESTS = Path(__file__).parent
ROOT = BROWSER_TESTS.parent.parent
CONTENT = ROOT / "content"
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SUBFOLDER = "gongshi"  # the site is served from http://127.0.0.1:PORT/gongshi/, never from the host's root

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

EDITIONS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
OTHER = {"zh-hans": "zh-hant", "zh-hant": "zh-hans"}
# What a reader sees on the link to each edition (the switch on every page, and the chooser's buttons).
EDITION_NAMES = {"zh-hans": "简体中文", "zh-hant": "繁體中文"}

# Page kinds found in each edition. Where a kind has many pages, the test takes the largest one in the
# Simplified edition (the most content: tables, long titles, lists) and the same path in both editions.
EDITION_KINDS: dict[str, str] = {
    "home": "index.html",
    "initiatives": "initiatives/index.html",
    "initiative": "initiatives/*/index.html",
    "updates": "updates/index.html",
    "update": "updates/*/index.html",
    "status": "status/*/index.html",
    "departments": "departments/index.html",
    "department": "departments/*/index.html",
    "categories": "categories/index.html",
    "category": "categories/*/index.html",
    "regions": "regions/index.html",
    "region": "regions/*/index.html",
    "schedule": "schedule/*/index.html",
    "year": "years/*/index.html",
    "closed-year": "years/2019/index.html",  # the sample's 2019 list is closed (content/site.yaml)
    "search": "search/index.html",
    "about": "about/index.html",
    "corrections": "corrections/index.html",
}
SITE_KINDS: dict[str, str] = {"chooser": "", "404": "404.html"}  # "" is the subfolder itself: /gongshi/

# (kind, edition) pairs; edition None for the pages outside the editions.
PAGES: list[tuple[str, str | None]] = [(kind, None) for kind in SITE_KINDS] + [
    (kind, edition) for edition in EDITIONS for kind in EDITION_KINDS
]
EDITION_PAGES = [(kind, edition) for kind, edition in PAGES if edition]


def page_id(value: tuple[str, str | None]) -> str:
    kind, edition = value
    return f"{edition}/{kind}" if edition else kind


@dataclass(frozen=True)
class Site:
    """The built sample site and where it is served."""

    root: Path  # <tmp>/www/gongshi: the folder build.py wrote
    base: str  # http://127.0.0.1:PORT/gongshi/

    def url(self, path: str) -> str:
        return self.base + path

    def path_of(self, url: str) -> str:
        """The site path of a served URL (query and fragment dropped): the inverse of url()."""
        parts = urlsplit(url)
        prefix = urlsplit(self.base).path
        assert parts.path.startswith(prefix), f"{url} is outside the site at {self.base}"
        return parts.path[len(prefix) :]

    def mirror(self, path: str) -> str | None:
        """The same page in the other edition (None for pages outside the editions)."""
        edition, _, rest = path.partition("/")
        return f"{OTHER[edition]}/{rest}" if edition in OTHER else None

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def page_paths(self) -> list[str]:
        """Site paths of every built page, as readers reach them (not the redirects of moved pages:
        a reader never stays on one; `redirect_paths` lists them)."""
        pages = [p for p in self.html_files() if p not in self.redirects()]
        return ["" if p == self.root / "index.html" else p.relative_to(self.root).as_posix() for p in pages]

    @functools.cache  # noqa: B019 - one Site per session
    def redirects(self) -> frozenset[Path]:
        return frozenset(p for p in self.html_files() if b'http-equiv="refresh"' in p.read_bytes())

    def redirect_paths(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.redirects())

    @functools.cache  # noqa: B019 - one Site per session
    def page(self, kind: str, edition: str | None = None) -> str:
        """The site path of the page of this kind (see EDITION_KINDS) in this edition."""
        if edition is None:
            return SITE_KINDS[kind]
        pattern = EDITION_KINDS[kind]
        if "*" not in pattern:
            return f"{edition}/{pattern}"
        found = (p for p in self.root.glob(f"zh-hans/{pattern}") if p not in self.redirects())
        candidates = sorted(found, key=lambda p: (-p.stat().st_size, p.as_posix()))
        assert candidates, f"the built site has no page zh-hans/{pattern}"
        return f"{edition}/{candidates[0].relative_to(self.root / 'zh-hans').as_posix()}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of access logs."""


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser closes keep-alive connections whenever it likes; anything else is a real error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build content/ into <tmp>/www/gongshi/ and serve <tmp>/www on 127.0.0.1 at a free port."""
    www = tmp_path_factory.mktemp("browser") / "www"
    out = www / SUBFOLDER
    www.mkdir()
    built = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--content", str(CONTENT), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    if built.returncode != 0:
        pytest.fail(f"build.py failed (exit {built.returncode}):\n{built.stdout}\n{built.stderr}", pytrace=False)
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield Site(root=out, base=f"http://127.0.0.1:{server.server_address[1]}/{SUBFOLDER}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _noto_cjk_missing() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return not any(Path("/usr/share/fonts").rglob("NotoSansCJK*"))
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=60).stdout
    return "Noto Sans CJK" not in listed


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium; a missing browser or CJK font fails the tests (CI must not pass without)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing: {CHROMIUM} does not exist. The browser tests need Debian's chromium "
            "and fonts-noto-cjk: run `bash scripts/setup` as root, or `apt-get install chromium "
            "fonts-noto-cjk`.",
            pytrace=False,
        )
    if _noto_cjk_missing():
        pytest.fail(
            "The Noto CJK fonts are missing, so pages would render without Chinese glyphs: "
            "`apt-get install fonts-noto-cjk` (or run `bash scripts/setup` as root).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def is_local(url: str) -> bool:
    """True for requests this machine answers: the test server, and URLs that never touch the network."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


# Routes every request to a host other than 127.0.0.1 to an abort: recorded, never sent.
_OUTSIDE = re.compile(r"^(?!(?:data|blob|about):|https?://127\.0\.0\.1[:/])")


@dataclass
class Recorder:
    """What a browser context did: every request, console errors and uncaught page errors."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{error.name}: {error.message}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text}" + (f" (at {where})" if where else ""))


@pytest.fixture(scope="session")
def new_page(browser: Browser) -> Iterator[Callable[..., tuple[Page, Recorder]]]:
    """Open a page in a fresh context (options as for browser.new_context) that records what it does."""
    contexts: list[BrowserContext] = []

    def open_page(**options: Any) -> tuple[Page, Recorder]:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        contexts.append(context)
        recorder = Recorder()
        context.on("request", lambda request: recorder.requests.append(request.url))
        context.route(_OUTSIDE, lambda route: route.abort("blockedbyclient"))
        page = context.new_page()
        recorder.attach(page)
        return page, recorder

    yield open_page
    for context in contexts:
        context.close()


# The page's language, its links to other editions (<a hreflang>: language, resolved href, text), its width
# at the current viewport with every <details> closed and then opened, and the deepest elements sticking
# out past the viewport that no scrolling box of their own contains.
MEASURE_PAGE = """() => {
  const doc = document.documentElement;
  const lang = doc.getAttribute('lang');
  const switches = Array.from(document.querySelectorAll('a[hreflang]'),
    a => [a.getAttribute('hreflang'), a.href, a.textContent.trim()]);
  const closed = doc.scrollWidth;
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const opened = doc.scrollWidth;
  const limit = doc.clientWidth + 0.5;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '');
  const describe = el => (el.parentElement && el.parentElement !== document.body
    ? name(el.parentElement) + ' > ' : '') + name(el);
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o !== 'visible') return true;
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit || clipped(el)) continue;
    const child = Array.from(el.children).some(c => c.getBoundingClientRect().right > limit);
    if (!child) {
      const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      sticking.push(`${describe(el)} (right edge ${Math.round(r.right)}px) "${text}"`);
    }
  }
  return {lang, switches, overflow: {closed, opened, viewport: doc.clientWidth, sticking: sticking.slice(0, 10)}};
}"""


@dataclass(frozen=True)
class PageReport:
    """One load of a page at phone width with JavaScript and the page's CSP in force."""

    url: str
    final_url: str
    status: int | None
    lang: str | None
    switches: list[tuple[str, str, str]]  # links to other editions: (hreflang, resolved href, text)
    console_errors: list[str]
    page_errors: list[str]
    outside_requests: list[str]
    overflow: dict[str, Any]


def load_and_measure(page: Page, recorder: Recorder, url: str) -> PageReport:
    """Load url in page, wait for it to settle, then measure it (opens every <details>)."""
    start = len(recorder.requests), len(recorder.console_errors), len(recorder.page_errors)
    response = page.goto(url, wait_until="load")
    measured = page.evaluate(MEASURE_PAGE)
    return PageReport(
        url=url,
        final_url=page.url,
        status=response.status if response else None,
        lang=measured["lang"],
        switches=[tuple(link) for link in measured["switches"]],
        overflow=measured["overflow"],
        console_errors=recorder.console_errors[start[1] :],
        page_errors=recorder.page_errors[start[2] :],
        outside_requests=[u for u in recorder.requests[start[0] :] if not is_local(u)],
    )


@pytest.fixture(scope="session")
def page_report(site: Site, new_page: Callable[..., tuple[Page, Recorder]]) -> Callable[[str], PageReport]:
    """The PageReport of a site path, loaded once per session at 390x844 (one tab, navigated page to page)."""
    page, recorder = new_page(viewport=PHONE)
    cache: dict[str, PageReport] = {}

    def report(path: str) -> PageReport:
        if path not in cache:
            cache[path] = load_and_measure(page, recorder, site.url(path))
        return cache[path]

    return report


AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


def switch_problems(site: Site, path: str, report: PageReport) -> list[str]:
    """What is wrong with a page's edition switch: one link, hreflang and name of the other edition, same page."""
    mirror = site.mirror(path)
    if mirror is None:
        return []
    other = mirror.partition("/")[0]
    wanted = (EDITIONS[other], site.url(mirror), EDITION_NAMES[other])
    found = [link for link in report.switches if link[0] == EDITIONS[other]]
    return [] if found == [wanted] else [f"the edition switch should be {wanted}, found {found}"]


def require_node_module(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} (scripts/setup does).", pytrace=False)


@pytest.fixture(scope="session")
def axe_violations(site: Site, new_page: Callable[..., tuple[Page, Recorder]]) -> Callable[[str], dict[str, list[Any]]]:
    """axe-core's WCAG 2.1 A/AA violations of a site path, by viewport ('1280x900', '390x844'); cached."""
    require_node_module(AXE_JS)
    # The site's CSP (script-src 'self') rightly refuses injected scripts, so axe runs in a context that
    # bypasses it; page_report loads every page with the CSP in force.
    page, _ = new_page(viewport=DESKTOP, bypass_csp=True)
    cache: dict[str, dict[str, list[Any]]] = {}

    def violations(path: str) -> dict[str, list[Any]]:
        if path not in cache:
            cache[path] = run_axe(page, site.url(path))
        return cache[path]

    return violations


def run_axe(page: Page, url: str) -> dict[str, list[Any]]:
    """Load url, inject axe-core and run it at 1280x900 and at 390x844 (the page needs its CSP bypassed)."""
    page.set_viewport_size(DESKTOP)
    page.goto(url, wait_until="load")
    page.add_script_tag(path=str(AXE_JS))
    found = {}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        found[f"{viewport['width']}x{viewport['height']}"] = page.evaluate(AXE_RUN)
    return found


def format_axe(violations: dict[str, list[Any]]) -> str:
    lines = []
    for viewport, found in violations.items():
        for v in found:
            lines.append(f"[{viewport}] {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
            for node in v["nodes"]:
                summary = " | ".join(
                    " ".join(line.split()) for line in (node["summary"] or "").splitlines() if line.strip()
                )
                lines.append(f"    {' '.join(map(json.dumps, node['target']))}  {node['html'][:160]}")
                lines.append(f"        {summary[:400]}")
    return "\n".join(lines)


@dataclass
class VnuRun:
    """One run of the Nu HTML Checker on every built HTML file, started early so it overlaps the browser tests."""

    files: list[Path]
    problem: str | None = None  # why it could not start
    process: subprocess.Popen[bytes] | None = None
    out: Path | None = None

    def wait(self) -> tuple[int, str]:
        """Exit status and vnu's JSON report (it writes the report to stderr)."""
        assert self.process is not None and self.out is not None
        returncode = self.process.wait(timeout=300)
        return returncode, self.out.read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def vnu_run(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VnuRun]:
    """Start `java -jar vnu.jar --errors-only --format json <all built HTML files>` in the background."""
    run = VnuRun(files=site.html_files())
    java = shutil.which("java")
    if not VNU_JAR.exists():
        run.problem = f"{VNU_JAR.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} (scripts/setup does)."
    elif java is None:
        run.problem = "java is missing: the Nu HTML Checker needs Java 11+ (apt-get install default-jre-headless)."
    else:
        run.out = tmp_path_factory.mktemp("vnu") / "report.json"
        with run.out.open("wb") as report:
            run.process = subprocess.Popen(
                [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, run.files)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=report,
            )
    yield run
    if run.process is not None and run.process.poll() is None:
        run.process.kill()
        run.process.wait(timeout=60)

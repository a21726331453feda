"""Screenshots for people to look at after a change of templates or CSS (tests/artifacts/screenshots/)."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, EDITION_KINDS, EDITIONS, PHONE, SCREENSHOTS, SITE_KINDS

pytestmark = pytest.mark.browser

SHOWN = list(EDITION_KINDS)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: f"{v['width']}x{v['height']}")
def test_screenshots_of_key_pages(site, new_page, viewport) -> None:
    """Full-page screenshots of every page kind of both editions, the chooser and 404.html, for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, _ = new_page(viewport=viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    for edition in EDITIONS:
        for kind in SHOWN:
            page.goto(site.url(site.page(kind, edition)), wait_until="load")
            page.evaluate("document.fonts.ready")
            shot = SCREENSHOTS / f"{edition}-{kind}-{size}.png"
            shot.unlink(missing_ok=True)
            page.screenshot(path=str(shot), full_page=True)
            data = shot.read_bytes()
            assert data.startswith(b"\x89PNG") and len(data) > 5_000, f"{shot} is not a real screenshot"
    for kind, path in SITE_KINDS.items():
        page.goto(site.url(path), wait_until="load")
        shot = SCREENSHOTS / f"site-{kind}-{size}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
    page.context.close()

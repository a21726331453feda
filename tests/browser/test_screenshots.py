"""Screenshots for people to look at after a change of templates or CSS (tests/artifacts/screenshots/)."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, EDITIONS, PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser

SHOWN = ["home", "initiatives", "initiative", "year", "closed-year"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: f"{v['width']}x{v['height']}")
def test_screenshots_of_key_pages(site, new_page, viewport) -> None:
    """Full-page screenshots of the home, list, initiative, year and closed-year pages of both editions,
    for review."""
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
    page.context.close()

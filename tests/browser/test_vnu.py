"""The Nu HTML Checker (vnu.jar from npm) on every HTML file of the built sample site, in one run."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser


def _site_path(site, url: str) -> str:
    """vnu's file: URL as a path in the site (zh-hans/…/index.html)."""
    path = Path(unquote(urlsplit(url).path))
    return path.relative_to(site.root).as_posix() if path.is_relative_to(site.root) else url or "(no file)"


def test_every_page_is_valid_html(site, vnu_run) -> None:
    """The Nu HTML Checker reports no error in any built HTML file (chooser, 404 and both editions)."""
    if vnu_run.problem:
        pytest.fail(vnu_run.problem, pytrace=False)
    assert len(vnu_run.files) > 100, f"only {len(vnu_run.files)} HTML files were built"
    returncode, report = vnu_run.wait()
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar exited {returncode} without a JSON report:\n{report}", pytrace=False)
    errors = []
    for m in messages:
        if m.get("type") == "info":
            continue
        where = f"{_site_path(site, m.get('url', ''))}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}"
        extract, start, length = m.get("extract", ""), m.get("hiliteStart", 0), m.get("hiliteLength", 0)
        extract = " ".join(f"{extract[:start]}[[{extract[start : start + length]}]]{extract[start + length :]}".split())
        errors.append(f"{where}: {m['type']}: {m.get('message', '')}\n      {extract}")
    assert not errors and returncode == 0, (
        f"the Nu HTML Checker found {len(errors)} errors in {len(vnu_run.files)} files:\n  " + "\n  ".join(errors)
    )

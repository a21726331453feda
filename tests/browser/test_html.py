"""The Nu HTML Checker (vnu.jar from npm) on every HTML file of the built sample site, in one run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import VNU_JAR, require_node_module

pytestmark = pytest.mark.browser


def _site_path(site, url: str) -> str:
    """vnu's file: URL as a path in the site (zh-hans/…/index.html)."""
    path = Path(unquote(urlsplit(url).path))
    return path.relative_to(site.root).as_posix() if path.is_relative_to(site.root) else url or "(no file)"


def test_every_page_is_valid_html(site) -> None:
    """The Nu HTML Checker reports no error in any built HTML file (chooser, 404 and both editions)."""
    require_node_module(VNU_JAR)
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: the Nu HTML Checker needs Java 11+ (apt-get install default-jre-headless).",
                    pytrace=False)
    files = site.html_files()
    assert len(files) > 100, f"only {len(files)} HTML files were built"
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
                         capture_output=True, text=True, encoding="utf-8", timeout=300)
    output = run.stderr.strip() or run.stdout.strip()
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar exited {run.returncode} without a JSON report:\n{run.stdout}\n{run.stderr}",
                    pytrace=False)
    errors = [f"{_site_path(site, m.get('url', ''))}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: {m['type']}: "
              f"{m.get('message', '')}\n      {' '.join(m.get('extract', '').split())}"
              for m in messages if m.get("type") != "info"]
    assert not errors and run.returncode == 0, (
        f"the Nu HTML Checker found {len(errors)} errors in {len(files)} files:\n  " + "\n  ".join(errors))

"""`gongshi serve` in a real browser: saving a file reloads the open page with the change."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from ports import free_port_pair

from .conftest import ROOT

pytestmark = pytest.mark.browser
FIXTURE = ROOT / "tests" / "fixtures" / "basic" / "content"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    shutil.copytree(FIXTURE, tmp_path / "content")
    (tmp_path / "templates").mkdir()  # a second watched folder: still one rebuild per save
    port = free_port_pair()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gongshi", "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "zh-hans/index.html", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base, tmp_path / "content"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_saving_a_record_reloads_the_page(served: tuple[str, Path], new_page) -> None:
    """livereload's script runs under the page's Content-Security-Policy, two saves in a row both show, each
    first by the edited record's own pages, and the rest of the site (its list) follows."""
    base, content = served
    page, recorder = new_page()
    page.goto(base + "zh-hans/initiatives/rural-bus/index.html")
    page.wait_for_function(
        "() => window.LiveReload && window.LiveReload.connector && window.LiveReload.connector._connectionDesired",
        timeout=15000,
    )
    record = content / "initiatives" / "rural-bus.yaml"
    for title in ("城乡公交一号线", "城乡公交二号线"):  # the second save comes soon after the first reload
        text = record.read_text("utf-8")
        record.write_text("title: " + title + "\n" + text.split("\n", 1)[1], "utf-8")
        page.wait_for_function(f"() => document.querySelector('h1').textContent.includes('{title}')", timeout=30000)
    page.goto(base + "zh-hant/initiatives/index.html")
    page.wait_for_function("() => document.body.textContent.includes('城鄉公交二號線')", timeout=30000)
    assert [e for e in recorder.console_errors if "Content Security Policy" in e] == []
    assert recorder.page_errors == []
    log = (content.parent / "serve.log").read_text("utf-8").splitlines()
    assert [line.split(" ")[0] for line in log if line.startswith("showed ")] == ["showed", "showed"], log
    assert 2 <= len([line for line in log if line.startswith("built ")]) <= 3, log  # the first save's may give way

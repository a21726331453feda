"""`serve`: the preview keeps the last good site, shows build errors in the browser, and serves safely."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from conftest import FIXTURES

from gongshi.serve import Preview
from gongshi.site import Options


def _get(app: Preview, path: str) -> tuple[str, dict[str, str], bytes]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured.update(status=status, headers=dict(headers))

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return captured["status"], captured["headers"], body


def test_preview_serves_pages_and_shows_errors(tmp_path: Path) -> None:
    """A failed rebuild keeps site/ and answers every page with the errors; a fix brings pages back."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    preview = Preview(Options(content=content, out=tmp_path / "site", search=False, history=False), liveport=35999)
    assert preview.rebuild()
    status, headers, body = _get(preview, "/zh-hans/initiatives/rural-bus/")
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"http://127.0.0.1:35999" in body  # livereload allowed in the served copy only
    on_disk = (tmp_path / "site" / "zh-hans" / "initiatives" / "rural-bus" / "index.html").read_bytes()
    assert b"35999" not in on_disk

    record = content / "initiatives" / "rural-bus.yaml"
    good = record.read_text("utf-8")
    record.write_text(good.replace("status: in_progress", "status: doing"), "utf-8")
    assert not preview.rebuild()
    status, _, body = _get(preview, "/zh-hans/index.html")
    assert status.startswith("500") and b"status &#x27;doing&#x27; is not one of" in body
    assert on_disk == (tmp_path / "site" / "zh-hans" / "initiatives" / "rural-bus" / "index.html").read_bytes()
    assert _get(preview, "/static/style.css")[0] == "200 OK"

    record.write_text(good, "utf-8")
    assert preview.rebuild()
    assert _get(preview, "/zh-hans/index.html")[0] == "200 OK"


def test_preview_refuses_paths_outside_the_site(tmp_path: Path) -> None:
    """../ in a request never reaches files outside the output folder."""
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    preview = Preview(Options(content=FIXTURES / "basic" / "content", out=tmp_path / "site", search=False,
                              history=False), liveport=35999)
    preview.rebuild()
    status, _, body = _get(preview, "/../secret.txt")
    assert status.startswith("404") and b"secret" not in body


def test_serve_command_answers_on_loopback(tmp_path: Path) -> None:
    """`gongshi serve` builds and answers on 127.0.0.1."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "gongshi", "serve", "--port", str(port)], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/zh-hant/index.html", timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        assert '<html lang="zh-Hant">' in page and "livereload.js" in page
    finally:
        process.terminate()
        process.wait(timeout=10)

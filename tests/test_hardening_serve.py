"""Hardening of the preview server, the Pagefind binary and the command line (issue 17)."""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import FIXTURES
from ports import serving

from gongshi import scratch, search


def _plant(folder: Path) -> Path:
    """An executable `pagefind_extended` in `folder`'s node_modules, as anyone may leave in /tmp."""
    binary = folder / search.BINARY
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\ntouch planted-ran\n", "utf-8")
    binary.chmod(0o755)
    return binary


def test_pagefind_is_not_taken_from_the_working_folder_or_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A binary planted in a parent folder's (or the working folder's) node_modules is never chosen."""
    planted = [_plant(tmp_path), _plant(tmp_path / "project")]
    (tmp_path / "project" / "content").mkdir()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setenv("PATH", os.defpath)
    for cwd in (tmp_path / "project" / "content", tmp_path / "project"):
        monkeypatch.chdir(cwd)
        found = search.find_binary()
        assert found is None or found.resolve() not in planted
        assert found in (None, Path(search.__file__).resolve().parents[1] / search.BINARY)


def test_pagefind_binary_path_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PAGEFIND_BINARY_PATH, the user's own choice, still wins."""
    chosen = _plant(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(chosen))
    assert search.find_binary() == chosen


KILLED_INDEXING = """
import sys, tempfile
from pathlib import Path
from gongshi import scratch, search
scratch.SHARED_MEMORY, tempfile.tempdir = Path(sys.argv[1]), sys.argv[2]
search._index("zh-Hans", {"zh-hans/initiatives/a/index.html": b"<html></html>"}, Path(sys.argv[3]), "zh-hans/pagefind/")
"""


def _scratch_folders(root: Path) -> list[Path]:
    return sorted(root.glob("gongshi-pagefind-*"))


def test_scratch_of_a_killed_indexing_is_cleaned_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed while Pagefind runs leaves its scratch folder; the next build removes it, never a live one."""
    shm, tmp = tmp_path / "shm", tmp_path / "tmp"
    shm.mkdir(), tmp.mkdir()
    monkeypatch.setattr(scratch, "SHARED_MEMORY", shm)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    slow = tmp_path / "pagefind_extended"
    slow.write_text("#!/bin/sh\nsleep 30\n", "utf-8")
    slow.chmod(0o755)
    build = subprocess.Popen(
        [sys.executable, "-c", KILLED_INDEXING, str(shm), str(tmp), str(slow)], start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while not [f for f in _scratch_folders(shm) if (f / "pages").is_dir()]:
            assert time.monotonic() < deadline and build.poll() is None
            time.sleep(0.05)
        (live,) = _scratch_folders(shm)
        scratch.clean_scratch()  # another build starts meanwhile: the live build's folder stays
        assert live.is_dir()
        os.killpg(build.pid, signal.SIGKILL)  # the build and its Pagefind
        build.wait()
        assert live.is_dir()  # left behind
        with search.Indexing(tmp_path / "site", None, None):  # the next build starts
            assert not live.exists()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
        build.wait()


def test_clean_scratch_leaves_links_fresh_folders_and_other_files(tmp_path: Path) -> None:
    """Only abandoned scratch folders go: not a link named like one, not one just made, nothing else."""
    outside = tmp_path / "outside"
    (outside / "pages").mkdir(parents=True)
    root = tmp_path / "root"
    root.mkdir()
    (root / "gongshi-pagefind-link").symlink_to(outside)
    (root / "gongshi-pagefind-1234-abcd" / "pages").mkdir(parents=True)  # made this instant, not yet locked
    (root / "gongshi-pagefind-old" / "pages").mkdir(parents=True)  # made by an older gongshi, long ago
    os.utime(root / "gongshi-pagefind-old", (time.time() - 3600, time.time() - 3600))
    (root / "other").mkdir()
    scratch.clean_scratch([root])
    assert sorted(p.name for p in root.iterdir()) == ["gongshi-pagefind-1234-abcd", "gongshi-pagefind-link", "other"]
    assert (outside / "pages").is_dir()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)//", "data:text/html,x", "//evil.example/", "example.org", "https://a b/"]
)
def test_base_url_option_must_be_a_web_address(
    run_cli: Callable[..., CompletedProcess[str]], tmp_path: Path, url: str
) -> None:
    """`--base-url` is checked like `base_url` in site.yaml: anything but http(s) is a usage error, nothing built."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    for command in ("build", "check", "serve"):  # serve last: before the check, it would serve on
        done = run_cli(command, f"--base-url={url}")
        assert done.returncode == 2, done.stderr
        assert f"argument --base-url: '{url}' is not a web address" in done.stderr
        assert "http:// or https://" in done.stderr
        assert not (tmp_path / "site").exists()


def test_base_url_option_takes_a_web_address(run_cli: Callable[..., CompletedProcess[str]], tmp_path: Path) -> None:
    """A site's address in a subfolder is accepted as it was."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    done = run_cli("check", "--base-url", "https://example.org/reports/")
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`gongshi serve` on the basic fixture; its port (livereload's is the next)."""
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(FIXTURES / "basic" / "content", folder / "content")
    with serving(folder) as port:
        yield port


def _request(port: int, path: str, host: str = "", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET `path` exactly as written, with the Host header `host` (default: 127.0.0.1 and the port)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a%00b", 400),  # NUL
        ("/zh-hans/%00/index.html", 400),
        ("/a%01b/", 400),  # any control character
        ("/" + "a/" * 5000, 400),  # 5,000 levels
        ("/" + "x" * 300 + "/", 404),  # a name longer than the file system allows
        ("/%C0%AF", 400),  # not UTF-8 (an overlong /)
        ("/%ff", 400),
        ("/%zz", 404),  # invalid percent-encoding: no such page
        ("/a%2500", 404),  # %25 is a percent sign, decoded once
        ("/zh-hans/../../../etc/passwd", 404),
        ("/%2e%2e/%2e%2e/etc/passwd", 404),
    ],
)
def test_malformed_paths_get_a_short_answer_without_traceback(served: int, path: str, expected: int) -> None:
    """Whatever the path, the preview answers 400 or 404 with a short page: never 500, never a traceback."""
    status, body = _request(served, path)
    assert status == expected
    assert b"Traceback" not in body and b".py" not in body and b"/etc/" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"])
def test_the_preview_answers_at_its_own_addresses(served: int, host: str) -> None:
    assert _request(served, "/zh-hans/index.html", host.format(port=served))[0] == 200


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "evil.example", "127.0.0.1.nip.io:{port}", "localhost", "127.0.0.1:{other}"]
)
def test_other_hosts_are_refused(served: int, host: str) -> None:
    """DNS rebinding: a page of another site whose name now points at 127.0.0.1 gets nothing from the preview."""
    named = host.format(port=served, other=served + 7)
    status, body = _request(served, "/zh-hans/index.html", named)
    assert status == 400 and f"http://127.0.0.1:{served}/".encode() in body and b"<html" not in body
    assert _request(served + 1, "/livereload.js", named.replace(str(served), str(served + 1)))[0] == 400
    assert _request(served + 1, "/forcereload", named.replace(str(served), str(served + 1)))[0] == 400


def _handshake(port: int, origin: str) -> int:
    key = base64.b64encode(os.urandom(16)).decode()
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13"}
    return _request(port + 1, "/livereload", f"127.0.0.1:{port + 1}", {**upgrade, "Origin": origin})[0]


def test_livereload_socket_only_for_pages_of_the_preview(served: int) -> None:
    """Another site open in the browser cannot open livereload's socket (to watch saves or reload pages)."""
    assert _request(served + 1, "/livereload.js")[0] == 200
    for origin in (f"http://127.0.0.1:{served}", f"http://localhost:{served}"):
        assert _handshake(served, origin) == 101, origin
    for origin in ("http://evil.example", f"http://evil.example:{served}", "null", f"http://127.0.0.1:{served + 7}"):
        assert _handshake(served, origin) == 403, origin


def test_the_error_page_shows_only_an_excerpt_of_the_line() -> None:
    """The serve error page once printed the whole source line: a secret file linked in, 1 MB of it."""
    from gongshi.errors import Diagnostic
    from gongshi.i18n import ENGLISH
    from gongshi.serve import _problem_item

    line = "x" * 5_000 + "\x1b[2J" + "y" * 5_000
    item = _problem_item(Diagnostic("content/site.yaml", 1, 5_001, "bad", source_line=line), ENGLISH)
    assert len(item) < 1_000 and "\x1b" not in item


def test_serve_warm_up_survives_a_broken_site_template(tmp_path: Path) -> None:
    """A template error is the build's to report (at its file and line), not an exception in serve's warm-up."""
    from gongshi.pipeline import Options
    from gongshi.preview import prepare

    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "about.html").write_text("{% if %}", "utf-8")
    (tmp_path / "templates" / "feed.html").symlink_to("/etc/hostname")
    prepare(Options(content=tmp_path / "content", out=tmp_path / "site", search=False, history=False))

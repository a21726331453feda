"""`gongshi serve` for the tests that talk to it: free ports (its page server and livereload's socket)
and a running server."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port_pair() -> int:
    """A port P with P + 1 free too (livereload's socket)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        with socket.socket() as second:
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free ports in a row")


@contextlib.contextmanager
def serving(folder: Path, timeout: float = 90) -> Iterator[int]:
    """`gongshi serve` run in `folder` (beside its content/) until its first page answers; its port."""
    port = free_port_pair()
    process = subprocess.Popen(
        [sys.executable, "-m", "gongshi", "serve", "--port", str(port)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/zh-hans/index.html", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "gongshi serve did not answer"
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)

"""Free ports for the tests that start `gongshi serve` (its page server and livereload's socket)."""

from __future__ import annotations

import socket


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

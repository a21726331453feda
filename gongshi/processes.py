"""Helper processes (render workers, Pagefind runs) end with the build that started them.

A build killed with `kill -9` cannot stop its children; Linux can, when asked in each child with
`prctl(PR_SET_PDEATHSIG)`: the child gets SIGKILL as soon as its parent dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when `parent` (the build) dies; exit now if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)

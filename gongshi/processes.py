"""Helper processes (render workers, Pagefind runs) end with the build that started them.

A build killed with `kill -9` cannot stop its children; Linux can, when asked in each child with
`prctl(PR_SET_PDEATHSIG)`: the child gets SIGKILL as soon as its parent dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when `parent` (the build) dies; exit now if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def dying_with_parent(command: list[str]) -> list[str]:
    """`command` made to be killed when the thread that starts it dies (util-linux's `setpriv`, on every
    Debian and Ubuntu system): for Pagefind, started while other threads run, where a
    `preexec_fn` could deadlock. Where `setpriv` is missing, the command as it is."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *command] if setpriv else command

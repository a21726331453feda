"""Pagefind's scratch folders: the pages of one run are written there for the binary to index.

They go to memory (/dev/shm) when it has room (`_root`). Each is removed when its run ends; a
build killed meanwhile cannot, so each folder says whether its build still lives (`scratch_folder`)
and every build starts by removing those no live build owns (`clean_scratch`, from `search.Indexing`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

SHARED_MEMORY = Path("/dev/shm")
SCRATCH = "gongshi-pagefind-"  # the name of every scratch folder starts so
OWNER = ".owner"  # in each scratch folder: a file its build keeps locked while it lives
UNLOCKED_AGE = 60  # seconds: a scratch folder this old without its lock file is nobody's


@contextlib.contextmanager
def scratch_folder(size: int) -> Iterator[Path]:
    """A new scratch folder for one Pagefind run on pages of `size` bytes, removed after it.

    A build killed meanwhile cannot remove it, so its build locks the file `OWNER` in it (flock) as
    long as it uses it: the system drops the lock of a process that ends, however it ends, and
    `clean_scratch` removes only the folders whose lock is free. (A process id in the name would not
    do: ids are reused, and builds in two containers sharing /dev/shm do not see each other's.)
    """
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH, dir=_root(size)))
    try:
        with open(folder / OWNER, "wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # never waits: nobody else opens it before it is free
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def scratch_roots() -> list[Path]:
    """The folders where `scratch_folder` makes its folders."""
    return [SHARED_MEMORY, Path(tempfile.gettempdir())]


def clean_scratch(roots: Iterable[Path] | None = None) -> None:
    """Remove the scratch folders of builds that were killed while Pagefind ran (in `roots`, by default
    `scratch_roots`); the folders of builds still running, here or in another process, stay."""
    for root in scratch_roots() if roots is None else roots:
        try:
            names = [name for name in os.listdir(root) if name.startswith(SCRATCH)]
        except OSError:  # no such folder, or not ours to read
            continue
        for name in names:
            if abandoned(root / name):
                shutil.rmtree(root / name, ignore_errors=True)


def abandoned(folder: Path) -> bool:
    """Whether no live build owns the scratch `folder`: its `OWNER` is not locked.

    Only the user's own folders, never through a link. One without the file is either being made
    this instant or was made by a gongshi before these locks: it is abandoned once `UNLOCKED_AGE` old.
    """
    try:
        info = folder.lstat()
    except OSError:  # removed meanwhile
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    try:
        with open(folder / OWNER, "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: a live build holds it
        return True
    except FileNotFoundError:
        return time.time() - info.st_mtime > UNLOCKED_AGE
    except OSError:
        return False


def _root(size: int) -> str | None:
    """Where Pagefind's scratch copy of the pages goes: memory (tmpfs) when it has room to spare,
    else the usual temporary folder. Thousands of small files written, read and deleted again on a
    disk cost more than indexing them."""
    try:
        room = shutil.disk_usage(SHARED_MEMORY).free if os.access(SHARED_MEMORY, os.W_OK) else 0
    except OSError:
        room = 0
    return str(SHARED_MEMORY) if room > 4 * size + (64 << 20) else None

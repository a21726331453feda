"""The output folder: whose it is, who builds into it, and how a new site replaces the old one.

The promises (README, "What gongshi promises"):

- gongshi writes only into a folder it made: one holding its marker file (`MARKER`, the list of the
  files it wrote there), an empty or new folder, or a site of an older gongshi (its chooser page and
  stylesheet). Anything else is refused before a file is touched.
- It never deletes what it did not write: files the marker does not list, and `CNAME`, `.git`,
  `.well-known` and the site's `keep:` patterns always, are carried into every new site.
- One build at a time per folder: `Lock` holds an advisory lock beside it; a second build waits and
  says which process holds it.
- A reader sees the old site or the new one, never a mix: the new site is made in a second tree
  beside the old (`new_tree`: the site before last, brought up to date; unchanged files are hard
  links, so they keep their inode and time) and exchanged with it in one
  `renameat2(RENAME_EXCHANGE)`. A symlinked folder is followed (the link stays); a mount point,
  which cannot be renamed, is updated file by file, each file replaced atomically.
- A build killed at any moment leaves the old site whole; the second tree it was making is the
  next build's to bring up to date (it trusts nothing in it), after it takes the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import fnmatch
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gongshi.errors import ContentError, Diagnostic, UsageError
from gongshi.i18n import Text, msg

MARKER = ".gongshi-site.json"
ALWAYS_KEPT = ("CNAME", ".git", ".well-known", ".nojekyll")
TEMPORARY = ".gongshi-new"  # suffix of a file being written in place (`write.replace_file`)
RENAME_EXCHANGE = 2


def target(out: Path) -> Path:
    """The folder the site lives in: `out`, or the folder a symlink `out` points to (the link stays)."""
    return out.resolve() if out.is_symlink() else out.absolute()


def new_tree(folder: Path) -> Path:
    """Where the next site is made before it is exchanged with `folder`: beside it, on the same disk."""
    return folder.with_name(f".{folder.name}{TEMPORARY}")


def check_out(out: Path) -> None:
    """Refuse an output folder gongshi did not make: it might hold someone's work."""
    folder = target(out)
    if folder == Path(folder.anchor) or folder == Path.home().resolve():
        raise UsageError(msg("refusing to write the site into {path}", path=out))
    if folder.exists() and not folder.is_dir():
        raise UsageError(msg("--out {path} is a file, not a folder", path=out))
    if folder.is_dir() and written_files(folder) is None and _foreign(folder):
        raise UsageError(
            msg(
                "--out {path} is not empty and was not made by gongshi; choose an empty or new folder",
                path=out,
            )
        )


def _foreign(folder: Path) -> bool:
    """Whether a folder without gongshi's marker holds someone else's files: it is neither empty (but
    for the always-kept names) nor a site an older gongshi wrote (its chooser page and stylesheet)."""
    names = {p.name for p in folder.iterdir()} - set(ALWAYS_KEPT)
    if not names:
        return False
    index, style = folder / "index.html", folder / "static" / "style.css"
    if not (index.is_file() and style.is_file()):
        return True
    return b'href="static/style.css?v=' not in index.read_bytes()[:8192]


def written_files(folder: Path) -> frozenset[str] | None:
    """The files gongshi wrote into `folder` (its marker), or None without a readable marker."""
    try:
        data = json.loads((folder / MARKER).read_text("utf-8"))
        if data.get("generator") != "gongshi" or not isinstance(data.get("files"), list):
            return None
        return frozenset(str(path) for path in data["files"])
    except (OSError, ValueError, AttributeError):
        return None


def marker(paths: Iterable[str]) -> bytes:
    """The marker's bytes: what this build wrote (sorted, so the same site gives the same bytes)."""
    data = {"generator": "gongshi", "note": "made by gongshi; replaced by every build", "files": sorted(paths)}
    return (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode()


def kept(rel: str, patterns: Iterable[str]) -> bool:
    """Whether a path (or a folder holding it) is one gongshi must never delete."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return parts[0] in ALWAYS_KEPT or any(fnmatch.fnmatchcase(p, pattern) for p in prefixes for pattern in patterns)


def carried(folder: Path, built: set[str], patterns: Iterable[str]) -> list[str]:
    """Files and links in `folder` the next site keeps though gongshi does not build them: what it did
    not write (not in the marker), and the kept ones. A folder gongshi never wrote into is all kept."""
    wrote = written_files(folder)
    if wrote is None and folder.is_dir() and _foreign(folder):
        wrote = frozenset()
    found = []
    built_folders = _folders(built)
    for rel in _walk(folder):
        if rel in built or rel in built_folders or rel == MARKER or rel.endswith(TEMPORARY):
            continue  # gongshi's own (a link where it writes a folder gives way to the folder)
        if kept(rel, patterns) or (wrote is not None and rel not in wrote):
            found.append(rel)
    return found


def _folders(paths: Iterable[str]) -> set[str]:
    """Every folder holding one of `paths` (`a`, `a/b` for `a/b/c.html`): one step per new folder."""
    found: set[str] = set()
    for path in paths:
        cut = path.rfind("/")
        while cut > 0 and path[:cut] not in found:
            found.add(path[:cut])
            cut = path.rfind("/", 0, cut)
    return found


def files_in(folder: Path) -> set[str]:
    """The relative paths of the files and links under `folder`."""
    return set(_walk(folder))


def clear(path: str) -> None:
    """Remove whatever is at `path` (a file, a link, a folder) in a tree no reader sees."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def make_folder(folder: str, root: str) -> None:
    """`os.makedirs` inside `root`, removing a file or a link that stands where a folder must be (the
    second tree may hold files, or a kept link, where this build has folders): nothing is ever
    written through a link out of the tree."""
    rel = os.path.relpath(folder, root)
    path = root
    for part in [] if rel == "." else rel.split(os.sep):
        path = os.path.join(path, part)
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
            os.unlink(path)
        if not os.path.isdir(path):
            os.mkdir(path)


def _walk(folder: Path) -> Iterator[str]:
    """The relative path of every file and symlink under `folder`, not following links."""
    stack = [("", os.fspath(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:  # removed meanwhile, or not a folder
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((f"{prefix}{entry.name}/", entry.path))
            else:
                yield prefix + entry.name


def link_file(source: Path, dest: Path, root: Path) -> None:
    """`dest` (in the tree `root`) as a hard link of `source` (a symlink copied as a symlink)."""
    make_folder(str(dest.parent), str(root))
    if source.is_symlink():
        os.symlink(os.readlink(source), dest)
    else:
        os.link(source, dest, follow_symlinks=False)


def remove_leftovers(folder: Path) -> None:
    """What a killed build left: a site set aside by `exchange`'s two renames is put back, the
    folders of older gongshis removed. The spare tree (`new_tree`), half made or not, is the next
    build's to bring up to date (unless it is no folder of gongshi's)."""
    aside = folder.with_name(f".{folder.name}.old")
    if not folder.exists() and aside.is_dir():
        os.rename(aside, folder)
    spare = new_tree(folder)
    if spare.is_symlink() or (spare.exists() and not spare.is_dir()):
        spare.unlink()
    for leftover in (folder.with_name(f".{folder.name}.new"), aside):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
    if is_mount(folder):
        for rel in _walk(folder):
            if rel.endswith(TEMPORARY):
                (folder / rel).unlink()


def is_mount(folder: Path) -> bool:
    """Whether `folder` is a mount point (a bind mount of the same disk too), which cannot be renamed."""
    if not folder.is_dir():
        return False
    if os.path.ismount(folder):
        return True
    with contextlib.suppress(OSError), open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as table:
        points = {line.split()[4].replace("\\040", " ") for line in table if len(line.split()) > 4}
        return str(folder.resolve()) in points
    return False


def exchange(new: Path, folder: Path) -> None:
    """Put the tree `new` in `folder`'s place in one step; the old site ends at `new`, to be removed.

    `renameat2(RENAME_EXCHANGE)` (Linux 3.15, most file systems); where it is missing, two renames,
    between which the folder is briefly absent."""
    if not folder.exists():
        os.rename(new, folder)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd = -100
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(folder), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(folder))
    aside = folder.with_name(f".{folder.name}.old")
    os.rename(folder, aside)
    os.rename(new, folder)
    os.rename(aside, new)


def stamp(*paths: Path | None) -> tuple[tuple[int, int, int] | None, ...]:
    """Inode, size and time of each file (None: absent): another build that wrote changes them."""
    found: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            info = os.stat(path) if path is not None else None
        except OSError:
            info = None
        found.append((info.st_ino, info.st_size, info.st_mtime_ns) if info else None)
    return tuple(found)


def write_failed(out: Path, error: OSError) -> ContentError:
    """A disk that is full or read-only: exit 1 with what to do (the old site is as it was)."""
    reason = error.strerror or str(error)
    where = error.filename or out
    return ContentError(
        [
            Diagnostic(
                str(out),
                1,
                1,
                msg("cannot write the site: {reason} ({path})", reason=reason, path=where),
                msg("the previous site was left as it was; free space or make the folder writable, then build again"),
            )
        ]
    )


def _stash_path(out: Path) -> Path:
    folder = target(out)
    return folder.with_name(f".{folder.name}.gongshi-stash")


def remove_stash(out: Path, waiting: Callable[[Text], None] | None = None) -> None:
    """Remove the stash a killed build left (a build with nothing to do makes none), under `Lock`."""
    path = _stash_path(out)
    if path.exists():
        with Lock(target(out), waiting):
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def stash(out: Path) -> Iterator[Path | None]:
    """A folder beside the site, `.NAME.gongshi-stash`, for the files of one build until they are
    written (`stash.Stash`), removed after. The caller holds `Lock`: one left by a build killed
    meanwhile is removed first. None where it cannot be made (the files then stay in memory)."""
    path = _stash_path(out)
    shutil.rmtree(path, ignore_errors=True)
    try:
        path.mkdir()
    except OSError:  # a read-only disk: writing will say so
        yield None
        return
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class Lock:
    """One build at a time into a folder: an advisory lock on `.NAME.gongshi-lock` beside it (with the
    second tree, `.NAME.gongshi-new`: a content repository ignores `.site.gongshi-*`). `waiting` is
    told who holds it, once."""

    def __init__(self, folder: Path, waiting: Callable[[Text], None] | None = None) -> None:
        self.path = folder.with_name(f".{folder.name}.gongshi-lock")
        self.waiting = waiting
        self.fd = -1

    def __enter__(self) -> Lock:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if self.fd < 0:
            return self  # nowhere to keep a lock (read-only disk): the write will say so
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self.fd, 200, 0).decode("utf-8", "replace").strip() or "?"
            if self.waiting is not None:
                self.waiting(
                    msg("waiting for another build into this folder to finish (process {holder})", holder=holder)
                )
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing releases the lock
            self.fd = -1

"""Write stage: rendered files into the output folder, so that a reader always sees the old site or the new.

With the last build's manifest, only files whose bytes changed are written, each through a
temporary name renamed over the old file, and `finish` removes the files no longer built.
Without it (first build, or cache deleted) the site is written into a new folder that `finish`
swaps in with one rename; unchanged files are hard-linked from the old one. Everything was
rendered before the first byte is written, so a build that fails on content leaves `out` as it
was. Unchanged files keep their inode and timestamp: rsync and CDN caches see real changes only.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from gongshi.errors import UsageError
from gongshi.i18n import msg
from gongshi.incremental.manifest import Entry, Manifest, inside, sha
from gongshi.incremental.plan import Rendered


class Writer:
    """Writes one build into `out`, in parts (pages while the search index is made, then the index).

    `previous` is the last build's manifest and `intact` its files still as written: files whose
    bytes did not change are left alone, and nothing old is read but a file changed since the
    last build (by `serve`'s first step, or by hand).
    """

    def __init__(self, out: Path, previous: Manifest | None, intact: Mapping[str, Entry]) -> None:
        check_out(out)
        self.out = out.absolute()
        self.previous, self.intact = previous, intact
        self.in_place = previous is not None and out.is_dir()
        self.entries: dict[str, Entry] = {}  # every file written or kept, for the next manifest
        self.written = self.unchanged = self.removed = 0
        self.root = self.out if self.in_place else self._fresh_folder()
        self.old = set() if self.in_place or not self.out.exists() else _files_in(self.out)
        self.folders: set[str] = set()  # made (or found) by this writer

    def _fresh_folder(self) -> Path:
        root = self.out.with_name(f".{self.out.name}.new")
        for leftover in (root, self.out.with_name(f".{self.out.name}.old")):
            if leftover.exists():
                shutil.rmtree(leftover)
        root.mkdir(parents=True)
        return root

    def write(self, rendered: Rendered, paths: Iterable[str]) -> None:
        """Write `paths` of `rendered`: made files from memory, reused ones kept (or linked into a new folder)."""
        for rel in sorted(paths):
            check_path(rel)
            data = None if rel in rendered.reused else rendered.files[rel]
            self._write_one(rel, rendered.keys.get(rel, ""), data)

    def _write_one(self, rel: str, key: str, data: bytes | None) -> None:
        known = self.intact.get(rel) if self.in_place else None
        digest = None if data is None else sha(data)
        if known is not None and (digest is None or known.sha == digest):
            self.entries[rel] = replace(known, key=key)
            self.unchanged += 1
            return
        if data is None:
            data = (self.out / rel).read_bytes()  # reused, to be linked into the new folder
        digest = digest or sha(data)
        target = os.path.join(self.root, rel)
        self._make_folder(os.path.dirname(target))
        if self._already(rel, target, data):
            if not self.in_place:
                os.link(os.path.join(self.out, rel), target)
            self.unchanged += 1
            self.entries[rel] = _entry(os.stat(target), key, digest)
            return
        self.written += 1
        made = replace_file(target, data) if self.in_place else create_file(target, data)
        self.entries[rel] = _entry(made, key, digest)

    def _already(self, rel: str, target: str, data: bytes) -> bool:
        """The file holds `data` already: in the old folder (to link), or written meanwhile by `serve`."""
        if not self.in_place:
            return rel in self.old and _same(Path(self.out, rel), data)
        return rel not in self.intact and _same(Path(target), data)

    def _make_folder(self, folder: str) -> None:
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def finish(self, paths: set[str]) -> dict[str, Entry]:
        """Remove what is no longer built (in place), or swap the new folder in; the entries written."""
        if self.in_place:
            assert self.previous is not None
            gone = sorted(set(self.previous.files) - paths)
            for rel in gone:
                (self.out / rel).unlink(missing_ok=True)
            _remove_empty_folders(self.out, {(self.out / rel).parent for rel in gone})
            self.removed = len(gone)
            return self.entries
        self.removed = len(self.old - paths)
        backup = self.out.with_name(f".{self.out.name}.old")
        if self.out.exists():
            self.out.rename(backup)
        self.root.rename(self.out)
        if backup.exists():
            shutil.rmtree(backup)
        return self.entries


def create_file(target: str, data: bytes) -> os.stat_result:
    """Write a new file (its folder exists); its status, for the build cache."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def replace_file(target: str | Path, data: bytes) -> os.stat_result:
    """Write through a temporary name renamed over `target` (its folder exists): a reader sees the old
    file or the new one."""
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.gongshi-new")
    made = create_file(temporary, data)
    os.replace(temporary, target)
    return made


def check_path(rel: str) -> None:
    """Refuse an output path that would leave the output folder (defence in depth: paths come from ids)."""
    if not inside(rel):
        raise RuntimeError(f"output path {rel!r} leaves the output folder")


def check_out(out: Path) -> None:
    """Never replace a folder that is not a gongshi site: it might hold someone's work."""
    resolved = out.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise UsageError(msg("refusing to write the site into {path}", path=out))
    if out.exists() and not out.is_dir():
        raise UsageError(msg("--out {path} is a file, not a folder", path=out))
    if out.is_dir() and any(out.iterdir()) and not ((out / "index.html").is_file() and (out / "static").is_dir()):
        raise UsageError(
            msg(
                "--out {path} is not empty and does not look like a gongshi site; choose an empty or new folder",
                path=out,
            )
        )


def _files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _remove_empty_folders(top: Path, folders: set[Path]) -> None:
    for folder in sorted(folders, key=lambda p: -len(p.parts)):
        while folder != top and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _entry(stat: os.stat_result, key: str, digest: str) -> Entry:
    return Entry(key, digest, stat.st_size, stat.st_mtime_ns)


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data

"""Write stage: rendered files into the output folder, so that a reader always sees the old site or the new.

The new site is made in a second tree beside the old one (`outdir.new_tree`) and exchanged with it
in one step (`outdir.exchange`). That tree is the site before last, kept from the build before
(deleting it is always safe): a build brings it up to date, so its cost follows what changed, not
the size of the site. Files whose bytes did not change become hard links of the old site's files
(they keep their inode and time: rsync and CDN caches see real changes only), the others are
written, what gongshi must keep (`outdir.carried`) is linked in, and what is no longer built goes.
A file of that tree is never written in place: it may be a link of a file of the live site.
A folder that is a mount point cannot be exchanged: it is updated in place, each file replaced
atomically. Everything was rendered before the first byte is written, so a build that fails on
content leaves the output folder as it was; one that fails on the disk (full, read-only) removes
the second tree and says so (`outdir.write_failed`, exit 1).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from gongshi import outdir, stash
from gongshi.incremental.manifest import Entry, Manifest, inside, sha
from gongshi.incremental.plan import Rendered


class Writer:
    """Writes one build into `out`, in parts (pages while the search index is made, then the index).

    `previous` is the last build's manifest and `intact` its files still as written: their bytes
    are not read again. `keep` are the site's `keep:` patterns. The caller holds `outdir.Lock`.
    """

    def __init__(
        self, out: Path, previous: Manifest | None, intact: Mapping[str, Entry], keep: Iterable[str] = ()
    ) -> None:
        outdir.check_out(out)
        self.out, self.folder = out, outdir.target(out)
        self.previous, self.intact, self.keep = previous, intact, tuple(keep)
        outdir.remove_leftovers(self.folder)
        self.in_place = outdir.is_mount(self.folder)
        self.entries: dict[str, Entry] = {}  # every file written or kept, for the next manifest
        self.written = self.unchanged = self.removed = 0
        self.root = self.folder if self.in_place else outdir.new_tree(self.folder)
        self.root.mkdir(parents=True, exist_ok=True)
        self.spare = set() if self.in_place else outdir.files_in(self.root)  # to remove unless built again
        self.folders: set[str] = set()  # made (or found) by this writer

    def write(self, rendered: Rendered, paths: Iterable[str]) -> None:
        """Write `paths` of `rendered`: made files from memory, reused ones linked from the old site."""
        for rel in sorted(paths):
            check_path(rel)
            data = None if rel in rendered.reused else rendered.files[rel]
            self._write_one(rel, rendered.keys.get(rel, ""), data, stash.holder(rendered.files, rel))

    def _write_one(self, rel: str, key: str, data: bytes | None, stashed: stash.Stash | None = None) -> None:
        known = self.intact.get(rel)
        digest = None if data is None else sha(data)
        old, target = os.path.join(self.folder, rel), os.path.join(self.root, rel)
        self.spare.discard(rel)
        if known is not None and (digest is None or known.sha == digest):
            self._link(old, target)
            self.entries[rel] = replace(known, key=key)
            self.unchanged += 1
            return
        if data is None:
            data = Path(old).read_bytes()  # reused, but changed behind gongshi's back: written again
        digest = digest or sha(data)
        if _same(Path(old), data):  # written meanwhile by `serve`, or restored by hand
            self._link(old, target)
            self.unchanged += 1
            self.entries[rel] = _entry(os.stat(target), key, digest)
            return
        self.written += 1
        self._make_folder(os.path.dirname(target))
        if not self.in_place:
            outdir.clear(target)  # the spare tree's file may be a link of the live one: never written into
        self.entries[rel] = _entry(self._move(stashed, rel, target) or replace_file(target, data), key, digest)

    def _move(self, stashed: stash.Stash | None, rel: str, target: str) -> os.stat_result | None:
        """Move a stashed file into the new tree instead of writing its bytes again; None where it cannot
        be (not stashed, a folder updated in place, another disk)."""
        if stashed is None or self.in_place:
            return None
        try:
            os.replace(stashed.file(rel), target)
        except OSError:
            return None
        stashed.moved(rel, self.root)
        return os.stat(target)

    def _link(self, old: str, target: str) -> None:
        """`target` in the new tree as a hard link of the old site's file (already, or made now)."""
        if self.in_place or _same_file(old, target):
            return
        self._make_folder(os.path.dirname(target))
        outdir.clear(target)
        os.link(old, target)

    def _make_folder(self, folder: str) -> None:
        if folder not in self.folders:
            outdir.make_folder(folder, str(self.root))
            self.folders.add(folder)

    def finish(self, paths: set[str]) -> dict[str, Entry]:
        """Put the new site in place: what must be kept, the marker, then one exchange (or, in a
        mount point, the removal of what is no longer built); the entries written."""
        wrote = outdir.written_files(self.folder)
        before = set(wrote) if wrote is not None else set(self.previous.files) if self.previous else set()
        self.removed = len(before - paths)
        if self.in_place:
            gone = sorted(rel for rel in before - paths if inside(rel) and not outdir.kept(rel, self.keep))
        else:
            for rel in outdir.carried(self.folder, paths, self.keep):
                self.spare.discard(rel)
                if not _same_file(str(self.folder / rel), str(self.root / rel)):
                    outdir.clear(str(self.root / rel))
                    outdir.link_file(self.folder / rel, self.root / rel, self.root)
            gone = sorted(self.spare - {outdir.MARKER})
        for rel in gone:
            if not (self.root / rel).is_dir() or (self.root / rel).is_symlink():  # a folder now: it stays
                (self.root / rel).unlink(missing_ok=True)
        _remove_empty_folders(self.root, {(self.root / rel).parent for rel in gone})
        replace_file(self.root / outdir.MARKER, outdir.marker(paths))
        if not self.in_place:
            outdir.exchange(self.root, self.folder)  # the old site is now the spare tree of the next build
        return self.entries

    def abandon(self) -> None:
        """The build failed while writing: remove the second tree (the old site is untouched)."""
        if not self.in_place:
            shutil.rmtree(self.root, ignore_errors=True)


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


def _remove_empty_folders(top: Path, folders: set[Path]) -> None:
    for folder in sorted(folders, key=lambda p: -len(p.parts)):
        while folder != top and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _entry(stat: os.stat_result, key: str, digest: str) -> Entry:
    return Entry(key, digest, stat.st_size, stat.st_mtime_ns)


def _same_file(a: str, b: str) -> bool:
    """Whether two paths are the same file (hard links of one another)."""
    try:
        return os.path.samestat(os.lstat(a), os.lstat(b))
    except OSError:
        return False


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data

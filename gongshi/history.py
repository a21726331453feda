"""Revision history from git: when each file last changed, and how each initiative's status and
progress moved from commit to commit.

Three processes read everything, whatever the number of commits: one `git log --raw` over the
content folder (which blob each commit gave each file), one `git cat-file --batch-check` (the
size of each distinct blob of an initiative record) and one `git cat-file --batch` (those blobs,
read one at a time, each parsed once). A past version is as untrusted as today's file: one larger
than a content file may be (`MAX_FILE_BYTES`) is never read, and the others go through the load
stage's reading, limits and schema; a version that fails them is left out of the history (its
commit still counts for "last changed"), never an error. The result is cached in `.cache/`
beside the content, keyed by the commit at HEAD; a cache that is not exactly what this module
writes is ignored and written again. Without git, or in a shallow clone, the site still builds
and says history is unavailable (with a hint for the shallow case).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

from gongshi import __version__
from gongshi.i18n import msg
from gongshi.incremental.verified import of
from gongshi.load.schema import schemas_digest, validator
from gongshi.load.source import MAX_FILE_BYTES, decode, parse_yaml

CACHE_VERSION = 2
Values = tuple[str, float | None]  # the status and progress of one version of a record


@dataclass(frozen=True)
class Revision:
    """One commit that changed an initiative's record."""

    date: dt.date
    commit: str
    status: str | None
    progress: float | None
    status_changed: bool
    progress_changed: bool


@dataclass(frozen=True)
class History:
    available: bool
    reason: str = ""  # why history is unavailable, for readers and for the build's warning
    hint: str = ""
    revisions: dict[str, tuple[Revision, ...]] = field(default_factory=dict)  # initiative id → oldest first
    changed: dict[str, dt.date] = field(default_factory=dict)  # content-relative path → last commit date

    def last_changed(self, path: str) -> dt.date | None:
        return self.changed.get(path)

    @property
    def newest(self) -> dt.date | None:
        return max(self.changed.values()) if self.changed else None


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)


def read_history(content_dir: Path) -> History:
    """The history of `content_dir`, from cache when HEAD has not moved."""
    try:
        head = _git(content_dir, "rev-parse", "HEAD")
    except FileNotFoundError:
        return History(
            False, msg("git is not installed"), msg("install git to show each initiative's revision history")
        )
    if head.returncode != 0:
        return History(
            False,
            msg("the content is not in a git repository"),
            msg("keep content/ in git (git init; git add content; git commit), or build with --no-history"),
        )
    if _git(content_dir, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true":
        return History(
            False,
            msg("the repository is a shallow clone"),
            msg("fetch the full history (git fetch --unshallow; in GitHub Actions: fetch-depth: 0)"),
        )
    commit = head.stdout.decode().strip()
    cache = content_dir.resolve().parent / ".cache" / "history.json"
    cached = _load_cache(cache, commit, content_dir)
    if cached is not None:
        return cached
    history = _read(content_dir)
    _save_cache(cache, commit, content_dir, history)
    return history


def _read(content_dir: Path) -> History:
    log = _git(
        content_dir, "log", "--format=%x1e%H %cI", "--raw", "--no-abbrev", "--no-renames", "--reverse", "--", "."
    )
    top = Path(_git(content_dir, "rev-parse", "--show-toplevel").stdout.decode().strip())
    prefix = content_dir.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    changed, record_blobs = _changes(log.stdout.decode("utf-8", "replace"), prefix)
    deleted = {blob for *_, blob in record_blobs if set(blob) == {"0"}}
    values = _blob_values({blob for *_, blob in record_blobs} - deleted, content_dir)
    revisions: dict[str, list[Revision]] = {}
    for ident, date, commit, blob in record_blobs:
        if blob not in values and blob not in deleted:
            continue  # a version that would not load today: not part of the history
        status, progress = values.get(blob, (None, None))
        previous = revisions.setdefault(ident, [])
        last = previous[-1] if previous else None
        previous.append(
            Revision(
                date,
                commit[:10],
                status,
                progress,
                status_changed=last is None or last.status != status,
                progress_changed=last is None or last.progress != progress,
            )
        )
    return History(True, revisions={k: tuple(v) for k, v in revisions.items()}, changed=changed)


def _changes(log: str, prefix: str) -> tuple[dict[str, dt.date], list[tuple[str, dt.date, str, str]]]:
    """From `git log --raw`: the date each file last changed, and every version of every record
    as (id, date, commit, blob)."""
    changed: dict[str, dt.date] = {}
    record_blobs: list[tuple[str, dt.date, str, str]] = []
    for chunk in log.split("\x1e")[1:]:
        lines = chunk.strip().split("\n")
        commit, stamp = lines[0].split(" ", 1)
        date = dt.datetime.fromisoformat(stamp).date()
        for line in lines[1:]:
            if not line.startswith(":"):
                continue
            meta, path = line.split("\t", 1)
            blob = meta.split()[3]
            rel = path.removeprefix(prefix)
            changed[rel] = date
            pure = PurePosixPath(rel)
            if pure.parent.as_posix() == "initiatives" and pure.suffix in (".yaml", ".yml"):
                record_blobs.append((pure.stem, date, commit, blob))
    return changed, record_blobs


def _blob_values(blobs: set[str], cwd: Path) -> dict[str, Values]:
    """Status and progress of every record version that would load today (`_record`)."""
    values: dict[str, Values] = {}
    for blob, data in _blobs(blobs, cwd):
        record = _record(data, blob)
        if record is not None:
            values[blob] = record
    return values


def _blobs(blobs: set[str], cwd: Path) -> Iterator[tuple[str, bytes]]:
    """The blobs no larger than a content file may be, streamed one at a time: their sizes first
    (`--batch-check`), so that a huge one in history is never read, not even once."""
    listing = "".join(f"{blob}\n" for blob in sorted(blobs)).encode()
    sizes = _git(cwd, "cat-file", "--batch-check", stdin=listing).stdout.decode("ascii", "replace").split("\n")
    wanted = [fields[0] for fields in map(str.split, sizes) if _small_blob(fields)]
    if not wanted:
        return
    with tempfile.TemporaryFile() as names:
        names.write("".join(f"{blob}\n" for blob in wanted).encode())
        names.seek(0)
        with subprocess.Popen(["git", "cat-file", "--batch"], cwd=cwd, stdin=names, stdout=subprocess.PIPE) as git:
            assert git.stdout is not None
            for blob in wanted:
                header = git.stdout.readline().split()
                if len(header) != 3 or header[0].decode() != blob:
                    break  # git went away or answered something else: what was read stays
                data = git.stdout.read(int(header[2]) + 1)[:-1]
                yield blob, data
            git.stdout.close()


def _small_blob(fields: list[str]) -> bool:
    """A line of `--batch-check` (`<blob> blob <size>`) for a blob that may be read."""
    return len(fields) == 3 and fields[1] == "blob" and fields[2].isdigit() and int(fields[2]) <= MAX_FILE_BYTES


def _record(data: bytes, blob: str) -> Values | None:
    """A past version of a record read like today's files (`load.source`: safe, size and depth
    limits; then the initiative schema), or None when it would not load today."""
    source, _problems = decode(data, f"git:{blob}")
    tree = parse_yaml(source)[0] if source is not None else None
    if tree is None or not validator("initiative").is_valid(tree.value):
        return None
    progress = tree.value.get("progress")
    if progress is not None and not math.isfinite(progress):
        return None  # .nan passes the schema's 0 to 100 (no comparison with NaN is true)
    return tree.value["status"], progress


def _cache_key(commit: str, content_dir: Path) -> str:
    return f"{CACHE_VERSION}:{__version__}:{schemas_digest()}:{commit}:{content_dir.resolve()}"


def _load_cache(path: Path, commit: str, content_dir: Path) -> History | None:
    """The cached history, or None when the file is absent, not this HEAD's, or anything but what
    `_save_cache` writes: a damaged cache is read again from git."""
    try:
        data = json.loads(path.read_text("utf-8"))
        if not isinstance(data, dict) or data.get("key") != _cache_key(commit, content_dir):
            return None
        revisions = {of(ident, str): tuple(map(_revision, items)) for ident, items in data["revisions"].items()}
        changed = {of(p, str): dt.date.fromisoformat(of(d, str)) for p, d in data["changed"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return History(True, revisions=revisions, changed=changed)


def _revision(data: dict[str, Any]) -> Revision:
    """A revision from the cache, refused (ValueError, TypeError) unless it is one `_read` can make."""
    if set(data) != {f.name for f in fields(Revision)}:
        raise ValueError(f"not the fields of a revision: {sorted(data)}")
    status, progress = data["status"], data["progress"]
    flags = (data["status_changed"], data["progress_changed"])
    if not (status is None or isinstance(status, str)) or not all(isinstance(f, bool) for f in flags):
        raise TypeError("status or flags")
    if progress is not None and (isinstance(progress, bool) or not 0 <= progress <= 100):
        raise ValueError(f"progress {progress!r}")  # a number of the schema's range, never NaN
    return Revision(dt.date.fromisoformat(of(data["date"], str)), of(data["commit"], str), status, progress, *flags)


def _save_cache(path: Path, commit: str, content_dir: Path, history: History) -> None:
    data = {
        "key": _cache_key(commit, content_dir),
        "revisions": {
            ident: [
                {
                    "date": r.date.isoformat(),
                    "commit": r.commit,
                    "status": r.status,
                    "progress": r.progress,
                    "status_changed": r.status_changed,
                    "progress_changed": r.progress_changed,
                }
                for r in items
            ]
            for ident, items in history.revisions.items()
        },
        "changed": {p: d.isoformat() for p, d in history.changed.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    except OSError:
        pass  # a read-only checkout builds without the cache

"""Revision history from git: when each file last changed, and how each initiative's status and
progress moved from commit to commit.

Two processes read everything, whatever the number of commits: one `git log --raw` over the
content folder (which blob each commit gave each file) and one `git cat-file --batch` (the
distinct blobs of initiative records, each parsed once). The result is cached in `.cache/` beside
the content, keyed by the commit at HEAD. Without git, or in a shallow clone, the site still
builds and says history is unavailable (with a hint for the shallow case).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gongshi import __version__
from gongshi.i18n import msg
from gongshi.load.source import decode, parse_yaml

CACHE_VERSION = 1


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
    values = _blob_values({blob for *_, blob in record_blobs if set(blob) != {"0"}}, content_dir)
    revisions: dict[str, list[Revision]] = {}
    for ident, date, commit, blob in record_blobs:
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


def _blob_values(blobs: set[str], cwd: Path) -> dict[str, tuple[str | None, int | None]]:
    """Status and progress of every record version, read through one `git cat-file --batch`."""
    if not blobs:
        return {}
    order = sorted(blobs)
    out = _git(cwd, "cat-file", "--batch", stdin=("\n".join(order) + "\n").encode()).stdout
    values: dict[str, tuple[str | None, int | None]] = {}
    pos = 0
    for blob in order:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        data = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
        record = _record(data, blob)
        if isinstance(record, dict):
            status = record.get("status") if isinstance(record.get("status"), str) else None
            progress = record.get("progress")
            numeric = isinstance(progress, int | float) and not isinstance(progress, bool)
            values[blob] = (status, progress if numeric else None)
    return values


def _record(data: bytes, blob: str) -> object:
    """A past version of a record, read like today's files (`load.source`: safe, size and depth limits);
    None when it was broken then: it simply has no values."""
    source, _problems = decode(data, f"git:{blob}")
    tree = parse_yaml(source)[0] if source is not None else None
    return tree.value if tree is not None else None


def _cache_key(commit: str, content_dir: Path) -> str:
    return f"{CACHE_VERSION}:{__version__}:{commit}:{content_dir.resolve()}"


def _load_cache(path: Path, commit: str, content_dir: Path) -> History | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != _cache_key(commit, content_dir):
        return None
    return History(
        True,
        revisions={
            ident: tuple(
                Revision(
                    dt.date.fromisoformat(r["date"]),
                    r["commit"],
                    r["status"],
                    r["progress"],
                    r["status_changed"],
                    r["progress_changed"],
                )
                for r in items
            )
            for ident, items in data["revisions"].items()
        },
        changed={p: dt.date.fromisoformat(d) for p, d in data["changed"].items()},
    )


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

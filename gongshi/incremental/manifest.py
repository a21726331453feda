"""Build cache: what the last build of an output folder was made from, so the next one redoes only what changed.

One JSON file per output folder in `.cache/` beside the content folder. Deleting it is always safe:
the next build is then a clean one. It records

- `inputs`, a digest of everything a build reads: gongshi's own code, data and built-in templates,
  the site's templates, every file of the content folder, the build options and the revision
  history. When it has not changed and the output folder is as gongshi left it, there is nothing
  to do.
- for every output file, the key of its inputs (`plan.Plan`) and the sha256, size and
  modification time of the file as written: an unchanged file is recognised without reading it,
  one whose time alone differs (restored from a CI cache) by its bytes, and a file changed
  behind gongshi's back is written again.
- per edition, the pages its main search bundle holds, all parts (`search`), with their
  input keys and Pagefind's ids for them.
- the warnings of that build, repeated when nothing changed.
- the content documents that passed their schema check (`valid`: by a digest of the schemas and
  the text, `Documents.key`): the next build does not check them again.

Every entry is verified, never trusted. JSON, not pickle: `.cache/` sits in a content repository,
and reading it must never run anything someone committed there; a value of the wrong type or
shape anywhere makes the whole file count as absent (`load`), and so does a warning whose
message is not one gongshi could have made. A `valid` entry counts only with its MAC: an HMAC of
gongshi's version and the document's key, under `.cache/cache-key` (random bytes, bound to that
file's device, inode and change time, which a copy, a checkout or a restore of `.cache/` does
not keep), so an entry written anywhere but by gongshi in this very folder lets nothing skip its
check. A `search` map is held against the fragments of the bundle it describes before a build
indexes from it (`recall`), and dropped when they differ: everything is then indexed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from gongshi import __version__
from gongshi.errors import Diagnostic
from gongshi.incremental.verified import folder_key, mac, of, pair, row, verified, warning, warning_json
from gongshi.model import LANGS, Lang
from gongshi.resources import PACKAGE, builtin_path

CACHE_VERSION = 2
FIELDS = {"version", "out", "inputs", "search", "warnings", "valid", "files"}


@dataclass(frozen=True)
class Entry:
    """One output file as the last build left it."""

    key: str  # digest of the inputs it was made from
    sha: str  # sha256 of its bytes
    size: int
    mtime_ns: int


@dataclass
class Manifest:
    out: str
    inputs: str = ""
    files: dict[str, Entry] = field(default_factory=dict)
    # edition → what its main search bundle holds: page path → (input key, Pagefind's id of the page)
    search: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    valid: list[str] = field(default_factory=list)  # content documents that passed their schema check


@dataclass(frozen=True)
class Recalled:
    """What a build knows of the last one into the same folder: its manifest, and which of its files are intact."""

    path: Path | None = None  # where the manifest is kept; None when the build cache is off
    inputs: str = ""  # the digest of this build's inputs
    manifest: Manifest | None = None
    intact: dict[str, Entry] = field(default_factory=dict)  # the manifest's files still as written

    @classmethod
    def nothing(cls) -> Recalled:
        """No build cache: everything is made afresh and nothing is remembered."""
        return cls()

    @property
    def changed(self) -> bool:
        """Whether anything must be done: inputs changed, or a file of the last build is gone or altered."""
        last = self.manifest
        return last is None or last.inputs != self.inputs or len(self.intact) != len(last.files)

    @property
    def keys(self) -> dict[str, str]:
        """The input key of every intact file: a file with the same key now is not made again."""
        return {path: entry.key for path, entry in self.intact.items()}

    @property
    def valid(self) -> list[str]:
        return self.manifest.valid if self.manifest else []

    def remember_times(self) -> None:
        """Same bytes, new times (a folder restored from a CI cache): keep the new times."""
        if self.path is not None and self.manifest is not None and self.intact != self.manifest.files:
            save(self.path, replace(self.manifest, files=self.intact))


def recall(path: Path, out: Path, inputs: str) -> Recalled:
    """The last build into `out`, from its manifest at `path` (none: a first build). When a build is
    to run, each edition's search map is kept only if its bundle's fragments say the same."""
    last = load(path, out)
    recalled = Recalled(path, inputs, last, intact(last, out) if last else {})
    if last is not None and recalled.changed:
        last.search = {lang: pages for lang, pages in last.search.items() if _indexed(out, recalled, lang, pages)}
    return recalled


def _indexed(out: Path, recalled: Recalled, lang: str, pages: Mapping[str, tuple[str, str]]) -> bool:
    """Whether the main bundle of `lang`, as it is in `out`, holds `pages` under their ids."""
    from gongshi import search  # imported here: search builds on this module

    edition = cast(Lang, lang)
    fragments = [p for p in recalled.intact if search.main_bundle(p, edition) and "/fragment/" in p]
    ids: dict[str, str] = {}
    try:
        for path in fragments:
            bundle = path[: path.index("fragment/")]
            ids.update(search.fragment_ids({path: (out / path).read_bytes()}, bundle, edition))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return ids == {page: ident for page, (_, ident) in pages.items() if ident}


def manifest_path(content: Path, out: Path) -> Path:
    """`.cache/build-<hash of the output folder>.json` beside the content folder."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return content.resolve().parent / ".cache" / f"build-{name}.json"


def load(path: Path, out: Path) -> Manifest | None:
    """The manifest of the last build into `out`, or None (absent, unreadable, other version, or
    anything in it not of the type and shape `save` writes)."""
    try:
        data = json.loads(path.read_text("utf-8"))
        if not isinstance(data, dict) or set(data) != FIELDS:
            return None
        if data["version"] != [CACHE_VERSION, __version__] or data["out"] != str(out.resolve()):
            return None
        search = {
            _edition(lang): {_output(p): pair(v) for p, v in of(pages, dict).items()}
            for lang, pages in of(data["search"], dict).items()
        }
        return Manifest(
            out=data["out"],
            inputs=of(data["inputs"], str),
            files={_output(p): Entry(*row(e, (str, str, int, int))) for p, e in of(data["files"], dict).items()},
            search=search,
            warnings=[warning(w) for w in of(data["warnings"], list)],
            valid=verified(of(data["valid"], dict), path.parent),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def _output(path: str) -> str:
    if not inside(path):  # the build removes files it no longer makes: never one outside the folder
        raise ValueError(f"not an output path: {path!r}")
    return path


def _edition(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"not an edition: {lang!r}")
    return lang


def save(path: Path, manifest: Manifest) -> None:
    """Write the manifest (to a temporary name, then renamed); a read-only checkout goes without."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = folder_key(path.parent, create=True)
        data = {
            "version": [CACHE_VERSION, __version__],
            "out": manifest.out,
            "inputs": manifest.inputs,
            "search": manifest.search,
            "warnings": [warning_json(w) for w in manifest.warnings],
            "valid": {valid: mac(key, valid) for valid in manifest.valid} if key else {},
            "files": {p: [e.key, e.sha, e.size, e.mtime_ns] for p, e in sorted(manifest.files.items())},
        }
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
        temporary.replace(path)
    except OSError:
        pass


def inside(rel: str) -> bool:
    """Whether an output path stays inside the output folder: relative, normalised, no `..`."""
    return (
        rel == posixpath.normpath(rel)
        and not rel.startswith(("/", "../"))
        and rel not in ("", ".", "..")
        and "\\" not in rel
    )


def intact(manifest: Manifest, out: Path) -> dict[str, Entry]:
    """The manifest's files still in `out` as written: same size and modification time, or, when
    only the time differs (a folder restored from a CI cache, copied, checked out), same bytes."""
    found = {}
    for path, entry in manifest.files.items():
        try:
            stat = os.stat(out / path)
            if stat.st_size != entry.size:
                continue
            if stat.st_mtime_ns != entry.mtime_ns:
                if sha((out / path).read_bytes()) != entry.sha:
                    continue
                entry = replace(entry, mtime_ns=stat.st_mtime_ns)
        except OSError:
            continue
        found[path] = entry
    return found


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_folders(folders: Iterable[Path], h: Any = None) -> str:
    """sha256 over every file (relative path and bytes) under `folders`, in a fixed order. A link
    counts by where it points, never followed: nothing outside the folders is read (the loader
    refuses links that leave them, and reads what the others point to as files of their own)."""
    h = h or hashlib.sha256()
    for folder in folders:
        h.update(f"\0folder\0{folder.name}\0".encode())
        for path, rel in _entries(folder):
            data = os.readlink(path).encode("utf-8", "surrogateescape") if os.path.islink(path) else _read(path)
            h.update(f"{rel}\0{len(data)}\0".encode())
            h.update(data)
    return str(h.hexdigest())


def _entries(folder: Path) -> list[tuple[str, str]]:
    """The files and links under `folder` (path, relative path), sorted; links to folders not entered."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        for name in [*files, *links]:
            path = os.path.join(root, name)
            found.append((path, Path(path).relative_to(folder).as_posix()))
    return sorted(found, key=lambda entry: entry[1])


def _read(path: str) -> bytes:
    """A plain file's bytes (a FIFO or device: nothing, never a wait or endless bytes)."""
    return Path(path).read_bytes() if os.path.isfile(path) else b""


def code_digest() -> str:
    """gongshi's code and data, built-in templates and schemas: a new version invalidates everything."""
    return digest_folders([PACKAGE, builtin_path("templates"), builtin_path("schema")])


def inputs_digest(content: Path, templates: Path, settings: Mapping[str, Any]) -> str:
    """Everything a build reads, as one digest: `settings` are the options and the revision history."""
    h = hashlib.sha256()
    h.update(json.dumps({"code": code_digest(), "settings": settings}, sort_keys=True, default=str).encode())
    return digest_folders([content, templates], h)

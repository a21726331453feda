"""Search index: Pagefind (extended build, which segments Chinese), one index per edition.

Only pages worth finding are indexed: initiatives and updates (their `data-pagefind-body`
element). They are written to a scratch folder and indexed by the Pagefind binary, and the index
files come back into the site's map of files, so writing and "unchanged" detection treat them
like every other file. (Pagefind's Python API was measured too: it spends about 0.2 s per page
in its service round trips, against 0.4 s for the binary on the whole sample site.)

The binary is Pagefind's extended build, pinned in package.json (npm `@pagefind/linux-x64`),
found through PAGEFIND_BINARY_PATH, then `node_modules/` in the working folder or beside
gongshi, then the PATH. Without it the site builds without search and says so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gongshi.model import Lang, edition_dir

BINARY = Path("node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
SEARCHABLE = re.compile(r"^(initiatives|updates)/[a-z0-9-]+/index\.html$")


def find_binary() -> Path | None:
    """The Pagefind extended binary, or None."""
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    for root in (Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parents[2]):
        if (root / BINARY).is_file():
            return root / BINARY
    found = shutil.which("pagefind_extended")
    return Path(found) if found else None


def searchable(path: str) -> bool:
    """Whether a page (path inside an edition) belongs in the search index."""
    return SEARCHABLE.match(path) is not None


def previous_index(files: dict[str, bytes], lang: Lang, out: Path) -> dict[str, bytes] | None:
    """The index of the last build, when no searchable page of this edition has changed since."""
    prefix = edition_dir(lang) + "/"
    index = out / prefix / "pagefind"
    if not (index / "pagefind-entry.json").is_file():
        return None
    pages = {p for p in files if p.startswith(prefix) and searchable(p[len(prefix):])}
    on_disk = {p.relative_to(out).as_posix() for p in (out / prefix).glob("*/*/index.html")}
    if pages != {p for p in on_disk if searchable(p[len(prefix):])}:
        return None
    if any((out / page).read_bytes() != files[page] for page in pages):
        return None
    return {f"{prefix}pagefind/{f.relative_to(index).as_posix()}": f.read_bytes()
            for f in sorted(index.rglob("*")) if f.is_file()}


def search_index(files: dict[str, bytes], editions: Iterable[Lang], binary: Path,
                 previous: Path | None = None) -> dict[str, bytes]:
    """Index every searchable page of every edition; returns the index files by output path.

    An edition none of whose searchable pages changed since the build in `previous` keeps that
    build's index: indexing is the largest single cost of a build.
    """
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="gongshi-pagefind-") as tmp:
        for lang in editions:
            reused = previous_index(files, lang, previous) if previous is not None else None
            if reused is not None:
                out.update(reused)
                continue
            prefix = edition_dir(lang) + "/"
            pages, index = Path(tmp, "pages", prefix), Path(tmp, "index", prefix)
            for path in sorted(p for p in files if p.startswith(prefix) and searchable(p[len(prefix):])):
                target = pages / path[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(files[path])
            if not pages.is_dir():
                continue
            done = subprocess.run([str(binary), "--site", str(pages), "--output-path", str(index)],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"Pagefind failed on the {lang} edition:\n{done.stdout}{done.stderr}")
            for file in sorted(index.rglob("*")):
                if file.is_file():
                    out[f"{prefix}pagefind/{file.relative_to(index).as_posix()}"] = file.read_bytes()
    return out

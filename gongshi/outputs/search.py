"""Search index: Pagefind (extended build, which segments Chinese), one index per edition.

Only pages worth finding are indexed: initiatives and updates (their `data-pagefind-body`
element), of both editions in one run, into one bundle at `pagefind/` with an index per
language. The pages are written to a scratch folder and indexed by the Pagefind binary, and the
index files come back into the site's map of files, so writing and "unchanged" detection treat
them like every other file. (Pagefind's Python API was measured too: it spends about 0.2 s per page
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


def _pages(files: dict[str, bytes], editions: Iterable[Lang]) -> list[str]:
    prefixes = tuple(edition_dir(lang) + "/" for lang in editions)
    return sorted(p for p in files if p.startswith(prefixes) and searchable(p.split("/", 1)[1]))


def previous_index(files: dict[str, bytes], editions: Iterable[Lang], out: Path) -> dict[str, bytes] | None:
    """The index of the last build in `out`, when no searchable page has changed since."""
    editions = tuple(editions)
    index = out / "pagefind"
    if not (index / "pagefind-entry.json").is_file():
        return None
    pages = _pages(files, editions)
    on_disk = [p.relative_to(out).as_posix() for lang in editions
               for p in (out / edition_dir(lang)).glob("*/*/index.html")]
    if set(pages) != {p for p in on_disk if searchable(p.split("/", 1)[1])}:
        return None
    if any((out / page).read_bytes() != files[page] for page in pages):
        return None
    return {f"pagefind/{f.relative_to(index).as_posix()}": f.read_bytes() for f in sorted(index.rglob("*"))
            if f.is_file()}


def search_index(files: dict[str, bytes], editions: Iterable[Lang], binary: Path,
                 previous: Path | None = None) -> dict[str, bytes]:
    """Index the searchable pages of every edition; returns the files of `pagefind/` by output path.

    One Pagefind run over both editions writes one bundle with an index per language: the search
    page of each edition loads it and Pagefind picks the index by the page's `<html lang>`. When
    no searchable page changed since the build in `previous`, that build's index is kept:
    indexing is the largest single cost of a build.
    """
    editions = tuple(editions)
    reused = previous_index(files, editions, previous) if previous is not None else None
    if reused is not None:
        return reused
    pages = _pages(files, editions)
    if not pages:
        return {}
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="gongshi-pagefind-") as tmp:
        site, index = Path(tmp, "pages"), Path(tmp, "index")
        for path in pages:
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(index)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"Pagefind failed:\n{done.stdout}{done.stderr}")
        for file in sorted(index.rglob("*")):
            if file.is_file():
                out[f"pagefind/{file.relative_to(index).as_posix()}"] = file.read_bytes()
    return out

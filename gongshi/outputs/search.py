"""Search index: Pagefind (extended build, which segments Chinese), one bundle per edition.

Only pages worth finding are indexed: initiatives and updates (their `data-pagefind-body`
element, without the lists of other pages' titles marked `data-pagefind-ignore`). Each edition
gets its own bundle at `<edition>/pagefind/`, so a reader downloads only their edition's index,
and the editions are indexed by two Pagefind processes at once: Pagefind uses little more than
one core, and this halves the largest cost of a cold build. An edition whose searchable pages did
not change keeps its previous bundle (the build passes it in as `keep`).

The pages are written to a scratch folder and indexed by the Pagefind binary; the index files
come back into the site's map of files, so writing and "unchanged" detection treat them like
every other file. (Pagefind's Python API was measured too: it spends about 0.2 s per page in its
service round trips, against 0.4 s for the binary on the whole sample site.)

The binary is Pagefind's extended build, pinned in package.json (npm `@pagefind/linux-x64`),
found through PAGEFIND_BINARY_PATH, then `node_modules/` in the working folder or beside
gongshi, then the PATH. Without it the site builds without search and says so.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gongshi.model import Lang, edition_dir

BINARY = Path("node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
SEARCHABLE = re.compile(r"^(initiatives|updates)/[a-z0-9-]+/index\.html$")
BUNDLE = "pagefind"  # inside each edition's folder


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


def pages(paths: Iterable[str], lang: Lang) -> list[str]:
    """The searchable pages of one edition among `paths` (output paths from the site root)."""
    prefix = edition_dir(lang) + "/"
    return sorted(p for p in paths if p.startswith(prefix) and searchable(p[len(prefix):]))


def bundle_path(lang: Lang) -> str:
    return f"{edition_dir(lang)}/{BUNDLE}/"


def digest(keys: Mapping[str, str], lang: Lang) -> str:
    """What one edition's index depends on: its searchable pages and their input keys."""
    h = hashlib.sha256()
    for path in pages(keys, lang):
        h.update(f"{path}\0{keys[path]}\n".encode())
    return h.hexdigest()


def search_index(paths: Iterable[str], read: Callable[[str], bytes], editions: Iterable[Lang], binary: Path,
                 keep: Mapping[Lang, bool] | None = None) -> dict[str, bytes]:
    """Index the searchable pages of every edition not in `keep`; the files of their bundles by output path.

    `read(path)` gives a page's bytes. Editions are indexed in parallel, one Pagefind process each.
    """
    paths = sorted(paths)
    todo = [lang for lang in editions if not (keep or {}).get(lang)]
    jobs = [(lang, {p: read(p) for p in pages(paths, lang)}) for lang in todo]
    with ThreadPoolExecutor(max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
        parts = list(pool.map(lambda job: _index(job[0], job[1], binary), jobs))
    out: dict[str, bytes] = {}
    for part in parts:
        out.update(part)
    return out


def _index(lang: Lang, files: dict[str, bytes], binary: Path) -> dict[str, bytes]:
    """One edition's bundle: its pages written to a scratch folder, indexed by one Pagefind run."""
    if not files:
        return {}
    root = edition_dir(lang)
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="gongshi-pagefind-") as tmp:
        site, index = Path(tmp, "pages"), Path(tmp, "index")
        for path, data in files.items():
            target = site / path[len(root) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(index)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"Pagefind failed:\n{done.stdout}{done.stderr}")
        for file in sorted(index.rglob("*")):
            if file.is_file():
                out[bundle_path(lang) + file.relative_to(index).as_posix()] = file.read_bytes()
    return out

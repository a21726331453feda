"""Search index: Pagefind (extended build, which segments Chinese), one index per edition.

Only pages worth finding are indexed: initiatives and updates (their `data-pagefind-body`
element, without the lists of other pages' titles marked `data-pagefind-ignore`). Each edition
gets its own main bundle, so a reader downloads only their edition's index, and the editions are
indexed by two Pagefind processes at once (`Indexing` runs `index_edition` for each in a thread,
from the moment that edition is rendered): Pagefind uses little more than one core.

Pagefind's memory follows the text of one run, about 32 times the pages' HTML (measured here on
update pages of 13.5 KB: 500 pages 220 MiB in 1.4 s, 1,000 pages 430 MiB in 3.0 s; 5.4 GiB for
20,000), so the main bundle is made in parts of at most `PART_BYTES` of HTML (the sorted pages,
chunked in order, `split`), indexed one after the other: `<edition>/pagefind/` (part 1, with
Pagefind's script and WebAssembly that the search page loads), then `<edition>/pagefind-2/`,
`pagefind-3/`, …: under 300 MiB a run, two runs at once (one per edition), whatever the size of the
site. An edition of up to `PART_BYTES` of searchable pages has only the first. The price is paid
by readers of a large site: the search page asks each part for the words searched.

Pagefind cannot update an index, and its time grows with the text indexed (about 3 µs per
character here, mostly Chinese word segmentation). So a rebuild does not index everything again
for one edited page: the pages changed since the main bundle was made are indexed on their own
into `<edition>/pagefind-delta/`. `delta.json` there lists the parts after the first (`parts`,
relative to itself), whether there is a delta to merge (`merge`), and the ids of the old versions
of its pages in the main bundle (`superseded`, from any part). The search page merges the parts
and the delta into the first part's index (Pagefind's `mergeIndex`) and hides the superseded
results. When the delta would hold more than a tenth of the pages, every part of the main bundle
is made again instead and the delta is empty.

The pages are written to a scratch folder (`scratch`) and indexed by the Pagefind binary; the index files
come back into the site's map of files, so writing and "unchanged" detection treat them like
every other file. (Pagefind's Python API was measured too: it spends about 0.2 s per page in its
service round trips, against 0.4 s for the binary on the whole sample site.)

The binary is Pagefind's extended build, pinned in package.json (npm `@pagefind/linux-x64`),
found through PAGEFIND_BINARY_PATH, then gongshi's own `node_modules/` (`find_binary`), then the
PATH. Without it the site builds without search and says so.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gongshi.incremental.manifest import Recalled, sha
from gongshi.incremental.plan import Rendered
from gongshi.model import Lang, edition_dir
from gongshi.processes import dying_with_parent
from gongshi.scratch import clean_scratch, scratch_folder
from gongshi.stash import Lazy, Stash

BINARY = Path("node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
SEARCHABLE = re.compile(r"^(initiatives|updates)/[a-z0-9-]+/index\.html$")
BUNDLE = "pagefind"  # inside each edition's folder: the main bundle's first part; the others add -2, -3, …
PART_BYTES = 8 << 20  # HTML per part of the main bundle, each indexed by its own run (under 300 MiB of memory)
DELTA = "pagefind-delta"  # pages changed since the main bundle was made, and which of its pages they replace
DELTA_SHARE, DELTA_MIN = 0.1, 50  # a delta holds at most 10 % of the pages (or 50); beyond, all are indexed again


def find_binary() -> Path | None:
    """The Pagefind extended binary, or None: PAGEFIND_BINARY_PATH, else the `node_modules/` of
    gongshi's own project (beside the package, where `npm ci` of scripts/setup puts it), else the PATH.

    Never the working folder's `node_modules/` nor its parents': a build started anywhere below a
    folder others can write to (/tmp) would run the binary they planted there, and the working
    folder is often the site's repository, whose files a pull request controls. Not even when the
    working folder is gongshi's project: that folder is already looked in. The variable and the
    PATH are the user's own choice.
    """
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    own = Path(__file__).resolve().parents[1] / BINARY
    if own.is_file():
        return own
    found = shutil.which("pagefind_extended")
    return Path(found) if found else None


def searchable(path: str) -> bool:
    """Whether a page (path inside an edition) belongs in the search index."""
    return SEARCHABLE.match(path) is not None


def pages(paths: Iterable[str], lang: Lang) -> list[str]:
    """The searchable pages of one edition among `paths` (output paths from the site root)."""
    prefix = edition_dir(lang) + "/"
    return sorted(p for p in paths if p.startswith(prefix) and searchable(p[len(prefix) :]))


def _part_folder(number: int) -> str:
    return BUNDLE if number == 1 else f"{BUNDLE}-{number}"


def part_path(lang: Lang, number: int) -> str:
    """Where part `number` (from 1) of an edition's main bundle goes: `<edition>/pagefind/`, `…/pagefind-2/`, …"""
    return f"{edition_dir(lang)}/{_part_folder(number)}/"


def main_bundle(path: str, lang: Lang) -> bool:
    """Whether an output path is a file of the edition's main bundle, in any part (the delta is not)."""
    return re.match(rf"{re.escape(edition_dir(lang))}/{BUNDLE}(-[0-9]+)?/", path) is not None


def delta_path(lang: Lang) -> str:
    return f"{edition_dir(lang)}/{DELTA}/"


@dataclass(frozen=True)
class Indexed:
    """One edition's search files after a build.

    `base` is what the main bundle holds, all parts: page path → (input key, Pagefind's id for the
    page, or "" when Pagefind left it out), in `parts` parts (`split`).
    `files` are the bundle files made by this build; with `keep_base` the main bundle of the last
    build stays as it is and only the delta was made.
    """

    base: dict[str, tuple[str, str]]
    files: dict[str, bytes]
    keep_base: bool


@dataclass(frozen=True)
class Index:
    """The search files of every edition (`files`), and what each edition's main bundle holds (`pages`)."""

    files: Rendered
    pages: dict[str, dict[str, tuple[str, str]]]


class Indexing:
    """The index stage, as a handle: each edition's search files are made in a thread from the moment
    `start` is given that edition's pages, while the build goes on (the other edition renders, the
    pages are written); `wait` collects them. Without a Pagefind binary, nothing is made.

    `last` is the last build into `out`: its main bundle is kept, with a delta of the pages
    changed since, unless one of its files is no longer intact.
    """

    def __init__(self, out: Path, binary: Path | None, last: Recalled | None) -> None:
        self.out, self.binary, self.last = out, binary, last
        self.pool = ThreadPoolExecutor(2)
        self.futures: dict[Lang, Future[Indexed]] = {}

    def __enter__(self) -> Indexing:
        clean_scratch()  # what builds killed while indexing left
        return self

    def __exit__(self, *_exc: object) -> None:
        self.pool.shutdown()

    def start(self, part: Rendered) -> None:
        """Index the edition just rendered (`part`; the site root's part has no edition and no search)."""
        lang = part.lang
        if self.binary is None or lang is None:
            return

        files = part.files

        def read(path: str) -> bytes:
            return files[path] if path in files else (self.out / path).read_bytes()

        def weigh(path: str) -> int:
            if path not in files:
                return os.path.getsize(self.out / path)
            return files.size(path) if isinstance(files, Stash) else len(files[path])

        keys = {p: part.keys[p] for p in pages(part.keys, lang)}
        base, parts = self._base(lang)
        self.futures[lang] = self.pool.submit(index_edition, lang, keys, (read, weigh), self.binary, base, parts)

    def _base(self, lang: Lang) -> tuple[dict[str, tuple[str, str]] | None, int]:
        """What the last build's main bundle of `lang` holds, when all its files are still intact, and
        in how many parts."""
        if self.last is None or self.last.manifest is None:
            return None, 0
        intact, made = self.last.intact, self.last.manifest
        if any(main_bundle(p, lang) and p not in intact for p in made.files):
            return None, 0
        folders = {p.split("/", 2)[1] for p in made.files if main_bundle(p, lang)}
        return made.search.get(lang), len(folders)

    def wait(self) -> Index:
        """Every edition's search files, once Pagefind is done: new files, and the main bundle kept as it was."""
        made = Rendered({}, {}, set())
        found: dict[str, dict[str, tuple[str, str]]] = {}
        for lang in sorted(self.futures):  # in the same order, whichever edition was rendered first
            indexed = self.futures[lang].result()
            found[lang] = indexed.base
            if indexed.keep_base and self.last is not None:
                bundle = [p for p in self.last.intact if main_bundle(p, lang)]
                made.reused.update(bundle)
                made.keys.update({p: self.last.intact[p].key for p in bundle})
            made.files.update(indexed.files)
            made.keys.update({p: sha(data) for p, data in indexed.files.items()})
        return Index(made, found)


def index_edition(
    lang: Lang,
    keys: Mapping[str, str],
    pages_of: tuple[Callable[[str], bytes], Callable[[str], int]],
    binary: Path,
    base: Mapping[str, tuple[str, str]] | None = None,
    base_parts: int = 1,
) -> Indexed:
    """The search files of one edition, whose searchable pages have the input `keys`; `pages_of`
    reads a page and tells its size.

    `base` is what the last build's main bundle holds, in `base_parts` parts (None or empty: there
    is none, or it is damaged).
    Few pages changed since: only they are indexed, into the delta bundle (`_delta`). Many changed,
    or the delta cannot be told apart from the main bundle: everything is indexed again into a new
    main bundle (and the delta is empty).
    """
    pages, (read, weigh) = sorted(keys), pages_of
    if base:
        changed = [p for p in pages if p not in base or base[p][0] != keys[p]]
        if len(set(base) - set(pages)) + len(changed) <= max(DELTA_MIN, len(pages) * DELTA_SHARE):
            delta = _delta(lang, keys, read, binary, (base, base_parts), changed)
            if delta is not None:
                return delta
    files: dict[str, bytes] = {}
    ids: dict[str, str] = {}
    parts = split(pages, weigh)
    for number, chunk in enumerate(parts, 1):  # one Pagefind process at a time
        part = _index(lang, Lazy(chunk, read), binary, part_path(lang, number))
        ids.update(fragment_ids(part, part_path(lang, number), lang))
        files.update(part)
    files[delta_path(lang) + "delta.json"] = _delta_json(len(parts), False, [])
    return Indexed({p: (keys[p], ids.get(p, "")) for p in pages}, files, keep_base=False)


def split(pages: Sequence[str], weigh: Callable[[str], int], budget: int | None = None) -> list[list[str]]:
    """`pages` in order, cut into parts of at most `budget` bytes (`PART_BYTES`; a larger page alone)."""
    budget = PART_BYTES if budget is None else budget
    parts: list[list[str]] = []
    total = 0
    for page in pages:
        size = weigh(page)
        if not parts or (total + size > budget and parts[-1]):
            parts.append([])
            total = 0
        parts[-1].append(page)
        total += size
    return parts


def _delta(
    lang: Lang,
    keys: Mapping[str, str],
    read: Callable[[str], bytes],
    binary: Path,
    last: tuple[Mapping[str, tuple[str, str]], int],
    changed: list[str],
) -> Indexed | None:
    """The delta bundle of the `changed` pages, and in `delta.json` the ids of what they and the pages
    gone replace in the main bundle, for the search page to hide.

    The search page hides results by id alone, whichever bundle they come from, so no page it shows
    may have a hidden id. Pagefind's id is a short hash of what it indexed (7 hex digits, made longer
    only to tell apart two pages of one run): a page whose indexed text did not change (only what
    the index leaves out did) gets its old id back. Such pages stay in the main bundle, under their
    new key, and the delta is made again without them. Any other shared id is a chance collision of
    two pages: None, and the caller indexes everything again.
    """
    base, parts = dict(last[0]), last[1]
    while True:
        files = _index(lang, Lazy(changed, read), binary, delta_path(lang))
        ids = fragment_ids(files, delta_path(lang), lang)
        same = {p for p in changed if p in base and ids.get(p, "") == base[p][1]}
        if not same:
            break
        base.update({p: (keys[p], base[p][1]) for p in same})
        changed = [p for p in changed if p not in same]
    replaced = set(base) - (set(keys) - set(changed))  # changed or gone
    superseded = {base[p][1] for p in replaced} - {""}
    shown = {i for p, (_, i) in base.items() if p not in replaced} | set(ids.values())
    if superseded & shown:
        return None
    files[delta_path(lang) + "delta.json"] = _delta_json(parts, bool(changed), sorted(superseded))
    return Indexed(base, files, keep_base=True)


def _delta_json(parts: int, merge: bool, superseded: list[str]) -> bytes:
    """`delta.json` for a main bundle in `parts` parts."""
    folders = [f"../{_part_folder(n)}/" for n in range(2, parts + 1)]
    info = {"parts": folders, "merge": merge, "superseded": superseded}
    return (json.dumps(info, separators=(",", ":")) + "\n").encode()


def fragment_ids(files: Mapping[str, bytes], bundle: str, lang: Lang) -> dict[str, str]:
    """Page path → Pagefind's id for it, read from the fragments of the bundle at `bundle` just made.

    A fragment file is gzip of `pagefind_dcd` and the JSON of one page (its id is the file name),
    or, when Pagefind groups fragments, of an object of id → page.
    """
    prefix = bundle + "fragment/"
    found: dict[str, str] = {}
    for path, data in files.items():
        if not path.startswith(prefix):
            continue
        document = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
        group = {path[len(prefix) :].rsplit(".", 1)[0]: document} if "url" in document else document
        for ident, fragment in group.items():
            url = fragment["url"].strip("/")
            found[f"{edition_dir(lang)}/{url}/index.html" if url else f"{edition_dir(lang)}/index.html"] = ident
    return found


def _index(lang: Lang, files: Mapping[str, bytes], binary: Path, bundle: str) -> dict[str, bytes]:
    """A bundle of `files` (pages of one edition, read one at a time) at `bundle`, by one Pagefind run on a
    scratch folder."""
    if not files:
        return {}
    root = edition_dir(lang)
    out: dict[str, bytes] = {}
    with scratch_folder(sum(map(len, files.values()))) as tmp:
        site, index = tmp / "pages", tmp / "index"
        for path, data in files.items():
            target = site / path[len(root) + 1 :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        command = dying_with_parent([str(binary), "--site", str(site), "--output-path", str(index)])
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"Pagefind failed:\n{done.stdout}{done.stderr}")
        for file in sorted(index.rglob("*")):
            if file.is_file():
                out[bundle + file.relative_to(index).as_posix()] = file.read_bytes()
    return out

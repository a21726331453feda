"""The pipeline: load → validate → convert → render → write, each stage timed.

`check_site` runs the first stages and writes nothing; `build_site` runs them all. The output is
rendered completely in memory before anything is written, so a build that fails on content
leaves the previous `site/` exactly as it was. The build cache (`cache`, `plan`) lets a rebuild
render only the files whose inputs changed and write only the files whose bytes changed, each
replaced through a temporary name; without it (first build) the site is written into a fresh
folder swapped in with one rename. Either way unchanged files keep their inode and timestamp, so
rsync and CDN caches only see real changes. Writing overlaps the search indexing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar, cast

from gongshi import render, search, stats
from gongshi.convert import Converter
from gongshi.errors import ContentError, Diagnostic, Severity, UsageError
from gongshi.history import History, read_history
from gongshi.incremental import manifest as cache
from gongshi.incremental.plan import Rendered
from gongshi.load import RECORD_SUFFIXES, load_content
from gongshi.load.validate import editorial_warnings, validate_content
from gongshi.model import Content, Date, Lang
from gongshi.review import Finding, load_reviewed, review_content


@dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    out: Path = Path("site")
    base_url: str | None = None
    as_of: Date | None = None
    templates: Path | None = None  # default: `templates/` beside the content folder
    strict: bool = False
    review: bool = False  # also build the conversion review page, site/_review/
    search: bool = True  # build the search index (tests that do not look at search turn it off)
    history: bool = True  # read revision history from git
    cache: bool = True  # remember what was built in .cache/ beside the content, and redo only what changed
    progress: Callable[[str], None] | None = field(default=None, compare=False)  # told each stage as it starts
    read: Callable[[Path], bytes] = field(default=Path.read_bytes, compare=False)  # reads a content file

    @property
    def template_dir(self) -> Path:
        return self.templates or self.content.resolve().parent / "templates"


@dataclass
class Result:
    """What a build did, for the summary line and for tests."""

    files: dict[str, bytes] = field(default_factory=dict)  # made by this build
    reused: set[str] = field(default_factory=set)  # unchanged since the last build: kept, not made again
    keys: dict[str, str] = field(default_factory=dict)  # the input key of every output file
    search: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # edition → its main index's pages
    valid: set[str] = field(default_factory=set)  # content documents that passed their schema check
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # per stage; writing overlaps indexing for search
    elapsed: float | None = None  # the whole build, when it was timed as a whole

    @property
    def seconds(self) -> float:
        return self.elapsed if self.elapsed is not None else sum(self.timings.values())

    @property
    def paths(self) -> set[str]:
        return set(self.files) | self.reused

    @property
    def pages(self) -> int:
        return sum(1 for path in self.paths if path.endswith(".html"))

    def summary(self) -> str:
        return (
            f"built {self.pages} pages, {len(self.paths)} files: {self.written} written, "
            f"{self.unchanged} unchanged, {self.removed} removed in {self.seconds:.2f} s"
        )


T = TypeVar("T")
REVIEW_PAGE = "_review/index.html"


class _Timer:
    def __init__(self, timings: dict[str, float], progress: Callable[[str], None] | None = None) -> None:
        self.timings = timings
        self.progress = progress

    def run(self, name: str, fn: Callable[[], T]) -> T:
        if self.progress is not None:
            self.progress(name)
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def check_site(
    options: Options, editorial: bool = False, known_valid: frozenset[str] = frozenset()
) -> tuple[Content, Converter, Result]:
    """Load and validate everything; raise ContentError listing every problem.

    `editorial` adds the warnings meant for editors (glossary entries that change nothing, the
    lint of Traditional sources): `check` reports them; a build stays quiet about them.
    """
    if not options.content.is_dir():
        raise UsageError(f"content folder '{options.content}' does not exist")
    result = Result()
    timer = _Timer(result.timings, options.progress)
    loaded = timer.run("load", lambda: load_content(options.content, known_valid, options.read))
    result.valid = loaded.valid
    diags = loaded.diagnostics + timer.run("validate", lambda: validate_content(loaded))
    content = loaded.content
    converter = None
    if content is not None:
        config = content.config
        if options.base_url is not None:
            config = replace(config, base_url=options.base_url)
        if options.as_of is not None:
            config = replace(config, as_of=options.as_of)
        content = replace(content, config=config)
        converter = Converter(tuple((e.hans, e.hant) for e in content.glossary), config.conversion)
        if editorial:
            diags += editorial_warnings(loaded, content, converter)
    errors = [d for d in diags if d.is_error or options.strict]
    if errors or content is None or converter is None:
        raise ContentError(diags)
    result.warnings = diags
    return content, converter, result


def render_files(
    options: Options,
    previous: cache.Manifest | None = None,
    history: History | None = None,
    meanwhile: Callable[[Result], None] | None = None,
) -> Result:
    """Check, then render every output file in memory (`result.files`); nothing is written.

    With `previous`, the manifest of the last build into `options.out` (files still intact there),
    files whose inputs did not change are not made again but listed in `result.reused`.
    `meanwhile(result)` is called with the rendered pages while Pagefind indexes them (the build
    writes them then), or after rendering when there is no search index to make.
    """
    content, converter, result = check_site(options, known_valid=frozenset(previous.valid) if previous else frozenset())
    timer = _Timer(result.timings, options.progress)
    as_of = stats.report_date(content)
    static = render.static_files(options.template_dir)
    if history is None:
        history = timer.run("history", lambda: _history(options))
    if history.hint:
        result.warnings.append(
            Diagnostic(
                str(options.content),
                1,
                1,
                f"revision history unavailable: {history.reason}",
                history.hint,
                severity=Severity.WARNING,
            )
        )
    templates = options.template_dir
    keys = {path: entry.key for path, entry in previous.files.items()} if previous else {}
    base = code_and_templates(options)
    binary = search.find_binary() if options.search else None
    if binary is None and options.search:
        result.warnings.append(
            Diagnostic(
                str(options.content),
                1,
                1,
                "search index not built: the Pagefind binary was not found",
                "run `bash scripts/setup` (installs it with npm), or set PAGEFIND_BINARY_PATH",
                severity=Severity.WARNING,
            )
        )
    with _Indexing(options.out, binary, previous) as indexing:
        rendered = timer.run(
            "render",
            lambda: render.render_site(
                content, converter, templates, as_of, static, history, base, keys, indexing.start
            ),
        )
        result.files, result.keys, result.reused = rendered.files, rendered.keys, rendered.reused
        if meanwhile is not None:
            meanwhile(result)
        timer.run("search", lambda: indexing.finish(result))
    if options.review:
        findings = timer.run("review", lambda: pending_findings(options.content, content, converter))
        result.files[REVIEW_PAGE] = render.render_review(render.make_env(options.template_dir), content, findings)
        result.keys[REVIEW_PAGE] = cache.sha(result.files[REVIEW_PAGE])
    return result


RECORD_FOLDERS = {"initiatives": RECORD_SUFFIXES, "updates": (".md",)}  # a record's file: folder → suffixes
EDITED_RECORDS = 8  # `build_edited` handles saves of up to this many records; beyond, a full build is as quick


def edited_files(options: Options, changed: Iterable[Path]) -> list[str] | None:
    """The saved files as paths inside the content folder, when they are a few records' files (`build_edited`)."""
    root = options.content.resolve()
    named = []
    for path in changed:
        resolved = path.resolve()
        parts = resolved.relative_to(root).parts if resolved.is_relative_to(root) else ()
        suffixes = RECORD_FOLDERS.get(parts[0]) if len(parts) == 2 else None
        if suffixes is None or not parts[1].endswith(suffixes) or parts[1].startswith(".") or not path.is_file():
            return None
        named.append("/".join(parts))
    if not named or len(named) > EDITED_RECORDS or not (options.out / "index.html").is_file():
        return None
    return sorted(set(named))


def build_edited(
    options: Options, named: Iterable[str], history: History, known_valid: frozenset[str] = frozenset()
) -> Result:
    """Write at once the pages of the records whose files were just saved (`serve`, before a full build).

    `named` are the files (`edited_files`). Only the edited initiatives' and updates' own pages,
    and the pages of the initiatives an edited update reports on, are made, from the whole
    content checked as usual; lists, feeds, open data and search follow in the full build.
    """
    start = time.perf_counter()
    content, converter, result = check_site(options, known_valid=known_valid)
    initiatives = {i.id for i in content.initiatives}
    updates = {u.slug: u for u in content.updates}
    ids: set[str] = set()
    slugs: set[str] = set()
    for rel in named:
        folder, _, name = rel.partition("/")
        stem = name.split(".", 1)[0]
        if folder == "initiatives" and stem in initiatives:
            ids.add(stem)
        elif folder == "updates" and stem in updates:
            slugs.add(stem)
            ids.update(initiatives.intersection(updates[stem].initiatives))
    base = code_and_templates(options)
    result.files = _Timer(result.timings).run(
        "render",
        lambda: render.render_pages(
            content,
            converter,
            options.template_dir,
            stats.report_date(content),
            render.static_files(options.template_dir),
            history,
            base,
            render.record_pages(content, ids, slugs),
        ),
    )
    for rel, data in sorted(result.files.items()):
        _check_path(rel)
        (options.out / rel).parent.mkdir(parents=True, exist_ok=True)  # a new record's folder
        _replace(options.out / rel, data)
    result.written = len(result.files)
    result.elapsed = time.perf_counter() - start
    return result


def code_and_templates(options: Options) -> str:
    """The digest of what every output file depends on beyond the content: gongshi's code, the templates."""
    return cache.code_digest() + cache.digest_folders([options.template_dir])


def prepare(options: Options, known_valid: frozenset[str] = frozenset()) -> None:
    """Read the content and compile the templates once, so that `build_edited` redoes only what a save changed."""
    with contextlib.suppress(ContentError):  # the build before said so
        check_site(options, known_valid=known_valid)
    env = render.make_env(options.template_dir, code_and_templates(options))
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)


def _history(options: Options) -> History:
    return read_history(options.content) if options.history else History(False, "reading history was turned off")


class _Indexing:
    """Each edition's search files (`search.index_edition`: a delta of the changed pages, or a new main
    bundle), made in a thread from the moment the edition is rendered: Pagefind runs while the other
    edition renders and while the pages are written. Without a Pagefind binary, nothing."""

    def __init__(self, out: Path, binary: Path | None, previous: cache.Manifest | None) -> None:
        self.out, self.binary, self.previous = out, binary, previous
        self.pool = ThreadPoolExecutor(2)
        self.futures: dict[Lang, Future[search.Indexed]] = {}

    def __enter__(self) -> _Indexing:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.pool.shutdown()

    def start(self, lang: Lang, part: Rendered) -> None:
        if self.binary is None:
            return

        def read(path: str) -> bytes:
            return part.files[path] if path in part.files else (self.out / path).read_bytes()

        keys = {p: part.keys[p] for p in search.pages(part.keys, lang)}
        base = self.previous.search.get(lang) if self.previous else None
        self.futures[lang] = self.pool.submit(search.index_edition, lang, keys, read, self.binary, base)

    def finish(self, result: Result) -> None:
        """Wait for every edition's index and add its files to `result`."""
        for lang in sorted(self.futures):  # in the same order, whichever edition was rendered first
            indexed = self.futures[lang].result()
            result.search[lang] = indexed.base
            if indexed.keep_base and self.previous is not None:
                bundle = [p for p in self.previous.files if search.main_bundle(p, lang)]
                result.reused.update(bundle)
                result.keys.update({p: self.previous.files[p].key for p in bundle})
            result.files.update(indexed.files)
            result.keys.update({p: cache.sha(data) for p, data in indexed.files.items()})


def pending_findings(content_dir: Path, content: Content, converter: Converter) -> list[Finding]:
    """Review findings not confirmed before."""
    reviewed = load_reviewed(content_dir)
    return [f for f in review_content(content, converter) if f.key not in reviewed]


def build_site(options: Options) -> Result:
    """Build the whole site into `options.out`, redoing only what changed since the last build.

    The build cache (`cache`) remembers what the last build into the same folder was made from.
    Nothing changed at all: nothing is done. Otherwise only the files whose inputs changed are
    made again, and only files whose bytes changed are written.
    """
    _check_out(options.out)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    timer = _Timer(timings, options.progress)
    manifest_file = cache.manifest_path(options.content, options.out) if options.cache else None
    previous = cache.load(manifest_file, options.out) if manifest_file else None
    history = timer.run("history", lambda: _history(options))
    inputs = ""
    intact: dict[str, cache.Entry] = {}
    if manifest_file is not None:
        inputs = timer.run("cache", lambda: _inputs(options, history))
        if previous is not None:
            intact = cache.intact(previous, options.out)
            if previous.inputs == inputs and len(intact) == len(previous.files):
                if intact != previous.files:  # same bytes, new times (restored from a CI cache): remember them
                    cache.save(manifest_file, replace(previous, files=intact))
                return Result(
                    reused=set(intact),
                    keys={p: e.key for p, e in intact.items()},
                    search=previous.search,
                    valid=set(previous.valid),
                    unchanged=len(intact),
                    warnings=previous.warnings,
                    timings=timings,
                    elapsed=time.perf_counter() - start,
                )
    broken = set(previous.files) - set(intact) if previous else set()
    usable = previous and replace(
        previous,
        files=intact,
        search={  # an index with a file gone is rebuilt
            lang: pages
            for lang, pages in previous.search.items()
            if not any(search.main_bundle(p, cast(Lang, lang)) for p in broken)
        },
    )
    writers: list[Writer] = []  # made once everything rendered: a build failing on content touches nothing

    def write(result: Result) -> None:
        writers.append(Writer(options.out, previous, intact))
        _Timer(result.timings, options.progress).run("write", lambda: writers[0].write(result, result.paths))

    result = render_files(options, usable or None, history, meanwhile=write)
    result.timings = {**timings, **result.timings}
    writer = writers[0] if writers else Writer(options.out, previous, intact)
    _Timer(result.timings).run("write", lambda: writer.write(result, result.paths - set(writer.entries)))
    entries = writer.finish(result)
    result.elapsed = time.perf_counter() - start
    if manifest_file is not None:
        cache.save(
            manifest_file,
            cache.Manifest(
                str(options.out.resolve()), inputs, entries, result.search, result.warnings, sorted(result.valid)
            ),
        )
    return result


def _inputs(options: Options, history: History) -> str:
    """The digest of everything this build reads (`cache.inputs_digest`)."""
    settings = {
        "base_url": options.base_url,
        "as_of": repr(options.as_of),
        "strict": options.strict,
        "review": options.review,
        "search": options.search and str(search.find_binary()),
        "history": repr(history),
    }
    return cache.inputs_digest(options.content, options.template_dir, settings)


class Writer:
    """Writes a build into `out`, in parts (pages while the search index is made, then the index).

    With the last build's manifest (`previous`, and `intact`, its files still as written) only
    files whose bytes changed are written, each to a temporary name renamed over the old file,
    and `finish` removes the files no longer built: the work follows the size of the change, and
    nothing old is read but a file changed since the last build (by `serve`'s first step, or by
    hand). Otherwise (first build, or cache deleted) the site is written into a new folder that
    `finish` swaps in with one rename; unchanged files are hard-linked from the old
    one. Either way everything was rendered before the first byte is written, so a build that
    fails on content leaves `out` untouched.
    """

    def __init__(self, out: Path, previous: cache.Manifest | None, intact: Mapping[str, cache.Entry]) -> None:
        _check_out(out)
        self.out = out.absolute()
        self.previous = previous
        self.intact = intact
        self.in_place = previous is not None and out.is_dir()
        self.entries: dict[str, cache.Entry] = {}
        self.root = self.out
        self.old: set[str] = set()
        self.folders: set[str] = set()  # made (or found) by this writer
        if not self.in_place:
            self.root = self.out.with_name(f".{self.out.name}.new")
            for leftover in (self.root, self.out.with_name(f".{self.out.name}.old")):
                if leftover.exists():
                    shutil.rmtree(leftover)
            self.root.mkdir(parents=True)
            if self.out.exists():
                self.old = {p.relative_to(self.out).as_posix() for p in self.out.rglob("*") if p.is_file()}

    def write(self, result: Result, paths: Iterable[str]) -> None:
        for rel in sorted(paths):
            _check_path(rel)
            key = result.keys.get(rel, "")
            data = None if rel in result.reused else result.files[rel]
            digest = None if data is None else cache.sha(data)
            if self.in_place and rel in self.intact and (data is None or self.intact[rel].sha == digest):
                self.entries[rel] = replace(self.intact[rel], key=key)
                result.unchanged += 1
                continue
            if data is None:
                data = (self.out / rel).read_bytes()  # reused, to be linked into the new folder
                digest = cache.sha(data)
            assert digest is not None
            target = os.path.join(self.root, rel)
            folder = os.path.dirname(target)
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            if not self.in_place and rel in self.old and _same(Path(self.out, rel), data):
                os.link(os.path.join(self.out, rel), target)
                result.unchanged += 1
                self.entries[rel] = _entry(os.stat(target), key, digest)
                continue
            if self.in_place and rel not in self.intact and _same(Path(target), data):  # written meanwhile (`serve`)
                result.unchanged += 1
                self.entries[rel] = _entry(os.stat(target), key, digest)
                continue
            result.written += 1
            self.entries[rel] = _entry(_replace(target, data) if self.in_place else _create(target, data), key, digest)

    def finish(self, result: Result) -> dict[str, cache.Entry]:
        """Remove what is no longer built (in place), or swap the new folder in."""
        if self.in_place:
            assert self.previous is not None
            gone = sorted(set(self.previous.files) - result.paths)
            for rel in gone:
                (self.out / rel).unlink(missing_ok=True)
            for folder in sorted({(self.out / rel).parent for rel in gone}, key=lambda p: -len(p.parts)):
                while folder != self.out and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
            result.removed = len(gone)
            return self.entries
        result.removed = len(self.old - result.paths)
        backup = self.out.with_name(f".{self.out.name}.old")
        if self.out.exists():
            self.out.rename(backup)
        self.root.rename(self.out)
        if backup.exists():
            shutil.rmtree(backup)
        return self.entries


def _create(target: str, data: bytes) -> os.stat_result:
    """Write a new file (its folder exists); its status, for the build cache."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _replace(target: str | Path, data: bytes) -> os.stat_result:
    """Write through a temporary name renamed over `target` (its folder exists): a reader sees the old
    file or the new one."""
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.gongshi-new")
    made = _create(temporary, data)
    os.replace(temporary, target)
    return made


def _entry(stat: os.stat_result, key: str, digest: str) -> cache.Entry:
    return cache.Entry(key, digest, stat.st_size, stat.st_mtime_ns)


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def _check_path(rel: str) -> None:
    """Refuse an output path that would leave the output folder (defence in depth: paths come from ids)."""
    if not cache.inside(rel):
        raise RuntimeError(f"output path {rel!r} leaves the output folder")


def _check_out(out: Path) -> None:
    """Never replace a folder that is not a gongshi site: it might hold someone's work."""
    resolved = out.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise UsageError(f"refusing to write the site into {out}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not ((out / "index.html").is_file() and (out / "static").is_dir()):
        raise UsageError(
            f"--out {out} is not empty and does not look like a gongshi site; choose an empty or new folder"
        )

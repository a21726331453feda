"""The build, as it runs: load → check → render → index → write → save, each stage named and timed.

`Build.run` is the whole of it; read it first. `Build.check` runs the first two stages and
writes nothing (the `check` command, pull requests); `Build.render` stops before writing (tests
look at the files in memory). Everything is checked before anything is rendered, and rendered
before anything is written, so a build that fails on content leaves the previous site as it was.
Search indexing overlaps the rest: `render` hands each edition to Pagefind as soon as it is
rendered, and `index` is waited on only after the pages are written. Only what changed since
the last build is made again (`incremental`), and nothing at all when nothing changed.
"""

from __future__ import annotations

import contextlib
import time
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from gongshi import outdir, render, search
from gongshi import stash as stash_files
from gongshi.convert import Converter
from gongshi.errors import ContentError, Diagnostic, Severity, UsageError
from gongshi.history import History, read_history
from gongshi.i18n import Text, msg
from gongshi.incremental import manifest
from gongshi.incremental.manifest import Recalled
from gongshi.incremental.plan import Rendered
from gongshi.load import load_content
from gongshi.load.validate import editorial_warnings, validate_content
from gongshi.model import Content, Date
from gongshi.review import Finding, pending_findings
from gongshi.write import Writer


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
    waiting: Callable[[Text], None] | None = field(default=None, compare=False)  # told when another build holds `out`
    read: Callable[[Path], bytes] = field(default=Path.read_bytes, compare=False)  # reads a content file
    once: bool = False  # the process builds once (the command line): loading remembers nothing for a next load

    @property
    def template_dir(self) -> Path:
        return self.templates or self.content.resolve().parent / "templates"


@dataclass
class Result:
    """What a build did, for the summary line and for tests."""

    files: ChainMap[str, bytes] = field(default_factory=ChainMap)  # made by this build (each part's, chained)
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

    def summary(self, verb: str = "built") -> Text:
        """`built 412 pages, …`; `verb` says how (`showed`: serve's pages of one edit)."""
        count = len(self.warnings)
        warnings = msg(", {count} warnings", count=count) if count > 1 else msg(", 1 warning") if count else ""
        figures: dict[str, object] = {"pages": self.pages, "files": len(self.paths), "written": self.written}
        figures |= {"unchanged": self.unchanged, "removed": self.removed, "warnings": warnings}
        figures["seconds"] = self.seconds
        if verb == "showed":
            return msg(
                "showed {pages} pages, {files} files: {written} written, {unchanged} unchanged, "
                "{removed} removed{warnings} in {seconds:.2f} s",
                **figures,
            )
        return msg(
            "built {pages} pages, {files} files: {written} written, {unchanged} unchanged, "
            "{removed} removed{warnings} in {seconds:.2f} s",
            **figures,
        )

    def take(self, rendered: Rendered) -> None:
        self.files.maps.append(rendered.files)  # not copied: they may be on disk (`stash`)
        self.keys.update(rendered.keys)
        self.reused |= rendered.reused


@dataclass(frozen=True)
class Checked:
    """Content that passed every check, with the converter made from its glossary."""

    content: Content
    converter: Converter
    warnings: tuple[Diagnostic, ...]


class Build:
    """One run of the pipeline with `options`; its `result` fills as the stages run."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.result = Result()

    def run(self) -> Result:
        """Build the whole site into `options.out`, making again only what changed since the last build."""
        started = time.perf_counter()
        out = self.options.out
        outdir.check_out(out)
        history = self.history()
        cache = manifest.manifest_path(self.options.content, out) if self.options.cache else None
        seen = outdir.stamp(cache, outdir.target(out) / outdir.MARKER)
        last = self.recall(history)
        if self.unchanged(last):
            outdir.remove_stash(out, self.options.waiting)  # one a killed build left
            return self.replay(last, started)
        checked = self.check(frozenset(last.valid))
        self.note_history(history)
        with outdir.Lock(outdir.target(out), self.options.waiting):
            if outdir.stamp(cache, outdir.target(out) / outdir.MARKER) != seen:  # another build wrote meanwhile
                with self.stage("cache"):
                    last = manifest.recall(last.path, out, last.inputs) if last.path else last
            if self.unchanged(last):
                return self.replay(last, started)
            with outdir.stash(out) as stash, search.Indexing(out, self.binary(), last) as indexing:
                self.render(checked, history, last.keys, indexing, stash)
                self.write_all(checked, last, indexing)
            stash_files.written_to(self.result.files, outdir.target(out))  # the stash is gone: read the site
        self.result.elapsed = time.perf_counter() - started
        return self.result

    def unchanged(self, last: Recalled) -> bool:
        """Nothing to do: the inputs are those of the last build, and its site is as it left it."""
        return not last.changed and outdir.written_files(outdir.target(self.options.out)) is not None

    def write_all(self, checked: Checked, last: Recalled, indexing: search.Indexing) -> None:
        """Write the site (pages while Pagefind runs, then the index) and swap it in; a disk that is
        full or read-only leaves the old site and nothing else (`outdir.write_failed`, exit 1)."""
        writer = None
        try:
            # made once everything is rendered: a build that fails before touches nothing
            writer = Writer(self.options.out, last.manifest, last.intact, checked.content.config.keep)
            self.write(writer)
            index = self.index(indexing)
            self.save(writer, index, last)
        except OSError as error:
            if writer is not None:
                writer.abandon()
            raise outdir.write_failed(self.options.out, error) from error

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage (added to `result.timings`), telling `options.progress` as it starts."""
        if self.options.progress is not None:
            self.options.progress(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.result.timings[name] = self.result.timings.get(name, 0.0) + time.perf_counter() - started

    def history(self) -> History:
        """Revision history from git, when wanted."""
        if not self.options.history:
            return History(False, msg("reading history was turned off"))
        with self.stage("history"):
            return read_history(self.options.content)

    def recall(self, history: History) -> Recalled:
        """What the last build into the same folder was made from (`incremental.manifest`)."""
        if not self.options.cache:
            return Recalled.nothing()
        with self.stage("cache"):
            path = manifest.manifest_path(self.options.content, self.options.out)
            return manifest.recall(path, self.options.out, self.inputs(history))

    def replay(self, last: Recalled, started: float) -> Result:
        """Nothing changed since the last build: its files stay, its warnings are said again."""
        assert last.manifest is not None
        last.remember_times()
        result = self.result
        result.reused, result.keys = set(last.intact), {p: e.key for p, e in last.intact.items()}
        result.search, result.valid = last.manifest.search, set(last.manifest.valid)
        result.unchanged, result.warnings = len(last.intact), last.manifest.warnings
        result.elapsed = time.perf_counter() - started
        return result

    def check(self, known_valid: frozenset[str] = frozenset(), editorial: bool = False) -> Checked:
        """Load and check everything; ContentError lists every problem found.

        `editorial` adds the warnings meant for editors (glossary entries that change nothing, the
        lint of Traditional sources): the `check` command reports them; a build stays quiet.
        """
        if not self.options.content.is_dir():
            raise UsageError(msg("content folder '{folder}' does not exist", folder=self.options.content))
        with self.stage("load"):
            loaded = load_content(self.options.content, known_valid, self.options.read, not self.options.once)
        self.result.valid = loaded.valid
        with self.stage("check"):
            diags = loaded.diagnostics + validate_content(loaded)
            content = self.configured(loaded.content) if loaded.content else None
            converter = Converter.for_content(content) if content else None
            if editorial and content is not None and converter is not None:
                diags += editorial_warnings(loaded, content, converter)
        if content is None or converter is None or any(d.is_error or self.options.strict for d in diags):
            raise ContentError(diags)
        self.result.warnings = diags
        return Checked(content, converter, tuple(diags))

    def configured(self, content: Content) -> Content:
        """The content with the options that override `site.yaml` (`--base-url`, `--as-of`)."""
        config = content.config
        if self.options.base_url is not None:
            config = replace(config, base_url=self.options.base_url)
        if self.options.as_of is not None:
            config = replace(config, as_of=self.options.as_of)
        return replace(content, config=config)

    def note_history(self, history: History) -> None:
        if history.hint:
            self.warn(msg("revision history unavailable: {reason}", reason=history.reason), history.hint)

    def render(
        self,
        checked: Checked,
        history: History,
        previous: Mapping[str, str],
        indexing: search.Indexing,
        stash: Path | None = None,
    ) -> None:
        """Every output file into `result`, but those whose key is in `previous` (the last build's keys
        of files still intact); each edition is handed to `indexing` as soon as it is rendered. With
        `stash`, the files made are kept on disk there until written."""
        findings = self.review(checked)
        site = render.Site.of(checked.content, checked.converter, history, self.options.template_dir, findings)
        with self.stage("render"):
            for part in render.render_site(site, previous, stash):
                indexing.start(part)
                self.result.take(part)

    def review(self, checked: Checked) -> tuple[Finding, ...] | None:
        """The conversion choices editors have not confirmed yet, for the review page (`--review`)."""
        if not self.options.review:
            return None
        with self.stage("review"):
            return tuple(pending_findings(self.options.content, checked.content, checked.converter))

    def binary(self) -> Path | None:
        """Pagefind, when the search index is wanted; a warning when it is wanted and missing."""
        binary = search.find_binary() if self.options.search else None
        if binary is None and self.options.search:
            self.warn(
                msg("search index not built: the Pagefind binary was not found"),
                msg("run `bash scripts/setup` (installs it with npm), or set PAGEFIND_BINARY_PATH"),
            )
        return binary

    def index(self, indexing: search.Indexing) -> Rendered:
        """Wait for every edition's search index; its files join the result."""
        with self.stage("index"):
            index = indexing.wait()
        self.result.take(index.files)
        self.result.search = index.pages
        return index.files

    def write(self, writer: Writer) -> None:
        """Write the rendered files (`write`)."""
        with self.stage("write"):
            writer.write(Rendered(self.result.files, self.result.keys, self.result.reused), self.result.paths)

    def save(self, writer: Writer, index: Rendered, last: Recalled) -> None:
        """Write the search index, remove what is no longer built, and remember what this build made."""
        with self.stage("save"):
            writer.write(index, set(index.files) | index.reused)
            entries = writer.finish(self.result.paths)
            result = self.result
            result.written, result.unchanged, result.removed = writer.written, writer.unchanged, writer.removed
            if last.path is not None:
                made = manifest.Manifest(
                    str(self.options.out.resolve()),
                    last.inputs,
                    entries,
                    result.search,
                    result.warnings,
                    sorted(result.valid),
                )
                manifest.save(last.path, made)

    def inputs(self, history: History) -> str:
        """The digest of everything this build reads (`manifest.inputs_digest`)."""
        settings = {
            "base_url": self.options.base_url,
            "as_of": repr(self.options.as_of),
            "strict": self.options.strict,
            "review": self.options.review,
            "search": self.options.search and str(search.find_binary()),
            "history": repr(history),
        }
        return manifest.inputs_digest(self.options.content, self.options.template_dir, settings)

    def warn(self, message: str, hint: str) -> None:
        self.result.warnings.append(
            Diagnostic(str(self.options.content), 1, 1, message, hint, severity=Severity.WARNING)
        )


def build_site(options: Options) -> Result:
    """Build the whole site into `options.out` (`Build.run`)."""
    return Build(options).run()


def render_files(options: Options) -> Result:
    """Check, then render every output file, search index included, in memory (`result.files`); nothing is written."""
    build = Build(options)
    history = build.history()
    checked = build.check()
    with search.Indexing(options.out, build.binary(), None) as indexing:
        build.note_history(history)
        build.render(checked, history, {}, indexing)
        build.index(indexing)
    return build.result


def check_site(options: Options, editorial: bool = False) -> Checked:
    """Load and check everything (`Build.check`); ContentError lists every problem."""
    return Build(options).check(editorial=editorial)

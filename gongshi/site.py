"""The pipeline: load → validate → convert → render → write, each stage timed.

`check_site` runs the first stages and writes nothing; `build_site` runs them all. The output is
rendered completely in memory before anything is written, then written into a fresh folder that
replaces the old one in a final rename, so a failed or interrupted build leaves the previous
`site/` exactly as it was. Files whose bytes did not change keep their inode and timestamp (they
are hard-linked from the previous build), so rsync and CDN caches only see real changes.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from gongshi import render, stats
from gongshi.content import load_content
from gongshi.convert import Converter
from gongshi.errors import ContentError, Diagnostic, Severity, UsageError
from gongshi.history import History, read_history
from gongshi.model import Content, Date
from gongshi.outputs import search
from gongshi.review import Finding, load_reviewed, review_content
from gongshi.validate import editorial_warnings, validate_content


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
    progress: Callable[[str], None] | None = field(default=None, compare=False)  # told each stage as it starts

    @property
    def template_dir(self) -> Path:
        return self.templates or self.content.resolve().parent / "templates"


@dataclass
class Result:
    """What a build did, for the summary line and for tests."""

    files: dict[str, bytes] = field(default_factory=dict)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))

    def summary(self) -> str:
        return (f"built {self.pages} pages, {len(self.files)} files: {self.written} written, "
                f"{self.unchanged} unchanged, {self.removed} removed in {self.seconds:.2f} s")


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


def check_site(options: Options, editorial: bool = False) -> tuple[Content, Converter, Result]:
    """Load and validate everything; raise ContentError listing every problem.

    `editorial` adds the warnings meant for editors (glossary entries that change nothing, the
    lint of Traditional sources): `check` reports them; a build stays quiet about them.
    """
    if not options.content.is_dir():
        raise UsageError(f"content folder '{options.content}' does not exist")
    result = Result()
    timer = _Timer(result.timings, options.progress)
    loaded = timer.run("load", lambda: load_content(options.content))
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


def render_files(options: Options) -> Result:
    """Check, then render every output file in memory (`result.files`); nothing is written."""
    content, converter, result = check_site(options)
    timer = _Timer(result.timings, options.progress)
    as_of = stats.report_date(content)
    static = render.static_files(options.template_dir)
    history = timer.run("history", lambda: read_history(options.content)) if options.history else \
        History(False, "reading history was turned off")
    if history.hint:
        result.warnings.append(Diagnostic(str(options.content), 1, 1, f"revision history unavailable: {history.reason}",
                                          history.hint, severity=Severity.WARNING))
    templates = options.template_dir
    result.files = timer.run(
        "render", lambda: render.render_site(content, converter, templates, as_of, static, history))
    binary = search.find_binary() if options.search else None
    if binary is None and options.search:
        result.warnings.append(Diagnostic(
            str(options.content), 1, 1, "search index not built: the Pagefind binary was not found",
            "run `bash scripts/setup` (installs it with npm), or set PAGEFIND_BINARY_PATH", severity=Severity.WARNING))
    elif binary is not None:
        editions = content.config.editions
        result.files.update(timer.run("search", lambda: search.search_index(result.files, editions, binary,
                                                                           previous=options.out)))
    if options.review:
        findings = timer.run("review", lambda: pending_findings(options.content, content, converter))
        result.files[REVIEW_PAGE] = render.render_review(render.make_env(options.template_dir), content, findings)
    return result


def pending_findings(content_dir: Path, content: Content, converter: Converter) -> list[Finding]:
    """Review findings not confirmed before."""
    reviewed = load_reviewed(content_dir)
    return [f for f in review_content(content, converter) if f.key not in reviewed]


def build_site(options: Options) -> Result:
    """Build the whole site into `options.out`."""
    result = render_files(options)
    _Timer(result.timings, options.progress).run("write", lambda: write_site(result.files, options.out, result))
    return result


def write_site(files: dict[str, bytes], out: Path, result: Result) -> None:
    """Write `files` as the new content of `out`, replacing it in one rename at the end."""
    _check_out(out)
    out = out.absolute()
    staging = out.with_name(f".{out.name}.new")
    backup = out.with_name(f".{out.name}.old")
    for leftover in (staging, backup):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    old = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} if out.exists() else set()
    for rel, data in sorted(files.items()):
        target = staging / rel
        _inside(staging, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = out / rel
        if rel in old and previous.stat().st_size == len(data) and previous.read_bytes() == data:
            os.link(previous, target)
            result.unchanged += 1
        else:
            target.write_bytes(data)
            result.written += 1
    result.removed = len(old - set(files))
    if out.exists():
        out.rename(backup)
    staging.rename(out)
    if backup.exists():
        shutil.rmtree(backup)


def _inside(root: Path, target: Path) -> None:
    """Refuse an output path that would leave the output folder (defence in depth)."""
    if not target.resolve().is_relative_to(root.resolve()):
        raise RuntimeError(f"output path {target} leaves {root}")


def _check_out(out: Path) -> None:
    """Never replace a folder that is not a gongshi site: it might hold someone's work."""
    resolved = out.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise UsageError(f"refusing to write the site into {out}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not ((out / "index.html").is_file() and (out / "static").is_dir()):
        raise UsageError(f"--out {out} is not empty and does not look like a gongshi site; "
                         "choose an empty or new folder")

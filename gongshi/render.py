"""Render stage: every output file of the site, in memory, as `{path: bytes}` per edition.

`render_site` runs the outputs (`outputs.EDITION_OUTPUTS`) for each edition, converting its
texts on the way (`edition.Edition`), then the outputs of the site root (`outputs.SITE_OUTPUTS`),
and yields each part as soon as it is made: the pipeline starts indexing an edition for search
while the other one renders. Large sites render their editions in parallel, one process each.
Given a stash folder (`stash.Stash`), each file goes to disk as it is made, so memory does not
grow with the site; without one (tests, `serve`'s first pages) files stay in memory.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from gongshi import page, stats
from gongshi.convert import Converter
from gongshi.edition import Edition
from gongshi.history import History
from gongshi.incremental.manifest import code_digest, digest_folders
from gongshi.incremental.plan import Plan, Records, Rendered, digest
from gongshi.model import Content, Lang, edition_dir
from gongshi.outputs import EDITION_OUTPUTS, SITE_OUTPUTS, pages
from gongshi.processes import die_with_parent
from gongshi.review import Finding
from gongshi.stash import Stash

PARALLEL_FROM = 400  # records; below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Site:
    """What rendering reads: the checked content with its converter and history, and the templates."""

    content: Content
    converter: Converter
    history: History
    templates: Path | None  # the site's own templates, overriding the built-in ones
    base: str  # digest of what every file depends on beyond the content: gongshi's code, the templates
    static: dict[str, bytes]  # the assets, `static/...` → bytes
    findings: tuple[Finding, ...] | None = None  # for the review page, when it is built

    @classmethod
    def of(
        cls,
        content: Content,
        converter: Converter,
        history: History,
        templates: Path | None,
        findings: tuple[Finding, ...] | None = None,
    ) -> Site:
        return cls(
            content, converter, history, templates, base_digest(templates), page.static_files(templates), findings
        )

    def edition(self, lang: Lang) -> Edition:
        return Edition(lang, self.content, self.converter, stats.report_date(self.content), self.history)

    def view(self, lang: Lang) -> page.View:
        env = page.make_env(self.templates, self.base)
        return page.View(self.edition(lang), env, page.versions(self.static))


def base_digest(templates: Path | None) -> str:
    """The digest of gongshi's code and the site's templates: what every output file depends on."""
    return code_digest() + digest_folders([templates] if templates else [])


@dataclass(frozen=True)
class _Job:
    """One edition to render, in this process or a worker."""

    site: Site
    lang: Lang
    key: str  # what every file's key starts from
    records: Records
    previous: dict[str, str]  # the edition's files of the last build still intact: path → key
    stash: Path | None  # where made files go (None: memory)


def render_site(site: Site, previous: Mapping[str, str], stash: Path | None = None) -> Iterator[Rendered]:
    """Every output file of the site: each edition's part as soon as it is made, then the site root's.

    Files whose key is in `previous` (the last build's keys of files still intact) are not made
    again but listed as reused. With `stash`, made files go to disk there (`stash.Stash`). Editions
    render in parallel for large sites (forked workers, so the modules are already loaded); the
    files are the same either way.
    """
    content, history = site.content, site.history
    key = digest(
        site.base,
        repr(content.config),
        repr(content.glossary),
        stats.report_date(content).isoformat(),
        repr(sorted(page.versions(site.static).items())),
        repr(history.available),
        history.reason,
    )
    records = Records.of(content, history)
    langs = content.config.editions
    jobs = [_Job(site, lang, key, records, _within(previous, edition_dir(lang)), stash) for lang in langs]
    paths: list[str] = []
    for part in _editions(jobs):
        paths += part.keys
        yield part
    yield _root(site, key, previous, records, tuple(sorted(paths)), stash)


def _within(keys: Mapping[str, str], folder: str) -> dict[str, str]:
    return {path: key for path, key in keys.items() if path.startswith(folder + "/")}


def _editions(jobs: list[_Job]) -> Iterable[Rendered]:
    """Each edition rendered, in the order they finish (in parallel for large sites)."""
    workers = min(len(jobs), os.cpu_count() or 1)
    content = jobs[0].site.content if jobs else None
    if workers < 2 or content is None or len(content.initiatives) + len(content.updates) < PARALLEL_FROM:
        yield from map(_render_edition, jobs)
        return
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    # The forked workers share the loaded content with this process until they write to its pages:
    # frozen, the garbage collector does not touch every object (and so copy every page) in each.
    gc.freeze()
    try:
        # workers end with the build, even one killed with -9 (`processes.die_with_parent`)
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            for future in as_completed([pool.submit(_render_edition, job) for job in jobs]):
                yield future.result()
    finally:
        gc.unfreeze()


def _render_edition(job: _Job) -> Rendered:
    """Every file of one edition (runs in a worker for large sites)."""
    files = Stash(job.stash) if job.stash else None
    plan = Plan(digest(job.key, job.lang), job.previous, job.records, files=files)
    view = job.site.view(job.lang)
    for output in EDITION_OUTPUTS:
        output(view, plan)
    return Rendered(plan.files, plan.keys, plan.reused, job.lang)


def _root(
    site: Site, key: str, previous: Mapping[str, str], records: Records, paths: tuple[str, ...], stash: Path | None
) -> Rendered:
    """The files of the site root: the assets, and the outputs of `SITE_OUTPUTS`."""
    langs = site.content.config.editions
    versions = page.versions(site.static)
    files = Stash(stash) if stash else {}
    files.update(site.static)
    plan = Plan(key, previous, records, files=files)
    source = site.content.config.source_lang
    view = page.SiteView(
        root=site.view(langs[0]),
        source=site.view(source if source in langs else langs[0]),
        editions=tuple(site.edition(lang) for lang in langs),
        paths=paths,
        findings=site.findings,
    )
    for output in SITE_OUTPUTS:
        output(view, plan)
    return Rendered(plan.files, {path: digest(path, sha) for path, sha in versions.items()} | plan.keys, plan.reused)


def render_pages(site: Site, paths: frozenset[str]) -> dict[str, bytes]:
    """Just the pages `paths` (from the site root), as `render_site` makes them: `serve` shows an edit first."""
    files: dict[str, bytes] = {}
    for lang in site.content.config.editions:
        if any(path.startswith(edition_dir(lang) + "/") for path in paths):
            plan = Plan.just(paths)
            pages.make(site.view(lang), plan)
            files.update(plan.files)
    return files


def record_pages(content: Content, initiatives: Iterable[str], updates: Iterable[str]) -> frozenset[str]:
    """The pages of the initiatives and updates named, in every edition."""
    folders = [("initiatives", ident) for ident in initiatives] + [("updates", slug) for slug in updates]
    return frozenset(
        f"{edition_dir(lang)}/{folder}/{name}/index.html"
        for lang in content.config.editions
        for folder, name in folders
    )

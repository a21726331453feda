"""Render stage: the content of one edition into pages, as a map of output path to bytes.

Nothing here touches the disk except the template loader: `render_site` returns the files as
`{path: bytes}` and `site.Writer` writes them, so tests can look at pages without a folder and
a failed build writes nothing. Links between pages are relative (`../../updates/x/index.html`),
so the site works from any subfolder and straight from disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import heapq
import itertools
import multiprocessing
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from gongshi import stats
from gongshi.convert import Converter
from gongshi.edition import Edition
from gongshi.history import History, Revision
from gongshi.incremental.plan import Plan, Records, Rendered, digest
from gongshi.model import Content, Initiative, Lang, edition_dir
from gongshi.outputs import data, feeds, share, sitemap
from gongshi.resources import builtin_path
from gongshi.review import Finding, group_findings
from gongshi.vocabulary import SCHEDULE_DEFINITIONS, SCHEDULE_LABELS, STATUS_DEFINITIONS, STATUS_LABELS

GROUP_FIELDS = (
    ("departments", "department", "责任单位"),
    ("categories", "category", "类别"),
    ("regions", "region", "地区"),
)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"
)
# Pagefind runs WebAssembly and a worker on the search page only.
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'") + "; worker-src 'self'"


@functools.lru_cache(maxsize=8)
def make_env(site_templates: Path | None = None, version: str = "") -> Environment:
    """The Jinja environment: a site's own templates first, then gongshi's built-in ones.

    One per template folder, `version` (a digest of the templates) and process: compiling the
    templates costs more than rendering the pages of a small rebuild. A new digest gives a new
    environment, so that a template added to the site's folder overrides a built-in one at once.
    """
    builtin = builtin_path("templates")
    loaders = []
    if site_templates is not None and site_templates.is_dir() and site_templates.resolve() != builtin.resolve():
        loaders.append(FileSystemLoader(site_templates))
    loaders.append(FileSystemLoader(builtin))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def static_files(site_templates: Path | None = None) -> dict[str, bytes]:
    """`static/` of the built-in templates, overlaid with the site's own `static/`."""
    out: dict[str, bytes] = {}
    roots = [builtin_path("templates", "static")]
    if site_templates is not None and (site_templates / "static").is_dir():
        roots.append(site_templates / "static")
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out["static/" + path.relative_to(root).as_posix()] = path.read_bytes()
    return out


PARALLEL_FROM = 400  # records; below this, starting worker processes costs more than it saves


def render_site(
    content: Content,
    converter: Converter,
    templates: Path | None,
    as_of: dt.date,
    static: dict[str, bytes],
    history: History | None = None,
    base: str = "",
    previous: Mapping[str, str] | None = None,
    rendered: Callable[[Lang, Rendered], None] | None = None,
) -> Rendered:
    """Every output file of the site: both editions with their feeds and data, chooser, 404, assets.

    `base` digests what every file depends on beyond the content (gongshi's code, the templates);
    files whose key is in `previous` are not made again. Large sites render their editions in
    parallel, one process per edition (forked, so the modules are already loaded); the result is
    the same in the same order. `rendered(lang, files)` is told of each edition as soon as it is
    done (the build starts its search index while the other edition renders).
    """
    versions = _versions(static)
    history = history or History(False, "no history was read")
    previous = previous or {}
    langs = content.config.editions
    keys = digest(
        base,
        repr(content.config),
        repr(content.glossary),
        as_of.isoformat(),
        repr(sorted(versions.items())),
        repr(history.available),
        history.reason,
    )  # what every file's key starts from
    records = Records.of(content, history)
    jobs = [
        (
            content,
            converter.glossary,
            converter.standard,
            templates,
            as_of,
            history,
            versions,
            lang,
            base,
            keys,
            records,
            {p: k for p, k in previous.items() if p.startswith(edition_dir(lang) + "/")},
        )
        for lang in langs
    ]
    workers = min(len(jobs), os.cpu_count() or 1)
    tell = rendered or (lambda _lang, _part: None)
    parts: dict[Lang, Rendered] = {}
    if workers > 1 and len(content.initiatives) + len(content.updates) >= PARALLEL_FROM:
        context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(_render_edition, job): lang for job, lang in zip(jobs, langs, strict=True)}
            for future in as_completed(futures):
                parts[futures[future]] = future.result()
                tell(futures[future], parts[futures[future]])
    else:
        for job, lang in zip(jobs, langs, strict=True):
            parts[lang] = _render_edition(job, converter)
            tell(lang, parts[lang])
    done = Rendered(dict(static), {path: digest(path, sha) for path, sha in versions.items()}, set())
    for lang in langs:
        done.absorb(parts[lang])
    env = make_env(templates, base)
    editions = [Edition(lang, content, converter, as_of, history) for lang in langs]
    root = _EditionRenderer(editions[0], env, versions)
    plan = Plan(keys, previous, records)
    plan.add("index.html", langs, lambda: root.page("", "choose.html", "index.html", editions=editions))
    plan.add("404.html", langs, lambda: root.page("", "404.html", "404.html", editions=editions))
    done.absorb(plan.rendered)
    for path, made in sitemap.sitemap(content.config, sorted(done.keys)).items():
        done.files[path] = made
        done.keys[path] = digest(path, hashlib.sha256(made).hexdigest())
    return done


def render_pages(
    content: Content,
    converter: Converter,
    templates: Path | None,
    as_of: dt.date,
    static: dict[str, bytes],
    history: History,
    base: str,
    paths: frozenset[str],
) -> dict[str, bytes]:
    """Just the pages `paths` (from the site root), as `render_site` makes them: `serve` shows an edit first."""
    files: dict[str, bytes] = {}
    versions = _versions(static)
    for lang in content.config.editions:
        if any(path.startswith(edition_dir(lang) + "/") for path in paths):
            plan = Plan.just(paths)
            edition = Edition(lang, content, converter, as_of, history)
            _EditionRenderer(edition, make_env(templates, base), versions).pages(plan)
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


def _versions(static: Mapping[str, bytes]) -> dict[str, str]:
    """Each asset's version, added to its links so that browsers fetch a changed one (`?v=`)."""
    return {path: hashlib.sha256(data).hexdigest()[:10] for path, data in static.items()}


def _render_edition(job: tuple[Any, ...], converter: Converter | None = None) -> Rendered:
    """Pages, feeds, open data and share cards of one edition (runs in a worker for large sites)."""
    content, glossary, standard, templates, as_of, history, versions, lang, base, keys, records, previous = job
    converter = converter or Converter(glossary, standard)
    edition = Edition(lang, content, converter, as_of, history)
    plan = Plan(digest(keys, lang), previous, records)
    _EditionRenderer(edition, make_env(templates, base), versions).pages(plan)
    feeds.feeds(edition, plan)
    data.open_data(edition, plan)
    share.share_cards(edition, plan)
    return plan.rendered


def render_review(env: Environment, content: Content, findings: Sequence[Finding]) -> bytes:
    """The editors' review page: findings grouped by the glossary line that would pin them."""
    html = env.get_template("review.html").render(
        site=content.config, groups=group_findings(list(findings)), count=len(findings), csp=CSP
    )
    return html.encode("utf-8")


def related_initiatives(
    item: Initiative,
    keys: Mapping[str, tuple[str, ...]],
    members: Mapping[str, frozenset[str]],
    by_id: Mapping[str, Initiative],
    limit: int = 4,
) -> tuple[Initiative, ...]:
    """Initiatives sharing the most of department, category and region with `item`, then by id.

    `keys[id]` are an initiative's group keys; `members[key]` the ids in each group. Level by
    level (all of its groups, then all but one …), the ids in at least that many of them come
    from set intersections, in C, instead of counting every member of every group in Python.
    """
    groups = [members[key] for key in keys[item.id]]
    chosen: list[str] = []
    seen: frozenset[str] = frozenset({item.id})
    for need in range(len(groups), 0, -1):
        level = frozenset().union(*(frozenset.intersection(*combo) for combo in itertools.combinations(groups, need)))
        chosen += heapq.nsmallest(limit - len(chosen), level - seen)
        if len(chosen) >= limit:
            break
        seen |= level
    return tuple(by_id[ident] for ident in chosen)


def relative_url(target: str, start_dir: str) -> str:
    """`target` relative to the folder `start_dir`, both paths from the site root.

    posixpath.relpath does the same but asks the operating system for the working folder on
    every call; this runs for every link of every page.
    """
    parts, base = target.split("/"), start_dir.split("/") if start_dir else []
    common = 0
    while common < min(len(parts) - 1, len(base)) and parts[common] == base[common]:
        common += 1
    return "../" * (len(base) - common) + "/".join(parts[common:])


def line_chart(revisions: Sequence[Revision], width: int = 600, height: int = 160) -> dict[str, Any] | None:
    """Coordinates of a progress-over-time line (SVG user units), or None with fewer than two points."""
    points = [(r.date, r.progress) for r in revisions if r.progress is not None]
    if len(points) < 2:
        return None
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    left, right, top, bottom = 40, width - 10, 10, height - 30
    coords = [
        (round(left + (right - left) * (d - first).days / span, 1), round(bottom - (bottom - top) * p / 100, 1), d, p)
        for d, p in points
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "points": " ".join(f"{x},{y}" for x, y, _, _ in coords),
        "coords": coords,
        "first": first,
        "last": last,
    }


class _EditionRenderer:
    def __init__(self, edition: Edition, env: Environment, versions: dict[str, str]) -> None:
        self.ed = edition
        self.env = env
        self.versions = versions
        self.content = edition.content
        self.config = edition.content.config

    def pages(self, plan: Plan) -> None:
        """Every page of the edition, into `plan`: each with the context it is rendered from."""
        content, ed = self.content, self.ed
        items = content.initiatives
        by_field = {name: stats.groups(items, attr, ed.simplified) for name, attr, _ in GROUP_FIELDS}
        years = sorted({i.year for i in items if i.year is not None}, reverse=True)
        keys: dict[str, tuple[str, ...]] = {i.id: () for i in items}
        members: dict[str, frozenset[str]] = {}
        by_id = {i.id: i for i in items}
        for folder, groups in by_field.items():
            for group in groups:
                members[f"{folder}/{group.key}"] = frozenset(i.id for i in group.items)
                for member in group.items:
                    keys[member.id] += (f"{folder}/{group.key}",)
        filters = {
            "groups": {name: tuple(g.facet for g in groups) for name, groups in by_field.items()},
            "years": years,
        }

        def add(path: str, template: str, **context: Any) -> None:
            plan.add(f"{ed.dir}/{path}", (template, context), lambda: self.page(ed.dir, template, path, **context))

        def listing(path: str, members: Iterable[Initiative], heading: str, label: str = "") -> None:
            """A list page; `heading` and `label` are already in the edition's script."""
            if plan.wants(f"{ed.dir}/{path}"):
                add(path, "list.html", items=tuple(members), heading=heading, label=label, **filters)

        if plan.wants(f"{ed.dir}/index.html"):
            add(
                "index.html",
                "home.html",
                overview=stats.overview(items, self.as_of),
                items=items,
                stale=tuple(i for i in items if ed.stale(i)),
                updates=content.updates[::-1][:8],
                charts=self.charts(by_field["categories"]),
                **filters,
            )
        listing("initiatives/index.html", items, ed.ui("全部实事"))
        for index, item in enumerate(items):
            if not plan.wants(f"{ed.dir}/initiatives/{item.id}/index.html"):
                continue
            add(
                f"initiatives/{item.id}/index.html",
                "initiative.html",
                item=item,
                updates=ed.updates_of(item),
                related=related_initiatives(item, keys, members, by_id),
                prev=items[index - 1] if index else None,
                next=items[index + 1] if index + 1 < len(items) else None,
            )
        for status, label in STATUS_LABELS.items():
            listing(
                f"status/{status}/index.html", (i for i in items if i.status == status), ed.ui(label), ed.ui("状态")
            )
        for mark, label in SCHEDULE_LABELS.items():
            listing(
                f"schedule/{mark}/index.html",
                (i for i in items if ed.schedule(i).mark == mark),
                ed.ui(label),
                ed.ui("序时进度"),
            )
        for year in years:
            listing(f"years/{year}/index.html", (i for i in items if i.year == year), f"{year}年", ed.ui("年度"))
        for folder, _attr, label in GROUP_FIELDS:
            add(f"{folder}/index.html", "groups.html", groups=by_field[folder], folder=folder, label=label)
            for group in by_field[folder]:
                listing(f"{folder}/{group.key}/index.html", group.items, ed.t(group.name), ed.ui(label))
        add("updates/index.html", "updates.html", updates=content.updates[::-1])
        for update in content.updates:
            if not plan.wants(f"{ed.dir}/updates/{update.slug}/index.html"):
                continue
            add(
                f"updates/{update.slug}/index.html",
                "update.html",
                update=update,
                initiatives=tuple(by_id[x] for x in update.initiatives if x in by_id),
            )
        add(
            "corrections/index.html",
            "corrections.html",
            corrections=sorted(
                ((c, i) for i in items for c in i.corrections), key=lambda p: (p[0].date, p[1].id), reverse=True
            ),
        )
        add("about/index.html", "about.html")
        add("search/index.html", "search.html", csp=SEARCH_CSP)

    @property
    def as_of(self) -> dt.date:
        return self.ed.as_of

    def charts(self, categories: Sequence[stats.Group]) -> dict[str, Any]:
        """Numbers behind the home page's two charts: status distribution, progress by category."""
        by_category = []
        for group in categories:
            values = [p for p in (stats.effective_progress(i) for i in group.items) if p is not None]
            if values:
                by_category.append((group, round(sum(values) / len(values)), len(group.items)))
        return {"by_category": by_category}

    def page(self, root: str, template: str, path: str, **context: Any) -> bytes:
        """Render one page; `path` is relative to `root`, the edition folder or '' (site root)."""
        here = posixpath.join(root, path) if root else path
        here_dir = posixpath.dirname(here)
        ed = self.ed

        def url(target: str) -> str:
            """A link from this page to `target`, a path from the site root."""
            return relative_url(target, here_dir)

        def link(target: str) -> str:
            """A link to a page of this edition."""
            return url(f"{ed.dir}/{target}")

        def asset(name: str) -> str:
            version = self.versions.get(f"static/{name}", "")
            return url(f"static/{name}") + (f"?v={version}" if version else "")

        alternates = (
            [
                (lang, url(f"{edition_dir(lang)}/{path}"), ed.absolute(f"{edition_dir(lang)}/{path}"))
                for lang in self.config.editions
            ]
            if root
            else []
        )
        html = self.env.get_template(template).render(
            site=self.config,
            lang=ed.lang,
            here=here,
            path=path,
            t=ed.t,
            _=ed.ui,
            fmt_date=ed.date,
            body=lambda u: Markup(ed.body(u)),
            url=url,
            link=link,
            asset=asset,
            absolute=ed.absolute,
            canonical=ed.absolute(here),
            alternates=alternates,
            lang_names={"zh-Hans": "简体中文", "zh-Hant": "繁體中文"},
            status_labels=STATUS_LABELS,
            status_definitions=STATUS_DEFINITIONS,
            schedule_labels=SCHEDULE_LABELS,
            schedule_definitions=SCHEDULE_DEFINITIONS,
            schedule=ed.schedule,
            history=ed.history,
            last_updated=ed.last_updated,
            line_chart=line_chart,
            group_key=lambda text: stats.group_key(ed.simplified(text)),
            group_fields=GROUP_FIELDS,
            as_of=self.as_of,
            **{"csp": CSP, **context},
        )
        return html.encode("utf-8")

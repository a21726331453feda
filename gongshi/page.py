"""Pages from templates: the Jinja environment, and one edition's `View` that renders a page to bytes.

Nothing here touches the disk but the template loader. Links between pages are relative
(`../../updates/x/index.html`), so the site works from any subfolder and straight from disk.
The names every template receives are listed in `templates/README.md`: the constant ones are
environment globals (`make_env`), the rest come with each page (`View.page`).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import posixpath
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from gongshi import stats
from gongshi.edition import Edition
from gongshi.errors import ContentError, Diagnostic
from gongshi.history import Revision
from gongshi.i18n import msg
from gongshi.load.files import display_path, link_outside
from gongshi.model import edition_dir
from gongshi.resources import builtin_path
from gongshi.review import Finding
from gongshi.vocabulary import (
    GROUP_FIELDS,
    OUTCOME_LABELS,
    SCHEDULE_DEFINITIONS,
    SCHEDULE_LABELS,
    STATUS_DEFINITIONS,
    STATUS_LABELS,
)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"
)
# Pagefind runs WebAssembly and a worker on the search page only.
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'") + "; worker-src 'self'"
# 404.html finds the site's root with one inline script, allowed by its hash, and sets <base> to it.
NOT_FOUND_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'sha256-{hash}'").replace(
    "base-uri 'none'", "base-uri 'self'"
)


def not_found_script() -> str:
    """The script 404.html carries inline (templates/static/find-root.js, built in)."""
    return builtin_path("templates", "static", "find-root.js").read_text("utf-8")


def script_hash(script: str) -> str:
    """The CSP hash of an inline script: base64 of its SHA-256."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


LANG_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文"}


@functools.lru_cache(maxsize=8)
def make_env(site_templates: Path | None = None, version: str = "") -> Environment:
    """The Jinja environment: a site's own templates first, then gongshi's built-in ones.

    One per template folder, `version` (a digest of the templates) and process: compiling the
    templates costs more than rendering the pages of a small rebuild. A new digest gives a new
    environment, so that a template added to the site's folder overrides a built-in one at once.
    """
    builtin = builtin_path("templates")
    loaders: list[FileSystemLoader] = []
    if site_templates is not None and site_templates.is_dir() and site_templates.resolve() != builtin.resolve():
        loaders.append(SiteLoader(site_templates))
    loaders.append(FileSystemLoader(builtin))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        lang_names=LANG_NAMES,
        status_labels=STATUS_LABELS,
        status_definitions=STATUS_DEFINITIONS,
        schedule_labels=SCHEDULE_LABELS,
        schedule_definitions=SCHEDULE_DEFINITIONS,
        group_fields=GROUP_FIELDS,
        outcome_labels=OUTCOME_LABELS,
        line_chart=line_chart,
    )
    return env


class SiteLoader(FileSystemLoader):
    """A site's own templates: a template leading out of the folder through a link is refused, unread."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.folder = folder

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        refused = link_outside(self.folder.joinpath(*split_template_path(template)), self.folder)
        if refused is not None:
            raise ContentError([refused])
        return super().get_source(environment, template)


def static_files(site_templates: Path | None = None) -> dict[str, bytes]:
    """`static/` of the built-in templates, overlaid with the site's own `static/`, where a link
    leading out of the site's templates folder is refused (ContentError), never published."""
    out = _files(builtin_path("templates", "static"))
    static = site_templates / "static" if site_templates is not None else None
    if site_templates is not None and static is not None and static.is_dir():
        refused = link_outside(static, site_templates)
        problems = [refused] if refused else [link_outside(path, site_templates) for path in sorted(static.rglob("*"))]
        if any(problems):
            raise ContentError([problem for problem in problems if problem is not None])
        out.update(_files(static))
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {
        "static/" + path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def template_problem(exc: Exception, env: Environment) -> Diagnostic | None:
    """An error raised while rendering, as a diagnostic at the line of the site's template where it
    happened; None when no site template was running (then it is a bug in gongshi)."""
    loaders = getattr(env.loader, "loaders", ())
    folder = next((loader.folder for loader in loaders if isinstance(loader, SiteLoader)), None)
    if folder is None:
        return None
    frames = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        frames.append((exc.filename, exc.lineno))
    top = folder.resolve()
    found = [(Path(name), line or 1) for name, line in frames if Path(name).resolve().is_relative_to(top)]
    if not found:
        return None
    path, line = found[-1]
    hint = msg("correct the template, or delete it from {folder}/ to use gongshi's own", folder=display_path(folder))
    if isinstance(exc, TemplateNotFound):
        message = msg("template '{name}' not found", name=exc.name)
        hint = msg(
            "name a template by its path inside {folder}/ (without '..') or by a built-in template's name",
            folder=display_path(folder),
        )
    elif isinstance(exc, TemplateSyntaxError):
        message = msg("template syntax: {error}", error=exc.message or "")
    else:
        message = msg("template error: {error}", error=str(exc)[:200])
    return Diagnostic(display_path(path), line, 1, message, hint, source_line=_line(path, line))


def _line(path: Path, number: int) -> str:
    try:
        lines = path.read_text("utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[number - 1] if 0 < number <= len(lines) else ""


def versions(static: Mapping[str, bytes]) -> dict[str, str]:
    """Each asset's version, added to its links so that browsers fetch a changed one (`?v=`)."""
    return {path: hashlib.sha256(data).hexdigest()[:10] for path, data in static.items()}


@dataclass(frozen=True)
class View:
    """One edition as pages show it: its `Edition`, the templates, and the assets' versions."""

    ed: Edition
    env: Environment
    versions: Mapping[str, str]

    def page(self, root: str, template: str, path: str, **context: Any) -> bytes:
        """Render one page; `path` is relative to `root`, the edition folder or '' (site root)."""
        here = posixpath.join(root, path) if root else path
        ed, here_dir = self.ed, posixpath.dirname(here)
        alternates = (
            [
                (
                    lang,
                    relative_url(f"{edition_dir(lang)}/{path}", here_dir),
                    ed.absolute(f"{edition_dir(lang)}/{path}"),
                )
                for lang in ed.content.config.editions
            ]
            if root
            else []
        )
        try:
            html = self.env.get_template(template).render(
                **self.helpers(here_dir),
                site=ed.content.config,
                lang=ed.lang,
                here=here,
                path=path,
                canonical=ed.absolute(here),
                alternates=alternates,
                **{"csp": CSP, **context},
            )
        except ContentError:
            raise
        except Exception as exc:  # a site's template may fail in any way: say where, not "a bug in gongshi"
            problem = template_problem(exc, self.env)
            if problem is None:
                raise
            raise ContentError([problem]) from exc
        return html.encode("utf-8")

    def helpers(self, here_dir: str) -> dict[str, Any]:
        """The functions a page's template calls: links from the page's folder `here_dir`, and the edition's texts."""
        ed = self.ed

        def url(target: str) -> str:
            """A link from this page to `target`, a path from the site root."""
            return relative_url(target, here_dir)

        def asset(name: str) -> str:
            version = self.versions.get(f"static/{name}", "")
            return url(f"static/{name}") + (f"?v={version}" if version else "")

        return {
            "url": url,
            "link": lambda target: url(f"{ed.dir}/{target}"),
            "asset": asset,
            "absolute": ed.absolute,
            "t": ed.t,
            "_": ed.ui,
            "fmt_date": ed.date,
            "body": lambda update: Markup(ed.body(update)),
            "schedule": ed.schedule,
            "history": ed.history,
            "last_updated": ed.last_updated,
            "closed": ed.closed,
            "outcome": stats.outcome,
            "group_key": lambda text: stats.group_key(ed.simplified(text)),
            "as_of": ed.as_of_shown,
            "number": number,
            "texts": lambda values: "、".join(ed.t(v) for v in values),
            "group_keys": lambda values: " ".join(stats.group_key(ed.simplified(v)) for v in values),
        }


@dataclass(frozen=True)
class SiteView:
    """What the outputs of the site root see: every edition, and the paths of the files made for them."""

    root: View  # the first edition: the chooser and the 404 page are in its script
    source: View  # the edition of the site's source language: the review page
    editions: tuple[Edition, ...]
    paths: tuple[str, ...]  # every edition's files, sorted
    findings: tuple[Finding, ...] | None  # conversion choices for the review page, when it is built


def number(value: float) -> str:
    """A figure as it was written: 3321, 87.12, 1234567.5 (never 1.23457e+06, never 3321.0)."""
    return str(int(value)) if float(value).is_integer() else str(value)


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
    points: list[tuple[dt.date, float]] = [(r.date, r.progress) for r in revisions if r.progress is not None]
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

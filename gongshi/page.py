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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from gongshi import stats
from gongshi.edition import Edition
from gongshi.history import Revision
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

"""Render stage: the content of one edition into pages, as a map of output path to bytes.

Nothing here touches the disk except the template loader: `render_site` returns
`{path: bytes}` and `site.write_site` writes it, so tests can look at pages without a folder and
a failed build writes nothing. Links between pages are relative (`../../updates/x/index.html`),
so the site works from any subfolder and straight from disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from gongshi import markdown, stats
from gongshi.convert import Converter
from gongshi.model import LANGS, Body, Content, Date, Initiative, Lang, Text, Update, edition_dir
from gongshi.resources import builtin_path
from gongshi.review import Finding

STATUS_LABELS = {
    "planned": "未启动",
    "in_progress": "推进中",
    "delayed": "滞后",
    "completed": "已完成",
    "cancelled": "已取消",
}
STATUS_DEFINITIONS = {
    "planned": "已列入计划，尚未启动实施。",
    "in_progress": "已启动，正在按计划推进。",
    "delayed": "进度落后于计划，须写明原因和补救措施。",
    "completed": "目标已经实现，并有报道或文件为证。",
    "cancelled": "经决定不再实施，须写明原因。",
}
GROUP_FIELDS = (("departments", "department", "责任单位"), ("categories", "category", "类别"),
                ("regions", "region", "地区"))
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'")


def make_env(site_templates: Path | None = None) -> Environment:
    """The Jinja environment: a site's own templates first, then gongshi's built-in ones."""
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


@dataclass
class Edition:
    """One edition's view of the content: every text through the converter, once."""

    lang: Lang
    content: Content
    converter: Converter
    _bodies: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def dir(self) -> str:
        return edition_dir(self.lang)

    def t(self, text: Text | str | None) -> str:
        """A content text as this edition shows it: hand-written, else converted.

        Plain strings are site settings, written in the site's source language.
        """
        if text is None:
            return ""
        if isinstance(text, str):
            return self.converter.convert(text, self.content.config.source_lang, self.lang)
        written = text.written(self.lang)
        if written is not None:
            return self.converter.convert(written, self.lang, self.lang)
        return self.converter.convert(text.original, text.source, self.lang)

    def ui(self, text: str) -> str:
        """An interface string (written in Simplified) in this edition's script."""
        return self.converter.convert(text, "zh-Hans", self.lang)

    def simplified(self, text: Text) -> str:
        written = text.written("zh-Hans")
        return written if written is not None else self.converter.convert(text.original, text.source, "zh-Hans")

    def body(self, update: Update) -> str:
        """The update's HTML in this edition, from its hand-written edition when there is one."""
        key = (update.slug, self.lang)
        if key not in self._bodies:
            own = update.written_body(self.lang)
            source: Body = own or update.body
            lang = self.lang if own else update.lang
            parsed = markdown.parse(source.markdown, self.content.config.allow_html)
            self._bodies[key] = markdown.render(parsed, lambda s: self.converter.convert(s, lang, self.lang))
        return self._bodies[key]

    def date(self, value: Date | dt.date | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月" + (f"{value.day}日" if value.day else "")


def render_site(content: Content, converter: Converter, env: Environment, as_of: dt.date,
                static: dict[str, bytes]) -> dict[str, bytes]:
    """Every output file of the site: both editions, the edition chooser, 404 and assets."""
    out: dict[str, bytes] = dict(static)
    versions = {path: hashlib.sha256(data).hexdigest()[:10] for path, data in static.items()}
    editions = [Edition(lang, content, converter) for lang in content.config.editions]
    for edition in editions:
        out.update(_EditionRenderer(edition, env, as_of, versions).pages())
    root = _EditionRenderer(editions[0], env, as_of, versions)
    out["index.html"] = root.page("", "choose.html", "index.html", editions=editions)
    out["404.html"] = root.page("", "404.html", "404.html", editions=editions)
    return out


def render_review(env: Environment, content: Content, findings: Sequence[Finding]) -> bytes:
    """The editors' review page: findings grouped by the glossary line that would pin them."""
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.edition, finding.pin), []).append(finding)
    html = env.get_template("review.html").render(site=content.config, groups=sorted(grouped.items()),
                                                  count=len(findings), csp=CSP)
    return html.encode("utf-8")


class _EditionRenderer:
    def __init__(self, edition: Edition, env: Environment, as_of: dt.date, versions: dict[str, str]) -> None:
        self.ed = edition
        self.env = env
        self.as_of = as_of
        self.versions = versions
        self.content = edition.content
        self.config = edition.content.config

    def pages(self) -> dict[str, bytes]:
        content, ed = self.content, self.ed
        out: dict[str, bytes] = {}
        items = content.initiatives
        by_field = {name: stats.groups(items, attr, ed.simplified) for name, attr, _ in GROUP_FIELDS}

        def add(path: str, template: str, **context: Any) -> None:
            out[f"{ed.dir}/{path}"] = self.page(ed.dir, template, path, **context)

        add("index.html", "home.html", overview=stats.overview(items, self.as_of), items=items,
            updates=content.updates[::-1][:8], groups=by_field)
        add("initiatives/index.html", "list.html", items=items, heading="全部实事", groups=by_field)
        for index, item in enumerate(items):
            add(f"initiatives/{item.id}/index.html", "initiative.html", item=item,
                updates=self.related(item), prev=items[index - 1] if index else None,
                next=items[index + 1] if index + 1 < len(items) else None)
        for status in STATUS_LABELS:
            add(f"status/{status}/index.html", "list.html",
                items=tuple(i for i in items if i.status == status),
                heading=STATUS_LABELS[status], groups=by_field, status=status)
        for folder, _attr, label in GROUP_FIELDS:
            add(f"{folder}/index.html", "groups.html", groups=by_field[folder], folder=folder, label=label)
            for group in by_field[folder]:
                add(f"{folder}/{group.key}/index.html", "list.html", items=group.items,
                    heading=ed.t(group.name), label=label, groups=by_field)
        add("updates/index.html", "updates.html", updates=content.updates[::-1])
        for update in content.updates:
            add(f"updates/{update.slug}/index.html", "update.html", update=update,
                initiatives=tuple(i for i in (content.initiative(x) for x in update.initiatives) if i))
        return out

    def related(self, item: Initiative) -> tuple[Update, ...]:
        return tuple(sorted((u for u in self.content.updates if item.id in u.initiatives),
                            key=lambda u: (u.date, u.slug), reverse=True))

    def page(self, root: str, template: str, path: str, **context: Any) -> bytes:
        """Render one page; `path` is relative to `root`, the edition folder or '' (site root)."""
        here = posixpath.join(root, path) if root else path
        ed = self.ed

        def url(target: str) -> str:
            """A link from this page to `target`, a path from the site root."""
            start = posixpath.dirname(here) or "."
            return posixpath.relpath(target, start)

        def link(target: str) -> str:
            """A link to a page of this edition."""
            return url(f"{ed.dir}/{target}")

        def asset(name: str) -> str:
            version = self.versions.get(f"static/{name}", "")
            return url(f"static/{name}") + (f"?v={version}" if version else "")

        def absolute(target: str) -> str:
            return self.config.base_url + target if self.config.base_url else ""

        alternates = [(lang, url(f"{edition_dir(lang)}/{path}"), absolute(f"{edition_dir(lang)}/{path}"))
                      for lang in self.config.editions] if root else []
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
            canonical=absolute(here),
            alternates=alternates,
            lang_names={"zh-Hans": "简体中文", "zh-Hant": "繁體中文"},
            status_labels=STATUS_LABELS,
            status_definitions=STATUS_DEFINITIONS,
            group_fields=GROUP_FIELDS,
            as_of=self.as_of,
            overdue=lambda i: stats.is_overdue(i, self.as_of),
            csp=CSP,
            all_langs=LANGS,
            **context,
        )
        return html.encode("utf-8")


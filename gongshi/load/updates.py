"""Updates: each Markdown file with front matter, and its hand-written editions (`<slug>.zh-hant.md`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gongshi.errors import Diagnostic
from gongshi.i18n import msg
from gongshi.load.documents import Documents, checked, memo
from gongshi.load.files import check_name, display_path, list_files, read_source
from gongshi.load.records import RecordBuilder
from gongshi.load.schema import suggest
from gongshi.load.source import Source, Tree, split_front_matter
from gongshi.markdown import structure_errors
from gongshi.model import LANGS, Body, Lang, Origin, Text, Update

if TYPE_CHECKING:  # the load stage's face calls this module
    from gongshi.load import Loaded


@dataclass(frozen=True)
class _Files:
    """The files of one update: its own, and its hand-written editions in the other script."""

    slug: str
    source: Source
    written: tuple[tuple[Lang, Path, Source], ...] = ()


def load_updates(root: Path, source_lang: Lang, docs: Documents, result: Loaded, known: set[str]) -> list[Update]:
    """Every update that can be built; the initiatives it names must be in `known`."""
    diags = result.diagnostics
    mains, written = _update_files(root, docs, result)
    updates = []
    for slug, source in sorted(mains.items()):
        files = _Files(slug, source, tuple(written.pop(slug, [])))
        update = _build_update(files, source_lang, known, docs, diags)
        if update is not None:
            updates.append(update)
            result.traditional += [source] if update.lang == "zh-Hant" else []
            result.traditional += [other for lang, _path, other in files.written if lang == "zh-Hant"]
    for slug, entries in sorted(written.items()):
        for _lang, _path, source in entries:
            message = msg("hand-written edition without an update '{slug}.md'", slug=slug)
            hint = msg("create updates/{slug}.md, or rename this file", slug=slug)
            diags.append(source.diagnostic(1, 1, message, hint))
    return updates


def _update_files(
    root: Path, docs: Documents, result: Loaded
) -> tuple[dict[str, Source], dict[str, list[tuple[Lang, Path, Source]]]]:
    """The updates' own files by slug, and their hand-written editions by slug."""
    diags = result.diagnostics
    mains: dict[str, Source] = {}
    written: dict[str, list[tuple[Lang, Path, Source]]] = {}
    for path in list_files(root / "updates", (".md",), root, diags):
        stem, _, edition = path.stem.partition(".")
        lang = next((lang for lang in LANGS if lang.lower() == edition), None)
        if edition and lang is None:
            hint = msg("a hand-written edition is named <slug>.zh-hant.md or <slug>.zh-hans.md")
            problem = msg("'{edition}' in the file name is not an edition", edition=edition)
            diags.append(Diagnostic(display_path(path), 1, 1, problem, hint))
            continue
        if not check_name(path.with_name(stem + ".md"), diags):
            continue
        source = read_source(path, diags, msg("split the text into several updates"), docs.read)
        if source is None:
            continue
        if lang is None:
            result.update_files.setdefault(stem, []).append(display_path(path))
            mains[stem] = source
        else:
            written.setdefault(stem, []).append((lang, path, source))
    return mains, written


def _front_matter(source: Source, schema: str, known_valid: bool, diags: list[Diagnostic]) -> tuple[Tree | None, Body]:
    """The front matter (checked against `schema`) and the body of an update's file; a body too
    intricate to parse in reasonable time is refused (`markdown.structure_errors`)."""
    if schema == "translation" and not source.text.startswith("---"):
        body = Body(source.text, 1, Origin(source.path, 1))  # a hand-written body alone is fine
        diags.extend(structure_errors(body))
        return None, body
    front, text, body_line, problems = split_front_matter(source)
    body = Body(text, body_line, Origin(source.path, 1))
    problems = [*problems, *structure_errors(body)]
    diags.extend(problems)
    if problems:
        return None, body
    tree, found, valid = checked(source, schema, front, 1, schema == "translation", known_valid)
    diags.extend(found)
    return tree if valid else None, body


def _build_update(
    files: _Files, source_lang: Lang, known: set[str], docs: Documents, diags: list[Diagnostic]
) -> Update | None:
    """An update from its files; the initiatives it names must be in `known`."""
    keys = (
        docs.key("update", files.source),
        *(docs.key("translation", other) for _lang, _path, other in files.written),
    )
    update, tree, problems = _update(files, source_lang, all(k in docs.known for k in keys))
    diags.extend(problems)
    if not problems:
        docs.valid.update(keys)
    if tree is None or update is None:
        return None
    missing = [(index, ident) for index, ident in enumerate(update.initiatives) if ident not in known]
    for index, ident in missing:
        diags.append(
            tree.at(
                ("initiatives", index),
                msg("no initiative has the id '{id}'", id=ident),
                suggest(ident, sorted(known), msg("ids are the file names in content/initiatives/ (without .yaml)")),
            )
        )
    return None if missing else update


@memo
def _update(
    files: _Files, source_lang: Lang, known_valid: bool
) -> tuple[Update | None, Tree | None, tuple[Diagnostic, ...]]:
    """An update built from its files (memoised like `_initiative`), its front matter, and its problems."""
    diags: list[Diagnostic] = []
    tree, body = _front_matter(files.source, "update", known_valid, diags)
    if tree is None:
        return None, None, tuple(diags)
    build = RecordBuilder(tree, source_lang, diags)
    data = tree.value
    title, summary = build.text(data["title"], ("title",)), build.opt_text(data, "summary")
    title, summary, bodies = _written_editions(files, build.lang, title, summary, known_valid, diags)
    date = build.date(data["date"], ("date",))
    if date is None or not build.ok:
        return None, tree, tuple(diags)
    update = Update(
        slug=files.slug,
        origin=Origin(files.source.path, 1),
        lang=build.lang,
        title=title,
        date=date,
        body=body,
        summary=summary,
        initiatives=tuple(data.get("initiatives", ())),
        source=build.citation(data["source"], ("source",)) if "source" in data else None,
        written_bodies=tuple(sorted(bodies)),
        draft=bool(data.get("draft", False)),
    )
    return update, tree, tuple(diags)


def _written_editions(
    files: _Files, lang: Lang, title: Text, summary: Text | None, known_valid: bool, diags: list[Diagnostic]
) -> tuple[Text, Text | None, list[tuple[Lang, Body]]]:
    """The title and summary with the hand-written editions' own, and those editions' bodies."""
    bodies: list[tuple[Lang, Body]] = []
    for edition, _path, other in files.written:
        other_tree, other_body = _front_matter(other, "translation", known_valid, diags)
        if edition == lang:
            hint = msg("a hand-written edition must be in the other script")
            diags.append(other.diagnostic(1, 1, msg("this update is already written in {lang}", lang=lang), hint))
            continue
        bodies.append((edition, other_body))
        extra = (other_tree.value or {}) if other_tree is not None else {}
        title = _with_edition(title, edition, extra.get("title")) or title
        summary = _with_edition(summary, edition, extra.get("summary"))
    return title, summary, bodies


def _with_edition(text: Text | None, edition: Lang, value: str | None) -> Text | None:
    """`text` with a hand-written `value` for `edition` (from a hand-written edition's front matter)."""
    if value is None:
        return text
    if text is None:
        return Text(edition, ((edition, value),))
    return Text(text.lang, (*text.values, (edition, value)), text.line)

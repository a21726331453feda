"""Load stage: the files of `content/` into the frozen content model, with every problem found.

Each file is read (`source`), checked against its schema (`schema`), then built into dataclasses
with the checks that concern one file alone (impossible dates, status against progress, `due`
before `start`). Checks across files live in `validate`. Nothing here stops at the first problem.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongshi.errors import Diagnostic, Severity
from gongshi.load.records import RecordBuilder
from gongshi.load.schema import schemas_digest, suggest, validate_tree
from gongshi.load.source import Source, Tree, decode, parse_yaml, split_front_matter
from gongshi.model import (
    ID_RE,
    LANGS,
    Body,
    Contact,
    Content,
    GlossaryEntry,
    Initiative,
    Lang,
    Origin,
    SiteConfig,
    Text,
    Update,
)

RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """What the load stage found: the content (None when a required file is unusable)."""

    content: Content | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Every initiative id that has a file, valid or not: cross-file checks use it, so a broken
    # record does not also make every update that names it fail.
    initiative_files: dict[str, list[str]] = field(default_factory=dict)
    update_files: dict[str, list[str]] = field(default_factory=dict)
    # Files written in Traditional, for the lint of Traditional sources.
    traditional: list[Source] = field(default_factory=list)
    # Documents that passed their schema check (`Documents.key`): the build cache keeps them.
    valid: set[str] = field(default_factory=set)


def display_path(path: Path) -> str:
    """The path staff see in messages: relative to the working folder when inside it."""
    return _display_path(os.getcwd(), path)


@functools.lru_cache(maxsize=1 << 15)
def _display_path(cwd: str, path: Path) -> str:
    rel = os.path.relpath(path, cwd)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def load_content(
    root: Path, known_valid: frozenset[str] = frozenset(), read: Callable[[Path], bytes] = Path.read_bytes
) -> Loaded:
    """Read every file under `root` (the content folder) into the model.

    `known_valid`: keys (`Documents.key`) of documents known to pass their schema check. `read`
    reads one file (`serve` remembers files until they change).
    """
    result = Loaded(None)
    diags = result.diagnostics
    docs = Documents(known_valid, result.valid, read)
    config = _load_config(root, docs, diags)
    glossary = _load_glossary(root, docs, diags)
    source_lang = config.source_lang if config else "zh-Hans"
    initiatives: list[Initiative] = []
    for path in _files(root / "initiatives", RECORD_SUFFIXES, root, diags):
        ident = path.stem
        result.initiative_files.setdefault(ident, []).append(display_path(path))
        if not _check_name(path, diags):
            continue
        source = read_source(
            path, diags, "an initiative record holds short facts; move long text into an update", docs.read
        )
        if source is None:
            continue
        key = docs.key("initiative", source)
        built, problems, valid = _initiative(source, ident, source_lang, key in docs.known)
        docs.note(key, valid, problems)
        diags.extend(problems)
        if built is not None:
            initiatives.append(built)
            if built.lang == "zh-Hant":
                result.traditional.append(source)
    # A misnamed file (Rural-Bus.yaml) is reported once, for its name; updates naming it as
    # 'rural-bus' are not blamed too.
    known = {ident if ID_RE.match(ident) else ident.lower() for ident in result.initiative_files}
    updates = _load_updates(root, source_lang, docs, diags, result, known)
    if config is not None:
        result.content = Content(
            config,
            tuple(sorted(initiatives, key=lambda i: i.id)),
            tuple(sorted(updates, key=lambda u: (u.date, u.slug))),
            glossary,
        )
    return result


def read_source(
    path: Path, diags: list[Diagnostic], too_large_hint: str = "", read: Callable[[Path], bytes] = Path.read_bytes
) -> Source | None:
    """One file's text, or None with the reason added to `diags`."""
    source, problems = _decoded(read(path), display_path(path), too_large_hint)
    diags.extend(problems)
    return source


@functools.lru_cache(maxsize=1 << 14)
def _decoded(data: bytes, path: str, too_large_hint: str) -> tuple[Source | None, tuple[Diagnostic, ...]]:
    """`decode`, memoised: `serve` gives the same bytes object for a file until it changes, so the
    same `Source` comes back, whose text's hash Python keeps for the memos that follow."""
    source, problems = decode(data, path, too_large_hint)
    return source, tuple(problems)


@dataclass
class Documents:
    """Parses and checks the documents of one load, skipping the schema check of known-good ones.

    `known` are `key`s of documents that passed their schema check in an earlier build (the
    build cache keeps them); `valid` collects those of this load, for the next one.
    """

    known: frozenset[str] = frozenset()
    valid: set[str] = field(default_factory=set)
    read: Callable[[Path], bytes] = Path.read_bytes

    @staticmethod
    @functools.lru_cache(maxsize=1 << 14)
    def key(schema: str, source: Source) -> str:
        """A document's key: its schema and its file's whole text (front matter and body)."""
        return hashlib.sha256(f"{schemas_digest()}\0{schema}\0{source.text}".encode()).hexdigest()

    def check(
        self, source: Source, schema: str, empty_ok: bool = False
    ) -> tuple[Tree | None, tuple[Diagnostic, ...], bool]:
        """The document's tree, its problems, and whether it can be built (`checked`)."""
        key = self.key(schema, source)
        found = checked(source, schema, empty_ok=empty_ok, known_valid=key in self.known)
        self.note(key, found[2], found[1])
        return found

    def note(self, key: str, valid: bool, problems: tuple[Diagnostic, ...]) -> None:
        """Remember a document that passed its schema check with no problem at all."""
        if valid and not problems:
            self.valid.add(key)


def _read_yaml(
    path: Path, schema: str, docs: Documents, diags: list[Diagnostic], empty_ok: bool = False
) -> tuple[Tree | None, bool]:
    """One YAML file parsed and checked against `schema`: the tree, and whether it can be built."""
    source = read_source(path, diags, read=docs.read)
    if source is None:
        return None, False
    tree, problems, valid = docs.check(source, schema, empty_ok=empty_ok)
    diags.extend(problems)
    return tree, valid


@functools.lru_cache(maxsize=1 << 14)
def checked(
    source: Source,
    schema: str,
    text: str | None = None,
    line_offset: int = 0,
    empty_ok: bool = False,
    known_valid: bool = False,
) -> tuple[Tree | None, tuple[Diagnostic, ...], bool]:
    """Parse a document (all of `source`, or its front matter `text`) and check it against `schema`.

    A pure function of the text, memoised: `serve` rebuilds after every save, and parsing and
    schema-checking the files that did not change is most of the load stage. `known_valid`
    skips the schema check of a document that passed it before. Callers must not change the
    tree they get.
    """
    tree, problems = parse_yaml(source, text, line_offset)
    diags = list(problems)
    valid = tree is not None and _check_tree(tree, schema, diags, empty_ok, known_valid)
    return tree, tuple(diags), valid


@functools.lru_cache(maxsize=1 << 14)
def _initiative(
    source: Source, ident: str, source_lang: Lang, known_valid: bool
) -> tuple[Initiative | None, tuple[Diagnostic, ...], bool]:
    """An initiative record built from its file, its problems, and whether it passed its schema check.

    Memoised like `checked`: building the dataclasses of a thousand records costs more than
    reading them, and a rebuild in `serve` changes one.
    """
    tree, problems, valid = checked(source, "initiative", known_valid=known_valid)
    diags = list(problems)
    built = None
    if tree is not None:
        build = RecordBuilder(tree, source_lang, diags)
        if valid:
            built = build.initiative(ident)
        elif isinstance(tree.value, dict):
            build.check_record(tree.value)  # a schema error must not hide the other problems
    return built, tuple(diags), valid


def _check_tree(
    tree: Tree, schema: str, diags: list[Diagnostic], empty_ok: bool = False, known_valid: bool = False
) -> bool:
    """Schema-check a document; False when it cannot be built."""
    if tree.value is None and not empty_ok:
        diags.append(tree.at((), "file is empty", _EMPTY_HINTS.get(schema, "")))
        return False
    if tree.value is None:
        return True
    if not isinstance(tree.value, dict):
        diags.append(
            tree.at(
                (),
                "the top level must be a mapping of keys and values",
                "write 'key: value' lines, starting at the left margin",
            )
        )
        return False
    problems = [] if known_valid else validate_tree(tree, schema)
    diags.extend(problems)
    return not any(p.is_error for p in problems)


_EMPTY_HINTS = {
    "initiative": "an initiative needs at least 'title:' and 'status:'",
    "update": "the front matter needs at least 'title:' and 'date:'",
    "site": "site.yaml needs at least 'title:'",
}


def _files(folder: Path, suffixes: tuple[str, ...], root: Path, diags: list[Diagnostic]) -> list[Path]:
    """The files of one content folder, sorted; links leading out of `root` are refused."""
    if not folder.is_dir():
        return []
    out = []
    top = root.resolve()
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not path.resolve().is_relative_to(top):
            diags.append(
                Diagnostic(
                    display_path(path),
                    1,
                    1,
                    "symbolic link points outside the content folder",
                    "copy the file into content/ instead of linking to it",
                )
            )
            continue
        if path.suffix in suffixes and entry.is_file():
            out.append(path)
        elif entry.is_file() or entry.is_dir():
            diags.append(
                Diagnostic(
                    display_path(path),
                    1,
                    1,
                    f"file is ignored: {folder.name}/ holds only "
                    + " and ".join(f"'{s}'" for s in suffixes)
                    + " files",
                    severity=Severity.WARNING,
                )
            )
    return out


def _check_name(path: Path, diags: list[Diagnostic]) -> bool:
    if ID_RE.match(path.stem):
        return True
    diags.append(
        Diagnostic(
            display_path(path),
            1,
            1,
            f"file name '{path.name}' cannot be used as an id",
            "name files with lowercase letters, digits and hyphens, e.g. 'rural-bus"
            f"{path.suffix}'; the name becomes the page's address",
        )
    )
    return False


def _load_config(root: Path, docs: Documents, diags: list[Diagnostic]) -> SiteConfig | None:
    path = root / "site.yaml"
    if not path.is_file():
        diags.append(
            Diagnostic(
                display_path(path), 1, 1, "site.yaml is missing", "create content/site.yaml with at least 'title:'"
            )
        )
        return None
    tree, valid = _read_yaml(path, "site", docs, diags)
    if tree is None or not valid:
        return None
    data: dict[str, Any] = dict(tree.value)
    contact = Contact(**data.pop("contact", {}) or {})
    as_of = RecordBuilder(tree, "zh-Hans", diags).date(data.pop("as_of", None), ("as_of",))
    editions = tuple(data.pop("editions", LANGS))
    config = SiteConfig(contact=contact, as_of=as_of, editions=editions, **data)
    return config


def _load_glossary(root: Path, docs: Documents, diags: list[Diagnostic]) -> tuple[GlossaryEntry, ...]:
    path = root / "glossary.yaml"
    if not path.is_file():
        return ()
    tree, valid = _read_yaml(path, "glossary", docs, diags, empty_ok=True)
    if tree is None or not valid or not tree.value:
        return ()
    return tuple(
        GlossaryEntry(str(k), str(v), Origin(tree.source.path, tree.where((k,), key=True)[0]))
        for k, v in tree.value.items()
    )


def _load_updates(
    root: Path, source_lang: Lang, docs: Documents, diags: list[Diagnostic], result: Loaded, known: set[str]
) -> list[Update]:
    mains: dict[str, tuple[Path, Source]] = {}
    written: dict[str, list[tuple[Lang, Path, Source]]] = {}
    for path in _files(root / "updates", (".md",), root, diags):
        stem, _, edition = path.stem.partition(".")
        lang = next((lang for lang in LANGS if lang.lower() == edition), None)
        if edition and lang is None:
            diags.append(
                Diagnostic(
                    display_path(path),
                    1,
                    1,
                    f"'{edition}' in the file name is not an edition",
                    "a hand-written edition is named <slug>.zh-hant.md or <slug>.zh-hans.md",
                )
            )
            continue
        if not _check_name(path.with_name(stem + ".md"), diags):
            continue
        source = read_source(path, diags, "split the text into several updates", docs.read)
        if source is None:
            continue
        if lang is None:
            result.update_files.setdefault(stem, []).append(display_path(path))
            mains[stem] = (path, source)
        else:
            written.setdefault(stem, []).append((lang, path, source))
    updates = []
    for slug, (_path, source) in sorted(mains.items()):
        siblings = written.pop(slug, [])
        update = _build_update(slug, source, source_lang, tuple(siblings), known, docs, diags)
        if update is not None:
            updates.append(update)
            result.traditional += [source] if update.lang == "zh-Hant" else []
            result.traditional += [other for lang, _path, other in siblings if lang == "zh-Hant"]
    for slug, entries in sorted(written.items()):
        for _lang, _path, source in entries:
            diags.append(
                source.diagnostic(
                    1,
                    1,
                    f"hand-written edition without an update '{slug}.md'",
                    f"create updates/{slug}.md, or rename this file",
                )
            )
    return updates


def _front_matter(source: Source, schema: str, known_valid: bool, diags: list[Diagnostic]) -> tuple[Tree | None, Body]:
    if schema == "translation" and not source.text.startswith("---"):
        return None, Body(source.text, 1, Origin(source.path, 1))  # a hand-written body alone is fine
    front, body, body_line, problems = split_front_matter(source)
    diags.extend(problems)
    origin = Origin(source.path, 1)
    if problems:
        return None, Body(body, body_line, origin)
    tree, found, valid = checked(source, schema, front, 1, schema == "translation", known_valid)
    diags.extend(found)
    return tree if valid else None, Body(body, body_line, origin)


def _build_update(
    slug: str,
    source: Source,
    source_lang: Lang,
    written: tuple[tuple[Lang, Path, Source], ...],
    known: set[str],
    docs: Documents,
    diags: list[Diagnostic],
) -> Update | None:
    """An update from its file and its hand-written editions; the initiatives it names must be in `known`."""
    keys = (docs.key("update", source), *(docs.key("translation", other) for _lang, _path, other in written))
    update, tree, problems = _update(slug, source, source_lang, written, all(k in docs.known for k in keys))
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
                f"no initiative has the id '{ident}'",
                suggest(ident, sorted(known), "ids are the file names in content/initiatives/ (without .yaml)"),
            )
        )
    return None if missing else update


@functools.lru_cache(maxsize=1 << 14)
def _update(
    slug: str, source: Source, source_lang: Lang, written: tuple[tuple[Lang, Path, Source], ...], known_valid: bool
) -> tuple[Update | None, Tree | None, tuple[Diagnostic, ...]]:
    """An update built from its files (memoised like `_initiative`), its front matter, and its problems."""
    diags: list[Diagnostic] = []
    tree, body = _front_matter(source, "update", known_valid, diags)
    if tree is None:
        return None, None, tuple(diags)
    build = RecordBuilder(tree, source_lang, diags)
    data = tree.value
    lang = build.lang
    title, summary = build.text(data["title"], ("title",)), build.opt_text(data, "summary")
    bodies: list[tuple[Lang, Body]] = []
    for edition, _path, other in written:
        other_tree, other_body = _front_matter(other, "translation", known_valid, diags)
        if edition == lang:
            diags.append(
                other.diagnostic(
                    1,
                    1,
                    f"this update is already written in {lang}",
                    "a hand-written edition must be in the other script",
                )
            )
            continue
        bodies.append((edition, other_body))
        extra = (other_tree.value or {}) if other_tree is not None else {}
        if "title" in extra:
            title = Text(title.source, (*title.values, (edition, extra["title"])), title.line)
        if "summary" in extra:
            summary = (
                Text(summary.source, (*summary.values, (edition, extra["summary"])), summary.line)
                if summary is not None
                else Text(edition, ((edition, extra["summary"]),))
            )
    date = build.date(data["date"], ("date",))
    if date is None or not build.ok:
        return None, tree, tuple(diags)
    update = Update(
        slug=slug,
        origin=Origin(source.path, 1),
        lang=lang,
        title=title,
        date=date,
        body=body,
        summary=summary,
        initiatives=tuple(data.get("initiatives", ())),
        source=build.source_ref(data["source"], ("source",)) if "source" in data else None,
        written_bodies=tuple(sorted(bodies)),
    )
    return update, tree, tuple(diags)

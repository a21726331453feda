"""Load stage: the files of `content/` into the frozen content model, with every problem found.

The folder reads in the order a file goes through it: `files` (which files, their text) →
`source` (YAML with the position of every value; `syntax` explains YAML mistakes) → `schema`
(the JSON Schemas of `schema/`) → `records` (frozen dataclasses, with the checks of one record)
and `updates` → `validate` (the checks across files). `documents` memoises what is a pure
function of a file's text, so that `serve` and the build cache redo only what changed.

Each file is read (`source`), checked against its schema (`schema`), then built into dataclasses
with the checks that concern one file alone (impossible dates, status against progress, `due`
before `start`). Checks across files live in `validate`. Nothing here stops at the first problem.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongshi.config import Contact, SiteConfig, Year
from gongshi.errors import Diagnostic
from gongshi.i18n import msg
from gongshi.load.documents import Documents, checked, memo, remembering
from gongshi.load.files import check_name, display_path, link_outside, list_files, read_source
from gongshi.load.records import RecordBuilder
from gongshi.load.source import Source, Tree
from gongshi.load.updates import load_updates
from gongshi.model import (
    ID_RE,
    LANGS,
    Content,
    GlossaryEntry,
    Initiative,
    Lang,
    Origin,
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
    drafts: list[Update] = field(default_factory=list)  # updates marked `draft: true`: not published
    # Where site.yaml sets `as_of` (path, line, column), for the check that it is not before the content.
    as_of_at: tuple[str, int, int] | None = None


def load_content(
    root: Path,
    known_valid: frozenset[str] = frozenset(),
    read: Callable[[Path], bytes] = Path.read_bytes,
    remember: bool = True,
) -> Loaded:
    """Read every file under `root` (the content folder) into the model.

    `known_valid`: keys (`Documents.key`) of documents known to pass their schema check. `read`
    reads one file (`serve` remembers files until they change). `remember`: keep what was parsed
    and built for the next load (`serve`; `documents.remembering`).
    """
    with remembering(remember):
        return _load(root, known_valid, read)


def _load(root: Path, known_valid: frozenset[str], read: Callable[[Path], bytes]) -> Loaded:
    result = Loaded(None)
    diags = result.diagnostics
    docs = Documents(known_valid, result.valid, read)
    config = _load_config(root, docs, result)
    glossary = _load_glossary(root, docs, diags)
    source_lang = config.source_lang if config else "zh-Hans"
    initiatives = _load_initiatives(root, source_lang, docs, result)
    # A misnamed file (Rural-Bus.yaml) is reported once, for its name; updates naming it as
    # 'rural-bus' are not blamed too.
    known = {ident if ID_RE.match(ident) else ident.lower() for ident in result.initiative_files}
    updates = load_updates(root, source_lang, docs, result, known)
    result.drafts = [u for u in updates if u.draft]
    if config is not None:
        result.content = Content(
            config,
            tuple(sorted(initiatives, key=lambda i: i.id)),
            tuple(sorted((u for u in updates if not u.draft), key=lambda u: (u.date, u.slug))),
            glossary,
        )
    return result


def _load_initiatives(root: Path, source_lang: Lang, docs: Documents, result: Loaded) -> list[Initiative]:
    """Every initiative record that can be built; `result` learns every id with a file, and the Traditional ones."""
    diags = result.diagnostics
    initiatives = []
    for path in list_files(root / "initiatives", RECORD_SUFFIXES, root, diags):
        ident = path.stem
        result.initiative_files.setdefault(ident, []).append(display_path(path))
        if not check_name(path, diags):
            continue
        hint = msg("an initiative record holds short facts; move long text into an update")
        source = read_source(path, diags, hint, docs.read)
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
    return initiatives


def _read_yaml(
    root: Path, name: str, schema: str, docs: Documents, diags: list[Diagnostic], empty_ok: bool = False
) -> tuple[Tree | None, bool]:
    """The YAML file `name` of `root` parsed and checked against `schema`: the tree, and whether it can be built."""
    refused = link_outside(root / name, root)
    if refused is not None:
        diags.append(refused)
        return None, False
    source = read_source(root / name, diags, read=docs.read)
    if source is None:
        return None, False
    tree, problems, valid = docs.check(source, schema, empty_ok=empty_ok)
    diags.extend(problems)
    return tree, valid


@memo
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


def _load_config(root: Path, docs: Documents, result: Loaded) -> SiteConfig | None:
    diags, path = result.diagnostics, root / "site.yaml"
    if not path.is_file() and link_outside(path, root) is None:  # a link out: `_read_yaml` says so
        diags.append(
            Diagnostic(
                display_path(path),
                1,
                1,
                msg("site.yaml is missing"),
                msg("create content/site.yaml with at least 'title:'"),
            )
        )
        return None
    tree, valid = _read_yaml(root, "site.yaml", "site", docs, diags)
    if tree is None or not valid:
        return None
    data: dict[str, Any] = dict(tree.value)
    if "as_of" in data:
        result.as_of_at = (tree.source.path, *tree.where(("as_of",)))
    contact = Contact(**data.pop("contact", {}) or {})
    as_of = RecordBuilder(tree, "zh-Hans", diags).date(data.pop("as_of", None), ("as_of",))
    editions = tuple(data.pop("editions", LANGS))
    build = RecordBuilder(tree, "zh-Hans", diags)
    years = tuple(
        Year(y["year"], y.get("title", ""), build.date(y.get("as_of"), ("years", i, "as_of")), y.get("closed", False))
        for i, y in enumerate(data.pop("years", ()))
    )
    if data.get("emblem"):
        data["emblem_data"] = _emblem(root, data["emblem"], tree, diags)
    config = SiteConfig(contact=contact, as_of=as_of, editions=editions, years=years, **data)
    if _known_zone(config.timezone):
        return config
    diags.append(_unknown_zone(tree, config.timezone))  # unusable, like a schema error: the feeds' dates need it
    return None


# What an emblem SVG must not hold: it is published as a file of the site, and an SVG opened on its
# own runs its scripts with the site's address.
_ACTIVE_SVG = re.compile(
    rb"<script|<foreignobject|<iframe|<embed|<object|\son\w+\s*=|javascript:|href\s*=\s*[\"']?(?!#)", re.I
)


def _emblem(root: Path, name: str, tree: Any, diags: list[Diagnostic]) -> bytes:
    """The emblem's bytes, or b"" with a diagnostic: a plain file in the content folder, an SVG without
    scripts, event handlers or links to other files."""
    path, (line, col) = root / name, tree.where(("emblem",))
    refused = link_outside(path, root)
    if refused is not None:
        diags.append(refused)
        return b""
    if not path.is_file():
        hint = msg("put the emblem file in {folder}/ beside site.yaml, or remove 'emblem:'", folder=display_path(root))
        problem = msg("emblem '{name}' is not a file in the content folder", name=name)
        diags.append(Diagnostic(tree.source.path, line, col, problem, hint))
        return b""
    data = path.read_bytes()
    if name.endswith(".svg") and _ACTIVE_SVG.search(data):
        hint = msg("save the emblem as a plain SVG drawing (no scripts or links), or as a PNG")
        problem = msg("emblem '{name}' holds scripts or links", name=name)
        diags.append(Diagnostic(tree.source.path, line, col, problem, hint))
        return b""
    return data


def _known_zone(name: str) -> bool:
    """Whether Python's zoneinfo knows the time zone `name`."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _unknown_zone(tree: Tree, name: str) -> Diagnostic:
    if _known_zone("UTC"):
        hint = msg("write a time zone name like Asia/Shanghai or Asia/Hong_Kong")
    else:  # no time zone database at all (Windows without the tzdata package)
        hint = msg("this computer has no time zone database: install it with `pip install tzdata`")
    return tree.at(("timezone",), msg("unknown time zone '{name}'", name=name), hint)


def _load_glossary(root: Path, docs: Documents, diags: list[Diagnostic]) -> tuple[GlossaryEntry, ...]:
    path = root / "glossary.yaml"
    if not path.is_file():
        return ()
    tree, valid = _read_yaml(root, "glossary.yaml", "glossary", docs, diags, empty_ok=True)
    if tree is None or not valid or not tree.value:
        return ()
    return tuple(
        GlossaryEntry(str(k), str(v), Origin(tree.source.path, tree.where((k,), key=True)[0]))
        for k, v in tree.value.items()
    )

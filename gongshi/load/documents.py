"""The memo of the load stage: what was parsed and checked once is not parsed or checked again.

`serve` loads the content after every save, and a build with the build cache knows which
documents passed their schema check last time; parsing, schema checks and building the
dataclasses of unchanged files are most of the load stage. So every function of the load stage
that is a pure function of a file's text is memoised with `memo` (by the text, not the path),
and `Documents` remembers, per load, which documents passed their schema check (by a digest of
the schemas and the text: `key`). Callers must not change what a memoised function returns.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gongshi.errors import Diagnostic
from gongshi.i18n import msg
from gongshi.load.schema import schemas_digest, validate_tree
from gongshi.load.source import Source, Tree, parse_yaml

F = TypeVar("F", bound=Callable[..., Any])
MEMO_SIZE = 1 << 14  # files remembered per memoised function


# Whether `memo` remembers, in this load (`remembering`): a process that builds once has no next
# load to remember for, and the parse trees of every file, held at once, are most of its peak memory
# (1.2 GiB at N = 10,000 against 165 MiB for the records built from them).
_REMEMBER: contextvars.ContextVar[bool] = contextvars.ContextVar("gongshi_load_remember", default=True)


def memo(function: F) -> F:
    """Memoise a pure function of the load stage (by its arguments: a file's text, not its path)."""
    cached = functools.lru_cache(maxsize=MEMO_SIZE)(function)

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        return cached(*args, **kwargs) if _REMEMBER.get() else function(*args, **kwargs)

    call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return call  # type: ignore[return-value]


@contextlib.contextmanager
def remembering(remember: bool) -> Iterator[None]:
    """The load stage's memos remember what is computed inside (`serve`), or not (a build run once)."""
    token = _REMEMBER.set(remember)
    try:
        yield
    finally:
        _REMEMBER.reset(token)


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
    @memo
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


@memo
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


def _check_tree(
    tree: Tree, schema: str, diags: list[Diagnostic], empty_ok: bool = False, known_valid: bool = False
) -> bool:
    """Schema-check a document; False when it cannot be built."""
    if tree.value is None and not empty_ok:
        diags.append(tree.at((), msg("file is empty"), _EMPTY_HINTS.get(schema, "")))
        return False
    if tree.value is None:
        return True
    if not isinstance(tree.value, dict):
        diags.append(
            tree.at(
                (),
                msg("the top level must be a mapping of keys and values"),
                msg("write 'key: value' lines, starting at the left margin"),
            )
        )
        return False
    problems = [] if known_valid else validate_tree(tree, schema)
    diags.extend(problems)
    return not any(p.is_error for p in problems)


_EMPTY_HINTS = {
    "initiative": msg("an initiative needs at least 'title:' and 'status:'"),
    "update": msg("the front matter needs at least 'title:' and 'date:'"),
    "site": msg("site.yaml needs at least 'title:'"),
}

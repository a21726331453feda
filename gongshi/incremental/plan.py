"""The build cache's view of rendering: which output files must be made, and which are reused.

Every output file is added to a `Plan` with the values it is made from; only files whose inputs
changed since the last build are made again. Render and the outputs (feeds, open data, share
cards) add their files here; `site` keeps the keys in the build cache (`cache`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongshi import stats
from gongshi.history import History
from gongshi.model import Content, Date, Initiative, Lang, Update


@dataclass(frozen=True)
class Records:
    """The digest of every record as pages show it, computed once per build."""

    initiatives: dict[str, str]
    updates: dict[str, str]

    @classmethod
    def of(cls, content: Content, history: History) -> Records:
        """An initiative's digest covers the updates reporting on it and its revision history."""
        updates = {u.slug: digest(repr(u)) for u in content.updates}
        reports = stats.updates_by_initiative(content)
        initiatives = {
            i.id: digest(
                repr(i),
                repr(history.revisions.get(i.id)),
                *(updates[u.slug] for u in reports.get(i.id, ())),
            )
            for i in content.initiatives
        }
        return cls(initiatives, updates)


class Plan:
    """The output files of one edition (or of the site root), each made only when its inputs changed.

    Every file is added with the values it is made from: the template context of a page, the
    records behind a feed. Their fingerprint, with `base` (gongshi's code, the templates, the
    configuration, the glossary, the report date and the edition), is the file's key. A file
    whose key is in `previous` (the last build's keys of files still intact on disk) is not made
    again: it is `reused` from the last build. Records are fingerprinted through their digests:
    an initiative's includes the updates that report on it and its revision history, since its
    status, progress and last change shown on any page come from them.
    """

    def __init__(
        self,
        base: str,
        previous: Mapping[str, str],
        records: Records,
        only: frozenset[str] | None = None,
        files: MutableMapping[str, bytes] | None = None,  # where made files go: memory, or a `stash.Stash`
    ) -> None:
        self.base = base
        self.previous = previous
        self.files: MutableMapping[str, bytes] = {} if files is None else files
        self.keys: dict[str, str] = {}
        self.reused: set[str] = set()
        self.records = records
        self.only = only

    @classmethod
    def just(cls, paths: frozenset[str]) -> Plan:
        """A plan that makes the files `paths` and nothing else, unkeyed (`serve` shows an edit's pages first)."""
        return cls("", {}, Records({}, {}), paths)

    def wants(self, path: str) -> bool:
        """Whether `path` is to be planned at all (a caller can skip working out its context)."""
        return self.only is None or path in self.only

    @property
    def rendered(self) -> Rendered:
        return Rendered(self.files, self.keys, self.reused)

    def add(self, path: str, inputs: Any, make: Callable[[], bytes]) -> None:
        self.add_many((path,), inputs, lambda: {path: make()})

    def add_many(self, paths: Sequence[str], inputs: Any, make: Callable[[], dict[str, bytes]]) -> None:
        """Files made together (the JSON and CSV of open data) from the same inputs."""
        if self.only is not None:
            if not self.only.isdisjoint(paths):
                self.files.update({path: data for path, data in make().items() if path in self.only})
            return
        h = hashlib.sha256(self.base.encode())
        self._feed(h, inputs)
        keys = {path: digest(h.hexdigest(), path) for path in paths}
        self.keys.update(keys)
        if all(self.previous.get(path) == key for path, key in keys.items()):
            self.reused.update(paths)
        else:
            self.files.update(make())

    def _feed(self, h: Any, value: Any) -> None:
        if isinstance(value, Initiative):
            h.update(b"I" + self.records.initiatives[value.id].encode())
        elif isinstance(value, Update):
            h.update(b"U" + self.records.updates[value.slug].encode())
        elif isinstance(value, str | int | float | bool | dt.date | Date) or value is None:
            h.update(f"{type(value).__name__}:{value!r}\0".encode())
        elif isinstance(value, bytes):  # a file's contents (the site's emblem)
            h.update(b"b" + hashlib.sha256(value).digest())
        elif isinstance(value, tuple | list):
            h.update(b"(")
            for item in value:
                self._feed(h, item)
            h.update(b")")
        elif isinstance(value, dict):
            h.update(b"{")
            for key in sorted(value, key=repr):
                self._feed(h, key)
                self._feed(h, value[key])
            h.update(b"}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            h.update(type(value).__name__.encode() + b"(")
            for f in dataclasses.fields(value):
                self._feed(h, getattr(value, f.name))
            h.update(b")")
        else:  # a value whose changes this plan could not see: refuse rather than reuse a stale page
            raise TypeError(f"cannot fingerprint a {type(value).__name__} for the build cache")


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class Rendered:
    """What rendering made: new files, and the keys of all files, those reused from the last build included."""

    files: MutableMapping[str, bytes]
    keys: dict[str, str]
    reused: set[str]
    lang: Lang | None = None  # the edition these files belong to; None for the site root's

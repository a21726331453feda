"""`serve`'s first answer to a save: the edited records' own pages, written at once, before the full build.

A full build at 1,000 initiatives takes seconds; the pages of the record just saved take a tenth
of one. `edited_files` tells whether a save is of a few records' files; `build_edited` checks the
whole content as usual, then renders and writes just those records' pages (and the pages of the
initiatives an edited update reports on). Lists, feeds, open data and search follow in the full
build (`pipeline.Build.run`), which finds these pages already written. The files saved are read
again (`ContentFiles`), the others as they were last read.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import ChainMap
from collections.abc import Iterable
from pathlib import Path

from jinja2 import TemplateError

from gongshi import page, render
from gongshi.errors import ContentError
from gongshi.history import History
from gongshi.load import RECORD_SUFFIXES
from gongshi.model import Content
from gongshi.pipeline import Build, Options, Result
from gongshi.write import check_path, replace_file

RECORD_FOLDERS = {"initiatives": RECORD_SUFFIXES, "updates": (".md",)}  # a record's file: folder → suffixes
EDITED_RECORDS = 8  # `build_edited` handles saves of up to this many records; beyond, a full build is as quick


def edited_files(options: Options, changed: Iterable[Path]) -> list[str] | None:
    """The saved files as paths inside the content folder, when they are a few records' files (`build_edited`)."""
    root = options.content.resolve()
    named = []
    for path in changed:
        resolved = path.resolve()
        parts = resolved.relative_to(root).parts if resolved.is_relative_to(root) else ()
        suffixes = RECORD_FOLDERS.get(parts[0]) if len(parts) == 2 else None
        if suffixes is None or not parts[1].endswith(suffixes) or parts[1].startswith(".") or not path.is_file():
            return None
        named.append("/".join(parts))
    if not named or len(named) > EDITED_RECORDS or not (options.out / "index.html").is_file():
        return None
    return sorted(set(named))


def build_edited(
    options: Options, named: Iterable[str], history: History, known_valid: frozenset[str] = frozenset()
) -> Result:
    """Write at once the pages of the records whose files were just saved (`named`, from `edited_files`)."""
    started = time.perf_counter()
    build = Build(options)
    checked = build.check(known_valid)
    site = render.Site.of(checked.content, checked.converter, history, options.template_dir)
    with build.stage("render"):
        files = render.render_pages(site, edited_pages(checked.content, named))
    for rel, data in sorted(files.items()):
        check_path(rel)
        (options.out / rel).parent.mkdir(parents=True, exist_ok=True)  # a new record's folder
        replace_file(options.out / rel, data)
    result = build.result
    result.files, result.written = ChainMap(files), len(files)
    result.elapsed = time.perf_counter() - started
    return result


def edited_pages(content: Content, named: Iterable[str]) -> frozenset[str]:
    """The pages showing the records in the files `named`: their own, and the pages of the initiatives
    an edited update reports on."""
    initiatives = {i.id for i in content.initiatives}
    updates = {u.slug: u for u in content.updates}
    ids: set[str] = set()
    slugs: set[str] = set()
    for rel in named:
        folder, _, name = rel.partition("/")
        stem = name.split(".", 1)[0]
        if folder == "initiatives" and stem in initiatives:
            ids.add(stem)
        elif folder == "updates" and stem in updates:
            slugs.add(stem)
            ids.update(initiatives.intersection(updates[stem].initiatives))
    return render.record_pages(content, ids, slugs)


def prepare(options: Options, known_valid: frozenset[str] = frozenset()) -> None:
    """Read the content and compile the templates once, so that `build_edited` redoes only what a save changed."""
    with contextlib.suppress(ContentError):  # the build before said so
        Build(options).check(known_valid)
    env = page.make_env(options.template_dir, render.base_digest(options.template_dir))
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        with contextlib.suppress(ContentError, TemplateError):  # a broken site template: the build says where
            env.get_template(name)


class ContentFiles:
    """The content files as last read, each forgotten when the watcher reports it changed.

    The pages shown first after a save read only the files saved (`remembered`); a full build
    reads every file again (`fresh`), so a change the watcher missed lasts until then at most.
    """

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def remembered(self, path: Path) -> bytes:
        key = os.path.abspath(path)
        with self.lock:
            found = self.data.get(key)
        return self.fresh(path) if found is None else found

    def fresh(self, path: Path) -> bytes:
        data = path.read_bytes()
        with self.lock:
            self.data[os.path.abspath(path)] = data
        return data

    def forget(self, paths: Iterable[Path]) -> None:
        with self.lock:
            for path in paths:
                self.data.pop(os.path.abspath(path), None)

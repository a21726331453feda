"""The files of a content folder: which there are, their names, their text, their paths in messages."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import msg
from gongshi.load.documents import memo
from gongshi.load.source import Source, decode
from gongshi.model import ID_RE


def display_path(path: Path) -> str:
    """The path staff see in messages: relative to the working folder when inside it."""
    return _display_path(os.getcwd(), path)


@functools.lru_cache(maxsize=1 << 15)
def _display_path(cwd: str, path: Path) -> str:
    rel = os.path.relpath(path, cwd)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def read_source(
    path: Path, diags: list[Diagnostic], too_large_hint: str = "", read: Callable[[Path], bytes] = Path.read_bytes
) -> Source | None:
    """One file's text, or None with the reason added to `diags`."""
    source, problems = decoded(read(path), display_path(path), too_large_hint)
    diags.extend(problems)
    return source


@memo
def decoded(data: bytes, path: str, too_large_hint: str) -> tuple[Source | None, tuple[Diagnostic, ...]]:
    """`decode`, memoised: `serve` gives the same bytes object for a file until it changes, so the
    same `Source` comes back, whose text's hash Python keeps for the memos that follow."""
    source, problems = decode(data, path, too_large_hint)
    return source, tuple(problems)


def list_files(folder: Path, suffixes: tuple[str, ...], root: Path, diags: list[Diagnostic]) -> list[Path]:
    """The files of one content folder, sorted; links leading out of `root` are refused."""
    if not folder.is_dir():
        return []
    refused = link_outside(folder, root)
    if refused is not None:
        diags.append(refused)
        return []
    out = []
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        refused = link_outside(path, root) if entry.is_symlink() else None
        if refused is not None:
            diags.append(refused)
        elif path.suffix in suffixes and entry.is_file():
            out.append(path)
        elif entry.is_file() or entry.is_dir():
            diags.append(
                Diagnostic(display_path(path), 1, 1, _ignored(folder.name, suffixes), severity=Severity.WARNING)
            )
    return out


def link_outside(path: Path, root: Path) -> Diagnostic | None:
    """The error for `path` when it leads out of the folder `root` through a link (itself, or a
    folder on the way), else None: nothing of a content or templates folder is read or written
    through a link to a place outside it, so that a link cannot publish or print another file."""
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        message = msg("'{name}' is a link that cannot be followed", name=path.name)
        return Diagnostic(display_path(path), 1, 1, message, msg("replace the link with the file itself"))
    if inside:
        return None
    folder = display_path(root)
    if path.is_dir():
        message = msg("'{name}' is a link to a folder outside {folder}/", name=path.name, folder=folder)
        hint = msg("copy the folder into {folder}/ and remove the link", folder=folder)
    else:
        message = msg("'{name}' is a link to a file outside {folder}/", name=path.name, folder=folder)
        hint = msg("copy the file into {folder}/ and remove the link", folder=folder)
    return Diagnostic(display_path(path), 1, 1, message, hint)


def _ignored(folder: str, suffixes: tuple[str, ...]) -> str:
    """The warning for a file of `folder` whose name does not end in one of `suffixes`."""
    if len(suffixes) == 1:
        return msg("file is ignored: {folder}/ holds only '{suffix}' files", folder=folder, suffix=suffixes[0])
    if len(suffixes) == 2:
        return msg(
            "file is ignored: {folder}/ holds only '{first}' and '{second}' files",
            folder=folder,
            first=suffixes[0],
            second=suffixes[1],
        )
    listed = " and ".join(f"'{s}'" for s in suffixes)  # pragma: no cover - folders hold one or two kinds
    return msg("file is ignored: {folder}/ holds only {suffixes} files", folder=folder, suffixes=listed)


def check_name(path: Path, diags: list[Diagnostic]) -> bool:
    if ID_RE.match(path.stem):
        return True
    diags.append(
        Diagnostic(
            display_path(path),
            1,
            1,
            msg("file name '{name}' cannot be used as an id", name=path.name),
            msg(
                "name files with lowercase letters, digits and hyphens, e.g. 'rural-bus{suffix}'; "
                "the name becomes the page's address",
                suffix=path.suffix,
            ),
        )
    )
    return False

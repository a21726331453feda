"""Rendered files on disk instead of in memory, so that a build's memory does not grow with the site.

A `Stash` is a mapping of output path → bytes whose values live in files under one folder: a
render worker puts each page there as it is made, and sends the build only the stash (its folder
and its paths) instead of every page. The writer and the search indexer read the pages back one
at a time. The folder is a scratch folder on the output's disk (`scratch.scratch_folder`), so a
build killed meanwhile leaves nothing that the next build does not remove.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path

from gongshi.incremental.manifest import inside


class Stash(MutableMapping[str, bytes]):
    """Files under `folder`, by their output path; kept in the order they were put (as a dict is)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._paths: dict[str, int] = {}  # path → size
        self._made: set[str] = set()  # folders made by this stash (not pickled: a worker makes its own)
        self._moved: dict[str, Path] = {}  # files the writer moved into the new site: path → that site's folder

    def __getstate__(self) -> tuple[Path, dict[str, int]]:
        return self.folder, self._paths

    def __setstate__(self, state: tuple[Path, dict[str, int]]) -> None:
        self.folder, self._paths = state
        self._made, self._moved = set(), {}

    def __setitem__(self, path: str, data: bytes) -> None:
        if not inside(path):  # paths come from ids, already checked: defence in depth, as the writer's
            raise ValueError(f"output path {path!r} leaves the output folder")
        folder, _, _ = path.rpartition("/")
        if folder not in self._made:
            os.makedirs(self.folder / folder, exist_ok=True)
            self._made.add(folder)
        (self.folder / path).write_bytes(data)
        self._paths.pop(path, None)
        self._paths[path] = len(data)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return (self._moved.get(path, self.folder) / path).read_bytes()

    def __delitem__(self, path: str) -> None:
        del self._paths[path]
        (self.folder / path).unlink()

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def size(self, path: str) -> int:
        return self._paths[path]

    def file(self, path: str) -> Path:
        """Where the file of `path` is now."""
        return self._moved.get(path, self.folder) / path

    def moved(self, path: str, folder: Path) -> None:
        """The writer moved the file of `path` (instead of writing it again) to the same path in `folder`."""
        self._moved[path] = folder

    def written_to(self, folder: Path) -> None:
        """The files were written to `folder` (the site) and the stash removed: read them there."""
        self.folder, self._moved = folder, {}


def holder(files: Mapping[str, bytes], path: str) -> Stash | None:
    """The stash that holds `path` among a build's files (a ChainMap of its parts), if any."""
    return next((part for part in getattr(files, "maps", ()) if isinstance(part, Stash) and path in part), None)


def written_to(files: Mapping[str, bytes], folder: Path) -> None:
    """A build's files (a ChainMap of its parts) were written to the site `folder`: its stashed parts
    are read there from now on."""
    for part in getattr(files, "maps", ()):
        if isinstance(part, Stash):
            part.written_to(folder)


class Lazy(Mapping[str, bytes]):
    """The files `paths`, each read by `read` when asked for (Pagefind's pages, one at a time)."""

    def __init__(self, paths: Iterable[str], read: Callable[[str], bytes]) -> None:
        self._paths = dict.fromkeys(paths)
        self._read = read

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return self._read(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

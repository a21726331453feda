"""Lists split into pages of a fixed size, so that no page grows with the number of initiatives.

Page 1 of a list keeps the list's own address (`initiatives/index.html`); page k is beside it
(`initiatives/index-k.html`): the same folder, so every relative link on it is the same as on
page 1, and no initiative id or update slug (which have no dot) can take its name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

PAGE_SIZE = 50  # cards or entries per page of a list
WINDOW = 2  # page numbers shown on each side of the current one; the first and the last always

T = TypeVar("T")


def page_path(path: str, number: int) -> str:
    """The path of page `number` of the list whose first page is `path` (a `…/index.html`)."""
    return path if number == 1 else f"{path.removesuffix('.html')}-{number}.html"


@dataclass(frozen=True)
class Pager:
    """Where one page stands in its list: its number, how many pages, how many entries in all."""

    path: str  # page 1's path, inside the edition
    number: int
    count: int
    total: int
    size: int  # entries per page

    @property
    def first(self) -> int:
        """The position (from 1) in the whole list of the page's first entry."""
        return (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    def href(self, number: int) -> str:
        return page_path(self.path, number)

    @property
    def numbers(self) -> tuple[int | None, ...]:
        """The page numbers the navigation shows, None where some are left out (1 … 4 5 6 7 8 … 40)."""
        near = range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1)
        numbers: list[int | None] = []
        previous = 0
        for number in sorted({1, self.count, *near}):
            if number - previous > 1:
                numbers.append(None)
            numbers.append(number)
            previous = number
        return tuple(numbers)


def paginate(path: str, entries: Sequence[T], size: int = PAGE_SIZE) -> Iterator[tuple[str, tuple[T, ...], Pager]]:
    """Each page of the list at `path`: its path, its entries, its pager (one page when the list is empty)."""
    count = max(1, -(-len(entries) // size))
    for number in range(1, count + 1):
        pager = Pager(path, number, count, len(entries), size)
        yield page_path(path, number), tuple(entries[pager.first - 1 : pager.last]), pager

"""Render helpers: relative links, related initiatives."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from gongshi.page import relative_url

SEGMENT = st.sampled_from(["zh-hans", "zh-hant", "initiatives", "a", "b-1", "static", "updates"])


@given(st.lists(SEGMENT, max_size=4), st.lists(SEGMENT, max_size=4), st.sampled_from(["index.html", "x.css"]))
def test_relative_url_matches_relpath(target_dirs: list[str], start: list[str], name: str) -> None:
    """The fast relative link equals posixpath.relpath for every pair of site paths."""
    target = "/".join([*target_dirs, name])
    start_dir = "/".join(start)
    assert relative_url(target, start_dir) == posixpath.relpath(target, start_dir or ".")


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=30),
    st.integers(1, 5),
)
def test_related_initiatives_ranks_by_shared_groups_then_id(rows: list[tuple[int, int, int]], limit: int) -> None:
    """The set-based ranking gives what counting every shared group would give (the obvious way)."""
    from collections import Counter

    from gongshi.outputs.pages import related_initiatives

    ids = [f"i{n:02d}" for n in range(len(rows))]
    keys = {
        ident: tuple(f"{field}/{value}" for field, value in zip("dcr", row, strict=True) if value)
        for ident, row in zip(ids, rows, strict=True)
    }
    members: dict[str, set[str]] = {}
    for ident, own in keys.items():
        for key in own:
            members.setdefault(key, set()).add(ident)
    frozen = {key: frozenset(value) for key, value in members.items()}
    by_id = {ident: type("Item", (), {"id": ident})() for ident in ids}
    for ident in ids:
        shared: Counter[str] = Counter()
        for key in keys[ident]:
            shared.update(members[key])
        del shared[ident]
        expected = sorted(shared, key=lambda other: (-shared[other], other))[:limit]
        got = related_initiatives(by_id[ident], keys, frozen, by_id, limit)  # type: ignore[arg-type]
        assert [item.id for item in got] == expected

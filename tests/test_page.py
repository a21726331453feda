"""Page helpers: relative links."""

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

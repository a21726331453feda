"""Feeds, sitemap, robots.txt, open data and share cards of the basic fixture."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st

from gongshi.errors import ContentError
from gongshi.pipeline import Options, render_files

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return render_files(Options(content=FIXTURES / "basic" / "content", search=False, history=False)).files


def test_atom_feed_per_edition(files: dict[str, bytes]) -> None:
    """Each edition has a valid Atom feed of its updates, in its script, with absolute links."""
    feed = ET.fromstring(files["zh-hant/feed.xml"])
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["清姜商場退休職工領到房產證", "第一條城鄉公交線路開通"]
    link = entries[1].find(f"{ATOM}link")
    assert link is not None and link.get("href") == "https://example.org/gongshi/zh-hant/updates/2019-07-bus/index.html"
    assert feed.findtext(f"{ATOM}updated") == "2021-11-15T00:00:00+08:00"
    assert all(e.findtext(f"{ATOM}id", "").startswith("urn:uuid:") for e in entries)


def test_atom_feed_per_initiative_includes_log(files: dict[str, bytes]) -> None:
    """An initiative's feed lists its updates and its dated log entries."""
    feed = ET.fromstring(files["zh-hans/initiatives/rural-bus/feed.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "第一条城乡公交线路开通" in titles
    assert "开通城乡公交线路：推进中，进度 40%" in titles


def test_sitemap_lists_alternates_but_not_review(files: dict[str, bytes]) -> None:
    """sitemap.xml lists every page in both editions with hreflang alternates and x-default."""
    sitemap = files["sitemap.xml"].decode()
    assert "<loc>https://example.org/gongshi/zh-hant/initiatives/rural-bus/index.html</loc>" in sitemap
    assert 'hreflang="x-default" href="https://example.org/gongshi/"' in sitemap
    assert "_review" not in sitemap and "pagefind" not in sitemap
    assert "Sitemap: https://example.org/gongshi/sitemap.xml" in files["robots.txt"].decode()


def test_open_data_json_has_every_field(files: dict[str, bytes]) -> None:
    """initiatives.json carries every field, converted to the edition's script, plus the schedule."""
    data = json.loads(files["zh-hant/data/initiatives.json"])
    by_id = {r["id"]: r for r in data["initiatives"]}
    bus = by_id["rural-bus"]
    assert bus["title"] == "開通城鄉公交線路"
    assert bus["targets"] == [
        {
            "name": "新開通公交線路",
            "target": 2,
            "actual": 1,
            "unit": "條",
            "note": None,
            "bound": None,
            "target_max": None,
            "department": None,
        }
    ]
    assert bus["schedule"] == "overdue" and bus["expected_progress"] == 100
    assert by_id["school-places"]["remedy"] == "調整施工計劃，先行一步啟用臨時校舍。"
    assert data["as_of"] == "2021-11-15" and data["edition"] == "zh-Hant"


def test_open_data_csv_opens_in_excel(files: dict[str, bytes]) -> None:
    """initiatives.csv is UTF-8 with a byte-order mark and one row per initiative."""
    raw = files["zh-hans/data/initiatives.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    assert len(rows) == 3
    assert {r["id"]: r["title"] for r in rows}["qingjiang-certificates"] == "清姜商场职工房产证办理"


def test_share_card_is_svg_with_title_and_progress(files: dict[str, bytes]) -> None:
    """Every initiative has an SVG share card with its title, status and progress."""
    card = files["zh-hant/initiatives/rural-bus/share.svg"].decode()
    ET.fromstring(card)
    assert "開通城鄉公交線路" in card and "推進中" in card and "40%" in card
    page = files["zh-hant/initiatives/rural-bus/index.html"].decode()
    assert (
        '<meta property="og:image" content="https://example.org/gongshi/zh-hant/initiatives/rural-bus/share.svg">'
        in page
    )


def test_open_data_follows_its_schema(files: dict[str, bytes]) -> None:
    """Both editions' initiatives.json validate against schema/open-data.schema.json."""
    from jsonschema import Draft202012Validator

    from gongshi.resources import builtin_path

    schema = json.loads(builtin_path("schema", "open-data.schema.json").read_text("utf-8"))
    for edition in ("zh-hans", "zh-hant"):
        errors = list(Draft202012Validator(schema).iter_errors(json.loads(files[f"{edition}/data/initiatives.json"])))
        assert errors == [], [e.message for e in errors]


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


def test_group_pages_have_readable_folders_and_old_ones_redirect(files: dict[str, bytes]) -> None:
    """Departments, categories and regions live under their pinyin (测试区交通运输局 →
    ce-shi-qu-jiao-tong-yun-shu-ju-c821/); the hashed folder published before redirects there and
    is left out of the sitemap."""
    new = "zh-hans/departments/ce-shi-qu-jiao-tong-yun-shu-ju-c821/index.html"
    assert "测试区交通运输局" in files[new].decode()
    old = files["zh-hans/departments/c8215ffb/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=../ce-shi-qu-jiao-tong-yun-shu-ju-c821/index.html">' in old
    sitemap = files["sitemap.xml"].decode()
    assert "ce-shi-qu-jiao-tong-yun-shu-ju-c821" in sitemap and "c8215ffb" not in sitemap


EMBLEM = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#a6192e"/></svg>'
)


def test_site_colour_and_emblem(tmp_path: Path) -> None:
    """`colour:` becomes static/site.css (the header's rule), `emblem:` is published beside the title;
    an emblem with a script is refused, naming the file and line."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "colour: '#a6192e'\nemblem: emblem.svg\n", "utf-8")
    (content / "emblem.svg").write_bytes(EMBLEM)
    files = render_files(Options(content=content, search=False, history=False)).files
    assert files["static/site.css"] == b":root { --accent: #a6192e; }\n"
    assert files["static/emblem.svg"] == EMBLEM
    home = files["zh-hans/index.html"].decode()
    assert '<link rel="stylesheet" href="../static/site.css?v=a6192e">' in home
    assert '<img class="emblem" src="../static/emblem.svg" alt="" width="32" height="32">' in home
    (content / "emblem.svg").write_bytes(EMBLEM.replace(b"<circle", b"<script>alert(1)</script><circle"))
    with pytest.raises(ContentError) as caught:
        render_files(Options(content=content, search=False, history=False))
    assert any("emblem 'emblem.svg' holds scripts or links" in d.message for d in caught.value.diagnostics)

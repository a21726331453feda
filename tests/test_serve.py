"""`serve`: the preview keeps the last good site, shows build errors in the browser, and serves safely."""

from __future__ import annotations

import shutil
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from ports import serving

from gongshi.errors import ContentError
from gongshi.history import History
from gongshi.pipeline import Options, build_site
from gongshi.preview import build_edited, edited_files
from gongshi.serve import GiveWay, Preview


def _get(app: Preview, path: str) -> tuple[str, dict[str, str], bytes]:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured.update(status=status, headers=dict(headers))

    path, _, query = path.partition("?")
    body = b"".join(app({"PATH_INFO": path, "QUERY_STRING": query}, start_response))
    return captured["status"], captured["headers"], body


def test_preview_serves_pages_and_shows_errors(tmp_path: Path) -> None:
    """A failed rebuild keeps site/ and answers every page with the errors; a fix brings pages back."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    preview = Preview(Options(content=content, out=tmp_path / "site", search=False, history=False), liveport=35999)
    assert preview.rebuild()
    status, headers, body = _get(preview, "/zh-hans/initiatives/rural-bus/")
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"http://127.0.0.1:35999" in body  # livereload allowed in the served copy only
    on_disk = (tmp_path / "site" / "zh-hans" / "initiatives" / "rural-bus" / "index.html").read_bytes()
    assert b"35999" not in on_disk

    record = content / "initiatives" / "rural-bus.yaml"
    good = record.read_text("utf-8")
    record.write_text(good.replace("status: in_progress", "status: doing"), "utf-8")
    assert not preview.rebuild()
    status, _, body = _get(preview, "/zh-hans/index.html")
    assert status.startswith("500") and b"status &#x27;doing&#x27; is not one of" in body
    # styled like the site, the file and line a link that opens it in the editor
    assert b'<link rel="stylesheet" href="/static/style.css">' in body
    assert f'href="vscode://file/{record.resolve().as_posix()}:'.encode() in body
    assert on_disk == (tmp_path / "site" / "zh-hans" / "initiatives" / "rural-bus" / "index.html").read_bytes()
    assert _get(preview, "/static/style.css")[0] == "200 OK"
    assert _get(preview, "/static/style.css")[1]["Cache-Control"] == "no-store"
    assert _get(preview, "/static/style.css?v=0123456789")[1]["Cache-Control"] == "max-age=31536000, immutable"

    record.write_text(good, "utf-8")
    assert preview.rebuild()
    assert _get(preview, "/zh-hans/index.html")[0] == "200 OK"


def test_preview_refuses_paths_outside_the_site(tmp_path: Path) -> None:
    """../ in a request never reaches files outside the output folder."""
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    preview = Preview(
        Options(content=FIXTURES / "basic" / "content", out=tmp_path / "site", search=False, history=False),
        liveport=35999,
    )
    preview.rebuild()
    status, _, body = _get(preview, "/../secret.txt")
    assert status.startswith("404") and b"secret" not in body


def _site(tmp_path: Path) -> tuple[Options, Path]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    options = Options(content=content, out=tmp_path / "site", search=False, history=False)
    build_site(options)
    return options, content


def _pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def test_edited_files_are_a_few_records(tmp_path: Path) -> None:
    """Only saves of a few records' files are shown first; anything else needs a full build."""
    options, content = _site(tmp_path)
    record, update = content / "initiatives" / "rural-bus.yaml", content / "updates" / "2021-11-qingjiang.zh-hans.md"
    assert edited_files(options, [record, update, record]) == [
        "initiatives/rural-bus.yaml",
        "updates/2021-11-qingjiang.zh-hans.md",
    ]
    (content / "initiatives" / ".rural-bus.yaml.swp").write_text("x", "utf-8")
    for others in (
        [content / "site.yaml"],
        [content / "glossary.yaml"],
        [content / "initiatives" / "gone.yaml"],
        [content / "initiatives" / ".rural-bus.yaml.swp"],
        [tmp_path / "templates" / "base.html"],
        [record, content / "site.yaml"],
        [record] * 0,
    ):
        assert edited_files(options, others) is None, others
    many = []
    for n in range(9):
        many.append(content / "initiatives" / f"copy-{n}.yaml")
        shutil.copy(record, many[-1])
    assert edited_files(options, many) is None
    assert edited_files(replace(options, out=tmp_path / "nothing-built"), [record]) is None


def test_build_edited_writes_the_pages_a_full_build_makes(tmp_path: Path) -> None:
    """The edited records' own pages, byte for byte as the full build makes them, and nothing else."""
    options, content = _site(tmp_path)
    before = _pages(options.out)
    record = content / "initiatives" / "rural-bus.yaml"
    record.write_text(record.read_text("utf-8").replace("title: ", "title: 新", 1), "utf-8")
    update = content / "updates" / "2021-11-qingjiang.md"
    update.write_text(update.read_text("utf-8") + "\n補充一句。\n", "utf-8")
    result = build_edited(options, ["initiatives/rural-bus.yaml", "updates/2021-11-qingjiang.md"], History(False))
    shown = _pages(options.out)
    changed = {path for path in shown if shown[path] != before.get(path)}
    assert set(result.files) == {
        f"{ed}/{page}/index.html"
        for ed in ("zh-hans", "zh-hant")
        for page in ("initiatives/rural-bus", "updates/2021-11-qingjiang", "initiatives/qingjiang-certificates")
    }
    # the Simplified edition of that update is written by hand: its page stays the same
    assert changed == set(result.files) - {"zh-hans/updates/2021-11-qingjiang/index.html"}
    full = build_site(replace(options, out=tmp_path / "clean", cache=False))
    assert all(full.files[path] == data for path, data in result.files.items())
    times = {path: (options.out / path).stat().st_mtime_ns for path in result.files}
    build_site(options)  # the full build after it finds those pages already written, and leaves them
    assert times == {path: (options.out / path).stat().st_mtime_ns for path in result.files}
    assert _pages(options.out) == _pages(tmp_path / "clean")


def test_build_edited_reports_errors_and_writes_nothing(tmp_path: Path) -> None:
    options, content = _site(tmp_path)
    before = _pages(options.out)
    record = content / "initiatives" / "rural-bus.yaml"
    record.write_text(record.read_text("utf-8").replace("status: in_progress", "status: doing"), "utf-8")
    with pytest.raises(ContentError):
        build_edited(options, ["initiatives/rural-bus.yaml"], History(False))
    assert _pages(options.out) == before


def test_a_full_build_gives_way_to_a_newer_save(tmp_path: Path) -> None:
    """A save during the background build: that build stops at its next stage, and the newest one runs."""
    options, content = _site(tmp_path)
    preview = Preview(options, liveport=35999)
    record = content / "initiatives" / "rural-bus.yaml"
    text = record.read_text("utf-8")
    stages: list[str] = []

    def saving_meanwhile(stage: str) -> None:
        stages.append(stage)
        if stage == "render":  # the editor saves again while this build renders
            record.write_text(text.replace("title: ", "title: 再改", 1), "utf-8")
            preview.generation += 1

    record.write_text(text.replace("title: ", "title: 一改", 1), "utf-8")
    preview.changed([record])
    assert preview.pending.is_set()
    preview.options = replace(options, progress=saving_meanwhile)
    with pytest.raises(GiveWay):
        preview.full_build(preview.generation)
    assert stages[-1] == "render" and "write" not in stages
    preview.options = options
    assert preview.full_build(preview.generation) is not None
    assert "再改" in (options.out / "zh-hans" / "initiatives" / "index.html").read_text("utf-8")


def test_serve_command_answers_on_loopback(tmp_path: Path) -> None:
    """`gongshi serve` builds and answers on 127.0.0.1."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    with serving(tmp_path) as port, urllib.request.urlopen(f"http://127.0.0.1:{port}/zh-hant/index.html") as response:
        page = response.read().decode("utf-8")
    assert '<html lang="zh-Hant">' in page and "livereload.js" in page


def test_preview_refuses_malformed_paths_and_other_hosts(tmp_path: Path) -> None:
    """A NUL, 5,000 levels or bytes that are not UTF-8 get a short 400; so does a Host that is not the preview's."""
    preview = Preview(
        Options(content=FIXTURES / "basic" / "content", out=tmp_path / "site", search=False, history=False),
        liveport=35999,
    )
    preview.rebuild()
    for path in ("/a\x00b", "/" + "a/" * 5000, "/\xc0\xaf"):  # PATH_INFO: bytes as Latin-1, as WSGI gives them
        status, _, body = _get(preview, path)
        assert status.startswith("400") and b"malformed" in body and len(body) < 100
    captured: dict[str, str] = {}
    environ = {"PATH_INFO": "/zh-hans/index.html", "QUERY_STRING": "", "HTTP_HOST": "evil.example:35998"}
    body = b"".join(preview(environ, lambda status, headers: captured.update(status=status)))
    assert captured["status"].startswith("400") and b"http://127.0.0.1:35998/" in body
    environ["HTTP_HOST"] = "localhost:35998"
    assert b"".join(preview(environ, lambda status, headers: captured.update(status=status))).startswith(b"<!DOCTYPE")
    assert captured["status"] == "200 OK"

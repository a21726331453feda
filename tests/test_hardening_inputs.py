"""Hostile content and template files (issue 17): nothing outside the content or templates folder is read,
published or written through a link, no file's text reaches the terminal beyond a bounded excerpt, and
every such input ends in a clear error at its file and line with exit status 1, never 3.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, gongshi_cli

BASIC = FIXTURES / "basic" / "content"
SECRET = "GONGSHI_TEST_SECRET=hunter2"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the basic fixture in `tmp_path/content`, and a secret file beside it, outside it."""
    shutil.copytree(BASIC, tmp_path / "content")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text(f"{SECRET}\n", "utf-8")
    return tmp_path


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in `folder`; never exit status 3, never the secret in what it prints."""
    result = gongshi_cli(*args, cwd=folder)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    return result


def _build(folder: Path) -> subprocess.CompletedProcess[str]:
    return _run(folder, "build", "--no-search", "--no-history", "--no-cache")


def _link(link: Path, target: Path) -> None:
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    elif link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(target)


# --- 1. links leading out of the content folder ------------------------------------------------------------


@pytest.mark.parametrize("name", ["glossary.yaml", "site.yaml"])
def test_single_file_linked_outside_is_refused(site: Path, name: str) -> None:
    """site.yaml or glossary.yaml linked to a file outside content/ is refused, unread, at the link."""
    _link(site / "content" / name, site / "outside" / "secret.yaml")
    for command in ("check", "build"):
        result = _run(site, command)
        assert result.returncode == 1, result.stderr
        assert f"content/{name}:1:1: error: '{name}' is a link to a file outside content/" in result.stderr
        assert "hint: copy the file into content/ and remove the link" in result.stderr


def test_site_yaml_linked_to_an_endless_device_is_refused_unread(site: Path) -> None:
    """Once, the staff language was looked up in site.yaml before any check: /dev/zero filled the memory."""
    _link(site / "content" / "site.yaml", Path("/dev/zero"))
    result = _run(site, "check")
    assert result.returncode == 1
    assert "content/site.yaml:1:1: error: 'site.yaml' is a link to a file outside content/" in result.stderr


def test_new_never_writes_through_a_link_out_of_content(site: Path) -> None:
    _link(site / "content" / "updates", site / "outside")
    result = _run(site, "new", "update", "2026-12-road")
    assert result.returncode == 1
    assert "content/updates:1:1: error: 'updates' is a link to a folder outside content/" in result.stderr
    assert sorted(p.name for p in (site / "outside").iterdir()) == ["secret.yaml"]


@pytest.mark.parametrize("folder", ["initiatives", "updates"])
def test_record_folder_linked_outside_is_refused(site: Path, folder: str) -> None:
    """A record folder linked to a folder outside content/ is refused: none of its records is published."""
    outside = site / "outside" / folder
    shutil.copytree(site / "content" / folder, outside)
    record = "initiatives/rural-bus.yaml" if folder == "initiatives" else "updates/2019-07-bus.md"
    shutil.copy(BASIC / record, outside / f"leaked{Path(record).suffix}")
    _link(site / "content" / folder, outside)
    result = _build(site)
    assert result.returncode == 1, result.stderr
    assert f"content/{folder}:1:1: error: '{folder}' is a link to a folder outside content/" in result.stderr
    assert "hint: copy the folder into content/ and remove the link" in result.stderr
    assert not (site / "site").exists()


def test_emblem_linked_outside_is_refused_and_inside_works(site: Path) -> None:
    """The emblem named in site.yaml: a link out of content/ is refused at the link; one inside works."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'
    (site / "outside" / "emblem.svg").write_text(svg, "utf-8")
    with (site / "content" / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("emblem: emblem.svg\n")
    (site / "content" / "emblem.svg").symlink_to(site / "outside" / "emblem.svg")
    result = _build(site)
    assert result.returncode == 1, result.stderr
    assert "content/emblem.svg:1:1: error: 'emblem.svg' is a link to a file outside content/" in result.stderr
    (site / "content" / "art").mkdir()
    (site / "content" / "art" / "emblem.svg").write_text(svg, "utf-8")
    _link(site / "content" / "emblem.svg", Path("art") / "emblem.svg")
    result = _build(site)
    assert result.returncode == 0, result.stderr


def test_links_inside_the_content_folder_keep_working(site: Path) -> None:
    """Links that stay inside content/ (a shared site.yaml, a record kept elsewhere in content/) still build."""
    content = site / "content"
    (content / "shared").mkdir()
    for name in ("site.yaml", "glossary.yaml"):
        (content / name).rename(content / "shared" / name)
        (content / name).symlink_to(Path("shared") / name)
    (content / "initiatives" / "rural-bus.yaml").rename(content / "shared" / "rural-bus.yaml")
    (content / "initiatives" / "rural-bus.yaml").symlink_to(Path("..") / "shared" / "rural-bus.yaml")
    result = _build(site)
    assert result.returncode == 0, result.stderr
    assert (site / "site" / "zh-hans" / "initiatives" / "rural-bus" / "index.html").is_file()
    assert os.path.islink(content / "site.yaml")


# --- 2. content/review.yaml ----------------------------------------------------------------------------------

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
    for a, b in zip("abcd", "bcde", strict=True)
)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (LAUGHS + "confirmed: *e\n", "", "file holds more than 20,000 values"),
        ("confirmed: 5\n", "1:12", "'confirmed' in review.yaml must be a list of fingerprints"),
        ("confirmed:\n  - abc123 zh-Hant\n  - {a: 1}\n", "3:5", "'confirmed' in review.yaml must be a list of"),
        ("- abc123\n", "1:1", "'confirmed' in review.yaml must be a list of fingerprints"),
        ("confirmed: [abc]\nconfirmd: [def]\n", "2:1", "unknown key 'confirmd'"),
        ("confirmed: [ab\n", "2:1", "YAML syntax"),
    ],
)
def test_review_file_is_read_with_limits_and_checked(site: Path, text: str, where: str, message: str) -> None:
    """review.yaml goes through the limited YAML loader (aliases, size) and its shape is checked:
    every problem at its line, exit 1, for `review` and for `build --review`."""
    (site / "content" / "review.yaml").write_text(text, "utf-8")
    for args in (("review",), ("build", "--review", "--no-search", "--no-history")):
        result = _run(site, *args)
        assert result.returncode == 1, result.stderr
        assert f"content/review.yaml:{where}" in result.stderr
        assert message in result.stderr, result.stderr


def test_review_accept_never_writes_through_a_link_out_of_content(site: Path) -> None:
    """`review --accept` with review.yaml linked outside content/ refuses, and the outside file stays as it was."""
    target = site / "outside" / "secret.yaml"
    before = target.read_bytes()
    (site / "content" / "review.yaml").symlink_to(target)
    for args in (("review", "--accept"), ("review", "--accept", "--all")):
        result = _run(site, *args)
        assert result.returncode == 1, result.stderr
        assert "content/review.yaml:1:1: error: 'review.yaml' is a link to a file outside content/" in result.stderr
        assert target.read_bytes() == before
    (site / "content" / "review.yaml").unlink()
    (site / "content" / "review.yaml").symlink_to(site / "outside" / "new.yaml")  # a link to no file yet
    result = _run(site, "review", "--accept", "--all")
    assert result.returncode == 1, result.stderr
    assert not (site / "outside" / "new.yaml").exists()


def test_review_accept_then_review_lists_nothing(site: Path) -> None:
    """What `review --accept` writes reads back through the checked loader: nothing is pending after."""
    assert _run(site, "review", "--accept").returncode == 0
    result = _run(site, "review")
    assert result.returncode == 0, result.stderr
    assert "0 choice(s) to review in 0 group(s)" in result.stdout


# --- 3. the site's templates -----------------------------------------------------------------------------------

BUILTIN_TEMPLATES = FIXTURES.parent.parent / "templates"


def _template(site: Path, name: str, extra: str) -> int:
    """The site's own copy of the built-in template `name`, with the line `extra` at the end of its
    last block; the number of that line."""
    path = site / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (BUILTIN_TEMPLATES / name).read_text("utf-8")
    head, end, tail = text.rpartition("{% endblock %}")
    path.write_text(head + extra + end + tail, "utf-8")
    return head.count("\n") + 1


def test_static_file_linked_outside_templates_is_never_published(site: Path) -> None:
    """A link in templates/static/ (or templates/static itself) to a file outside templates/ is refused at the link."""
    static = site / "templates" / "static"
    static.mkdir(parents=True)
    (static / "leak.txt").symlink_to(site / "outside" / "secret.yaml")
    result = _build(site)
    assert result.returncode == 1, result.stderr
    assert "templates/static/leak.txt:1:1: error: 'leak.txt' is a link to a file outside templates/" in result.stderr
    assert "hint: copy the file into templates/ and remove the link" in result.stderr
    assert not (site / "site").exists()
    (static / "leak.txt").unlink()
    static.rmdir()
    (site / "outside" / "static").mkdir()
    static.symlink_to(site / "outside" / "static")
    result = _build(site)
    assert result.returncode == 1, result.stderr
    assert "templates/static:1:1: error: 'static' is a link to a folder outside templates/" in result.stderr


def test_template_linked_outside_templates_is_refused_and_inside_works(site: Path) -> None:
    """A template that is a link out of templates/ is refused, unread; a link inside templates/ works."""
    (site / "outside" / "about.html").write_text("{{ 1 }}" + SECRET, "utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "about.html").symlink_to(site / "outside" / "about.html")
    result = _build(site)
    assert result.returncode == 1, result.stderr
    assert "templates/about.html:1:1: error: 'about.html' is a link to a file outside templates/" in result.stderr
    (site / "templates" / "about.html").unlink()
    shutil.copy(BUILTIN_TEMPLATES / "about.html", site / "templates" / "own-about.html")
    (site / "templates" / "about.html").symlink_to("own-about.html")
    result = _build(site)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('{% include "../../etc/passwd" %}\n', "error: template '../../etc/passwd' not found"),
        ('{% include "no-such-part.html" %}\n', "error: template 'no-such-part.html' not found"),
        ("{% if %}\n", "error: template syntax: Expected an expression, got 'end of statement block'"),
        ("{{ no_such_name }}\n", "error: template error: 'no_such_name' is undefined"),
        ("{{ 1 // 0 }}\n", "error: template error: integer division or modulo by zero"),
    ],
)
def test_broken_site_template_is_an_error_at_its_line(site: Path, extra: str, message: str) -> None:
    """A site template that escapes its folder, names a missing template, has a syntax error or fails
    while rendering is reported at its file and line, exit 1 (not a crash, exit 3)."""
    line = _template(site, "about.html", extra)
    result = _build(site)
    assert result.returncode == 1, result.stderr
    assert f"templates/about.html:{line}:1: {message}" in result.stderr
    assert "hint: " in result.stderr
    assert "root:" not in result.stderr  # nothing of /etc/passwd
    assert not (site / "site").exists()


def test_content_error_survives_a_worker_process() -> None:
    """Large sites render in worker processes: a ContentError (a template's) comes back with its diagnostics."""
    import pickle

    from gongshi.errors import ContentError, Diagnostic

    error = ContentError([Diagnostic("templates/about.html", 3, 1, "template error: x", "hint")])
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, ContentError)
    assert again.diagnostics == error.diagnostics


# --- 4. the source line under an error ------------------------------------------------------------------------


def test_error_excerpt_is_a_bounded_printable_slice() -> None:
    """However long the line and whatever it holds, the excerpt is at most EXCERPT characters around the
    column, with control characters shown as symbols, and the caret under the right character."""
    from gongshi.errors import EXCERPT, Diagnostic, format_gcc

    line = "x" * 100_000 + "\x01\x1b[31m\x85\u202e" + "秘" * 50_000
    shown, caret = format_gcc(Diagnostic("a.yaml", 1, 100_001, "problem", source_line=line)).split("\n")[1:3]
    assert len(shown) <= EXCERPT + 4
    assert not any(ch in shown for ch in "\x01\x1b\x85\u202e")
    assert shown[len(caret) - 1] == "␁"  # both lines are indented by two; x and the ellipsis take one column
    start = format_gcc(Diagnostic("a.yaml", 1, 3, "problem", source_line="秘" * 1000)).split("\n")[1:3]
    assert start[0].startswith("  秘秘秘") and start[0].endswith("…") and start[1] == "      ^"
    end = format_gcc(Diagnostic("a.yaml", 1, 1001, "problem", source_line="a" * 1000)).split("\n")[1:3]
    assert end[0].startswith("  …") and len(end[1]) == len(end[0]) + 1


def test_long_line_in_content_prints_only_an_excerpt(site: Path) -> None:
    """A YAML mistake at the end of a 30,000-character line prints its neighbourhood, not the line."""
    path = site / "content" / "initiatives" / "rural-bus.yaml"
    path.write_text(path.read_text("utf-8").replace("summary: ", "summary: " + "长" * 30_000 + ": x", 1), "utf-8")
    result = _run(site, "check")
    assert result.returncode == 1, result.stderr
    assert "content/initiatives/rural-bus.yaml:" in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) < 400


# --- 5. control characters in content -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "where", "code"),
    [
        ("updates/2019-07-bus.md", "沿线群众", "沿线\x01群众", "9:28", "U+0001"),
        ("updates/2019-07-bus.md", "沿线群众", "沿线\x85群众", "9:28", "U+0085"),
        ("updates/2019-07-bus.md", "title: 第一条", "title: 第一\x0b条", "2:10", "U+000B"),
        ("initiatives/rural-bus.yaml", "title: 开通", "title: 开\x1b[31m通", "1:9", "U+001B"),
        ("initiatives/rural-bus.yaml", "title: 开通", "title: 开\ufffe通", "1:9", "U+FFFE"),
        ("site.yaml", "title: 民生", "title: 民\x7f生", "1:9", "U+007F"),
        ("initiatives/rural-bus.yaml", "title: 开通", 'title: "开\\x01" #', "1:8", "U+0001"),
        ("initiatives/rural-bus.yaml", "title: 开通", 'title: "\\uFFFF" #', "1:8", "U+FFFF"),
        ("glossary.yaml", "清姜: 清姜", '"清\\v姜": 清姜', "1:1", "U+000B"),
    ],
    ids=["body", "body-c1", "front", "ansi", "noncharacter", "del", "escape", "escape-ffff", "key"],
)
def test_control_characters_are_refused_at_their_place(
    site: Path, rel: str, old: str, new: str, where: str, code: str
) -> None:
    """An invisible control character (C0 but tab and newline, C1, DEL, a noncharacter), typed or written
    as a YAML escape (libyaml itself refuses a lone surrogate's), is an error at its file, line and
    column: it would make the feeds and share cards ill-formed XML."""
    path = site / "content" / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    for command in ("check", "build"):
        result = _run(site, command)
        assert result.returncode == 1, result.stderr
        assert f"content/{rel}:{where}" in result.stderr, result.stderr
        assert f"invisible control character {code}" in result.stderr
        assert not any(ch in result.stderr for ch in "\x01\x0b\x1b\x7f\x85\ufffe")


# --- 6. the time zone in site.yaml ----------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Shang-hai", "Asia", "../../etc/passwd", "/etc/localtime", ""])
def test_unknown_time_zone_is_an_error_at_its_line(site: Path, zone: str) -> None:
    """A time zone Python's zoneinfo does not know fails `check` at its line, and `build` the same way (no crash)."""
    path = site / "content" / "site.yaml"
    path.write_text(path.read_text("utf-8").replace("timezone: Asia/Shanghai", f'timezone: "{zone}"'), "utf-8")
    for command in ("check", "build"):
        result = _run(site, command)
        assert result.returncode == 1, result.stderr
        assert f"content/site.yaml:6:11: error: unknown time zone '{zone}'" in result.stderr
        assert "hint: write a time zone name like Asia/Shanghai or Asia/Hong_Kong" in result.stderr

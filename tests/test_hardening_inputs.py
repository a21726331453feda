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


@pytest.mark.parametrize("folder", ["initiatives", "updates"])
def test_record_folder_linked_outside_is_refused(site: Path, folder: str) -> None:
    """A record folder linked to a folder outside content/ is refused: none of its records is published."""
    outside = site / "outside" / folder
    shutil.copytree(site / "content" / folder, outside)
    (outside / "leaked.yaml" if folder == "initiatives" else outside / "leaked.md").write_bytes(
        (site / "content" / "initiatives" / "rural-bus.yaml").read_bytes()
        if folder == "initiatives"
        else (site / "content" / "updates" / "2019-07-bus.md").read_bytes()
    )
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
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n" for a, b in zip("abcd", "bcde")
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

"""Invalid content: every staff mistake is reported clearly, the run exits 1, and site/ is left untouched.

Each folder in tests/invalid/ is one case, stored as an overlay on the basic fixture
(tests/fixtures/basic/content, "the base"): the test copies the base to `content/` in tmp_path, copies the
case's `content/` over it, then deletes the files `removed.txt` names. Only what differs is committed:

- `content/` (optional): the files the case adds or changes, at their paths in the base; each holds one
  kind of mistake, or a few mistakes of the same kind. A file identical to the base's is not committed
  (`test_case_folders_are_complete` checks), so a fix to the base fixture reaches every case.
- `removed.txt` (optional): base files the case deletes, one path relative to `content/` a line (a blank
  line is ignored), e.g. `site.yaml`. A case renaming a file removes the old name and adds the new one.
- `expected.txt`: what stderr must contain, as blocks separated by blank lines. The lines of a block must
  appear consecutively in stderr, and the blocks in the order given (problems are sorted by file, line and
  column). A block is the `path:line:col: error: message` line, the source line, the caret and the
  `  hint: ...` line; the last block is the summary line, which pins the number of errors.
- `xfail.txt` (optional): why gongshi's output is wrong today. `expected.txt` then holds the output we
  want, and the case is a strict xfail: it fails loudly once gongshi is fixed, so the xfail gets removed.

Mistakes that need bytes an editor or git could alter (tabs, GBK, a byte-order mark with CRLF, a file over
the size limit) are not committed as files: `GENERATED` below writes them into tmp_path.

The command line runs with the case's folder in tmp_path (the one holding the merged `content/`) as its
working folder, so messages read `content/initiatives/x.yaml`.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, TESTS, gongshi_cli

from gongshi.load.source import MAX_FILE_BYTES

BASIC = FIXTURES / "basic" / "content"
INVALID = TESTS / "invalid"
HEADER = re.compile(r"^\S.*:[0-9]+:[0-9]+: (error|warning): \S")


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]  # writes `content/` into the folder it is given
    expected: str
    xfail: str | None = None


# --- cases generated here: special bytes -------------------------------------------------------------


def _basic_copy(folder: Path) -> Path:
    content = folder / "content"
    shutil.copytree(BASIC, content)
    return content


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _pad_to(path: Path, size: int, line: str) -> None:
    """Append copies of `line` (then ASCII dots) until the file is exactly `size` bytes."""
    data = path.read_bytes()
    chunk = line.encode("utf-8")
    missing = size - len(data)
    count = missing // len(chunk)
    path.write_bytes(data + chunk * count + b"." * (missing - count * len(chunk)))
    assert path.stat().st_size == size


def _gbk(folder: Path) -> None:
    content = _basic_copy(folder)
    for rel in ("initiatives/rural-bus.yaml", "updates/2019-07-bus.md"):
        path = content / rel
        path.write_bytes(path.read_text("utf-8").encode("gbk"))


def _tabs(folder: Path) -> None:
    initiatives = _basic_copy(folder) / "initiatives"
    _replace(initiatives / "rural-bus.yaml", "    target: 2\n", "\ttarget: 2\n")
    _replace(initiatives / "school-places.yaml", "category:", "\tcategory:")
    _replace(initiatives / "qingjiang-certificates.yaml", "  - name:", "\t- name:")


def _windows_files(folder: Path) -> None:
    initiatives = _basic_copy(folder) / "initiatives"
    _replace(initiatives / "rural-bus.yaml", "title: 开通", 'title: "开通')
    _replace(initiatives / "school-places.yaml", "status: delayed", "status: dalayed")
    for path in initiatives.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))


def _large_update(folder: Path) -> None:
    path = _basic_copy(folder) / "updates" / "2019-07-bus.md"
    _pad_to(path, MAX_FILE_BYTES + 1, "沿线群众出行更方便了。\n")


def _large_initiative(folder: Path) -> None:
    path = _basic_copy(folder) / "initiatives" / "rural-bus.yaml"
    _pad_to(path, MAX_FILE_BYTES + 1, "# 备注：沿线群众出行更方便了。\n")


STATUSES = (
    "planned (not started), in_progress (under way), delayed (behind schedule), completed (done), cancelled (dropped)"
)
TAB_HINT = "  hint: YAML indents with spaces only; replace the tab with spaces"

GENERATED = [
    Case(
        "gbk-encoded-file",
        _gbk,
        """\
content/initiatives/rural-bus.yaml:1:8: error: file is not valid UTF-8
  hint: this file looks like GBK; save it as UTF-8 (记事本: 另存为 → 编码 UTF-8)

content/updates/2019-07-bus.md:2:8: error: file is not valid UTF-8
  hint: this file looks like GBK; save it as UTF-8 (记事本: 另存为 → 编码 UTF-8)

2 error(s), 0 warning(s); nothing was written
""",
    ),
    Case(
        "yaml-tab-indent",
        _tabs,
        f"""\
content/initiatives/qingjiang-certificates.yaml:12:1: error: YAML syntax: a tab character cannot be used here
   - name: 辦理房產證
  ^
{TAB_HINT}

content/initiatives/rural-bus.yaml:13:1: error: YAML syntax: a tab character cannot be used here
   target: 2
  ^
{TAB_HINT}

content/initiatives/school-places.yaml:6:1: error: YAML syntax: a tab character cannot be used here
   category: 教育
  ^
{TAB_HINT}

3 error(s), 0 warning(s); nothing was written
""",
    ),
    Case(
        "bom-crlf-with-errors",
        _windows_files,
        f"""\
content/initiatives/rural-bus.yaml:1:8: error: YAML syntax: this quoted text is never closed
  title: "开通城乡公交线路
         ^
  hint: add the closing quote, or remove the opening one

content/initiatives/school-places.yaml:2:9: error: status 'dalayed' is not one of {STATUSES}
  status: dalayed
          ^
  hint: did you mean 'delayed'?

2 error(s), 0 warning(s); nothing was written
""",
    ),
    Case(
        "file-too-large-update",
        _large_update,
        f"""\
content/updates/2019-07-bus.md:1:1: error: file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}
  hint: split the text into several updates

1 error(s), 0 warning(s); nothing was written
""",
    ),
    Case(
        "file-too-large-initiative",
        _large_initiative,
        f"""\
content/initiatives/rural-bus.yaml:1:1: error: file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}
  hint: an initiative record holds short facts; move long text into an update

1 error(s), 0 warning(s); nothing was written
""",
    ),
]


# --- cases committed as folders ----------------------------------------------------------------------


CASE_ENTRIES = {"content", "expected.txt", "removed.txt", "xfail.txt"}  # what a case folder may hold


def _overlay_files(folder: Path) -> list[str]:
    """The files a case adds or changes, as paths relative to `content/`."""
    overlay = folder / "content"
    return sorted(p.relative_to(overlay).as_posix() for p in overlay.rglob("*") if p.is_file())


def _removed(folder: Path) -> list[str]:
    """The base files a case deletes: the lines of its `removed.txt`, if any."""
    path = folder / "removed.txt"
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    return [line.strip() for line in lines if line.strip()]


def _folder_case(folder: Path) -> Case:
    def make(target: Path) -> None:
        content = _basic_copy(target)
        if (folder / "content").is_dir():
            shutil.copytree(folder / "content", content, dirs_exist_ok=True)
        for rel in _removed(folder):
            (content / rel).unlink()  # FileNotFoundError if the base has no such file

    reason = folder / "xfail.txt"
    return Case(
        folder.name,
        make,
        (folder / "expected.txt").read_text("utf-8"),
        reason.read_text("utf-8").strip() if reason.is_file() else None,
    )


FOLDERS = [_folder_case(p) for p in sorted(INVALID.iterdir()) if (p / "expected.txt").is_file()]
CASES = FOLDERS + GENERATED


def _params(with_xfail: bool) -> list[object]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if with_xfail and case.xfail else [],
        )
        for case in CASES
    ]


# --- helpers -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic fixture built once: the `site/` every case starts from."""
    folder = tmp_path_factory.mktemp("basic")
    result = gongshi_cli(
        "build", "--content", str(BASIC), "--out", str(folder / "site"), "--no-search", "--no-history", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    return folder / "site"


def _snapshot(folder: Path) -> tuple[int, dict[str, tuple[bytes | None, int]]]:
    """Everything under `folder`: its inode, then each path's bytes (None for folders) and mtime."""
    entries = {
        path.relative_to(folder).as_posix(): (path.read_bytes() if path.is_file() else None, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }
    return folder.stat().st_ino, entries


def _blocks(text: str) -> list[list[str]]:
    """stderr split into diagnostics (header plus its indented lines) and other lines."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if blocks and line.startswith("  ") and HEADER.match(blocks[-1][0]):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _error_blocks(text: str) -> list[list[str]]:
    return [block for block in _blocks(text) if ": error: " in block[0] and HEADER.match(block[0])]


def _assert_expected(stderr: str, expected: str) -> None:
    """Each block of `expected` appears as consecutive lines of stderr, in order."""
    lines = stderr.splitlines()
    start = 0
    for chunk in expected.strip("\n").split("\n\n"):
        block = chunk.split("\n")
        found = next((i for i in range(start, len(lines) - len(block) + 1) if lines[i : i + len(block)] == block), None)
        assert found is not None, "missing from stderr (or out of order):\n" + chunk + "\n\nstderr:\n" + stderr
        start = found + len(block)


def _assert_every_error_has_hint(stderr: str) -> None:
    for block in _error_blocks(stderr):
        assert any(line.startswith("  hint: ") for line in block[1:]), "error without a hint:\n" + "\n".join(block)


# --- tests ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(with_xfail=True))
def test_mistake_is_reported_and_site_untouched(case: Case, tmp_path: Path, basic_site: Path) -> None:
    """Each mistake gives path:line:col, source line, caret and hint, exit 1, and leaves site/ as it was."""
    case.make(tmp_path)
    shutil.copytree(basic_site, tmp_path / "site")
    before = _snapshot(tmp_path)
    result = gongshi_cli("build", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    _assert_expected(result.stderr, case.expected)
    _assert_every_error_has_hint(result.stderr)
    assert _snapshot(tmp_path) == before, "the failed build changed the working folder"


@pytest.mark.parametrize("case", _params(with_xfail=False))
def test_check_reports_the_same_errors(case: Case, tmp_path: Path) -> None:
    """`check` reports exactly the errors `build` reports, exits 1 and writes nothing."""
    case.make(tmp_path)
    build = gongshi_cli("build", cwd=tmp_path)
    check = gongshi_cli("check", cwd=tmp_path)
    for result in (build, check):
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 1, result.stderr
    assert _error_blocks(check.stderr), check.stderr
    assert _error_blocks(check.stderr) == _error_blocks(build.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_bom_and_crlf_are_accepted(tmp_path: Path, basic_site: Path) -> None:
    """Files saved by Windows Notepad (UTF-8 BOM, CRLF) build exactly like the plain UTF-8 originals."""
    content = _basic_copy(tmp_path)
    for path in sorted(content.rglob("*")):
        if path.is_file():
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    shutil.copytree(basic_site, tmp_path / "site")
    result = gongshi_cli("build", "--no-search", "--no-history", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr, result.stderr
    built = {rel: data for rel, (data, _mtime) in _snapshot(tmp_path / "site")[1].items()}
    wanted = {rel: data for rel, (data, _mtime) in _snapshot(basic_site)[1].items()}
    assert sorted(built) == sorted(wanted)
    assert [rel for rel in wanted if built[rel] != wanted[rel]] == []


def test_case_folders_are_complete() -> None:
    """Every tests/invalid/ folder is an overlay on the base plus expected.txt, so no case is skipped by mistake."""
    base = {p.relative_to(BASIC).as_posix() for p in BASIC.rglob("*") if p.is_file()}
    for folder in sorted(p for p in INVALID.iterdir() if p.is_dir()):
        assert (folder / "expected.txt").is_file(), f"{folder.name}: no expected.txt"
        unknown = sorted(p.name for p in folder.iterdir() if p.name not in CASE_ENTRIES)
        assert not unknown, f"{folder.name}: {unknown} would be ignored; a case holds only {sorted(CASE_ENTRIES)}"
        overlay, removed = _overlay_files(folder), _removed(folder)
        assert overlay or removed, f"{folder.name}: changes nothing in the base (no content/ files, no removed.txt)"
        same = [
            rel for rel in overlay if rel in base and filecmp.cmp(folder / "content" / rel, BASIC / rel, shallow=False)
        ]
        assert not same, f"{folder.name}: {same} identical to tests/fixtures/basic/content: delete them from the case"
        stray = [rel for rel in removed if rel not in base]
        assert not stray, f"{folder.name}: removed.txt names {stray}, which are not in the base"
        assert not set(removed) & set(overlay), f"{folder.name}: a file both in removed.txt and in content/"
        expected = (folder / "expected.txt").read_text("utf-8")
        assert HEADER.match(expected), f"{folder.name}: expected.txt must start with a path:line:col line"
        assert "hint: " in expected, f"{folder.name}: expected.txt has no hint line"
        assert expected.rstrip().endswith("; nothing was written"), f"{folder.name}: no summary line"


def test_inlined_schemas_give_the_same_errors() -> None:
    """The validators with `$ref`s inlined (for speed) report exactly what the schemas as written do."""
    from gongshi.load.schema import SCHEMAS, validator
    from gongshi.load.source import Source, parse_yaml, split_front_matter

    documents = []
    for path in sorted(
        [*INVALID.rglob("*.yaml"), *INVALID.rglob("*.md"), *FIXTURES.rglob("*.yaml"), *FIXTURES.rglob("*.md")]
    ):
        text = path.read_text("utf-8", errors="replace")
        front = split_front_matter(Source(str(path), text))[0] if path.suffix == ".md" else None
        tree = parse_yaml(Source(str(path), text), front)[0]
        if tree is not None:
            documents.append(tree.value)
    documents += [
        {"title": 1, "status": "done", "targets": [{"name": None, "target": -1}], "start": "2020-13"},
        {"lang": "en", "title": {"zh-Hans": 1, "fr": "x"}, "sources": ["javascript:x"], "extra": 1},
    ]
    assert len(documents) > 40

    def seen(error: Any) -> tuple[Any, ...]:  # what schema._explain reads of an error
        schema = error.schema if isinstance(error.schema, dict) else {}
        return (
            error.validator,
            error.validator_value,
            list(error.absolute_path),
            error.message,
            sorted(schema.get("properties", {})),
            schema.get("minimum"),
            schema.get("maximum"),
            schema.get("pattern"),  # marks a date, whichever of its rules failed
        )

    for name in SCHEMAS:
        for document in documents:
            fast, plain = validator(name), validator(name, inline=False)
            assert [seen(e) for e in fast.iter_errors(document)] == [seen(e) for e in plain.iter_errors(document)]

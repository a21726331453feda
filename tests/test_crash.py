"""Fault injection: a cached build of 500 initiatives killed with SIGKILL at random moments.

After each kill the output folder must equal, byte for byte, the reference build of the old content
or of the new one (never a mix), and no process of the killed build may be left (render workers,
Pagefind). The next build removes what a killed one left beside the site and in the scratch folders.
"""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from gongshi import scratch

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # bench/corpus.py: the benchmark's synthetic content

KILLS = 20
SEED = 17


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def start(content: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), *extra]
    return subprocess.Popen(command, cwd=content.parent, start_new_session=True, stderr=subprocess.PIPE)


def finish(run: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    _, err = run.communicate(timeout=600)
    assert run.returncode == 0, err.decode()
    return time.perf_counter() - started


def session_processes(session: int) -> list[str]:
    """The processes still alive in the killed build's session (its workers, a Pagefind run)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(stat.parent.name)
    return found


def set_title(record: Path, title: str) -> None:
    text = record.read_text("utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    record.write_text(text.replace(old, f"title: {title}", 1), "utf-8")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory, pagefind: Path) -> Path:
    root = tmp_path_factory.mktemp("crash")
    corpus.generate(root / "corpus", 500)
    return root / "corpus" / "content"


def test_a_killed_build_leaves_the_old_site_or_the_new(content: Path) -> None:
    """The edit: one initiative's title, shown on its pages, the lists, feeds and search (about 80 files)."""
    out, record = content.parent / "site", sorted((content / "initiatives").glob("*.yaml"))[0]
    titles = ("梨园街道二次供水设施改造甲", "梨园街道二次供水设施改造乙")
    references = {}
    for title in titles:
        set_title(record, title)
        duration = finish(start(content, out))
        references[title] = tree(out)
    set_title(record, titles[0])
    finish(start(content, out))
    assert tree(out) == references[titles[0]], "an edit and its undo do not give the same site again"
    rng = random.Random(SEED)
    seen = set()
    for kill in range(KILLS):
        set_title(record, titles[(kill + 1) % 2])
        run = start(content, out)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        deadline = time.monotonic() + 10
        while session_processes(run.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not session_processes(run.pid), f"kill {kill}: processes of the killed build are left"
        now = tree(out)
        assert now in references.values(), f"kill {kill}: the site is neither the old one nor the new one"
        seen.add(next(title for title, files in references.items() if files == now))
    assert len(seen) == 2, "the kills never fell before (or never after) the site was exchanged"
    finish(start(content, out))
    assert tree(out) == references[titles[KILLS % 2]]
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".site")) == [
        ".site.gongshi-lock",
        ".site.gongshi-new",
    ]
    left = [f for root in scratch.scratch_roots() for f in root.glob(f"{scratch.SCRATCH}*") if scratch.abandoned(f)]
    assert not left, "scratch folders of killed builds are left after a build"

"""Memory of a whole process tree, as the issue asks it measured: the peak of the sum of PSS over
every process of the tree at once (the build, its render workers, the Pagefind runs), beside the
largest single process.

PSS (proportional set size, /proc/PID/smaps_rollup) counts a page shared by k processes as 1/k in
each, so the sum over a tree is what the tree holds: forked workers sharing the parent's pages
are not counted twice, as a sum of RSS would. The tree is sampled every `interval` seconds; a peak
shorter than that can be missed (the largest process's own peak RSS, from getrusage, cannot).

    .venv/bin/python bench/memory.py -- COMMAND ...   # runs COMMAND, prints one JSON line
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def children_of(root: int) -> list[int]:
    """`root` and every process descended from it, found by reading each process's parent."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += parents.get(pid, [])
    return tree


def name(pid: int) -> str:
    """A process's program and first argument, shortened (`python build.py`, `pagefind_extended --site`)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(Path(a.decode("utf-8", "replace")).name for a in argv[:2])


def pss(pid: int) -> int:
    """The process's PSS in bytes (0 when it ended meanwhile)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class Sampler:
    """Samples the tree under `root` in a thread until stopped; `peak_sum`, `peak_largest` in bytes."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root, self.interval = root, interval
        self.peak_sum = self.peak_largest = self.peak_processes = self.samples = 0
        self.at_peak: list[tuple[str, int]] = []  # each process at the peak of the sum: its name, its PSS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = children_of(self.root)
            sizes = [pss(pid) for pid in pids]
            self.samples += 1
            if sum(sizes) > self.peak_sum:
                self.at_peak = [(name(pid), size) for pid, size in zip(pids, sizes, strict=True) if size]
            self.peak_sum = max(self.peak_sum, sum(sizes))
            self.peak_largest = max(self.peak_largest, max(sizes, default=0))
            self.peak_processes = max(self.peak_processes, sum(1 for s in sizes if s))
            self._stop.wait(self.interval)


def measure(cmd: list[str], cwd: str | None = None, interval: float = 0.05) -> dict[str, Any]:
    """Run `cmd`; its wall time, exit status, output tails and memory (bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with Sampler(process.pid, interval) as sampler:
        out, err = process.communicate()
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "rc": process.returncode,
        "pss_peak_sum": sampler.peak_sum,
        "pss_peak_largest": sampler.peak_largest,
        "processes": sampler.peak_processes,
        "samples": sampler.samples,
        "at_peak": sampler.at_peak,
        # the largest single process's own peak, exact (the kernel's high-water mark)
        "maxrss_largest": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "stdout": out.decode("utf-8", "replace")[-4000:],
        "stderr": err.decode("utf-8", "replace")[-4000:],
    }


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    spec: dict[str, Any] = json.loads(args[0]) if len(args) == 1 and args[0].startswith("{") else {"cmd": args}
    print(json.dumps(measure(spec["cmd"], spec.get("cwd"))))

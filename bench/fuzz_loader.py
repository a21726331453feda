#!/usr/bin/env python
"""Fuzz gongshi's load stage: it must never raise, whatever staff save.

Every round writes three files into one reused temporary content folder (`site.yaml`, one
initiative `initiatives/rural-bus.yaml`, one update `updates/2019-07-bus.md`), then runs
`load_content` and `validate_content`. Problems must come back as diagnostics; any exception is a
crash. The inputs are random bytes and mutated copies of the valid files of
`tests/fixtures/basic/content`: byte flips, deleted, duplicated and swapped lines, inserted YAML
syntax (tabs, colons, quotes, anchors `&a`, aliases `*a`, `!!tags`, flow brackets), special
scalars (`0x_`, `.nan`, huge numbers), deep nesting, alias bombs, GBK or UTF-16 re-encoding, byte-order
marks and CRLF/CR line endings.

    .venv/bin/python bench/fuzz_loader.py --count 20000 --seed 1

The same seed always produces the same inputs. Each distinct crash (exception type and place) is
printed once with the input that caused it and a reduced reproducer; the exit status is 1 when
anything crashed. `run_fuzz` is the importable core (tests/test_security.py runs it).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "basic" / "content"

SITE = "site.yaml"
INITIATIVE = "initiatives/rural-bus.yaml"
UPDATE = "updates/2019-07-bus.md"
SLOTS = (SITE, INITIATIVE, UPDATE)

# What staff (and their editors) insert by mistake, and what an attacker would try.
TOKENS = (
    "\t",
    ":",
    ": ",
    "：",
    " :",
    "'",
    '"',
    "''",
    '""',
    "\\",
    "#",
    "# ",
    "|",
    ">",
    "|-\n",
    ">+\n",
    "&a ",
    "*a",
    "&a [1, *a] ",
    "*b",
    "<<: *a\n",
    "? ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "[]",
    "{}",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!str ",
    "!!null ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!map ",
    "!!seq ",
    "!!merge ",
    "!!value ",
    "!!python/object/apply:os.system ['true'] ",
    "!!python/name:os.system ",
    "!custom ",
    "!<tag:yaml.org,2002:int> ",
    "!<!> ",
    "!",
    "%YAML 1.1\n",
    "%TAG ! tag:yaml.org,2002:\n",
    "---\n",
    "...\n",
    "--- ",
    "@",
    "`",
    "%",
    "&",
    "*",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "off",
    ".nan",
    ".inf",
    "-.inf",
    "0x_",
    "0b_",
    "+0x_",
    "0o7",
    "0777",
    "1_000",
    "1:30",
    "190:20:30",
    "1e400",
    "-0",
    "0x7fffffffffffffff",
    "2019-02-30",
    "2019-13",
    "2019-00-01",
    "0000-01-01",
    "9999-12-31",
    "2019-07-01T00:00:00Z",
    "-{",
    "}-",
    "-{zh-hans:a;zh-hant:b}-",
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u3000",
    "\xa0",
    "\u200b",
    "\ufffd",
    "\U0001f600",
    "\r",
    "\n",
    "\n\n",
    "  ",
    "    ",
    "title",
    "status",
    "date",
    "lang: zh-Hant\n",
    "zh-Hans: ",
    "zh-Hant: ",
    "initiatives: [",
    "source:\n  url: javascript:alert(1)\n",
    "<script>",
    "{{ 7*7 }}",
)
# Values put after `key: `: scalars that the YAML resolver turns into numbers, booleans, nulls.
SPECIAL_VALUES = (
    "0x_",
    "0b_",
    "-0b_",
    "0x",
    "0b",
    "!!int abc",
    "!!int",
    "!!float abc",
    "!!bool maybe",
    "!!null x",
    "!!int ''",
    "!!float ''",
    ".nan",
    ".NaN",
    ".inf",
    "-.Inf",
    "~",
    "null",
    "yes",
    "No",
    "on",
    "1e400",
    "1_0",
    "0o17",
    "0777",
    "08",
    "1:60",
    "-1",
    "101",
    "3.5",
    "[]",
    "{}",
    "[1, 2]",
    "{a: 1}",
    "*a",
    "&a x",
    "!!binary aGVsbG8=",
    "!!timestamp 2019-07-01",
    "!!str 5",
    "'2019-07-01'",
    "2019-07-01 12:00:00",
    '"\\x00"',
    '"\\ud800"',
    '"\\U0010ffff"',
    '"\\e"',
    "|\n  block",
    ">-\n  folded",
)
SCHEMES = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<b>",
    "vbscript:x",
    "//evil.example",
    "https://example.org/\u0000",
    "mailto:",
    "http://",
    "https://例子.中国/路径",
)


@dataclass
class Crash:
    """One distinct crash: where it happened and the first input that caused it."""

    signature: str
    error: str
    trace: str
    files: dict[str, bytes]
    round: int
    count: int = 1
    reduced: dict[str, bytes] | None = None


@dataclass
class FuzzStats:
    tried: int = 0
    with_diagnostics: int = 0  # rejected: at least one error-level diagnostic
    accepted: int = 0  # content built, no error (warnings allowed)
    crashes: int = 0  # inputs that raised (or failed without saying why)
    seconds: float = 0.0
    slowest: float = 0.0
    slowest_round: int = -1
    distinct: dict[str, Crash] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.tried / self.seconds if self.seconds else 0.0


# --- inputs --------------------------------------------------------------------------------------


def corpus() -> dict[str, list[bytes]]:
    """The valid files each slot's mutations start from: any pairing of them loads cleanly.

    The initiative is always saved as `rural-bus.yaml`, so updates name that id; hand-written
    editions (`*.zh-hans.md`) have no date and serve only as material for splicing.
    """
    updates = [p.read_bytes() for p in sorted((FIXTURE / "updates").glob("*.md")) if p.name.count(".") == 1]
    ids = [p.stem.encode() for p in (FIXTURE / "initiatives").glob("*.yaml")]
    for ident in ids:
        updates = [data.replace(ident, b"rural-bus") for data in updates]
    return {
        SITE: [(FIXTURE / SITE).read_bytes()],
        INITIATIVE: [p.read_bytes() for p in sorted((FIXTURE / "initiatives").glob("*.yaml"))],
        UPDATE: updates,
    }


def material() -> list[bytes]:
    """Every fixture file, for splicing lines from one file into another."""
    return [p.read_bytes() for p in sorted(FIXTURE.rglob("*")) if p.is_file()]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randint(0, len(data))


def m_flip(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(1, 256)
    return bytes(buf)


def m_delete_lines(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    del lines[start : start + rng.randint(1, 3)]
    return b"\n".join(lines)


def m_duplicate_line(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.randint(1, 3)
    return b"\n".join(lines)


def m_swap_lines(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def m_insert_token(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    i = _pos(rng, data)
    return data[:i] + rng.choice(TOKENS).encode("utf-8") + data[i:]


def m_token_at_line_start(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(TOKENS).encode("utf-8") + lines[i]
    return b"\n".join(lines)


def m_replace_value(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """`key: value` → `key: <special scalar>`, the way a real value turns into a tagged or odd one."""
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if b": " in line]
    if not keyed:
        return m_insert_token(rng, data, pool)
    i = rng.choice(keyed)
    key = lines[i].split(b": ", 1)[0]
    lines[i] = key + b": " + rng.choice(SPECIAL_VALUES).encode("utf-8")
    return b"\n".join(lines)


def m_retext(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """`key: value` → `key: <other plain text>`: mostly still valid, so later stages run too."""
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if b": " in line]
    if not keyed:
        return data
    i = rng.choice(keyed)
    key = lines[i].split(b": ", 1)[0]
    alphabet = "发展里面干部乾後后著着 abcXYZ019-_.,，。、（）《》%"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))).strip() or "x"
    quote = rng.choice(["", "", "'", '"'])
    lines[i] = key + b": " + f"{quote}{text}{quote}".encode()
    return b"\n".join(lines)


def m_reindent(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    choice = rng.randrange(3)
    if choice == 0:
        lines[i] = line.lstrip(b" ")
    elif choice == 1:
        lines[i] = b" " * rng.randint(1, 6) + line
    else:
        lines[i] = b"\t" + line
    return b"\n".join(lines)


def m_truncate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    return data[: _pos(rng, data)]


def m_delete_bytes(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    i = _pos(rng, data)
    return data[:i] + data[i + rng.randint(1, 16) :]


def m_insert_bytes(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    i = _pos(rng, data)
    return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[i:]


def m_splice(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """A line of another valid file, pasted in."""
    other = _lines(rng.choice(pool))
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(other))
    return b"\n".join(lines)


def m_unicode(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    text = data.decode("utf-8", "replace")
    i = rng.randint(0, len(text))
    ch = chr(
        rng.choice(
            [
                rng.randrange(0x20),
                rng.randrange(0x80, 0x100),
                rng.randrange(0x2000, 0x3100),
                rng.randrange(0x4E00, 0xA000),
                rng.randrange(0xFE00, 0x10000),
                rng.randrange(0x10000, 0x20000),
            ]
        )
    )
    if 0xD800 <= ord(ch) <= 0xDFFF:
        ch = "\ufffd"
    return (text[:i] + ch + text[i:]).encode("utf-8")


def m_nesting(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """A deeply nested value: flow brackets, block sequences or mappings."""
    depth = rng.choice([rng.randint(2, 50), rng.randint(50, 600), rng.randint(600, 3000)])
    kind = rng.randrange(4)
    if kind == 0:
        value = "[" * depth + "]" * depth
    elif kind == 1:
        value = "{a: " * depth + "1" + "}" * depth
    elif kind == 2:
        value = "\n" + "".join("  " * (i + 1) + "-\n" for i in range(min(depth, 400))) + "  " * 401 + "x"
    else:
        value = "\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(min(depth, 400))) + "  " * 401 + "x"
    return m_set_key(rng, data, value.encode())


def m_big_number(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    digits = rng.choice([rng.randint(1, 30), rng.randint(300, 5000)])
    value = rng.choice(
        [
            "9" * digits,
            "0x" + "f" * digits,
            "0b" + "1" * digits,
            "0" + "7" * digits,
            "-" + "9" * digits,
            "1" + "0" * digits + ".5",
            "1e" + "9" * min(digits, 20),
        ]
    )
    return m_set_key(rng, data, value.encode())


def m_alias_bomb(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    width, depth = rng.randint(2, 10), rng.randint(2, 9)
    lines = [f"x0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth)]
    bomb = "\n".join(lines) + "\n"
    if rng.random() < 0.5:
        return bomb.encode() + data
    return m_set_key(rng, data, f"&r [{', '.join(['*r'] * width)}]".encode())


def m_set_key(rng: random.Random, data: bytes, value: bytes) -> bytes:
    """Set a random existing key (or a well-known one) to `value`."""
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if b": " in line or line.rstrip().endswith(b":")]
    if keyed and rng.random() < 0.8:
        i = rng.choice(keyed)
        key = lines[i].split(b":", 1)[0]
        lines[i] = key + b": " + value
        return b"\n".join(lines)
    key = rng.choice([b"title", b"progress", b"targets", b"date", b"contact", b"zz"])
    lines.insert(rng.randrange(len(lines) + 1), key + b": " + value)
    return b"\n".join(lines)


def m_front_matter(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    """Games with the `---` fences of an update."""
    lines = _lines(data)
    fences = [i for i, line in enumerate(lines) if line.strip() in (b"---", b"...")]
    choice = rng.randrange(4)
    if choice == 0 and fences:
        del lines[rng.choice(fences)]
    elif choice == 1:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice([b"---", b"...", b"--- ", b"----", b"---\r"]))
    elif choice == 2 and fences:
        lines[rng.choice(fences)] = rng.choice([b"--", b"- - -", b"\xef\xbb\xbf---", b" ---", b"---x"])
    else:
        lines.insert(0, b"")
    return b"\n".join(lines)


MUTATORS: tuple[Callable[[random.Random, bytes, list[bytes]], bytes], ...] = (
    m_flip,
    m_delete_lines,
    m_duplicate_line,
    m_swap_lines,
    m_insert_token,
    m_insert_token,
    m_token_at_line_start,
    m_replace_value,
    m_replace_value,
    m_retext,
    m_retext,
    m_retext,
    m_reindent,
    m_truncate,
    m_delete_bytes,
    m_insert_bytes,
    m_splice,
    m_unicode,
    m_nesting,
    m_big_number,
    m_alias_bomb,
    m_front_matter,
)


def encode(rng: random.Random, data: bytes) -> bytes:
    """Sometimes save the file the way a Windows editor would."""
    roll = rng.random()
    if roll < 0.06:
        text = data.decode("utf-8", "replace")
        return text.encode("gbk", "replace")
    if roll < 0.09:
        return data.decode("utf-8", "replace").encode(
            rng.choice(["utf-16", "utf-16-le", "big5", "utf-8-sig"]), "replace"
        )
    if roll < 0.15:
        return b"\xef\xbb\xbf" * rng.randint(1, 2) + data
    if roll < 0.23:
        return data.replace(b"\n", b"\r\n")
    if roll < 0.26:
        return data.replace(b"\n", b"\r")
    if roll < 0.29:
        return data.replace(b"\n", rng.choice([b"\r\n", b"\n\r", b"\r\r\n"]), rng.randint(1, 3))
    return data


def random_bytes(rng: random.Random) -> bytes:
    size = rng.choice([0, 1, rng.randint(2, 64), rng.randint(64, 600)])
    if rng.random() < 0.5:
        return bytes(rng.randrange(256) for _ in range(size))
    alphabet = list(b"abcz019 :-#&*!|>'\"[]{},?\n\t%@`~.") + [b for b in "发展里：—".encode()]
    return bytes(rng.choice(alphabet) for _ in range(size))


def mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    if rng.random() < 0.06:
        return random_bytes(rng)
    for _ in range(rng.choice([1, 1, 1, 1, 2, 2, 3, 5])):
        data = rng.choice(MUTATORS)(rng, data, pool)
    return encode(rng, data)


def generate(rng: random.Random, base: dict[str, list[bytes]], pool: list[bytes]) -> dict[str, bytes]:
    """One round's three files; at least one of them is mutated."""
    files = {slot: rng.choice(base[slot]) for slot in SLOTS}
    files[SITE] = base[SITE][0]
    chosen = rng.sample(SLOTS, rng.choice([1, 1, 1, 2, 3]))
    for slot in chosen:
        files[slot] = mutate(rng, files[slot], pool)
    return files


# --- running -------------------------------------------------------------------------------------


def write(root: Path, files: dict[str, bytes]) -> None:
    for slot, data in files.items():
        (root / slot).write_bytes(data)


def check(root: Path, files: dict[str, bytes]) -> tuple[str, BaseException | None]:
    """Load one input: 'accepted', 'rejected', or 'crash' with the exception."""
    from gongshi.load import load_content
    from gongshi.load.validate import validate_content

    write(root, files)
    try:
        loaded = load_content(root)
        diags = loaded.diagnostics + validate_content(loaded)
    except Exception as exc:  # any exception is what we are looking for
        return "crash", exc
    if any(d.is_error for d in diags):
        return "rejected", None
    if loaded.content is None:
        return "crash", AssertionError("content is None but no error diagnostic says why")
    return "accepted", None


def signature(exc: BaseException) -> str:
    """Exception type and the innermost gongshi frame: one line per distinct bug."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/gongshi/" in f.filename.replace("\\", "/")] or frames
    if not ours:
        return type(exc).__name__
    if isinstance(exc, RecursionError):  # the same runaway recursion stops in varying places
        name, _ = Counter((Path(f.filename).name, f.name) for f in ours).most_common(1)[0]
        return f"RecursionError recursing in {name[0]} {name[1]}"
    return f"{type(exc).__name__} at {Path(ours[-1].filename).name}:{ours[-1].lineno} in {ours[-1].name}"


def reduce(
    root: Path, files: dict[str, bytes], sig: str, base: dict[str, list[bytes]], budget: int = 400
) -> dict[str, bytes]:
    """A smaller input with the same crash: other files reset to valid ones, then lines and bytes cut."""
    calls = 0

    def same(candidate: dict[str, bytes]) -> bool:
        nonlocal calls
        calls += 1
        outcome, exc = check(root, candidate)
        return outcome == "crash" and exc is not None and signature(exc) == sig

    current = dict(files)
    for slot in SLOTS:
        for valid in base[slot]:
            if current[slot] != valid and calls < budget:
                trial = {**current, slot: valid}
                if same(trial):
                    current = trial
                    break
    for slot in SLOTS:
        if current[slot] in base[slot]:
            continue
        for unit in (b"\n", None):  # lines first, then bytes
            chunk = 8
            while chunk >= 1 and calls < budget:
                parts = current[slot].split(b"\n") if unit else [bytes([b]) for b in current[slot]]
                joiner = b"\n" if unit else b""
                changed = False
                i = 0
                while i < len(parts) and calls < budget:
                    trial_parts = parts[:i] + parts[i + chunk :]
                    trial = {**current, slot: joiner.join(trial_parts)}
                    if same(trial):
                        current, parts, changed = trial, trial_parts, True
                    else:
                        i += chunk
                if not changed:
                    chunk //= 2
    return current


def show(data: bytes, limit: int = 400) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[:limit] + f"... ({len(data)} bytes)"


def run_fuzz(
    count: int,
    seed: int,
    *,
    minimize: bool = True,
    report: Callable[[str], None] | None = None,
    workdir: Path | None = None,
) -> FuzzStats:
    """Feed `count` generated inputs to the loader; deterministic for a given `seed`."""
    rng = random.Random(seed)
    base, pool = corpus(), material()
    stats = FuzzStats()
    with tempfile.TemporaryDirectory(prefix="gongshi-fuzz-", dir=workdir) as tmp:
        root = Path(tmp, "content")
        (root / "initiatives").mkdir(parents=True)
        (root / "updates").mkdir()
        calibrate(root, base)
        started = time.perf_counter()
        spent_reducing = 0.0
        for round_ in range(count):
            files = generate(rng, base, pool)
            t0 = time.perf_counter()
            outcome, exc = check(root, files)
            elapsed = time.perf_counter() - t0
            if elapsed > stats.slowest:
                stats.slowest, stats.slowest_round = elapsed, round_
            stats.tried += 1
            if outcome == "accepted":
                stats.accepted += 1
            elif outcome == "rejected":
                stats.with_diagnostics += 1
            else:
                assert exc is not None
                stats.crashes += 1
                sig = signature(exc)
                if sig in stats.distinct:
                    stats.distinct[sig].count += 1
                    continue
                crash = Crash(
                    sig,
                    f"{type(exc).__name__}: {str(exc)[:200]}",
                    "".join(traceback.format_exception(exc)[-6:]),
                    files,
                    round_,
                )
                stats.distinct[sig] = crash
                if minimize:
                    t1 = time.perf_counter()
                    crash.reduced = reduce(root, files, sig, base)
                    spent_reducing += time.perf_counter() - t1
                if report:
                    report(describe(crash))
        stats.seconds = time.perf_counter() - started - spent_reducing
    return stats


def calibrate(root: Path, base: dict[str, list[bytes]]) -> None:
    """Every pairing of the valid files must load cleanly, or 'rejected' would mean nothing."""
    for initiative in base[INITIATIVE]:
        for update in base[UPDATE]:
            outcome, exc = check(root, {SITE: base[SITE][0], INITIATIVE: initiative, UPDATE: update})
            if outcome != "accepted":
                raise RuntimeError(
                    f"the unmutated fixture files do not load cleanly ({outcome}: {exc!r}); "
                    "is tests/fixtures/basic/content valid?"
                )


def describe(crash: Crash) -> str:
    lines = [f"CRASH #{crash.round}: {crash.signature}", f"  {crash.error}", "  input:"]
    lines += [f"    {slot}: {show(data)}" for slot, data in crash.files.items()]
    if crash.reduced is not None:
        lines.append("  reduced reproducer (other files are the valid fixture files):")
        base = corpus()
        lines += [f"    {slot}: {show(data, 600)}" for slot, data in crash.reduced.items() if data not in base[slot]]
    lines.append("  traceback (last frames):")
    lines += ["    " + line for line in crash.trace.rstrip().splitlines()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20000, help="inputs to try (default 20000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--no-minimize", action="store_true", help="do not reduce crashing inputs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

    def report(text: str) -> None:
        print(text, flush=True)

    stats = run_fuzz(args.count, args.seed, minimize=not args.no_minimize, report=report)
    if stats.distinct:
        print("\ndistinct crashes:")
        for crash in sorted(stats.distinct.values(), key=lambda c: -c.count):
            print(f"  {crash.count:6d} × {crash.signature}  (first in round {crash.round})")
    print(f"\ninputs tried:            {stats.tried}")
    print(f"inputs with diagnostics: {stats.with_diagnostics}")
    print(f"inputs accepted:         {stats.accepted}")
    print(f"crashes:                 {stats.crashes} ({len(stats.distinct)} distinct)")
    print(f"seconds:                 {stats.seconds:.1f} (loading only; reducing crashes not counted)")
    print(f"inputs/second:           {stats.rate:.0f}")
    print(f"slowest input:           {stats.slowest * 1000:.0f} ms (round {stats.slowest_round})")
    return 1 if stats.crashes else 0


if __name__ == "__main__":
    sys.exit(main())

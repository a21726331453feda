"""The conversion review report: every place where conversion chose between several characters.

OpenCC's tables give some characters several forms (发 → 發/髮, 里 → 裡/里, 干 → 乾/幹/干). Each
place where a text's conversion had to choose one is a `Finding`, with its sentence before and
after, and the glossary line (the whole word) that would pin the choice. A choice made by a word
of the engine's tables that is also a word of the sentence (头发 → 頭髮) is not listed: only
guesses are, with the person names the converter recognised, for the editor to confirm.
Editors confirm findings once
(`review --accept` writes their fingerprints to `content/review.yaml`); a finding whose sentence
has not changed since is not listed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from gongshi import markdown
from gongshi.convert import Converter
from gongshi.errors import ContentError, Diagnostic
from gongshi.i18n import msg
from gongshi.load.files import display_path, link_outside, read_source
from gongshi.load.source import Tree, parse_yaml
from gongshi.model import Content, Initiative, Lang, Text, Update
from gongshi.resources import builtin_path
from gongshi.vocabulary import HAN

REVIEW_FILE = "review.yaml"
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")


@cache
def ambiguity_table(target: Lang) -> dict[str, tuple[str, ...]]:
    """Characters with several forms in the direction towards `target`."""
    name = "ambiguous-s2t.tsv" if target == "zh-Hant" else "ambiguous-t2s.tsv"
    table: dict[str, tuple[str, ...]] = {}
    for line in builtin_path("data", name).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            char, forms = line.split("\t")
            table[char] = tuple(forms.split(" "))
    return table


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    edition: Lang
    char: str
    chosen: str
    forms: tuple[str, ...]
    before: str  # the sentence as written, the character marked with 【】
    after: str  # the sentence converted, likewise
    pin: str  # a glossary line that would fix the choice
    key: str  # fingerprint: edition, sentence, position, choice
    why: str = "engine"  # what chose: "engine", "rule", "word" (a word boundary) or "name" (a person's name)

    def render(self) -> str:
        alternatives = "/".join(self.forms)
        return (
            f"{self.path}:{self.line}: {self.edition} {self.char}→{self.chosen} ({alternatives})\n"
            f"  {self.before}\n  {self.after}\n  glossary: {self.pin}"
        )


def review_text(converter: Converter, text: str, source: Lang, target: Lang, path: str, line: int) -> Iterator[Finding]:
    """Findings in one text; `line` is the file line of its first line."""
    table = ambiguity_table(target)
    out_pos = 0
    outputs: list[tuple[int, int, str, str, str]] = []  # (source start, output start, kind, src, out)
    for seg in converter.segments(text, source, target):
        outputs.append((seg.start, out_pos, seg.kind, seg.written, seg.output))
        out_pos += len(seg.output)
    converted = "".join(o[4] for o in outputs)
    words: list[tuple[int, int, bool]] | None = None
    for start, out_start, kind, src, out in outputs:
        if kind not in _CHOSEN or len(src) != len(out):
            continue
        for offset, char in enumerate(src):
            forms = table.get(char)
            if forms is None and kind == "name":  # a name's character the table does not list (幺, 樑)
                forms = tuple(dict.fromkeys((out[offset], converter.engine_only(char, source, target))))
            if forms is None:
                continue
            words = words if words is not None else converter.words(text, source, target)
            pos, opos = start + offset, out_start + offset
            word = _word_at(words, text, pos)
            if kind == "engine" and word[2]:
                continue  # a word of the engine's tables, and of the sentence, decided
            where = (path, line + text.count("\n", 0, pos), target)
            yield _finding((text, converted), (pos, opos), (word[0], word[1]), forms, where, kind)


_CHOSEN = ("engine", "rule", "word", "name")


def _word_at(words: list[tuple[int, int, bool]], text: str, pos: int) -> tuple[int, int, bool]:
    """The word holding `pos` (start, end, known); a one-character word is joined to the Han word
    before it (学校|里), or else after it, so that a glossary line never pins a single character."""
    k = next((k for k, (start, end, _) in enumerate(words) if start <= pos < end), None)
    if k is None:
        return pos, pos + 1, False
    start, end, known = words[k]
    if end - start > 1:
        return start, end, known
    if k > 0 and HAN.match(text[words[k - 1][0]]):
        return words[k - 1][0], end, False
    if k + 1 < len(words) and HAN.match(text[words[k + 1][0]]):
        return start, words[k + 1][1], False
    return start, end, False


def _finding(
    texts: tuple[str, str],
    at: tuple[int, int],
    span: tuple[int, int],
    forms: tuple[str, ...],
    where: tuple[str, int, Lang],
    why: str,
) -> Finding:
    """The finding at `at` (in the text as written, and converted: `texts`), in the word `span`,
    whose file, line and target edition are `where`."""
    text, converted = texts
    (pos, opos), (word_start, word_end) = at, span
    path, line, target = where
    s_start, s_end = _sentence(text, pos)
    sentence = text[s_start:s_end]
    o_start = opos - (pos - s_start)
    out_sentence = converted[o_start : o_start + len(sentence)]
    word_start, word_end = max(word_start, s_start), min(word_end, s_end)
    word = text[word_start:word_end]
    word_out = converted[opos - (pos - word_start) : opos - (pos - word_start) + len(word)]
    chosen = converted[opos]
    key = hashlib.sha1(f"{target}|{sentence}|{pos - s_start}|{chosen}".encode()).hexdigest()[:12]
    mark = pos - s_start
    before = _clip(sentence[:mark] + "【" + sentence[mark] + "】" + sentence[mark + 1 :], mark)
    after = _clip(out_sentence[:mark] + "【" + chosen + "】" + out_sentence[mark + 1 :], mark)
    hans, hant = (word, word_out) if target == "zh-Hant" else (word_out, word)
    shown = forms if chosen in forms else (chosen, *forms)  # s2tw's 裡 is a variant of the table's 裏
    return Finding(path, line, target, text[pos], chosen, shown, before, after, f"{hans}: {hant}", key, why)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and not _SENTENCE_END.match(text[start - 1]):
        start -= 1
    match = _SENTENCE_END.search(text, pos)
    return start, match.end() if match else len(text)


def _clip(sentence: str, mark: int, width: int = 24) -> str:
    start = max(0, mark - width)
    end = mark + width + 3
    return ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")


def _texts(obj: object) -> Iterator[Text]:
    if isinstance(obj, Text):
        yield obj
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _texts(item)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _texts(getattr(obj, f.name))


def review_content(content: Content, converter: Converter) -> list[Finding]:
    """Every finding in every text of the site, for every edition that is converted."""
    found: list[Finding] = []
    for target in content.config.editions:
        records: tuple[Initiative | Update, ...] = (*content.initiatives, *content.updates)
        for record in records:
            path = record.origin.path
            for text in _texts(record):
                if text.written(target) is None and text.lang != target:
                    found += review_text(converter, text.original, text.lang, target, path, text.line)
        for update in content.updates:
            if update.lang == target or update.written_body(target) is not None:
                continue
            parsed = markdown.parse(update.body.markdown)
            for token in parsed.tokens:
                line = update.body.line + (token.map[0] if token.map else 0)
                for child in token.children or ():
                    if child.type == "text":
                        found += review_text(converter, child.content, update.lang, target, update.origin.path, line)
    unique = {(f.path, f.line, f.key): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.edition, f.path, f.line, f.key))


def group_findings(findings: list[Finding]) -> list[tuple[tuple[str, str], list[Finding]]]:
    """Findings grouped by edition and glossary line: one decision for the editor per group."""
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.edition, finding.pin), []).append(finding)
    return sorted(grouped.items())


def load_reviewed(content_dir: Path) -> set[str]:
    """Fingerprints confirmed earlier (`content/review.yaml`), read like any content file (size,
    values and depth limited, never through a link out of the folder); ContentError names every problem."""
    diags: list[Diagnostic]
    path, diags = content_dir / REVIEW_FILE, []
    refused = link_outside(path, content_dir)
    if refused is not None or not path.is_file():
        _fail([refused] if refused else [])
        return set()
    source = read_source(path, diags)
    tree, problems = parse_yaml(source) if source is not None else (None, [])
    diags += problems
    found = _fingerprints(tree, diags) if tree is not None else set()
    _fail(diags)
    return found


def _fingerprints(tree: Tree, diags: list[Diagnostic]) -> set[str]:
    """The fingerprints `review.yaml` lists (`confirmed:`, a list of lines starting with one)."""
    value = tree.value if tree.value is not None else {}
    hint = msg("delete review.yaml and run `python build.py review --accept` again to write it afresh")
    problem = msg("'confirmed' in review.yaml must be a list of fingerprints")
    if not isinstance(value, dict):
        diags.append(tree.at((), problem, hint))
        return set()
    diags += [
        tree.at((key,), msg("unknown key '{key}'", key=key), hint, key=True) for key in value if key != "confirmed"
    ]
    if not isinstance(value.get("confirmed") or [], list):
        diags.append(tree.at(("confirmed",), problem, hint))
        return set()
    found = set()
    for index, entry in enumerate(value.get("confirmed") or ()):
        if not isinstance(entry, str):
            diags.append(tree.at(("confirmed", index), problem, hint))
        elif entry.strip():
            found.add(entry.split()[0])
    return found


def _fail(diags: list[Diagnostic]) -> None:
    if diags:
        raise ContentError(diags)


def save_reviewed(content_dir: Path, findings: list[Finding], reviewed: set[str]) -> None:
    """Record every current finding as confirmed, with a readable note beside each fingerprint
    (never through a link out of the content folder)."""
    lines = [
        "# 已确认的简繁转换选择：由 `python build.py review --accept` 写入，勿手工编辑。",
        "# 句子改动后，相应条目会重新出现在审阅报告中。",
        "confirmed:",
    ]
    entries = {f.key: f"{f.key} {f.edition} {f.char}→{f.chosen} {f.pin.split(':')[0]}" for f in findings}
    entries.update({key: key for key in reviewed if key not in entries})
    lines += [
        f"  - {yaml.safe_dump(entries[key], allow_unicode=True).strip().removesuffix('...').strip()}"
        for key in sorted(entries)
    ]
    path = content_dir / REVIEW_FILE
    refused = link_outside(path, content_dir)
    _fail([refused] if refused else [])
    try:
        path.write_text("\n".join(lines) + "\n", "utf-8")
    except OSError as exc:
        problem = msg("cannot write review.yaml: {error}", error=exc.strerror or str(exc))
        _fail([Diagnostic(display_path(path), 1, 1, problem, msg("check that the file can be written"))])


def pending_findings(content_dir: Path, content: Content, converter: Converter) -> list[Finding]:
    """Review findings not confirmed before (`content/review.yaml`)."""
    reviewed = load_reviewed(content_dir)
    return [f for f in review_content(content, converter) if f.key not in reviewed]

"""Editor tools built on the build's own stages: `convert`, `review`, `new` and `lint`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from gongshi import markdown
from gongshi.convert import Converter
from gongshi.errors import ContentError, Diagnostic, UsageError
from gongshi.i18n import ENGLISH, Messages, Text, msg
from gongshi.lint import lint_copy, lint_traditional
from gongshi.load import load_content
from gongshi.load.files import link_outside, read_source
from gongshi.model import ID_RE, Lang
from gongshi.pipeline import Options, check_site
from gongshi.resources import builtin_path
from gongshi.review import Finding, group_findings, load_reviewed, review_content, save_reviewed


def site_converter(content_dir: Path) -> tuple[Converter, Lang]:
    """The converter a build of `content_dir` would use, and the site's source language."""
    if not (content_dir / "site.yaml").is_file():
        return Converter(), "zh-Hans"
    loaded = load_content(content_dir)
    if loaded.content is None:
        raise ContentError(loaded.diagnostics)
    config = loaded.content.config
    glossary = tuple((e.hans, e.hant) for e in loaded.content.glossary)
    return Converter(glossary, config.conversion), config.source_lang


# What a Markdown line holds that is not text: code spans, link and image targets, autolinks and
# bare URLs, reference definitions, HTML tags. Everything between them is converted.
_NOT_TEXT = re.compile(
    r"(?P<code>`+).*?(?P=code)"  # code span
    r"|\]\(<[^>\n]*>"  # link target in angle brackets (may hold spaces)
    r"|\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*"  # link target; a title after it is text
    r"|\]\[[^\]]*\]"  # reference label in a use ([text][label]): kept as its definition writes it
    r"|^\s{0,3}\[[^\]]+\]:\s*\S+"  # reference definition
    r"|<[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*>"  # autolink
    r"|</?[a-zA-Z][^>]*>"  # HTML tag
    r"|" + markdown.BARE_URL_RE.pattern  # bare URL, as the build keeps it
)


def convert_markdown_line(converter: Converter, line: str, source: Lang, target: Lang) -> str:
    """One line of Markdown narrative, converted as the build converts it.

    Code spans, link targets, URLs and HTML tags stay as written; the text between them goes
    through the same converter as the build (glossary, rules, override markers), so the output
    keeps the input's Markdown and its line structure.
    """
    out, pos = [], 0
    for match in _NOT_TEXT.finditer(line):
        out.append(converter.convert(line[pos : match.start()], source, target))
        out.append(match.group(0))
        pos = match.end()
    out.append(converter.convert(line[pos:], source, target))
    return "".join(out)


def convert_stream(content_dir: Path, target: str, path: Path | None, stdin: TextIO, stdout: TextIO) -> int:
    """`gongshi convert`: one output line per input line."""
    converter, _ = site_converter(content_dir)
    target_lang: Lang = "zh-Hant" if target == "zh-Hant" else "zh-Hans"
    source: Lang = "zh-Hans" if target_lang == "zh-Hant" else "zh-Hant"
    if path is not None and not path.is_file():
        raise UsageError(msg("no such file: {path}", path=path))
    text = path.read_text("utf-8-sig") if path is not None else stdin.read()
    lines = text.split("\n")
    stdout.write("\n".join(convert_markdown_line(converter, line, source, target_lang) for line in lines))
    return 0


def review_command(options: Options, accept: bool, show_all: bool, stream: TextIO, tr: Messages = ENGLISH) -> int:
    """`gongshi review`: print the findings editors have not confirmed yet, grouped by glossary line."""
    checked = check_site(options)
    content, converter = checked.content, checked.converter
    findings = review_content(content, converter)
    reviewed = set() if show_all else load_reviewed(options.content)
    pending = [f for f in findings if f.key not in reviewed]
    groups = group_findings(pending)
    for (edition, pin), items in groups:
        print(tr(_group_heading(edition, pin, items[0], len(items))), file=stream)
        for item in items[:3]:
            print(f"  {item.path}:{item.line}: {item.before}\n  {' ' * len(item.path)}  → {item.after}", file=stream)
    confirmed = len(findings) - len(pending)
    if confirmed:
        summary = msg(
            "{pending} choice(s) to review in {groups} group(s); {confirmed} confirmed before",
            pending=len(pending),
            groups=len(groups),
            confirmed=confirmed,
        )
    else:
        summary = msg("{pending} choice(s) to review in {groups} group(s)", pending=len(pending), groups=len(groups))
    print(tr(summary), file=stream)
    if pending:
        advice = msg(
            "if a choice is wrong, correct the glossary line and add it to content/glossary.yaml;"
            " when all are right: review --accept"
        )
        print(tr(advice), file=stream)
    if accept:
        save_reviewed(options.content, findings, load_reviewed(options.content))
        done = msg(
            "confirmed: {path} now lists {count} choice(s)", path=options.content / "review.yaml", count=len(findings)
        )
        print(tr(done), file=stream)
    return 0


def _group_heading(edition: str, pin: str, first: Finding, count: int) -> Text:
    """The line above a group of findings: the choice, its alternatives, the glossary line that pins it."""
    fields = {
        "edition": edition,
        "char": first.char,
        "chosen": first.chosen,
        "forms": "/".join(first.forms),
        "pin": pin,
        "count": count,
    }
    if first.why == "name":
        return msg(
            "{edition} {char}→{chosen} ({forms})  glossary: {pin}  [{count}×]  (a person's name: confirm)", **fields
        )
    if first.why == "word":
        return msg("{edition} {char}→{chosen} ({forms})  glossary: {pin}  [{count}×]  (at a word boundary)", **fields)
    return msg("{edition} {char}→{chosen} ({forms})  glossary: {pin}  [{count}×]", **fields)


def new_file(content_dir: Path, kind: str, name: str, today: str) -> Path:
    """`gongshi new initiative|update NAME`: a commented template, never over an existing file."""
    if not ID_RE.match(name):
        raise UsageError(msg("'{name}' cannot be used as a name: use lowercase letters, digits and hyphens", name=name))
    folder, suffix = ("initiatives", ".yaml") if kind == "initiative" else ("updates", ".md")
    target = content_dir / folder / f"{name}{suffix}"
    outside = link_outside(target.parent, content_dir)
    if outside is not None:  # never write through a link out of the content folder
        raise ContentError([outside])
    if target.exists():
        raise UsageError(msg("{path} already exists; choose another name or edit that file", path=target))
    others = list((content_dir / folder).glob(f"{name}.*")) if (content_dir / folder).is_dir() else []
    if others:
        raise UsageError(msg("{path} already uses the name '{name}'", path=others[0], name=name))
    template = builtin_path("data", "new", "initiative.yaml" if kind == "initiative" else "update.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(template.read_text("utf-8").replace("{date}", today))
    return target


def lint_content(content_dir: Path) -> list[Diagnostic]:
    """`gongshi lint`: copy warnings for every initiative and update, in its own language."""
    loaded = load_content(content_dir)
    if loaded.content is None:
        raise ContentError(loaded.diagnostics)
    config = loaded.content.config
    out: list[Diagnostic] = []
    records: list[tuple[str, Lang]] = [(i.origin.path, i.lang) for i in loaded.content.initiatives]
    for update in loaded.content.updates:
        records.append((update.origin.path, update.lang))
        records += [(body.origin.path, lang) for lang, body in update.written_bodies]
    for path, lang in records:
        source = read_source(Path(path), out)
        if source is not None:
            out += lint_copy(source, lang, config.lint.digit_spacing)
            out += lint_traditional(source, config.conversion, config.usage) if lang == "zh-Hant" else []
    return out

"""Command line: the staff's language, one command's run and its exit code; the options are in `arguments`.

Exit status: 0 success, 1 content errors, 2 usage errors, 3 a bug in gongshi.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from gongshi import __version__
from gongshi.arguments import COMMANDS, make_parser, source_lang, take_lang
from gongshi.errors import ContentError, Diagnostic, UsageError, format_gcc, format_github, format_json
from gongshi.i18n import Messages, Text, messages, msg, staff_language
from gongshi.pipeline import Options, build_site, check_site

BUG_URL = "https://github.com/gongshi/gongshi/issues"

# A build makes millions of objects that live until it ends (the content model, contexts, pages);
# with Python's default thresholds the cyclic collector walks them again and again: about a fifth of
# a rebuild at N = 1,000. Collect rarely (as mypy does); `serve` collects after each full build.
GC_THRESHOLDS = (100_000, 50, 1_000)


def main(argv: Sequence[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    args, tr = _parse(list(sys.argv[1:] if argv is None else argv))
    try:
        return _run(args, tr)
    except ContentError as exc:
        _print_diagnostics(exc.diagnostics, args.format if "format" in args else "text", sys.stderr, tr)
        print(tr(_failure_summary(exc.diagnostics)), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(tr(msg("gongshi: error: {problem}", problem=exc.args[0] if exc.args else "")), file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(tr(msg("interrupted; site/ was left as it was")), file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, and where to report it, instead of a bare traceback
        import traceback

        text = msg(
            "gongshi {version}: internal error. This is a bug in gongshi, not in your content.\n"
            "Please report it at {url} with the text below.\n",
            version=__version__,
            url=BUG_URL,
        )
        print(tr(text), file=sys.stderr)
        traceback.print_exc()
        return 3


STAGE_NAMES = {
    "history": msg("reading git history"),
    "cache": msg("comparing with the last build"),
    "load": msg("reading content"),
    "check": msg("checking"),
    "review": msg("reviewing conversion"),
    "render": msg("rendering pages"),
    "write": msg("writing site"),
    "index": msg("indexing for search"),
    "save": msg("saving"),
}  # in the order a build runs them (`pipeline.Build.run`)


def _progress(tr: Messages, stage: str) -> None:
    """A bar of the build's stages, rewritten in place; only on an interactive terminal, never in CI logs."""
    stages = list(STAGE_NAMES)
    done = stages.index(stage) if stage in stages else 0
    bar = "█" * done + "░" * (len(stages) - done)
    sys.stderr.write(f"\r\033[K[{bar}] {tr(STAGE_NAMES.get(stage, stage))}…")
    sys.stderr.flush()


def _say(tr: Messages, text: str) -> None:
    """A line for staff on stderr (another build holds the output folder: this one waits)."""
    print(tr(text), file=sys.stderr, flush=True)


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _options(args: argparse.Namespace, tr: Messages) -> Options:
    return Options(
        content=args.content,
        out=getattr(args, "out", Path("site")),
        base_url=args.base_url,
        progress=functools.partial(_progress, tr) if _interactive() and not getattr(args, "quiet", False) else None,
        waiting=functools.partial(_say, tr),
        as_of=args.as_of,
        templates=args.templates,
        strict=args.strict,
        review=getattr(args, "review", False),
        search=not getattr(args, "no_search", False),
        cache=not getattr(args, "no_cache", False),
        history=not getattr(args, "no_history", False),
        once=True,
    )


def _run(args: argparse.Namespace, tr: Messages) -> int:
    if args.command in ("convert", "new", "lint"):
        return _run_editor_command(args, tr)
    if args.command == "export":
        from gongshi.monthly.commands import Export, export_command

        wanted = Export(args.year, args.department, args.output, args.format)
        return export_command(Options(content=args.content), wanted, sys.stderr, tr)
    options = _options(args, tr)
    if args.command == "check":
        checked = check_site(options, editorial=True)
        _print_diagnostics(checked.warnings, args.format, sys.stderr, tr)
        print(tr(msg("ok: no errors, {count} warning(s)", count=len(checked.warnings))), file=sys.stderr)
        return 0
    if args.command == "review":
        from gongshi.tools import review_command

        return review_command(options, accept=args.accept, show_all=args.all, stream=sys.stdout, tr=tr)
    if args.command == "serve":
        from gongshi.serve import serve

        return serve(options, args.port, tr)
    if args.command == "import":
        return _run_import(args, options, tr)
    result = build_site(options)
    if options.progress is not None:
        sys.stderr.write("\r\033[K")
    _print_diagnostics(result.warnings, args.format, sys.stderr, tr)
    if not args.quiet:
        print(tr(result.summary()), file=sys.stderr)
    return 0


def _run_editor_command(args: argparse.Namespace, tr: Messages) -> int:
    if args.command == "convert":
        from gongshi.tools import convert_stream

        return convert_stream(args.content, args.to, args.file, sys.stdin, sys.stdout)
    if args.command == "new":
        import datetime as dt

        from gongshi.tools import new_file

        created = new_file(args.content, args.kind, args.name, dt.date.today().isoformat())
        print(tr(msg("created {path}", path=created)), file=sys.stderr)
        return 0
    from gongshi.tools import lint_content

    found = lint_content(args.content)
    _print_diagnostics(found, args.format, sys.stderr, tr)
    print(tr(msg("{count} warning(s)", count=len(found))), file=sys.stderr)
    return 1 if found and args.strict else 0


def _run_import(args: argparse.Namespace, options: Options, tr: Messages) -> int:
    from gongshi.monthly.apply import Source
    from gongshi.monthly.commands import Import, import_command

    source = Source(args.source_title, args.source_url, args.source_publisher)
    warnings = import_command(options, Import(args.file, args.date, source, args.dry_run), sys.stdout, tr)
    _print_diagnostics(warnings, args.format, sys.stderr, tr)
    return 0


def _parse(argv: list[str]) -> tuple[argparse.Namespace, Messages]:
    """The arguments, and the messages in the staff's language (argparse's own words too)."""
    lang, args_list = take_lang(argv)
    tr = messages(staff_language(lang, os.environ, source_lang(args_list)))
    # argparse's own words (usage:, options, its errors) come from the same catalogue (ARGPARSE_WORDS)
    argparse._ = tr.gettext  # type: ignore[attr-defined]
    argparse.ngettext = tr.ngettext  # type: ignore[attr-defined]
    parser = make_parser(tr.gettext)
    if lang == "":
        parser.error(tr(msg("--lang takes zh-Hans, zh-Hant or en")))
    if args_list and not args_list[0].startswith("-") and args_list[0] not in COMMANDS:
        parser.error(tr(_unknown_command(args_list[0])))  # `build` takes no word: a mistyped command
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    return parser.parse_args(args_list), tr


def _unknown_command(word: str) -> Text:
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    if close:
        return msg("'{word}' is not a command: did you mean '{command}'?", word=word, command=close[0])
    return msg("'{word}' is not a command; the commands are {commands}", word=word, commands=" ".join(COMMANDS))


def _failure_summary(diags: Sequence[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diags)
    warnings = len(diags) - errors
    if errors == 0:
        return msg("{warnings} warning(s), treated as errors (--strict)", warnings=warnings)
    return msg("{errors} error(s), {warnings} warning(s); nothing was written", errors=errors, warnings=warnings)


def _print_diagnostics(diags: Sequence[Diagnostic], fmt: str, stream: TextIO, tr: Messages) -> None:
    if fmt == "json":  # machine-readable: the document alone on standard output
        print(format_json(diags, tr), file=sys.stdout)
        return
    for diag in diags:
        print(format_github(diag, tr) if fmt == "github" else format_gcc(diag, tr), file=stream)

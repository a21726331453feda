"""Command line: argument parsing and exit codes only; the work happens in `site` and friends.

Exit status: 0 success, 1 content errors, 2 usage errors, 3 a bug in gongshi.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from gongshi import __version__
from gongshi.errors import ContentError, Diagnostic, UsageError, format_gcc, format_github, format_json
from gongshi.model import Date
from gongshi.pipeline import Options, build_site, check_site

COMMANDS = ("build", "check", "serve", "convert", "review", "new", "lint", "export", "import")
BUG_URL = "https://github.com/gongshi/gongshi/issues"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongshi",
        description="Build a bilingual (简体/繁體) public progress site from content/.",
    )
    parser.add_argument("--version", action="version", version=f"gongshi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="command")
    _build_command(sub.add_parser("build", help="build content/ into site/ (the default command)"))
    review = sub.add_parser("review", help="list conversion choices for editors to confirm")
    _site_options(review)
    review.add_argument(
        "--accept", action="store_true", help="confirm every listed choice (writes content/review.yaml)"
    )
    review.add_argument("--all", action="store_true", help="list confirmed choices too")
    _site_options(sub.add_parser("check", help="validate content without writing anything"))
    serve = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change")
    _site_options(serve)
    serve.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    serve.add_argument("--port", type=int, default=8000)
    _editor_commands(sub)
    _monthly_commands(sub)
    return parser


def _monthly_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`export sheet` and `import`: the monthly progress table (gongshi.monthly)."""
    export = sub.add_parser("export", help="write the monthly progress table for departments to fill in")
    export.add_argument("what", choices=("sheet",), help="sheet: the progress table, one row per initiative")
    export.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    export.add_argument("--year", type=int, help="only this year's list")
    export.add_argument("--department", help="only the rows of this responsible unit (part of its name is enough)")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: progress-sheet.xlsx or .csv)")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="xlsx (default) or csv (UTF-8)")
    imp = sub.add_parser("import", help="write the figures of a filled progress table into the records")
    imp.add_argument("file", type=Path, help="the filled table: .xlsx, or .csv in UTF-8")
    _site_options(imp)
    when = "the date the figures are for: YYYY-MM-DD, or YYYY-MM for a month's table"
    imp.add_argument("--date", type=_date, required=True, help=when)
    imp.add_argument("--source-title", default="", help="title of the report the figures come from (added to sources)")
    imp.add_argument("--source-url", default="", help="its address")
    imp.add_argument("--source-publisher", default="", help="who published it")
    imp.add_argument("--dry-run", action="store_true", help="print what would change as a diff; write nothing")


def _site_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that reads the whole site."""
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    p.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="templates overriding the built-in ones (default: templates/ beside content)",
    )
    p.add_argument("--base-url", default=None, help="absolute address of the site, for canonical links and feeds")
    p.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="report date YYYY-MM-DD or YYYY-MM (default: as_of in site.yaml, else the newest date in the content)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="how to print problems (github: Actions annotations)",
    )


def _build_command(build: argparse.ArgumentParser) -> None:
    _site_options(build)
    build.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument("--quiet", action="store_true", help="print problems only, no summary")
    build.add_argument("--no-search", action="store_true", help="skip the search index (faster previews)")
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything afresh, without reading or writing the build cache in .cache/",
    )
    build.add_argument(
        "--no-history", action="store_true", help="do not read revision history from git (pages say it is unavailable)"
    )
    build.add_argument(
        "--review",
        action="store_true",
        help="also build the conversion review page site/_review/ (never linked or indexed)",
    )


def _editor_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`new`, `lint` and `convert`: the tools for one file or one text."""
    new = sub.add_parser("new", help="create an initiative or update from a commented template")
    new.add_argument("kind", choices=("initiative", "update"))
    new.add_argument("name", help="the id (initiative) or slug (update): lowercase letters, digits, hyphens")
    new.add_argument("--content", type=Path, default=Path("content"))
    lint = sub.add_parser("lint", help="copy lint: Chinese typesetting, mixed scripts, Taiwan vocabulary")
    lint.add_argument("--content", type=Path, default=Path("content"))
    lint.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    lint.add_argument("--format", choices=("text", "github", "json"), default="text")
    convert = sub.add_parser("convert", help="convert text between Simplified and Traditional")
    convert.add_argument(
        "--to", required=True, type=_edition, choices=("zh-Hant", "zh-Hans"), help="target edition (or zh-hant …)"
    )
    convert.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        help="content folder whose glossary and settings apply (default: content)",
    )
    convert.add_argument("file", nargs="?", type=Path, help="file to convert (default: standard input)")


def _edition(text: str) -> str:
    """zh-Hant as written, or as the site's URLs write it (zh-hant)."""
    return {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}.get(text.lower(), text)


def _date(text: str) -> Date:
    try:
        return Date.parse(text)
    except (ValueError, IndexError):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None


# A build makes millions of objects that live until it ends (the content model, contexts, pages);
# with Python's default thresholds the cyclic collector walks them again and again: about a fifth of
# a rebuild at N = 1,000. Collect rarely (as mypy does); `serve` collects after each full build.
GC_THRESHOLDS = (100_000, 50, 1_000)


def main(argv: Sequence[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    try:
        return _run(args)
    except ContentError as exc:
        _print_diagnostics(exc.diagnostics, args.format if "format" in args else "text", sys.stderr)
        errors = sum(d.is_error for d in exc.diagnostics)
        warnings = len(exc.diagnostics) - errors
        if errors == 0:
            print(f"{warnings} warning(s), treated as errors (--strict)", file=sys.stderr)
        else:
            print(f"{errors} error(s), {warnings} warning(s); nothing was written", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"gongshi: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted; site/ was left as it was", file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, and where to report it, instead of a bare traceback
        import traceback

        print(
            f"gongshi {__version__}: internal error. This is a bug in gongshi, not in your content.\n"
            f"Please report it at {BUG_URL} with the text below.\n",
            file=sys.stderr,
        )
        traceback.print_exc()
        return 3


STAGE_NAMES = {
    "history": "reading git history",
    "cache": "comparing with the last build",
    "load": "reading content",
    "check": "checking",
    "review": "reviewing conversion",
    "render": "rendering pages",
    "write": "writing site",
    "index": "indexing for search",
    "save": "saving",
}  # in the order a build runs them (`pipeline.Build.run`)


def _progress(stage: str) -> None:
    """A bar of the build's stages, rewritten in place; only on an interactive terminal, never in CI logs."""
    stages = list(STAGE_NAMES)
    done = stages.index(stage) if stage in stages else 0
    bar = "█" * done + "░" * (len(stages) - done)
    sys.stderr.write(f"\r\033[K[{bar}] {STAGE_NAMES.get(stage, stage)}…")
    sys.stderr.flush()


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _options(args: argparse.Namespace) -> Options:
    return Options(
        content=args.content,
        out=getattr(args, "out", Path("site")),
        base_url=args.base_url,
        progress=_progress if _interactive() and not getattr(args, "quiet", False) else None,
        as_of=args.as_of,
        templates=args.templates,
        strict=args.strict,
        review=getattr(args, "review", False),
        search=not getattr(args, "no_search", False),
        cache=not getattr(args, "no_cache", False),
        history=not getattr(args, "no_history", False),
    )


def _run(args: argparse.Namespace) -> int:
    if args.command in ("convert", "new", "lint"):
        return _run_editor_command(args)
    if args.command == "export":
        from gongshi.monthly.commands import Export, export_command

        wanted = Export(args.year, args.department, args.output, args.format)
        return export_command(Options(content=args.content), wanted, sys.stderr)
    options = _options(args)
    if args.command == "check":
        checked = check_site(options, editorial=True)
        _print_diagnostics(checked.warnings, args.format, sys.stderr)
        print(f"ok: no errors, {len(checked.warnings)} warning(s)", file=sys.stderr)
        return 0
    if args.command == "review":
        from gongshi.tools import review_command

        return review_command(options, accept=args.accept, show_all=args.all, stream=sys.stdout)
    if args.command == "serve":
        from gongshi.serve import serve

        return serve(options, args.port)
    if args.command == "import":
        return _run_import(args, options)
    result = build_site(options)
    if options.progress is not None:
        sys.stderr.write("\r\033[K")
    _print_diagnostics(result.warnings, args.format, sys.stderr)
    if not args.quiet:
        print(result.summary(), file=sys.stderr)
    return 0


def _run_editor_command(args: argparse.Namespace) -> int:
    if args.command == "convert":
        from gongshi.tools import convert_stream

        return convert_stream(args.content, args.to, args.file, sys.stdin, sys.stdout)
    if args.command == "new":
        import datetime as dt

        from gongshi.tools import new_file

        created = new_file(args.content, args.kind, args.name, dt.date.today().isoformat())
        print(f"created {created}", file=sys.stderr)
        return 0
    from gongshi.tools import lint_content

    found = lint_content(args.content)
    _print_diagnostics(found, args.format, sys.stderr)
    print(f"{len(found)} warning(s)", file=sys.stderr)
    return 1 if found and args.strict else 0


def _run_import(args: argparse.Namespace, options: Options) -> int:
    from gongshi.monthly.apply import Source
    from gongshi.monthly.commands import Import, import_command

    source = Source(args.source_title, args.source_url, args.source_publisher)
    warnings = import_command(options, Import(args.file, args.date, source, args.dry_run), sys.stdout)
    _print_diagnostics(warnings, args.format, sys.stderr)
    return 0


def _print_diagnostics(diags: Sequence[Diagnostic], fmt: str, stream: TextIO) -> None:
    if fmt == "json":  # machine-readable: the document alone on standard output
        print(format_json(diags), file=sys.stdout)
        return
    for diag in diags:
        print(format_github(diag) if fmt == "github" else format_gcc(diag), file=stream)

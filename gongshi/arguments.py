"""The command line's arguments: the parser (its help in the staff's language) and `--lang`.

Every option has help text, marked for the catalogue (`_`); argparse's own words (usage, its errors)
are listed in `ARGPARSE_WORDS` so that they are translated too (`cli.main` hands argparse the
catalogue). `--lang` and the site's `source_lang` are read before argparse, which needs the language.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from gongshi import __version__
from gongshi.i18n import language_option
from gongshi.load.files import link_outside
from gongshi.load.schema import validator
from gongshi.model import Date

COMMANDS = ("build", "check", "serve", "convert", "review", "new", "lint", "export", "import")

Gettext = Callable[[str], str]


def N_(text: str) -> str:
    return text


# argparse's words that staff meet, for the catalogue (argparse looks them up itself: `main`)
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("'%s' is not a date YYYY-MM-DD"),
    N_("'%s' is not a web address: the site's address starts with http:// or https://"),
)


def make_parser(_: Gettext) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongshi",
        description=_("Build a bilingual (简体/繁體) public progress site from content/."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"gongshi {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument("--lang", type=language_option, metavar="LANG", help=_(LANG_HELP))
    sub = parser.add_subparsers(dest="command", metavar="command")
    _build_command(_, sub.add_parser("build", help=_("build content/ into site/ (the default command)")))
    review = sub.add_parser("review", help=_("list conversion choices for editors to confirm"))
    _site_options(_, review)
    review.add_argument(
        "--accept", action="store_true", help=_("confirm every listed choice (writes content/review.yaml)")
    )
    review.add_argument("--all", action="store_true", help=_("list confirmed choices too"))
    _site_options(_, sub.add_parser("check", help=_("validate content without writing anything")))
    serve = sub.add_parser("serve", help=_("build, serve on 127.0.0.1 and rebuild on every change"))
    _site_options(_, serve)
    serve.add_argument("--out", type=Path, default=Path("site"), help=_("output folder (default: site)"))
    serve.add_argument(
        "--port", type=int, default=8000, help=_("port of the preview (default: 8000; livereload uses the next one)")
    )
    _editor_commands(_, sub)
    _monthly_commands(_, sub)
    return parser


def _monthly_commands(_: Gettext, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`export sheet` and `import`: the monthly progress table (gongshi.monthly)."""
    export = sub.add_parser("export", help=_("write the monthly progress table for departments to fill in"))
    export.add_argument("what", choices=("sheet",), help=_("sheet: the progress table, one row per initiative"))
    export.add_argument("--content", type=Path, default=Path("content"), help=_("content folder (default: content)"))
    export.add_argument("--year", type=int, help=_("only this year's list"))
    export.add_argument("--department", help=_("only the rows of this responsible unit (part of its name is enough)"))
    export.add_argument("-o", "--output", type=Path, help=_("file to write (default: progress-sheet.xlsx or .csv)"))
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help=_("xlsx (default) or csv (UTF-8)"))
    imp = sub.add_parser("import", help=_("write the figures of a filled progress table into the records"))
    imp.add_argument("file", type=Path, help=_("the filled table: .xlsx, or .csv in UTF-8"))
    _site_options(_, imp)
    when = _("the date the figures are for: YYYY-MM-DD, or YYYY-MM for a month's table")
    imp.add_argument("--date", type=_date, required=True, help=when)
    imp.add_argument(
        "--source-title", default="", help=_("title of the report the figures come from (added to sources)")
    )
    imp.add_argument("--source-url", default="", help=_("its address"))
    imp.add_argument("--source-publisher", default="", help=_("who published it"))
    imp.add_argument("--dry-run", action="store_true", help=_("print what would change as a diff; write nothing"))


def _site_options(_: Gettext, p: argparse.ArgumentParser) -> None:
    """The options of every command that reads the whole site."""
    p.add_argument("--content", type=Path, default=Path("content"), help=_("content folder (default: content)"))
    p.add_argument(
        "--templates",
        type=Path,
        default=None,
        help=_("templates overriding the built-in ones (default: templates/ beside content)"),
    )
    p.add_argument(
        "--base-url",
        type=_base_url,
        default=None,
        help=_("absolute address of the site, for canonical links and feeds"),
    )
    p.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help=_("report date YYYY-MM-DD or YYYY-MM (default: as_of in site.yaml, else the newest date in the content)"),
    )
    p.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))
    _format_option(_, p)


def _format_option(_: Gettext, parser: argparse.ArgumentParser) -> None:
    """`--format text|github|json`: how problems are printed."""
    parser.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help=_("how to print problems (github: Actions annotations)"),
    )


def _build_command(_: Gettext, build: argparse.ArgumentParser) -> None:
    _site_options(_, build)
    build.add_argument("--out", type=Path, default=Path("site"), help=_("output folder (default: site)"))
    build.add_argument("--quiet", action="store_true", help=_("print problems only, no summary"))
    build.add_argument("--no-search", action="store_true", help=_("skip the search index (faster previews)"))
    build.add_argument(
        "--no-cache",
        action="store_true",
        help=_("build everything afresh, without reading or writing the build cache in .cache/"),
    )
    build.add_argument(
        "--no-history",
        action="store_true",
        help=_("do not read revision history from git (pages say it is unavailable)"),
    )
    build.add_argument(
        "--review",
        action="store_true",
        help=_("also build the conversion review page site/_review/ (never linked or indexed)"),
    )


def _editor_commands(_: Gettext, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`new`, `lint` and `convert`: the tools for one file or one text."""
    new = sub.add_parser("new", help=_("create an initiative or update from a commented template"))
    new.add_argument(
        "kind",
        choices=("initiative", "update"),
        help=_("initiative: a record in initiatives/; update: a news update in updates/"),
    )
    new.add_argument("name", help=_("the id (initiative) or slug (update): lowercase letters, digits, hyphens"))
    new.add_argument("--content", type=Path, default=Path("content"), help=_("content folder (default: content)"))
    lint = sub.add_parser("lint", help=_("copy lint: Chinese typesetting, mixed scripts, Taiwan vocabulary"))
    lint.add_argument("--content", type=Path, default=Path("content"), help=_("content folder (default: content)"))
    lint.add_argument("--strict", action="store_true", help=_("exit 1 when there is any warning"))
    _format_option(_, lint)
    convert = sub.add_parser("convert", help=_("convert text between Simplified and Traditional"))
    convert.add_argument(
        "--to", required=True, type=_edition, choices=("zh-Hant", "zh-Hans"), help=_("target edition (or zh-hant …)")
    )
    convert.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        help=_("content folder whose glossary and settings apply (default: content)"),
    )
    convert.add_argument("file", nargs="?", type=Path, help=_("file to convert (default: standard input)"))


def _edition(text: str) -> str:
    """zh-Hant as written, or as the site's URLs write it (zh-hant)."""
    return {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}.get(text.lower(), text)


def _date(text: str) -> Date:
    try:
        return Date.parse(text)
    except (ValueError, IndexError):
        raise argparse.ArgumentTypeError(argparse._("'%s' is not a date YYYY-MM-DD") % text) from None  # type: ignore[attr-defined]


def _base_url(text: str) -> str:
    """`--base-url` is held to the rule of `base_url` in site.yaml, its schema's: an http:// or https://
    address (a `javascript:` one would reach links, feeds and robots.txt)."""
    errors = validator("site").iter_errors({"base_url": text})
    if any(list(error.absolute_path) == ["base_url"] for error in errors):
        problem = argparse._("'%s' is not a web address: the site's address starts with http:// or https://")  # type: ignore[attr-defined]
        raise argparse.ArgumentTypeError(problem % text)
    return text


LANG_HELP = N_("language of messages: zh-Hans, zh-Hant or en (default: from LANG, else the site's source language)")


def take_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """`--lang VALUE` (anywhere: before or after the command) and the other arguments. It is read
    before argparse, which needs the language for its own words; a value it does not know is ""."""
    rest: list[str] = []
    value: str | None = None
    words = iter(args)
    for arg in words:
        if arg == "--lang":
            value = next(words, "")
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            rest.append(arg)
    if value is None:
        return None, rest
    try:
        return language_option(value), rest
    except ValueError:
        return "", rest


def source_lang(args: list[str]) -> str:
    """The site's `source_lang` (messages follow the script staff write in), read leniently: a
    broken site.yaml is reported by the command itself."""
    content = Path("content")
    for i, arg in enumerate(args):
        if arg.startswith("--content="):
            content = Path(arg.partition("=")[2])
        elif arg == "--content" and i + 1 < len(args):
            content = Path(args[i + 1])
    site = content / "site.yaml"
    if link_outside(site, content) is not None or not site.is_file():  # the command itself says so
        return "zh-Hans"
    try:
        with site.open("rb") as handle:  # a little: never all of /dev/zero through a link
            text = handle.read(100_000).decode("utf-8", "replace")
    except OSError:
        return "zh-Hans"
    found = re.search(r"^source_lang:\s*['\"]?(zh-Han[st])", text, re.MULTILINE)
    return found.group(1) if found else "zh-Hans"

"""Keep the staff-message catalogues in step with the code.

    .venv/bin/python scripts/messages.py          extract the ids, update zh_Hans.po (new ids are
                                                  added untranslated), make zh_Hant.po from it, compile
    .venv/bin/python scripts/messages.py --check  change nothing; exit 1 when anything is out of date

Translate in `gongshi/locale/zh_Hans/LC_MESSAGES/gongshi.po` only: `zh_Hant` is converted from it by
gongshi's own converter (so staff writing Traditional see the same words), and the `.mo` files are
compiled from both. tests/test_messages.py runs `--check`.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "gongshi" / "locale"
FIXED = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # no dates that change on every run: the files are reviewed as diffs
KEYWORDS = {"msg": None, "_": None, "N_": None}


def extract() -> list[tuple[str, list[tuple[str, int]], list[str]]]:
    """(id, places, comments) of every message in gongshi/, in the order of the files."""
    found: dict[str, tuple[list[tuple[str, int]], list[str]]] = {}
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, _context in extract_from_dir(
        ROOT / "gongshi", method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        text = message if isinstance(message, str) else message[0]
        places, notes = found.setdefault(text, ([], []))
        places.append((f"gongshi/{filename}", lineno))
        notes.extend(c for c in comments if c not in notes)
    return [(text, places, notes) for text, (places, notes) in found.items()]


def _catalog(locale: str) -> Catalog:
    return Catalog(
        locale=locale,
        domain="gongshi",
        project="gongshi",
        creation_date=FIXED,
        revision_date=FIXED,
        fuzzy=False,
        charset="utf-8",
    )


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False, sort_output=True)
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return _catalog(locale)
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def updated_simplified(ids: list[tuple[str, list[tuple[str, int]], list[str]]]) -> Catalog:
    """zh_Hans with exactly the ids of the code: translations kept, new ids empty, gone ids dropped."""
    old = _read(LOCALE / "zh_Hans" / "LC_MESSAGES" / "gongshi.po", "zh_Hans")
    new = _catalog("zh_Hans")
    for text, places, notes in ids:
        known = old.get(text)
        new.add(text, known.string if known else "", locations=places, auto_comments=notes)
    return new


def traditional(simplified: Catalog) -> Catalog:
    from gongshi.convert import Converter

    converter = Converter()
    out = _catalog("zh_Hant")
    for message in simplified:
        if message.id:
            string = converter.convert(message.string, "zh-Hans", "zh-Hant") if message.string else ""
            out.add(message.id, string, locations=message.locations, auto_comments=message.auto_comments)
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    hans = updated_simplified(extract())
    hant = traditional(hans)
    wanted = {}
    for name, catalog in (("zh_Hans", hans), ("zh_Hant", hant)):
        folder = LOCALE / name / "LC_MESSAGES"
        wanted[folder / "gongshi.po"] = _po_bytes(catalog)
        wanted[folder / "gongshi.mo"] = _mo_bytes(catalog)
    stale = [path for path, data in wanted.items() if not path.exists() or path.read_bytes() != data]
    missing = [m.id for m in hans if m.id and not m.string]
    if check:
        for path in stale:
            print(f"{path.relative_to(ROOT)}: out of date; run: .venv/bin/python scripts/messages.py", file=sys.stderr)
        for text in missing:
            print(f"no Chinese for the message: {text!r}", file=sys.stderr)
        return 1 if stale or missing else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    if missing:
        print(
            f"{len(missing)} message(s) without Chinese in gongshi/locale/zh_Hans/LC_MESSAGES/gongshi.po",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

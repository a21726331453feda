"""Where gongshi's own files (built-in templates, schemas, default glossary) are found.

In a source checkout they sit at the repository's top level (`templates/`, `schema/`), as the
design card lays it out; an installed wheel carries them inside the package. Both are tried.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # gongshi's own folder


def builtin_path(*parts: str) -> Path:
    """Path of a built-in resource, inside the installed package or in the source checkout."""
    for root in (PACKAGE, PACKAGE.parent):
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"gongshi resource {'/'.join(parts)} is missing from the installation")

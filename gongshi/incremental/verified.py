"""What gongshi wrote in `.cache/` earlier, read back as something anyone may have changed since.

Nothing read here is trusted: `of` and `row` take values of exactly the type that was written (and
raise TypeError or ValueError otherwise), `warning` a warning whose message gongshi could have
made (its own fields and format specs, no control characters for a terminal to obey), and
`verified` the entries whose MAC only this very cache folder gives (`folder_key`: the random bytes of
`.cache/cache-key` with that file's device, inode and change time, which a copy, a checkout or a
restore of the folder does not keep). The build cache (`manifest`) and the history cache use them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import string
import unicodedata
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from gongshi import __version__
from gongshi.errors import Diagnostic, Severity
from gongshi.i18n import Text

KEY_FILE = "cache-key"
# The format specs of gongshi's own messages ({size:,} {seconds:.2f} {year:04d}): none can make a
# string of a billion spaces.
_FORMAT_SPEC = re.compile(r"[,.0-9]{0,3}[a-z%]?")


def of(value: Any, kind: type) -> Any:
    """`value`, which must be exactly of type `kind` (True is not an int here)."""
    if type(value) is not kind:
        raise TypeError(f"{type(value).__name__}, not {kind.__name__}")
    return value


def row(value: Any, kinds: tuple[type, ...]) -> tuple[Any, ...]:
    """A JSON list of exactly these types."""
    if len(of(value, list)) != len(kinds):
        raise ValueError(f"{len(value)} values, not {len(kinds)}")
    return tuple(of(item, kind) for item, kind in zip(value, kinds, strict=True))


def pair(value: Any) -> tuple[str, str]:
    key, ident = row(value, (str, str))
    return key, ident


def warning_json(warning: Diagnostic) -> dict[str, Any]:
    """A warning as JSON, its message and hint with their templates (shown again in any language)."""
    data = asdict(warning)
    for key in ("message", "hint"):
        value = getattr(warning, key)
        data[key] = value.to_json() if isinstance(value, Text) else str(value)
    return data


def warning(data: Any) -> Diagnostic:
    """A warning as `warning_json` writes it, refused (ValueError, TypeError) when it is anything else."""
    if set(of(data, dict)) != {f.name for f in fields(Diagnostic)}:
        raise ValueError(f"not the fields of a warning: {sorted(data)}")
    text = {name: _printable(of(data[name], str)) for name in ("path", "source_line", "cell")}
    line, col = of(data["line"], int), of(data["col"], int)
    message, hint = _text(data["message"]), _text(data["hint"])
    return Diagnostic(
        text["path"], line, col, message, hint, Severity(data["severity"]), text["source_line"], text["cell"]
    )


def _text(data: Any) -> str:
    """A message as `Text.to_json` writes it (or a plain string), with fields gongshi's messages have."""
    if isinstance(data, str):
        return _printable(data)
    if set(of(data, dict)) != {"template", "args"}:
        raise ValueError("not a message")
    template = _printable(of(data["template"], str))
    for _literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (not name.isidentifier() or conversion or not _FORMAT_SPEC.fullmatch(spec or "")):
            raise ValueError(f"not a field of gongshi's messages: {name}:{spec}")
    args = {name: _argument(value) for name, value in of(data["args"], dict).items()}
    return Text(template, args)


def _argument(value: Any) -> Any:
    if isinstance(value, str | dict):
        return _text(value)
    if value is not None and type(value) not in (int, float, bool):
        raise TypeError(f"not a message's value: {value!r}")
    return value


def _printable(text: str) -> str:
    """`text`, unless it holds a control character (a terminal would obey it) other than tab and newline."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n" for ch in text):
        raise ValueError("control character")
    return text


def folder_key(folder: Path, create: bool = False) -> bytes | None:
    """The key of the entries of `folder`: the random bytes of its `cache-key` (made when `create`
    and missing) with that file's device, inode and change time, which no copy or restore keeps."""
    path = folder / KEY_FILE
    if create and not path.exists():
        temporary = path.with_name(f"{KEY_FILE}.{os.getpid()}")
        temporary.write_bytes(secrets.token_bytes(32))
        try:
            os.link(temporary, path)  # whole or not at all, even with another build at the same time
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    try:
        with path.open("rb") as file:
            found, stat = file.read(33), os.fstat(file.fileno())
    except OSError:
        return None
    return found + f"{stat.st_dev}:{stat.st_ino}:{stat.st_ctime_ns}".encode() if len(found) == 32 else None


def mac(secret: bytes, key: str) -> str:
    """The MAC of an entry `key`, under `secret` and for this version of gongshi."""
    return hmac.new(secret, f"{__version__}\0{key}".encode(), hashlib.sha256).hexdigest()


def verified(entries: dict[str, Any], folder: Path) -> list[str]:
    """The keys of `entries` (key → MAC) whose MAC the key of `folder` gives."""
    key_of_folder = folder_key(folder)
    if key_of_folder is None:
        return []
    return [key for key, made in entries.items() if hmac.compare_digest(of(made, str), mac(key_of_folder, key))]

"""Staff messages in Chinese or English: one gettext catalogue, the English text as the message id.

A message is written once, in English, where the problem is found:

    Diagnostic(path, line, col, msg("no initiative has the id '{id}'", id=ref), msg("check the spelling"))

`msg` returns a `Text`: a `str` whose value is the English sentence (so stages, tests and caches
that compare strings keep working) and which remembers its template and arguments, so that the
command line can show it in the staff's language at the very end (`Messages`). Stages never know
the language; only `cli` and `serve` choose it (`staff_language`).

The catalogues live in `gongshi/locale/<language>/LC_MESSAGES/gongshi.po`; `zh_Hans` is written by
hand, `zh_Hant` is made from it by gongshi's own conversion, and both are compiled to `.mo`
(`scripts/messages.py`, which tests/test_messages.py holds to the code). Babel extracts the ids:
`msg(...)`, and for `--help` and argparse's own words `_(...)` and `N_(...)` in `cli`.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "gongshi"


class Text(str):
    """An English message that can still be shown in another language.

    A template with fields is filled by `str.format` (write a literal brace as `{{`); one without
    fields is taken as it is."""

    template: str
    args: dict[str, Any]

    def __new__(cls, template: str, args: Mapping[str, Any] | None = None) -> Text:
        self = super().__new__(cls, template.format_map(args) if args else template)
        self.template = template
        self.args = dict(args or {})
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.template, self.args))

    def to_json(self) -> dict[str, Any]:
        return {"template": self.template, "args": {k: _plain(v) for k, v in self.args.items()}}

    @classmethod
    def from_json(cls, data: Any) -> str:
        """A `Text` from `to_json`, or the string itself (older caches stored plain strings)."""
        if isinstance(data, dict):
            args = {k: cls.from_json(v) if isinstance(v, dict) else v for k, v in data["args"].items()}
            return cls(str(data["template"]), args)
        return str(data)


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return value.to_json()
    return value if isinstance(value, int | float | bool) or value is None else str(value)


def msg(template: str, /, **args: Any) -> Text:
    """The message `template` (English, `str.format` fields), filled with `args`."""
    return Text(template, args)


@dataclass(frozen=True)
class Messages:
    """Shows `Text` in one language; any other string is shown as it is."""

    language: str
    catalogue: gettext.NullTranslations

    def __call__(self, text: str) -> str:
        if not isinstance(text, Text):
            return text
        template = self.catalogue.gettext(text.template)
        if not text.args:  # a message without fields is taken literally, braces and all (as `Text` does)
            return template
        args = {key: self(value) if isinstance(value, str) else value for key, value in text.args.items()}
        try:
            return template.format_map(args)
        except (KeyError, IndexError, ValueError):  # a translation that lost a field: the English stands
            return str(text)

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)


@cache
def messages(language: str) -> Messages:
    """The messages of one of `LANGUAGES` (English: the ids themselves)."""
    if language == "en":
        return Messages("en", gettext.NullTranslations())
    path = LOCALE_DIR / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as f:
        return Messages(language, gettext.GNUTranslations(f))


ENGLISH = Messages("en", gettext.NullTranslations())


def staff_language(option: str | None, environ: Mapping[str, str], source_lang: str = "zh-Hans") -> str:
    """The language of the messages: `--lang`, else the locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`, in
    POSIX's order) when it is English or Chinese, else the site's source language."""
    if option:
        return option
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        tag = value.split(".")[0].replace("-", "_").lower()
        if tag.startswith("en"):
            return "en"
        if tag in ("zh_tw", "zh_hk", "zh_mo") or tag.startswith("zh_hant"):
            return "zh-Hant"
        if tag.startswith("zh"):
            return "zh-Hans"
        break  # C, POSIX or another language: the site's own
    return "zh-Hant" if source_lang == "zh-Hant" else "zh-Hans"


def language_option(text: str) -> str:
    """`--lang`: zh-Hans, zh-Hant or en, in any case (zh-hans as in the site's URLs; zh_CN, zh_TW too)."""
    key = text.replace("_", "-").lower()
    aliases = {"zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh": "zh-Hans", "zh-hant": "zh-Hant", "zh-tw": "zh-Hant"}
    aliases |= {"zh-hk": "zh-Hant", "en": "en", "en-us": "en", "en-gb": "en"}
    if key not in aliases:
        raise ValueError(text)
    return aliases[key]

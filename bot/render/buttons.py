"""What a button carries back, read as untrusted input.

A button's value comes back in a signed request, but any workspace member can
forge a press: the offset, question and record id it names are checked here, and
a value that fails is refused with a kind message instead of reaching the search.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..limits import MAX_QUESTION_CHARS

MAX_OFFSET = 1000  # far past any real answer's last page
MAX_IDS = 20
FEEDBACK_VALUES = ("up", "down")
_RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")


@dataclass(frozen=True)
class ButtonState:
    question: str = ""
    offset: int = 0
    record_id: str | None = None  # Full passage
    shown_ids: tuple[str, ...] = ()  # Not helpful: the records the user saw
    shown: int | None = None  # Share: how many hits the user saw
    feedback: str | None = None  # the feedback buttons: "up" or "down"


def _count(value: object, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"not a whole number from {low} to {high}: {value!r}")
    return value


def read_button_value(raw: object) -> ButtonState | None:
    """The state a button was rendered with, or None when it is not one we wrote."""
    try:
        value = json.loads(raw) if isinstance(raw, str) and len(raw) <= 4000 else None
        if not isinstance(value, dict):
            return None
        question = value.get("q", "")
        record_id = value.get("id")
        ids = value.get("ids", [])
        if not isinstance(question, str) or not isinstance(ids, list):
            return None
        if record_id is not None and not (
            isinstance(record_id, str) and _RECORD_ID.fullmatch(record_id)
        ):
            return None
        if len(ids) > MAX_IDS or not all(
            isinstance(i, str) and _RECORD_ID.fullmatch(i) for i in ids
        ):
            return None
        shown = value.get("n")
        feedback = value.get("f")
        if feedback is not None and feedback not in FEEDBACK_VALUES:
            return None
        return ButtonState(
            question=question[:MAX_QUESTION_CHARS],
            offset=_count(value.get("o", 0), low=0, high=MAX_OFFSET),
            record_id=record_id,
            shown_ids=tuple(ids),
            shown=None if shown is None else _count(shown, low=0, high=100),
            feedback=feedback,
        )
    except (ValueError, RecursionError):
        return None

"""The modal a thumbs down opens: what was wrong with the answer. Pure: data in, a
view dict out.

The question and the records shown travel in the modal's private_metadata as the
thumbs down's own button value, and are checked again (bot/render/buttons.py) when
the modal comes back: a submission is as forgeable as a button press.
"""

from __future__ import annotations

from ..querylog import FEEDBACK_REASONS
from .blocks import _context, _section, button_value, escape
from .buttons import ButtonState

FEEDBACK_MODAL = "answer_feedback_modal"
FEEDBACK_THANKS = "answer_feedback_thanks"
REASON_BLOCK = "reason"
REASON_ACTION = "reason"
MAX_PRIVATE_METADATA = 3000  # Slack's limit
_SHOWN_QUESTION = 150


def feedback_metadata(state: ButtonState) -> str:
    """What the modal carries back: the question, its page and the records shown."""
    return button_value({"q": state.question, "o": state.offset, "ids": list(state.shown_ids)})


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": False}


def feedback_modal(state: ButtonState, *, logged: bool) -> dict:
    """Four reasons to choose from; nothing is posted anywhere, and the user's name
    is never kept."""
    question = " ".join(state.question.split())
    if len(question) > _SHOWN_QUESTION:
        question = question[: _SHOWN_QUESTION - 1] + "…"
    where = (
        "The curators see your question, the quotes you were shown and your reason, "
        "never your name. Nothing is posted in a channel."
        if logged
        else "This bot keeps no query log (QUERY_LOG=off), so nothing you send is stored."
    )
    blocks: list[dict] = []
    if question:
        blocks.append({"type": "context", "elements": [_plain(f"You asked: “{escape(question)}”")]})
    blocks.append(
        {
            "type": "input",
            "block_id": REASON_BLOCK,
            "label": _plain("What was wrong with the answer?"),
            "element": {
                "type": "radio_buttons",
                "action_id": REASON_ACTION,
                "options": [
                    {"text": _plain(label), "value": key} for key, label in FEEDBACK_REASONS.items()
                ],
            },
        }
    )
    blocks.append(_context(escape(where)))
    return {
        "type": "modal",
        "callback_id": FEEDBACK_MODAL,
        "private_metadata": feedback_metadata(state)[:MAX_PRIVATE_METADATA],
        "title": _plain("What was wrong?"),
        "submit": _plain("Send"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def chosen_reason(view: dict) -> str | None:
    """The reason picked in a submitted feedback modal, if it is one we offered."""
    try:
        option = view["state"]["values"][REASON_BLOCK][REASON_ACTION]["selected_option"]
        value = option["value"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) and value in FEEDBACK_REASONS else None


def closing_modal(title: str, text: str) -> dict:
    """What the modal turns into once submitted: a line and a Close button."""
    return {
        "type": "modal",
        "callback_id": FEEDBACK_THANKS,
        "title": _plain(title),
        "close": _plain("Close"),
        "blocks": [_section(escape(text))],
    }


def thanks_modal(*, logged: bool) -> dict:
    text = (
        "Thank you. A curator will look at this question and the quotes you were shown."
        if logged
        else "Thank you. This bot keeps no query log (QUERY_LOG=off), so it was not stored."
    )
    return closing_modal("Thank you", text)

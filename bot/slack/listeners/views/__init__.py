"""Modals: the full-passage modal (nothing to submit; closing it needs an ack) and
the feedback modal a thumbs down opens (its reason goes to the query log)."""

from __future__ import annotations

from logging import Logger

from slack_bolt import Ack, App

from ....render.buttons import read_button_value
from ....render.feedback import (
    FEEDBACK_MODAL,
    REASON_BLOCK,
    chosen_reason,
    closing_modal,
    thanks_modal,
)
from ...services import team_of

STALE = "That form no longer works. Please ask your question again."


def passage_closed(ack: Ack) -> None:
    ack()


def feedback_submitted(ack: Ack, view: dict, context: dict, logger: Logger) -> None:
    """What was wrong with an answer: logged with the question and the records shown
    (not when QUERY_LOG=off), never with the user, and never posted anywhere. The
    modal's private_metadata is read as untrusted input, like a button's value."""
    services = context["services"]
    state = read_button_value((view or {}).get("private_metadata"))
    if state is None:
        logger.warning("refused a feedback form whose metadata is not one we wrote")
        ack(response_action="update", view=closing_modal("Sorry", STALE))
        return
    reason = chosen_reason(view)
    if reason is None:
        ack(response_action="errors", errors={REASON_BLOCK: "Choose what was wrong."})
        return
    ack(response_action="update", view=thanks_modal(logged=services.query_log.enabled))
    services.record_feedback(
        state.question, list(state.shown_ids), reason=reason, team_id=team_of(context)
    )
    services.answered(context)  # the ack above was the answer


def register(app: App) -> None:
    app.view_closed("full_passage_modal")(passage_closed)
    app.view_submission(FEEDBACK_MODAL)(feedback_submitted)

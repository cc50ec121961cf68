"""Buttons on an answer: share, more results, full passage, and Slack's feedback
buttons (a thumbs down opens a modal asking what was wrong).

A button's value is read as untrusted input (bot/render/buttons.py): a forged or
damaged one gets a kind message and reaches neither the search nor the index.
"""

from __future__ import annotations

from logging import Logger

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ....render.blocks import (
    FEEDBACK,
    MORE,
    NOT_HELPFUL,
    PASSAGE,
    SHARE,
    passage_modal,
    text_message,
)
from ....render.buttons import ButtonState, read_button_value
from ....render.evidence import read_evidence_metadata
from ....render.feedback import closing_modal, feedback_modal
from ...services import APOLOGY, team_of

STALE = "That button no longer works. Please ask your question again."


def _tell(services, body: dict, message) -> bool:
    """Reply privately through the press's response_url; a press from a surface with
    none (a view) gets no reply rather than an error. Whether Slack took it."""
    if isinstance(body.get("response_url"), str):
        return services.respond(body["response_url"], message)
    return False


def _say(services, body: dict, text: str, client: WebClient, logger: Logger) -> None:
    """A short private reply: through the response_url, or, for a press in a modal
    (which has none), pushed onto the modal."""
    if isinstance(body.get("response_url"), str) or not _in_modal(body):
        _tell(services, body, text_message(text))
        return
    try:
        client.views_push(trigger_id=body["trigger_id"], view=closing_modal("Sorry", text))
    except (SlackApiError, KeyError):
        logger.exception("could not tell the user in the modal")


def _in_modal(body: dict) -> bool:
    return isinstance(body.get("view"), dict) and body["view"].get("type") == "modal"


def _state(body: dict, services) -> ButtonState | None:
    """The pressed button's state; None (after telling the user) when it is not valid."""
    try:
        raw = body["actions"][0]["value"]
    except (KeyError, IndexError, TypeError):
        raw = None
    state = read_button_value(raw)
    if state is None:
        _tell(services, body, text_message(STALE))
    return state


def _ephemeral(body: dict) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral", True))


def share(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    ack()
    services = context["services"]
    state = _state(body, services)
    if state is None:
        return
    channel = (body.get("channel") or {}).get("id")
    if channel is None and _in_modal(body):
        # The evidence modal (a message shortcut): to the message's channel.
        channel = read_evidence_metadata(body["view"].get("private_metadata"))
    if not isinstance(channel, str):
        logger.warning("refused a Share that names no channel we wrote")
        _say(services, body, STALE, client, logger)
        return
    # The same reply the user saw (a listing stays a listing), cut to the hits shown.
    reply = services.command_reply(
        state.question,
        offset=state.offset,
        ephemeral=False,
        shared_by=body["user"]["id"],
        shown=state.shown,
        team_id=team_of(context),
    )
    try:
        client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks)
        services.answered(context)
    except SlackApiError as error:
        logger.exception("could not share the answer")
        reason = error.response.get("error") if error.response else None
        text = (
            "I can't post in this channel yet: invite me first with `/invite @inspection-bot`."
            if reason in ("not_in_channel", "channel_not_found")
            else APOLOGY
        )
        _say(services, body, text, client, logger)


def more_results(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    ack()
    services = context["services"]
    state = _state(body, services)
    if state is None:
        return
    team = team_of(context)
    if _ephemeral(body):
        reply = services.command_reply(state.question, offset=state.offset, team_id=team)
        if _tell(services, body, reply):
            services.answered(context)
        return
    # The answer is a public thread reply (a mention): the next page joins the thread.
    message = body.get("message") or {}
    reply = services.question_reply(
        state.question, offset=state.offset, ephemeral=False, team_id=team
    )
    try:
        client.chat_postMessage(
            channel=body["channel"]["id"],
            thread_ts=message.get("thread_ts") or message.get("ts"),
            text=reply.text,
            blocks=reply.blocks,
        )
        services.answered(context)
    except SlackApiError:
        logger.exception("could not post more results")


def full_passage(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    ack()
    services = context["services"]
    state = _state(body, services)
    if state is None:
        return
    hit = services.hit(state.record_id) if state.record_id else None
    if hit is None:
        _say(services, body, "That passage is no longer in the index.", client, logger)
        return
    try:
        if _in_modal(body):  # from the evidence modal: stacked on it
            client.views_push(trigger_id=body["trigger_id"], view=passage_modal(hit))
        else:
            client.views_open(trigger_id=body["trigger_id"], view=passage_modal(hit))
        services.answered(context)
    except SlackApiError:
        logger.exception("could not open the passage modal")
        _tell(services, body, text_message(APOLOGY))


THANKS = "Thank you. A curator will look at this question and the quotes shown."


def feedback(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    """Slack's feedback buttons (and the old "Not helpful / wrong quote" button, on
    answers sent before them). A thumbs up needs nothing more: Slack shows it was
    pressed. A thumbs down opens a modal asking what was wrong; what the user sends
    there is logged (bot/slack/listeners/views). Nothing is posted to a channel."""
    ack()
    services = context["services"]
    state = _state(body, services)
    if state is None or state.feedback == "up":
        return
    modal = feedback_modal(state, logged=services.query_log.enabled)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=modal)
    except (SlackApiError, KeyError):
        # The modal could not open (an expired trigger): keep the "not helpful"
        # without a reason rather than lose it, and say thank you privately.
        logger.exception("could not open the feedback modal")
        services.record_feedback(state.question, list(state.shown_ids), team_id=team_of(context))
        _tell(services, body, text_message(THANKS))
    services.answered(context)


def register(app: App) -> None:
    app.action(SHARE)(share)
    app.action(MORE)(more_results)
    app.action(PASSAGE)(full_passage)
    app.action(FEEDBACK)(feedback)
    app.action(NOT_HELPFUL)(feedback)

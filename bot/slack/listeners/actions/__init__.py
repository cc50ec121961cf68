"""Buttons on an answer: share, more results, full passage, not helpful."""

from __future__ import annotations

import json
from logging import Logger

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ....render.blocks import MORE, NOT_HELPFUL, PASSAGE, SHARE, passage_modal, text_message
from ...services import APOLOGY


def _value(body: dict) -> dict:
    try:
        return json.loads(body["actions"][0]["value"])
    except (KeyError, IndexError, ValueError, TypeError):
        return {}


def _ephemeral(body: dict) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral", True))


def share(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    ack()
    services, state = context["services"], _value(body)
    user = body["user"]["id"]
    reply = services.shared_reply(state.get("q", ""), offset=state.get("o", 0), user=user)
    try:
        client.chat_postMessage(channel=body["channel"]["id"], text=reply.text, blocks=reply.blocks)
    except SlackApiError as error:
        logger.exception("could not share the answer")
        reason = error.response.get("error") if error.response else None
        text = (
            "I can't post in this channel yet: invite me first with `/invite @inspection-bot`."
            if reason in ("not_in_channel", "channel_not_found")
            else APOLOGY
        )
        services.respond(body["response_url"], text_message(text))


def more_results(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    ack()
    services, state = context["services"], _value(body)
    offset = int(state.get("o", 0))
    if _ephemeral(body):
        reply = services.command_reply(state.get("q", ""), offset=offset)
        services.respond(body["response_url"], reply)
        return
    # The answer is a public thread reply (a mention): the next page joins the thread.
    message = body.get("message") or {}
    reply = services.question_reply(state.get("q", ""), offset=offset, ephemeral=False)
    try:
        client.chat_postMessage(
            channel=body["channel"]["id"],
            thread_ts=message.get("thread_ts") or message.get("ts"),
            text=reply.text,
            blocks=reply.blocks,
        )
    except SlackApiError:
        logger.exception("could not post more results")


def full_passage(ack: Ack, body: dict, context: dict, client: WebClient, logger: Logger) -> None:
    ack()
    services = context["services"]
    hit = services.hit(_value(body).get("id", ""))
    if hit is None:
        services.respond(
            body["response_url"], text_message("That passage is no longer in the index.")
        )
        return
    try:
        client.views_open(trigger_id=body["trigger_id"], view=passage_modal(hit))
    except SlackApiError:
        logger.exception("could not open the passage modal")
        if body.get("response_url"):
            services.respond(body["response_url"], text_message(APOLOGY))


def not_helpful(ack: Ack, body: dict, context: dict, logger: Logger) -> None:
    ack()
    services, state = context["services"], _value(body)
    services.record_feedback(state.get("q", ""), list(state.get("ids", []))[:20])
    thanks = "Thank you. A curator will look at this question and the quotes shown."
    if body.get("response_url"):
        services.respond(body["response_url"], text_message(thanks))


def register(app: App) -> None:
    app.action(SHARE)(share)
    app.action(MORE)(more_results)
    app.action(PASSAGE)(full_passage)
    app.action(NOT_HELPFUL)(not_helpful)

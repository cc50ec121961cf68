"""@-mentions (answered in the mention's thread) and direct messages."""

from __future__ import annotations

from logging import Logger

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ...incoming import question_from_slack
from ...services import APOLOGY


def _from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype"))


def _post(
    client: WebClient, logger: Logger, *, channel: str, thread_ts: str | None, message
) -> None:
    try:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError:
        logger.exception("could not post the answer to %s", channel)
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=APOLOGY)
        except SlackApiError:
            logger.exception("could not post the apology either")


def app_mention(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    if _from_a_bot(event) and event.get("subtype") != "thread_broadcast":
        return
    question = question_from_slack(event.get("text"))
    reply = context["services"].question_reply(question, ephemeral=False)
    # In the mention's thread: a reply to a mention inside a thread stays there.
    thread = event.get("thread_ts") or event.get("ts")
    _post(client, logger, channel=event["channel"], thread_ts=thread, message=reply)


def direct_message(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    if event.get("channel_type") != "im" or _from_a_bot(event):
        return
    question = question_from_slack(event.get("text"))
    reply = context["services"].command_reply(question, ephemeral=False)
    _post(client, logger, channel=event["channel"], thread_ts=None, message=reply)


# The events this package answers, as the manifest subscribes to them.
EVENTS = {"app_mention": app_mention, "message": direct_message}


def register(app: App) -> None:
    for event, listener in EVENTS.items():
        app.event(event)(listener)

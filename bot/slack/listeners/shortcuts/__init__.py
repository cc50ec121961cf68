"""The message shortcut "Find inspection evidence": the bot's answer to a message's
text, in a modal, with its quotes, sources and a Share button (which posts to the
channel the message is in)."""

from __future__ import annotations

from logging import Logger

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ....render.evidence import evidence_modal
from ...incoming import question_from_slack
from ...services import team_of

FIND_EVIDENCE = "find_evidence"


def find_evidence(ack: Ack, shortcut: dict, context: dict, client: WebClient, logger: Logger):
    ack()
    services = context["services"]
    message = shortcut.get("message") if isinstance(shortcut.get("message"), dict) else {}
    # The same pipeline, escaping and decline as a question typed to the bot.
    question = question_from_slack(message.get("text"))
    reply = services.question_reply(question, team_id=team_of(context))
    channel = (shortcut.get("channel") or {}).get("id")
    view = evidence_modal(reply, channel=channel if isinstance(channel, str) else None)
    try:
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)
    except (SlackApiError, KeyError):
        logger.exception("could not open the evidence modal")
        return
    services.answered(context)


def register(app: App) -> None:
    app.shortcut(FIND_EVIDENCE)(find_evidence)

"""The `/inspection` slash command."""

from __future__ import annotations

from logging import Logger

from slack_bolt import Ack, App

from ...incoming import question_from_slack
from ...services import team_of

COMMAND = "/inspection"


def inspection(ack: Ack, command: dict, context: dict, logger: Logger) -> None:
    # Ack at once with an empty body; the answer follows through the response_url.
    # Slack's 3-second deadline then never depends on searching, and under load the
    # acks stay within a couple of times bolt's own floor (see BENCHMARKS.md).
    ack()
    services = context["services"]
    text, url = question_from_slack(command.get("text")), command["response_url"]
    team = team_of(context)
    # A slash command has no event id: Slack never retries it, so it is not keyed
    # in the ledger (bot/slack/app.py's once_key).
    services.later(lambda: services.respond(url, services.command_reply(text, team_id=team)))


def register(app: App) -> None:
    app.command(COMMAND)(inspection)

"""The framework's floor: a slack-bolt app that only acks `/inspection`.

Served by gunicorn exactly like the bot, so the load benchmark can report the bot's
ack latency as a ratio to what bolt itself costs. It authorizes without calling the
Web API, so nothing but signature checking and dispatch is measured.
"""

import os

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult


def authorize(**_kwargs) -> AuthorizeResult:
    return AuthorizeResult(
        enterprise_id=None,
        team_id="TFLOOR",
        bot_token="xoxb-floor",
        bot_user_id="UFLOOR",
        bot_id="BFLOOR",
    )


app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], authorize=authorize)


@app.command("/inspection")
def ack_only(ack):
    ack()


application = SlackRequestHandler(app)

"""The slack-bolt App: a thin shell that wires listeners to the bot's services."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from ..config import Settings
from .listeners import register_listeners
from .services import BotServices, retry_handlers

log = logging.getLogger(__name__)


def web_client(settings: Settings) -> WebClient:
    """The Web API client: SLACK_API_URL as its base, retrying 429s and dropped connections."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=retry_handlers(),
        timeout=15,
    )


def create_app(
    settings: Settings,
    services: BotServices,
    *,
    socket_mode: bool = False,
    process_before_response: bool = False,
) -> App:
    """`process_before_response` runs each listener to the end before replying, which
    the local console wants; over the network, acks go out first."""
    app = App(
        process_before_response=process_before_response,
        client=web_client(settings),
        signing_secret=None if socket_mode else settings.slack_signing_secret,
        # Socket Mode connections are authenticated by the app token, not signatures.
        request_verification_enabled=not socket_mode,
        logger=logging.getLogger("bot.slack"),
    )

    @app.middleware
    def provide_services(context, next):  # noqa: A002 - bolt's argument name
        context["services"] = services
        return next()

    @app.middleware
    def answer_each_event_once(body, next, logger):  # noqa: A002
        # Slack retries deliveries, replays may arrive within the signature window,
        # and several workers share the work: only the first claim of an event id counts.
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not services.ledger.claim(event_id):
            logger.info("event %s already handled; ignoring the repeat", event_id)
            return BoltResponse(status=200, body="")
        return next()

    @app.error
    def log_errors(error, body, logger):
        logger.exception("unhandled error in a listener: %s", error)

    register_listeners(app)
    return app

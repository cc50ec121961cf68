"""The slack-bolt App: a thin shell that wires listeners to the bot's services."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from ..config import Settings
from ..ledger import valid_event_id
from .listeners import register_listeners
from .services import ONCE_KEY, BotServices, retry_handlers, team_of

log = logging.getLogger(__name__)


def web_client(settings: Settings, *, oauth: bool = False) -> WebClient:
    """The Web API client: SLACK_API_URL as its base, retrying 429s and dropped connections.
    With OAuth (many workspaces) it has no token of its own: each request's client
    carries its workspace's."""
    return WebClient(
        token=None if oauth else settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=retry_handlers(),
        timeout=15,
    )


def once_key(body) -> str | None | bool:
    """The ledger key that makes a delivery answerable once: the event id of an Events
    API callback, the trigger id of a button press (a replayed "Share" would post
    again). None when there is nothing to key on; False when the id is malformed."""
    if not isinstance(body, dict):
        return None
    if "event_id" in body:
        event_id = body["event_id"]
        return event_id if valid_event_id(event_id) else False
    if body.get("type") == "block_actions":
        trigger = body.get("trigger_id")
        return f"action:{trigger}" if valid_event_id(trigger) else False
    if body.get("type") == "message_action":
        # A replayed shortcut would open its modal (and log its question) again.
        trigger = body.get("trigger_id")
        return f"shortcut:{trigger}" if valid_event_id(trigger) else False
    if body.get("type") == "view_submission" and "trigger_id" in body:
        # A replayed feedback form would log its reason twice.
        trigger = body.get("trigger_id")
        return f"view:{trigger}" if valid_event_id(trigger) else False
    return None


def _slack_retry(req) -> bool:
    """Whether this delivery is Slack's retry of one it thinks failed: the
    X-Slack-Retry-Num header over HTTP, the envelope's retry_attempt in Socket Mode
    (bolt mirrors it into the same header; 0 is the first delivery)."""
    headers = getattr(req, "headers", None) or {}
    value = headers.get("x-slack-retry-num")
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    try:
        return int(value) > 0
    except (TypeError, ValueError):
        return False


def create_app(
    settings: Settings,
    services: BotServices,
    *,
    socket_mode: bool = False,
    process_before_response: bool = False,
    oauth: bool = False,
) -> App:
    """`process_before_response` runs each listener to the end before replying, which
    the local console wants; over the network, acks go out first. `oauth`: many
    workspaces, installed through /slack/install (bot/slack/oauth.py)."""
    client = web_client(settings, oauth=oauth)
    oauth_settings = None
    if oauth:
        from .oauth import oauth_settings as build_oauth_settings

        oauth_settings = build_oauth_settings(settings, client)
    app = App(
        process_before_response=process_before_response,
        client=client,
        oauth_settings=oauth_settings,
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
    def answer_each_event_once(req, body, context, next, logger):  # noqa: A002
        # Slack retries deliveries, replays may arrive within the signature window,
        # and several workers and replicas share the work: one claim of an event id,
        # or of a button press's trigger id, answers it. The claim is a lease; the
        # listener that posts the answer marks it answered (bot/ledger.py).
        key = once_key(body)
        if key is False:
            logger.warning("refused a request whose event or trigger id is malformed")
            return BoltResponse(status=400, body="malformed event id")
        if not key:
            return next()
        claim = services.ledger.claim(key, team_id=team_of(context))
        if claim:
            context[ONCE_KEY] = key
            return next()
        if claim.held and _slack_retry(req):
            # Another worker holds it and has not answered: a 200 would end Slack's
            # retries, and the answer would be lost if that worker died. Slack tries
            # again later, when it has answered or its lease has run out.
            logger.info("%s is being answered elsewhere; asking Slack to retry later", key)
            return BoltResponse(status=503, body="being answered; retry later")
        logger.info("%s already handled; ignoring the repeat", key)
        return BoltResponse(status=200, body="")

    @app.error
    def log_errors(error, body, logger):
        logger.exception("unhandled error in a listener: %s", error)

    register_listeners(app)
    return app

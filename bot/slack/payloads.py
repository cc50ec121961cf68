"""Requests exactly as Slack sends them: bodies and signed headers.

Used by the local console (which drives the real bolt App with them), by the tests
(which send them through the real HTTP front door) and by the load benchmark.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM = "TDOUBLE"


def signed_headers(
    body: str, secret: str, *, timestamp: int | None = None, content_type: str
) -> dict:
    """The headers Slack sends: v0 HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    }


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def slash_command(
    text: str,
    *,
    response_url: str,
    user: str = "UUSER1",
    channel: str = "CCHANNEL1",
    command: str = "/inspection",
) -> tuple[str, str]:
    body = urlencode(
        {
            "token": "legacy-unused",
            "team_id": TEAM,
            "team_domain": "double",
            "channel_id": channel,
            "channel_name": "children-services",
            "user_id": user,
            "user_name": "a.manager",
            "command": command,
            "text": text,
            "api_app_id": "ADOUBLE",
            "response_url": response_url,
            "trigger_id": f"trigger-{uuid.uuid4().hex[:12]}",
        }
    )
    return body, FORM


def event_callback(event: dict, *, event_id: str | None = None) -> tuple[str, str]:
    body = {
        "token": "legacy-unused",
        "team_id": TEAM,
        "api_app_id": "ADOUBLE",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": "UBOTDOUBLE", "is_bot": True}],
    }
    return json.dumps(body), JSON


def app_mention(
    text: str,
    *,
    channel: str = "CCHANNEL1",
    user: str = "UUSER1",
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict:
    event = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts or f"{time.time():.6f}",
        "channel": channel,
        "event_ts": ts or f"{time.time():.6f}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(
    text: str,
    *,
    channel: str = "DDIRECT1",
    user: str = "UUSER1",
    bot_id: str | None = None,
    ts: str | None = None,
    thread_ts: str | None = None,
) -> dict:
    """A message in the bot's DM (`thread_ts`: a reply in one of its threads)."""
    return channel_message(
        text,
        channel=channel,
        user=user,
        ts=ts,
        thread_ts=thread_ts,
        bot_id=bot_id,
        channel_type="im",
    )


def channel_message(
    text: str,
    *,
    channel: str = "CCHANNEL1",
    user: str = "UUSER1",
    ts: str | None = None,
    thread_ts: str | None = None,
    bot_id: str | None = None,
    subtype: str | None = None,
    channel_type: str = "channel",
) -> dict:
    """A message in a channel (`channel_type` "group": a private one); `thread_ts`
    makes it a reply in that thread (message.channels / message.groups)."""
    ts = ts or f"{time.time():.6f}"
    event = {
        "type": "message",
        "channel_type": channel_type,
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    if bot_id:
        event["bot_id"] = bot_id
    if subtype:
        event["subtype"] = subtype
    return event


def message_shortcut(
    callback_id: str,
    text: str,
    *,
    channel: str = "CCHANNEL1",
    user: str = "UUSER1",
    author: str = "UAUTHOR1",
    ts: str | None = None,
    trigger_id: str | None = None,
) -> tuple[str, str]:
    """A message shortcut chosen on a message whose text is `text` (as Slack sends
    it: escaped, with its <...> tokens)."""
    ts = ts or f"{time.time():.6f}"
    payload = {
        "type": "message_action",
        "token": "legacy-unused",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM, "domain": "double"},
        "user": {"id": user, "username": "a.manager", "team_id": TEAM, "name": "a.manager"},
        "channel": {"id": channel, "name": "children-services"},
        "is_enterprise_install": False,
        "callback_id": callback_id,
        "trigger_id": trigger_id or f"trigger-{uuid.uuid4().hex[:12]}",
        "response_url": f"https://hooks.slack.invalid/actions/{uuid.uuid4().hex[:8]}",
        "message_ts": ts,
        "message": {"type": "message", "user": author, "text": text, "ts": ts},
    }
    return urlencode({"payload": json.dumps(payload)}), FORM


def app_home_opened(*, user: str = "UUSER1", tab: str = "home", channel: str = "DDIRECT1") -> dict:
    """A user opened the app's Home tab (`tab` "home") or its Messages tab ("messages")."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }


def block_action(
    action_id: str,
    value: str,
    *,
    response_url: str,
    channel: str = "CCHANNEL1",
    user: str = "UUSER1",
    ephemeral: bool = True,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    element: str = "button",
    view: dict | None = None,
) -> tuple[str, str]:
    """A press of a button (`element` "button") or of Slack's feedback buttons
    ("feedback_buttons": `value` is the pressed side's value). With `view`, a press
    in that modal: no channel, message or response_url, as Slack sends it."""
    message = {"ts": message_ts or f"{time.time():.6f}"}
    if thread_ts:
        message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "double"},
        "user": {"id": user, "username": "a.manager", "team_id": TEAM},
        "api_app_id": "ADOUBLE",
        "token": "legacy-unused",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": f"trigger-{uuid.uuid4().hex[:12]}",
        "channel": {"id": channel, "name": "children-services"},
        "message": message,
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "type": element,
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if view is not None:
        for key in ("channel", "message", "response_url"):
            payload.pop(key)
        payload["container"] = {"type": "view", "view_id": "VDOUBLE"}
        payload["view"] = {"id": "VDOUBLE", "team_id": TEAM, **view}
    return urlencode({"payload": json.dumps(payload)}), FORM


def view_submission(
    callback_id: str,
    *,
    private_metadata: str = "",
    values: dict | None = None,
    user: str = "UUSER1",
    trigger_id: str | None = None,
) -> tuple[str, str]:
    """A modal submitted: `values` as Slack sends them, block id -> action id -> state."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "double"},
        "user": {"id": user, "username": "a.manager", "team_id": TEAM},
        "api_app_id": "ADOUBLE",
        "token": "legacy-unused",
        "trigger_id": trigger_id or f"trigger-{uuid.uuid4().hex[:12]}",
        "view": {
            "id": f"V{uuid.uuid4().hex[:10].upper()}",
            "team_id": TEAM,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values or {}},
            "hash": "1.abc",
            "app_id": "ADOUBLE",
            "bot_id": "BDOUBLE",
        },
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)}), FORM


def radio_choice(block_id: str, action_id: str, value: str) -> dict:
    """A radio button's state in a view_submission's `values`."""
    option = {"text": {"type": "plain_text", "text": value}, "value": value}
    return {block_id: {action_id: {"type": "radio_buttons", "selected_option": option}}}

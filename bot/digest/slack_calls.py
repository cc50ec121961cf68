"""The digest's Slack calls: the client, how a failure is sorted, and finding a posted
digest again in the channel's history by its message metadata.

A failure is DEFINITE when Slack answered with an error, or was never reached: nothing
was posted. It is AMBIGUOUS when the post may have landed: a 5xx, or an answer lost
after the request went out. See bot/digest/post.py for what each leads to.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from ..config import Settings

EVENT_TYPE = "inspection_digest"  # the digest's message metadata: {"week": "2026-W48"}
HISTORY_PAGE, HISTORY_PAGES = 200, 20
MAX_RETRY_AFTER = 30  # seconds; a 429 asking for longer ends the run ("try later")

# Slack's answers that say what to fix. Every error Slack answers is definite: nothing
# was posted; these name the fix.
PERMANENT = {
    "channel_not_found": "the channel {channel} does not exist or the bot cannot see it: check DIGEST_CHANNEL",
    "not_in_channel": "the bot is not in {channel}: invite it with /invite @inspection-bot",
    "is_archived": "the channel {channel} is archived: choose another DIGEST_CHANNEL",
    "invalid_auth": "the bot token was rejected: check SLACK_BOT_TOKEN",
    "not_authed": "no bot token was sent: set SLACK_BOT_TOKEN",
    "token_revoked": "the bot token was revoked (the app was uninstalled?): reinstall the app and update SLACK_BOT_TOKEN",
    "token_expired": "the bot token has expired: reinstall the app and update SLACK_BOT_TOKEN",
    "account_inactive": "the bot's account is deactivated: reinstall the app and update SLACK_BOT_TOKEN",
    "missing_scope": "the app lacks the scope {needed}: add it to manifest.yml and reinstall the app",
    "invalid_blocks": "Slack refused the digest's blocks (invalid_blocks): a rendering bug, please report it with this log",
    "msg_too_long": "the digest is too long for one Slack message (msg_too_long): a rendering bug, please report it",
    "msg_blocks_too_long": "the digest's blocks are too long for Slack (msg_blocks_too_long): a rendering bug, please report it",
}


@dataclass(frozen=True)
class Failure:
    """Why a Slack call failed, and whether a post could have landed anyway."""

    definite: bool
    reason: str


class _ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out a 429 only when Slack asks for a short wait: a long Retry-After ends
    the run ("rate limited; try later") instead of holding it for an hour."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        wait = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), "0")
        wait = wait[0] if isinstance(wait, list) else wait
        try:
            return float(wait) <= MAX_RETRY_AFTER
        except ValueError:
            return True


def digest_client(settings: Settings) -> WebClient:
    """The client for the digest. It retries only what cannot post twice: a 429, and a
    connection never made (urllib's URLError: raised before the request was sent).
    Not a 5xx, nor a connection dropped after sending (slack_sdk's defaults would
    retry both): the post may have landed; post_digest checks before trying again."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            _ShortRateLimitRetry(max_retry_count=3),
            ConnectionErrorRetryHandler(max_retry_count=2, error_types=[URLError]),
        ],
        timeout=30,
    )


class HistoryTooLong(Exception):
    """More history since the claim than find_digest reads: it cannot say "not there"."""


def find_digest(client: WebClient, channel: str, key: str, *, oldest: dt.datetime) -> str | None:
    """The ts of the digest for week `key` in `channel` since `oldest`, by its metadata."""
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel,
            oldest=f"{oldest.timestamp():.6f}",
            include_all_metadata=True,
            limit=HISTORY_PAGE,
            cursor=cursor,
        )
        for item in page.get("messages") or []:
            metadata = item.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("week") == key:
                return item["ts"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    raise HistoryTooLong(f"more than {HISTORY_PAGE * HISTORY_PAGES} messages since the claim")


def classify(error: BaseException, *, channel: str, api_url: str) -> Failure | None:
    """DEFINITE or AMBIGUOUS, for what a Slack call raised; None for anything else (a
    bug, an interrupt), which the caller cannot sort."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        data = error.response.data if isinstance(error.response.data, dict) else {}
        code = str(data.get("error") or "")
        if status >= 500:
            return Failure(False, f"Slack answered HTTP {status}")
        if status == 429:  # after the client's retries, or asked to wait too long
            wait = {k.lower(): v for k, v in (error.response.headers or {}).items()}
            wait = wait.get("retry-after")
            asked = f", asking for {wait} s" if wait else ""
            return Failure(True, f"rate limited; nothing posted; try later (HTTP 429{asked})")
        if re.fullmatch(r"[a-z0-9_.]+", code):  # Slack's own error: it refused the call
            fix = PERMANENT.get(code)
            if fix is None:
                return Failure(True, f"Slack refused it ({code})")
            needed = data.get("needed") or "chat:write"
            return Failure(True, fix.format(channel=channel, needed=needed))
        # slack_sdk wraps a body it cannot parse as {"error": "Received a response in a
        # non-JSON format: ..."}: a proxy's page, or SLACK_API_URL is not Slack.
        return Failure(True, _not_json(status, api_url))
    if isinstance(error, ValueError):  # a 2xx body that starts like JSON and is not
        return Failure(True, _not_json(200, api_url))
    if isinstance(error, SlackRequestError):
        return Failure(True, f"the request could not be made ({error})")
    if isinstance(error, URLError):  # raised while connecting or sending: nothing arrived
        return Failure(
            True, f"could not reach Slack at {api_url} ({error.reason}); nothing was sent"
        )
    if isinstance(error, (OSError, http.client.HTTPException)):  # after sending
        return Failure(
            False, f"no answer from Slack after sending ({type(error).__name__}: {error})"
        )
    return None


def _not_json(status: int, api_url: str) -> str:
    return f"the reply (HTTP {status}) was not Slack's JSON: is SLACK_API_URL ({api_url}) right?"


def history_failure(error: BaseException, *, channel: str, api_url: str) -> str | None:
    """Why reading the channel's history failed, for people; None for what cannot be
    sorted (a bug, an interrupt)."""
    if isinstance(error, HistoryTooLong):
        return str(error)
    if isinstance(error, SlackApiError):
        data = error.response.data if isinstance(error.response.data, dict) else {}
        if data.get("error") == "missing_scope":
            needed = (
                data.get("needed") or "channels:history, or groups:history for a private channel"
            )
            return f"missing_scope: the app needs {needed}; add it to manifest.yml and reinstall"
    failure = classify(error, channel=channel, api_url=api_url)
    return failure.reason if failure else None

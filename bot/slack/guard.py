"""The checks at the front door, before bolt sees a request.

Bolt trusts what reaches it: it reads any body whole, turns a timestamp header that
is not an integer into a traceback and a 500, and raises out of its WSGI adapter
(gunicorn's HTML 500) on a body it cannot parse. Here a request is refused with one
log line and no traceback instead:

- 413 when the body is larger than any Slack payload can be (MAX_BODY_BYTES), told
  by Content-Length before a byte of it is read, or while reading one of unknown
  length;
- 401 when the timestamp is not a plain integer, is stale, or the signature does not
  match (checked here too, so that a malformed payload is reported as malformed only
  when Slack really sent it);
- 400 when a signed payload does not parse as bolt parses it, or has a field bolt
  and the listeners dispatch on in the wrong shape.

The OAuth install pages (`/slack/install`, `/slack/oauth_redirect`, served only with
SLACK_CLIENT_ID set) are a browser's GETs, unsigned by nature: bolt checks their
state (in the database and a cookie) and code. Here they are only kept small: 400
for a GET with a body, 414 for a query string longer than any install's code and
state need (MAX_QUERY_BYTES).

`guarded()` applies them to any WSGI server's requests; `before_body()` is also what
the asyncio front door (frontdoor.py) asks before it reads a body.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

# Slash commands and events are a few kilobytes. Interaction payloads echo the message
# or modal they came from: the bot's own are a few kilobytes, and Block Kit's caps (50
# blocks of at most 3,000 characters in a message) keep even a large one in the
# hundreds. 1 MiB refuses nothing Slack sends and bounds what a request can hold.
MAX_BODY_BYTES = 1024 * 1024
EVENTS_PATH = "/slack/events"
# Bolt's OAuth pages: a browser's GETs (bot/slack/oauth.py).
OAUTH_PATHS = ("/slack/install", "/slack/oauth_redirect")
# An install's redirect carries a code and a state of well under a hundred characters
# each (and Slack's `error` when an admin cancels).
MAX_QUERY_BYTES = 2048
# Slack's (and bolt's) window for a request's timestamp.
MAX_CLOCK_SKEW = 5 * 60
# Seconds since 1970 as Slack writes them: ASCII digits only (int() would also take
# "١٢", " 12" or "1_2"), and few enough that int() is cheap and never refuses.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

# Top-level fields whose type bolt's dispatch or the listeners rely on. Slack always
# sends them in these shapes; anything else is not from Slack, or is broken.
_SHAPES: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "event_id": str,
    "event": dict,
    "user": dict,
    "team": (dict, type(None)),
    "channel": dict,
    "container": dict,
    "message": dict,
    "view": dict,
    "actions": list,
    "authorizations": list,
}


class Refusal(Exception):
    """An answer given instead of the app's: its status line and a short reason."""

    def __init__(self, status: str, error: str, detail: str = ""):
        super().__init__(f"{status}: {error}{f' ({detail})' if detail else ''}")
        self.status, self.error, self.detail = status, error, detail

    @property
    def code(self) -> int:
        return int(self.status.split()[0])

    def body(self) -> bytes:
        return json.dumps({"error": self.error}).encode()

    def headers(self) -> list[tuple[str, str]]:
        # No "Connection: close": WSGI forbids it. Servers close a connection whose
        # body was left unread (gunicorn's asgi worker at once, gthread after a
        # drain bounded to 5 s).
        return [("Content-Type", "application/json"), ("Content-Length", str(len(self.body())))]

    def log(self) -> None:
        """One line, never a traceback: these are the sender's mistakes, not ours."""
        level = logging.INFO if self.code == 401 else logging.WARNING
        log.log(level, "refused a request with %s", self)


def too_large(length: int | str) -> Refusal:
    return Refusal(
        "413 Content Too Large", "body too large", f"{length} bytes; limit {MAX_BODY_BYTES}"
    )


def before_body(method: str, path: str, headers: Mapping[str, str]) -> Refusal | None:
    """What can be refused from the request line and headers alone (lower-case names):
    an oversized body is refused unread, and so is a Slack request whose timestamp no
    body could make valid."""
    length = headers.get("content-length")
    if length is not None and not (length.isascii() and length.isdigit()):
        return Refusal("400 Bad Request", "bad content-length")
    if length is not None and int(length) > MAX_BODY_BYTES:
        return too_large(length)
    if (
        method == "GET"
        and path in OAUTH_PATHS
        and (
            (length is not None and int(length) > 0)
            or "chunked" in headers.get("transfer-encoding", "")
        )
    ):
        return Refusal("400 Bad Request", "unexpected body", "a GET carries none")
    timestamp = headers.get("x-slack-request-timestamp")
    if method == "POST" and path == EVENTS_PATH and timestamp is not None:
        if not _TIMESTAMP.fullmatch(timestamp):
            return Refusal("401 Unauthorized", "invalid request", "timestamp is not an integer")
        if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            return Refusal("401 Unauthorized", "invalid request", "stale timestamp")
    return None


def _is_ssl_check(body: bytes) -> bool:
    # Slack's certificate probe for slash command URLs; bolt answers it before any
    # signature check, so it is let through unsigned, as bolt would.
    return dict(parse_qsl(body.decode("latin-1"))).get("ssl_check") == "1"


def check_signed_payload(body: bytes, headers: Mapping[str, str], secret: str) -> None:
    """Raise a Refusal unless `body` is signed with `secret` and parses as a Slack
    payload. Run after before_body(), so a timestamp given is a fresh integer."""
    timestamp, signature = (
        headers.get("x-slack-request-timestamp"),
        headers.get("x-slack-signature"),
    )
    if timestamp is None or signature is None:
        if _is_ssl_check(body):
            return
        raise Refusal("401 Unauthorized", "invalid request", "not signed")
    if not SignatureVerifier(secret).is_valid(body, timestamp, signature):
        raise Refusal("401 Unauthorized", "invalid request", "signature does not match")
    try:
        text = body.decode("utf-8")
        # Bolt's own parsing and context extraction, so anything it would raise on
        # is caught here. It parses again afterwards; for a few kilobytes, microseconds.
        parsed = BoltRequest(body=text, headers=dict(headers)).body
    except RecursionError:
        raise Refusal("400 Bad Request", "malformed payload", "nested too deeply") from None
    except Exception as error:  # bolt raises whatever its parsers do: all mean "malformed"
        raise Refusal("400 Bad Request", "malformed payload", type(error).__name__) from None
    if not isinstance(parsed, dict):
        raise Refusal("400 Bad Request", "malformed payload", "not a JSON object")
    for field, shape in _SHAPES.items():
        if field in parsed and not isinstance(parsed[field], shape):
            kind = type(parsed[field]).__name__
            raise Refusal("400 Bad Request", "malformed payload", f"{field} is a {kind}")
    for field in ("actions", "authorizations"):
        if not all(isinstance(item, dict) for item in parsed.get(field) or ()):
            raise Refusal("400 Bad Request", "malformed payload", f"{field} holds a non-object")


def read_capped(stream, length: int | None) -> bytes:
    """The body, Content-Length bytes of it, or up to the limit when no length was
    given (chunked): one byte more than the limit is a Refusal."""
    if length is not None:
        return stream.read(length) if length else b""
    data = stream.read(MAX_BODY_BYTES + 1)
    if len(data) > MAX_BODY_BYTES:
        raise too_large(f"over {MAX_BODY_BYTES}")
    return data


def wsgi_headers(environ: Mapping) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


def guarded(app: Callable, *, secret: str) -> Callable:
    """`app` behind the checks above. A passed body is handed on in full, with its
    true length, so bolt reads exactly what was signed (also for chunked bodies)."""

    def application(environ, start_response):
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        headers = wsgi_headers(environ)
        try:
            refusal = before_body(method, path, headers)
            if refusal:
                raise refusal
            if path in OAUTH_PATHS:
                query = environ.get("QUERY_STRING") or ""
                if len(query) > MAX_QUERY_BYTES:
                    raise Refusal(
                        "414 URI Too Long",
                        "query too long",
                        f"{len(query)} bytes; limit {MAX_QUERY_BYTES}",
                    )
            if method == "POST" and path == EVENTS_PATH:
                length = headers.get("content-length")
                body = read_capped(environ["wsgi.input"], None if length is None else int(length))
                check_signed_payload(body, headers, secret)
                environ = {
                    **environ,
                    "wsgi.input": io.BytesIO(body),
                    "CONTENT_LENGTH": str(len(body)),
                }
        except Refusal as refusal:
            refusal.log()
            start_response(refusal.status, refusal.headers())
            return [refusal.body()]
        return app(environ, start_response)

    return application

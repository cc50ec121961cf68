"""A local stand-in for Slack's Web API: a small HTTP server on 127.0.0.1.

It answers the Web API methods the bot calls (auth.test, chat.postMessage,
chat.postEphemeral, views.open, views.push, views.publish, assistant.threads.setStatus,
assistant.threads.setSuggestedPrompts, apps.connections.open, conversations.history,
users.info, oauth.v2.access) and `response_url` posts, and records everything it
receives, with the request's headers (the Authorization a call was made with).

Many workspaces: `install_code(team_id)` readies the code Slack would hand the app's
redirect URL when a workspace installs it; `oauth.v2.access` exchanges it for that
workspace's bot token (rotating, with `expires_in`, unless told otherwise) and
exchanges a refresh token for a new pair exactly once, as Slack does. `auth.test`
answers for the workspace a token belongs to, and refuses a revoked one
(`uninstall(team_id)`). `users.info` answers from `add_user(...)`, with is_admin and
is_owner as a test sets them. Tests assert on those
records; the local console renders them. Like Slack, it refuses a call that lacks
an argument the method requires (`invalid_arguments`), and more than four
suggested prompts.

`records` holds every request, refused or not. Separately, each channel keeps the
messages Slack would show in it: what chat.postMessage delivered, with its metadata,
which conversations.history reads back.

It can be told to fail: an HTTP 429 with Retry-After, a 5xx, a Slack error such as
`channel_not_found`, a body that is not JSON, a late answer (`delay`), or a 5xx for
a post it kept anyway (`landed`: Slack got it, then answered with an error).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Recorded:
    kind: str  # "api" or "response_url"
    name: str  # the Web API method, or the response_url's path
    body: dict
    at: float  # time.monotonic() when it arrived
    headers: dict = field(default_factory=dict, compare=False)  # lower-case names

    @property
    def token(self) -> str | None:
        """The token the call was made with (a Bearer header, or a `token` argument)."""
        auth = self.headers.get("authorization") or ""
        if auth.startswith("Bearer "):
            return auth[len("Bearer ") :]
        token = self.body.get("token")
        return token if isinstance(token, str) else None


@dataclass
class _Failure:
    status: int = 200
    error: str | None = None
    retry_after: float | None = None
    times: int = 1
    delay: float = 0.0  # hold the answer this long after recording the request
    raw: str | None = None  # answer with this body, not JSON (a proxy's error page)
    landed: bool = False  # a chat.postMessage is delivered to its channel all the same

    @property
    def answers_ok(self) -> bool:
        return self.status == 200 and not self.error and self.raw is None


@dataclass
class SlackDouble:
    bot_user_id: str = "UBOTDOUBLE"
    socket_url: str | None = None  # what apps.connections.open hands out
    records: list[Recorded] = field(default_factory=list)
    _failures: dict[str, deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    # What Slack's clock says, for message ts: a test that passes the bot a fixed
    # `now` pins this too, so reading history back never depends on today's date.
    clock: Callable[[], float] = time.time
    _channels: dict[str, list[dict]] = field(default_factory=dict)
    # How long a refreshed bot token lasts (Slack: 12 hours); an install's first token
    # lasts as long as install_code(expires_in=...) says.
    refreshed_expires_in: int = 43200
    # The app's OAuth credentials, as oauth.v2.access checks them.
    client_id: str = "111.222"
    client_secret: str = "double-client-secret"
    # Workspaces, users and the tokens issued to them (many workspaces, OAuth).
    _codes: dict[str, dict] = field(default_factory=dict)
    _tokens: dict[str, dict] = field(default_factory=dict)  # access token -> grant
    _refresh: dict[str, dict] = field(default_factory=dict)  # unused refresh token -> grant
    _revoked: set[str] = field(default_factory=set)
    users: dict[str, dict] = field(default_factory=dict)
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    # -- workspaces, users and tokens -----------------------------------------------

    def install_code(
        self,
        team_id: str,
        team_name: str | None = None,
        *,
        installer: str = "UINSTALLER",
        expires_in: int | None = 43200,
        scope: str = "commands,chat:write",
    ) -> str:
        """The code Slack redirects an installing admin back with: oauth.v2.access
        exchanges it (once) for `team_id`'s bot token. `expires_in` None: a token that
        never expires (token rotation off)."""
        with self._lock:
            code = f"code-{team_id}-{next(self._serial)}"
            self._codes[code] = {
                "team_id": team_id,
                "team_name": team_name or f"Workspace {team_id}",
                "installer": installer,
                "expires_in": expires_in,
                "scope": scope,
                "bot_user_id": f"UBOT{team_id}",
                "bot_id": f"B{team_id}",
            }
            return code

    def add_user(
        self, user_id: str, *, team_id: str = "TDOUBLE", is_admin=False, is_owner=False
    ) -> None:
        """A member users.info describes, an admin or owner as the test says."""
        with self._lock:
            self.users[user_id] = {
                "id": user_id,
                "team_id": team_id,
                "name": user_id.lower(),
                "is_admin": is_admin,
                "is_owner": is_owner,
                "is_primary_owner": False,
                "is_bot": False,
            }

    def uninstall(self, team_id: str) -> None:
        """The workspace removed the app: its tokens stop working."""
        with self._lock:
            for token, grant in list(self._tokens.items()):
                if grant["team_id"] == team_id:
                    self._revoked.add(token)
            for refresh, grant in list(self._refresh.items()):
                if grant["team_id"] == team_id:
                    del self._refresh[refresh]

    def tokens_of(self, team_id: str) -> list[str]:
        """The bot tokens issued to a workspace, oldest first."""
        with self._lock:
            return [t for t, g in self._tokens.items() if g["team_id"] == team_id]

    def _issue(self, grant: dict, *, expires_in: int | None = None) -> dict:
        """A new access token (and refresh token, when rotating) for `grant`'s
        workspace: oauth.v2.access's answer. The caller holds the lock."""
        n = next(self._serial)
        rotating = grant["expires_in"] is not None
        prefix = "xoxe.xoxb-1-" if rotating else "xoxb-"
        token = f"{prefix}{grant['team_id']}-{n}"
        self._tokens[token] = grant
        answer = {
            "ok": True,
            "app_id": "ADOUBLE",
            "authed_user": {"id": grant["installer"]},
            "scope": grant["scope"],
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": grant["bot_user_id"],
            "team": {"id": grant["team_id"], "name": grant["team_name"]},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if rotating:
            refresh = f"xoxe-1-{grant['team_id']}-{n}"
            self._refresh[refresh] = grant
            answer.update(refresh_token=refresh, expires_in=expires_in or grant["expires_in"])
        return answer

    def _oauth_access(self, body: dict, headers: dict) -> dict:
        """oauth.v2.access: a code exchanged once, or a refresh token exchanged once."""
        import base64

        auth = headers.get("authorization") or ""
        client = (body.get("client_id"), body.get("client_secret"))
        if auth.startswith("Basic "):
            with contextlib.suppress(ValueError):
                pair = base64.b64decode(auth[len("Basic ") :]).decode().split(":", 1)
                client = (pair[0], pair[1] if len(pair) > 1 else None)
        if client[0] != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if client[1] != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        with self._lock:
            if body.get("grant_type") == "refresh_token":
                grant = self._refresh.pop(body.get("refresh_token") or "", None)
                if grant is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                return self._issue(grant, expires_in=self.refreshed_expires_in)
            grant = self._codes.pop(body.get("code") or "", None)
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            return self._issue(grant)

    def _auth_test(self, token: str | None) -> dict:
        with self._lock:
            if token in self._revoked:
                return {"ok": False, "error": "token_revoked"}
            grant = self._tokens.get(token or "")
        if grant is None:  # the single workspace's configured token
            return {
                "ok": True,
                "url": "https://double.slack.invalid/",
                "team": "Double",
                "user": "inspection-bot",
                "team_id": "TDOUBLE",
                "user_id": self.bot_user_id,
                "bot_id": "BDOUBLE",
            }
        return {
            "ok": True,
            "url": f"https://{grant['team_id'].lower()}.slack.invalid/",
            "team": grant["team_name"],
            "user": "inspection-bot",
            "team_id": grant["team_id"],
            "user_id": grant["bot_user_id"],
            "bot_id": grant["bot_id"],
            "is_enterprise_install": False,
        }

    def _users_info(self, body: dict, token: str | None) -> dict:
        """A member of the token's workspace (any workspace's, for the single
        workspace's configured token)."""
        with self._lock:
            user = self.users.get(body.get("user") or "")
            grant = self._tokens.get(token or "")
        if user is None or (grant is not None and grant["team_id"] != user["team_id"]):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": dict(user)}

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> SlackDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                double._handle(self)

            def do_GET(self):  # noqa: N802
                double._handle(self)

            def log_message(self, *args):  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> SlackDouble:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the double first"
        return self._server.server_address[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    # -- scripting failures -----------------------------------------------------------

    def fail(
        self,
        name: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: float | None = None,
        times: int = 1,
        delay: float = 0.0,
        raw: str | None = None,
        landed: bool = False,
    ) -> None:
        """Make the next `times` calls of a method (or response_url path) fail, or
        (with only `delay`) succeed late: recorded at once, answered after `delay`.

        `raw` answers with that body as text/html under `status` (not Slack's JSON).
        `landed` keeps a chat.postMessage in its channel although the answer is a
        failure: Slack got the post, then answered 5xx."""
        with self._lock:
            self._failures.setdefault(name, deque()).append(
                _Failure(status, error, retry_after, times, delay, raw, landed)
            )

    def clear_failures(self) -> None:
        """Forget the failures still scripted: Slack is healthy again."""
        with self._lock:
            self._failures.clear()

    def _take_failure(self, name: str) -> _Failure | None:
        with self._lock:
            queue = self._failures.get(name)
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.popleft()
            return failure

    # -- reading what arrived -----------------------------------------------------------

    def calls(self, name: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.records if r.name == name]

    def messages(self) -> list[Recorded]:
        """Everything that would show a user something: posts and response_url replies."""
        with self._lock:
            return [
                r
                for r in self.records
                if r.kind == "response_url"
                or r.name
                in (
                    "chat.postMessage",
                    "chat.postEphemeral",
                    "views.open",
                    "views.push",
                    "views.publish",
                )
            ]

    def wait_for(self, predicate, timeout: float = 10.0) -> list[Recorded]:
        """Wait until `predicate(records)` is true; return the records."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                snapshot = list(self.records)
            if predicate(snapshot):
                return snapshot
            time.sleep(0.01)
        raise TimeoutError(f"the Slack double did not see what was expected: {snapshot!r}")

    def clear(self) -> None:
        with self._lock:
            self.records.clear()

    def channel_messages(self, channel: str) -> list[dict]:
        """What the channel shows, oldest first: only the posts Slack delivered."""
        with self._lock:
            return [dict(m) for m in self._channels.get(channel, [])]

    # -- answering ----------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode("utf-8") if length else ""
        body = _parse(raw, request.headers.get("Content-Type") or "")
        path, query = urlsplit(request.path)[2:4]
        # A GET (or a POST with a query string) carries its arguments in the URL.
        body = {**dict(parse_qsl(query, keep_blank_values=True)), **body}
        headers = {k.lower(): v for k, v in request.headers.items()}
        if path.startswith("/api/"):
            kind, name = "api", path[len("/api/") :]
        elif path.startswith("/response/"):
            kind, name = "response_url", path
        else:
            self._send(request, 404, {"ok": False, "error": "unknown_path"})
            return
        failure = self._take_failure(name) or (
            self._take_failure("response_url") if kind == "response_url" else None
        )
        delivered = None
        with self._lock:
            self.records.append(Recorded(kind, name, body, time.monotonic(), headers))
            # Delivered on arrival, before any late answer: a caller that gives up
            # waiting finds the post in the channel's history, as in Slack.
            if name == "chat.postMessage" and (
                failure is None or failure.answers_ok or failure.landed
            ):
                delivered = self._deliver(body)
        if failure and failure.delay:
            time.sleep(failure.delay)
        if failure and failure.raw is not None:
            self._send_raw(request, failure.status, failure.raw)
            return
        if failure and failure.status != 200:
            headers = (
                {"Retry-After": str(int(failure.retry_after or 0))}
                if failure.retry_after is not None
                else {}
            )
            error = failure.error or "ratelimited"
            self._send(request, failure.status, {"ok": False, "error": error}, headers)
            return
        if failure and failure.error:
            self._send(request, 200, {"ok": False, "error": failure.error})
            return
        if kind == "response_url":
            self._send(request, 200, None)
            return
        if delivered is not None:
            reply = {"ok": True, "channel": delivered["channel"], "ts": delivered["ts"]}
            self._send(request, 200, {**reply, "message": {**body, "ts": delivered["ts"]}})
            return
        self._send(request, 200, self._reply(name, body, headers))

    def _new_ts(self) -> str:
        return f"{int(self.clock())}.{next(self._ts):06d}"

    def _deliver(self, body: dict) -> dict:
        """Put a posted message in its channel (the caller holds the lock)."""
        channel = body.get("channel") or ""
        message = {
            "type": "message",
            "channel": channel,
            "ts": self._new_ts(),
            "text": body.get("text") or "",
            "blocks": body.get("blocks") or [],
            "user": self.bot_user_id,
            "bot_id": "BDOUBLE",
        }
        if body.get("metadata"):
            message["metadata"] = body["metadata"]
        self._channels.setdefault(channel, []).append(message)
        return message

    def _history(self, body: dict) -> dict:
        """conversations.history: newest first, after `oldest`, `limit` a page, with
        metadata only when include_all_metadata is set, as Slack answers."""
        channel = body.get("channel") or ""
        oldest = float(body.get("oldest") or 0)
        inclusive = _truthy(body.get("inclusive"))
        with self._lock:
            messages = [
                dict(m)
                for m in reversed(self._channels.get(channel, []))
                if float(m["ts"]) > oldest or (inclusive and float(m["ts"]) == oldest)
            ]
        if not _truthy(body.get("include_all_metadata")):
            for message in messages:
                message.pop("metadata", None)
        start = int(body.get("cursor") or 0)
        limit = int(body.get("limit") or 100)
        page = messages[start : start + limit]
        more = start + limit < len(messages)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _reply(self, method: str, body: dict, headers: dict | None = None) -> dict:
        headers = headers or {}
        auth = headers.get("authorization") or ""
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else body.get("token")
        if method == "auth.test":
            return self._auth_test(token)
        if method == "oauth.v2.access":
            return self._oauth_access(body, headers)
        if method == "users.info":
            return self._users_info(body, token)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._new_ts()}
        if method == "conversations.history":
            return self._history(body)
        missing = [a for a in _REQUIRED.get(method, ()) if body.get(a) in (None, "")]
        if method == "assistant.threads.setStatus" and not isinstance(body.get("status"), str):
            missing.append("status")
        if missing:
            return {"ok": False, "error": "invalid_arguments", "missing": missing}
        if method in ("views.open", "views.push"):
            return {"ok": True, "view": {**(body.get("view") or {}), "id": "VDOUBLE"}}
        if method == "views.publish":
            return {"ok": True, "view": {**(body.get("view") or {}), "id": "VHOMEDOUBLE"}}
        if method == "assistant.threads.setSuggestedPrompts" and len(body["prompts"]) > 4:
            return {"ok": False, "error": "invalid_arguments"}
        if method == "apps.connections.open":
            if not self.socket_url:
                return {"ok": False, "error": "socket_mode_not_enabled"}
            return {"ok": True, "url": self.socket_url}
        return {"ok": True}

    @staticmethod
    def _send(request, status: int, payload: dict | None, headers: dict | None = None) -> None:
        data = b"ok" if payload is None else json.dumps(payload).encode()
        kind = "text/plain" if payload is None else "application/json"
        SlackDouble._write(request, status, kind, data, headers)

    @staticmethod
    def _send_raw(request, status: int, text: str) -> None:
        SlackDouble._write(request, status, "text/html; charset=utf-8", text.encode())

    @staticmethod
    def _write(request, status: int, kind: str, data: bytes, headers: dict | None = None) -> None:
        # A caller that stopped waiting (a client timeout) has gone: nothing to tell it.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            request.send_response(status)
            request.send_header("Content-Type", kind)
            request.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                request.send_header(key, value)
            request.end_headers()
            request.wfile.write(data)


# The arguments Slack requires of the methods the bot calls (besides the token).
_REQUIRED = {
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.publish": ("user_id", "view"),
    # `status` may be "" (it clears the status), so it is checked for presence only.
    "assistant.threads.setStatus": ("channel_id", "thread_ts"),
    "assistant.threads.setSuggestedPrompts": ("channel_id", "prompts"),
    "users.info": ("user",),
}


def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _parse(raw: str, content_type: str) -> dict:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            return {"_raw": raw}
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments", "metadata", "prompts"):
        if isinstance(fields.get(key), str):
            with contextlib.suppress(ValueError):
                fields[key] = json.loads(fields[key])
    return fields

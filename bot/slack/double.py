"""A local stand-in for Slack's Web API: a small HTTP server on 127.0.0.1.

It answers the Web API methods the bot calls (auth.test, chat.postMessage,
chat.postEphemeral, views.open, apps.connections.open) and `response_url` posts,
and records everything it receives. Tests assert on those records; the local
console renders them. It can be told to fail: an HTTP 429 with Retry-After, a
5xx, or a Slack error such as `channel_not_found`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class Recorded:
    kind: str  # "api" or "response_url"
    name: str  # the Web API method, or the response_url's path
    body: dict
    at: float  # time.monotonic() when it arrived


@dataclass
class _Failure:
    status: int = 200
    error: str | None = None
    retry_after: float | None = None
    times: int = 1
    delay: float = 0.0  # hold the answer this long after recording the request


@dataclass
class SlackDouble:
    bot_user_id: str = "UBOTDOUBLE"
    socket_url: str | None = None  # what apps.connections.open hands out
    records: list[Recorded] = field(default_factory=list)
    _failures: dict[str, deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

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
    ) -> None:
        """Make the next `times` calls of a method (or response_url path) fail, or
        (with only `delay`) succeed late: recorded at once, answered after `delay`."""
        with self._lock:
            self._failures.setdefault(name, deque()).append(
                _Failure(status, error, retry_after, times, delay)
            )

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
                or r.name in ("chat.postMessage", "chat.postEphemeral", "views.open")
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

    # -- answering ----------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode("utf-8") if length else ""
        body = _parse(raw, request.headers.get("Content-Type") or "")
        path = request.path.split("?")[0]
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
        with self._lock:
            self.records.append(Recorded(kind, name, body, time.monotonic()))
        if failure and failure.delay:
            time.sleep(failure.delay)
        if failure and failure.status != 200:
            headers = (
                {"Retry-After": str(int(failure.retry_after or 0))}
                if failure.retry_after is not None
                else {}
            )
            self._send(request, failure.status, {"ok": False, "error": "ratelimited"}, headers)
            return
        if failure and failure.error:
            self._send(request, 200, {"ok": False, "error": failure.error})
            return
        if kind == "response_url":
            self._send(request, 200, None)
            return
        self._send(request, 200, self._reply(name, body))

    def _reply(self, method: str, body: dict) -> dict:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://double.slack.invalid/",
                "team": "Double",
                "user": "inspection-bot",
                "team_id": "TDOUBLE",
                "user_id": self.bot_user_id,
                "bot_id": "BDOUBLE",
            }
        if method == "chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": ts,
                "message": {**body, "ts": ts},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{int(time.time())}.{next(self._ts):06d}"}
        if method == "views.open":
            return {"ok": True, "view": {**(body.get("view") or {}), "id": "VDOUBLE"}}
        if method == "apps.connections.open":
            if not self.socket_url:
                return {"ok": False, "error": "socket_mode_not_enabled"}
            return {"ok": True, "url": self.socket_url}
        return {"ok": True}

    @staticmethod
    def _send(request, status: int, payload: dict | None, headers: dict | None = None) -> None:
        data = b"ok" if payload is None else json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/plain" if payload is None else "application/json")
        request.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)


def _parse(raw: str, content_type: str) -> dict:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            return {"_raw": raw}
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments"):
        if isinstance(fields.get(key), str):
            with contextlib.suppress(ValueError):
                fields[key] = json.loads(fields[key])
    return fields

"""The HTTP front door: an ASGI app, served by gunicorn's asyncio worker, that reads
each request on the event loop and only then runs the WSGI app (bolt) in a thread.

Why: under gunicorn's threaded (gthread) workers a thread reads the request body,
so 24 clients sending a body one byte a second held all 16 threads of two workers,
and real Slack requests and /healthz waited behind them (a body that stopped
arriving held its thread for good). Here a slow client costs a coroutine and a
buffer, not a thread; each body must arrive whole within BODY_DEADLINE (else 408)
and be no larger than MAX_BODY_BYTES (else 413, unread when Content-Length says so).
Only a complete body gets a thread. Responses are small (acks, /healthz) and are
buffered too.

Slack waits 3 s for an ack, so a body still arriving after BODY_DEADLINE could not
be answered in time anyway.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .guard import MAX_BODY_BYTES, Refusal, before_body, too_large

log = logging.getLogger(__name__)

BODY_DEADLINE = 3.0  # seconds from the end of the headers to the end of the body
THREADS = 8  # WSGI calls at once per worker; each lasts until bolt acks (milliseconds)


class BufferedWSGI:
    """An ASGI app running `wsgi_app` on whole, bounded requests."""

    def __init__(self, wsgi_app: Callable, *, threads: int = THREADS, deadline=BODY_DEADLINE):
        self.wsgi_app = wsgi_app
        self.deadline = deadline
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="wsgi")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:  # a websocket: refused before it is accepted (a 403)
            await send({"type": "websocket.close", "code": 1008})

    async def _http(self, scope, receive, send) -> None:
        headers = _headers(scope)
        try:
            refusal = before_body(scope["method"], scope["path"], headers)
            if refusal:
                raise refusal
            body = await self._body(receive)
        except Refusal as refusal:
            refusal.log()
            await _send(send, refusal.code, refusal.headers(), refusal.body())
            return
        if body is None:  # the client went away
            return
        environ = _environ(scope, headers, body)
        loop = asyncio.get_running_loop()
        code, response_headers, data = await loop.run_in_executor(
            self.executor, _call_wsgi, self.wsgi_app, environ
        )
        await _send(send, code, response_headers, data)

    async def _body(self, receive) -> bytes | None:
        """The whole body within the deadline and the size limit, else a Refusal;
        None when the client disconnected. Chunked bodies are capped as they come."""
        chunks, size = [], 0
        try:
            async with asyncio.timeout(self.deadline):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    chunks.append(message.get("body", b""))
                    size += len(chunks[-1])
                    if size > MAX_BODY_BYTES:
                        raise too_large(f"over {MAX_BODY_BYTES}")
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            raise Refusal(
                "408 Request Timeout",
                "request body not received in time",
                f"{size} bytes in {self.deadline:g} s",
            ) from None

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.executor.shutdown(wait=False)
                await send({"type": "lifespan.shutdown.complete"})
                return


def _headers(scope) -> dict[str, str]:
    """Lower-case names; repeated headers joined with commas, as WSGI servers do."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


def _environ(scope, headers: dict[str, str], body: bytes) -> dict:
    server = scope.get("server") or ("127.0.0.1", 0)
    client = scope.get("client") or ("", 0)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", ""),
        "PATH_INFO": scope["path"],
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        # The true length of the buffered body, also for a chunked request, so
        # bolt (which reads CONTENT_LENGTH bytes) reads all of it.
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
        elif name != "content-length":
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _call_wsgi(app: Callable, environ: dict) -> tuple[int, list, bytes]:
    """Run the WSGI app to the end in this (pool) thread: status, headers, body."""
    started: list = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status, headers]  # nothing is sent yet, so a late call may replace it

    try:
        result = app(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = started
    except Exception:
        log.exception("unhandled error serving %s", environ["PATH_INFO"])
        return 500, [("Content-Type", "application/json")], b'{"error": "internal error"}'
    return int(status.split()[0]), headers, data


async def _send(send, code: int, headers: list, body: bytes) -> None:
    names = {name.lower() for name, _ in headers}
    if "content-length" not in names:
        headers = [*headers, ("Content-Length", str(len(body)))]
    await send(
        {
            "type": "http.response.start",
            "status": code,
            "headers": [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""A local websocket server that speaks Slack's Socket Mode envelope protocol."""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid

from websockets.sync.server import serve


class SocketModeServer:
    """Sends `hello`, then whatever envelopes a test pushes; records the acks."""

    def __init__(self):
        self.acks: list[dict] = []
        self.connected = threading.Event()
        self._outbox: queue.Queue = queue.Queue()
        self._server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=test"

    def _handle(self, connection) -> None:
        connection.send(
            json.dumps(
                {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "ADOUBLE"}}
            )
        )
        self.connected.set()
        while True:
            try:
                envelope = self._outbox.get(timeout=0.05)
                connection.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                message = connection.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:
                return
            self.acks.append(json.loads(message))

    def push(self, kind: str, payload: dict, *, accepts_response_payload: bool = False) -> str:
        envelope_id = str(uuid.uuid4())
        self._outbox.put(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": accepts_response_payload,
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            time.sleep(0.02)
        raise AssertionError(f"no ack for {envelope_id}: {self.acks}")

    def close(self) -> None:
        self._server.shutdown()

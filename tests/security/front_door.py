"""The bot under real gunicorn on 127.0.0.1, and clients that attack its front door.

Used by tests/security/test_front_door.py and bench/slow_clients.py. Every loop here
is bounded by a count and a deadline, and every socket connects to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.slack import payloads
from bot.slack.double import SlackDouble

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Bot:
    """`inspection-bot serve --http` running, its output in `log_path`."""

    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def workers(self) -> set[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {int(child) for child in children}

    def workers_rss(self) -> int:
        """Resident memory of all workers, in bytes."""
        total = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # a worker that just exited
                continue
            kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
            total += int(kb) * 1024
        return total

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


@contextmanager
def running_bot(env: dict[str, str], log_path: Path, *, workers: int = 2) -> Iterator[Bot]:
    """`python -m bot serve --http` on a free loopback port, healthy, then stopped."""
    port = free_port()
    with log_path.open("wb") as out:  # a file, not a pipe nobody reads, which would fill
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)]
            + ["--workers", str(workers)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    bot = Bot(process, port, log_path)
    try:
        deadline = time.monotonic() + 90
        while get(f"{bot.base}/healthz", timeout=2)[0] != 200:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the bot did not start:\n" + "\n".join(bot.log_lines()))
            time.sleep(0.2)
        _wait_until_settled(bot, workers, deadline)
        yield bot
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_settled(bot: Bot, workers: int, deadline: float) -> None:
    """/healthz answers once one worker is up; wait for all of them, and for their
    start-up logging to end, so a test counts only the lines its requests caused."""
    quiet_since, size = time.monotonic(), -1
    while time.monotonic() < deadline:
        now_size = bot.log_path.stat().st_size
        if now_size != size:
            quiet_since, size = time.monotonic(), now_size
        elif len(bot.workers()) == workers and time.monotonic() - quiet_since > 1.0:
            return
        time.sleep(0.1)


@contextmanager
def served_bot(
    built: Path, where: Path, **settings: str
) -> Iterator[tuple[Bot, SlackDouble, Path]]:
    """The bot under gunicorn (one worker) on a copy of the built index in `where`,
    with its own Slack double and any extra settings: for a module's tests to share."""
    from tests.slack.conftest import copy_built_index, env_for

    data = copy_built_index(built, where / "data")
    with (
        SlackDouble() as double,
        running_bot(env_for(double, data, **settings), where / "bot.log", workers=1) as bot,
    ):
        yield bot, double, data


def _timed(request, *, timeout: float) -> tuple[int | None, float]:
    """Status (None when there was no answer in time) and seconds taken."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = None
    return status, time.monotonic() - start


def get(url: str, *, timeout: float) -> tuple[int | None, float]:
    """Status (None when there was no answer in time) and seconds taken."""
    return _timed(url, timeout=timeout)


def signed_command(
    base: str, double: SlackDouble, name: str, secret: str, *, timeout: float
) -> tuple[int | None, float]:
    """A real signed /inspection command, its answer due at the double's /response/name:
    its ack's status (None when not acked within `timeout`) and seconds taken."""
    body, kind = payloads.slash_command("adoption", response_url=double.response_url(name))
    headers = payloads.signed_headers(body, secret, content_type=kind)
    request = urllib.request.Request(f"{base}/slack/events", data=body.encode(), headers=headers)
    return _timed(request, timeout=timeout)


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_status(sock: socket.socket, deadline: float) -> int | None:
    """The status code of the answer on `sock`; None if none came by `deadline`."""
    data = b""
    while b"\r\n" not in data and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(4096)
        except (TimeoutError, OSError):
            return None
        if not chunk:
            break
        data += chunk
    parts = data.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def exchange(port: int, data: bytes, *, timeout: float) -> tuple[int | None, float]:
    """Send raw bytes on a new connection (and nothing more); the answer's status and
    the seconds it took."""
    start = time.monotonic()
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(data)
        status = read_status(sock, start + timeout)
    return status, time.monotonic() - start


def stream_body(
    port: int, head: bytes, chunks: Iterator[bytes], *, timeout: float
) -> tuple[int | None, int]:
    """Send `head`, then `chunks` while the server has not answered; the answer's
    status (None without one by `timeout`) and how many body bytes went out."""
    deadline = time.monotonic() + timeout
    sent = 0
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(head)
        for chunk in chunks:
            answered, _, _ = select.select([sock], [], [], 0)
            if answered or time.monotonic() > deadline:
                break
            try:
                sock.sendall(chunk)
            except OSError:  # the server answered and closed: read what it said
                break
            sent += len(chunk)
        return read_status(sock, deadline), sent


class SlowBodies:
    """`count` connections that each announce a `length`-byte body, then send it one
    byte every `interval` seconds (or, with interval None, send `first` bytes and go
    silent). A connection the server closes is opened again when `reconnect`, as an
    attacker would keep up the pressure. Everything stops after `lifetime` seconds."""

    def __init__(
        self,
        port: int,
        *,
        count: int = 24,
        length: int = 100_000,
        interval: float | None = 1.0,
        first: int = 1,
        reconnect: bool = False,
        lifetime: float = 60.0,
    ):
        self.port, self.count, self.length = port, count, length
        self.interval, self.first, self.reconnect = interval, first, reconnect
        self.lifetime = lifetime
        self.sockets: list[socket.socket | None] = []
        self.answers: list[int | None] = []  # statuses the server sent before closing
        self.opened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drip, daemon=True)

    def _open(self) -> socket.socket:
        sock = socket.create_connection((HOST, self.port), timeout=5)
        head = request_head(
            "POST",
            "/slack/events",
            {"Content-Type": payloads.FORM, "Content-Length": str(self.length)},
        )
        sock.sendall(head + b"t" * self.first)
        self.opened += 1
        return sock

    def __enter__(self) -> SlowBodies:
        self._started = time.monotonic()
        self.sockets = [self._open() for _ in range(self.count)]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in self.sockets:
            if sock is not None:
                sock.close()

    def _drip(self) -> None:
        ticks = int(self.lifetime / (self.interval or 0.2)) + 1
        for _ in range(ticks):  # bounded by count as well as by time
            if self._stop.wait(self.interval or 0.2):
                return
            if time.monotonic() - self._started > self.lifetime:
                return
            for i, sock in enumerate(self.sockets):
                self.sockets[i] = self._tick(sock)

    def _tick(self, sock: socket.socket | None) -> socket.socket | None:
        if sock is None:
            return None
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:  # an answer, or the server closed the connection
            status = read_status(sock, time.monotonic() + 0.5)
        else:
            try:
                if self.interval is not None:
                    sock.send(b"t")
                return sock
            except OSError:
                status = None
        self.answers.append(status)
        sock.close()
        if not self.reconnect or self._stop.is_set():
            return None
        try:
            return self._open()
        except OSError:
            return None

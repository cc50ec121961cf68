"""Attacks on the HTTP front door (issue 15), through `inspection-bot serve --http` under
real gunicorn on 127.0.0.1, against the Slack API double: slow and stalled bodies,
bodies larger than any Slack payload, timestamps that are not integers, and signed
payloads that do not parse."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.slack import payloads
from tests.security.front_door import (
    SlowBodies,
    exchange,
    get,
    request_head,
    running_bot,
    signed_command,
    stream_body,
)
from tests.slack.conftest import SECRET, built_data, data_dir, double, env_for, send  # noqa: F401

ACK_SECONDS = 3.0  # Slack's own deadline for an ack
LIMIT = 1 << 20  # the documented body limit, 1 MiB (bot/slack/guard.py)


@pytest.fixture
def bot(double, data_dir, tmp_path):  # noqa: F811 - fixtures imported above
    with running_bot(env_for(double, data_dir), tmp_path / "server.log") as running:
        yield running


def _new_lines(bot, before: int, *, settle: float = 0.5, timeout: float = 5.0) -> list[str]:
    """The log lines written since there were `before`, once a first one came and
    nothing more followed for `settle` seconds."""
    deadline = time.monotonic() + timeout
    while len(bot.log_lines()) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(settle)
    return bot.log_lines()[before:]


def _acked_in_time(bot, slack, name: str) -> None:
    status, _ = signed_command(bot.base, slack, name, SECRET, timeout=ACK_SECONDS)
    assert status == 200, f"{name}: not acked within {ACK_SECONDS} s (status {status})"


def test_slow_bodies_do_not_hold_up_signed_commands_or_healthz(bot, double):  # noqa: F811
    workers = bot.workers()
    # 24 connections announce a 100 KB body and send a byte a second, reconnecting
    # when the server drops them. Under gthread they held all 16 threads.
    with SlowBodies(bot.port, count=24, length=100_000, reconnect=True, lifetime=30) as slow:
        time.sleep(1.5)  # they are all mid-body now
        for n in range(3):
            _acked_in_time(bot, double, f"slow-{n}")
        assert get(f"{bot.base}/healthz", timeout=ACK_SECONDS)[0] == 200
        assert len([s for s in slow.sockets if s is not None]) == 24  # still attacking
    double.wait_for(
        lambda r: {f"/response/slow-{n}" for n in range(3)} <= {x.name for x in r}, timeout=15
    )
    time.sleep(0.5)
    assert bot.workers() == workers  # clients hanging up killed no worker (SIGPIPE)


def test_the_workers_ignore_sigpipe(bot):
    """A client that hangs up before its answer is written must cost an EPIPE, not the
    worker and every request it holds. Under gthread, slow clients closing their
    connections killed both workers this way; the asyncio worker rarely writes to a
    closed socket, so the disposition itself is checked, in the live workers."""
    sigpipe = 1 << (signal.SIGPIPE - 1)
    for pid in bot.workers():
        status = Path(f"/proc/{pid}/status").read_text()
        ignored = int(
            next(x for x in status.splitlines() if x.startswith("SigIgn:")).split()[1], 16
        )
        assert ignored & sigpipe, f"worker {pid} dies of SIGPIPE"


def test_a_body_that_stops_arriving_gets_408_and_holds_nothing_up(bot, double):  # noqa: F811
    # Part of a body, then silence: these held a thread each for good.
    with SlowBodies(
        bot.port, count=24, length=1000, first=100, interval=None, lifetime=20
    ) as stalled:
        _acked_in_time(bot, double, "stalled")
        deadline = time.monotonic() + 15
        while len(stalled.answers) < 24 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stalled.answers == [408] * 24


def test_a_body_larger_than_any_slack_payload_gets_413_unread(bot, double):  # noqa: F811
    fifty_mb = request_head(
        "POST", "/slack/events", {"Content-Type": payloads.FORM, "Content-Length": str(50 << 20)}
    )
    declared, _ = exchange(bot.port, fifty_mb, timeout=5)  # not one byte of the body sent

    # With no length given, the body is cut off as it arrives: 1 MiB, then one byte more.
    chunked = request_head(
        "POST", "/slack/events", {"Content-Type": payloads.FORM, "Transfer-Encoding": "chunked"}
    )
    piece = b"t" * (64 << 10)
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * (LIMIT // len(piece))
    streamed, _ = stream_body(bot.port, chunked, iter([*chunks, b"1\r\nt\r\n"]), timeout=10)
    assert (declared, streamed) == (413, 413)

    _acked_in_time(bot, double, "after-413")


def test_a_timestamp_that_is_not_an_integer_gets_401_and_no_traceback(bot, double):  # noqa: F811
    body, kind = payloads.slash_command("adoption", response_url=double.response_url("ts"))
    statuses = {
        timestamp[:8]: send(bot.base, (body, kind), **{"X-Slack-Request-Timestamp": timestamp})[0]
        for timestamp in ("abc", "1.5", "9" * 5000)
    }
    assert statuses == {"abc": 401, "1.5": 401, "99999999": 401}
    time.sleep(0.5)
    assert not any("Traceback" in line for line in bot.log_lines())


MALFORMED = {
    "an events body that is not JSON": ('{"type": "event_callback", "event": {', payloads.JSON),
    "a form payload that is a JSON list": (urlencode({"payload": "[1, 2]"}), payloads.FORM),
    "JSON nested 100,000 deep": ("[" * 100_000, payloads.JSON),
    "an object as event_id": (
        json.dumps(
            {
                "type": "event_callback",
                "event_id": {"id": "Ev1"},
                "event": payloads.app_mention("<@UBOTDOUBLE> adoption"),
            }
        ),
        payloads.JSON,
    ),
}


def test_malformed_signed_payloads_get_400_with_one_log_line(bot):
    outcomes = {}
    for name, body_and_type in MALFORMED.items():
        before = len(bot.log_lines())
        status, text = send(bot.base, body_and_type)  # signed: the signature check passes
        lines = _new_lines(bot, before)
        outcomes[name] = (status, text, len(lines), all("malformed payload" in x for x in lines))
    expected = (400, '{"error": "malformed payload"}', 1, True)
    assert outcomes == dict.fromkeys(MALFORMED, expected)

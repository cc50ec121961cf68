"""Never lost, never twice: two replicas behind one database (issue 14, point 3).

Every request is signed as Slack signs it and sent over loopback to a real gunicorn
server; every answer is what the Slack double recorded. Each test runs on PostgreSQL
(two pods) and on SQLite (two servers on one host sharing `state.db`).
"""

from __future__ import annotations

import threading
import time

from bot.slack import payloads
from tests.replicas.conftest import LEASE_SECONDS as LEASE
from tests.slack.conftest import send, wait_until

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
QUESTION = "what did Ofsted say about the out-of-hours service?"


def _posts(double, channel: str) -> list:
    return [r for r in double.calls("chat.postMessage") if r.body.get("channel") == channel]


def _settle(seconds: float = 1.5) -> None:
    """Time for a wrongly repeated answer to arrive, if one were coming."""
    time.sleep(seconds)


def test_a_retry_of_an_event_another_replica_answered_is_not_answered_again(replicas):
    event = payloads.event_callback(
        payloads.app_mention(f"<@UBOTDOUBLE> {QUESTION}", channel="CRETRY")
    )
    status, _ = send(replicas.a.base, event)
    assert status == 200
    wait_until(lambda: len(_posts(replicas.double, "CRETRY")) == 1)
    # Until A has recorded its answer (just after Slack took the post) a retry is told
    # to come back (503); once recorded, it is acknowledged and ignored.
    wait_until(lambda: send(replicas.b.base, event, **RETRY)[0] == 200)
    _settle()
    assert len(_posts(replicas.double, "CRETRY")) == 1


def test_one_event_delivered_to_both_replicas_at_once_is_answered_once(replicas):
    for n in range(5):
        channel = f"CBOTH{n}"
        event = payloads.event_callback(
            payloads.app_mention(f"<@UBOTDOUBLE> {QUESTION}", channel=channel)
        )
        statuses: list[int] = []

        def deliver(base, event=event, statuses=statuses):
            statuses.append(send(base, event)[0])

        threads = [
            threading.Thread(target=deliver, args=(base,))
            for base in (replicas.a.base, replicas.b.base)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert 200 in statuses
        wait_until(lambda channel=channel: len(_posts(replicas.double, channel)) >= 1)
    _settle()
    for n in range(5):
        assert len(_posts(replicas.double, f"CBOTH{n}")) == 1


def test_an_event_whose_replica_died_before_answering_is_answered_on_slacks_retry(replicas):
    # The DM's loading status is set before the search: hold it at the double, so
    # replica A has claimed the event and is stuck before its answer, then kill A.
    replicas.double.fail("assistant.threads.setStatus", delay=30)
    event = payloads.event_callback(payloads.direct_message(QUESTION, channel="DKILLED"))
    send(replicas.a.base, event)
    wait_until(lambda: replicas.double.calls("assistant.threads.setStatus"))
    replicas.kill(replicas.a)
    replicas.double.clear_failures()

    # Slack's first retry comes at once: A's lease is still held, so B must not
    # acknowledge it as done (or Slack would stop retrying and the answer be lost).
    status, _ = send(replicas.b.base, event, **RETRY)
    assert status != 200 or _posts(replicas.double, "DKILLED")
    # Its next retry comes after the lease has run out: B answers it.
    time.sleep(float(LEASE) + 0.5)
    retry = {**RETRY, "X-Slack-Retry-Num": "2"}
    status, _ = send(replicas.b.base, event, **retry)
    assert status == 200
    wait_until(lambda: len(_posts(replicas.double, "DKILLED")) == 1)
    _settle()
    assert len(_posts(replicas.double, "DKILLED")) == 1

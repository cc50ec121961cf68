"""PostgreSQL restarted under load (issue 14, point 4): acks stay within Slack's
3 seconds, answers go on (the ledger is best effort: a claim it cannot write is an
answer anyway), and once the server is back every claim is written again, so a
retry of an event answered after the restart is not answered twice.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, select

from bot.db.engine import driver_url
from bot.db.tables import handled_events
from bot.slack import payloads
from tests.replicas.test_replicas import RETRY
from tests.slack.conftest import send, wait_until

QUESTIONS = ["is the MASH coping?", "what grade did adoption get", "care leavers accommodation"]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_acks_and_answers_survive_a_postgresql_restart(replicas, postgres_cluster):
    events: list[tuple[str, float, int, str]] = []  # channel, ack seconds, status, phase
    phase = {"now": "before"}
    stop = threading.Event()

    def one(n: int) -> None:
        channel = f"CLOAD{n}"
        base = (replicas.a, replicas.b)[n % 2].base
        body = payloads.event_callback(
            payloads.app_mention(f"<@UBOTDOUBLE> {QUESTIONS[n % 3]}", channel=channel),
            event_id=f"EvLOAD{n:05d}",
        )
        seen = phase["now"]
        start = time.monotonic()
        status, _ = send(base, body)
        events.append((channel, time.monotonic() - start, status, seen))

    def load() -> None:
        with ThreadPoolExecutor(4) as pool:
            n = 0
            while not stop.is_set():
                pool.submit(one, n)
                n += 1
                time.sleep(0.05)

    loader = threading.Thread(target=load)
    loader.start()
    time.sleep(2)
    phase["now"] = "restart"
    postgres_cluster.restart(down_for=1.5)
    phase["now"] = "after"
    time.sleep(3)
    stop.set()
    loader.join(timeout=30)

    assert len(events) > 60
    slowest = max(seconds for _, seconds, _, _ in events)
    assert slowest < 3.0, f"an ack took {slowest:.2f} s"
    assert all(status == 200 for _, _, status, _ in events)
    channels = [channel for channel, *_ in events]
    wait_until(
        lambda: all(
            any(r.body.get("channel") == c for r in replicas.double.calls("chat.postMessage"))
            for c in channels
        ),
        timeout=30,
    )
    for channel in channels:
        posts = [
            r for r in replicas.double.calls("chat.postMessage") if r.body.get("channel") == channel
        ]
        assert len(posts) == 1, channel

    # After the restart, claims are written again: the ledger holds them, and a
    # retry of each is not answered a second time.
    after = [int(c.removeprefix("CLOAD")) for c, _, _, p in events if p == "after"]
    assert after
    engine = create_engine(driver_url(replicas.database_url))
    with engine.connect() as db:
        stored = set(db.scalars(select(handled_events.c.event_id)))
    engine.dispose()
    missing = [n for n in after if f"EvLOAD{n:05d}" not in stored]
    assert not missing, f"claims not recorded after the restart: {missing[:5]}"
    for n in after[:10]:
        body = payloads.event_callback(
            payloads.app_mention(f"<@UBOTDOUBLE> {QUESTIONS[n % 3]}", channel=f"CLOAD{n}"),
            event_id=f"EvLOAD{n:05d}",
        )
        assert send(replicas.b.base, body, **RETRY)[0] == 200
    time.sleep(1.5)
    for n in after[:10]:
        posts = [
            r
            for r in replicas.double.calls("chat.postMessage")
            if r.body.get("channel") == f"CLOAD{n}"
        ]
        assert len(posts) == 1

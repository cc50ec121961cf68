"""Slow clients and oversized bodies against HTTP mode on loopback (issue 15).

    .venv/bin/python -m bench.slow_clients [--slow 24] [--commands 10] [--every 1]
        [--big 8] [--big-mb 50]

Runs `inspection-bot serve --http --workers 2` (as it is in this tree) with the Slack
API double, then:

1. Acks under slow clients. `--slow` connections each announce a 100 KB body and
   send it one byte a second, reconnecting whenever the server drops them. Meanwhile
   `--commands` signed /inspection commands go one at a time, `--every` seconds apart,
   each waiting up to 10 s for its ack, then /healthz once. Prints how many were acked within 3 s (Slack's
   deadline), the ack median and maximum, and /healthz's time.
2. Memory under oversized bodies. `--big` unsigned POSTs of `--big-mb` MB each, at
   once, each streaming its body until the server answers. Prints the workers' total
   resident memory (sampled every 20 ms) before, at its peak and after, the answers,
   and how much of the bodies the clients got to send.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.slack import payloads
from bot.slack.double import SlackDouble
from tests.security.front_door import (
    Bot,
    SlowBodies,
    get,
    request_head,
    running_bot,
    signed_command,
    stream_body,
)

SECRET = "bench-signing-secret"
MB = 1 << 20


def acks_under_slow_clients(
    bot: Bot, double: SlackDouble, slow: int, commands: int, every: float
) -> bool:
    lifetime = commands * (10 + every) + 30
    with SlowBodies(bot.port, count=slow, reconnect=True, lifetime=lifetime) as attack:
        time.sleep(2)  # every slow connection is mid-body
        acks = []
        for n in range(commands):  # spread out, so the attack goes on through them all
            acks.append(signed_command(bot.base, double, f"slow-{n}", SECRET, timeout=10))
            time.sleep(every)
        health, health_seconds = get(f"{bot.base}/healthz", timeout=10)
    in_time = [s for status, s in acks if status == 200 and s <= 3.0]
    seconds = [s for _, s in acks]
    print(
        f"Slow clients: {slow} connections announcing a 100 KB body, one byte a second, "
        f"reconnecting when dropped ({attack.opened} connections opened in all)"
    )
    print(
        f"  signed commands acked within 3 s: {len(in_time)}/{commands}; "
        f"ack median {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms "
        f"(a command not acked counts as its 10 s timeout)"
    )
    print(
        f"  /healthz: {health or 'no answer'} in {health_seconds * 1000:.0f} ms; "
        f"the server's answers to the slow connections: {dict(Counter(attack.answers))}"
    )
    return len(in_time) == commands


def memory_under_big_bodies(bot: Bot, big: int, size_mb: int) -> None:
    head = request_head(
        "POST",
        "/slack/events",
        {"Content-Type": payloads.FORM, "Content-Length": str(size_mb * MB)},
    )
    piece = b"t" * (256 << 10)

    def one(_: int):
        return stream_body(bot.port, head, iter([piece] * (size_mb * 4)), timeout=60)

    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:
        for _ in range(6000):  # 20 ms apart: two minutes at most
            samples.append(bot.workers_rss())
            if done.wait(0.02):
                return

    before = bot.workers_rss()
    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.monotonic()
    with ThreadPoolExecutor(big) as pool:
        results = list(pool.map(one, range(big)))
    elapsed = time.monotonic() - start
    time.sleep(1)
    done.set()
    sampler.join()
    after = bot.workers_rss()
    statuses = Counter(status for status, _ in results)
    sent = sum(n for _, n in results)
    print(f"Oversized bodies: {big} unsigned POSTs of {size_mb} MB at once")
    print(
        f"  workers' RSS: before {before / MB:.0f} MB, peak {max(samples, default=0) / MB:.0f} MB, "
        f"after {after / MB:.0f} MB"
    )
    print(
        f"  answers: {dict(statuses)} in {elapsed:.1f} s; body sent by the clients before "
        f"the answer: {sent / MB:.1f} of {big * size_mb} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=24)
    parser.add_argument("--commands", type=int, default=10)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between commands")
    parser.add_argument("--big", type=int, default=8)
    parser.add_argument("--big-mb", type=int, default=50)
    args = parser.parse_args(argv)
    with SlackDouble() as double, tempfile.TemporaryDirectory() as tmp:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": double.api_url,
            "INSPECTION_BOT_DATA_DIR": str(Path(tmp) / "data"),
            "QUERY_LOG": "off",  # benchmarks never write to the query log
            "LOG_LEVEL": "WARNING",
            "DIGEST_SCHEDULE": "off",
        }
        with running_bot(env, Path(tmp) / "server.log") as bot:
            print("inspection-bot serve --http --workers 2, on loopback")
            ok = acks_under_slow_clients(bot, double, args.slow, args.commands, args.every)
        # A fresh server, so the memory it starts with is not the first attack's.
        with running_bot(env, Path(tmp) / "server2.log") as bot:
            memory_under_big_bodies(bot, args.big, args.big_mb)
    print(
        f"Reproduce: .venv/bin/python -m bench.slow_clients --slow {args.slow} "
        f"--commands {args.commands} --every {args.every:g} --big {args.big} --big-mb {args.big_mb}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

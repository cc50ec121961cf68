"""Load: signed slash commands from concurrent clients against HTTP mode on loopback,
and the same harness against a bolt app that only acks (the framework's floor).

    .venv/bin/python -m bench.load [--requests 2000] [--clients 16] [--workers 2]

A request counts as a success only when its answer reaches the Slack double's
response_url (for the floor, when it is acked).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.ack_latency import (
    SECRET,
    free_port,
    launch,
    percentile,
    send_command,
    start_server,
    wait_for_answers,
)
from bot.slack.double import SlackDouble


def start_floor(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.minimal_app:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "8",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET}
    base = f"http://127.0.0.1:{port}"
    # Up when it answers at all: the floor has no /healthz, and answers / with a 404.
    return launch(cmd, env, f"{base}/", up=lambda status: True, timeout=60), base


def run(base: str, double: SlackDouble, requests: int, clients: int, tag: str):
    def one(n: int):
        return send_command(base, double, n, tag=tag)

    for n in range(10):
        one(100_000 + n)  # warm up
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - start
    return results, elapsed


def report(label: str, results, elapsed: float, answered: int | None) -> float:
    acks = [t * 1000 for t, status, _ in results if status == 200] or [float("nan")]
    failures = len(results) - (answered if answered is not None else len(acks))
    p50 = statistics.median(acks) if acks else float("nan")
    print(
        f"  {label:<22} failures {failures:>4}/{len(results)}  ack p50 {p50:6.1f} ms  "
        f"p99 {percentile(acks, 99):7.1f} ms  throughput {len(results) / elapsed:6.1f} req/s"
    )
    return p50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    print(
        f"Load: {args.requests} signed /inspection commands from {args.clients} concurrent clients, "
        f"gunicorn (gthread) with {args.workers} workers, on loopback"
    )
    with SlackDouble() as double, tempfile.TemporaryDirectory() as tmp:
        process, base = start_server(double, Path(tmp) / "data", workers=args.workers)
        try:
            results, elapsed = run(base, double, args.requests, args.clients, "bot")
            answered = wait_for_answers(double, results)
        finally:
            process.terminate()
            process.wait(timeout=30)
        bot_p50 = report("inspection-bot", results, elapsed, answered)
        floor, floor_base = start_floor(args.workers)
        try:
            floor_results, floor_elapsed = run(
                floor_base, double, args.requests, args.clients, "floor"
            )
        finally:
            floor.terminate()
            floor.wait(timeout=30)
        floor_p50 = report("bolt floor (ack only)", floor_results, floor_elapsed, None)
    print(f"  ack p50 ratio to the floor: {bot_p50 / floor_p50:.2f}x")
    print(
        f"Reproduce: .venv/bin/python -m bench.load --requests {args.requests} --clients {args.clients} --workers {args.workers}"
    )
    return 0 if answered == args.requests else 1


if __name__ == "__main__":
    sys.exit(main())

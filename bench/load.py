"""Load: signed slash commands from concurrent clients against HTTP mode on loopback,
and the same harness against a bolt app that only acks (the framework's floor).

    .venv/bin/python -m bench.load [--requests 2000] [--clients 16] [--workers 2]
    .venv/bin/python -m bench.load --replicas 2 --database postgres

A request counts as a success only when its answer reaches the Slack double's
response_url (for the floor, when it is acked).

With `--replicas N` or `--database postgres`, the same commands go round-robin to N
servers sharing one database (a throwaway PostgreSQL cluster, as the tests start
it), measured beside one process on SQLite in the same run, with the same number of
workers in all: the query log on, so every answer writes to the database. Each of
`--events` @-mentions is also delivered twice, to two different replicas (Slack's
retry), and answered twice is counted as a duplicate.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.ack_latency import (
    QUESTIONS,
    SECRET,
    free_port,
    launch,
    percentile,
    send_command,
    start_server,
    wait_for_answers,
)
from bot.slack import payloads
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


def duplicate_commands(double: SlackDouble, results) -> int:
    """Answers that reached one command's response_url more than once."""
    names = [r.name for r in double.records if r.kind == "response_url"]
    wanted = {name for _, _, name in results if name}
    return sum(max(0, names.count(name) - 1) for name in wanted)


def deliver_events_twice(bases: list[str], count: int, tag: str) -> list[str]:
    """Each @-mention to one replica, then Slack's retry of it to the next; the channels."""
    channels = []
    for n in range(count):
        channel = f"C{tag.upper()}{n:05d}"
        body, kind = payloads.event_callback(
            payloads.app_mention(f"<@UBOTDOUBLE> {QUESTIONS[n % len(QUESTIONS)]}", channel=channel)
        )
        for attempt, base in enumerate((bases[n % len(bases)], bases[(n + 1) % len(bases)])):
            headers = payloads.signed_headers(body, SECRET, content_type=kind)
            if attempt:
                headers.update({"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
            request = urllib.request.Request(
                f"{base}/slack/events", data=body.encode(), headers=headers
            )
            # A retry told "not yet" (503) is one Slack would retry later.
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=30).close()
        channels.append(channel)
    return channels


def mention_answers(double: SlackDouble, channels: list[str]) -> tuple[int, int]:
    """(answered, duplicates) among the @-mentions' channels, once they settle."""
    deadline = time.monotonic() + 60
    wanted = set(channels)

    def counts():
        posts = [r.body.get("channel") for r in double.calls("chat.postMessage")]
        return {c: posts.count(c) for c in wanted}

    while time.monotonic() < deadline and not all(counts().values()):
        time.sleep(0.1)
    time.sleep(1.0)  # time for a duplicate to arrive, if one were coming
    final = counts()
    return sum(1 for n in final.values() if n), sum(max(0, n - 1) for n in final.values())


def run_setup(label: str, args, *, replicas: int, workers: int, database: str):
    """Start `replicas` servers on one database, load them, stop them; a result row."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        double = stack.enter_context(SlackDouble())
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = {"QUERY_LOG": "on"}
        if database == "postgres":
            from tests.pg import start_cluster_or_fail

            cluster = start_cluster_or_fail()
            stack.callback(cluster.destroy)
            env["DATABASE_URL"] = cluster.create_database()
            upgrade = subprocess.run(
                [sys.executable, "-m", "bot", "db", "upgrade"],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=False,
            )
            if upgrade.returncode:
                raise SystemExit(f"db upgrade failed: {upgrade.stderr}")
        processes, bases = [], []
        for n in range(replicas):
            data = tmp / f"data{n}" if database == "postgres" else tmp / "data"
            process, base = start_server(double, data, workers=workers, extra_env=env)
            stack.callback(lambda process=process: (process.terminate(), process.wait(timeout=30)))
            processes.append(process)
            bases.append(base)

        def one(n: int):
            return send_command(bases[n % len(bases)], double, n, tag=label.split()[0])

        for n in range(10 * replicas):
            one(100_000 + n)  # warm up every worker
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(one, range(args.requests)))
        elapsed = time.perf_counter() - start
        answered = wait_for_answers(double, results)
        duplicates = duplicate_commands(double, results)
        channels = deliver_events_twice(bases, args.events, tag=label.split()[0])
        mentions, mention_duplicates = mention_answers(double, channels)
    p50 = report(label, results, elapsed, answered)
    print(
        f"  {'':<22} duplicate answers {duplicates + mention_duplicates}  "
        f"@-mentions delivered twice: answered {mentions}/{len(channels)}"
    )
    ok = (
        answered == args.requests
        and duplicates + mention_duplicates == 0
        and mentions == len(channels)
    )
    return p50, ok


def main_replicas(args) -> int:
    per_replica = max(1, args.workers // args.replicas)
    print(
        f"Load: {args.requests} signed /inspection commands from {args.clients} concurrent "
        f"clients and {args.events} @-mentions each delivered twice, on loopback; "
        f"{args.workers} gunicorn workers in all"
    )
    single_p50, single_ok = run_setup(
        "1 process, SQLite", args, replicas=1, workers=args.workers, database="sqlite"
    )
    label = f"{args.replicas} replicas, {'PostgreSQL' if args.database == 'postgres' else 'SQLite'}"
    many_p50, many_ok = run_setup(
        label, args, replicas=args.replicas, workers=per_replica, database=args.database
    )
    print(f"  ack p50 ratio, {label} to 1 process: {many_p50 / single_p50:.2f}x")
    print(
        f"Reproduce: .venv/bin/python -m bench.load --replicas {args.replicas} --database "
        f"{args.database} --requests {args.requests} --clients {args.clients} "
        f"--workers {args.workers} --events {args.events}"
    )
    return 0 if single_ok and many_ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args(argv)
    if args.replicas > 1 or args.database == "postgres":
        return main_replicas(args)
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

"""Ack latency of `/inspection` over HTTP: signed commands on loopback, against the
production server (gunicorn) and the Slack API double.

    .venv/bin/python -m bench.ack_latency [--requests 200] [--concurrency 1] [--workers 2]

Prints the median and p99 time from sending a signed slash command to Slack's
HTTP 200 ack, and checks that every answer reached the double's response_url.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.slack import payloads
from bot.slack.double import SlackDouble

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
QUESTIONS = [
    "foster placements for older children",
    "is the MASH coping?",
    "what did Ofsted say about the out-of-hours service?",
    "kids held in police cells overnight",
    "what grade did adoption get",
    "how many children are on child protection plans",
    "what should they do about supervision",
    "has supervision got better since 2010",
    "care leavers in education or work",
    "ratings",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    double: SlackDouble, data: Path, *, workers: int, extra_args=(), extra_env=None
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": double.api_url,
        "INSPECTION_BOT_DATA_DIR": str(data),
        "QUERY_LOG": "off",  # benchmarks never write to the query log
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--http",
        "--port",
        str(port),
        "--workers",
        str(workers),
        *extra_args,
    ]
    base = f"http://127.0.0.1:{port}"
    return launch(cmd, env, f"{base}/healthz", up=lambda status: status == 200), base


def launch(cmd: list[str], env: dict, probe: str, *, up, timeout: float = 90) -> subprocess.Popen:
    """Start a server and wait until `up(status)` holds for its answer to `probe`."""
    process = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:  # not listening yet
            status = None
        if status is not None and up(status):
            return process
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{' '.join(cmd[2:4])} did not start")


def send_command(
    base: str, double: SlackDouble, n: int, *, tag: str = "bench"
) -> tuple[float, int, str | None]:
    """Latency to the ack, its status (0 when the request failed), and the
    response_url name when the answer did not come back in the ack (None when it did)."""
    name = f"{tag}-{n}"
    body, kind = payloads.slash_command(
        QUESTIONS[n % len(QUESTIONS)], response_url=double.response_url(name)
    )
    headers = payloads.signed_headers(body, SECRET, content_type=kind)
    request = urllib.request.Request(f"{base}/slack/events", data=body.encode(), headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            reply, status = response.read(), response.status
    except OSError:
        reply, status = b"", 0
    elapsed = time.perf_counter() - start
    return elapsed, status, None if b'"blocks"' in reply else f"/response/{name}"


def wait_for_answers(double: SlackDouble, results) -> int:
    """How many answers arrived: in the ack itself, or later at the response_url."""
    later = {name for _, _, name in results if name}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not later <= {r.name for r in double.records}:
        time.sleep(0.05)
    in_ack = sum(1 for _, status, name in results if name is None and status == 200)
    return in_ack + len(later & {r.name for r in double.records})


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with SlackDouble() as double, tempfile.TemporaryDirectory() as tmp:
        process, base = start_server(double, Path(tmp) / "data", workers=args.workers)
        try:
            for n in range(5):  # warm up each worker
                send_command(base, double, 10_000 + n)
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(
                    pool.map(lambda n: send_command(base, double, n), range(args.requests))
                )
            answered = wait_for_answers(double, results)
        finally:
            process.terminate()
            process.wait(timeout=20)
    acks = [t * 1000 for t, status, _ in results if status == 200]
    print(
        f"{args.requests} signed /inspection commands, {args.concurrency} at a time, "
        f"gunicorn with {args.workers} workers, on loopback"
    )
    print(
        f"  ack latency: median {statistics.median(acks):.1f} ms  p99 {percentile(acks, 99):.1f} ms  "
        f"max {max(acks):.1f} ms"
    )
    print(
        f"  acked 200: {len(acks)}/{args.requests}; answers received (in the ack, or at the response_url when slow): {answered}/{args.requests}"
    )
    print(
        f"Reproduce: .venv/bin/python -m bench.ack_latency --requests {args.requests} "
        f"--concurrency {args.concurrency} --workers {args.workers}"
    )
    return 0 if answered == args.requests and len(acks) == args.requests else 1


if __name__ == "__main__":
    sys.exit(main())

"""Open file descriptors while the stores take writes: what a serving worker holds
after each direct message's ledger claim and query-log write (garbage collection on,
as in production). Prints the peak and the final count.

    .venv/bin/python -m bench.descriptors [--writes 2000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bot.querylog import QueryLog

try:
    from bot.ledger import EventLedger
except ImportError:  # the code before the ledger had a module of its own, for "before" figures
    from bot.slack.services import EventLedger  # type: ignore[no-redef]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        try:  # the stores over one engine (the state database)
            from bot.db.engine import engine_for, sqlite_url

            engine = engine_for(sqlite_url(data))
            ledger, log = EventLedger(engine), QueryLog(engine)
        except ImportError:  # before the state database: a file per store
            ledger, log = EventLedger(data / "state.db"), QueryLog(data / "querylog.db")
        start = peak = open_descriptors()
        for n in range(args.writes):
            ledger.claim(f"Ev{n}")
            log.record(f"question {n}", themes=(), answered=True)
            if n % 25 == 0:
                peak = max(peak, open_descriptors())
        print(
            f"{args.writes} claims + {args.writes} query-log writes: descriptors at start "
            f"{start}, peak {peak}, at end {open_descriptors()}"
        )


if __name__ == "__main__":
    main()

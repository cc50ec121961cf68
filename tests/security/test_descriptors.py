"""Every store write closes its SQLite connection. sqlite3's own `with` only ends
the transaction, and a connection's statement cache keeps it alive until a cyclic
garbage collection: under load the bot ran out of file descriptors ("Too many open
files") and left direct messages acked and never answered."""

from __future__ import annotations

import concurrent.futures
import contextlib
import resource
import subprocess
import sys
import textwrap

from bot.slack import payloads
from tests.conftest import ROOT
from tests.security.front_door import running_bot
from tests.slack.conftest import built_data, data_dir, double, env_for, send  # noqa: F401


def test_a_thousand_store_writes_fit_in_64_descriptors_without_garbage_collection(tmp_path):
    script = textwrap.dedent(
        f"""
        import gc, resource
        from pathlib import Path
        from bot.ledger import EventLedger
        from bot.querylog import QueryLog
        from bot.digest.post import DigestState
        from bot.db.engine import engine_for, sqlite_url
        gc.disable()  # the leak hid behind cyclic collections; none run here
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
        data = Path({str(tmp_path)!r})
        engine = engine_for(sqlite_url(data))
        ledger, log = EventLedger(engine), QueryLog(engine)
        state = DigestState(engine)
        for n in range(1000):
            assert ledger.claim(f"Ev{{n}}")
            log.record(f"question {{n}}", themes=(), answered=True)
            state.week("2026-W48")
        assert ledger.problem is None and log.problem is None, (ledger.problem, log.problem)
        print("ok", len(log.entries()))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["ok", "1000"]


@contextlib.contextmanager
def _open_files_limit(limit: int):
    """Processes started inside inherit this limit (a systemd LimitNOFILE, smaller)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_four_hundred_direct_messages_under_256_descriptors_are_all_answered(
    data_dir,  # noqa: F811
    double,  # noqa: F811
    tmp_path,
):
    count = 400
    with (
        _open_files_limit(256),
        running_bot(env_for(double, data_dir), tmp_path / "bot.log", workers=1) as bot,
    ):

        def dm(n: int) -> int:
            event = payloads.direct_message(f"adoption question {n}", channel=f"D{n:05d}")
            return send(bot.base, payloads.event_callback(event, event_id=f"EvFD{n}"))[0]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(dm, range(count)))
        assert statuses == [200] * count
        double.wait_for(
            lambda r: sum(x.name == "chat.postMessage" for x in r) >= count, timeout=120
        )
        answered = {c.body["channel"] for c in double.calls("chat.postMessage")}
        assert answered == {f"D{n:05d}" for n in range(count)}
        assert not [line for line in bot.log_lines() if "Too many open files" in line]

"""Two replicas of the bot, each a real gunicorn server on its own loopback port,
sharing one database, one Slack double and one signing secret: as two pods behind a
load balancer. On PostgreSQL each replica has a data directory of its own (its own
index, as a pod has); on SQLite, the single-host default, both share one data
directory and so one `state.db`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from bot.slack.double import SlackDouble
from tests.security.front_door import ROOT, Bot, running_bot
from tests.slack.conftest import copy_built_index, env_for

# Short, so a test waits a second, not half a minute, for a dead replica's lease.
LEASE_SECONDS = "1"


@dataclass
class Replicas:
    a: Bot
    b: Bot
    double: SlackDouble
    database_url: str
    env: dict[str, str]

    def kill(self, bot: Bot) -> None:
        """SIGKILL: the master and its workers die mid-request, with no clean-up."""
        for pid in bot.workers():
            os.kill(pid, signal.SIGKILL)
        bot.process.send_signal(signal.SIGKILL)
        bot.process.wait(timeout=10)


def db_upgrade(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The index, built once for every replica test to copy."""
    from bot.paths import Paths
    from bot.search.service import open_index
    from tests.conftest import KNOWLEDGE, SEEDS

    data = tmp_path_factory.mktemp("replicas-built")
    open_index(Paths(knowledge=KNOWLEDGE, seeds=SEEDS, data=data)).close()
    return data


@pytest.fixture(params=["postgresql", "sqlite"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'shared' / 'state.db'}"


@pytest.fixture
def replicas(backend, database_url, built, tmp_path) -> Iterator[Replicas]:
    with ExitStack() as stack:
        double = stack.enter_context(SlackDouble())
        shared = copy_built_index(built, tmp_path / "shared")
        datas = (
            [copy_built_index(built, tmp_path / name) for name in ("a", "b")]
            if backend == "postgresql"
            else [shared, shared]
        )
        base_env = env_for(
            double, shared, DATABASE_URL=database_url, LEDGER_LEASE_SECONDS=LEASE_SECONDS
        )
        done = db_upgrade(base_env)
        assert done.returncode == 0, done.stderr
        bots = [
            stack.enter_context(
                running_bot(
                    {**base_env, "INSPECTION_BOT_DATA_DIR": str(data)},
                    tmp_path / f"{name}.log",
                    workers=1,
                )
            )
            for name, data in zip("ab", datas, strict=True)
        ]
        yield Replicas(bots[0], bots[1], double, database_url, base_env)

"""Shared fixtures: the real knowledge base, and scratch copies of it to break."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parents[1]

# Every index the tests build, in this process or in the bots they start, embeds the
# same texts: they share one embedding cache (only time depends on it, never a result).
os.environ.setdefault(
    "INSPECTION_BOT_VECTOR_CACHE",
    str(Path(tempfile.gettempdir()) / "inspection-bot-tests" / "vectors.db"),
)
KNOWLEDGE = ROOT / "knowledge"
SEEDS = ROOT / "seeds"


def pytest_sessionstart(session):
    """Fill the shared embedding cache once, before any test builds an index.

    On a fresh machine every pytest-xdist worker would otherwise embed all the records
    at the same moment, each taking three times as long on two cores. The first
    worker to take the lock embeds them; the rest wait, then find every vector cached
    (a warm build takes about 2 s).
    """
    from bot.paths import Paths
    from bot.search.service import open_index

    cache = Path(os.environ["INSPECTION_BOT_VECTOR_CACHE"])
    cache.parent.mkdir(parents=True, exist_ok=True)
    with open(cache.with_name(cache.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with tempfile.TemporaryDirectory() as data:
            paths = Paths(knowledge=KNOWLEDGE, seeds=SEEDS, data=Path(data), vectors=cache)
            open_index(paths).close()


def displayed_texts(blocks: list[dict]) -> list[str]:
    """Every `text` Slack would display in these blocks (not button values: JSON
    state for the bot itself)."""
    texts = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "value":
                    continue
                if key == "text" and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return texts


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE, SEEDS)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ to break in a test."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("drafts"))
    return target


@pytest.fixture(scope="session")
def index_paths(tmp_path_factory):
    """Paths to the real knowledge base with a data directory of the session's own."""
    from bot.paths import Paths

    return Paths(knowledge=KNOWLEDGE, seeds=SEEDS, data=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def search_index(index_paths):
    """A real Whoosh index built from the shipped knowledge base, in a temp dir."""
    from bot.search.service import open_index

    index = open_index(index_paths)
    yield index
    index.close()


@pytest.fixture(scope="session")
def postgres_cluster():
    """One real PostgreSQL server for the whole run (tests/pg.py)."""
    from tests.pg import start_cluster

    cluster = start_cluster()
    yield cluster
    cluster.destroy()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    return postgres_cluster.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def state_url(request, tmp_path) -> str:
    """The state database, once as the embedded default (a SQLite file in a fresh data
    directory) and once as a fresh PostgreSQL database: every store test runs on both."""
    if request.param == "sqlite":
        from bot.db.engine import sqlite_url

        return sqlite_url(tmp_path / "data")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def state_db(state_url):
    """An engine for `state_url`, its schema at the newest revision."""
    from bot.db import migrate
    from bot.db.engine import engine_for

    engine = engine_for(state_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()

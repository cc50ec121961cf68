"""The versioned schema, on SQLite and on PostgreSQL: a fresh database is brought to
the newest revision and matches the tables the code uses; a state.db and querylog.db
written by the version before migrations are adopted with their rows; a schema newer
than the code refuses to start, saying what to do; an older one on PostgreSQL is
left to `db upgrade`; and processes starting at once upgrade once."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from bot.db import migrate
from bot.db.engine import engine_for, sqlite_url
from bot.db.tables import digest_snapshot, digest_weeks, engaged_threads, handled_events, metadata
from bot.digest.state import DigestState
from bot.ledger import EventLedger
from bot.querylog import QueryLog
from bot.threads import ThreadStore

PROCESSES = 4


def test_a_fresh_database_is_brought_to_the_newest_revision(state_url):
    engine = engine_for(state_url)
    assert migrate.current(engine) is None
    done = migrate.upgrade(engine)
    assert (done.before, done.after, done.changed) == (None, migrate.head(), True)
    assert migrate.current(engine) == migrate.head()
    again = migrate.upgrade(engine)
    assert not again.changed


def test_the_migrated_schema_is_the_one_the_code_uses(state_db):
    with state_db.connect() as db:
        differences = compare_metadata(MigrationContext.configure(db), metadata)
    assert differences == []


def test_the_migrations_ship_inside_the_package():
    assert Path(migrate.__file__).parent / "migrations" == migrate.MIGRATIONS
    assert (migrate.MIGRATIONS / "env.py").is_file()
    assert sorted(p.name for p in (migrate.MIGRATIONS / "versions").glob("0*.py"))
    assert not list(Path(migrate.__file__).parents[2].glob("alembic.ini"))


# -- the version before migrations ------------------------------------------------------


def _old_state(data: Path) -> None:
    """state.db and querylog.db exactly as the version before migrations wrote them."""
    data.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(data / "state.db") as db:
        db.executescript(
            """
            CREATE TABLE handled_events (event_id TEXT PRIMARY KEY, handled_at REAL);
            CREATE INDEX handled_events_at ON handled_events (handled_at);
            CREATE TABLE digest_weeks (
                week TEXT PRIMARY KEY, claimed_at TEXT NOT NULL, channel TEXT, posted_ts TEXT,
                status TEXT, attempt_at TEXT
            );
            CREATE TABLE digest_snapshot (
                id INTEGER PRIMARY KEY CHECK (id = 1), records TEXT NOT NULL, reports TEXT NOT NULL
            );
            CREATE TABLE engaged_threads (
                channel TEXT NOT NULL, thread_ts TEXT NOT NULL, question TEXT NOT NULL,
                answers INTEGER NOT NULL DEFAULT 0, engaged_at REAL NOT NULL,
                PRIMARY KEY (channel, thread_ts)
            );
            CREATE INDEX engaged_threads_at ON engaged_threads (engaged_at);
            INSERT INTO handled_events VALUES ('EvOLD1', 1700000000.0), ('EvOLD2', 1700000100.0);
            INSERT INTO digest_weeks VALUES
                ('2026-W47', '2026-11-16T09:00:00+00:00', 'CDIGEST', '1700.1', 'posted',
                 '2026-11-16T09:00:00+00:00'),
                ('2026-W48', '2026-11-23T09:00:00+00:00', 'CDIGEST', NULL, 'unconfirmed',
                 '2026-11-23T09:00:00+00:00');
            INSERT INTO digest_snapshot VALUES (1, '{"rec-1": "abc"}', '["poole-2017"]');
            INSERT INTO engaged_threads VALUES ('C1', '1.1', 'adoption', 2, 1700000000.0);
            """
        )
    with sqlite3.connect(data / "querylog.db") as db:
        db.executescript(
            """
            CREATE TABLE queries (
                id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, query TEXT NOT NULL,
                themes TEXT NOT NULL, answered INTEGER NOT NULL, feedback TEXT, shown TEXT,
                reason TEXT
            );
            CREATE INDEX queries_asked_at ON queries (asked_at);
            INSERT INTO queries (asked_at, query, themes, answered, feedback, shown, reason)
            VALUES
                ('2026-11-20T10:00:00+00:00', 'is the MASH coping?', '["front-door"]', 1,
                 NULL, '[]', NULL),
                ('2026-11-21T10:00:00+00:00', 'weather', '[]', 0, 'not_helpful', '["r1"]',
                 'wrong_quote');
            """
        )


def test_the_previous_versions_state_is_adopted_with_its_rows(tmp_path):
    import datetime as dt

    data = tmp_path / "data"
    _old_state(data)
    engine = engine_for(sqlite_url(data))
    assert migrate.current(engine) is None
    done = migrate.upgrade(engine)
    assert done.after == migrate.head()
    assert any("querylog.db" in note for note in done.notes)
    assert not (data / "querylog.db").exists()  # its questions are in state.db now
    with engine.connect() as db:
        events = db.execute(
            select(
                handled_events.c.event_id, handled_events.c.team_id, handled_events.c.answered_at
            )
        ).all()
        weeks = db.execute(
            select(digest_weeks.c.team_id, digest_weeks.c.week, digest_weeks.c.status)
        ).all()
        snapshot = db.execute(select(digest_snapshot.c.team_id, digest_snapshot.c.records)).all()
        threads = db.execute(select(engaged_threads.c.team_id, engaged_threads.c.answers)).all()
        tables = {row[0] for row in db.execute(text("SELECT name FROM sqlite_master"))}
    assert sorted(events) == [("EvOLD1", "", 1700000000.0), ("EvOLD2", "", 1700000100.0)]
    assert sorted(weeks) == [("", "2026-W47", "posted"), ("", "2026-W48", "unconfirmed")]
    assert snapshot == [("", json.dumps({"rec-1": "abc"}))]
    assert threads == [("", 2)]
    assert not [t for t in tables if t.startswith("legacy_")]
    # The stores read the adopted rows as their own.
    ledger = EventLedger(engine, clock=lambda: 1700000000.0 + 10**6)
    assert ledger.claim("EvOLD1").state == "answered"  # old claims are answered ones
    state = DigestState(engine)
    assert state.claim_of("2026-W47").posted_ts == "1700.1"
    assert state.snapshot() == ({"rec-1": "abc"}, {"poole-2017"})
    log = QueryLog(engine)
    entries = log.entries(now=dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    assert [(e.query, e.reason) for e in entries] == [
        ("is the MASH coping?", None),
        ("weather", "wrong_quote"),
    ]
    assert ThreadStore(engine, clock=lambda: 1700000000.0).claim_followup("C1", "1.1") == "adoption"


def test_an_older_state_without_the_digest_metadata_columns_is_adopted(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "state.db") as db:
        db.execute(
            "CREATE TABLE digest_weeks (week TEXT PRIMARY KEY, claimed_at TEXT NOT NULL, "
            "channel TEXT, posted_ts TEXT)"
        )
        db.execute(
            "INSERT INTO digest_weeks VALUES ('2026-W40', '2026-09-28T09:00:00+00:00', 'C', NULL)"
        )
    state = DigestState(engine_for(sqlite_url(data)))  # a store upgrades SQLite itself
    claim = state.claim_of("2026-W40")
    assert claim is not None and claim.status is None and claim.attempt_at is None


def test_a_corrupt_earlier_query_log_is_left_in_place_and_the_rest_adopted(tmp_path, caplog):
    data = tmp_path / "data"
    _old_state(data)
    (data / "querylog.db").write_bytes(b"not a database" * 100)
    engine = engine_for(sqlite_url(data))
    assert migrate.upgrade(engine).after == migrate.head()
    assert (data / "querylog.db").exists()
    assert "querylog.db" in caplog.text and "not carried over" in caplog.text
    assert EventLedger(engine).claim("EvOLD2").state == "answered"


# -- newer and older schemas ------------------------------------------------------------


def _pretend_newer(engine) -> None:
    with engine.begin() as db:
        db.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))


def test_a_schema_newer_than_the_code_refuses_to_start(state_db):
    _pretend_newer(state_db)
    for auto in (True, False):
        with pytest.raises(migrate.SchemaTooNew) as refused:
            migrate.check_schema(state_db, auto_upgrade=auto)
        message = str(refused.value)
        assert "9999_from_the_future" in message and migrate.head() in message
        assert "newer version" in message and "db upgrade" in message
    with pytest.raises(migrate.SchemaTooNew):
        migrate.upgrade(state_db)  # never downgraded, never written over


def test_the_bot_does_not_start_against_a_newer_schema(state_url, tmp_path):
    from bot.config import load_settings
    from bot.slack.services import BotServices

    engine = engine_for(state_url)
    migrate.upgrade(engine)
    _pretend_newer(engine)
    settings = load_settings(
        {"INSPECTION_BOT_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": state_url},
        dotenv=False,
    )
    with pytest.raises(migrate.SchemaTooNew, match="9999_from_the_future"):
        BotServices.create(settings, background=False)


def test_an_older_postgresql_schema_is_left_to_db_upgrade(postgres_url):
    engine = engine_for(postgres_url)
    with pytest.raises(migrate.SchemaTooOld, match="inspection-bot db upgrade"):
        migrate.check_schema(engine, auto_upgrade=False)
    assert migrate.current(engine) is None  # nothing was created behind the Job's back


def test_an_older_sqlite_schema_is_upgraded_at_start(tmp_path):
    engine = engine_for(sqlite_url(tmp_path))
    assert migrate.check_schema(engine, auto_upgrade=True) == migrate.head()


# -- starting together ------------------------------------------------------------------


def _upgrade_in_process(url: str, start, errors) -> None:
    start.wait()
    try:
        migrate.check_schema(engine_for(url), auto_upgrade=True)
    except Exception as error:  # reported to the parent, which fails the test
        errors.put(f"{type(error).__name__}: {error}")


def test_processes_starting_together_upgrade_once(state_url):
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    start, errors = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_upgrade_in_process, args=(state_url, start, errors))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    engine = engine_for(state_url)
    with engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (migrate.head(),)
        ]

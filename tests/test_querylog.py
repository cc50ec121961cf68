"""The query log, on SQLite and on PostgreSQL: question text only, no user or
channel, kept for eight weeks, each workspace's apart."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import inspect, select

from bot.db.engine import engine_for, sqlite_url
from bot.db.tables import queries
from bot.querylog import RETENTION, LoggedQuery, QueryLog

T0 = dt.datetime(2024, 3, 4, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def log(state_db) -> QueryLog:
    return QueryLog(state_db)


def rows(log: QueryLog) -> list[tuple]:
    """Every row as stored, without the workspace (the tests' rows are all "")."""
    columns = [c for c in queries.c if c.name != "team_id"]
    with log.engine.connect() as db:
        return [tuple(row) for row in db.execute(select(*columns).order_by(queries.c.id))]


def test_retention_is_eight_weeks():
    assert dt.timedelta(weeks=8) == RETENTION


def test_record_and_entries_round_trip(log):
    log.record("is the MASH coping?", themes=("front-door",), answered=True, now=T0)
    log.record(
        "weather tomorrow",
        themes=("leadership", "child-protection"),
        answered=False,
        now=T0 + dt.timedelta(minutes=1),
    )
    log.record(
        "is the MASH coping?",
        themes=(),
        answered=True,
        feedback="not_helpful",
        shown=("poole-2017-exec-14", "poole-2017-rec-01"),
        now=T0 + dt.timedelta(minutes=2),
    )
    assert log.entries(now=T0 + dt.timedelta(days=1)) == [
        LoggedQuery(T0, "is the MASH coping?", ("front-door",), True, None, ()),
        LoggedQuery(
            T0 + dt.timedelta(minutes=1),
            "weather tomorrow",
            ("leadership", "child-protection"),
            False,
            None,
            (),
        ),
        LoggedQuery(
            T0 + dt.timedelta(minutes=2),
            "is the MASH coping?",
            (),
            True,
            "not_helpful",
            ("poole-2017-exec-14", "poole-2017-rec-01"),
        ),
    ]


def test_times_are_stored_in_utc(log):
    summer = dt.datetime(2024, 7, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    log.record("q", themes=(), answered=True, now=summer)
    (entry,) = log.entries(now=summer)
    assert entry.asked_at == dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert rows(log)[0][1] == "2024-07-01T09:00:00+00:00"


def test_entries_since(log):
    for day in range(3):
        log.record(f"q{day}", themes=(), answered=True, now=T0 + dt.timedelta(days=day))
    entries = log.entries(since=T0 + dt.timedelta(days=1), now=T0 + dt.timedelta(days=3))
    assert [e.query for e in entries] == ["q1", "q2"]


def test_entries_older_than_eight_weeks_are_deleted_on_the_next_record(log):
    log.record("old", themes=(), answered=True, now=T0)
    log.record("edge", themes=(), answered=True, now=T0 + dt.timedelta(days=1))
    later = T0 + RETENTION + dt.timedelta(days=1)
    log.record("new", themes=(), answered=True, now=later)
    # "edge" is exactly eight weeks old: kept; "old" is older: gone from the file.
    assert [row[2] for row in rows(log)] == ["edge", "new"]
    assert [e.query for e in log.entries(now=later)] == ["edge", "new"]


def test_entries_older_than_eight_weeks_are_never_returned(log):
    log.record("old", themes=(), answered=True, now=T0)
    log.record("recent", themes=(), answered=True, now=T0 + dt.timedelta(weeks=7))
    later = T0 + RETENTION + dt.timedelta(hours=1)
    # No record since, so the old row is still in the file, but entries() hides it...
    assert [row[2] for row in rows(log)] == ["old", "recent"]
    assert [e.query for e in log.entries(now=later)] == ["recent"]
    # ... even when asked for everything since before it.
    assert [e.query for e in log.entries(since=T0 - dt.timedelta(days=1), now=later)] == ["recent"]


def test_the_table_has_no_user_or_channel_column(log):
    with log.engine.connect() as db:
        columns = [c["name"] for c in inspect(db).get_columns("queries")]
    # The workspace says whose questions they are (uninstalling erases them); no
    # column says who asked or where.
    assert columns == [
        "id",
        "team_id",
        "asked_at",
        "query",
        "themes",
        "answered",
        "feedback",
        "shown",
        "reason",
    ]
    assert not [c for c in columns if any(w in c.lower() for w in ("user", "channel"))]


def test_a_row_holds_only_what_was_typed(log):
    question = "what did Ofsted say about Mrs Smith's case"
    log.record(question, themes=("child-protection",), answered=False, now=T0)
    assert rows(log) == [
        (1, "2024-03-04T09:30:00+00:00", question, '["child-protection"]', 0, None, "[]", None)
    ]


def test_disabled_writes_nothing_and_creates_no_file(tmp_path):
    data = tmp_path / "data"
    log = QueryLog(engine_for(sqlite_url(data)), enabled=False)
    log.record("is the MASH coping?", themes=("front-door",), answered=True, now=T0)
    assert log.entries(now=T0) == []
    assert log.purge() == 0
    assert not (data / "state.db").exists()
    assert not (data / "querylog.db").exists()


def test_disabled_writes_no_row(state_db):
    QueryLog(state_db, enabled=False).record("is the MASH coping?", themes=(), answered=True)
    assert rows(QueryLog(state_db)) == []


def test_purge_matching_removes_only_matching_entries(log):
    for n, question in enumerate(
        ["What about the Smith family?", "is the MASH coping?", "smith again", "adoption"]
    ):
        log.record(question, themes=(), answered=True, now=T0 + dt.timedelta(minutes=n))
    assert log.purge(matching="Smith") == 2
    assert [e.query for e in log.entries(now=T0)] == ["is the MASH coping?", "adoption"]
    assert log.purge(matching="Smith") == 0


def test_purge_before_a_date(log):
    for day in range(4):
        log.record(f"q{day}", themes=(), answered=True, now=T0 + dt.timedelta(days=day))
    assert log.purge(before=T0 + dt.timedelta(days=2)) == 2
    assert [e.query for e in log.entries(now=T0)] == ["q2", "q3"]


def test_purge_matching_and_before_together(log):
    log.record("smith early", themes=(), answered=True, now=T0)
    log.record("smith late", themes=(), answered=True, now=T0 + dt.timedelta(days=2))
    log.record("jones early", themes=(), answered=True, now=T0)
    assert log.purge(matching="smith", before=T0 + dt.timedelta(days=1)) == 1
    assert [e.query for e in log.entries(now=T0)] == ["jones early", "smith late"]


def test_purge_everything(log):
    for n in range(3):
        log.record(f"q{n}", themes=(), answered=True, now=T0)
    assert log.purge() == 3
    assert rows(log) == []


def test_purge_of_a_log_never_written(tmp_path):
    assert QueryLog(engine_for(sqlite_url(tmp_path)), enabled=False).purge(matching="x") == 0


def test_purge_matching_is_literal_not_a_pattern(log):
    for n, question in enumerate(["100% sure?", "1000 children", "a_b", "ab"]):
        log.record(question, themes=(), answered=True, now=T0 + dt.timedelta(minutes=n))
    assert log.purge(matching="0%") == 1
    assert log.purge(matching="a_") == 1
    assert [e.query for e in log.entries(now=T0)] == ["1000 children", "ab"]


def test_each_workspace_sees_and_purges_its_own_questions(log):
    log.record("ours", themes=(), answered=True, now=T0, team_id="T1")
    log.record("theirs", themes=(), answered=True, now=T0, team_id="T2")
    log.record("token mode", themes=(), answered=True, now=T0)
    assert [e.query for e in log.entries(now=T0, team_id="T1")] == ["ours"]
    assert [e.query for e in log.entries(now=T0)] == ["token mode"]
    assert sorted(e.query for e in log.entries(now=T0, team_id=None)) == [
        "ours",
        "theirs",
        "token mode",
    ]
    assert log.purge(team_id="T2") == 1
    assert [e.query for e in log.entries(now=T0, team_id="T2")] == []
    assert log.purge(matching="o", team_id=None) == 2  # every workspace's
    assert log.entries(now=T0, team_id=None) == []


def test_a_question_is_cut_to_the_documented_length_before_it_is_logged(log):
    from bot.limits import MAX_QUESTION_CHARS

    log.record("adoption " * 100_000, themes=(), answered=True, now=T0)
    (entry,) = log.entries(now=T0)
    assert len(entry.query) == MAX_QUESTION_CHARS == 1000


def test_a_corrupt_log_never_raises_and_says_why(tmp_path, caplog):
    path = tmp_path / "state.db"
    path.write_bytes(b"garbage, not sqlite" * 100)
    log = QueryLog(engine_for(sqlite_url(tmp_path)))  # the bot still starts
    log.record("is the MASH coping?", themes=(), answered=True, now=T0)
    assert log.entries(now=T0) == []
    assert log.problem and "DatabaseError" in log.problem
    assert f"query log {path} unavailable" in caplog.text
    assert "INSPECTION_BOT_DATA_DIR" in caplog.text


def test_a_deleted_data_directory_is_recreated_on_the_next_question(tmp_path):
    data = tmp_path / "data"
    log = QueryLog(engine_for(sqlite_url(data)))
    log.record("first", themes=(), answered=True, now=T0)
    for child in data.iterdir():
        child.unlink()
    data.rmdir()
    log.record("second", themes=(), answered=True, now=T0)
    assert log.problem is None
    assert [e.query for e in log.entries(now=T0)] == ["second"]


def test_not_helpful_keeps_its_reason_and_only_a_known_one(log):
    log.record("q", themes=(), answered=True, feedback="not_helpful", reason="wrong_report", now=T0)
    log.record("q", themes=(), answered=True, feedback="not_helpful", reason="<!channel>", now=T0)
    assert [e.reason for e in log.entries(now=T0)] == ["wrong_report", None]


def test_a_log_written_before_reasons_is_adopted_with_its_rows(tmp_path):
    path = tmp_path / "querylog.db"  # beside state.db, as an earlier version kept it
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE queries (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, "
            "query TEXT NOT NULL, themes TEXT NOT NULL, answered INTEGER NOT NULL, "
            "feedback TEXT, shown TEXT)"
        )
        db.execute(
            "INSERT INTO queries (asked_at, query, themes, answered, feedback, shown) "
            "VALUES (?, 'old', '[]', 1, 'not_helpful', '[]')",
            (T0.isoformat(),),
        )
    log = QueryLog(engine_for(sqlite_url(tmp_path)))
    log.record("new", themes=(), answered=True, feedback="not_helpful", reason="missing", now=T0)
    assert not path.exists()  # its questions live in state.db now
    assert [(e.query, e.reason) for e in log.entries(now=T0)] == [("old", None), ("new", "missing")]

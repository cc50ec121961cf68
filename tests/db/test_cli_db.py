"""`inspection-bot db upgrade` and `db current`, run as the deploy's Job runs them (a
process of their own), on SQLite and on PostgreSQL; and a database that cannot be
reached is one line on stderr and exit status 2, never a traceback or a password."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.db import migrate
from bot.db.engine import engine_for
from tests.conftest import ROOT
from tests.pg import free_port


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _env(state_url: str, tmp_path) -> dict:
    env = {"INSPECTION_BOT_DATA_DIR": str(tmp_path / "data")}
    if state_url.startswith("postgresql"):
        env["DATABASE_URL"] = state_url
    return env


def test_db_current_then_upgrade_then_current(state_url, tmp_path):
    env = _env(state_url, tmp_path)
    before = _cli(env, "current")
    assert before.returncode == 1, before.stderr
    assert "revision none" in before.stdout and "inspection-bot db upgrade" in before.stdout
    if not state_url.startswith("postgresql"):
        assert not (tmp_path / "data" / "state.db").exists()  # asking creates nothing

    upgraded = _cli(env, "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"to {migrate.head()}, the newest" in upgraded.stdout
    assert migrate.current(engine_for(state_url)) == migrate.head()

    again = _cli(env, "upgrade")
    assert again.returncode == 0 and "nothing to do" in again.stdout

    now = _cli(env, "current")
    assert now.returncode == 0, now.stderr
    assert f"revision {migrate.head()}, the newest" in now.stdout


def test_db_current_names_a_newer_schema(state_db, state_url, tmp_path):
    from sqlalchemy import text

    with state_db.begin() as db:
        db.execute(text("UPDATE alembic_version SET version_num = '9999_next'"))
    env = _env(state_url, tmp_path)
    current = _cli(env, "current")
    assert current.returncode == 1
    assert "9999_next, newer than this version knows" in current.stdout
    upgrade = _cli(env, "upgrade")
    assert upgrade.returncode == 2
    assert "9999_next" in upgrade.stderr and "Traceback" not in upgrade.stderr


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path):
    url = f"postgresql://inspector:hunter2-secret@127.0.0.1:{free_port()}/state"
    for command in ("upgrade", "current"):
        done = _cli({"INSPECTION_BOT_DATA_DIR": str(tmp_path), "DATABASE_URL": url}, command)
        assert done.returncode == 2, done
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert done.stderr.startswith("Database error: ")
        assert "hunter2-secret" not in done.stderr and "Traceback" not in done.stderr


def test_a_malformed_database_url_is_a_configuration_error(tmp_path):
    done = _cli(
        {"INSPECTION_BOT_DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://u:pw@host/db"},
        "upgrade",
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Configuration error: DATABASE_URL")
    assert "pw@" not in done.stderr and "Traceback" not in done.stderr

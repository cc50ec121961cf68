"""The schema's versions: Alembic migrations shipped inside the package
(`bot/db/migrations`), configured here, so no alembic.ini is needed at run time.

- `upgrade(engine)` brings a database to the newest revision this code knows, in one
  transaction: on SQLite that transaction takes the write lock at its start (BEGIN
  IMMEDIATE), on PostgreSQL it first takes an advisory lock, so two processes
  starting at once upgrade once, and the second finds the work done.
- `check_schema(engine, auto_upgrade=...)` is the start-up check. A revision this
  code does not know (a newer version has migrated the database) is a SchemaTooNew:
  the process refuses to start rather than write to tables it does not understand.
  An older schema is upgraded when `auto_upgrade` (SQLite, the embedded default:
  the stores create themselves, as they always did) and is otherwise a
  SchemaTooOld, naming `inspection-bot db upgrade` (on PostgreSQL the deploy's Job
  runs it, once, before the replicas roll).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
# pg_advisory_xact_lock's key for schema upgrades ("inspbot1" read as a number).
LOCK_KEY = 0x696E737062_6F74


class SchemaError(RuntimeError):
    """The database's schema is not the one this version of the bot works with."""


class SchemaTooNew(SchemaError):
    """The database was migrated by a newer version of the bot."""


class SchemaTooOld(SchemaError):
    """The database needs `inspection-bot db upgrade` before this version serves."""


@dataclass
class Upgraded:
    before: str | None
    after: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this version of the bot knows."""
    found = _script().get_current_head()
    assert found is not None
    return found


def known(revision: str) -> bool:
    return revision in {script.revision for script in _script().walk_revisions()}


def _current(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # noqa: S608


def current(engine: Engine) -> str | None:
    """The database's revision; None for a database never migrated (new, or written
    by a version before migrations)."""
    with engine.connect() as connection:
        return _current(connection)


def too_new_message(found: str) -> str:
    return (
        f"The database's schema is at revision {found}, which this version of "
        f"inspection-bot does not know (the newest it knows is {head()}): a newer version "
        "has migrated it. Deploy the newer version, or run that version's "
        "`inspection-bot db upgrade`; this one will not start against it."
    )


def upgrade(engine: Engine) -> Upgraded:
    """Bring the database to `head()`; a database at a revision this code does not
    know is refused (SchemaTooNew), never downgraded."""
    config = _config()
    with engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        before = _current(connection)
        if before is not None and not known(before):
            raise SchemaTooNew(too_new_message(before))
        if before != head():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        after = _current(connection)
    done = Upgraded(before, after, list(config.attributes.get("notes", [])))
    adopted = config.attributes.get("adopted_query_log")
    if adopted is not None:  # its questions are committed in the shared database now
        for suffix in ("", "-wal", "-shm"):
            Path(f"{adopted}{suffix}").unlink(missing_ok=True)
        done.notes.append(f"removed {adopted}")
    for note in done.notes:
        log.info("schema upgrade: %s", note)
    return done


def check_schema(engine: Engine, *, auto_upgrade: bool) -> str | None:
    """The start-up check; the revision the database is at afterwards.

    Raises SchemaTooNew for a revision this code does not know, and SchemaTooOld for
    an older one when `auto_upgrade` is off. Database errors (unreachable, corrupt)
    propagate as SQLAlchemy's own, for the caller to decide."""
    found = current(engine)
    if found == head():
        return found
    if found is not None and not known(found):
        raise SchemaTooNew(too_new_message(found))
    if auto_upgrade:
        return upgrade(engine).after
    raise SchemaTooOld(
        f"The database's schema is at revision {found or 'none (never migrated)'}; this "
        f"version of inspection-bot needs {head()}. Run `inspection-bot db upgrade` "
        "(the deploy's db upgrade Job) first."
    )


def ensure(engine: Engine) -> None:
    """What a store needs before its first use: on SQLite, the schema brought up to
    date (a new or deleted file is created, as the stores always created themselves);
    on PostgreSQL nothing, since `check_schema` at start and `db upgrade` own it."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":  # a deleted data directory comes back
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        check_schema(engine, auto_upgrade=True)

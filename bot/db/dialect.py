"""The two statements SQLAlchemy Core spells per dialect: INSERT ... ON CONFLICT DO
NOTHING and INSERT ... ON CONFLICT DO UPDATE, which SQLite and PostgreSQL both run
atomically (one statement, no read-then-write window between workers)."""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def _insert(db: Connection, table: Table):
    if db.dialect.name == "postgresql":
        return postgresql.insert(table)
    if db.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no INSERT ... ON CONFLICT for {db.dialect.name}")


def insert_ignoring_conflicts(db: Connection, table: Table, keys: list[str]):
    """INSERT that does nothing (rowcount 0) when a row with the same `keys` exists.
    SQLAlchemy keeps an INSERT's rowcount only when asked to (psycopg reports -1
    otherwise), and the rowcount is the answer here."""
    return (
        _insert(db, table)
        .on_conflict_do_nothing(index_elements=keys)
        .execution_options(preserve_rowcount=True)
    )


def upsert(db: Connection, table: Table, keys: list[str], values: dict, update: list[str]):
    """INSERT `values`, or, when a row with the same `keys` exists, set its `update`
    columns to the new values."""
    statement = _insert(db, table).values(**values)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in update}
    )

"""Alembic's environment for the bot's own database. Run through bot.db.migrate,
which hands over a connection already inside the transaction (and, on PostgreSQL,
holding the advisory lock) that the whole upgrade runs in."""

from alembic import context

from bot.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only bot.db.migrate runs these
    raise RuntimeError("run migrations with `inspection-bot db upgrade` (bot.db.migrate)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

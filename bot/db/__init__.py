"""The bot's shared state in one database: SQLite under the data directory by
default, PostgreSQL when DATABASE_URL says so. SQLAlchemy Core only: the tables
are in `tables.py`, the versioned migrations under `migrations/`."""

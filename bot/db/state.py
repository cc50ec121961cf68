"""The state database as a process starts: `state_engine(settings)` is the engine for
`settings.state_url`, its schema checked once (bot/db/migrate.py).

On SQLite, the embedded default, an older schema (or a new file) is upgraded here,
as the stores always created themselves. On PostgreSQL the schema must already be
the newest this version knows: `inspection-bot db upgrade` (the deploy's Job) does
that, once, before the replicas roll. Either way a schema newer than this code
knows is a SchemaTooNew, and the process does not start.

A database that cannot be reached or read at all (PostgreSQL down, a corrupt
`state.db`) is not fatal: it is logged, the bot starts, its stores report the
problem in /healthz, and answers still go out.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from . import migrate
from .engine import engine_for, is_postgres

log = logging.getLogger(__name__)


def state_engine(settings, *, check: bool = True) -> Engine:
    engine = engine_for(settings.state_url)
    if check:
        try:
            migrate.check_schema(engine, auto_upgrade=not is_postgres(settings.state_url))
        except (SQLAlchemyError, OSError) as error:
            from ..storage import describe

            cause = getattr(error, "orig", None) or error
            log.warning(
                "state database %s could not be checked at start (%s: %s); starting "
                "without it: answers go out, the stores say what is wrong in /healthz",
                describe(engine),
                type(error).__name__,
                str(cause).strip().splitlines()[0] if str(cause).strip() else "",
            )
    return engine

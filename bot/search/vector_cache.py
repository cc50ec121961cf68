"""Embeddings kept on disk between index builds, keyed by the model and the text.

An index build embeds every record's pieces (about 35 s on two cores); a curator's
edit changes a few of them. The vectors of unchanged texts are read back from this
cache instead of being computed again, so a rebuild embeds only what changed. It is
a cache: a missing, corrupt or unwritable file only costs the time to embed again.
SQLite (one small table, WAL), so concurrent builds on one host share it safely.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS vectors "
    "(model TEXT NOT NULL, key BLOB NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, key))"
)


class VectorCache:
    def __init__(self, path: Path | None, model: str):
        self.path = path
        self.model = model

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(_SCHEMA)
        return db

    def get(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        if self.path is None or not keys:
            return {}
        found: dict[bytes, np.ndarray] = {}
        try:
            db = self._connect()
            try:
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = db.execute(
                        f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",  # noqa: S608
                        (self.model, *chunk),
                    )
                    for key, blob in rows:
                        found[bytes(key)] = np.frombuffer(blob, dtype=np.float32).copy()
            finally:
                db.close()
        except (sqlite3.Error, OSError) as error:
            log.info("embedding cache %s not read (%s); embedding afresh", self.path, error)
            return {}
        return found

    def put(self, items: dict[bytes, np.ndarray]) -> None:
        if self.path is None or not items:
            return
        try:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT OR IGNORE INTO vectors (model, key, vector) VALUES (?, ?, ?)",
                    [
                        (self.model, key, np.asarray(v, dtype=np.float32).tobytes())
                        for key, v in items.items()
                    ],
                )
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError) as error:
            log.info("embedding cache %s not written (%s)", self.path, error)

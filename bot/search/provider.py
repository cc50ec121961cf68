"""The open index for a serving process: reopened when the knowledge changes, and
repaired when reading it fails because its files were deleted or corrupted.

Repair is for real index damage only, and at most once a minute: a failure that a
freshly opened index does not share is the question's or the code's, and is raised
to the caller (who apologises) without rebuilding anything.
"""

from __future__ import annotations

import logging
import threading
import time

from ..knowledge import KnowledgeError
from ..paths import Paths
from .engine import IndexMissing, SearchIndex
from .index import build_index, index_is_current, live_index_dir
from .service import open_index

log = logging.getLogger(__name__)


class IndexUnavailable(Exception):
    """No index can be opened or built right now."""


class IndexProvider:
    """Checks the knowledge's content hash at most every `recheck_seconds`, so a
    curator's change is picked up without a restart."""

    REPAIR_EVERY = 60.0

    def __init__(self, paths: Paths, *, recheck_seconds: float = 30.0, clock=time.monotonic):
        self._paths = paths
        self._recheck = recheck_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._checked = 0.0
        self._repaired_at: float | None = None
        self.repairs = 0  # reopenings and rebuilds after a failed read, for tests and probes

    @property
    def ready(self) -> bool:
        return self._index is not None

    def get(self) -> SearchIndex:
        now = self._clock()
        index = self._index
        if index is not None and now - self._checked < self._recheck:
            return index
        with self._lock:
            if self._index is None or now - self._checked >= self._recheck:
                fresh = self._index is not None and self._still_good()
                if not fresh:
                    self._open()
                self._checked = now
            return self._index  # type: ignore[return-value]

    def _still_good(self) -> bool:
        return index_is_current(self._paths) and self._index.path.exists()  # type: ignore[union-attr]

    def _open(self) -> None:
        try:
            self._index = open_index(self._paths)
        except (KnowledgeError, IndexMissing, OSError) as error:
            log.exception("search index unavailable")
            if self._index is None:
                raise IndexUnavailable(str(error)) from error

    def run(self, work):
        """`work(index)`. When it fails, at most once a minute: a fresh reader, then a
        rebuilt index, is tried; the first that does not fail serves from then on.
        Otherwise the original error is raised. IndexUnavailable when no index can
        be had at all."""
        used = self.get()
        try:
            return work(used)
        except IndexUnavailable:
            raise
        except Exception as error:
            failure = error
        with self._lock:
            if self._index is not used:  # another thread repaired it meanwhile
                return work(self._index)
            now = self._clock()
            if self._repaired_at is not None and now - self._repaired_at < self.REPAIR_EVERY:
                raise failure
            self._repaired_at = now
            self.repairs += 1
            # First a fresh reader on the same files (cheap: a build swapped in under
            # us), then a rebuild (the files themselves are damaged).
            for repair in (self._reopen, self._rebuild):
                fresh = repair()
                if fresh is None:
                    continue
                try:
                    result = work(fresh)
                except Exception:
                    continue
                log.warning(
                    "reading the search index failed (%s); repaired by %s", failure, repair.__name__
                )
                self._index = fresh
                self._checked = self._clock()
                return result
        raise failure  # a rebuilt index fails the same way: the question's or the code's fault

    def _reopen(self) -> SearchIndex | None:
        try:
            return SearchIndex(live_index_dir(self._paths.data))
        except IndexMissing:
            log.exception("the search index on disk cannot be opened")
            return None

    def _rebuild(self) -> SearchIndex:
        try:
            build_index(self._paths, force=True)
            return SearchIndex(live_index_dir(self._paths.data))
        except Exception as error:
            log.exception("rebuilding the search index failed")
            raise IndexUnavailable(str(error)) from error

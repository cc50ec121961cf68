"""Open the index, building it first when it is missing or out of date.

The index is rebuilt whenever the knowledge or the seeds change (their content
hash differs from the one the index was built from). When a rebuild fails because
a knowledge file is broken, the last good index keeps serving and the error is
logged with its file and line.
"""

from __future__ import annotations

import logging

from ..knowledge import KnowledgeError
from ..paths import Paths
from .engine import IndexMissing, SearchIndex
from .index import build_index, index_is_current, live_index_dir

log = logging.getLogger(__name__)


def open_index(paths: Paths, *, rebuild_if_stale: bool = True) -> SearchIndex:
    """The live index, fresh if the knowledge base allows; raises when there is none."""
    live = live_index_dir(paths.data)
    if rebuild_if_stale and not index_is_current(paths):
        try:
            build_index(paths, force=False)
        except KnowledgeError as error:
            if not live.exists():
                raise
            log.error("knowledge base is broken; serving the previous index. %s", error)
            for problem in error.problems[:20]:
                log.error("  %s", problem)
    try:
        return SearchIndex(live)
    except IndexMissing:
        if not rebuild_if_stale:
            raise
        # The live index was deleted or corrupted under us: build afresh once.
        build_index(paths, force=True)
        return SearchIndex(live)

"""What the listeners share: the open index, the event ledger, the query log, and
replies built from them. No Slack framework code here; the listeners call in.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from ..answers import Answer, answer, list_records
from ..answers.commands import parse_command
from ..config import Settings
from ..knowledge import KnowledgeError
from ..querylog import RETENTION, QueryLog
from ..render.blocks import (
    Message,
    answer_message,
    help_message,
    reports_message,
    text_message,
    themes_message,
)
from ..search.engine import IndexMissing, SearchIndex
from ..search.index import build_index, index_is_current, live_index_dir
from ..search.service import open_index
from ..storage import connect

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't answer. Please try again in a minute."
)
INDEX_APOLOGY = (
    "Sorry, the search index is being rebuilt and isn't ready yet. Please try again in a minute."
)


def retry_handlers() -> list:
    """429s wait for Retry-After; dropped connections are tried again."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


class IndexUnavailable(Exception):
    """No index can be opened or built right now."""


class IndexProvider:
    """The open index, reopened when the knowledge changes or the index is lost.

    Checks the knowledge's content hash at most every `recheck_seconds`, so a
    curator's change is picked up without a restart, and a deleted or corrupted
    index is rebuilt on the next question.
    """

    def __init__(self, settings: Settings, *, recheck_seconds: float = 30.0):
        self._paths = settings.paths
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._checked = 0.0

    @property
    def ready(self) -> bool:
        return self._index is not None

    def get(self) -> SearchIndex:
        now = time.monotonic()
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
        """`work(index)`, and if reading the index fails (its files deleted or corrupted
        under us), rebuild it once and try again; IndexUnavailable if that fails too."""
        try:
            return work(self.get())
        except IndexUnavailable:
            raise
        except Exception:
            log.exception("reading the search index failed; rebuilding it")
        with self._lock:
            try:
                build_index(self._paths, force=True)
                self._index = SearchIndex(live_index_dir(self._paths.data))
                self._checked = time.monotonic()
            except Exception as error:
                log.exception("rebuilding the search index failed")
                raise IndexUnavailable(str(error)) from error
        return work(self._index)


class EventLedger:
    """Event ids already handled, shared by every worker on the host through SQLite.

    Slack retries a delivery it thinks failed, and a replay or a second worker may
    see the same event: only the first to claim an event id answers it.
    """

    KEEP_SECONDS = 24 * 3600

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS handled_events (event_id TEXT PRIMARY KEY, handled_at REAL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, timeout=10, autocommit=True)

    def claim(self, event_id: str) -> bool:
        now = time.time()
        with self._connect() as db:
            claimed = db.execute(
                "INSERT OR IGNORE INTO handled_events (event_id, handled_at) VALUES (?, ?)",
                (event_id, now),
            ).rowcount
            if claimed:
                db.execute(
                    "DELETE FROM handled_events WHERE handled_at < ?", (now - self.KEEP_SECONDS,)
                )
        return bool(claimed)


@dataclass
class BotServices:
    settings: Settings
    indexes: IndexProvider
    ledger: EventLedger
    query_log: QueryLog
    # Answers computed after an ack run here, not in bolt's listener threads: acks
    # then never queue behind searches when many commands arrive at once.
    answering: ThreadPoolExecutor | None = None

    def later(self, work) -> None:
        """Run `work` after the handler returns (inline when there is no pool: the console)."""
        if self.answering is None:
            work()
            return

        def guarded():
            try:
                work()
            except Exception:
                log.exception("answering after the ack failed")

        self.answering.submit(guarded)

    @classmethod
    def create(cls, settings: Settings, *, background: bool = True) -> BotServices:
        data = settings.paths.data
        return cls(
            settings=settings,
            indexes=IndexProvider(settings),
            ledger=EventLedger(data / "state.db"),
            query_log=QueryLog(data / "querylog.db", enabled=settings.query_log),
            answering=ThreadPoolExecutor(4, thread_name_prefix="answer") if background else None,
        )

    # -- searching ------------------------------------------------------------------

    def theme_labels(self) -> dict[str, str]:
        return {t["id"]: t["label"] for t in self.indexes.get().meta.themes}

    def ask(self, text: str, *, offset: int = 0) -> Answer:
        """Answer a question from Slack, and log it (first page only) for curators."""
        result = self.indexes.run(lambda index: answer(text, index=index, offset=offset))
        if offset == 0:
            self.query_log.record(text, themes=result.themes, answered=result.answered)
        return result

    # -- replies (search, then render) ------------------------------------------------

    def question_reply(self, text: str, *, offset: int = 0, ephemeral: bool = True) -> Message:
        try:
            result = self.ask(text, offset=offset)
            return answer_message(result, theme_labels=self.theme_labels(), ephemeral=ephemeral)
        except IndexUnavailable:
            return text_message(INDEX_APOLOGY)

    def shared_reply(self, text: str, *, offset: int, user: str) -> Message:
        try:
            result = self.indexes.run(lambda index: answer(text, index=index, offset=offset))
            return answer_message(result, theme_labels=self.theme_labels(), shared_by=user)
        except IndexUnavailable:
            return text_message(INDEX_APOLOGY)

    def command_reply(self, text: str, *, offset: int = 0, ephemeral: bool = True) -> Message:
        """The reply to `/inspection <text>`: a sub-command's listing or an answer."""
        try:
            index = self.indexes.get()
            command = parse_command(text, index.meta.themes)
            if command.name in ("ratings", "recommendations", "figures"):
                return self.indexes.run(
                    lambda fresh: self._listing(fresh, command, offset, ephemeral)
                )
        except IndexUnavailable:
            return text_message(INDEX_APOLOGY)
        if command.name == "question":
            return self.question_reply(command.text, offset=offset, ephemeral=ephemeral)
        if command.name == "help":
            return help_message(
                query_log=self.settings.query_log, retention_weeks=RETENTION.days // 7
            )
        if command.name == "reports":
            return reports_message([r for r in index.meta.reports if r.get("reviewed", True)])
        return themes_message(index.meta.themes)

    def _listing(self, index: SearchIndex, command, offset: int, ephemeral: bool) -> Message:
        kind = {"ratings": "judgement", "recommendations": "recommendation", "figures": "figure"}
        listing = list_records(
            kind[command.name], index=index, theme=command.theme, offset=offset, limit=10
        )
        labels = {t["id"]: t["label"] for t in index.meta.themes}
        return answer_message(listing, theme_labels=labels, ephemeral=ephemeral)

    def hit(self, hit_id: str):
        try:
            return self.indexes.run(lambda index: index.hit_by_id(hit_id))
        except IndexUnavailable:
            return None

    def record_feedback(self, text: str, shown: list[str]) -> None:
        self.query_log.record(
            text, themes=(), answered=True, feedback="not_helpful", shown=tuple(shown)
        )

    # -- sending through a response_url ------------------------------------------------

    def respond(
        self,
        response_url: str,
        message: Message,
        *,
        ephemeral: bool = True,
        replace_original: bool = False,
    ) -> None:
        """Post to a response_url, retrying 429s (bolt's own `respond` does not)."""
        client = WebhookClient(response_url, retry_handlers=retry_handlers(), timeout=10)
        response = client.send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral" if ephemeral else "in_channel",
            replace_original=replace_original,
        )
        if response.status_code >= 400:
            log.error("response_url post failed: %s %s", response.status_code, response.body)

"""What the listeners share: the open index, the event ledger, the query log, and
replies built from them. No Slack framework code here; the listeners call in.

The stores live in the state database (`settings.state_url`: `state.db` in the data
directory, or DATABASE_URL's PostgreSQL), checked once at start (bot/db/state.py).
Rows that belong to a workspace carry its `team_id` (bolt's `context.team_id`; ""
when a request names none, as in single-workspace token mode's console).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from ..answers import Answer, answer, list_records
from ..answers.commands import parse_command
from ..config import Settings
from ..db.state import state_engine
from ..digest.content import IsoWeek
from ..ledger import EventLedger
from ..querylog import RETENTION, QueryLog
from ..render.blocks import (
    Message,
    answer_message,
    help_message,
    reports_message,
    text_message,
    themes_message,
)
from ..render.home import home_view, suggested_prompts, unavailable_home_view
from ..search.engine import SearchIndex
from ..search.provider import IndexProvider, IndexUnavailable
from ..threads import ThreadStore
from .home import HomeCache, count_drafts, curator_counts, gather_home
from .incoming import follow_up_question

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't answer. Please try again in a minute."
)
INDEX_APOLOGY = (
    "Sorry, the search index is being rebuilt and isn't ready yet. Please try again in a minute."
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def retry_handlers() -> list:
    """429s wait for Retry-After; dropped connections are tried again."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=2),
    ]


def _thread_ids(*values) -> bool:
    return all(isinstance(v, str) and 0 < len(v) <= 64 for v in values)


def team_of(context) -> str:
    """The workspace a request's rows belong to: with OAuth (many workspaces), the
    one it came from (bolt's context.team_id); in single-workspace token mode
    always "", the one workspace there is, so the digest and the curators read what
    was logged whichever team id Slack sent."""
    if not hasattr(context, "get"):
        return ""
    services = context.get("services")
    if services is None or not services.settings.oauth:
        return ""
    team = context.get("team_id")
    return team if isinstance(team, str) else ""


# Where the ledger's key for this request is kept in bolt's context (bot/slack/app.py).
ONCE_KEY = "once_key"


@dataclass
class BotServices:
    settings: Settings
    indexes: IndexProvider
    ledger: EventLedger
    query_log: QueryLog
    # Answers computed after an ack run here, not in bolt's listener threads: acks
    # then never queue behind searches when many commands arrive at once.
    answering: ThreadPoolExecutor | None = None
    # What "this week" is for the Home tab (a test passes its own).
    clock: Callable[[], dt.datetime] = utc_now
    home: HomeCache = field(default_factory=HomeCache)
    # The channel threads the bot was mentioned in (follow-ups); None: not followed.
    threads: ThreadStore | None = None

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

    def answered(self, context) -> None:
        """The answer to this request was posted: record it in the ledger, so neither
        a Slack retry nor a replay answers it again (bot/ledger.py). Call it only
        after the post succeeded."""
        key = context.get(ONCE_KEY) if hasattr(context, "get") else None
        if isinstance(key, str):
            self.ledger.answered(key)

    @classmethod
    def create(cls, settings: Settings, *, background: bool = True) -> BotServices:
        """The services over `settings.state_url`, its schema checked first: a schema
        newer than this code knows (or, on PostgreSQL, older) raises a SchemaError,
        and the bot does not start."""
        engine = state_engine(settings)
        return cls(
            settings=settings,
            indexes=IndexProvider(settings.paths),
            ledger=EventLedger(engine, lease_seconds=settings.ledger_lease_seconds),
            query_log=QueryLog(engine, enabled=settings.query_log),
            answering=ThreadPoolExecutor(4, thread_name_prefix="answer") if background else None,
            threads=ThreadStore(engine, limit=settings.followup_limit),
        )

    # -- health ---------------------------------------------------------------------

    def health(self) -> tuple[bool, dict]:
        """Whether the bot can answer at all (it can without its stores: the query log
        and the ledger are best effort), and what is degraded."""
        stores = {
            "query_log": "off" if not self.query_log.enabled else self.query_log.problem or "ok",
            "event_ledger": self.ledger.problem or "ok",
        }
        if self.threads is not None:
            stores["threads"] = self.threads.problem or "ok"
        try:
            self.indexes.get()
            index = "ok"
        except IndexUnavailable as error:
            index = f"unavailable: {error}"
        ok = index == "ok"
        degraded = sorted(name for name, state in stores.items() if state not in ("ok", "off"))
        return ok, {"ok": ok, "index": index, "stores": stores, "degraded": degraded}

    # -- the Home tab ------------------------------------------------------------------

    def week(self, now: dt.datetime | None = None) -> tuple[IsoWeek, ZoneInfo]:
        """This ISO week, in DIGEST_TIMEZONE (the digest's week, so the Home tab's
        spotlight is the digest's)."""
        tz = ZoneInfo(self.settings.digest_timezone)
        return IsoWeek.of((now or self.clock()).astimezone(tz)), tz

    def home_knowledge(self, now: dt.datetime | None = None):
        """The gathered knowledge and the everyone view, cached per index and week."""
        week, tz = self.week(now)
        index = self.indexes.get()
        return self.home.get(
            (index.meta.fingerprint, week.key),
            lambda: self.indexes.run(lambda fresh: gather_home(fresh, week=week, tz=tz)),
        )

    def home_view(
        self, user: str | None, now: dt.datetime | None = None, *, team_id: str = ""
    ) -> dict:
        """The Home tab for `user`: curators (CURATOR_USERS) also see counts of what
        waits for them. Always a view: a failure shows an apology, not nothing."""
        now = now or self.clock()
        try:
            knowledge, everyone = self.home_knowledge(now)
        except IndexUnavailable:
            return unavailable_home_view(INDEX_APOLOGY)
        except Exception:
            log.exception("building the Home tab failed")
            return unavailable_home_view(APOLOGY)
        if user not in self.settings.curator_users:
            return everyone
        week, tz = self.week(now)
        try:
            questions = (
                self.query_log.entries(now=now, team_id=team_id) if self.query_log.enabled else None
            )
        except Exception:  # best effort, like every other use of the query log
            log.exception("reading the query log for the Home tab failed")
            questions = None
        counts = curator_counts(
            drafts=count_drafts(self.settings.paths.knowledge),
            questions=questions,
            week=week,
            tz=tz,
        )
        return home_view(knowledge, curator=counts)

    def suggested_prompts(self, now: dt.datetime | None = None) -> list[dict]:
        """The Messages tab's prompts, from the same cached knowledge (none when it
        cannot be read: Slack then shows the app's own)."""
        try:
            knowledge, _ = self.home_knowledge(now)
        except Exception:
            log.exception("choosing suggested prompts failed")
            return []
        return suggested_prompts(knowledge)

    # -- searching ------------------------------------------------------------------

    def theme_labels(self) -> dict[str, str]:
        return {t["id"]: t["label"] for t in self.indexes.get().meta.themes}

    def ask(
        self, text: str, *, offset: int = 0, log_question: bool = True, team_id: str = ""
    ) -> Answer:
        """Answer a question from Slack, and log it (first page only) for curators.
        The log is best effort: it never stops the answer."""
        result = self.indexes.run(lambda index: answer(text, index=index, offset=offset))
        if offset == 0 and log_question:
            self.query_log.record(
                text, themes=result.themes, answered=result.answered, team_id=team_id
            )
        return result

    # -- replies (search, then render) ------------------------------------------------
    # Every reply method returns a Message, whatever fails: an apology is an answer,
    # silence is not.

    def question_reply(
        self,
        text: str,
        *,
        offset: int = 0,
        ephemeral: bool = True,
        shared_by: str | None = None,
        shown: int | None = None,
        team_id: str = "",
    ) -> Message:
        try:
            result = self.ask(text, offset=offset, log_question=shared_by is None, team_id=team_id)
            return answer_message(
                result,
                theme_labels=self.theme_labels(),
                ephemeral=ephemeral,
                shared_by=shared_by,
                shown=shown,
            )
        except IndexUnavailable:
            return text_message(INDEX_APOLOGY)
        except Exception:
            log.exception("answering a question failed")
            return text_message(APOLOGY)

    def command_reply(
        self,
        text: str,
        *,
        offset: int = 0,
        ephemeral: bool = True,
        shared_by: str | None = None,
        shown: int | None = None,
        team_id: str = "",
    ) -> Message:
        """The reply to `/inspection <text>` (and to a DM, a Share or More results of
        one): a sub-command's listing or an answer."""
        try:
            index = self.indexes.get()
            command = parse_command(text, index.meta.themes)
            if command.name in ("ratings", "recommendations", "figures"):
                listing = self.indexes.run(lambda fresh: self._listing(fresh, command, offset))
                # The buttons carry what the user typed ("ratings"), so Share and More
                # results repeat this listing, not a search for its filter.
                listing = dataclasses.replace(listing, query=text)
                return answer_message(
                    listing,
                    theme_labels=self.theme_labels(),
                    ephemeral=ephemeral,
                    shared_by=shared_by,
                    shown=shown,
                )
        except IndexUnavailable:
            return text_message(INDEX_APOLOGY)
        except Exception:
            log.exception("answering a command failed")
            return text_message(APOLOGY)
        if command.name == "question":
            return self.question_reply(
                command.text,
                offset=offset,
                ephemeral=ephemeral,
                shared_by=shared_by,
                shown=shown,
                team_id=team_id,
            )
        if command.name == "help":
            return help_message(
                query_log=self.settings.query_log,
                retention_weeks=RETENTION.days // 7,
                councils=tuple(index.meta.coverage.get("covered_authorities") or ()),
                workspace_settings=self.settings.oauth,
            )
        if command.name == "reports":
            return reports_message([r for r in index.meta.reports if r.get("reviewed", True)])
        return themes_message(index.meta.themes)

    def _listing(self, index: SearchIndex, command, offset: int) -> Answer:
        kind = {"ratings": "judgement", "recommendations": "recommendation", "figures": "figure"}
        return list_records(
            kind[command.name], index=index, theme=command.theme, offset=offset, limit=10
        )

    # -- threads the bot was mentioned in ------------------------------------------------

    def mention_reply(
        self, channel: object, thread: object, question: str, *, team_id: str = ""
    ) -> Message:
        """The answer to a mention, whose thread the bot follows from then on."""
        if self.threads is not None and _thread_ids(channel, thread):
            self.threads.engage(channel, thread, question, team_id=team_id)  # best effort
        return self.question_reply(question, ephemeral=False, team_id=team_id)

    def follow_up_reply(
        self, channel: object, thread: object, text: str, *, team_id: str = ""
    ) -> Message | None:
        """The answer to a later message in a followed thread, read with the thread's
        last question; None when the thread is not followed (never asked into, past
        FOLLOWUP_LIMIT or seven days, or the store cannot be read)."""
        if self.threads is None or not _thread_ids(channel, thread):
            return None
        previous = self.threads.claim_followup(channel, thread, team_id=team_id)
        if previous is None:
            return None
        question = follow_up_question(previous, text)
        self.threads.remember(channel, thread, question, team_id=team_id)
        return self.question_reply(question, ephemeral=False, team_id=team_id)

    def hit(self, hit_id: str):
        try:
            return self.indexes.run(lambda index: index.hit_by_id(hit_id))
        except Exception:
            log.exception("looking up record %s failed", hit_id)
            return None

    def record_feedback(
        self, text: str, shown: list[str], *, reason: str | None = None, team_id: str = ""
    ) -> None:
        """A "not helpful", with what was shown and (from the modal) why; nothing
        when QUERY_LOG=off. Best effort, like every write to the query log."""
        self.query_log.record(
            text,
            themes=(),
            answered=True,
            feedback="not_helpful",
            shown=tuple(shown),
            reason=reason,
            team_id=team_id,
        )

    # -- sending through a response_url ------------------------------------------------

    def respond(
        self,
        response_url: str,
        message: Message,
        *,
        ephemeral: bool = True,
        replace_original: bool = False,
    ) -> bool:
        """Post to a response_url, retrying 429s (bolt's own `respond` does not);
        whether Slack took it."""
        client = WebhookClient(response_url, retry_handlers=retry_handlers(), timeout=10)
        response = client.send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral" if ephemeral else "in_channel",
            replace_original=replace_original,
        )
        if response.status_code >= 400:
            log.error("response_url post failed: %s %s", response.status_code, response.body)
            return False
        return True

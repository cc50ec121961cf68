"""What the Home tab and the Messages tab's suggested prompts are made from: gathered
from the open index once per index build and ISO week, and kept until either
changes (an open of the Home tab then costs a dictionary look-up, not a search).
No Slack framework here: the listeners call in through BotServices.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..answers import list_records
from ..digest.content import IsoWeek, build_spotlight
from ..querylog import LoggedQuery
from ..render.home import CuratorCounts, HomeKnowledge, home_view
from ..search.engine import SearchIndex

# Far more than any knowledge base holds: every recommendation takes part in the
# spotlight's rotation, as in the digest.
_ALL = 100_000


def gather_home(index: SearchIndex, *, week: IsoWeek, tz: dt.tzinfo) -> HomeKnowledge:
    """The Home tab's knowledge: published reports, the latest inspection's graded
    judgements (the `/inspection ratings` listing), the themes, and the week's spotlight."""
    meta = index.meta
    ratings = list_records("judgement", index=index, limit=_ALL)
    judgements = tuple(h for h in ratings.hits if h.kind == "judgement")
    if judgements:  # the listing puts the latest inspection first
        latest = judgements[0].report
        judgements = tuple(h for h in judgements if h.report == latest)
    recommendations = list_records("recommendation", index=index, limit=_ALL).hits
    spotlight = build_spotlight(week, list(recommendations), index.hit_by_id)
    touched = Counter(t for rec in recommendations for t in rec.themes)
    order = {t["id"]: n for n, t in enumerate(meta.themes)}
    asked = sorted(
        (t for t in meta.themes if touched[t["id"]]),
        key=lambda t: (-touched[t["id"]], order[t["id"]]),
    )
    built_on = dt.datetime.fromtimestamp(meta.built_at, tz).date() if meta.built_at else None
    return HomeKnowledge(
        week=week,
        reports=tuple(r for r in meta.reports if r.get("reviewed", True)),
        judgements=judgements,
        themes=tuple(meta.themes),
        spotlight=spotlight,
        built_on=built_on,
        asked_themes=tuple(asked),
    )


class HomeCache:
    """The gathered knowledge and the Home view everyone but curators sees, for one
    (index fingerprint, ISO week): rebuilt when the knowledge is republished or a new
    week starts (the spotlight moves on), not on every open."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._knowledge: HomeKnowledge | None = None
        self._view: dict | None = None
        self.builds = 0  # for tests and probes

    def get(self, key: tuple, build: Callable[[], HomeKnowledge]) -> tuple[HomeKnowledge, dict]:
        with self._lock:
            if self._key != key or self._knowledge is None or self._view is None:
                knowledge = build()
                self._knowledge, self._view = knowledge, home_view(knowledge)
                self._key = key
                self.builds += 1
            return self._knowledge, self._view


def count_drafts(knowledge_dir: Path) -> int:
    """Drafts awaiting review: the YAML files in knowledge/drafts/."""
    try:
        return sum(1 for p in (knowledge_dir / "drafts").glob("*.yaml") if p.is_file())
    except OSError:
        return 0


def curator_counts(
    *,
    drafts: int,
    questions: list[LoggedQuery] | None,
    week: IsoWeek,
    tz: dt.tzinfo,
) -> CuratorCounts:
    """This week's counts, as the digest counts them; `questions` None: the log is off."""
    if questions is None:
        return CuratorCounts(drafts=drafts, unanswered=None, not_helpful=None)
    this_week = [q for q in questions if week.contains(q.asked_at, tz)]
    return CuratorCounts(
        drafts=drafts,
        unanswered=sum(1 for q in this_week if not q.answered and q.feedback is None),
        not_helpful=sum(1 for q in this_week if q.feedback == "not_helpful"),
    )

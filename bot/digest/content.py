"""What a weekly digest says. Pure: data in, a Digest out.

Four parts: what is new in the knowledge base since the last digest; one
recommendation in the spotlight, in a fixed rotation; the themes people asked about
this week and how many questions went unanswered (never the questions' text); and a
pointer to `/inspection help`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..querylog import LoggedQuery
from ..search.hits import Hit


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int
    monday: dt.date

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W48` -> that week; ValueError, saying what is wrong, for anything else
        (a week number the year does not have included: 2027 has no week 53)."""
        match = re.fullmatch(r"(\d{4})-?W(\d{2})", text.strip(), flags=re.IGNORECASE)
        if not match:
            raise ValueError(f"a week is written like 2026-W48 (got {text!r})")
        year, week = int(match[1]), int(match[2])
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
            monday + dt.timedelta(days=7)  # the whole week must be a representable date
        except (ValueError, OverflowError):
            raise ValueError(f"{year} has no ISO week {week} (got {text!r})") from None
        return cls(year, week, monday)

    def starts_after(self, moment: dt.datetime) -> bool:
        """Whether this week has not begun yet at `moment`, in the moment's own zone."""
        return self.monday > moment.date()

    @classmethod
    def of(cls, moment: dt.datetime) -> IsoWeek:
        """The ISO week of a moment, in the moment's own time zone."""
        year, week, weekday = moment.date().isocalendar()
        return cls(year, week, moment.date() - dt.timedelta(days=weekday - 1))

    def contains(self, moment: dt.datetime, tz: dt.tzinfo) -> bool:
        day = moment.astimezone(tz).date()
        return self.monday <= day < self.monday + dt.timedelta(days=7)


@dataclass(frozen=True)
class Spotlight:
    recommendation: Hit
    position: int  # 1-based place in the rotation
    of: int
    sections: tuple[str, ...]
    evidence: tuple[Hit, ...]


@dataclass(frozen=True)
class Digest:
    week: IsoWeek
    new_reports: tuple[str, ...] = ()
    new_records: dict = field(default_factory=dict)  # record kind -> count added or changed
    first: bool = False  # no digest before: the knowledge base is introduced, not diffed
    totals: dict = field(default_factory=dict)  # record kind -> count
    spotlight: Spotlight | None = None
    asked: int = 0
    unanswered: int = 0
    top_themes: tuple[tuple[str, int], ...] = ()


def spotlight_position(week: IsoWeek, count: int) -> int:
    """The recommendation for a week: consecutive weeks walk through all of them."""
    return (week.monday.toordinal() // 7) % count


def rotation_order(recommendations: list[Hit]) -> list[Hit]:
    """The council's recommendations in the report's order, then the LSCB's."""
    return sorted(
        recommendations,
        key=lambda h: (h.report, h.extra.get("to") == "LSCB", h.extra.get("number") or 0, h.id),
    )


def build_spotlight(week: IsoWeek, recommendations: list[Hit], evidence_of) -> Spotlight | None:
    ordered = rotation_order(recommendations)
    if not ordered:
        return None
    position = spotlight_position(week, len(ordered))
    chosen = ordered[position]
    evidence = tuple(h for h in (evidence_of(i) for i in chosen.extra.get("evidence", [])) if h)
    sections = tuple(dict.fromkeys(h.section for h in evidence))
    return Spotlight(chosen, position + 1, len(ordered), sections, evidence)


def record_fingerprints(hits: list[Hit]) -> dict[str, str]:
    """Each record's identity and content, to tell what changed between digests."""
    return {h.id: f"{h.kind}|{h.report}|{h.summary}|{h.quote}" for h in hits}


def build_digest(
    *,
    week: IsoWeek,
    tz: dt.tzinfo,
    records: list[Hit],
    reports: list[dict],
    previous: dict[str, str] | None,
    previous_reports: set[str] | None,
    questions: list[LoggedQuery],
    evidence_of,
) -> Digest:
    current = record_fingerprints(records)
    kinds = {h.id: h.kind for h in records}
    first = previous is None
    changed = [i for i, fp in current.items() if previous is not None and previous.get(i) != fp]
    new_records = Counter(kinds[i] for i in changed)
    new_reports = tuple(
        r["title"]
        for r in reports
        if previous_reports is not None and r["id"] not in previous_reports
    )
    this_week = [q for q in questions if week.contains(q.asked_at, tz) and q.feedback is None]
    themes = Counter(t for q in this_week for t in q.themes[:1])
    return Digest(
        week=week,
        new_reports=new_reports,
        new_records=dict(new_records),
        first=first,
        totals=dict(Counter(kinds.values())),
        spotlight=build_spotlight(
            week, [h for h in records if h.kind == "recommendation"], evidence_of
        ),
        asked=len(this_week),
        unanswered=sum(not q.answered for q in this_week),
        top_themes=tuple(themes.most_common(5)),
    )

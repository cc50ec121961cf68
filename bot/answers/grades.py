"""How grade questions are ordered and answered: which judgements, in what order.

Pure functions over candidates: the grades asked for by name ("rated good", "RI"),
by rank ("which area did worst"), by year ("the inspection before 2017"), or by the
evidence of the best findings when no judgement shares the question's words. They
read the open index they are given; the listing of every record of a kind is passed
in by bot/answers/pipeline.py, never imported from it.
"""

from __future__ import annotations

import re
from collections import Counter

from ..search.engine import Candidate, SearchIndex
from ..search.hits import Hit
from ..search.query import ParsedQuery, padded_words
from ..search.vocabulary import GRADE_ABBREVIATIONS, GRADE_ORDER, HISTORY_CUES


def asks_about_the_past(parsed: ParsedQuery) -> bool:
    """ "The previous inspection", "the last time": the history, not today's grades."""
    joined = padded_words(parsed.text)
    return any(f" {cue} " in joined for cue in HISTORY_CUES)


def history_date(hit: Hit) -> str:
    """Newest first: invert the ISO-ish date so it sorts descending."""
    date = hit.extra.get("date") or ""
    return "".join(chr(255 - ord(ch)) for ch in date)


def judgement_rank(hit: Hit) -> tuple:
    area = (hit.extra.get("area") or "").lower()
    if hit.kind == "history":
        return (9, hit.extra.get("date") or "")
    order = [
        "overall",
        "help and protection",
        "looked after",
        "adoption",
        "care leavers",
        "leadership",
        "local safeguarding",
    ]
    return (next((i for i, key in enumerate(order) if key in area), 8), area)


# How many of the best findings vote for the graded area a question is about, and the
# share of their votes (by rank) an area needs.
VOTERS = 5
AREA_VOTE_SHARE = 0.5


def records_by_evidence(
    index, parsed, allowed, include_drafts, found, kind, similar=None, *, listing
) -> list[Candidate]:
    """A grade or a recommendation asked in words none of them shares. When the best
    findings belong to one area ("finding new mums and dads for kids": adoption's
    findings), the judgement or recommendation on that area, by the themes they share.
    A grade asked of nothing findable: every judgement, the overall one first."""
    records = [
        c for c in listing(index, parsed, allowed, include_drafts, kind) if c.hit.kind == kind
    ]
    if not records:
        return []
    latest = max(c.hit.year or 0 for c in records)
    records = [c for c in records if (c.hit.year or 0) == latest]
    # A theme every record has ("inspection") says nothing about which area.
    common = set.intersection(*(set(c.hit.themes) for c in records))
    voters = [c for c in found.candidates if c.hit.kind != kind][:VOTERS]
    if not voters:
        return sorted(records, key=lambda c: judgement_rank(c.hit)) if kind == "judgement" else []
    votes: Counter = Counter()
    for rank, c in enumerate(voters):
        for theme in set(c.hit.themes) - common:
            votes[theme] += 1.0 / (rank + 1)
    total = sum(1.0 / (rank + 1) for rank in range(len(voters)))
    order = {c.hit.id: n for n, c in enumerate(records)}
    scored = [
        (sum(votes[t] for t in set(c.hit.themes) - common), c)
        for c in records
        if set(c.hit.themes) - common
    ]
    if not scored:
        return []

    def strength(pair):
        vote, c = pair
        # Ties: the judgement of the broader area; the recommendation nearest the
        # question in meaning, then the one Ofsted made first.
        if kind == "judgement":
            return (vote, -judgement_rank(c.hit)[0], 0)
        return (vote, (similar or {}).get(c.hit.id, 0.0), -order[c.hit.id])

    best_vote, best = max(scored, key=strength)
    return [best] if best_vote >= AREA_VOTE_SHARE * total else []


# How many of the best findings vote for the recommendation that cites them, and the
# share of their votes one recommendation needs to lead.
CITING_VOTERS = 3
CITED_SHARE = 0.5


def recommendation_cited_by(
    found: list[Candidate], recommendations: list[Candidate]
) -> list[Candidate]:
    """The recommendation whose curated evidence holds the best findings, when one
    stands out: each of the first CITING_VOTERS findings votes, by its rank, for every
    recommendation citing it."""
    voters = [c for c in found if c.hit.kind == "finding"][:CITING_VOTERS]
    votes: Counter = Counter()
    for rank, c in enumerate(voters):
        for r in recommendations:
            if c.hit.id in (r.hit.extra.get("evidence") or ()):
                votes[r.hit.id] += 1.0 / (rank + 1)
    if not votes:
        return []
    total = sum(1.0 / (rank + 1) for rank in range(len(voters)))
    best, vote = votes.most_common(1)[0]
    if vote < CITED_SHARE * total:
        return []
    return [r for r in recommendations if r.hit.id == best]


WORST_WORDS = ("worst", "lowest", "weakest", "bottom")


def _grade_rank(grade: str) -> float:
    """Where a grade stands, best first; a grade outside Ofsted's scales sorts between."""
    grade = " ".join(grade.lower().split())
    return next(
        (i for i, known in enumerate(GRADE_ORDER) if grade == known),
        next((i + 0.5 for i, known in enumerate(GRADE_ORDER) if grade.startswith(known)), 3.5),
    )


def named_grade(joined: str) -> str | None:
    """The one grade a question names ("rated good", "RI"), as GRADE_ORDER writes it;
    None when it names none, or several ("RI or good?" asks which)."""
    for short, grade in GRADE_ABBREVIATIONS.items():
        joined = joined.replace(f" {short} ", f" {grade} ")
    named = []
    for grade in sorted(GRADE_ORDER, key=len, reverse=True):
        if f" {grade} " in joined:
            named.append(grade)
            joined = joined.replace(f" {grade} ", " ")
    return named[0] if len(named) == 1 else None


# "The inspection before the 2017 one", "prior to 2017": the grades given before then.
BEFORE_YEAR = re.compile(
    r"\b(?:before|prior to|preceding|ahead of) (?:the )?((?:19|20)\d\d)\b", re.I
)
# "Prior to this latest visit", "before the most recent inspection": before the latest.
BEFORE_LATEST = re.compile(
    r"\b(?:before|prior to|preceding|ahead of) (?:the|this|that|their) (?:latest|last|most "
    r"recent|recent|current|full|new|newest) (?:visit|inspection|one|report)\b",
    re.I,
)


def graded_before(index: SearchIndex, year: int, include_drafts: bool) -> list[Candidate]:
    """The grades of the last inspections before `year`, newest first."""
    graded = [
        c
        for c in index.search(
            index.parse(""),
            kinds={"judgement", "history"},
            include_drafts=include_drafts,
            match_all=True,
        )
        if (_event_year(c.hit) or year) < year
    ]
    if not graded:
        return []
    latest = max(_event_year(c.hit) or 0 for c in graded)
    return sorted(graded, key=lambda c: (_event_year(c.hit) != latest, history_date(c.hit)))


def named_grade_first(
    parsed: ParsedQuery, listed: list[Candidate], rest: list[Candidate]
) -> list[Candidate]:
    """'Was it ever judged inadequate': the grades of that kind, of any year, before
    `rest`; `rest` alone when the question names no grade or none was given."""
    grade = named_grade(padded_words(parsed.text))
    graded = [c for c in listed if grade and _grade_of(c.hit).startswith(grade)]
    return list({c.hit.id: c for c in graded + rest}.values())


def is_graded(hit: Hit) -> bool:
    """Does a judgement or history entry state a grade (not "No graded judgement")?"""
    return named_grade(padded_words(_grade_of(hit))) is not None


def _grade_of(hit: Hit) -> str:
    """A judgement's grade or a history entry's outcome, lower case."""
    return " ".join(str(hit.extra.get("grade") or hit.extra.get("outcome") or "").lower().split())


def _event_year(hit: Hit) -> int | None:
    """The year a record's grade was given: a history entry's own date."""
    date = str(hit.extra.get("date") or "") if hit.kind == "history" else ""
    return int(date[:4]) if date[:4].isdigit() else hit.year


def grade_order(c: Candidate, parsed: ParsedQuery, past: bool) -> tuple:
    """Grades of the year asked first; then today's graded judgements (or, asked about
    past inspections, the history); the one whose words cover the question best."""
    year = _event_year(c.hit) or 0
    return (
        bool(parsed.years) and year not in parsed.years,
        c.hit.kind != ("history" if past else "judgement"),
        0 if past else -year,
        -round(c.coverage, 2),
        -c.score,
    )


def by_grade(
    cands: list[Candidate], worst_first: bool, grade: str | None = None
) -> list[Candidate]:
    """For "which area did best": the graded judgements of the latest inspection that
    has them (or of the years the listing was narrowed to), best grade first, or worst;
    for "which areas were rated good", those with that grade first."""
    graded = [c for c in cands if c.hit.kind == "judgement" and c.hit.extra.get("grade")]
    if not graded:
        return []
    latest = max(c.hit.year or 0 for c in graded)
    graded = [c for c in graded if (c.hit.year or 0) == latest]
    sign = -1 if worst_first else 1
    return sorted(
        graded,
        key=lambda c: (
            bool(grade) and not c.hit.extra["grade"].lower().startswith(grade),
            sign * _grade_rank(c.hit.extra["grade"]),
            judgement_rank(c.hit),
        ),
    )

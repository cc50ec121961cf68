"""From a question to an answer object: intent, retrieval, abstention, layout order.

Pure with respect to its collaborators: it reads the open index it is given and
returns an Answer; it logs nothing and posts nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..search.engine import Candidate, SearchIndex, alternative_stems
from ..search.hits import Hit
from ..search.query import ParsedQuery, padded_words, tokenize
from ..search.vocabulary import (
    GRADE_SUPERLATIVE,
    GRADED_HOW_WELL,
    PREVIOUS_CUES,
    SOFT_JUDGEMENT_CUES,
    WHICH_AREAS,
)
from .definitions import defined_term, definition_note, spelled_out_first
from .evidence import (
    NAMING_LOOKED_AT,
    SIMILAR_ENOUGH,
    STRONG_COVERAGE,
    answers_by_words,
    answers_question,
    gives_the_name,
    scope_blocks,
    sharing_is_no_topic,
)
from .figures import (
    NO_NATIONAL,
    NO_NUMBER,
    asks_a_number,
    figures_answering,
    local_first,
    national_figure_missing,
    states_a_number,
)
from .grades import (
    BEFORE_LATEST,
    BEFORE_YEAR,
    WORST_WORDS,
    asks_about_the_past,
    by_grade,
    grade_order,
    graded_before,
    history_date,
    is_graded,
    judgement_rank,
    named_grade,
    named_grade_first,
    recommendation_cited_by,
    records_by_evidence,
)
from .scope import (
    SHOWN_WITH_THE_NEAREST,
    scope_notes,
    scope_problems,
)

# A finding answers "what did they say about X" better than a bare number or what
# they asked the council to do about it.
IN_FINDINGS = {"figure": 0.85, "recommendation": 0.85}
MAX_COMPARED = 3  # inspections side by side in one comparison
POOL_FOR_COMPARISON = 200
INSPECTION_KINDS = ("inspection report", "inspection letter")
GRADE_WORDS = frozenset(
    [
        "rating",
        "ratings",
        "rated",
        "grade",
        "grades",
        "graded",
        "judgement",
        "judgements",
        "judgment",
        "verdict",
    ]
)
ALL_KINDS = {"finding", "judgement", "figure", "recommendation", "history", "passage"}


@dataclass(frozen=True)
class Answer:
    query: str
    answered: bool
    intent: str
    hits: tuple[Hit, ...] = ()
    suggestion: str | None = None
    themes: tuple[str, ...] = ()
    reason: str | None = None  # why it was not answered: empty, out_of_scope, no_match
    notes: tuple[str, ...] = ()  # what the reader must know: lost figures, fallbacks
    offset: int = 0
    total: int = 0  # how many hits the full answer has, for "More results"
    include_drafts: bool = False

    @property
    def more(self) -> bool:
        return self.offset + len(self.hits) < self.total

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "answered": self.answered,
            "intent": self.intent,
            "suggestion": self.suggestion,
            "themes": list(self.themes),
            "hits": [h.to_json() for h in self.hits],
            "reason": self.reason,
            "notes": list(self.notes),
            "offset": self.offset,
            "total": self.total,
        }


def _report_ids(index: SearchIndex, parsed: ParsedQuery) -> set[str] | None:
    """Reports allowed by the `report:` and `year:` filters; None when unfiltered."""
    reports = index.meta.reports
    allowed = None
    f = parsed.filters
    if f.report:
        wanted = f.report.lower()
        allowed = {
            r["id"]
            for r in reports
            if r["id"] == wanted or wanted in r["id"].split("-") or str(r["year"]) == wanted
        }
    if f.year:
        by_year = {r["id"] for r in reports if r["year"] == f.year}
        allowed = by_year if allowed is None else allowed & by_year
    return allowed


@lru_cache(maxsize=4)
def _inspection_years(index: SearchIndex) -> frozenset[int]:
    """The years an inspection took place: the reports' and the history's events."""
    years = set(index.meta.coverage.get("inspection_years") or ())
    years.update(h.year for h in index.records_of_kind("history") if h.year)
    return frozenset(years)


@lru_cache(maxsize=4)
def _theme_stems(index: SearchIndex) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each theme's stems (label, id and words), worked out once per open index."""
    out = []
    for theme in index.meta.themes:
        words = " ".join([theme["label"], theme["id"].replace("-", " "), *theme["words"]])
        out.append(
            (theme["id"], frozenset(s for w in tokenize(words) for s in alternative_stems((w,))))
        )
    return tuple(out)


def closest_themes(
    index: SearchIndex, parsed: ParsedQuery, candidates: list[Candidate]
) -> tuple[str, ...]:
    """Themes nearest the question: by its words, then by the best weak matches (found
    by their words, or near in meaning enough to answer: "weather tomorrow" is a little
    near everything, and so near no theme)."""
    candidates = [c for c in candidates if c.bm25 > 0 or c.similarity >= SIMILAR_ENOUGH]
    stems = {s for g in parsed.groups for a in g.alternatives for s in alternative_stems(a)}
    scores: Counter = Counter()
    for theme_id, theme_stems in _theme_stems(index):
        overlap = len(stems & theme_stems)
        if overlap:
            scores[theme_id] += 2 * overlap
    for rank, c in enumerate(candidates[:5]):
        for theme in c.hit.themes:
            scores[theme] += 1.0 / (rank + 1)
    if not scores:
        return ("children-looked-after", "child-protection", "leadership")
    return tuple(t for t, _ in scores.most_common(3))


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a raw passage whose text a shown record already quotes from."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in candidates:
        key = (c.hit.report, *c.hit.lines)
        if c.hit.kind == "passage":
            if any(
                k[0] == c.hit.report and k[1] >= c.hit.lines[0] and k[2] <= c.hit.lines[1]
                for k in seen
            ):
                continue
        else:
            seen.add(key)
        out.append(c)
    return out


def _page(cands: list[Candidate], offset: int, limit: int) -> tuple[tuple[Hit, ...], int]:
    return tuple(c.hit.scored(c.bm25) for c in cands[offset : offset + limit]), len(cands)


def _mentioning(index: SearchIndex, word: str) -> tuple[Hit, ...]:
    """What the reports say that names another council (its shared board, say), to
    show beside a decline, never as the answer."""
    needle = word.lower()
    found = index.search(index.parse(word), limit=20)
    return tuple(
        c.hit
        for c in found
        if c.hit.kind != "passage" and needle in f"{c.hit.quote} {c.hit.summary or ''}".lower()
    )[:3]


def answer(
    text: str,
    *,
    index: SearchIndex,
    limit: int = 3,
    offset: int = 0,
    include_drafts: bool = False,
) -> Answer:
    """Answer one question from the index: the best records, or an honest abstention."""
    entry = defined_term(text, index.meta.glossary)
    if entry is not None:
        return _defined(
            entry, text=text, index=index, limit=limit, offset=offset, include_drafts=include_drafts
        )
    parsed = index.parse(text)
    base = {"query": text, "include_drafts": include_drafts, "offset": offset}
    if (
        not parsed.groups
        and not parsed.filters.any()
        and not parsed.prefer
        and not parsed.years
        and parsed.intent == "finding"
    ):
        return Answer(
            **base,
            answered=False,
            intent="finding",
            reason="empty",
            themes=closest_themes(index, parsed, []),
            notes=(
                "Ask a question, for example: what did Ofsted say about the out-of-hours service?",
            ),
        )
    if (
        parsed.empty
        and parsed.groups
        and not parsed.prefer
        and parsed.intent in ("finding", "figure")
    ):
        # "When did Ofsted come in", "how many HMIs": its only words are ones that
        # usually frame a question (Ofsted, the inspectors); here they are its topic.
        parsed = replace(parsed, groups=tuple(replace(g, soft=False) for g in parsed.groups))
    parsed, suggestion = index.correct(parsed)
    if suggestion:
        # A misspelt cue ("what did ofsted recomend"): the corrected words say what is asked.
        fixed = index.parse(suggestion)
        if fixed.intent != parsed.intent:
            parsed = replace(
                parsed, intent=fixed.intent, cues=fixed.cues, cue_words=fixed.cue_words
            )
    words = tokenize(parsed.text)
    known_years = set(index.meta.years)
    coverage = index.meta.coverage
    problems = scope_problems(
        parsed.text,
        words,
        parsed.years,
        known_years,
        coverage,
        _inspection_years(index),
        grade_question=parsed.intent == "judgement",
        council_words=index.place_words,
    )
    parsed = sharing_is_no_topic(parsed, problems, index.place_words)
    allowed = _report_ids(index, parsed)
    handler = _HANDLERS[parsed.intent]
    result = handler(index, parsed, allowed, include_drafts)
    hits_all, intent, notes = result.candidates, result.intent, list(result.notes)
    best = hits_all[0] if hits_all else None
    blocking = [
        p
        for p in problems
        if scope_blocks(p, best, parsed, intent, places=index.place_words, nearest=hits_all)
    ]
    if any(p.reason == "name" for p in problems) and not blocking:
        # The record that gives the name asked for leads.
        naming = [
            c
            for c in hits_all[:NAMING_LOOKED_AT]
            if gives_the_name(c, parsed.text, index.place_words)
        ]
        hits_all = _led_by(naming, hits_all)
    themes = closest_themes(index, parsed, result.near or hits_all)
    # "The England average rate per 10,000", "how does it compare with the country":
    # a national figure the reports never give is not answered with the council's own.
    national_missing = (
        not blocking
        and intent == "figure"
        and national_figure_missing(parsed, [c.hit for c in hits_all[:SHOWN_NEAREST]])
    )
    if blocking or not hits_all or national_missing:
        reason = "out_of_scope" if blocking else "no_match"
        message = blocking[0].message if blocking else result.silence
        mentions = ()
        if blocking and blocking[0].reason in ("other_council", "council_comparison"):
            mentions = _mentioning(index, blocking[0].word)
        elif national_missing:
            message = NO_NATIONAL
            mentions = tuple(c.hit for c in hits_all[:SHOWN_NEAREST])
        elif blocking and blocking[0].reason in _NEAREST_SHOWN:
            mentions = tuple(c.hit for c in hits_all[:3])  # the nearest, never the answer
        elif not blocking:
            mentions = tuple(c.hit for c in result.nearest)
        return Answer(
            **base,
            answered=False,
            intent=intent,
            suggestion=suggestion,
            themes=themes,
            reason=reason,
            notes=(message,),
            hits=tuple(h.scored(0.0) for h in mentions),
        )
    notes[:0] = scope_notes(parsed.text, coverage, parsed.years)
    hits, total = _page(hits_all, offset, limit)
    if any(h.kind == "figure" and h.extra.get("missing") for h in hits):
        notes.append(
            "The source text lost a number here (a PDF extraction fault); it is shown as not stated, never guessed."
        )
    if any(not h.reviewed for h in hits):
        notes.append("Some results are unreviewed drafts, not curated knowledge.")
    return Answer(
        **base,
        answered=True,
        intent=intent,
        hits=hits,
        suggestion=suggestion,
        themes=themes,
        notes=tuple(notes),
        total=total,
    )


# Records a definition looks through for those that spell the term out.
DEFINED_FROM = 30


def _defined(
    entry: dict, *, text: str, index: SearchIndex, limit: int, offset: int, include_drafts: bool
) -> Answer:
    """ "What does MASH stand for": the glossary's words, said to be the glossary's,
    then the reports' records on the term, those that spell it out first."""
    found = answer(entry["term"], index=index, limit=DEFINED_FROM, include_drafts=include_drafts)
    hits = spelled_out_first(found.hits, entry) if found.answered else []
    notes = (definition_note(entry), *found.notes)
    return Answer(
        query=text,
        answered=bool(hits),
        intent="finding",
        hits=tuple(hits[offset : offset + limit]),
        themes=found.themes,
        reason=None if hits else "no_match",
        notes=notes,
        offset=offset,
        total=len(hits),
        include_drafts=include_drafts,
    )


# -- intent handlers -------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    intent: str
    candidates: list[Candidate]
    notes: tuple[str, ...] = ()
    near: list[Candidate] = field(default_factory=list)  # weak matches, to name themes
    silence: str = "The inspection reports don't cover that."
    # What comes nearest when the reports do not answer: shown, never as the answer.
    nearest: list[Candidate] = field(default_factory=list)


def _prefer_years(
    parsed: ParsedQuery, index: SearchIndex, allowed: set[str] | None
) -> set[str] | None:
    """A year named in the question ("the 2010 inspection") narrows to that year's reports."""
    if allowed is not None or not parsed.years:
        return allowed
    named = {r["id"] for r in index.meta.reports if r["year"] in parsed.years}
    return named or None


def _findings(index, parsed, allowed, include_drafts) -> _Result:
    narrowed = _prefer_years(parsed, index, allowed)
    kinds = {"passage", "finding", "figure", "judgement", "recommendation", "history"}
    if parsed.filters.kind:
        kinds = {parsed.filters.kind}
    theme = parsed.filters.theme
    cands = index.search(
        parsed, kinds=kinds, reports=narrowed, theme=theme, include_drafts=include_drafts
    )
    if narrowed is not allowed and not any(answers_question(c) for c in cands):
        cands = index.search(
            parsed, kinds=kinds, reports=allowed, theme=theme, include_drafts=include_drafts
        )
    if parsed.empty and (theme or narrowed is not None or parsed.filters.kind or parsed.prefer):
        # No topic, but a frame: "what went well in 2010", "theme:adoption", "press coverage".
        def listing(reports=narrowed, categories=None):
            return index.search(
                parsed,
                kinds=kinds - {"passage"} if not parsed.filters.kind else kinds,
                reports=reports,
                theme=theme,
                categories=categories,
                include_drafts=include_drafts,
                match_all=True,
            )

        cands = _preferred_listing(index, parsed, narrowed, listing)
        if not cands and (theme or narrowed is not None or parsed.filters.kind):
            cands = listing()  # "press coverage in 2010", and there was none: all of 2010
        silence = (
            "The knowledge base holds no press coverage."
            if "press" in parsed.prefer
            else "The inspection reports record nothing of that kind."
        )
        order = sorted(cands, key=lambda c: _listing_order(c.hit, parsed))
        return _Result("finding", order, silence=silence)
    # A finding answers "what did they say about X" better than a bare number does; a
    # number is shown only where a figure question would be answered by it.
    good = [c for c in cands if answers_question(c)]
    figures = [c for c in good if c.hit.kind == "figure"]
    numbers = {c.hit.id for c in figures_answering(parsed, figures, by_words=answers_by_words)}
    good = sorted(
        (c for c in good if c.hit.kind != "figure" or c.hit.id in numbers),
        key=lambda c: -c.score * IN_FINDINGS.get(c.hit.kind, 1.0),
    )
    return _Result("finding", _dedupe(good), near=cands)


_KIND_ORDER = {"finding": 0, "judgement": 1, "recommendation": 2, "figure": 3, "history": 4}


def _listing_order(hit: Hit, parsed: ParsedQuery) -> tuple:
    """Preferred records first; findings before numbers; the latest inspection first
    (what the service is run by now); then the sources' own order."""
    return (-_preference_rank(hit, parsed), _KIND_ORDER.get(hit.kind, 5), -(hit.year or 0))


# The finding categories each preference favours, as _preference_rank ranks them.
PREFERRED_CATEGORIES = {
    "strength": {"strength", "satisfactory_practice"},
    "weakness": {"weakness", "area_for_development"},
    "statement": {"statement"},
}


def _preferred_listing(index, parsed, narrowed, listing) -> list[Candidate]:
    """Only the records the wording prefers ("what went well": strengths; "press
    coverage": the press), found by index filters: a listing of every record in a
    large base would be slow to make and no use to read. Empty when there are none."""
    categories = set()
    for preference in parsed.prefer:
        categories |= PREFERRED_CATEGORIES.get(preference, set())
    found = listing(categories=categories) if categories else []
    if "press" in parsed.prefer:
        press = _reports_of_kind(index, "press article", narrowed)
        found += listing(reports=press) if press else []
    if "letter" in parsed.prefer:
        # "What did the earlier letter praise": the letter's own strengths.
        letters = _reports_of_kind(index, "inspection letter", narrowed)
        in_letters = [c for c in found if c.hit.report in letters]
        found = in_letters or (listing(reports=letters) if letters else found)
    return list({c.hit.id: c for c in found}.values())


def _reports_of_kind(index, kind: str, narrowed: set[str] | None) -> set[str]:
    """The ids of the reports of a kind ("press article"), within `narrowed` if given."""
    ids = {r["id"] for r in index.meta.reports if r.get("kind") == kind}
    return ids if narrowed is None else ids & narrowed


def _preference_rank(hit: Hit, parsed: ParsedQuery) -> int:
    prefer = parsed.prefer
    score = 0
    if "strength" in prefer and hit.category == "strength":
        score += 3
    if "strength" in prefer and hit.category == "satisfactory_practice":
        score += 2
    if "weakness" in prefer and hit.category in ("weakness", "area_for_development"):
        score += 2
    if "press" in prefer and hit.is_press:
        score += 2
    if "statement" in prefer and hit.category == "statement":
        score += 1
    return score


def _listing(index, parsed, allowed, include_drafts, kind: str) -> list[Candidate]:
    """Every record of a kind, in the knowledge base's own order, newest report first."""
    cands = index.search(
        parsed,
        kinds={kind} | ({"history"} if kind == "judgement" else set()),
        reports=allowed,
        theme=parsed.filters.theme,
        include_drafts=include_drafts,
        match_all=True,
    )
    if parsed.years:
        # "What was Poole rated in 2011": that year's records, when there are any.
        in_year = [c for c in cands if c.hit.year in parsed.years]
        cands = in_year or cands
    years = {r["id"]: r["year"] or 0 for r in index.meta.reports}
    order = {c.hit.id: n for n, c in enumerate(sorted(cands, key=lambda c: c.hit.id))}
    if kind == "judgement":
        # The graded judgements of the latest inspection, then the history; or the
        # history first, newest first, when the question asks about past inspections.
        joined = padded_words(parsed.text)
        if asks_about_the_past(parsed):
            if any(f" {cue} " in joined for cue in PREVIOUS_CUES):
                latest = max(years.values(), default=0)
                cands = [c for c in cands if c.hit.kind == "history" and c.hit.year < latest]
            return sorted(cands, key=lambda c: (c.hit.kind != "history", history_date(c.hit)))
        return sorted(
            cands,
            key=lambda c: (
                c.hit.kind != "judgement",
                -years.get(c.hit.report, 0),
                judgement_rank(c.hit),
            ),
        )
    return sorted(
        cands, key=lambda c: (-years.get(c.hit.report, 0), _number(c.hit), order[c.hit.id])
    )


def _number(hit: Hit) -> tuple:
    return (hit.extra.get("to") == "LSCB", hit.extra.get("number") or 0)


def _typed(kind: str, fallback_note: str, silence: str | None = None):
    def handle(index, parsed, allowed, include_drafts) -> _Result:
        if kind == "judgement":
            shortcut = _grade_shortcut(index, parsed, allowed, include_drafts)
            if shortcut is not None:
                return shortcut
        if parsed.empty or (kind == "recommendation" and not index.specific(parsed)):
            # "List the to-do items the watchdog gave the town hall": all of them.
            listed = _listing(index, parsed, allowed, include_drafts, kind)
            if kind == "judgement":
                listed = named_grade_first(parsed, listed, listed)
            return _Result(kind, listed)
        kinds = {kind} | ({"history"} if kind == "judgement" else set())
        cands = index.search(
            parsed,
            kinds=kinds,
            reports=_prefer_years(parsed, index, allowed),
            theme=parsed.filters.theme,
            include_drafts=include_drafts,
        )
        good = [c for c in cands if answers_question(c)]
        if kind == "judgement" and not parsed.years and not asks_about_the_past(parsed):
            # Today's grade asked: an earlier inspection's grade comes only where the
            # question's own words name it, never because it is near in meaning
            # ("what grade did adoption get" is not the 2011 looked-after inspection).
            good = [c for c in good if c.hit.kind != "history" or answers_by_words(c)]
        if kind == "judgement":
            led, good = _grades_found(index, parsed, allowed, include_drafts, good)
            if led is not None:
                return led
        found = None
        if (
            kind == "recommendation"
            and (not good or good[0].coverage < STRONG_COVERAGE)
            and index.specific(parsed)
        ):
            # A recommendation asked in words none of them shares ("households who take
            # in a kid at short notice properly briefed"): the findings are many and
            # wordy, so they are found where a recommendation's one sentence is not;
            # the recommendation the best of them are cited as evidence for leads.
            found = _findings(index, parsed, allowed, include_drafts)
            listed = _listing(index, parsed, allowed, include_drafts, kind)
            cited = recommendation_cited_by(
                found.candidates, [c for c in listed if c.hit.kind == kind]
            )
            if cited and (not good or cited[0].hit.id != good[0].hit.id):
                good = _led_by(cited, good)
        if kind == "figure":
            good = local_first(parsed, figures_answering(parsed, good, by_words=answers_by_words))
        if good:
            return _Result(kind, good)
        # No record of this kind covers the topic: say so, and show the findings.
        if found is None:
            found = _findings(index, parsed, allowed, include_drafts)
        if kind == "recommendation":
            # "What has to happen before a case goes back to family support": the
            # recommendation on the topic of the best findings, when one stands out.
            advised = records_by_evidence(
                index,
                parsed,
                allowed,
                include_drafts,
                found,
                kind,
                similar={c.hit.id: c.similarity for c in cands},
                listing=_listing,
            )
            if advised:
                return _Result(kind, _led_by(advised, found.candidates))
        if (
            kind == "figure"
            and found.candidates
            and asks_a_number(parsed.text)
            and not any(states_a_number(c.hit) for c in found.candidates[:SHOWN_NEAREST])
        ):
            # "How many social workers does the council employ": no figure, and nothing
            # near it states any number. The nearest is shown, never as the answer.
            # "How long is the wait" is answered in words too (whether help is timely),
            # and so is "how much do they rely on agency staff", which asks no number.
            return _Result(
                kind,
                [],
                near=found.candidates,
                silence=NO_NUMBER,
                nearest=found.candidates[:SHOWN_NEAREST],
            )
        if found.candidates:
            return _Result("finding", found.candidates, notes=(fallback_note,))
        return _Result(kind, [], near=found.near or cands, silence=silence or fallback_note)

    return handle


def _led_by(first: list[Candidate], rest: list[Candidate]) -> list[Candidate]:
    """`first`, then whatever of `rest` it does not already hold."""
    shown = {c.hit.id for c in first}
    return first + [c for c in rest if c.hit.id not in shown]


def _grade_shortcut(index, parsed, allowed, include_drafts) -> _Result | None:
    """Grade questions answered before any search: "which area did best" (every
    judgement by grade), what the press said the grade was, "the inspection before
    the 2017 one"."""
    joined = padded_words(parsed.text)
    superlative = GRADE_SUPERLATIVE.search(joined)
    which = WHICH_AREAS.search(joined)
    grade = named_grade(joined) if which else None
    how_well = GRADED_HOW_WELL.search(joined) if which else None
    if superlative or grade or how_well:
        worst = (bool(superlative) and any(w in superlative.group(0) for w in WORST_WORDS)) or (
            bool(how_well) and how_well.group("how") in ("poorly", "badly", "weakly")
        )
        ranked = by_grade(
            _listing(index, parsed, allowed, include_drafts, "judgement"), worst, grade
        )
        if ranked:
            return _Result("judgement", ranked)
    if "press" in parsed.prefer:
        # "What did the Echo say Poole was rated": the press's own words.
        found = _findings(index, parsed, allowed, include_drafts)
        if found.candidates:
            return _Result("judgement", found.candidates)
    before = BEFORE_YEAR.search(parsed.text)
    year = int(before.group(1)) if before else None
    if year is None and BEFORE_LATEST.search(parsed.text):
        year = max(_inspection_years(index), default=None)
    if year is not None:
        earlier = graded_before(index, year, include_drafts)
        if earlier:
            return _Result("judgement", earlier)
    return None


def _grades_found(
    index, parsed, allowed, include_drafts, good: list[Candidate]
) -> tuple[_Result | None, list[Candidate]]:
    """The judgements a grade question's words found, in the order it asks for; or
    the answer itself when those words cannot lead (nothing specific asked, only the
    history's grades matched, "any good" of a part of an area)."""
    past = asks_about_the_past(parsed)
    if parsed.cues and set(parsed.cues) <= SOFT_JUDGEMENT_CUES:
        # "Are pathway plans any good": a grade only when its words name the topic, and
        # a visit that gave no grade is no answer to it ("is the MASH any good" is not
        # the 2010 front-door visit).
        good = [
            c for c in good if answers_by_words(c) and (c.hit.kind != "history" or is_graded(c.hit))
        ]
        if not good and index.specific(parsed):
            return _findings(index, parsed, allowed, include_drafts), good
    good = sorted(good, key=lambda c: grade_order(c, parsed, past))
    if past:
        return None, good
    if not parsed.prefer and not index.specific(parsed):
        # Nothing specific asked ("how did the borough do for kids", "the headline
        # judgement"): the overall judgement, then every area's. "Was it ever judged
        # inadequate": any grade of that kind, of any year, comes first.
        every = _every_grade(index, parsed, allowed, include_drafts, good, named_first=True)
        if every:
            return every, good
    if (
        good
        and good[0].hit.kind == "judgement"
        and good[0].coverage < STRONG_COVERAGE
        and index.specific(parsed)
    ):
        # A judgement found by a few of the question's words ("children", "homes") is
        # weaker evidence of the area asked about than what the best findings are about:
        # "aftercare for ex-foster kids aged 18+" is the care leavers' grade, whatever
        # judgement's heading shares a word with it.
        found = _findings(index, parsed, allowed, include_drafts)
        graded = records_by_evidence(
            index, parsed, allowed, include_drafts, found, "judgement", listing=_listing
        )
        if graded and graded[0].hit.id != good[0].hit.id:
            return _Result("judgement", _led_by(graded, good)), good
    if not good or good[0].hit.kind != "judgement":
        # Only the history's grades matched, or nothing: the area's grade found by
        # evidence ("finding new mums and dads": adoption's findings) leads.
        found = _findings(index, parsed, allowed, include_drafts)
        graded = records_by_evidence(
            index, parsed, allowed, include_drafts, found, "judgement", listing=_listing
        )
        if graded:
            return _Result("judgement", _led_by(graded, good or found.candidates)), good
        if (
            not parsed.years
            and not any(is_graded(c.hit) for c in good[:1])
            and len(parsed.cues) > 1
        ):
            # "Bottom line, is the borough's social work with kids up to scratch": asked
            # twice over for a grade, where no area stands out and a visit that gave no
            # grade is no answer. ("Is the EDT up to scratch" asks once: its findings.)
            every = _every_grade(index, parsed, allowed, include_drafts, good, named_first=False)
            if every:
                return every, good
    return None, good


def _every_grade(
    index, parsed, allowed, include_drafts, good: list[Candidate], *, named_first: bool
) -> _Result | None:
    """Every judgement, the overall one first, then what the words found; with
    `named_first`, the grades of the kind a question names ("was it ever judged
    inadequate"), of any year, before them."""
    listed = _listing(index, parsed, allowed, include_drafts, "judgement")
    judgements = [c for c in listed if c.hit.kind == "judgement"]
    overall = named_grade_first(parsed, listed, judgements) if named_first else judgements
    return _Result("judgement", _led_by(overall, good)) if overall else None


SHOWN_NEAREST = 3
# Declines that show the nearest the reports come, marked as not the answer (another
# council's decline shows what the reports say of that council instead).
_NEAREST_SHOWN = (
    frozenset(
        [
            "future",
            "personnel",
            "name",
            "ranking",
            "successor",
            "after_latest",
            "no_report",
            "speaker",
        ]
    )
    | SHOWN_WITH_THE_NEAREST
)


def _compared(reports: list[dict], years: tuple[int, ...]) -> list[dict]:
    """The inspections a comparison sets side by side, oldest first: those of the
    years the question names ("2022 compared with 2017"); one year named is set
    against the latest ("still a problem, like in 2010?"); none named, all of them."""
    named = [r for r in reports if r["year"] in years]
    if not named:
        return reports
    if len({r["year"] for r in named}) == 1 and reports:
        latest = max(r["year"] or 0 for r in reports)
        named += [r for r in reports if r["year"] == latest and r not in named]
    return sorted(named, key=lambda r: r["year"] or 0)


def _comparison(index, parsed, allowed, include_drafts) -> _Result:
    reports = sorted(
        (r for r in index.meta.reports if r["kind"] in INSPECTION_KINDS),
        key=lambda r: r["year"] or 0,
    )
    if allowed is not None:
        reports = [r for r in reports if r["id"] in allowed]
    reports = _compared(reports, parsed.years)
    if parsed.empty or set(tokenize(parsed.text)) & GRADE_WORDS:
        # "How has the rating changed since 2011": the inspection timeline, oldest first.
        history = index.search(
            parsed, kinds={"history"}, include_drafts=include_drafts, match_all=True
        )
        # The inspections of the years named first ("since the unannounced visit in
        # 2010": that visit, graded or not); then graded inspections first, in date
        # order, and an ungraded visit after them.
        named = {str(y) for y in parsed.years}
        return _Result(
            "comparison",
            sorted(
                history,
                key=lambda c: (
                    bool(named) and str(c.hit.extra.get("date") or "")[:4] not in named,
                    not is_graded(c.hit),
                    c.hit.extra.get("date") or "",
                ),
            ),
        )
    # One search, then the best two records from each inspection, oldest first.
    cands = index.search(
        parsed,
        kinds={"finding", "judgement", "history"},
        reports={r["id"] for r in reports},
        include_drafts=include_drafts,
        limit=POOL_FOR_COMPARISON,
    )
    by_report: dict[str, list[Candidate]] = {}
    for c in cands:
        if answers_question(c) and len(by_report.setdefault(c.hit.report, [])) < 2:
            by_report[c.hit.report].append(c)
    with_hits = [r for r in reports if by_report.get(r["id"])]
    if not with_hits:
        # Not a comparison across inspections ("free school meals, Poole vs national"):
        # answered as any question is, numbers included.
        found = _findings(index, parsed, allowed, include_drafts)
        if found.candidates:
            return found
        return _Result("comparison", [], near=cands[:5])
    if len(with_hits) > MAX_COMPARED:
        # Many inspections: the earliest that speaks to it, and the latest ones.
        with_hits = [with_hits[0], *with_hits[-(MAX_COMPARED - 1) :]]
    missing = [
        f"The {r['year']} {r['kind'].split()[-1]} says nothing on this."
        for r in reports
        if r not in with_hits and len(reports) <= MAX_COMPARED
    ]
    picked = [c for r in with_hits for c in by_report[r["id"]]]
    return _Result("comparison", picked, notes=tuple(missing))


_HANDLERS = {
    "finding": _findings,
    "judgement": _typed(
        "judgement",
        "Ofsted grades whole areas of the service, not this on its own; here is what it found.",
    ),
    # Reached only when what comes nearest states some number (otherwise NO_NUMBER):
    # the number may be in the text, so the note never says there is none.
    "figure": _typed(
        "figure",
        "No figure in the reports answers this on its own; here is what they say.",
        silence="No figure or finding in the reports matches this closely enough to answer it.",
    ),
    "recommendation": _typed(
        "recommendation",
        "Ofsted made no recommendation about this; here is what it found.",
    ),
    "comparison": _comparison,
}


def list_records(
    kind: str,
    *,
    index: SearchIndex,
    theme: str | None = None,
    offset: int = 0,
    limit: int = 10,
    include_drafts: bool = False,
) -> Answer:
    """Every record of a kind (judgements, figures, recommendations), for the sub-commands."""
    query = f"kind:{kind}" + (f" theme:{theme}" if theme else "")
    parsed = index.parse(query)
    cands = _listing(index, parsed, None, include_drafts, kind)
    if kind == "judgement":
        cands = [c for c in cands if c.hit.kind == "judgement"]
    hits, total = _page(cands, offset, limit)
    base = {"query": query, "include_drafts": include_drafts, "offset": offset}
    if not hits:
        return Answer(
            **base,
            answered=False,
            intent=kind,
            reason="no_match",
            themes=(theme,) if theme else (),
            notes=(f"The reports have no {kind}s on this theme.",),
        )
    notes = ()
    if any(h.kind == "figure" and h.extra.get("missing") for h in hits):
        notes = ("Where the source text lost a number, it is shown as not stated, never guessed.",)
    return Answer(**base, answered=True, intent=kind, hits=hits, total=total, notes=notes)

"""When a figure answers a question: the number asked for, of what is asked.

A wrong number is the worst answer there is: it is pasted into a board paper as fact.
So a figure answers only when it is the kind of number asked (a duration, a distance,
a share, a count), counts what is asked (children or adults), and is found either by
the question's own words or by a meaning near every part of the question; otherwise
the reports' words answer, with a note that no figure does, or the question is
declined with the nearest they come.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..search.engine import Candidate
from ..search.hits import Hit
from ..search.query import ParsedQuery, stem, tokenize
from ..search.vocabulary import (
    ANSWERS_ASKED,
    ASKED_NUMBER,
    COUNTED_ADULTS,
    COUNTED_CHILDREN,
    DOMAIN_WORDS,
    FILLER,
    UNIT_KINDS,
)

# A figure found by meaning must be near in every part of the question ("how long
# children in care wait for CAMHS" is not answered by how long care proceedings take) ...
FIGURE_REST_SIMILAR = 0.6
# ... and nearer than a finding need be: "what share of children in care got good
# GCSEs" is a little near every percentage of school children ...
FIGURE_SIMILAR = 0.55
# ... and, sharing no word with the question at all, nearer still: "how many social
# workers does Poole employ" is near, but not about, how many children need one.
FIGURE_SIMILAR_WORDLESS = 0.7

NO_NUMBER = "The reports give no number for this. The nearest they come is below."
# A number in words or digits, as a quote may state one ("seven of 15", "since July 2016").
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|thousand|half|quarter|third|dozen|single|double|twice)\b",
    re.I,
)
# "In 2010", "on 17 and 18 August 2010", "11 September to 5 October 2017", "2014–17".
_YEAR_OR_DATE = re.compile(
    r"\b(?:19|20)\d\d[–-]\d\d\b"
    r"|\b(?:\d{1,2}(?:st|nd|rd|th)?(?: \w+)?(?: (?:and|to|-|–) | ?[-–] ?))?"
    r"(?:\d{1,2}(?:st|nd|rd|th)? \w+ )?(?:19|20)\d\d\b"
)
_HOW_MANY_UNITS = re.compile(r"\bhow many (?:hours|weeks|days|months|years)\b", re.I)
_HOW_MANY = re.compile(r"\bhow many ((?:[a-z'’-]+ ){0,2}[a-z'’-]+)", re.I)


def states_a_number(hit: Hit) -> bool:
    """Does the record state a number? A year ("in 2010") is when, not how many."""
    return bool(_NUMBER.search(_YEAR_OR_DATE.sub(" ", f"{hit.quote} {hit.summary or ''}")))


def asked_number(text: str) -> str | None:
    """The kind of number a question asks for: duration, distance, share, rate or count."""
    text = text.lower()
    return next((kind for kind, pattern in ASKED_NUMBER if pattern.search(text)), None)


def asks_a_number(text: str) -> bool:
    """Is a number what the question wants, so that words alone do not answer it?
    "How long is the wait" is answered in words too (whether help is timely), and so
    is "how much do they rely on agency staff", which asks no kind of number. "How many
    weeks" counts the weeks: a number, not whether it was soon enough."""
    asked = asked_number(text)
    if asked == "duration":
        return bool(_HOW_MANY_UNITS.search(text))
    return asked is not None


def counts_adults(text: str) -> bool:
    """Does "how many ..." count adults (carers, staff), not children?"""
    match = _HOW_MANY.search(text)
    counted = set(re.split(r"[\s-]+", match.group(1).lower())) if match else set()
    return bool(counted & COUNTED_ADULTS) and not counted & COUNTED_CHILDREN


def number_fits(asked: str | None, hit: Hit, *, adults: bool = False) -> bool:
    """Is a figure the kind of number asked for (a duration, a distance, a share, a
    count), counting what is asked (adults or children)?"""
    if hit.kind != "figure" or asked is None:
        return True
    unit = str(hit.extra.get("unit") or "").lower()
    given = {next((kind for kind, units in UNIT_KINDS.items() if unit in units), "count")}
    if adults and given == {"count"} and not set(unit.split()) & COUNTED_ADULTS:
        # "How many inspectors": a count of children, or of notifications sent to
        # Ofsted, is not a count of people on the staff.
        return False
    if adults and "share" in given and not set(_counted_by(hit)) & COUNTED_ADULTS:
        # "How many foster households": a share of children is not a count of them.
        return False
    if hit.extra.get("rate_per_10000") is not None:
        given.add("per 10000")
    if " per " in f" {unit} ":  # "cases per social worker"
        given = {"ratio"}
    return bool(given & ANSWERS_ASKED[asked])


_MEASURE_FRAME = frozenset(["percentage", "proportion", "number", "share", "rate", "of", "the"])


def _counted_by(hit: Hit) -> list[str]:
    """The first words of a figure's measure, past "percentage of": what it counts
    ("Children looked after living with parents ..." counts children, not parents)."""
    words = re.findall(r"[a-z]+", str(hit.summary or "").lower())
    while words and words[0] in _MEASURE_FRAME:
        words.pop(0)
    return words[:2]


# Words that say who a count counts ("children in care", "young people", "foster
# carers"): every figure shares them, so they name no term of the field.
_WHO_IS_COUNTED = COUNTED_CHILDREN | COUNTED_ADULTS | {"care", "in", "looked", "after", "people"}


def _terms_named(parsed: ParsedQuery) -> frozenset[str]:
    """The field's terms a question names (its glossary groups: "missing from care",
    "homeless", "child in need"), other than who is counted."""
    return frozenset(
        g.label
        for g in parsed.groups
        if g.kind == "glossary" and not g.soft and not set(g.label.split()) <= _WHO_IS_COUNTED
    )


def local_first(parsed: ParsedQuery, candidates: list[Candidate]) -> list[Candidate]:
    """A figure asked without the country ("what % get free school meals") is the
    council's own: national averages the reports set beside it follow, in their order."""
    if _NATIONAL.search(parsed.text):
        return candidates

    def national(c: Candidate) -> bool:
        return c.hit.kind == "figure" and bool(_NATIONAL.search(c.hit.summary or ""))

    return [c for c in candidates if not national(c)] + [c for c in candidates if national(c)]


def figures_answering(
    parsed: ParsedQuery, candidates: list[Candidate], *, by_words: Callable[[Candidate], bool]
) -> list[Candidate]:
    """The candidate figures that answer the question, best first: the number asked,
    of what is asked, found by the question's words (`by_words`) or by a meaning
    near all of it.

    Found by words, a figure must also hold every term of the field the question
    names, or be near in meaning to the part it lacks: "how many children went
    missing from care" shares every other word with the number of children in care,
    and the reports count no missing children."""
    asked = asked_number(parsed.text)
    adults = counts_adults(parsed.text)
    terms = _terms_named(parsed)
    return [
        c
        for c in candidates
        if number_fits(asked, c.hit, adults=adults)
        and (
            (by_words(c) and (terms <= c.covered or c.rest_similarity >= FIGURE_REST_SIMILAR))
            or (
                c.rest_similarity >= FIGURE_REST_SIMILAR
                and c.similarity >= (FIGURE_SIMILAR if c.covered else FIGURE_SIMILAR_WORDLESS)
            )
        )
    ]


# "Against the national rate", "compared with England": a national figure is asked.
_NATIONAL = re.compile(r"\b(?:national|nationally|england|englands|england's|the country)\b", re.I)
NO_NATIONAL = (
    "The reports give no national figure for this. The nearest they come is the council's "
    "own, below: it is not set against one they do not give."
)


# Words that say how a measure is put, not what it measures: a national rate of
# something else shares them with any question.
_MEASURE_WORDS = frozenset(
    """rate rates average averages number numbers percentage percentages proportion share
    figure figures total count level levels compare compared comparison versus vs whole
    across overall per how many much what""".split()  # noqa: SIM905
)


def _measured(text: str) -> set[str]:
    """The stems of what a question or a figure measures: its words, less who is
    counted, how the measure is put, the country and the question's own framing."""
    return {
        stem(word)
        for word in tokenize(text)
        if len(word) > 2
        and word not in FILLER
        and word not in DOMAIN_WORDS
        and word not in _WHO_IS_COUNTED
        and word not in _MEASURE_WORDS
        and not _NATIONAL.fullmatch(word)
    }


def national_figure_missing(parsed: ParsedQuery, hits: list[Hit]) -> bool:
    """Does the question set a figure against the country's, where the answer holds
    no national figure of what it measures? Then the reports do not answer it: "how
    many kids are in care in the whole of England" is not answered by the national
    share of children from minority ethnic groups. What it measures is its words and
    their glossary forms ("BME" is "minority ethnic")."""
    figures = [h for h in hits if h.kind == "figure"]
    if not figures or not _NATIONAL.search(parsed.text):
        return False
    asked = _measured(parsed.text) | _measured(
        " ".join(" ".join(form) for g in parsed.groups if not g.soft for form in g.alternatives)
    )
    return not any(
        _NATIONAL.search(f"{h.summary or ''} {h.quote}")
        and asked & _measured(f"{h.summary or ''} {h.quote}")
        for h in figures
    )

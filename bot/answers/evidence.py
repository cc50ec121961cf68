"""When a record answers a question, and when a scope problem stands against it.

A record answers when its words cover enough of the question, strongly enough, or it
is near enough in meaning. A scope problem (another council, money, a name the
reports leave out; bot/answers/scope.py) found in the wording yields to strong
retrieval evidence where the question is, after all, about what the reports say: a
stray word never overrules the evidence. Pure functions over candidates.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..search.engine import Candidate
from ..search.query import ParsedQuery, tokenize
from ..search.vocabulary import FILLER
from .scope import (
    DECLINED_WHATEVER_IS_FOUND,
    MONEY_WORDS,
    PROVIDER_KIND_WORDS,
    SCHOOL_WORDS,
    ScopeProblem,
    names_someone,
    role_asked,
)

# A record answers when it covers at least this share of what was asked.
MIN_COVERAGE = 0.5
# ... and scores at least this (BM25 after re-ranking): a lone common word is not enough.
MIN_SCORE = 2.0
# ... or, whatever its words, is at least this similar in meaning (bot/search/semantic.py).
SIMILAR_ENOUGH = 0.45
# ... and so are the topics it does not contain: near "foster carer allowance" only
# because it is about foster carers is not near enough.
REST_SIMILAR_ENOUGH = 0.35


def answers_by_words(c: Candidate) -> bool:
    return c.coverage >= MIN_COVERAGE and c.lexical >= MIN_SCORE


def answers_question(c: Candidate) -> bool:
    """Does a record answer the question: its words cover enough of it, strongly
    enough, or it is near enough in meaning (a paraphrase shares no words)."""
    if answers_by_words(c):
        return True
    return c.similarity >= SIMILAR_ENOUGH and c.rest_similarity >= REST_SIMILAR_ENOUGH


# A money word is the question's subject unless the best record matches this many of
# the question's other topics, and most of them: "children spending the night in
# police custody" is about custody; "how much are social workers paid" is about pay.
MONEY_ASIDE_TOPICS = 3
# A record covering this much of a question in its own words is strong evidence.
STRONG_COVERAGE = 0.75
# How many of the best records may give a name asked for ("the name of the agency").
NAMING_LOOKED_AT = 3


# Scope problems that stand whatever retrieval finds: the question names something
# outside the sources as its subject, or asks what the reports never do.
_NAMES_THE_SUBJECT = (
    frozenset(
        [
            "school",
            "unknown_year",
            "other_inspection",
            "future",
            "council_comparison",
            "identity",
            "ranking",
            "successor",
            "after_latest",
        ]
    )
    | DECLINED_WHATEVER_IS_FOUND
)


def scope_blocks(
    problem: ScopeProblem,
    best: Candidate | None,
    parsed: ParsedQuery,
    intent: str,
    *,
    places: frozenset[str] = frozenset(),
    nearest: list[Candidate] = (),
) -> bool:
    """Does this scope problem stand, given the best match? Some yield to strong
    retrieval evidence: a stray word never overrules it."""
    if (
        problem.reason == "school"
        and best is not None
        and _names_what_the_sources_say(problem.word, best, places)
    ):
        # "Poole primary EAL pupils", "how many primary pupils get free school meals":
        # every word of the supposed name is in the best record, which answers it.
        return False
    if problem.reason in _NAMES_THE_SUBJECT:
        return True
    if best is None:
        return True
    if problem.reason == "other_council":
        # "Dorset police at strategy meetings" is what the reports say of Poole's
        # partners; another council's own grade is never answered with Poole's.
        # "Dorset's own LSCB", "Bournemouth's children's services": the other council's
        # own service is the subject, whatever the reports say of it in passing.
        mentioned = problem.word.lower() in best.hit.quote.lower()
        owned = re.search(rf"\b{re.escape(problem.word)}(?:'s|’s|s'|s’)", parsed.text, re.I)
        if not owned and _shared_with(problem.word, parsed.text, places):
            # "The safeguarding board (the joint one with Bournemouth)": what the two
            # councils share is what the reports judged, not the other council's own.
            return False
        return (
            intent == "judgement" or bool(owned) or not mentioned or best.coverage < STRONG_COVERAGE
        )
    if problem.reason == "name":
        # "Who was the lead inspector" is answered where a report names them.
        return not any(gives_the_name(c, parsed.text, places) for c in nearest[:NAMING_LOOKED_AT])
    if problem.reason == "no_report":
        # "Did Poole act on the recommendations from the 2011 inspection": a later
        # report says, naming that inspection's year, in the question's own words.
        said = f"{best.hit.quote} {best.hit.summary or ''}"
        return best.hit.kind == "history" or not (
            problem.word in said and answers_by_words(best) and best.coverage >= STRONG_COVERAGE
        )
    if problem.reason == "speaker":
        # Stands unless the best record is their statement, or reports what they said:
        # a record that only names them ("the DCS has been in post since 2012") does
        # not say what they told anyone.
        who = re.escape(problem.word.lower().rstrip("s"))
        speaker = str(best.hit.extra.get("speaker") or "").lower()
        reported = re.search(
            rf"\b{who}\w*\W+(?:\w+\W+){{0,6}}?(?:said|says|told|commented|added|stated)\b"
            rf"|\b(?:said|says|told|commented|added|stated) (?:the |a |an )?{who}",
            best.hit.quote.lower(),
        )
        return not (re.search(rf"\b{who}", speaker) or reported)
    if problem.reason == "personnel":
        # Stands unless the best record itself says it.
        return problem.word.lower() not in best.hit.quote.lower()
    if problem.reason == "money" and problem.word == "how much":
        return True  # an amount of money is what is asked: the reports give none
    if problem.reason == "money":
        # "Is the council funding children's social care properly" is answered by
        # what Ofsted said of financial support: the record speaks of money too.
        if best.coverage >= STRONG_COVERAGE and best.covers_word(problem.word):
            return False
        money = problem.word.lower()
        named = re.search(rf"\b([a-z]+) {re.escape(money)}\b", parsed.text.lower())
        said = f"{best.hit.quote} {best.hit.summary or ''}".lower()
        alone = sum(w in MONEY_WORDS for w in tokenize(parsed.text)) == 1
        if alone and named and named.group(0) in " ".join(said.split()) and answers_by_words(best):
            # "Pocket money sorted?": the best record speaks of that very thing, so the
            # money word names a topic the reports discuss, not a budget asked about
            # ("the adoption support fund's budget" asks a budget).
            return False
        if _helped_with(money, parsed.text) and answers_question(best):
            # "Will anyone help me with uni costs": help for care leavers is the
            # subject, which the reports cover; the cost is what is helped with.
            return False
        paid_for = _paid_for(money, parsed.text)
        if paid_for and answers_by_words(best) and all(best.covers_word(w) for w in paid_for):
            # "Did the LSCB fund counselling for survivors": what was paid for is the
            # subject, and the best record says it (the LSCB commissioned counselling).
            return False
        others = [t for t in parsed.topic_words if money not in t.lower().split()]
        matched = [t for t in others if t in best.covered]
        return not (
            len(matched) >= MONEY_ASIDE_TOPICS
            and len(matched) >= 0.75 * len(others)
            and best.lexical >= MIN_SCORE
        )
    return True


def gives_the_name(c: Candidate, question: str, places: frozenset[str]) -> bool:
    """Does a record give the name asked for: it names someone, and where a role is
    asked, holds that role ("the name of the DCS" is not the lead inspector's)?"""
    if not names_someone(c.hit, question, places):
        return False
    role = role_asked(question)
    return role is None or c.covers_word(role) or role in c.hit.quote.lower()


_SHARING_WORDS = frozenset(["joint", "jointly", "shared", "share", "shares", "together"])


def sharing_is_no_topic(
    parsed: ParsedQuery, problems: list[ScopeProblem], places: frozenset[str]
) -> ParsedQuery:
    """In "the board (the joint one with Bournemouth)", the other council and the
    sharing say which board, not what about it: they rank, but no record must hold them."""
    shared = {
        p.word.lower()
        for p in problems
        if p.reason == "other_council" and _shared_with(p.word, parsed.text, places)
    }
    if not shared:
        return parsed
    framing = shared | _SHARING_WORDS
    return replace(
        parsed,
        groups=tuple(replace(g, soft=True) if g.label in framing else g for g in parsed.groups),
    )


# Paying for something, as a verb: what follows is what was paid for.
_PAYING = frozenset(["fund", "funds", "funded", "pay", "pays", "paid", "spend", "spends", "spent"])


def _helped_with(money: str, text: str) -> bool:
    """Is the money word what someone is helped with ("help me with uni costs",
    "support with the cost of driving lessons")?"""
    return bool(
        re.search(
            rf"\b(?:help|helps|helped|helping|support|supported|supporting|assist|assistance)"
            rf"(?: \w+){{0,3}} with (?:the |my |their |his |her |our |some |any )?(?:\w+ )?"
            rf"{re.escape(money)}\b",
            text.lower(),
        )
    )


def _paid_for(money: str, text: str) -> list[str]:
    """The words naming what a money verb paid for ("fund counselling" -> counselling;
    "paid for a recruitment firm" -> recruitment, firm); none after a noun ("the early
    help budget") or a verb with no object ("how are social workers paid")."""
    if money not in _PAYING:
        return []
    if re.search(
        rf"\b(?:the|their|his|her|its|our|my|what's|whats|what’s) {re.escape(money)}\b",
        text.lower(),
    ):
        return []  # "what's the pay for an IRO": the pay itself, a noun, not what was paid for
    match = re.search(
        rf"\b{re.escape(money)}\b(?: for| on| towards)?(?: (?:a|an|the|some|any|more|extra))?"
        r" ([a-z'’-]+)(?: ([a-z'’-]+))?",
        text.lower(),
    )
    if not match:
        return []
    words = [w for w in match.groups() if w and w not in FILLER and len(w) > 2]
    # "Spend money on the EDT" names no object: money is what it is about.
    return [] if not words or words[0] in MONEY_WORDS else words[:1]


def _shared_with(other: str, text: str, places: frozenset[str]) -> bool:
    """Does a question speak of something the council shares with another ("the joint
    one with Bournemouth", "the Bournemouth and Poole board")?"""
    other = re.escape(other)
    joint = rf"\b(?:joint|jointly|shared|share|shares|together|partnership)\b(?:\W+\w+){{0,4}}?\W+{other}\b"
    if re.search(joint, text, re.I):
        return True
    return any(
        re.search(rf"\b(?:{other} and {re.escape(p)}|{re.escape(p)} and {other})\b", text, re.I)
        for p in places
    )


def _names_what_the_sources_say(name: str, best: Candidate, places: frozenset[str]) -> bool:
    """Is a supposed school's name made of words the best record holds, and does that
    record answer the question ("England average EAL primary" is a figure, not a
    school)? A real school's name ("Hamworthy Primary") is not in the sources."""
    if best.coverage < STRONG_COVERAGE or best.lexical < MIN_SCORE:
        return False
    words = [w for w in tokenize(name) if w not in FILLER and w not in places]
    # A place and a kind ("Poole High School") is a school's name, whatever is covered.
    named = [w for w in words if w not in SCHOOL_WORDS and w not in PROVIDER_KIND_WORDS]
    return bool(named) and all(best.covers_word(w) for w in words)

"""What a term of the field means: "what does MASH stand for", "whats the PLO".

The reports use acronyms their readers already know; a councillor or a care leaver
often does not. The glossary (knowledge/glossary.yaml) says what each stands for and,
in a curated note, what it is. A question asking only that is answered with both,
labelled as the glossary's words, never Ofsted's, and then with the reports' own
words: the records that spell the term out first. Pure functions over the glossary
the index was built with; bot/answers/pipeline.py does the searching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..search.focus import message_focus
from ..search.hits import Hit
from ..search.query import strip_slack_markup

_THE = r"(?:a |an |the |this |that )?(?:acronym |abbreviation |letters |initials |term |phrase )?"
# "What does MASH stand for", "what's an IRO mean", "meaning of SGO".
_ASKS_WHAT_IT_MEANS = (
    re.compile(
        rf"^(?:what|wat|whats|what's|what’s)(?: is| are| does| do|s)? {_THE}(?P<term>.+?) "
        r"(?:stand for|stands for|mean|means|short for|refer to|refers to)(?: exactly)?"
        r"(?P<tail> .*)?$"
    ),
    re.compile(
        rf"^(?:define|definition of|meaning of|explain|expand) {_THE}(?P<term>.+?)(?P<tail> .*)?$"
    ),
    # "CSE acronym", "CDOP stands for?", "PLO short for what".
    re.compile(
        rf"^{_THE}(?P<term>.+?) (?:meaning|definition|acronym|abbreviation|stands for|stand for"
        r"|is short for|short for)(?: what)?(?P<tail>)$"
    ),
    # "What is an IRO", "whats the PLO they keep mentioning": only for an acronym,
    # and only when anything after it says who uses it, not what about it is asked
    # ("what is the MASH doing about referrals" is a question about the MASH).
    re.compile(
        rf"^(?:what|wat|whats|what's|what’s)(?: is| are|s)? {_THE}(?P<acronym>[a-z]{{2,6}}s?)"
        r"(?P<tail> (?:they|people|everyone|inspectors|ofsted|the report|the reports|you|in the|"
        r"what|it)\b.*)?$"
    ),
)
# Words a question may end on without asking anything more ("in the report").
_TAIL = re.compile(
    r"^(?: (?:in|on|from) (?:the |this |that |ofsted'?s? )?(?:report|reports|letter|inspection)"
    r"| (?:in|on|from) (?:the |this |that )?(?:[\w'’-]+ ){0,3}?(?:section|part|chapter|bit|"
    r"paragraph|page|summary)"
    r"| in (?:plain|simple|normal|everyday) (?:english|words|terms|language)| please| again"
    r"| (?:they|people|everyone|inspectors|ofsted|you|it|the report|the reports|the letter)"
    r" (?:keep |keeps |kept |always )?(?:mention|mentions|mentioning|mentioned|say|says|saying|"
    r"said|use|uses|using|used|talk about|talks about|talking about|refer to|refers to)"
    r"(?: it| this| that| them)?(?: in the report| all the time| a lot)?"
    # "Whats an IRO? what's their role?": what it is, asked twice.
    r"| what(?: is|s|'s|’s)? (?:its|their|his|her|the) (?:role|job|purpose|function)"
    r"| what (?:do|does) (?:they|it|he|she) do)?$"
)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w'’ -]+", " ", text.lower()).split())


def defined_term(text: str, glossary: Iterable[dict]) -> dict | None:
    """The glossary entry a question asks the meaning of, or None when it asks more.
    In a message that says more than its question ("sorry, newbie question while I
    read the recs: what does PLO mean?"), the question is what is read."""
    text = strip_slack_markup(text)
    focus = message_focus(text)
    for asked in (text, focus.question) if focus else (text,):
        plain = _plain(asked)
        for pattern in _ASKS_WHAT_IT_MEANS:
            match = pattern.match(plain)
            if not match or not _TAIL.match(match.group("tail") or ""):
                continue
            named = match.groupdict().get("term") or match.group("acronym")
            entry = _entry_named(named, glossary, acronym_only=not match.groupdict().get("term"))
            if entry:
                return entry
    return None


def _entry_named(named: str, glossary: Iterable[dict], *, acronym_only: bool) -> dict | None:
    named = named.strip(" '’")
    for entry in glossary:
        term = entry["term"]
        if acronym_only and not (term.isupper() and len(term) <= 6):
            continue
        forms = [term, *entry.get("expansions", []), *entry.get("synonyms", [])]
        plain_forms = {_plain(f) for f in forms}
        if named in plain_forms or (named.endswith("s") and named[:-1] in plain_forms):
            return entry
    return None


def definition_note(entry: dict) -> str:
    """The glossary's words, said to be the glossary's: what the term stands for and is."""
    term = entry["term"]
    expansions = entry.get("expansions") or []
    said = f"{term} stands for {expansions[0]}." if expansions else f"{term}:"
    note = (entry.get("note") or "").strip()
    return f"{said} {note} (inspection-bot's glossary; the reports' own words follow.)".replace(
        "  ", " "
    )


def spelled_out_first(hits: Iterable[Hit], entry: dict) -> list[Hit]:
    """The records whose quote spells the term out first: they show what it means in
    the reports' own words. Otherwise in the order found."""
    expansions = [e.lower() for e in entry.get("expansions", [])]
    return sorted(hits, key=lambda hit: not any(e in hit.quote.lower() for e in expansions))

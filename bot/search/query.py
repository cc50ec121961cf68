"""Query understanding: user text in, a structured query out. Pure; no index needed.

User text is never handed to Whoosh's query language: its wildcards (`?`, `*`),
fields (`x:`), ranges and bare NOT are traps in a question like "is the MASH
coping?". Instead the text is reduced to words, phrases and typed filters, and
search builds Whoosh query objects from those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from whoosh.lang.porter import stem as porter_stem

from ..limits import MAX_QUESTION_CHARS
from .focus import Focus, message_focus
from .spelling import english_words
from .textspeak import spell_out
from .vocabulary import (
    ASKED_NUMBER,
    COMPARISON_CUES,
    COMPARISON_FRAME_WORDS,
    DOMAIN_WORDS,
    EVALUATIVE_WORDS,
    FIGURE_CUES,
    FIGURE_FRAME_WORDS,
    FILLER,
    GRADE_FRAME_WORDS,
    GRADE_ORDER,
    GRADE_SUPERLATIVE,
    JUDGEMENT_CUES,
    LETTER_WORDS,
    PHRASAL_FILLER,
    POINTS_IN_TIME,
    PRESS_WORDS,
    RATE_AS_VERB,
    RATE_VERB,
    RECOMMENDATION_CUES,
    RECOMMENDATION_FRAME_WORDS,
    RESULT_NOUNS,
    SAY_WORDS,
    STEM_EXCEPTIONS,
    STRENGTH_CUES,
    WEAKNESS_CUES,
    WHICH_AREAS,
)

MAX_QUERY_CHARS = MAX_QUESTION_CHARS  # beyond this, text is ignored (bot/limits.py)
MAX_GROUPS = 24
INTENTS = ("finding", "judgement", "figure", "recommendation", "comparison")
KINDS = {
    "finding": "finding",
    "findings": "finding",
    "judgement": "judgement",
    "judgements": "judgement",
    "judgment": "judgement",
    "grade": "judgement",
    "grades": "judgement",
    "figure": "figure",
    "figures": "figure",
    "number": "figure",
    "numbers": "figure",
    "recommendation": "recommendation",
    "recommendations": "recommendation",
    "passage": "passage",
    "passages": "passage",
    "history": "history",
}

_SLACK_MARKUP = re.compile(r"<[@#!][^>]*>|<(?:https?|mailto):[^>|]*(?:\|([^>]*))?>")
_FILTER = re.compile(r"(?<![\w])(year|report|theme|kind)\s*:\s*(\"[^\"]*\"|[^\s\"]+)", re.I)
_PHRASE = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    report: str | None = None
    theme: str | None = None
    kind: str | None = None

    def any(self) -> bool:
        return any((self.year, self.report, self.theme, self.kind))


@dataclass(frozen=True)
class TermGroup:
    """One thing the user asked about, and every way the sources may say it.

    Each alternative is a sequence of words: one word is a term, several a phrase.
    """

    label: str
    alternatives: tuple[tuple[str, ...], ...]
    kind: str = "word"  # word | phrase | glossary
    soft: bool = False  # helps rank, but a record need not contain it to answer


@dataclass(frozen=True)
class ParsedQuery:
    original: str
    text: str  # the cleaned text the groups came from
    groups: tuple[TermGroup, ...]
    filters: Filters
    intent: str
    years: tuple[int, ...] = ()  # years named in the text itself
    cue_words: tuple[str, ...] = field(default=())  # words that set the intent
    cues: tuple[str, ...] = ()  # the cues themselves, as matched ("any good", "rated")
    # What the wording prefers among equally good records: press, letter,
    # statement, strength, weakness.
    prefer: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not any(not g.soft for g in self.groups)

    @property
    def topic_words(self) -> list[str]:
        return [g.label for g in self.groups if not g.soft]


@dataclass(frozen=True)
class GlossaryForms:
    """Glossary entries as word sequences, matched on their stems ("kids" = "kid")."""

    entries: tuple[tuple[tuple[str, ...], ...], ...]
    case_sensitive: frozenset[str] = frozenset()
    # First stem -> (stemmed form, entry) pairs starting with it, longest form first.
    by_first_stem: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def build(cls, terms: Iterable[dict]) -> GlossaryForms:
        terms = list(terms)
        entries = []
        for term in terms:
            forms = [term["term"], *term.get("expansions", []), *term.get("synonyms", [])]
            normalised = tuple(dict.fromkeys(tuple(tokenize(f)) for f in forms if tokenize(f)))
            if normalised:
                entries.append(normalised)
        by_first: dict[str, list] = {}
        for entry in entries:
            for form in entry:
                stems = tuple(stem(w) for w in form)
                by_first.setdefault(stems[0], []).append((stems, entry))
        for pairs in by_first.values():
            pairs.sort(key=lambda pair: -len(pair[0]))
        return cls(tuple(entries), _capitalised_words(terms), by_first)


def _capitalised_words(terms: Iterable[dict]) -> frozenset[str]:
    """Terms that are also everyday words ("Prevent") match only when capitalised."""
    return frozenset(
        t["term"].lower()
        for t in terms
        if t["term"][:1].isupper() and t["term"][1:].islower() and " " not in t["term"]
    )


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Porter's stem, except where it makes one word of two the reports tell apart:
    "minors" are children, "minority" ethnic groups are not; "community" is not
    "communication". Index and questions share this function."""
    return STEM_EXCEPTIONS.get(word) or porter_stem(word)


def tokenize(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return [w.replace("'s", "").replace("'", "") for w in _WORD.findall(text)]


def padded_words(text: str) -> str:
    """The text's words with a space either side, to look up cues (" rated good ")."""
    return f" {' '.join(tokenize(text))} "


def strip_slack_markup(text: str) -> str:
    """Remove mentions and broadcasts; keep a link's label. They are never search terms."""
    return _SLACK_MARKUP.sub(lambda m: f" {m.group(1) or ''} ", text)


def _extract_filters(text: str, theme_ids: Iterable[str]) -> tuple[str, Filters]:
    found: dict[str, str] = {}

    def take(match: re.Match) -> str:
        found[match.group(1).lower()] = match.group(2).strip('"').strip()
        return " "

    text = _FILTER.sub(take, text)
    year = found.get("year")
    theme = (found.get("theme") or "").lower().replace(" ", "-") or None
    themes = set(theme_ids)
    if theme and theme not in themes:
        theme = next((t for t in sorted(themes) if theme in t), None)
    return text, Filters(
        year=int(year) if year and year.isdigit() and len(year) == 4 else None,
        report=(found.get("report") or None),
        theme=theme,
        kind=KINDS.get((found.get("kind") or "").lower()),
    )


def _match_glossary(
    tokens: list[str],
    raw_tokens: list[str],
    glossary: GlossaryForms,
    blocked: frozenset[int] = frozenset(),
) -> tuple[list[TermGroup], set[int]]:
    """Find glossary forms in the tokens, longest first; each becomes one group.
    `blocked` tokens set the intent ("any cop", "judged"): they are not a topic."""
    groups: list[TermGroup] = []
    used: set[int] = set(blocked)
    stems = [stem(t) for t in tokens]
    # Leftmost-longest: at each word, the longest form that starts there.
    for start in range(len(tokens)):
        if start in used:
            continue
        for form, entry in glossary.by_first_stem.get(stems[start], ()):
            n = len(form)
            span = set(range(start, start + n))
            if span & used or tuple(stems[start : start + n]) != form:
                continue
            word = tokens[start]
            if n == 1 and word in glossary.case_sensitive and not raw_tokens[start][:1].isupper():
                continue
            used |= span
            # "watchdog" is Ofsted: a word every source shares, so it only helps rank.
            soft = any(len(f) == 1 and f[0] in DOMAIN_WORDS for f in entry)
            groups.append(TermGroup(" ".join(tokens[start : start + n]), entry, "glossary", soft))
            break
    return groups, used


def _cue_positions(tokens: list[str], cues: Iterable[str]) -> frozenset[int]:
    """The positions of the tokens that spell the cues."""
    positions: set[int] = set()
    for cue in cues:
        words = cue.split()
        for start in range(len(tokens) - len(words) + 1):
            if tokens[start : start + len(words)] == words:
                positions.update(range(start, start + len(words)))
    return frozenset(positions)


def _cues_in(joined: str, cues: Iterable[str]) -> tuple[str, ...]:
    return tuple(c for c in cues if f" {c} " in joined)


_LOCAL_PRESS = re.compile(r" local (?:paper|papers|press|newspaper|newspapers|news|media|rag) ")


def _press_speaks(tokens: list[str]) -> bool:
    """ "What did the paper say": what the article reported, not the statements it
    quotes (those are what people said)."""
    return any(
        word in SAY_WORDS and any(t in PRESS_WORDS for t in tokens[max(0, i - 2) : i])
        for i, word in enumerate(tokens)
    )


def _preferences(tokens: list[str]) -> tuple[frozenset[str], set[str]]:
    """What the wording prefers, and the words that said so (not search terms)."""
    joined = " " + " ".join(tokens) + " "
    words = set(tokens)
    prefer: set[str] = set()
    used: set[str] = set()
    for name, vocabulary in (("press", PRESS_WORDS), ("letter", LETTER_WORDS)):
        if words & vocabulary:
            prefer.add(name)
            used |= words & vocabulary
    if "press" in prefer and _LOCAL_PRESS.search(joined):
        used.add("local")  # "the local paper": which paper, not a topic
    if words & SAY_WORDS and not _press_speaks(tokens):
        prefer.add("statement")
    for name, cues in (("strength", STRENGTH_CUES), ("weakness", WEAKNESS_CUES)):
        found = _cues_in(joined, cues)
        if found:
            prefer.add(name)
            used |= {w for cue in found for w in cue.split()}
    return frozenset(prefer), used


# Two years set against each other ("2010 and 2017", "2019 vs 2022"): a comparison,
# whichever years the reports cover.
_YEAR_PAIR = re.compile(r"\b((?:19|20)\d\d) (?:and|to|vs|v|versus|against) ((?:19|20)\d\d)\b")


_TO_DO = re.compile(r"\bto-dos?\b", re.I)
# "Asked for" is a recommendation when the inspectors (or an unnamed "they") ask.
_ASKED_FOR = frozenset(["ask for", "asked for", "asks for"])
_OFSTED_ASKS = re.compile(
    r" (?:ofsted|inspectors?|inspection|report|watchdog|they|it|hmi|hmis)(?: \w+)? "
    r"(?:ask|asked|asks) for "
)
# "What do inspectors want written down", "what did the inspectorate ask of that
# switch", "what's been asked so children aren't left in limbo": what Ofsted wants.
_INSPECTORS_WANT = re.compile(
    r" (?:ofsted|inspectors?|inspectorate|inspection|watchdog|regulator|hmi|hmis)(?: \w+)? "
    r"(?:(?P<verb>want|wants|wanted|require|requires|required|expect|expects|expected|demand|"
    r"demands|demanded|urge|urges|urged) (?!to (?:know|see|speak|talk|hear|meet|find|look) )"
    # Asking of the council, not asking children what they think.
    r"|(?P<asked>ask|asks|asked) (?=of |for ))"
)
_BEEN_ASKED = re.compile(r" been (asked|required|requested|recommended) ")
# "What action is required on the EDT", "any improvements needed", "CP work, anything
# required?": what must be done, asked of the thing rather than of Ofsted.
_ACTION_NEEDED = re.compile(
    r" (?:action|actions|anything|improvement|improvements|change|changes)"
    r"(?: is| are| was| were| still)? (required|needed|necessary) "
)
# "What did Ofsted tell the LSCB to do", "asked the council to improve": whoever is told.
_TOLD_TO = re.compile(
    r" (?:(?:tell|tells|told|telling|ask|asks|asked|want|wants|wanted|expect|expects|expected) "
    r"(?:\w+ ){1,4}?|(?:were|was|been|being|are|is)(?: \w+)? (?:told|asked|expected|instructed|required) )"
    r"to (?:do|change|improve|fix|sort|work|make|put|stop|start|get) "
    # Ofsted telling anyone to do anything: "did ofsted tell the council to brief carers".
    r"| (?:ofsted|ofsteds|inspectors?|hmi|hmis|the report|the inspection) (?:\w+ )?(?:tell|tells|"
    r"told|urge|urges|urged|instruct|instructs|instructed|order|orders|ordered|direct|directed) "
    r"(?:\w+ ){1,4}?to \w+ "
)
# "Poole's rate against the national average": which figure to set a number against.
NATIONAL_WORDS = frozenset(["national", "nationally", "england", "englands", "average", "averages"])
_AGAINST_NATIONAL = re.compile(rf" (?:{'|'.join(sorted(NATIONAL_WORDS))}) ")
# "Has it gone up since March": a change within one report's figures (a count now
# and in March), not one inspection set against another.
_SINCE_WITHIN_A_YEAR = re.compile(
    r" since (?:the (?:start|end|beginning) of )?(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|last month|the spring|the summer|the autumn|"
    r"the winter|the start of the year) (?!(?:19|20)\d\d )"
)


# Recommendations named as things (not "should", "told to"), and acting on them.
_NAMED_AS_A_THING = frozenset(
    [
        "rec",
        "recs",
        "recommendation",
        "recommendations",
        "to do",
        "to do list",
        "to do items",
        "actions",
        "action points",
    ]
)
_ACTED_ON = re.compile(
    r" (?:did|have|has|had|were|was|been)(?: \w+){0,5} (?:deal with|dealt with|act on|"
    r"acted on|acted upon|respond to|responded to|address|addressed|implement|implemented|"
    r"follow through|followed through|follow up|followed up|complete|completed|tackle|tackled) "
)
_FIX = frozenset(["fix", "fixes"])
_DID_IT_FIX = re.compile(r" (?:did|does|do|has|have|had)(?: \w+){0,4} fix ")
_RATIO_ASKED = dict(ASKED_NUMBER)["ratio"]
_COUNT_ASKED = re.compile("|".join(dict(ASKED_NUMBER)[k].pattern for k in ("count", "share")))
_STILL = frozenset(["still"])
_HOW_MANY_OF = re.compile(r"\bhow many (\w+)")


# A grade named in words: any of Ofsted's grades, "requiring improvement" too.
_A_GRADE = "|".join([*GRADE_ORDER, "requiring improvement"])
# "Which areas got good": a grade named, the areas that got it listed.
_WHICH_GOT_A_GRADE = re.compile(
    WHICH_AREAS.pattern.rstrip(" ") + rf" (?:\w+ ){{0,3}}?(?:{_A_GRADE}) "
)
# "Judge" as what inspectors do to an area ("did Ofsted judge anything inadequate",
# "which areas did they judge good"), not the court's judge.
_JUDGE_AS = re.compile(
    r" (?:did|do|does|would|will) (?:ofsted|inspectors?|they|the (?:\w+ )?(?:report|inspection))"
    rf" judge | judge (?:\w+ ){{0,3}}?(?:as )?(?:{_A_GRADE}) "
)
# How the council came out of an inspection, asked without a grade word: "how did we do
# overall", "how did Poole fare in the inspection", "how did the board come out of its
# review". ("How did care leavers do" asks about their lives, not a grade.)
_HOW_IT_CAME_OUT = re.compile(
    r" how (?:did|do|does|has|have|had|well did) (?:\w+ ){1,3}?(?:do|done|fare|fared|get on|got on|"
    r"come out|came out|perform|performed)"
    r"(?: (?:\w+ ){0,2}?overall| (?:in|at|from|of|out of|with) (?:the|its|their|that|this|our|"
    r"ofsted'?s?|the last|the latest|the 20\d\d) ?(?:\w+ )?(?:inspection|review|visit|ofsted|verdict|"
    r"report))"
)


# "Pass" as a grade ("did Poole pass", "pass or fail", "passed the inspection"), not
# as a thing ("a swim pass", "a discount pass for gyms") or a handing on ("information was passed on").
_PASS_GRADE = re.compile(
    r" (?:did|does|do|will|would|to|just|barely|scrape|scraped|get|got|it|they|we|has|"
    r"have|had|was|were|could|can) (?:\w+ )?pass(?:ed)? (?!on |to |between |over |back |around |"
    r"along |through )"
    r"| pass(?:ed)? (?:or fail|the inspection|its inspection|their inspection|ofsted|inspection|"
    r"muster|with)\b"
)


# An earlier inspection and a later one named in words, not years.
_LOOK = r"(?:\w+ ){0,2}?(?:letter|visit|inspection|report|look|trip|verdict|one)"
_EARLIER_LOOK = re.compile(
    rf" (?:old|older|earlier|earliest|first|previous|prior|former) {_LOOK} "
    r"| back then | (?:unannounced|surprise) visit | hmi letter "
)
_LATER_LOOK = re.compile(
    rf" (?:latest|newest|current|most recent|recent|later|full) {_LOOK} "
    r"| (?:now|nowadays|today|these days|currently) "
)


def _intent(tokens: list[str], text: str, filters: Filters) -> tuple[str, tuple[str, ...]]:
    if filters.kind in INTENTS:
        return filters.kind, ()
    joined = " " + " ".join(tokens) + " "
    pair = _YEAR_PAIR.search(joined)
    if pair and pair.group(1) != pair.group(2):
        return "comparison", (*_cues_in(joined, COMPARISON_CUES), pair.group(0))
    named_year = _YEAR.search(joined)
    national = _AGAINST_NATIONAL.search(joined) and not named_year
    told = _TOLD_TO.search(joined)
    pointed: tuple[str, ...] = ()
    for intent, cues in (
        ("comparison", COMPARISON_CUES),
        ("recommendation", RECOMMENDATION_CUES),
        ("figure", FIGURE_CUES),
        ("judgement", JUDGEMENT_CUES),
    ):
        hit = _cues_in(joined, cues)
        if intent == "figure":
            if RATE_AS_VERB.search(joined) or RATE_VERB.search(joined):
                hit = tuple(c for c in hit if c != "rate")
            if " count as " in joined:
                hit = tuple(c for c in hit if c != "count")  # regarded as, not a number
            if "%" in text:
                hit = hit + ("%",)
            if _RATIO_ASKED.search(text.lower()):
                hit = hit + ("per",)  # "the average caseload per social worker": a number
        if intent == "recommendation" and set(hit) & _ASKED_FOR and not _OFSTED_ASKS.search(joined):
            # "What social care asked for" is not what Ofsted asked the council for.
            hit = tuple(c for c in hit if c not in _ASKED_FOR)
        if intent == "recommendation" and set(hit) <= _FIX and _DID_IT_FIX.search(joined):
            # "Did the board actually fix the big problems": whether it was put right,
            # a finding, not what they were told to put right.
            hit = ()
        if intent == "recommendation" and _TO_DO.search(text):
            hit = (*hit, "to do")  # "the to-do items": a list of things to do
        if (
            intent == "recommendation"
            and set(hit) <= _NAMED_AS_A_THING
            and _ACTED_ON.search(joined)
        ):
            # "Did the DCS deal with the to-dos from the previous round", "have the
            # recommendations been implemented": whether they were acted on, a finding.
            hit = ()
        if intent == "recommendation" and not hit and told:
            hit = (told.group(0).split()[0],)
        if intent == "recommendation" and not hit:
            wanted = (
                _INSPECTORS_WANT.search(joined)
                or _BEEN_ASKED.search(joined)
                or _ACTION_NEEDED.search(joined)
            )
            hit = (next(g for g in wanted.groups() if g),) if wanted else ()
        if (
            intent == "judgement"
            and set(hit) <= {"pass", "passed"}
            and not _PASS_GRADE.search(joined)
        ):
            hit = ()
        if intent == "judgement" and not hit and _HOW_IT_CAME_OUT.search(joined):
            hit = ("how did it do",)
        if intent == "judgement" and not hit and _WHICH_GOT_A_GRADE.search(joined):
            hit = ("which areas",)  # "which areas got good": a grade named, areas listed
        if intent == "judgement" and _JUDGE_AS.search(joined):
            hit = (*hit, "judge")  # "which areas did Ofsted judge good": the verb of grading
        if intent == "judgement":
            if RATE_AS_VERB.search(joined):
                hit = (*hit, "rate")
            superlative = GRADE_SUPERLATIVE.search(joined)
            if superlative:
                hit = (*hit, superlative.group(0).strip())
        if intent == "comparison" and hit and national:
            # "Free school meals, Poole vs national": the local figure set against the
            # country's, not one inspection against another.
            continue
        if intent == "comparison" and _SINCE_WITHIN_A_YEAR.search(joined) and not named_year:
            hit = ()
        if (
            intent == "comparison"
            and set(hit) <= _STILL
            and not named_year
            and _COUNT_ASKED.search(text.lower())
        ):
            # "How many kids were still waiting for a family": those waiting then, a
            # number at one time, not a problem set against an earlier inspection.
            hit = ()
        asked_for = told or _INSPECTORS_WANT.search(joined)
        if intent == "comparison" and asked_for and not named_year:
            # "Did they tell staff to get better at ...", "did inspectors want better
            # fallback plans": what they were told to do, where "better" is the change
            # asked for, not two inspections compared.
            hit = tuple(c for c in hit if f" {c} " not in joined[asked_for.end() - 1 :])
        if intent == "comparison" and hit and set(hit) <= POINTS_IN_TIME:
            # "How were they judged back in 2011": a time, not two set side by side;
            # if another intent's cues are there, they say what is asked.
            pointed = hit
            continue
        if hit:
            return intent, hit
    if pointed:
        return "comparison", pointed
    years = set(_YEAR.findall(joined))
    if len(years) >= 2:
        # "Fine in 2010 - so what went wrong by 2017?": two inspections set side by side.
        return "comparison", tuple(sorted(years))
    earlier, later = _EARLIER_LOOK.search(joined), _LATER_LOOK.search(joined)
    if earlier and later:
        # "Praised in the old HMI letter - how does that square with the latest
        # report?": an earlier look and a later one, set side by side in words.
        return "comparison", (earlier.group(0).strip(), later.group(0).strip())
    return "finding", ()


def _names_a_topic(text: str, place_words: frozenset[str]) -> bool:
    return any(
        w not in FILLER and w not in DOMAIN_WORDS and w not in place_words for w in tokenize(text)
    )


def _context_softened(groups: list[TermGroup], focus: Focus) -> list[TermGroup]:
    """Words only the context around a message's question holds ("I sit on the MASH
    steering group - quick one: what did the report say about police referrals?") help
    rank, but a record need not contain them; unless the question has no topic of its
    own ("what did it get?"), when the context says what it is about."""
    asked = set(tokenize(focus.question))
    softened = [
        replace(g, soft=True) if not g.soft and not asked & set(g.label.split()) else g
        for g in groups
    ]
    return softened if any(not g.soft for g in softened) else groups


def _frames(intent: str, word: str) -> bool:
    """Does the word frame a question of this intent without being its topic?"""
    return (
        (intent == "judgement" and word in EVALUATIVE_WORDS | GRADE_FRAME_WORDS)
        or (intent == "recommendation" and word in RECOMMENDATION_FRAME_WORDS)
        or (intent == "figure" and word in FIGURE_FRAME_WORDS)
        # "Poole's rate against the national average": which figure to set it
        # against, not what is counted (an EAL national average is no CP-plan rate).
        or (intent == "figure" and word in NATIONAL_WORDS)
    )


# What a question is for, not about: "need it for the board pack on Thursday",
# "it's for a briefing note", "thanks in advance".
_ASIDE = re.compile(
    r"(?:^|(?<=[.!?,;:–—-]))\s*(?:i |we )?(?:need|needed|want|wanted) (?:it|this|them|that|these) "
    r"(?:for|by)\b[^.!?]*"
    r"|(?:^|(?<=[.!?,;:–—-]))\s*(?:it's|its|it’s|this is|it is) for (?:a|an|the|my|our)\b[^.!?]*"
    # What the question is for, before it: "ahead of scrutiny committee on Monday,",
    # "for the board paper on Thursday:", "prepping for the named GPs meeting -". Only
    # an occasion ending in a separator; "for the paper on adoption, ..." keeps its topic.
    r"|^\s*(?:ahead of|prepping for|prepping|preparing for|in advance of|getting ready for|for)"
    r" (?:(?:the|my|our|a|an|this|next|tomorrow'?s|today'?s|\w+day'?s) )?(?:[\w'’-]+ ){0,3}?"
    r"(?:meeting|meetings|committee|board|paper|briefing|session|panel|presentation|hearing|"
    r"piece|article|story|pack|call|scrutiny)"
    r"(?: (?:on|next|this|tomorrow|tonight|today)(?: (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|week|morning|afternoon|evening))?)?\s*[,:;–—-]"
    # "Is that a known problem": asks whether the reports found it, which every
    # question does.
    r"|\b(?:is|was|are|were) (?:that|this|it|these|those) (?:a |an )?(?:known|common|recognised|"
    r"recognized|widespread|general) (?:problem|problems|issue|issues|thing|things)\b"
    # A claim to check, at its end: "someone told me we got inadequate - true?" ("still
    # true?" asks whether it still holds, and stays).
    r"|(?<!still )\b(?:(?:is|was) (?:that|this|it) )?(?:true|right|correct)(?: or (?:not|false))?"
    r"\s*\?+\s*$"
    # Who passed the claim on: "a colleague told me (that) ...", "someone said so at the
    # residents' meeting". The claim itself stays.
    r"|^\s*(?:a |my |our |one of (?:my|our) )?(?:colleague|colleagues|friend|friends|someone|somebody|"
    r"manager|boss|councillor|journalist|neighbour|parent|people|everyone|they)"
    r" (?:told me|told us|said|says|mentioned|reckons|reckoned|claims|claimed|keeps saying)"
    r"(?: that)?\b"
    r"|\b(?:someone|somebody|people|a colleague|a friend|they|he|she|it was) (?:said|told me|"
    r"mentioned|claimed|reckoned) so\b[^.!?]*"
    # The order a list is wanted in: "oldest first", "in date order".
    r"|\b(?:oldest|newest|earliest|latest|most recent) first\b"
    r"|\bin (?:date |chronological |time )?order\b|\bchronologically\b"
    # Discourse markers: "on the flip side", "by the way".
    r"|\b(?:on the (?:flip|other) (?:side|hand)|by the way|btw|fwiw|for what it'?s worth)\b"
    r"|\b(?:thanks|thank you|cheers|ta|many thanks)(?: (?:in advance|a lot|so much|very much))?[.!]*\s*$"
    # How long an answer should be: "in short", "in a couple of lines pls".
    r"|\b(?:in short|in brief|briefly|in a nutshell|tl;? ?dr"
    r"|in (?:a|one|two|three|a couple of|a few) (?:lines?|words?|sentences?|bullets?))\b"
    # What the answer is for: "give me a line for the paper on ...".
    r"|\b(?:give me|i need|need|want|can i have|can you give me|draft|write)"
    r" (?:a|one|some|two|a couple of)(?: good| quick| short)?"
    r" (?:line|lines|sentence|sentences|quote|paragraph|summary|soundbite)"
    r" (?:for|in) (?:the|my|our|a|an)(?: board)? (?:paper|pack|briefing|newsletter|press release"
    r"|story|article|agenda|report)\b(?: (?:on|about))?",
    re.I,
)


_RAW_WORD = r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?"


def parse_query(
    text: str,
    *,
    glossary: GlossaryForms | None = None,
    theme_ids: Iterable[str] = (),
    place_words: frozenset[str] = frozenset(),
) -> ParsedQuery:
    """Turn what a user typed into groups of terms, filters and an intent.
    `place_words` name the councils the reports are about: like "ofsted", they help
    rank but are not a topic a record must contain ("poole's adoption" is "adoption")."""
    original = text or ""
    text = strip_slack_markup(original[:MAX_QUERY_CHARS])
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = spell_out(text, lambda word: word in english_words())
    text, filters = _extract_filters(text, theme_ids)
    text = _ASIDE.sub(" ", text)
    focus = message_focus(text)

    phrases = [tokenize(p) for p in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text)
    raw_tokens = [w for w in re.findall(_RAW_WORD, rest)]
    tokens = tokenize(" ".join(raw_tokens))
    intent, cues = _intent(tokens, rest, filters)
    if focus is not None and _names_a_topic(focus.question, place_words):
        # What the question asks, not the context ("still finding my feet - what does
        # CSE stand for?" asks a definition, not a change since an inspection); unless
        # the context says what it is about ("... I need Poole's rate against the
        # England average. What does the report give?").
        asked = _PHRASE.sub(" ", focus.question)
        intent, cues = _intent(tokenize(" ".join(re.findall(_RAW_WORD, asked))), asked, filters)
    years = tuple(sorted({int(y) for y in _YEAR.findall(text)}))

    groups: list[TermGroup] = [TermGroup(" ".join(p), (tuple(p),), "phrase") for p in phrases if p]
    glossary_groups, used = _match_glossary(
        tokens, raw_tokens, glossary or GlossaryForms(()), _cue_positions(tokens, cues)
    )
    groups += glossary_groups
    prefer, preference_words = _preferences(tokens)
    if intent == "judgement" and prefer & {"strength", "weakness"} and set(cues) <= RESULT_NOUNS:
        intent, cues = "finding", ()
    if intent == "comparison" and "letter" in prefer:
        # "As good as the 2010 letter made out": which inspection, not a preference
        # for the letter over the report it is compared with.
        prefer = prefer - {"letter"}
    cue_words = {w for cue in cues for w in cue.split()} | preference_words
    seen = {g.label for g in groups}
    for i, token in enumerate(tokens):
        if i in used or token in FILLER or token in cue_words or token in seen:
            continue
        if tuple(tokens[i : i + 2]) in PHRASAL_FILLER:
            continue  # "end up a long way from home": where, not an ending
        if _YEAR.fullmatch(token) and intent == "comparison":
            continue  # "since 2010" sets the span to compare, not a search term
        seen.add(token)
        # A year helps rank ("the 2010 letter") but is not a topic: answers narrow to it.
        soft = token in DOMAIN_WORDS or token in place_words or bool(_YEAR.fullmatch(token))
        groups.append(TermGroup(token, ((token,),), soft=soft))
    if intent == "comparison":
        # "Like it was at the 2010 unannounced visit": which inspection, not a topic.
        groups = [g for g in groups if g.label not in COMPARISON_FRAME_WORDS]
    # A word that only frames the question ("every grade, area by area"; "at the time
    # of the inspection" in a figure question, a glossary term too) ranks, but is not
    # a topic.
    groups = [replace(g, soft=True) if _frames(intent, g.label) else g for g in groups]
    if focus is not None:
        groups = _context_softened(groups, focus)
    counted = _HOW_MANY_OF.search(" ".join(tokens))
    if counted:
        # "How many HMIs turned up": what is counted is the topic, an inspector too.
        groups = [
            replace(g, soft=False) if g.soft and g.label == counted.group(1) else g for g in groups
        ]

    return ParsedQuery(
        original=original,
        text=" ".join(text.split()),
        groups=tuple(groups[:MAX_GROUPS]),
        filters=filters,
        intent=intent,
        years=years,
        cue_words=tuple(sorted(cue_words)),
        cues=tuple(cues),
        prefer=prefer,
    )

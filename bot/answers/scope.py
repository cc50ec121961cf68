"""Questions the reports cannot answer however well the words match.

The reports are about the councils they inspect. A question about another council,
a named school, pay or budgets, or a kind of inspection no report is of, must not be
answered with the reports' findings just because it shares words with them
(another council's MASH is not this one's). Which councils, kinds and years are covered
comes from the index (bot/knowledge/coverage.py), built from knowledge/, never from a
list in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..search.hits import Hit

# Words that make a question about money. The reports mention money only in passing
# ("pupil premium funding", "learn how to budget"), so such a question is answered
# only when the best record itself uses the same word and covers the rest.
MONEY_WORDS = frozenset(
    [
        "budget",
        "budgets",
        "funding",
        "funded",
        "fund",
        "funds",
        "spend",
        "spending",
        "spent",
        "cost",
        "costs",
        "costing",
        "money",
        "pay",
        "paid",
        "salary",
        "salaries",
        "wage",
        "wages",
        "pounds",
        "million",
        "millions",
        "finance",
        "finances",
        "overspend",
        "underspend",
        "savings",
        "cuts",
        "afford",
        "affordable",
        "expenditure",
        "fee",
        "fees",
        "price",
        "pays",
        "paying",
        "expensive",
        "cheap",
        "cheaper",
    ]
)

# "St Mary's Primary", "Parkstone Grammar", "Poole High School": "high" and
# "secondary" name a school only with "school" after them ("staff turnover high" is
# not a school).
_SCHOOL_NAME = re.compile(
    r"\b(?:st\.?\s+)?[a-z][a-z'’]+(?:\s+[a-z][a-z'’]+){0,3}\s+"
    r"(?:(?:primary|grammar|c\s*of\s*e|academy)\s*(?:school|academy|college)?"
    r"|(?:secondary|high|infant|infants|junior|catholic)\s+(?:school|academy|college))\b",
    re.I,
)
_NOT_A_NAME = frozenset(
    [
        "in",
        "at",
        "of",
        "the",
        "for",
        "and",
        "to",
        "a",
        "an",
        "all",
        "some",
        "most",
        "many",
        "their",
        "its",
        "our",
        "both",
        "secondary",
        "primary",
        "high",
        "junior",
        "infant",
        "local",
        "virtual",
    ]
)


@dataclass(frozen=True)
class ScopeProblem:
    reason: str  # other_council | council_comparison | school | money | unknown_year | name | contact | ...
    word: str  # the word that put the question out of scope
    message: str


_SCHOOL_KINDS = frozenset(
    ["primary", "infant", "junior", "grammar", "catholic", "academy", "secondary", "high", "c"]
)
# The words of a school's name that say what kind of school it is, not which.
SCHOOL_WORDS = _SCHOOL_KINDS | {"school", "schools", "college", "infants", "st", "of", "e"}
# The words of a provider's kind ("the children's home"): a kind, not a name the sources give.
PROVIDER_KIND_WORDS = frozenset(
    "children childrens home homes residential care nursery nurseries academy hospital".split()  # noqa: SIM905
)


def named_school(text: str, council_words: frozenset[str] = frozenset()) -> str | None:
    """A named school ("Poole High School", "St Mary's Primary"), not "primary schools"
    nor "free school meals, primary": a name does not say "school" before its type."""
    for match in _SCHOOL_NAME.finditer(text):
        words = [w.lower().strip(".") for w in match.group(0).split()]
        kind = next((i for i, w in enumerate(words) if w in _SCHOOL_KINDS), len(words))
        # The name is what follows the last word no name has in it: "how many primary
        # pupils" has none; "proportion of Poole's high school pupils" is "Poole's".
        lead = max(
            (i + 1 for i, w in enumerate(words[:kind]) if w in _NOT_A_NAME | _QUESTION_WORDS),
            default=0,
        )
        if lead >= kind or {"school", "schools"} & set(words[:kind]):
            continue
        owner = re.sub(r"['’]s$", "", words[lead])
        if owner != words[lead] and owner in council_words:
            continue  # "Poole's junior school pupils": the council's schools, not one
        after = re.match(r"[\s,]*([a-z]+)", text[match.end() :], re.I)
        if (
            words[-1] in _SCHOOL_KINDS
            and after
            and after.group(1).lower() in _KIND_DESCRIBES
            and set(words[lead:kind]) <= council_words
        ):
            continue  # "Poole primary EAL pupils": the council's primary pupils
        return " ".join(match.group(0).split()[lead:])
    return None


# What "primary" or "secondary" describes when it names no school.
_KIND_DESCRIBES = frozenset(
    """pupils pupil children kids schools age aged phase education eal fsm years year level
    stage teachers intake""".split()  # noqa: SIM905
)
_QUESTION_WORDS = frozenset(
    "how many much what which who is are was were does do did about".split()  # noqa: SIM905
)


# A grade asked of a provider, not of the council's services: "Ofsted rating of the
# nursery at Canford Heath". The council's own virtual school is a service of its own.
_PROVIDER = re.compile(
    r"\b(?<!virtual )(?:nursery|nurseries|pre-?school|playgroup|childminder|childminders|"
    r"academy|academies|college|hospital|school|schools|(?:children'?s|childrens|children’s|"
    r"residential|care) homes?)\b",
    re.I,
)

# What happened to one member of staff ("did the DCS resign", "which manager was to
# blame"): the reports judge services, not the people in them, and record no one's
# resignation, dismissal or blame. Declined unless the best record says it too.
_PERSONNEL = re.compile(
    r"\b(?:resign(?:ed|s|ing|ation)?|sack|sacks|sacked|sacking|fired|dismiss|dismissed|disciplined|"
    r"suspended|to blame|blamed|blameworthy|scapegoat(?:ed)?|culpable)\b",
    re.I,
)
# ... of one person: "the DCS", "which manager", "anyone" ("are social workers
# resigning" asks about staff turnover, which the reports cover).
_ONE_PERSON = re.compile(
    r"\b(?:the|a|any|which|one|their|its|[a-z]+['’]s) (?:\w+ )?(?:dcs|director|manager|chief executive|"
    r"head|leader|boss|chair|councillor|officer|lead member|social worker|inspector)\b"
    r"|\b(?:anyone|anybody|someone|somebody|who)\b",
    re.I,
)

# A name asked for: "what was the name of the DCS", "which college", "who is the
# chair". The reports name few people or organisations; such a question is answered
# only when the best record names one (see names_someone).
_NAME_ASKED = re.compile(
    r"\bnames? of\b|\b(?:what|whats|what's|what’s)(?: is| was| were| are)? (?:the |their |his |her |its )?names?\b"
    r"|\b(?:his|her|their|its)(?: \w+)? names?\b"
    # "Was it named", never "the named GPs" or "a named nurse": a designated role.
    r"|\bnamed\b(?! (?:\w+ )?(?:gps?|nurses?|doctors?|persons?|people|professionals?|leads?|"
    r"workers?|officers?|contacts?|practitioners?|midwi(?:fe|ves)|health visitors?)\b)"
    r"|\b(?:need|want|give me|got) (?:a|the|their|his|her) names?\b"
    r"|\bwhich (?:\w+ ){0,2}(?:college|colleges|school|schools|university|company|companies|firm|firms|"
    r"charity|charities|consultancy)\b"
    r"|\bwho (?:wrote|authored|is the author of|was the author of)\b|\b(?:which|what) (?:journalist|"
    r"reporter|writer)\b"
    # "Who was the DCS", "who was Poole's director": the holder of a role, by name.
    r"|\bwho (?:is|was|are|were) (?:the|its|their|[a-z]+['’]?s?) (?:\w+ ){0,2}(?:dcs|director|chair|"
    r"chairs|manager|head|leader|boss|chief executive|lead member|cabinet member|portfolio holder|"
    r"councillor|mayor|minister)\b",
    re.I,
)
# Words written with a capital that name no one: the sources' own titles and calendar.
_CAPITALISED_NOT_NAMES = frozenset(
    """her his their majesty majesty's majesty’s inspectors inspector ofsted hmi council
    borough board children children's children’s services service local safeguarding
    authority authorities england english government licence open national chief
    executive director lead member cabinet the a an this these those in on at for
    january february march april may june july
    august september october november december monday tuesday wednesday thursday friday
    saturday sunday""".split()  # noqa: SIM905
)
_CAPITALISED = re.compile(r"(?<![.!?:;]\s)(?<!^)(?<![.!?:;]\n)\b([A-Z][a-z][\w'’-]*)")


# A person's name is asked ("who was the DCS", "the name of the manager"): it takes
# a first name and a surname ("Joy Howick"), where an organisation's takes one word.
_ROLES = (
    r"dcs|director|chair|manager|head|leader|boss|chief executive|member|"
    r"councillor|mayor|minister|inspector|holder|officer|worker"
)
_PERSON_ASKED = re.compile(rf"\b(?:who|{_ROLES})\b", re.I)
_ROLE_ASKED = re.compile(rf"\b(?:{_ROLES})\b", re.I)


def role_asked(question: str) -> str | None:
    """The role whose holder's name is asked ("the name of the DCS"), if one is."""
    match = _ROLE_ASKED.search(question)
    return match.group(0).lower() if match else None


def names_someone(hit: Hit, question: str, places: frozenset[str] = frozenset()) -> bool:
    """Does a record name a person or an organisation the question does not already
    name: a first name and surname when a person is asked ("Lead inspector: Joy
    Howick HMI"), otherwise a capitalised word past the start of a sentence ("a
    regional adoption agency, Aspire"), in its quote or as a statement's speaker?
    `places` are the words naming the councils reported on: no answer to "what was
    their name"."""
    asked = set(re.findall(r"[a-z'’]+", question.lower()))
    text = f"{hit.quote.strip()} \n{hit.extra.get('speaker') or ''}"

    def a_name(word: str) -> bool:
        word = word.lower()
        return word not in _CAPITALISED_NOT_NAMES and word not in asked and word not in places

    if _PERSON_ASKED.search(question):
        return any(a_name(first) and a_name(last) for first, last in _two_word_names(text))
    return any(a_name(m.group(1)) for m in _CAPITALISED.finditer(text))


_CAPITALISED_WORD = re.compile(r"[A-Z][a-z][\w'’-]*")
_JOINING = frozenset(["and", "of", "for", "the", "&"])


def _two_word_names(text: str) -> list[tuple[str, str]]:
    """First names and surnames: runs of two capitalised words ("Joy Howick"), or
    three with a title ("Councillor Janet Walton"). A longer run, or one joined by
    "and" or "of", names an organisation ("the Children and Family Court Advisory and
    Support Service"), not a person."""
    names = []
    run: list[str] = []
    joined = False
    for token in re.findall(r"[\w'’&-]+|[^\w\s]", text) + [""]:
        if _CAPITALISED_WORD.fullmatch(token):
            run.append(token)
        elif token.lower() in _JOINING and run:
            joined = True
        else:
            if len(run) in (2, 3) and not joined:
                names.append((run[-2], run[-1]))  # "Councillor Janet Walton"
            run, joined = [], False
    return names


# What someone outside the service said: "what did the local MP say about the report".
_SAID_BY = re.compile(
    r"\bwhat (?:did|does|has|have|do) (?:the |a |our |their |any |local )*(?P<who>mps?|ministers?|"
    r"mayor|chief constable|police and crime commissioner|chief executive|council leader|"
    r"leader of (?:the |\w+ )?council|opposition|unions?|unison|headteachers?|head teachers?|"
    r"children'?s commissioner|dcs|director of children'?s services)\b(?: \w+){0,3} (?:say|said|"
    r"think|thought|comment|commented|respond|responded|make of|tell|told)\b",
    re.I,
)

# Who a child is: the reports never name or identify children.
_CHILD_IDENTITY = re.compile(
    r"\b(?:names?|identity|identities|address|addresses|photos?) of (?:the |a |that |those |"
    r"any )?(?:child|children|kid|kids|baby|babies|boy|girl|young person|family|families)\b"
    # ("A child's identity, culture and heritage" is what assessments weigh, not a name.)
    r"|\b(?:child|kid|baby|boy|girl)(?:'s|’s) (?:name|address)\b"
    r"|\bwho (?:was|were|is|are) the (?:child|children|kid|kids|baby|boy|girl)\b",
    re.I,
)


# One family's own case, or what the law lets a council do to one: "is her case being
# handled properly", "can social services stop me seeing my son". The reports judge
# services as a whole; "my lad keeps running off, did Ofsted rate those chats" still
# asks what they found.
_OWN_CASE = re.compile(
    r"\b(?:my|her|his|our) (?:own |son'?s |daughter'?s |child'?s |kid'?s )?(?:case|situation)\b"
    r"(?: \w+){0,4} (?:handled|dealt with|managed|going|looked at|properly|fairly|right|wrong)\b"
    r"|\bcan (?:social services|social workers?|the council|children'?s services|they) "
    r"(?:\w+ )?(?:stop|take|remove|make|force|keep|refuse|ban) (?:me|us|my|our)\b"
    # What the law allows: "can we legally share info", "is it lawful to".
    r"|\b(?:can|may|could) (?:i|we|you|they|social services|the council) (?:\w+ )?legally\b"
    r"|\bis it (?:legal|lawful|against the law)\b|\blegal aid\b"
    r"|\b(?:give|get|need|want|offer|provide|can i have) (?:me |us )?(?:some |any )?legal advice\b"
    # "Why did they take my kids off me".
    r"|\b(?:take|took|taken|remove|removed|removing|taking) (?:away )?(?:my|our) (?:kids|children|"
    r"child|son|daughter|baby|babies|grandchild|grandchildren|grandkids)\b"
    # One child's file or worker: "what's happening on his file", "why hasn't her social
    # worker rung back", "why her case went to court".
    r"|\b(?:on|in) (?:my|his|her|their|our) (?:case )?(?:file|files|records?|case notes)\b"
    r"|\bhappening (?:with|on|in) (?:my|his|her|their|our) (?:case|file)\b"
    r"|\bwhy (?:hasn'?t|has not|won'?t|will not|didn'?t|did not|doesn'?t|does not|isn'?t|is not) "
    r"(?:my|his|her|their|our) (?:[\w'’]+ )?(?:social worker|worker|case ?worker)\b"
    r"|\bwhy (?:\w+ ){0,2}(?:my|his|her|their|our) (?:own )?case\b"
    # Someone asked to look into one family's case: "can you find out why" after "my son".
    r"|^(?=.*\b(?:my|our|his|her|their) (?:own )?(?:son|daughter|child|kid|kids|children|"
    r"grandson|granddaughter|grandchild|grandchildren|baby|niece|nephew|constituent)\b)"
    r".*\bcan (?:you|someone|somebody|anyone) (?:please )?(?:find out|chase|investigate|check on|"
    r"look into) (?:why|what'?s happening|what is happening|what'?s going on|what is going on|where|"
    r"when|whether|if (?:he|she|they|we)|(?:my|his|her|their|our|him|them)\b)"
    # Why one's own child was taken into care: "my grandson was taken into care, why".
    r"|\b(?:my|our) (?:\w+ ){0,2}(?:was|were|got|has been|have been) (?:taken|put|placed) into "
    r"care\b.*\bwhy\b|\bwhy (?:was|were|did|has|have) (?:my|our) (?:\w+ ){0,2}(?:taken|put|"
    r"placed|go|gone) into care\b"
    # Whether one case was read, or one decision was right: "was my daughter's case one
    # of the files the inspectors read", "stepped down last month, was that the right
    # call", "can you tell me why hers keeps changing".
    r"|\b(?:my|our|his|her|their) (?:[\w'’]+ )?(?:case|file)\b(?: \w+){0,3} (?:one of|among) "
    r"(?:the )?(?:files|cases)\b"
    r"|\bwas (?:my|our|his|her|their) (?:[\w'’]+ )?(?:case|file) (?:looked at|read|checked|seen|"
    r"sampled|audited)\b"
    r"|\b(?:was|is) (?:that|this) the right (?:call|decision|thing to do)\b"
    r"|\bcan you (?:tell|explain to) (?:me|us) why (?:hers|his|mine|theirs|(?:my|her|his|our|"
    r"their) )"
    # Going to law over one's own case: "can I appeal the care order", "can we sue".
    r"|\bcan (?:i|we) (?:\w+ )?(?:challenge|sue|appeal|contest|take (?:them|the council|"
    r"social services) to court)\b",
    re.I | re.S,
)

# An opinion asked of the bot, or of Ofsted's fairness: "was the RI grade harsh in your
# view", "in your opinion were they too tough". The reports do not judge themselves.
# (Text-speak, "ur view", is spelled out before any scope rule reads the question.)
_OPINION = re.compile(
    r"\bin your (?:own |honest |personal )?(?:opinion|view)\b"
    r"|\byour (?:own |honest |personal )?(?:opinion|view|take) (?:on|of|about)\b"
    r"|\b(?:ofsted|the inspectors?|the inspection|the report|the (?:\w+ )?(?:grade|rating|judgement|"
    r"verdict))(?: \w+){0,2} (?:too harsh|harsh|unfair|too soft|too tough|too lenient|biased|"
    r"justified|deserved)\b"
    # How one person is doing, or whether they should go: "is Cllr X doing a good job",
    # "should the DCS resign". The reports judge services, not the people in them.
    r"|\b(?:is|was|has|have) (?:cllr|councillor|mr|mrs|ms|dr|the (?:lead member|portfolio holder|"
    r"cabinet member|dcs|director|chief executive|leader|chair|independent chair))\b"
    r"(?: [\w'’]+){0,4} (?:(?:doing|done|did|do) a (?:\w+ )?job|(?:up to|fit for|right for|good at) "
    r"(?:the|his|her|their) job|competent|any good)\b"
    r"|\b(?:is|was) (?:\w+ ){1,2}?(?:a|an) (?:good|bad|decent|great|poor|competent|effective|"
    r"strong|weak) (?:director|dcs|chair|independent chair|leader|lead member|councillor|"
    r"portfolio holder|chief executive|manager|boss)\b"
    r"|\bshould (?:cllr |councillor |mr |mrs |ms |dr |the )?(?:\w+ ){0,3}?(?:resign|have resigned|"
    r"step down|quit|be sacked|be fired|be removed)\b",
    re.I,
)


# Contact details, or how to use a service: the reports are findings, not a directory
# ("the front door's phone number", "how do I sign up to foster").
_CONTACT = re.compile(
    r"\b(?:phone|telephone|mobile|contact|fax) (?:number|numbers|no|details)\b"
    r"|\be-?mail address(?:es)?\b|\b(?:web ?site|web address|opening hours|postal address)\b"
    r"|\bhow (?:do|can|would|should) (?:i|we|you|parents|families|someone) (?:go about )?"
    r"(?:contact|get in touch|ring|phone|call|email|e-mail|sign up|apply|register|enrol|enroll|"
    r"become|make a (?:referral|complaint)|complain|refer|report a concern|write|fill in|"
    r"complete|draft|get a copy|access)\b"
    # A service asked for, or advice on one's own choice: "can u get me a new social
    # worker", "should I become a foster carer".
    r"|\bcan you (?:please )?(?:get|find|book|arrange|sort|change|assign) (?:me|us|my|"
    r"our) (?:a |an )?(?:new |different )?(?:social worker|worker|placement|appointment|carer|"
    r"foster carer|house|flat|home|place|meeting|referral)\b"
    r"|\bshould (?:i|we) (?:become|foster|adopt|apply|complain|report)\b",
    re.I,
)


# What is paid that is not money: heed, attention, a visit.
_PAID_NOT_MONEY = frozenset(
    "heed attention regard visit visits tribute respect notice lip".split()  # noqa: SIM905
)
# The council as what a grade question grades: "is Poole any good at", "is the council
# good at", "how well does the local authority handle" (`{council}`: the words naming the
# councils the reports are about, or what names any council).
_COUNCIL_GRADED = (
    r"\b(?:is|are|was|were|does|do|did) (?:the )?(?:{council})(?:['’]s)?\b(?: \w+){{0,2}} "
    r"(?:any good|good|better|worse|handle|handling|deal|dealing|doing|at)\b"
)
_ANY_COUNCIL = (
    r"council|local authority|borough|children'?s services|social services|[a-z]+ council"
)


@lru_cache(maxsize=16)
def _council_graded_pattern(council_words: frozenset[str]) -> re.Pattern:
    names = "|".join([_ANY_COUNCIL, *(re.escape(w) for w in sorted(council_words))])
    return re.compile(_COUNCIL_GRADED.format(council=names), re.I)


def _council_graded(text: str, council_words: frozenset[str]) -> bool:
    return bool(_council_graded_pattern(council_words).search(text))


# A service outside children's services judged: "how good is the council's adult social
# care", "what did Ofsted say about adult services". The reports may say who runs it;
# they do not judge it.
_OTHER_SERVICE = re.compile(
    r"\b(?:how good|any good|how well|how (?:is|are|was|were|did|does|do)|rating|ratings|rated|"
    r"rate|grade|grades|graded|judged?|judgement|inspect\w*|say about|said about|find (?:about|of|"
    r"in)|found (?:about|of|in)|performing|performance of|quality of)\b"
    # ... never the move to adult services, which is children's services' work.
    r"(?: (?!to\b|into\b|towards\b|transition|moving\b|move\b|transfer)[\w'’]+){0,3}? "
    r"adults?(?:'s|’s|')? (?:social care|social services|services|care services|safeguarding)\b"
    r"|\badults?(?:'s|’s|')? (?:social care|social services|services|safeguarding)(?: \w+)? "
    r"(?:findings|rating|ratings|grade|graded|rated|inspection|judgement|report)\b",
    re.I,
)

# A serious case review's own findings, or what happened in it: the reports count the
# reviews and say how the board learns from them; they give no review's conclusions.
_CASE_REVIEW = re.compile(
    r"^(?!.*\b(?:how many|number of|no\. of)\b).*\b(?:serious case reviews?|scrs?|case reviews?|"
    r"practice reviews?)\b(?: [\w'’/-]+){0,5}? (?:conclude|concluded|conclusions?|recommend|recommended|"
    r"recommendations|find|found|findings|say|said|reveal|revealed|went wrong|go wrong)\b"
    r"|\bwhat (?:actually )?happened (?:to|in|with) (?:the |that |this )?(?:child|baby|boy|girl|family|"
    r"case)\b.*\b(?:serious case review|scr|case review)\b",
    re.I | re.S,
)

# Questions the reports cannot answer whatever they hold, each with what is said instead
# and whether the nearest records are shown with it (marked as not the answer).
_NOT_WHAT_REPORTS_DO = (
    (
        _OWN_CASE,
        "own_case",
        "The reports judge services as a whole: they cannot say how one family's case is "
        "handled, or what the law allows in it. The nearest they come is below.",
        True,
    ),
    (
        _OPINION,
        "opinion",
        "inspection-bot gives no opinions, and the reports do not judge their own fairness: "
        "it quotes what they say. The nearest they come is below.",
        True,
    ),
    (
        _OTHER_SERVICE,
        "other_service",
        "The reports inspect children's services: they do not judge adult social care. "
        "The nearest they come is below.",
        True,
    ),
    (
        _CASE_REVIEW,
        "case_review",
        "The reports say how many serious case reviews there were and how the board learns "
        "from them; they do not give a review's own findings, or anything about the children "
        "in it. The nearest they come is below.",
        True,
    ),
    (
        _CONTACT,
        "contact",
        "The reports record what inspectors found; they give no contact details and do not "
        "say how to use or reach a service.",
        False,
    ),
)
# Declined whatever retrieval finds (bot/answers/evidence.py), and those shown with
# the nearest records (bot/answers/pipeline.py).
DECLINED_WHATEVER_IS_FOUND = frozenset(reason for _, reason, _, _ in _NOT_WHAT_REPORTS_DO)
SHOWN_WITH_THE_NEAREST = frozenset(
    reason for _, reason, _, nearest in _NOT_WHAT_REPORTS_DO if nearest
)


# "Spending the night in a cell", "spent years waiting": time spent, not money.
TIME_WORDS = frozenset(
    """night nights time day days week weeks month months year years hour hours weekend
    weekends christmas summer holidays long longer ages too more less""".split()  # noqa: SIM905
)
_SPENDING = frozenset(["spend", "spending", "spent", "spends"])


def money_word(words: list[str]) -> str | None:
    for i, word in enumerate(words):
        if word not in MONEY_WORDS:
            continue
        after = words[i + 1 : i + 4]
        if word in _SPENDING and any(w in TIME_WORDS for w in after[:3]):
            continue
        if word in ("pay", "paid", "pays", "paying") and any(w in _PAID_NOT_MONEY for w in after):
            continue  # "pay more heed to a child's heritage", "paid a visit"
        if word in ("cost", "costs") and words[i - 1 : i] in (["no"], ["low"], ["zero"]):
            continue  # "no-cost lunches": free school meals, not a price
        return word
    return None


def money_is_the_subject(text: str) -> bool:
    """ "How much is the chair paid", "£": an amount of money is what is asked."""
    return bool(_AMOUNT.search(text))


_AMOUNT = re.compile(
    # ("How much time do social workers spend with the kids" asks time, not money.)
    r"£|\bhow much (?!(?:time|effort|attention|contact|say|notice|support|help)\b)"
    r"(?:[\w'’-]+ ){0,8}?(?:paid|pay|cost|costs|spend|spent|earn|earns|funding|"
    r"budget|money|salary|worth|allowance|allowances|grant|grants|fee|fees|charge|charged)\b"
    r"|\bhow much money\b"
    # "What's the weekly fostering allowance": the amount of a payment, by its name.
    r"|\bwhat(?:'s|’s| is| are) (?:the |a |their |our )?(?:[\w'’-]+ ){0,4}?(?:allowance|allowances|"
    r"grant|grants|salary|salaries|fee|fees|wage|wages|budget|budgets)\b",
    re.I,
)


@lru_cache(maxsize=256)
def _name_pattern(names: tuple[str, ...], exact: bool) -> tuple[re.Pattern | None, dict]:
    """One pattern for a whole list of names (compiled once per list, not once per
    name per question), longest first, and the names as the list writes them."""
    spelled = {(n if exact else n.lower()): n for n in names}
    if not spelled:
        return None, spelled
    alternatives = "|".join(re.escape(n) for n in sorted(spelled, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), spelled


def _mentions(text: str, names, *, exact: bool = False) -> str | None:
    """The longest of `names` standing as whole words in `text` (case-blind unless
    exact): "BCP Council" before "BCP"."""
    pattern, spelled = _name_pattern(tuple(names), exact)
    if pattern is None:
        return None
    found = [m.group(0) for m in pattern.finditer(text if exact else text.lower())]
    return spelled[max(found, key=len)] if found else None


def authorities_named(text: str, coverage: dict) -> tuple[list[dict], str | None, dict | None]:
    """The covered authorities a question names, and else the first other council or
    place it names (with its authority record when it is one the base knows of)."""
    covered, other, other_authority = [], None, None
    for authority in coverage.get("authorities", []):
        name = _mentions(text, authority["names"])
        if name and authority["covered"]:
            covered.append(authority)
        elif name and other is None:
            other, other_authority = name, authority
    if other is None:
        other = _mentions(text, coverage.get("elsewhere", [])) or _mentions(
            text, coverage.get("elsewhere_capitalised", []), exact=True
        )
    return covered, other, other_authority


# What a kind named "X inspection" is also called in a question: "the X service's last
# inspection", "how did X do in its latest inspection", "the SEND area inspection" for
# "area SEND inspection". Only a name of two words or more before "inspection": one
# word ("school", "police") is too often the topic of a finding the reports hold.
_OWN_INSPECTION = (
    r"(?: (?:service|services|team|teams|partnership))?(?:['’]s)?"
    r"(?: (?:\w+ ){0,3}?(?:its|their|the) (?:last|latest|most recent|recent|own|previous) "
    r"inspection| inspection)\b"
)


@lru_cache(maxsize=256)
def _loosely_named(names: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for a kind's "X inspection" names said loosely, compiled once per
    list of names; None when it has no such name."""
    said = set()
    for name in names:
        words = name.lower().split()
        if len(words) >= 3 and words[-1] == "inspection":
            said |= {" ".join(words[:-1]), " ".join(reversed(words[:-1]))}
    if not said:
        return None
    alternatives = "|".join(re.escape(x) for x in sorted(said, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives}){_OWN_INSPECTION}")


def _kind_named(text: str, coverage: dict) -> dict | None:
    for kind in coverage.get("kinds", []):
        if _mentions(text, kind["names"]) or _mentions(text, kind["names_exact"], exact=True):
            return kind
    lowered = text.lower()
    for kind in coverage.get("kinds", []):
        loosely = _loosely_named(tuple(kind["names"]))
        if loosely and loosely.search(lowered):
            return kind
    return None


def _years(years: list[int]) -> str:
    if not years:
        return "no inspection yet"
    listed = [str(y) for y in years]
    return "inspections in " + (
        listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    )


# A question about what has not happened yet: the reports record inspections past.
_FUTURE = re.compile(
    r"\b(?:next (?:\w+ ){0,2}(?:inspection|visit|ofsted|monitoring)|when will|will ofsted|will they "
    r"(?:inspect|come|visit)|upcoming|due to be (?:inspected|visited)|re-?inspect(?:ed|ion)? "
    r"(?:be|happen)|in (?:the )?future|when (?:is|does|will) the next|next year|"
    r"(?:inspectors?|ofsted|they|hmis?|the inspection) (?:\w+ )?(?:come|coming) back|next time|will (?:the council|it|they|\w+) be (?:inspected|re-?inspected|rated|judged|graded|visited|checked)|what will happen|next due|"
    r"due (?:to|for) (?:inspect|visit|come|return|another|a new|re-?inspection)|due back)\b",
    re.I,
)


# A change since the latest inspection (of year Y): "is the MASH better now than in Y",
# "did they ever fix it after the report came out", "has it improved since the Y one".
_SINCE_AN_INSPECTION = re.compile(
    r"\b(?:after|since) (?:(?:the|that|this|their|ofsted'?s?|ofsted’s) )?(?:(?P<year>(?:19|20)\d\d)"
    r"(?: (?:ofsted )?(?:report|inspection|visit|verdict|one))?"
    r"|(?P<latest>latest|most recent) (?:ofsted )?(?:report|inspection|visit|verdict)"
    r"|(?P<bare>report|inspection|visit|verdict)(?! (?:in|of) )"
    r"|(?:ofsted )?(?:report|inspection|visit|verdict) (?P<out>came out|was published|was "
    r"released|went public))\b",
    re.I,
)
_INSPECTED_AGAIN = re.compile(
    r"\b(?:next|again|re-?inspect\w*|another|later|subsequent|monitoring|follow-?up|re-?visit\w*)\b",
    re.I,
)
_NOW = re.compile(
    r"\b(?:now|today|nowadays|these days|currently|at the moment|at present|since then)\b", re.I
)
_CHANGED = re.compile(
    r"\b(?:better|worse|improved?|improving|changed?|changing|different|fix|fixed|sorted|resolved|"
    r"progress|moved on|got on)\b",
    re.I,
)


def after_the_latest(text: str, years: tuple[int, ...], latest: int | None) -> str | None:
    """The words that ask how things changed after the latest inspection, which no
    report here can say; None when the question asks no such thing."""
    if latest is None:
        return None
    since = _SINCE_AN_INSPECTION.search(text)
    if (
        since
        and since.group("year")
        and int(since.group("year")) == latest
        and _INSPECTED_AGAIN.search(text)
    ):
        return since.group(0)  # "what did Ofsted find when it next inspected after Y"
    if not _CHANGED.search(text):
        return None
    if since and (
        since.group("latest")
        or since.group("out")
        or since.group("bare")
        or (since.group("year") and int(since.group("year")) == latest)
    ):
        return since.group(0)
    now = _NOW.search(text)
    if now and set(years) == {latest}:
        return now.group(0)
    return None


# A place in a national order: "league table", "where does it rank nationally".
_RANKING = re.compile(
    r"\bleague tables?\b|\b(?:rank|ranks|ranked|ranking|rankings|position)\b(?: \w+){0,3} "
    r"(?:nationally|in england|in the country|among|amongst|against other|out of)\b"
    # "In the top 10 councils for adoption", "bottom half nationally".
    r"|\bwhich (?:council|councils|authority|authorities|local authority)\b(?: \w+){0,3} "
    r"(?:best|worst|highest|lowest|top|bottom)\b"
    r"|\b(?:top|bottom) (?:\d+|ten|five|twenty|three|half|quarter|third)(?: \w+){0,2} "
    r"(?:councils|authorities|in the country|in england|nationally)\b",
    re.I,
)
# A grade set against other councils' ("better than most councils"): the reports
# grade one council. (What they say of speed against "many other parts of the
# country" is a finding, asked without a grade.)
_GRADE_AGAINST_OTHERS = re.compile(
    r"\b(?:than|with|to|against) (?:most|other|all|the other|similar|comparable) "
    r"(?:councils|local authorities|authorities|areas|boroughs)\b",
    re.I,
)


_GRADE_NAMED = re.compile(
    r"\b(?:result|results|rating|ratings|rated|grade|grades|graded|judgement|judgements|"
    r"judged|verdict|score|scored|outcome)\b",
    re.I,
)


# Another council not named but meant: "the neighbouring council's rating" asks about
# a council the reports do not inspect (the possessive: its own services).
_UNNAMED_COUNCIL = re.compile(
    r"\b(?:neighbouring|neighboring|nearby|next[- ]door|adjacent|another|other) "
    r"(?:council|local authority|authority|borough)(?:'s|’s)",
    re.I,
)

# Wording that sets one council against another.
_SET_AGAINST = re.compile(
    r"\b(?:compare[sd]?|comparison|comparing|versus|vs|than|against|differ(?:s|ent|ence)?|"
    r"same as|as good as|as bad as|ahead of|behind)\b",
    re.I,
)


def _own_services_of(other: str, text: str) -> bool:
    """Is another council's own service what is asked about ("Bournemouth's children's
    services", "Bournemouth council's MASH"), not what it shares ("Bournemouth and
    Poole's board")?"""
    name = re.escape(other)
    return bool(
        re.search(
            rf"(?<!and )(?<!& )\b{name}(?: (?:borough |county )?council)?(?:'s|’s|s'|s’)"
            rf"(?! (?:and|&) | (?:joint|shared|combined)\b)"
            rf"|(?<!and )(?<!& )\b{name} (?:borough |county )?council\b(?! (?:and|&) )",
            text,
            re.I,
        )
    )


def _sets_councils_against_each_other(text: str) -> bool:
    """Comparing wording not aimed at a year ("better than in <a year>" compares times)."""
    return any(
        not re.match(r"\s+(?:\w+\s+){0,2}?(?:19|20)\d\d\b", text[m.end() :])
        for m in _SET_AGAINST.finditer(text)
    )


# An inspection in a named year: "the 1999 inspection", "inspected in 1999".
_INSPECTION_YEAR = re.compile(
    r"\b(?:(\d{4})(?:'s|’s)? (?:ofsted )?(?:inspection|inspections|ofsted report|"
    r"visit|ofsted (?:findings|verdict|rating|grade|judgement|outcome|results?))|(?:inspection|inspected|inspect|ofsted report|visited|came to|went to|"
    r"came into(?! care)|(?:ofsted|inspectors|it|they) (?:looked at|looked into|checked)|"
    r"ofsted (?:say|said|find|found|report|reported|rate|rated|judge|judged)|"
    r"inspectors (?:say|said|find|found|report|reported))(?: [\w'’]+){0,4} (?:in|of|from|during) "
    r"(\d{4}))\b",
    re.I,
)


# What asks about an inspection of a council, not about a service in its area.
_INSPECTION_OF = re.compile(
    r"\b(?:inspect|inspects|inspected|inspecting|inspection|inspections|rated|rating|ratings|"
    r"graded|grade|grades|judged|judgement|judgements|verdict|ofsted (?:found|find|said|say|report)|"
    r"(?:after|since) the merger|post[- ]merger)\b",
    re.I,
)


def _a(name: str) -> str:
    """ "an area SEND inspection", "a focused visit"."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def inspection_year(text: str) -> int | None:
    """The year of an inspection a question names, if it names one."""
    match = _INSPECTION_YEAR.search(text)
    return int(match.group(1) or match.group(2)) if match else None


def future_event(text: str) -> str | None:
    match = _FUTURE.search(text)
    return match.group(0) if match else None


def scope_notes(text: str, coverage: dict, years: tuple[int, ...] = ()) -> tuple[str, ...]:
    """What the reader must know when a question names a council the reports cover
    through a merger: a successor asked about before it was formed, or a predecessor
    asked about after it was merged (authorities.yaml's `began`, `ended`, `became`)."""
    covered, _, _ = authorities_named(text, coverage)
    notes = [a["note"] for a in covered if a["note"]]
    for authority in covered:
        after, before = authority.get("after"), authority.get("before")
        if after and any(year >= after["year"] for year in years):
            notes.append(after["note"])
        if before and any(year < before["year"] for year in years):
            notes.append(before["note"])
    return tuple(notes)


def scope_problems(
    text: str,
    words: list[str],
    years: tuple[int, ...],
    known_years,
    coverage: dict,
    inspection_years=None,
    *,
    grade_question: bool = False,
    council_words: frozenset[str] = frozenset(),
) -> list[ScopeProblem]:
    """What puts a question out of the reports' scope, before any search. Every
    message says what the base does cover, computed from `coverage` (the index's
    record of the published reports), never written here; `council_words` name the
    councils the reports are about (SearchIndex.place_words)."""
    problems = []
    if inspection_years is None:
        inspection_years = coverage.get("inspection_years") or ()
    where = " and ".join(coverage.get("covered_authorities") or ["the councils they inspect"])
    covered, other, other_authority = authorities_named(text, coverage)
    unnamed = _UNNAMED_COUNCIL.search(text)
    if unnamed and not other:
        problems.append(
            ScopeProblem(
                "other_council",
                unnamed.group(0),
                f"The reports are about {where}; they do not inspect or grade another "
                "council's own services.",
            )
        )
    if other and covered and _sets_councils_against_each_other(text):
        # "How does Poole compare with Bournemouth": one side of the comparison is
        # not in the reports, so Poole's side alone is not an answer.
        name = other_authority["name"] if other_authority else other.title()
        problems.append(
            ScopeProblem(
                "council_comparison",
                other,
                f"The reports are about {where}; they do not inspect or grade {name}'s "
                "own services, so they cannot compare the two.",
            )
        )
    compared = bool(other and covered and _sets_councils_against_each_other(text))
    if other and not compared and (not covered or _own_services_of(other, text)):
        # "Bournemouth shares the LSCB with Poole - what grade did Bournemouth's
        # children's services get": Poole named beside it does not make the other
        # council's own services the reports' subject.
        name = other_authority["name"] if other_authority else other.title()
        problems.append(
            ScopeProblem(
                "other_council",
                other,
                f"The reports are about {where}; they do not inspect or grade {name}'s "
                "own services."
                if other_authority
                else f"The reports are about {where}; they do not cover {name}.",
            )
        )
    for authority in covered:
        formed = authority.get("formed")
        if formed and (grade_question or _INSPECTION_OF.search(text) or _CHANGED.search(text)):
            # "What did Ofsted find when they inspected BCP": any inspection of a
            # council formed after the reports' came after them too; and so does any
            # change it made ("has BCP sorted out the out-of-hours problems").
            when = f" in {formed['year']}" if formed.get("year") else ""
            problems.append(
                ScopeProblem(
                    "successor",
                    authority["name"],
                    f"{authority['name']} was formed{when}; the reports here are about "
                    f"{formed['from']}, before it, and hold no inspection of "
                    f"{authority['name']} itself. The nearest they come is below.",
                )
            )
    school = named_school(text, council_words)
    if school:
        problems.append(
            ScopeProblem(
                "school",
                school,
                f"The reports inspect {where}'s children's services, not individual schools.",
            )
        )
    identity = _CHILD_IDENTITY.search(text)
    if identity:
        problems.append(
            ScopeProblem(
                "identity",
                identity.group(0),
                "The reports never name or identify individual children or families.",
            )
        )
    name = _NAME_ASKED.search(text)
    if name and not identity:
        problems.append(
            ScopeProblem(
                "name",
                name.group(0),
                "The reports don't give that name. The nearest they come is below.",
            )
        )
    speaker = _SAID_BY.search(text)
    if speaker:
        problems.append(
            ScopeProblem(
                "speaker",
                speaker.group("who"),
                "The reports don't quote them on this. The nearest they come is below.",
            )
        )
    for pattern, reason, message, _ in _NOT_WHAT_REPORTS_DO:
        asked = pattern.search(text)
        if asked:
            problems.append(ScopeProblem(reason, asked.group(0), message))
    personnel = _PERSONNEL.search(text)
    if personnel and _ONE_PERSON.search(text):
        problems.append(
            ScopeProblem(
                "personnel",
                personnel.group(0),
                "The reports judge services, not individual staff: they blame no one by "
                "name and record no one's resignation or dismissal. The nearest they come "
                "is below.",
            )
        )
    provider = _PROVIDER.search(text) if grade_question else None
    if provider and _council_graded(text, council_words):
        # "A teacher at my school was accused - is Poole any good at sorting out claims
        # like this": the council is what is graded, the school only where it happened.
        provider = None
    if provider and not school:
        problems.append(
            ScopeProblem(
                "school",
                provider.group(0),
                f"The reports grade {where}'s children's services, not schools, nurseries "
                "or other providers.",
            )
        )
    money = money_word(words)
    if money_is_the_subject(text):
        money = "how much"
    if money:
        problems.append(
            ScopeProblem("money", money, "The reports do not cover pay, budgets or spending.")
        )
    kind = _kind_named(text, coverage)
    if kind and not kind["covered"]:
        problems.append(
            ScopeProblem(
                "other_inspection",
                kind["name"],
                f"{coverage.get('summary', '')} None of them is {_a(kind['name'])}.".strip(),
            )
        )
    graded = grade_question or _GRADE_NAMED.search(text)
    ranking = _RANKING.search(text) or (graded and _GRADE_AGAINST_OTHERS.search(text))
    if ranking:
        problems.append(
            ScopeProblem(
                "ranking",
                ranking.group(0),
                f"The reports judge {where} on its own; they do not rank or grade it against "
                "other councils. The nearest they come is below.",
            )
        )
    future = future_event(text)
    if future:
        problems.append(
            ScopeProblem(
                "future",
                future,
                "The reports don't say: they record inspections that have happened, not "
                "what comes next. The nearest they come is below.",
            )
        )
    latest = max(inspection_years, default=None)
    after = after_the_latest(text, years, latest)
    if after:
        problems.append(
            ScopeProblem(
                "after_latest",
                after,
                f"The reports don't say: the latest inspection in them is {latest}'s, and "
                "they record nothing after it. The nearest they come is below.",
            )
        )
    unknown = [y for y in years if y not in known_years]
    if grade_question:
        # A grade asked of a year with no inspection: no report gave one then,
        # whatever else the reports say of that year.
        unknown += [y for y in years if y not in inspection_years and y not in unknown]
    inspected = inspection_year(text)
    if inspected and inspected not in inspection_years and inspected not in unknown:
        # A year the reports mention (a chief executive's start, say) is still a year
        # no inspection of theirs took place in.
        unknown.insert(0, inspected)
    reported = set(coverage.get("inspection_years") or ())
    if (
        inspected
        and not grade_question
        and inspected in inspection_years
        and inspected not in reported
        and not unknown
        # What changed after it is what a later report describes.
        and not re.search(rf"\b(?:since|after) (?:the |that |their )?{inspected}\b", text, re.I)
    ):
        # "What did the Y inspection criticise", Y a year the history alone records:
        # the reports record that inspection's outcome, not its findings.
        problems.append(
            ScopeProblem(
                "no_report",
                str(inspected),
                f"The reports here do not include the {inspected} inspection itself; they "
                "record only its outcome. The nearest they come is below.",
            )
        )
    if unknown:
        problems.append(
            ScopeProblem(
                "unknown_year",
                str(unknown[0]),
                f"The reports cover {_years(coverage.get('inspection_years', []))}; they say "
                f"nothing about {unknown[0]}.",
            )
        )
    return problems

"""Word lists for query understanding: filler to drop, and cues that set the intent.

Cues are matched as whole tokens (or token sequences) of the lowercased query.
"""

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Question words, chat and words every source shares: they carry no topic.
FILLER = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "anything",
        "are",
        "around",
        "as",
        "at",
        "be",
        "been",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "during",
        "each",
        "else",
        "ever",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "getting",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "like",
        "me",
        "might",
        "more",
        "most",
        "much",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "own",
        "please",
        "quite",
        "re",
        "really",
        "same",
        "say",
        "said",
        "saying",
        "says",
        "see",
        "seem",
        "seems",
        "she",
        "should",
        "so",
        "some",
        "something",
        "tell",
        "than",
        "that",
        "thats",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thing",
        "things",
        "think",
        "to",
        "too",
        "until",
        "upon",
        "us",
        "very",
        "want",
        "was",
        "we",
        "were",
        "what",
        "whats",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "yes",
        "yet",
        "you",
        "your",
        "yours",
        "la",
        "find",
        "found",
        "finding",
        "findings",
        "found",
        "mention",
        "mentioned",
        "mentions",
        "comment",
        "comments",
        "comments",
        "describe",
        "described",
        "explain",
        "anything",
        "know",
        "known",
        "tell",
        "told",
        "give",
        "show",
        "bot",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
    ]
)

# Words every source shares. They still help rank ("inspection team") but a record
# need not contain them to answer the question.
DOMAIN_WORDS = frozenset(
    [
        "ofsted",
        "ofsteds",
        "inspector",
        "inspectors",
        "hmi",
        "hmis",
        "inspection",
        "inspections",
        "inspected",
        "report",
        "reports",
        "council",
        "councils",
        "borough",
        "authority",
        "authoritys",
    ]
)

# Evaluative chat that carries no topic: "how decent is ...", "... properly"; and
# asking for "the actual quote" or "the exact wording", which every answer gives.
FILLER = FILLER | _words(
    """decent ok okay alright rubbish properly actually currently lately right now around
    here basically generally overall latest recent most previous last before one till per
    according im ive id youre theyre weve dont cant wont isnt arent didnt doesnt wasnt
    came come went happen happened happens up anyone anybody someone somebody everyone
    everybody officially honestly exactly truly literally even pretty already perhaps maybe
    probably simply honest frankly seriously genuinely anyway though although ie eg kindly
    stuff lot lots bit bits youve theyve shes hes theres heres wouldnt couldnt shouldnt
    hasnt havent hadnt werent aint youll theyll u ur r ya meant supposed pls plz
    quote quotes quotation quotations verbatim wording actual exact earlier main heavily"""
)


# Verbs that carry no topic with the particle after them: "end up", "turn out".
PHRASAL_FILLER = frozenset(
    (verb, particle)
    for verbs, particle in (
        ("end ends ended ending", "up"),
        ("turn turns turned turning", "out"),
        ("carry carries carried carrying", "on"),
        # "How many is the team working with": whom it serves, not work as a topic.
        ("work works worked working", "with"),
    )
    for verb in verbs.split()
)

# Each intent's cues. A cue of several words is matched as that sequence.
COMPARISON_CUES = (
    "compare",
    "compared",
    "comparison",
    "comparing",
    "since",
    "changed",
    "better",
    "worse",
    "improved",
    "deteriorated",
    "declined",
    "versus",
    "vs",
    "over time",
    "then and now",
    "difference between",
    "progress since",
    # Implicit comparisons: a problem that persists, or a time set against now.
    "still",
    "anymore",
    "any more",
    "no longer",
    "used to",
    "again",
    "persist",
    "persists",
    "persisted",
    "persistent",
    "recurring",
    "unchanged",
    "like in",
    "as in",
    "back in",
    "same as",
    # A problem, or a praise, across inspections: "has it always been slow", "praised
    # both times", "a problem before too", "long-standing".
    "always been",
    "always had",
    "both times",
    "both inspections",
    "each time",
    "every time",
    "last time",
    "before too",
    "as before",
    "ever since",
    "long standing",
    "longstanding",
    "historically",
)
# What names an inspection in a comparison without being its topic: "as good as the
# 2010 letter made out", "like at the unannounced visit".
COMPARISON_FRAME_WORDS = DOMAIN_WORDS | _words(
    """visit visits letter letters unannounced made making inspectors came time times trip
    trips"""
)
# Comparison cues that only point at a time: the comparison is the question only
# when nothing else says what is asked ("a grade back in 2011" is a grade).
POINTS_IN_TIME = frozenset(["back in", "last time"])
RECOMMENDATION_CUES = (
    "rec",
    "recs",
    "ask for",
    "asked for",
    "asks for",
    "must change",
    "should change",
    "need to change",
    "needs to change",
    "has to change",
    "have to change",
    "recommendation",
    "recommendations",
    "recommend",
    "recommended",
    "recommends",
    "should",
    "must",
    "need to",
    "needs to",
    "have to",
    "has to",
    "ought",
    "next steps",
    "to do list",
    "to do items",
    "things to do",
    "to do about",
    "meant to do",
    "supposed to do",
    "told to do",
    "them to do",
    "it to do",
    "action point",
    "action points",
    "rec",
    "recs",
    "actions",
    "an ask",
    # "Ofsted's ask re fallback options", "what did inspectors ask on heritage".
    "ofsted ask",
    "ofsteds ask",
    "ofsted asking",
    "inspectors ask on",
    "inspectors ask re",
    "inspectors asking",
    "the ask on",
    "the ask re",
    "their ask",
    "asked to",
    "told to",
    "want done",
    "wants done",
    "asked for",
    "calls for",
    "call for",
    "fix",
    "fixes",
    "put right",
)
FIGURE_CUES = (
    "how many",
    "how much",
    "how long",
    "number of",
    "numbers",
    "figure",
    "figures",
    "statistic",
    "statistics",
    "stats",
    "percentage",
    "percent",
    "proportion",
    "rate of",
    "per 10000",
    "per 10k",
    "per 10 000",
    "count",
    "total",
    "headcount",
    "rate",
    "levels",
    "how big",
    "how far",
    "what number",
    "in numbers",
    "how old",
    "what age",
    "which age",
    "size of",
)
# Cues that ask for the inspections before the latest one.
PREVIOUS_CUES = (
    "previous inspection",
    "previous inspections",
    "before this one",
    "before that",
    "prior inspection",
    "earlier inspection",
    "earlier inspections",
)

# Judgement cues that ask for the inspection timeline rather than today's grades.
HISTORY_CUES = (
    "previous inspection",
    "previous inspections",
    "last inspection",
    "last inspected",
    "last visit",
    "inspection history",
    "timeline",
    "before this one",
    "before that",
    "prior inspection",
    "earlier inspection",
    "earlier inspections",
    "date of",
    "dates of",
    "when was",
    "when were",
    # Every inspection listed: "list every ofsted visit to us, oldest first".
    "every inspection",
    "every ofsted inspection",
    "every ofsted visit",
    "all inspections",
    "all the inspections",
    "all ofsted inspections",
    "all ofsted visits",
    "past inspections",
    "inspections so far",
)

JUDGEMENT_CUES = (
    "grade",
    "grades",
    "graded",
    "grading",
    "rating",
    "ratings",
    "rated",
    "judgement",
    "judgements",
    "judgment",
    "judgments",
    "judged",
    "verdict",
    "score",
    "scored",
    "outstanding",
    "inadequate",
    "requires improvement",
    "require improvement",
    "requiring improvement",
    "pass",
    "passed",
    "fail",
    "failed",
    "failing",
    "mark",
    "marks",
    "marked",
    "below par",
    "up to par",
    "up to scratch",
    "thumbs up",
    "thumbs down",
    "scores",
    "ranked",
    "ranking",
    "report card",
    "any good",
    "any cop",
    "bottom line",
    "ri",
    "how well did",
    "outcome",
    "outcomes of the inspection",
    "result",
    "results",
    "date of",
    "dates of",
    "when was",
    "when were",
) + HISTORY_CUES

# How well something was graded, asked in plain words ("did Ofsted rate the LSCB
# highly"): in a question about a grade they weigh the grade, not the topic.
EVALUATIVE_WORDS = _words(
    """good bad well badly poorly highly great terrible fine favourably positively
    negatively best worst strong weak strongest weakest high low top bottom"""
)

# Cues that ask how good something is without asking for a grade: "are pathway plans
# any good" is answered by what Ofsted found of them, unless a grade names the topic
# in its own words or nothing more specific than the service as a whole is asked.
SOFT_JUDGEMENT_CUES = frozenset(
    [
        "any good",
        "any cop",
        "how well did",
        "up to scratch",
        "up to par",
        "below par",
        "how did it do",
    ]
)

# What frames a grade question without being its topic: "every grade, area by area",
# "which parts were rated good this time".
GRADE_FRAME_WORDS = _words(
    """area areas part parts bit bits aspect aspects every each all list service services
    time this get got give visit visits end ended ending finish finished headline main
    final half side sides line"""
)

# What frames a figure question without being its topic: "children in care at the
# time of the inspection", "the latest numbers".
FIGURE_FRAME_WORDS = _words("""time date when latest current currently now then""")

# What kind of number a question asks for, and the figure units of each kind: "how
# long" is not answered by a count of children, nor "how many" by a distance. A question
# that says neither is answered by any figure.
ASKED_NUMBER = (
    (
        "duration",
        re.compile(
            r"\bhow (?:long|quickly|soon)\b|\bhow many (?:hours|weeks|days|months|years)\b"
            r"|\baverage (?:time|wait|waiting|length|delay|duration|age)\b"
            r"|\bhow old\b|\b(?:what|which) age\b"
        ),
    ),
    ("distance", re.compile(r"\bhow far\b|\bhow many miles\b")),
    ("share", re.compile(r"\bproportion\b|\bpercent|%|\bpercentage\b|\bshare of\b|\bfraction\b")),
    # "The vacancy rate", "the rate per 10,000": a share, or a figure the report also
    # gives per 10,000 children.
    ("rate", re.compile(r"\brates?\b")),
    # "What did the letter count as satisfactory": what it regarded as, not a number.
    ("count", re.compile(r"\bhow many\b|\bnumber of\b|\bheadcount\b|\bcount\b(?! as\b)")),
    # "The average caseload per social worker": a number per person or case.
    ("ratio", re.compile(r"\b(?:average|mean)\b(?: \w+){0,3} per\b|\bper (?:social )?workers?\b")),
    # "What number", "the average caseload": some number, of whatever kind.
    ("number", re.compile(r"\bwhat (?:number|figure)\b|\baverage\b|\bin numbers\b")),
)
UNIT_KINDS = {
    "duration": frozenset("years year weeks week days day months month hours hour".split()),  # noqa: SIM905
    "distance": frozenset("miles mile kilometres km".split()),  # noqa: SIM905
    "share": frozenset(["percent", "per cent", "%"]),
}
# Who a count counts: "how many foster carers" is not answered by a count of children
# (the young people who stayed put with them), nor "how many social workers" by one of
# children in need. The first words after "how many" name what is counted; a figure's
# unit names what it counts.
COUNTED_ADULTS = _words(
    """carer carers parents adopter adopters worker workers staff employee employees
    manager managers officer officers iro iros adviser advisers advisor advisors
    inspector inspectors councillor councillors teacher teachers member members hmi hmis
    adults families households"""
)
# ... unless children are named among those words ("how many foster children").
COUNTED_CHILDREN = _words(
    """children child kids kid young youngsters teenagers teens babies pupils leavers"""
)

# The kinds of figure each kind of question accepts (a share answers "how many").
ANSWERS_ASKED = {
    "duration": {"duration"},
    "distance": {"distance"},
    "share": {"share"},
    "count": {"count", "share"},
    "rate": {"share", "per 10000"},
    "ratio": {"ratio", "per 10000"},
    "number": {"count", "share", "per 10000", "duration", "distance", "ratio"},
}

# What frames a question about recommendations without being its topic: "list the
# to-do items the watchdog gave the council".
RECOMMENDATION_FRAME_WORDS = _words(
    """list items item things points gave given give made make set issued all every each
    main key top"""
)

# "Which areas were rated good": every graded area with that grade. "RI" is how the
# sector writes "requires improvement".
WHICH_AREAS = re.compile(r" (?:which|what) (?:areas?|parts?|bits?|services?|aspects?|judgements?) ")
GRADE_ABBREVIATIONS = {"ri": "requires improvement"}

# "Rate" as a verb asks for a grade ("how did Ofsted rate adoption"); as a noun it asks
# for a number ("the re-referral rate"): the verb follows an auxiliary or a subject.
RATE_AS_VERB = re.compile(
    r" (?:(?:did|do|does|would|will) (?:the )?(?:ofsted|inspectors?|they|watchdog|inspection)"
    r"|(?:ofsted|inspectors?|watchdog) (?:\w+ )?|how did (?:\w+ ){1,3}?)rate "
)

# "Rate" as any verb ("do social workers rate their training"): an opinion, not a
# number; a grade only when Ofsted is the one rating (RATE_AS_VERB).
RATE_VERB = re.compile(r" (?:do|does|did|would|will|to|they|you|we|i) (?:\w+ ){0,3}?rate ")

# Which graded areas came out best or worst: every judgement, ordered by its grade.
GRADE_SUPERLATIVE = re.compile(
    r" (?:(?:best|worst|highest|lowest|strongest|weakest) (?:possible )?(?:rated|graded|scored|scoring|"
    r"rating|grade|grades|judged|area|areas|part|parts|bits?|services?)"
    r"|(?:did|do|does|came out|come out|scored|rated|graded|judged|fared|was|were|is|are|"
    r"rate|grade|score|judge|mark|marked) "
    r"(?:the )?(?:best|worst|highest|lowest|strongest|weakest))"
    # "Which bits came top", "what came out bottom".
    r"| (?:came|come|comes|coming) (?:out )?(?:on )?(?:top|bottom) "
)
# "Which areas scored well", "which parts did poorly": graded areas asked by how well
# they did, without a superlative; every judgement then, ordered by its grade.
GRADED_HOW_WELL = re.compile(
    r" (?:scored|scoring|rated|graded|judged|did|done|doing|came out|come out|fared|performed) "
    r"(?:really |very |quite |particularly |less )?(?P<how>well|highly|strongly|poorly|badly|weakly) "
)
# The grades Ofsted has used, best first: the older four-point scale and the current
# one share "outstanding", "good" and "inadequate". A grade not listed sorts between.
GRADE_ORDER = (
    "outstanding",
    "good",
    "adequate",
    "satisfactory",
    "requires improvement to be good",
    "requires improvement",
    "inadequate",
)


# Words that ask what someone said: a named person's statement is then preferred.
SAY_WORDS = frozenset(
    [
        "say",
        "said",
        "says",
        "saying",
        "comment",
        "comments",
        "commented",
        "respond",
        "responded",
        "response",
        "reaction",
        "react",
        "reacted",
        "statement",
        "quoted",
        "spin",
        "spun",
        "claim",
        "claimed",
        "promise",
        "promised",
        "promises",
        "pledge",
        "pledged",
        "vow",
        "vowed",
    ]
)

# Words that ask for the press's account, or the letter's: a preference, not a filter.
PRESS_WORDS = frozenset(
    [
        "press",
        "paper",
        "newspaper",
        "newspapers",
        "echo",
        "media",
        "article",
        "coverage",
        "journalist",
    ]
)
LETTER_WORDS = frozenset(["letter"])

# Grade cues that name the inspection's result as a thing: with a preference for
# strengths or weaknesses ("the most damning bit of the verdict") they ask what it found.
RESULT_NOUNS = frozenset(["verdict", "outcome", "result", "results", "report card", "bottom line"])

# Words that ask for strengths or for weaknesses: a preference among findings.
STRENGTH_CUES = (
    "strength",
    "strengths",
    "went well",
    "going well",
    "good points",
    "positives",
    "praised",
    "praise",
    "working well",
    "good news",
    "doing well",
    "did well",
    "anything nice",
    "nice to say",
    "anything good",
    "anything positive",
    "plus points",
    "plus side",
    "bright spots",
    "pat on the back",
    "credit",
    "well done",
    "best bits",
    "proud of",
    "clean bill of health",
)
WEAKNESS_CUES = (
    "needed fixing",
    "needs fixing",
    "need fixing",
    "to fix",
    "put right",
    "shortcomings",
    "not good enough",
    "weakness",
    "weaknesses",
    "went wrong",
    "going wrong",
    "problems",
    "failings",
    "criticisms",
    "criticised",
    "concerns",
    "bad news",
    "areas for development",
    "to improve",
    "criticism",
    "concern",
    "negatives",
    "red flags",
    "red flag",
    "worst bits",
    "worried about",
    "worry about",
    "worries",
    "worrying",
    "losing sleep",
    "lying awake",
    "fretting",
    "keep me up at night",
    "alarm bells",
    "not working",
    "falling short",
    "damning",
    "worst thing",
    "worst things",
    "worst part",
    "worst finding",
    "worst findings",
    "most serious",
    "most worrying",
    # Negatively framed: "anything they were NOT happy with", "what wasn't working".
    "not happy",
    "unhappy",
    "not satisfied",
    "dissatisfied",
    "not doing",
    "wasnt doing",
    "werent doing",
    "isnt doing",
    "arent doing",
    "wasnt working",
    "werent working",
    "isnt working",
    "arent working",
    "fell short",
)


# Words Porter's stemmer merges with another the reports use in a different sense:
# each keeps a stem of its own (bot/search/query.py, stem).
STEM_EXCEPTIONS = {
    "minority": "minoriti",
    "minorities": "minoriti",
    "community": "communiti",
    "communities": "communiti",
    "experiment": "experiment",
    "experiments": "experiment",
    "news": "news",
}

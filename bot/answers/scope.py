"""Questions the reports cannot answer however well the words match.

The reports are about Poole's children's services. A question about another
council, a named school, pay or budgets must not be answered with Poole's findings
just because it shares words with them ("Hampshire's MASH" is not Poole's MASH).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Councils and places people may ask about instead of Poole. Bournemouth is not here:
# Poole's safeguarding board is shared with it, and the reports speak of it.
OTHER_AUTHORITIES = frozenset(
    [
        "barking",
        "barnet",
        "barnsley",
        "bath",
        "bedford",
        "bexley",
        "birmingham",
        "blackburn",
        "blackpool",
        "bolton",
        "bracknell",
        "bradford",
        "brent",
        "brighton",
        "bristol",
        "bromley",
        "buckinghamshire",
        "bury",
        "calderdale",
        "cambridgeshire",
        "camden",
        "cheshire",
        "christchurch",
        "cornwall",
        "coventry",
        "croydon",
        "cumbria",
        "darlington",
        "derby",
        "derbyshire",
        "devon",
        "doncaster",
        "dorset",
        "dudley",
        "durham",
        "ealing",
        "enfield",
        "essex",
        "gateshead",
        "gloucestershire",
        "greenwich",
        "hackney",
        "halton",
        "hammersmith",
        "hampshire",
        "haringey",
        "harrow",
        "hartlepool",
        "havering",
        "herefordshire",
        "hertfordshire",
        "hillingdon",
        "hounslow",
        "hull",
        "islington",
        "kensington",
        "kent",
        "kingston",
        "kirklees",
        "knowsley",
        "lambeth",
        "lancashire",
        "leeds",
        "leicester",
        "leicestershire",
        "lewisham",
        "lincolnshire",
        "liverpool",
        "london",
        "luton",
        "manchester",
        "medway",
        "merton",
        "middlesbrough",
        "milton",
        "newcastle",
        "newham",
        "norfolk",
        "northamptonshire",
        "northumberland",
        "nottingham",
        "nottinghamshire",
        "oldham",
        "oxford",
        "oxfordshire",
        "peterborough",
        "plymouth",
        "portsmouth",
        "reading",
        "redbridge",
        "redcar",
        "richmond",
        "rochdale",
        "rotherham",
        "rutland",
        "salford",
        "sandwell",
        "sefton",
        "sheffield",
        "shropshire",
        "slough",
        "solihull",
        "somerset",
        "southampton",
        "southend",
        "southwark",
        "stockport",
        "stockton",
        "stoke",
        "suffolk",
        "sunderland",
        "surrey",
        "sutton",
        "swindon",
        "tameside",
        "telford",
        "thurrock",
        "torbay",
        "tower",
        "trafford",
        "wakefield",
        "walsall",
        "waltham",
        "wandsworth",
        "warrington",
        "warwickshire",
        "westminster",
        "wigan",
        "wiltshire",
        "windsor",
        "wirral",
        "wokingham",
        "wolverhampton",
        "worcestershire",
        "york",
        "yorkshire",
        "wales",
        "scotland",
        "cardiff",
        "swansea",
        "glasgow",
        "edinburgh",
        "belfast",
        "aberdeen",
        "dundee",
        "newport",
        "wrexham",
    ]
)

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
    ]
)

_SCHOOL_NAME = re.compile(
    r"\b(?:st\.?\s+)?[a-z][a-z'’]+(?:\s+[a-z][a-z'’]+){0,3}\s+"
    r"(?:primary|infant|junior|secondary|high|grammar|c\s*of\s*e|catholic|academy)\s*"
    r"(?:school|academy|college)?\b",
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


# Inspections of other kinds, which the sources do not include.
OTHER_INSPECTIONS = (
    "monitoring visit",
    "focused visit",
    "joint targeted area inspection",
    "jtai",
    "send inspection",
    "send local area",
    "area send",
    "ilacs",
)


@dataclass(frozen=True)
class ScopeProblem:
    reason: str  # other_council | school | money | unknown_year
    word: str  # the word that put the question out of scope
    message: str


def other_authority(words: list[str]) -> str | None:
    for word in words:
        if word in OTHER_AUTHORITIES:
            return word
    return None


def named_school(text: str) -> str | None:
    """A named school ("Poole High School", "St Mary's Primary"), not "primary schools"."""
    for match in _SCHOOL_NAME.finditer(text):
        first = match.group(0).split()[0].lower().strip(".")
        if first not in _NOT_A_NAME:
            return match.group(0)
    return None


def money_word(words: list[str]) -> str | None:
    return next((w for w in words if w in MONEY_WORDS), None)


def scope_problems(
    text: str, words: list[str], years: tuple[int, ...], known_years
) -> list[ScopeProblem]:
    """What puts a question out of the reports' scope, before any search."""
    problems = []
    place = other_authority(words)
    if place:
        problems.append(
            ScopeProblem(
                "other_council",
                place,
                f"The reports are about Poole; they do not cover {place.title()}.",
            )
        )
    school = named_school(text)
    if school:
        problems.append(
            ScopeProblem(
                "school",
                school,
                "The reports inspect Poole's children's services, not individual schools.",
            )
        )
    money = money_word(words)
    if money:
        problems.append(
            ScopeProblem(
                "money",
                money,
                "The reports do not cover pay, budgets or spending.",
            )
        )
    joined = " " + " ".join(words) + " "
    other = next((i for i in OTHER_INSPECTIONS if f" {i} " in joined), None)
    if other and (other != "send local area" or re.search(r"\bSEND\b", text)):
        problems.append(
            ScopeProblem(
                "other_inspection",
                other,
                "The reports cover Ofsted's 2010 unannounced inspection and its 2017 "
                f"inspection of children's services, not a {other.upper() if other == 'jtai' else other}.",
            )
        )
    unknown = [y for y in years if y not in known_years]
    if unknown:
        problems.append(
            ScopeProblem(
                "unknown_year",
                str(unknown[0]),
                f"The reports cover inspections in 2010 and 2017; they say nothing about {unknown[0]}.",
            )
        )
    return problems

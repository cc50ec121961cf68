"""Text-speak spelled out before a question is parsed.

Care leavers, parents and carers type into Slack as they text: "wot r social services
meant 2 do", "gettin swapped", "b4". Those words are in no record and no dictionary, so
without this a question in text-speak finds nothing, or is refused as out of scope.
What is written here is English shorthand, not the field's terms (those are in
knowledge/glossary.yaml) and nothing about what the reports cover.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Whole words only, matched case-blind. Left out on purpose: "c" (a list item, "Section
# C"), "dis", "k" and other shorthands that are also ordinary words or letters.
SHORTHAND = {
    "wot": "what",
    "wat": "what",
    "wht": "what",
    "r": "are",
    "u": "you",
    "ya": "you",
    "ur": "your",
    "b4": "before",
    "wen": "when",
    "wiv": "with",
    "wid": "with",
    "n": "and",
    "any1": "anyone",
    "no1": "no one",
    "some1": "someone",
    "every1": "everyone",
    "nite": "night",
    "nites": "nights",
    "skool": "school",
    "y": "why",
    "em": "them",
    "gud": "good",
    "summat": "something",
    "nowt": "nothing",
    "owt": "anything",
    "dat": "that",
    "im": "I'm",
    "ive": "I've",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "theyre": "they're",
    "gotta": "got to",
    "wanna": "want to",
    "gonna": "going to",
    "outta": "out of",
    "dunno": "don't know",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "tho": "though",
    "thru": "through",
    "abt": "about",
    "bout": "about",
    "yrs": "years",
    "mgmt": "management",
    "mtg": "meeting",
    "mtgs": "meetings",
    "todo": "to do",
    "hrs": "hours",
    "2day": "today",
    "2moro": "tomorrow",
    "2nite": "tonight",
    "l8": "late",
    "gr8": "great",
}
_SHORTHAND = re.compile(
    # Not inside "R&D", "w/o", "U.S.": only a word standing alone.
    r"(?<![\w'’&/.-])("
    + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True))
    + r")(?![\w'’&/-]|\.\w)",
    re.I,
)
# "2" and "4" for "to" and "for", only where a number cannot be meant: before a pronoun,
# an article or a verb ("meant 2 do", "backup 4 us"); "2 kids" stays two kids.
_TO_FOR = re.compile(
    r"(?<=[a-z] )([24])(?= (?:me|us|you|u|him|her|them|em|it|a|an|the|my|your|ur|our|their|his|"
    r"do|be|have|get|go|see|c|find|stop|know|make|help|say|tell|talk|chat|ask|keep|look|sort|"
    r"deal|fix|change|live|stay|leave|plan|protect|support|work|meet|visit|come|move|"
    r"kip|sleep|uni|college|school|skool)\b)",
    re.I,
)
# "gettin", "waitin": a word with its final g dropped.
_DROPPED_G = re.compile(r"\b([a-z]{3,}in)\b", re.I)


def spell_out(text: str, is_english: Callable[[str], bool]) -> str:
    """The question with its text-speak written out; `is_english` says whether a word
    is in the dictionary ("within" keeps its spelling, "gettin" becomes "getting")."""
    text = _TO_FOR.sub(lambda m: "to" if m.group(1) == "2" else "for", text)
    text = _SHORTHAND.sub(lambda m: SHORTHAND[m.group(1).lower()], text)

    def restore_g(match: re.Match) -> str:
        word = match.group(1)
        lower = word.lower()
        if is_english(lower) or not is_english(lower + "g"):
            return word
        return word + "g"

    return _DROPPED_G.sub(restore_g, text)

"""Text helpers shared by the quote proof, the passage splitter and search.

The quote rule compares only letters and digits, lowercased: the seeds lost their
apostrophes, dashes and hyphens in extraction, and curators may restore them.
"""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (and any closing quote or bracket) before a capital.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])([\"'”’)]*)(\s+)(?=[\"'“‘(]*[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+")

# Words for small numbers, so a figure "seven" proves value 7.
_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


# "seven" is 7, "no" is 0: how the sources write small numbers in words.
NUMBER_WORDS = {word: n for n, word in enumerate(_UNITS)} | {"no": 0, "twenty": 20}


# Exactly the characters str.isalnum() rejects (checked over every code point), in
# one regex pass: proving 20,000 quotes was spending seconds in a per-character loop.
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def letters_digits(text: str) -> str:
    """The lowercased letters and digits of `text`: the form quotes are proven in."""
    return _NOT_LETTER_OR_DIGIT.sub("", text.lower())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def split_sentences(text: str) -> list[str]:
    """Split at a full stop, question or exclamation mark followed by a capital or digit."""
    text = text.strip()
    out: list[str] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        out.append(text[start : match.start(2)])
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def number_words(value: float) -> set[str]:
    """The ways a whole number up to 99 may be written in words ("seven", "twenty one")."""
    if value != int(value):
        return set()
    n = int(value)
    found: set[str] = set()
    if n == 0:
        found |= {"no", "none", "zero"}
    if 0 <= n < 20:
        found.add(_UNITS[n])
    elif 20 <= n < 100:
        tens, unit = divmod(n, 10)
        found.add(_TENS[tens - 2] + (_UNITS[unit] if unit else ""))
    return found


def number_in_text(value: float, text: str) -> bool:
    """True when `value` stands in `text` as digits (30,000 counts as 30000) or in words."""
    digits = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    for token in re.findall(r"\d+(?:\.\d+)?", digits):
        if float(token) == float(value):
            return True
    tokens = {w.lower() for w in words(text)}
    joined = letters_digits(text)
    for spelled in number_words(value):
        if spelled in tokens or (len(spelled) > 6 and spelled in joined):
            return True
    return False

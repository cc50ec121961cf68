"""The words the sources use, for "did you mean" suggestions.

Built with the index (words.json beside meta.json): each word of the records' and
passages' own text, lowercased, with how often it occurs. Whoosh's Levenshtein
automata find the words within an edit distance; they rank as Whoosh's field
corrector ranks them, the most frequent first.

A word list rather than a Whoosh spelling field: the field indexed every word of
every document a second time, a third of the build of a large base.

A word the sources never use is not therefore misspelt: "spending" is no typo for
"sending". A word in a British English dictionary (data/british-english.txt.gz, from
SCOWL; see data/README.md) is never corrected. The dictionary is British, so an
American spelling ("organization", "behavior") is still offered the British one the
reports use: the same word, not another.
"""

from __future__ import annotations

import gzip
import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection
from functools import cache
from pathlib import Path

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.spelling import Corrector

# Whoosh's StandardAnalyzer(stoplist=None, ...): its tokenizer (which counts "*" as
# a letter), lowercased. With no stop list it applies no minimum length either.
_TOKEN = re.compile(r"[\w\*]+(\.?[\w\*]+)*")
FILE = "words.json"
DICTIONARY = Path(__file__).parent / "data" / "british-english.txt.gz"


def spelling_words(text: str) -> list[str]:
    return [match.group(0).lower() for match in _TOKEN.finditer(text)]


def write_words(target: Path, counts: Counter) -> None:
    (target / FILE).write_text(json.dumps(dict(sorted(counts.items()))))


def read_words(index_dir: Path) -> dict[str, int]:
    return json.loads((index_dir / FILE).read_text())


@cache
def english_words() -> frozenset[str]:
    """Correctly spelt British English words, lowercased: read once (about 50 ms), on
    the first word the sources do not use, so most questions never wait for it."""
    return frozenset(gzip.decompress(DICTIONARY.read_bytes()).decode("utf-8").split())


class WordCorrector(Corrector):
    """Suggestions from the word list, the most frequent first at each distance.

    Whoosh's own ListCorrector does this unranked, and its skipper never returns
    the list's first word; this walks the sorted list itself.

    A correctly spelt English word gets no suggestion: `english` is the dictionary
    (by default the British one shipped here; empty, it suggests as Whoosh does).
    """

    def __init__(self, frequencies: dict[str, int], english: Collection[str] | None = None):
        self._frequencies = frequencies
        self._sorted = sorted(frequencies)
        self._english = english

    def is_english(self, word: str) -> bool:
        english = english_words() if self._english is None else self._english
        return word.lower() in english

    def suggest(self, text, limit=5, maxdist=2, prefix=0):
        if self.is_english(text):
            return []
        return super().suggest(text, limit=limit, maxdist=maxdist, prefix=prefix)

    def transposed(self, word: str) -> str | None:
        """The most frequent word the sources use that is `word` with two neighbouring
        letters swapped ("cahms" for "camhs"): one slip of the fingers, though
        Levenshtein's distance counts it as two edits."""
        word = word.lower()
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
        known = [w for w in swaps - {word} if w in self._frequencies]
        return max(known, key=lambda w: (self._frequencies[w], w)) if known else None

    def _first_at_or_after(self, word: str) -> str | None:
        position = bisect_left(self._sorted, word)
        return self._sorted[position] if position < len(self._sorted) else None

    def _suggestions(self, text, maxdist, prefix):
        seen: set[str] = set()
        for distance in range(1, maxdist + 1):
            automaton = levenshtein_automaton(text, distance, prefix).to_dfa()
            for word in find_all_matches(automaton, self._first_at_or_after):
                if word not in seen:
                    seen.add(word)
                    # Whoosh's ReaderCorrector score: higher is better.
                    yield 0 - (maxdist + 0.5 / self._frequencies[word]), word

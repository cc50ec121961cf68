"""The words the sources use, for "did you mean" suggestions.

Built with the index (words.json beside meta.json): each word of the records' and
passages' own text, lowercased, with how often it occurs. Whoosh's Levenshtein
automata find the words within an edit distance; they rank as Whoosh's field
corrector ranks them, the most frequent first.

A word list rather than a Whoosh spelling field: the field indexed every word of
every document a second time, a third of the build of a large base.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from pathlib import Path

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.spelling import Corrector

# Whoosh's StandardAnalyzer(stoplist=None, ...): its tokenizer (which counts "*" as
# a letter), lowercased. With no stop list it applies no minimum length either.
_TOKEN = re.compile(r"[\w\*]+(\.?[\w\*]+)*")
FILE = "words.json"


def spelling_words(text: str) -> list[str]:
    return [match.group(0).lower() for match in _TOKEN.finditer(text)]


def write_words(target: Path, counts: Counter) -> None:
    (target / FILE).write_text(json.dumps(dict(sorted(counts.items()))))


def read_words(index_dir: Path) -> dict[str, int]:
    return json.loads((index_dir / FILE).read_text())


class WordCorrector(Corrector):
    """Suggestions from the word list, the most frequent first at each distance.

    Whoosh's own ListCorrector does this unranked, and its skipper never returns
    the list's first word; this walks the sorted list itself.
    """

    def __init__(self, frequencies: dict[str, int]):
        self._frequencies = frequencies
        self._sorted = sorted(frequencies)

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

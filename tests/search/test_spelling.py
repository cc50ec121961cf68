"""The word list behind "did you mean": the words and the suggestions Whoosh's own
spelling field would give, from the seeds' real text."""

from __future__ import annotations

from collections import Counter

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import TEXT, Schema

from bot.search.spelling import WordCorrector, spelling_words
from tests.conftest import SEEDS

TYPOS = ["fostring", "adoptoin", "chlid", "safegaurding", "leavres", "placment", "sevices"]
TYPOS += ["camhs", "superviison", "assesment", "thresold", "complaint", "xyzzy"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [p.read_text() for p in sorted(SEEDS.glob("*.txt"))]


def test_words_are_whoosh_standard_analyzer_words(texts):
    analyzer = StandardAnalyzer(stoplist=None, minsize=3)
    for text in texts:
        assert spelling_words(text) == [t.text for t in analyzer(text)]


@pytest.fixture(scope="module")
def whoosh_corrector(texts, tmp_path_factory):
    schema = Schema(spell=TEXT(analyzer=StandardAnalyzer(stoplist=None, minsize=3), spelling=True))
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("spell")), schema)
    with ix.writer() as writer:
        for text in texts:
            for paragraph in text.split("\n\n"):
                writer.add_document(spell=paragraph)
    with ix.searcher() as searcher:
        yield searcher.corrector("spell")


@pytest.mark.parametrize("word", TYPOS)
@pytest.mark.parametrize("distance", [1, 2])
def test_suggestions_are_whoosh_suggestions(texts, whoosh_corrector, word, distance):
    counts = Counter(w for text in texts for w in spelling_words(text))
    ours = WordCorrector(counts).suggest(word, limit=5, maxdist=distance, prefix=distance)
    theirs = whoosh_corrector.suggest(word, limit=5, maxdist=distance, prefix=distance)
    assert ours == theirs


def test_the_most_frequent_word_comes_first():
    corrector = WordCorrector({"carer": 2, "cater": 9, "care": 40})
    assert corrector.suggest("carex", limit=3, maxdist=1) == ["care", "carer"]
    assert corrector.suggest("carex", limit=3, maxdist=2) == ["care", "cater", "carer"]

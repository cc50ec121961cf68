"""The word list behind "did you mean": the words and the suggestions Whoosh's own
spelling field would give, from the seeds' real text; and no suggestion for a word
that is spelt right."""

from __future__ import annotations

from collections import Counter

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import TEXT, Schema

from bot.answers import answer
from bot.search.spelling import WordCorrector, english_words, spelling_words
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
    # With no dictionary: the ranking alone, which must be Whoosh's ("complaint" is
    # spelt right, and the dictionary would rightly give it no suggestion).
    corrector = WordCorrector(counts, english=frozenset())
    ours = corrector.suggest(word, limit=5, maxdist=distance, prefix=distance)
    theirs = whoosh_corrector.suggest(word, limit=5, maxdist=distance, prefix=distance)
    assert ours == theirs


def test_the_most_frequent_word_comes_first():
    corrector = WordCorrector({"carer": 2, "cater": 9, "care": 40}, english=frozenset())
    assert corrector.suggest("carex", limit=3, maxdist=1) == ["care", "carer"]
    assert corrector.suggest("carex", limit=3, maxdist=2) == ["care", "cater", "carer"]


# Spelt right. Most are in none of the sources and were "corrected" to a word one edit
# away ("spending" to "sending", "lone" to "long", "quote" to "quoted"); the British
# spellings and "grandparents" are in the sources, and stay right whatever they add.
CORRECT_WORDS = ["spending", "wednesday", "grandparents", "grandparent", "organisation"]
CORRECT_WORDS += ["behaviour", "behaviours", "programme", "judgement", "childminders"]
CORRECT_WORDS += ["breakdowns", "slower", "lone", "evaluating", "handle", "quote"]
REAL_TYPOS = {"adoptoin": "adoption", "fostr": "foster", "safegaurding": "safeguarding"}


def test_the_dictionary_is_british():
    english = english_words()
    assert {"organisation", "behaviour", "programme", "judgement", "prioritise"} <= english
    assert {"organization", "behavior"}.isdisjoint(english)
    assert {"adoptoin", "fostr", "safegaurding", "xyzzy"}.isdisjoint(english)


@pytest.mark.parametrize("word", CORRECT_WORDS)
def test_a_correctly_spelt_word_gets_no_suggestion(texts, word):
    counts = Counter(w for text in texts for w in spelling_words(text))
    for distance in (1, 2):
        assert WordCorrector(counts).suggest(word, maxdist=distance, prefix=distance) == []


@pytest.mark.parametrize("word", CORRECT_WORDS)
def test_the_index_never_corrects_a_correctly_spelt_word(search_index, word):
    _, corrected = search_index.correct(search_index.parse(f"what about {word} in poole"))
    assert corrected is None


@pytest.mark.parametrize(("typo", "fix"), REAL_TYPOS.items())
def test_real_typos_are_still_corrected(search_index, typo, fix):
    _, corrected = search_index.correct(search_index.parse(f"what about {typo} in poole"))
    assert corrected == f"what about {fix} in poole"


def test_an_american_spelling_is_offered_the_reports_british_one(search_index):
    # Not another word: the same word as the reports spell it, which search needs.
    _, corrected = search_index.correct(search_index.parse("organization of services"))
    assert corrected == "organisation of services"


def test_two_letters_swapped_is_one_slip_even_in_a_short_word():
    corrector = WordCorrector(Counter({"camhs": 3, "chasm": 1}), english=set())
    assert corrector.transposed("cahms") == "camhs"
    assert corrector.transposed("camhs") is None  # itself is no correction
    assert corrector.transposed("xyzzy") is None


def test_a_swapped_acronym_is_corrected_and_answered(search_index):
    result = answer("CAHMS for kids in care - how long is the wait", index=search_index)
    assert result.suggestion == "camhs for kids in care - how long is the wait"
    assert result.answered

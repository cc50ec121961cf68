"""Scoring from cached postings gives exactly what Whoosh's own search gives, on the
real index: the same documents, the same BM25F scores, the same order."""

from __future__ import annotations

import threading

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Or, Phrase, Term

from bot.search.engine import FIELDS
from bot.search.index import glossary_phrases, phrase_token, stemming_analyzer
from bot.search.scoring import LRU, TermScorer, top

WORDS = ["fostering", "children", "MASH", "adoption", "risk", "leavers", "the", "zebra"]
PHRASES = [
    "looked after children",
    "children in care",
    "care leavers",
    "child sexual exploitation",
    "missing from home",
    "independent reviewing officers",
    "children after looked",  # the words are there, never in this order
]


def stems(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in stemming_analyzer()(text))


@pytest.fixture(scope="module")
def searcher(search_index):
    ix = whoosh_index.open_dir(str(search_index.path))
    with ix.searcher() as searcher:
        yield searcher


@pytest.fixture(scope="module")
def scorer(searcher):
    return TermScorer(searcher, threading.RLock())


def whoosh_scores(searcher, query) -> dict[int, float]:
    return {r.docnum: r.score for r in searcher.search(query, limit=None)}


@pytest.mark.parametrize("field", ["curated", "body", "context", "everything"])
@pytest.mark.parametrize("word", WORDS)
def test_a_word_scores_as_whoosh_scores_it(searcher, scorer, field, word):
    (stem,) = stems(word) or ("the",)
    expected = whoosh_scores(searcher, Term(field, stem))
    assert scorer.term(field, stem) == pytest.approx(expected, rel=1e-12)


def phrase(scorer, words, **kw):
    return scorer.phrase("everything", words, within=FIELDS, **kw)


@pytest.mark.parametrize("text", PHRASES)
def test_a_phrase_is_found_where_whoosh_phrase_finds_it(searcher, scorer, text):
    """The documents: where Whoosh's positional Phrase query matches in one of the
    fields. The score: the words' summed scores over all the record says."""
    words = stems(text)
    holding: set[int] = set()
    for field in FIELDS:
        holding |= set(whoosh_scores(searcher, Phrase(field, list(words))))
    found = phrase(scorer, words)
    assert set(found) == holding
    per_word = [whoosh_scores(searcher, Term("everything", w)) for w in words]
    expected = {d: sum(p[d] for p in per_word) for d in holding}
    assert found == pytest.approx(expected, rel=1e-12)


def test_the_phrase_list_is_not_vacuous(searcher, scorer):
    matched = [t for t in PHRASES if phrase(scorer, stems(t))]
    assert len(matched) >= 4
    # The words of the last phrase stand together in some documents, never in order.
    words = stems(PHRASES[-1])
    assert all(scorer.term("everything", w) for w in words)
    assert phrase(scorer, words) == {}


def test_glossary_phrases_tagged_at_build_are_the_phrases_positions_find(search_index, scorer):
    """Every glossary phrase: the documents the build tagged with it are exactly the
    documents where the words stand together (checked above against Whoosh)."""
    phrases = sorted(glossary_phrases(search_index.glossary))
    assert len(phrases) > 50
    found = 0
    for words in phrases:
        tagged = phrase(scorer, words, tag=("phrases", phrase_token(words)))
        assert tagged == phrase(scorer, words), words
        found += bool(tagged)
    assert found > 20  # not a comparison of empty sets


def test_summed_parts_rank_as_whoosh_ranks_an_or(searcher, scorer):
    # "fostering" twice, as when two groups of a question share a word: Whoosh
    # counts it twice, and so must the sum.
    parts = [("body", "foster", 1.0), ("curated", "foster", 1.0), ("body", "foster", 1.0)]
    parts += [("curated", "adopt", 1.0), ("everything", "leaver", 1.5)]
    query = Or([Term(f, s, boost=b) for f, s, b in parts])
    summed: dict[int, float] = {}
    for field, stem, boost in parts:
        for doc, score in scorer.term(field, stem).items():
            summed[doc] = summed.get(doc, 0.0) + score * boost
    expected = [(r.docnum, r.score) for r in searcher.search(query, limit=40)]
    got = top(summed, 40)
    assert [d for d, _ in got] == [d for d, _ in expected]
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-12)


def test_top_keeps_only_allowed_documents(scorer):
    scores = scorer.term("body", "foster")
    allowed = frozenset(sorted(scores)[::2])
    picked = top(scores, 10, allowed)
    assert picked and all(d in allowed for d, _ in picked)
    assert picked == top({d: s for d, s in scores.items() if d in allowed}, 10)


def test_concurrent_readers_see_what_one_reader_sees(search_index):
    """Threads sharing one open index (as the bot's answering pool does) get the
    answers a single thread gets: reads of the index are serialised."""
    questions = ["fostering for adoption", "looked after children", "MASH thresholds"]
    questions += ["care leavers in work", "missing from home interviews", "IRO caseloads"]
    expected = {q: _ids(search_index, q) for q in questions}
    fresh = type(search_index)(search_index.path)  # cold caches: every thread reads
    seen: list[tuple[str, list[str]]] = []
    errors: list[BaseException] = []

    def ask(question: str) -> None:
        try:
            for _ in range(3):
                seen.append((question, _ids(fresh, question)))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(q,)) for q in questions * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(seen) == len(questions) * 9
    assert all(ids == expected[q] for q, ids in seen)


def _ids(index, question: str) -> list[str]:
    return [c.hit.id for c in index.search(index.parse(question), limit=20)]


def test_the_cache_forgets_the_least_recently_used():
    cache = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get_fresh("a") == 1
    cache.put("c", 3)
    assert list(cache) == ["a", "c"]

"""A plain BM25 over the source paragraphs: what the knowledge base must beat.

It uses the project's own tokenizer and stemmer (Whoosh's StemmingAnalyzer), so
the comparison is about the knowledge, glossary and intents, not tokenization.
"""

from __future__ import annotations

from rank_bm25 import BM25Okapi

from bot.knowledge import KnowledgeBase
from bot.search.index import MIN_PASSAGE_WORDS, stemming_analyzer


class Bm25Baseline:
    def __init__(self, kb: KnowledgeBase):
        self._analyzer = stemming_analyzer()
        self.ids: list[str] = []
        corpus = []
        for passages in kb.passages.values():
            for passage in passages:
                if passage.heading or len(passage.text.split()) < MIN_PASSAGE_WORDS:
                    continue
                self.ids.append(passage.id)
                corpus.append(self._tokens(passage.text))
        self._bm25 = BM25Okapi(corpus)

    def _tokens(self, text: str) -> list[str]:
        return [t.text for t in self._analyzer(text)]

    def rank(self, question: str) -> tuple[bool, list[str]]:
        """Always answers: plain BM25 has no notion of 'not covered'."""
        scores = self._bm25.get_scores(self._tokens(question))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        return True, [self.ids[i] for i in order[:10]]

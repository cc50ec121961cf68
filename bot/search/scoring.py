"""Whoosh's BM25F, scored from cached postings instead of Whoosh's matcher tree.

Whoosh spends about five microseconds per posting walking its matchers, and a
question's Or of words over three fields walks every posting of every word: at a
hundred times the seeds (40,000 documents) that was 200 ms a question and 1.5 s at
the tail. Here each (field, stem) is read from Whoosh once, turned into the
per-document BM25F contributions Whoosh itself would compute (same idf, same
average and per-document field lengths, same B and K1), and kept; a question then
adds up dictionaries. Word scores are Whoosh's to the last bit (tests/search checks
them against Whoosh's own search), so the ranking is unchanged; the cost moves from
every question to the first question that uses a word.

A phrase scores as Whoosh scores one (its words' scores, summed) in documents where
its words stand in order, one after another, in one field: a glossary phrase was
tagged there when the index was built; any other phrase is checked on Whoosh's
stored positions, by Whoosh's rule (adjacent once stop words are dropped).
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Set as AbstractSet

from whoosh.scoring import BM25F

# (field, stem) postings kept; a few thousand words cover what people ask.
CACHED_TERMS = 4096


class LRU(OrderedDict):
    """A least-recently-used mapping that forgets the oldest entry past `limit`."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def get_fresh(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        self[key] = value
        if len(self) > self.limit:
            self.popitem(last=False)


class TermScorer:
    """Per-document BM25F contributions of stems, read from an open Whoosh searcher."""

    def __init__(self, searcher, lock: threading.RLock):
        self._searcher = searcher
        self._reader = searcher.reader()
        self._docs = self._reader.doc_count_all()
        weighting = BM25F()
        self._b, self._k1 = weighting.B, weighting.K1
        self._length_norms: dict[str, list[float]] = {}
        self._terms = LRU(CACHED_TERMS)
        self._phrases = LRU(CACHED_TERMS // 4)
        # The index's read lock: see SearchIndex.
        self._lock = lock

    @property
    def documents(self) -> int:
        return self._docs

    def _length_norm(self, field: str) -> list[float]:  # called with the lock held
        """Per document, the length part of BM25's denominator, worked out once per
        field in the very expression whoosh.scoring.bm25 uses, so scores match bit
        for bit."""
        norms = self._length_norms.get(field)
        if norms is None:
            length = self._searcher.doc_field_length
            average = self._searcher.avg_field_length(field) or 1
            b, k1 = self._b, self._k1
            # BM25F's scorer reads a missing length as 1; so do we.
            norms = [
                k1 * ((1 - b) + b * (length(d, field, 1) or 1) / average) for d in range(self._docs)
            ]
            self._length_norms[field] = norms
        return norms

    def term(self, field: str, stem: str) -> dict[int, float]:
        """docnum -> the BM25F score Whoosh's Term(field, stem) gives that document."""
        key = (field, stem)
        with self._lock:
            cached = self._terms.get_fresh(key)
            if cached is None:
                cached = self._read_term(field, stem)
                self._terms.put(key, cached)
        return cached

    def _read_term(self, field: str, stem: str) -> dict[int, float]:
        if (field, stem) not in self._reader:
            return {}
        idf = self._searcher.idf(field, stem)
        norms = self._length_norm(field)
        boost = self._k1 + 1
        scores: dict[int, float] = {}
        # Segment by segment: a multi-segment reader wraps every posting in a matcher
        # of its own, a fifth of the read.
        for segment, offset in self._reader.leaf_readers():
            if (field, stem) not in segment:
                continue
            postings = segment.postings(field, stem)
            while postings.is_active():
                doc = postings.id() + offset
                tf = postings.weight()
                # whoosh.scoring.bm25, with the length part looked up.
                scores[doc] = idf * ((tf * boost) / (tf + norms[doc]))
                postings.next()
        return scores

    def phrase(
        self,
        field: str,
        stems: tuple[str, ...],
        *,
        within: tuple[str, ...],
        tag: tuple[str, str] | None = None,
    ) -> dict[int, float]:
        """docnum -> the summed scores of the words in `field` (as Whoosh scores a
        phrase), in documents where the words stand in order, one after another, in
        one of the fields `within`.

        With `tag` (a field and token), the index tagged the documents holding the
        phrase when it was built (a glossary phrase): they are read from there, not
        from positions.
        """
        key = (field, stems, within, tag)
        with self._lock:
            cached = self._phrases.get_fresh(key)
            if cached is not None:
                return cached
            if tag:
                adjacent = self._tagged(*tag)
            else:
                adjacent = set()
                for positional in within:
                    holding = [set(self.term(positional, s)) for s in stems]
                    common = set.intersection(*holding) if holding else set()
                    adjacent |= self._adjacent(positional, stems, common)
            per_word = [self.term(field, s) for s in stems]
            scores = {d: sum(p.get(d, 0.0) for p in per_word) for d in sorted(adjacent)}
            self._phrases.put(key, scores)
        return scores

    def _tagged(self, field: str, token: str) -> set[int]:
        if (field, token) not in self._reader:
            return set()
        return set(self._reader.postings(field, token).all_ids())

    def _adjacent(self, field: str, stems: tuple[str, ...], docs: set[int]) -> set[int]:
        if not docs:
            return set()
        wanted = sorted(docs)
        positions: list[dict[int, frozenset[int]]] = []
        for stem in stems:
            found: dict[int, frozenset[int]] = {}
            postings = self._reader.postings(field, stem)
            for doc in wanted:
                postings.skip_to(doc)
                if not postings.is_active():
                    break
                if postings.id() == doc:
                    found[doc] = frozenset(postings.value_as("positions"))
            positions.append(found)
        first, rest = positions[0], positions[1:]
        return {
            doc
            for doc in wanted
            if doc in first
            and all(doc in later for later in rest)
            and any(
                all(start + i + 1 in later[doc] for i, later in enumerate(rest))
                for start in first[doc]
            )
        }

    def documents_with(self, field: str, value) -> frozenset[int]:
        """The docnums whose `field` holds `value` (a kind, a report, a theme)."""
        key = ("documents", field, value)
        with self._lock:
            cached = self._terms.get_fresh(key)
            if cached is None:
                found: list[int] = []
                for segment, offset in self._reader.leaf_readers():
                    if (field, value) in segment:
                        found += (d + offset for d in segment.postings(field, value).all_ids())
                cached = frozenset(found)
                self._terms.put(key, cached)
        return cached


def top(scores: dict[int, float], limit: int, allowed: AbstractSet[int] | None = None) -> list:
    """The `limit` best (docnum, score) pairs, ties in index order, as Whoosh orders them."""
    docs = sorted(scores.keys() & allowed if allowed is not None else scores)
    # By score alone, over docnums in order: of equal scores the earlier is kept, and
    # no tuple is made per document (thousands of them fed the garbage collector).
    best = heapq.nlargest(limit, docs, key=scores.__getitem__)
    return [(d, scores[d]) for d in best]

"""Searching the index: a parsed query in, scored candidates out.

Whoosh query objects are built from the parsed query's words; user text never
reaches Whoosh's query parser.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import And, Or, Phrase, Query, Term

from .hits import Hit
from .index import IndexMeta, read_meta, stemming_analyzer
from .query import GlossaryForms, ParsedQuery, TermGroup, parse_query, tokenize
from .vocabulary import FILLER, SAY_WORDS

FIELDS = ("title", "summary", "asks", "body", "context")
# A curated record outranks a raw paragraph that is equally relevant; Ofsted's own
# words outrank the press's account of them.
KIND_PRIOR = {"passage": 0.8, "history": 0.95}
PRESS_PRIOR = 0.85
# The latest inspection is what people run the service by; older ones rank a little lower.
OLDER_PRIOR = 0.9
# "What did the councillor say": a named person's statement is what is wanted.
STATEMENT_BOOST = 1.6


class IndexMissing(Exception):
    """There is no usable index at the path; build one with `inspection-bot index`."""


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    score: float  # the final ranking score
    coverage: float  # share of the query's term groups the record contains
    bm25: float


@lru_cache(maxsize=4096)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(t.text for t in stemming_analyzer()(word))


def alternative_stems(alternative: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for word in alternative for s in _stems(word))


class SearchIndex:
    """An open index and what query understanding needs from it."""

    def __init__(self, index_dir: Path):
        try:
            resolved = index_dir.resolve(strict=True)
            self._ix = whoosh_index.open_dir(str(resolved))
        except (OSError, whoosh_index.EmptyIndexError, ValueError) as error:
            raise IndexMissing(f"no search index at {index_dir}") from error
        meta = read_meta(resolved)
        if meta is None:
            raise IndexMissing(f"the index at {index_dir} has no meta.json")
        self.path = resolved
        self.meta: IndexMeta = meta
        self._searcher = self._ix.searcher()
        self.glossary = GlossaryForms.build(meta.glossary)
        self.theme_ids = tuple(t["id"] for t in meta.themes)
        self._stems_of: dict[str, frozenset[str]] = {}
        self._corrector = self._searcher.corrector("spell")
        self._reader = self._searcher.reader()
        self._docs = self._reader.doc_count()
        self._idf_cache: dict[str, float] = {}
        self._max_idf = math.log(self._docs + 1) + 1

    def close(self) -> None:
        self._searcher.close()

    def parse(self, text: str) -> ParsedQuery:
        return parse_query(text, glossary=self.glossary, theme_ids=self.theme_ids)

    # -- spelling ---------------------------------------------------------------------

    def known_word(self, word: str) -> bool:
        return self._reader.doc_frequency("spell", word) > 0

    def correct(self, parsed: ParsedQuery) -> tuple[ParsedQuery, str | None]:
        """Fix words the sources never use; return the corrected query and its text."""
        fixes: dict[str, str] = {}
        groups: list[TermGroup] = []
        for group in parsed.groups:
            word = group.label
            if (
                group.kind == "word"
                and len(word) >= 4
                and not word.isdigit()
                and not self.known_word(word)
            ):
                fix = self._suggest(word)
                if fix:
                    fixes[word] = fix
                    group = TermGroup(word, ((word,), (fix,)), "word")
            groups.append(group)
        if not fixes:
            return parsed, None
        text = parsed.text
        for wrong, right in fixes.items():
            text = re.sub(rf"\b{re.escape(wrong)}\b", right, text, flags=re.I)
        return ParsedQuery(**{**parsed.__dict__, "groups": tuple(groups)}), text

    def _suggest(self, word: str) -> str | None:
        """The closest word the sources use: one edit away, or two for long words.

        The first letter (two, for two edits) must match: people rarely mistype
        the start of a word, and "weather" is not a typo for "teacher".
        """
        for distance in (1, 2) if len(word) >= 7 else (1,):
            for suggestion in self._corrector.suggest(
                word, limit=5, maxdist=distance, prefix=distance
            ):
                if suggestion != word and len(suggestion) >= 4 and suggestion not in FILLER:
                    return suggestion
        return None

    # -- retrieval --------------------------------------------------------------------

    def _group_query(self, group: TermGroup) -> Query | None:
        parts: list[Query] = []
        for alternative in group.alternatives:
            stems = alternative_stems(alternative)
            if not stems:
                continue
            for field in FIELDS:
                if len(stems) == 1:
                    parts.append(Term(field, stems[0]))
                else:
                    parts.append(Phrase(field, list(stems)))
        return Or(parts) if parts else None

    def stems_of(self, hit_id: str, stored: str) -> frozenset[str]:
        cached = self._stems_of.get(hit_id)
        if cached is None:
            cached = self._stems_of[hit_id] = frozenset(stored.split())
        return cached

    def _idf(self, stem: str) -> float:
        """How telling a stem is: rare in the index means specific to the question."""
        cached = self._idf_cache.get(stem)
        if cached is None:
            df = max(
                self._reader.doc_frequency(f, stem) for f in ("title", "summary", "asks", "body")
            )
            cached = math.log((self._docs + 1) / (df + 1)) + 1 if df else 0.0
            self._idf_cache[stem] = cached
        return cached

    def group_weight(self, group: TermGroup) -> float:
        """A group weighs as much as its most telling alternative; an unknown word weighs
        half the most telling word there is, so a question about something the sources
        never mention is not answered from its commonest word alone."""
        weights = [
            min(self._idf(s) for s in stems)
            for stems in (alternative_stems(a) for a in group.alternatives)
            if stems
        ]
        if not weights:
            return 0.0
        best = max(weights)
        return best if best > 0 else 0.5 * self._max_idf

    def coverage(self, parsed: ParsedQuery, stems: frozenset[str]) -> float:
        """The share of the question, weighted by how telling each part is, in a record."""
        total = covered = 0.0
        for group in parsed.groups:
            weight = self.group_weight(group)
            total += weight
            for alternative in group.alternatives:
                wanted = alternative_stems(alternative)
                if wanted and all(s in stems for s in wanted):
                    covered += weight
                    break
        return covered / total if total else 0.0

    def search(
        self,
        parsed: ParsedQuery,
        *,
        kinds: set[str] | None = None,
        reports: set[str] | None = None,
        theme: str | None = None,
        include_drafts: bool = False,
        limit: int = 60,
        match_all: bool = False,
    ) -> list[Candidate]:
        """Candidates for the query, best first, after curated-first re-ranking."""
        group_queries = [q for q in (self._group_query(g) for g in parsed.groups) if q]
        filters: list[Query] = []
        if kinds:
            filters.append(Or([Term("kind", k) for k in sorted(kinds)]))
        if reports is not None:
            if not reports:
                return []
            filters.append(Or([Term("report", r) for r in sorted(reports)]))
        if theme:
            filters.append(Term("themes", theme))
        if not include_drafts:
            filters.append(Term("reviewed", True))
        filter_query = And(filters) if filters else None
        if not group_queries:
            if not match_all:
                return []
            from whoosh.query import Every

            results = self._searcher.search(Every(), filter=filter_query, limit=None)
        else:
            results = self._searcher.search(Or(group_queries), filter=filter_query, limit=limit)
        latest = max((r["year"] or 0 for r in self.meta.reports), default=0)
        wants_statement = bool(set(tokenize(parsed.text)) & SAY_WORDS)
        candidates = []
        for result in results:
            hit = Hit.from_json(json.loads(result["payload"]))
            cover = self.coverage(parsed, self.stems_of(hit.id, result["stems"]))
            bm25 = float(result.score or 0.0)
            prior = KIND_PRIOR.get(hit.kind, 1.0) * (PRESS_PRIOR if hit.is_press else 1.0)
            if hit.year and hit.year < latest:
                prior *= OLDER_PRIOR
            if wants_statement and hit.category == "statement":
                prior *= STATEMENT_BOOST
            score = bm25 * (0.35 + 0.65 * cover) * prior
            candidates.append(Candidate(hit.scored(bm25), score, cover, bm25))
        candidates.sort(key=lambda c: (-c.score, c.hit.id))
        return candidates


def open_search_index(index_dir: Path) -> SearchIndex:
    return SearchIndex(index_dir)

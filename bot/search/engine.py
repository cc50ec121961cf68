"""Searching the index: a parsed query in, scored candidates out.

A question is scored with Whoosh's BM25F from cached postings (see scoring.py);
user text never reaches Whoosh's query parser, and filters are Whoosh queries
built from typed values. Where the build has semantic vectors (semantic.py), the
records nearest the question in meaning join BM25's best, and the ranking blends
the two: a paraphrase that shares no word with its answer can still find it.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage

from .adapter import SHIPPED
from .hits import Hit
from .index import (
    IndexMeta,
    alternative_stems,
    glossary_phrases,
    phrase_stem,
    phrase_token,
    read_meta,
)
from .query import GlossaryForms, ParsedQuery, TermGroup, parse_query, tokenize
from .scoring import LRU, TermScorer, top
from .semantic import SemanticIndex
from .spelling import WordCorrector, read_words
from .vocabulary import COMPARISON_FRAME_WORDS, FILLER, LETTER_WORDS

FIELDS = ("curated", "body", "context")
# How many of Whoosh's BM25 best are re-ranked by coverage and priors.
POOL = 200
# idf below this: a word in over a quarter of the documents (log(4) + 1).
COMMON_IDF = math.log(4) + 1
# A curated record outranks a raw paragraph that is equally relevant; Ofsted's own
# words outrank the press's account of them.
KIND_PRIOR = {"passage": 0.8, "history": 0.95}
PRESS_PRIOR = 0.7
# The latest inspection is what people run the service by; older ones rank a little lower.
OLDER_PRIOR = 0.9
# Decoded stored documents kept in memory: every record of a large base, not all
# of its passages.
STORED_CACHED = 20_000
# A phrase counts this much more than its words would apart.
PHRASE_BOOST = 1.5
# What the wording asks for ("what did the paper say", "what went well") counts this much.
PREFERRED = 1.6
# A lost figure is shown when asked for, but a stated one answers better.
MISSING_PRIOR = 0.6
# Semantic similarity (cosine of sentence embeddings, semantic.py). Below SIMILAR_FROM a
# record is no nearer the question than most are; above it, similarity adds up to
# SEMANTIC_WEIGHT to a ranking where the best lexical match scores 1. The
# SEMANTIC_POOL records nearest in meaning are scored as well as BM25's best.
SIMILAR_FROM = 0.3
SEMANTIC_WEIGHT = 2.0
SEMANTIC_POOL = 10
# A record can answer by meaning alone only from this similarity (see
# bot/answers/evidence.py, SIMILAR_ENOUGH); how near the rest of the question is, is
# worked out for the REST_CHECKED records nearest in meaning past it (each a pooling
# of the question's one forward pass and a few dot products).
REST_FROM = 0.45
REST_CHECKED = 20
# The lexical score (BM25 after coverage and priors) a ranking is normalised by, at
# least: a weak best match is not promoted to a strong one.
LEXICAL_SCALE = 4.0


class IndexMissing(Exception):
    """There is no usable index at the path; build one with `inspection-bot index`."""


@dataclass(frozen=True)
class SearchScope:
    """What a search may return: which kinds, reports, theme and finding categories
    (empty: any), and whether unreviewed drafts count. Hashable, so the searches and
    document sets of a scope are cached."""

    include_drafts: bool = False
    kinds: frozenset[str] = frozenset()
    reports: frozenset[str] | None = None  # None: every report
    theme: str | None = None
    categories: frozenset[str] = frozenset()

    def admits(self, hit: Hit) -> bool:
        """Whether a hit found with drafts decided the same way is within the scope."""
        return (
            (not self.kinds or hit.kind in self.kinds)
            and (self.reports is None or hit.report in self.reports)
            and (not self.theme or self.theme in hit.themes)
            and (not self.categories or hit.category in self.categories)
        )


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    score: float  # the final ranking score
    coverage: float  # share of the query's term groups the record contains
    bm25: float
    covered: frozenset[str] = frozenset()  # labels of the groups the record contains
    lexical: float = 0.0  # BM25 after coverage and priors: the words' evidence alone
    similarity: float = 0.0  # cosine similarity in meaning to the question (0: none)
    # ... and of the question's topics the record's words do not contain (its
    # similarity when it contains none; 1 when it contains them all)
    rest_similarity: float = 0.0

    def covers_word(self, word: str) -> bool:
        return any(word in label.split() for label in self.covered)


class SearchIndex:
    """An open index and what query understanding needs from it."""

    def __init__(self, index_dir: Path, *, adapter: Path | None = SHIPPED):
        try:
            resolved = index_dir.resolve(strict=True)
            # No mmap: a file truncated or overwritten under a running server must
            # raise an error we can recover from (a rebuild), not SIGBUS the process.
            self._ix = FileStorage(str(resolved), supports_mmap=False).open_index()
        except Exception as error:  # missing, empty or corrupted: all mean "rebuild"
            raise IndexMissing(f"no usable search index at {index_dir}: {error}") from error
        meta = read_meta(resolved)
        if meta is None:
            raise IndexMissing(f"the index at {index_dir} has no meta.json")
        self.path = resolved
        self.meta: IndexMeta = meta
        # Without mmap, a segment's files share one OS file, read by seek then read:
        # two threads reading at once could each get the other's bytes. Every read
        # of the index takes this lock; scoring from cached postings does not.
        self._read_lock = threading.RLock()
        self._searcher = self._ix.searcher()
        self.glossary = GlossaryForms.build(meta.glossary)
        self._tagged_phrases = glossary_phrases(self.glossary)
        self._latest_year = max((r["year"] or 0 for r in meta.reports), default=0)
        self.theme_ids = tuple(t["id"] for t in meta.themes)
        self.place_words = place_words(meta.coverage)
        self._stems_of: LRU = LRU(STORED_CACHED)
        try:
            self._words = read_words(resolved)
        except (OSError, ValueError) as error:
            raise IndexMissing(f"the index at {index_dir} has no word list: {error}") from error
        self._corrector = WordCorrector(self._words)
        self._reader = self._searcher.reader()
        self._docs = self._reader.doc_count()
        self._idf_cache: dict[str, float] = {}
        self._hits: LRU = LRU(STORED_CACHED)
        self._scorer = TermScorer(self._searcher, self._read_lock)
        self._max_idf = math.log(self._docs + 1) + 1
        # `adapter`: the query adapter's file (adapter.py); None compares questions
        # as the model alone does (the benchmark's "before").
        self.semantic = SemanticIndex.open(resolved, self._scorer.documents, adapter=adapter)

    def close(self) -> None:
        self._searcher.close()

    def parse(self, text: str) -> ParsedQuery:
        return parse_query(
            text, glossary=self.glossary, theme_ids=self.theme_ids, place_words=self.place_words
        )

    # -- spelling ---------------------------------------------------------------------

    def known_word(self, word: str) -> bool:
        return word in self._words

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
        # The corrected words are what is compared in meaning, too.
        return ParsedQuery(**{**parsed.__dict__, "groups": tuple(groups), "text": text}), text

    def _suggest(self, word: str) -> str | None:
        """The closest word the sources use: two letters swapped, one edit away, or
        two for long words.

        The first letter (two, for two edits) must match: people rarely mistype
        the start of a word, and "weather" is not a typo for "teacher".
        """
        swapped = self._corrector.transposed(word)
        if swapped and swapped not in FILLER:
            return swapped
        for distance in (1, 2) if len(word) >= 7 else (1,):
            for suggestion in self._corrector.suggest(
                word, limit=5, maxdist=distance, prefix=distance
            ):
                if suggestion != word and len(suggestion) >= 4 and suggestion not in FILLER:
                    return suggestion
        return None

    # -- retrieval --------------------------------------------------------------------

    def _common(self, stem: str) -> bool:
        """In more than a quarter of all documents: costly to match, little to rank by."""
        idf = self._idf(stem)
        return 0 < idf < COMMON_IDF

    def _group_parts(self, group: TermGroup, *, skip_common: bool = False) -> list[tuple]:
        """One group as scored parts: a word over each weighted field, a phrase over all
        text at once. Each part is (field, stems, boost).

        With `skip_common`, words in most documents are left to the coverage check:
        they are the longest postings to add up, and they hardly change BM25.
        """
        parts: list[tuple] = []
        for stems in dict.fromkeys(alternative_stems(a) for a in group.alternatives):
            if skip_common and len(stems) == 1 and self._common(stems[0]):
                continue
            if len(stems) == 1:
                parts += [(field, stems, 1.0) for field in FIELDS]
            elif stems:
                parts.append(("everything", stems, PHRASE_BOOST))
        return parts

    def _stems(self, docnum: int) -> str:
        """A document's stems, read once (stored fields cost a decompression each time),
        as one string, " stem stem ": a string the garbage collector never walks,
        where a cache of sets of strings cost every full collection 25 ms."""
        with self._read_lock:
            cached = self._stems_of.get_fresh(docnum)
            if cached is None:
                cached = f" {self._searcher.stored_fields(docnum)['stems']} "
                self._stems_of.put(docnum, cached)
        return cached

    def _idf(self, stem: str) -> float:
        """How telling a stem is: rare in the index means specific to the question."""
        cached = self._idf_cache.get(stem)
        if cached is None:
            with self._read_lock:
                df = max(self._reader.doc_frequency(f, stem) for f in ("curated", "body"))
            cached = math.log((self._docs + 1) / (df + 1)) + 1 if df else 0.0
            self._idf_cache[stem] = cached
        return cached

    def group_weight(self, group: TermGroup) -> float:
        """A group weighs as much as its most telling alternative; an unknown word weighs
        half the most telling word there is, so a question about something the sources
        never mention is not answered from its commonest word alone."""
        weights = [
            max(self._idf(s) for s in stems)
            for stems in (alternative_stems(a) for a in group.alternatives)
            if stems
        ]
        if not weights:
            return 0.0
        best = max(weights)
        return best if best > 0 else 0.5 * self._max_idf

    def specific(self, parsed: ParsedQuery) -> bool:
        """Does the question name something specific: a topic with a word found in under
        a quarter of the documents? "How did the borough do for kids" does not."""
        for group in parsed.groups:
            if group.soft:
                continue
            # A phrase is as rare as its rarest word; a group as common as its commonest
            # way of saying it ("kids" is rare, "children" is not); unknown words say nothing.
            rarity = [
                max(self._idf(stem) for stem in stems)
                for stems in (alternative_stems(a) for a in group.alternatives)
                if stems
            ]
            known = [r for r in rarity if r > 0]
            if known and min(known) >= COMMON_IDF:
                return True
        return False

    def coverage_plan(self, parsed: ParsedQuery) -> list[tuple[str, float, list[tuple[str, ...]]]]:
        """Each topical group's label, weight and stemmed alternatives (each stem
        padded with spaces, as `_stems` stores them): worked out once per question,
        then checked against every candidate."""
        plan = []
        for group in parsed.groups:
            if group.soft:
                continue
            alternatives = [a for a in (alternative_stems(x) for x in group.alternatives) if a]
            # A glossary phrase is covered where its words stand together, not anywhere.
            padded = [
                (f" {phrase_stem(phrase_token(a))} ",)
                if len(a) > 1 and a in self._tagged_phrases
                else tuple(f" {s} " for s in a)
                for a in alternatives
            ]
            plan.append((group.label, self.group_weight(group), padded))
        return plan

    @staticmethod
    def coverage(plan, stems: str) -> tuple[float, frozenset[str]]:
        """The share of the question, weighted by how telling each part is, that a
        record contains; and the labels of the groups it contains."""
        total = covered = 0.0
        labels: set[str] = set()
        for label, weight, alternatives in plan:
            total += weight
            if any(all(s in stems for s in wanted) for wanted in alternatives):
                covered += weight
                labels.add(label)
        return (covered / total if total else 0.0), frozenset(labels)

    def search(
        self,
        parsed: ParsedQuery,
        *,
        kinds: set[str] | None = None,
        reports: set[str] | None = None,
        theme: str | None = None,
        categories: set[str] | None = None,
        include_drafts: bool = False,
        limit: int = 60,
        match_all: bool = False,
    ) -> list[Candidate]:
        """Candidates for the query, best first, after curated-first re-ranking.

        `categories` keeps findings of those kinds (strength, weakness, ...).
        `match_all` lists every record that passes the filters, whatever the words.
        """
        if reports is not None and not reports:
            return []
        scope = SearchScope(
            include_drafts=include_drafts,
            kinds=frozenset(kinds or ()),
            reports=frozenset(reports) if reports is not None else None,
            theme=theme,
            categories=frozenset(categories or ()),
        )
        if match_all:
            return self._listing(scope)
        unfiltered = SearchScope(include_drafts=include_drafts)
        if self.semantic is not None and scope != unfiltered:
            # The records nearest in meaning within a narrower scope are not all among
            # the nearest overall: with semantic vectors, a filtered search is its own
            # (the question's forward pass is shared; only the words are scored again).
            return self._scored(parsed, scope)[:limit]
        # One unfiltered search serves every look an answer takes (kinds, reports),
        # unless more documents matched than the pool holds: then ask again, filtered.
        pool = self._scored(parsed, unfiltered)
        chosen = [c for c in pool if scope.admits(c.hit)]
        if len(pool) < POOL or len(chosen) >= limit:
            return chosen[:limit]
        return self._scored(parsed, scope)[:limit]

    @lru_cache(maxsize=16)  # noqa: B019 - one question's searches, reused by its handlers
    def _scored(self, parsed: ParsedQuery, scope: SearchScope) -> list[Candidate]:
        """The best matches for the query within the scope, scored and re-ranked.

        The top POOL by BM25F (as Whoosh would rank them) are re-ranked by coverage
        and priors. Memoised, so an answer that looks at the same candidates twice
        scores them once.
        """
        parts = [p for g in parsed.groups for p in self._group_parts(g, skip_common=True)]
        if not parts:  # only common words: search on them after all
            parts = [p for g in parsed.groups for p in self._group_parts(g)]
        if not parts:
            return []
        # Summed as Whoosh's Or sums them: a word two groups share counts twice.
        bm25: dict[int, float] = {}
        for field, stems, boost in parts:
            if len(stems) == 1:
                scores = self._scorer.term(field, stems[0])
            else:
                tag = ("phrases", phrase_token(stems)) if stems in self._tagged_phrases else None
                scores = self._scorer.phrase(field, stems, within=FIELDS, tag=tag)
            for doc, score in scores.items():
                bm25[doc] = bm25.get(doc, 0.0) + score * boost
        allowed = self._allowed(scope)
        plan = self.coverage_plan(parsed)
        similarity = self.similarities(parsed)
        ranking = self.ranking(parsed)
        pool = top(bm25, POOL, allowed)
        if similarity is not None:
            # Without an adapter the two are one array: looked through once.
            for near_by in (similarity,) if ranking is similarity else (similarity, ranking):
                nearest = self._nearest(near_by, scope, {d for d, _ in pool})
                pool += [(d, bm25.get(d, 0.0)) for d in nearest]
        scored = []
        for docnum, score in pool:
            hit = self._hit(docnum)
            cover, labels = self.coverage(plan, self._stems(docnum))
            prior = _prior(hit, parsed.prefer, self._latest_year)
            lexical = score * (0.35 + 0.65 * cover) * prior
            near = float(similarity[docnum]) if similarity is not None else 0.0
            # A figure is ranked as the model alone sees it: a total and its breakdowns
            # (children in care; those living with their parents) are asked alike, so
            # the turn moves them together and can put a breakdown before its total. On
            # both blind sets the turn changed no figure's answer, only findings'.
            ranked = near if ranking is None or hit.kind == "figure" else float(ranking[docnum])
            scored.append((hit, lexical, prior, cover, score, labels, near, ranked))
        scale = max([LEXICAL_SCALE, *(s[1] for s in scored)])
        # The rest of the question is compared only for the records nearest it in
        # meaning (a pooling of the question's own forward pass, no model run).
        nearest_few = sorted(
            (i for i, s in enumerate(scored) if s[6] >= REST_FROM), key=lambda i: -scored[i][6]
        )[:REST_CHECKED]
        checked = {pool[i][0] for i in nearest_few}
        candidates = [
            Candidate(
                hit,
                lexical / scale
                + (prior * _semantic(ranked) if _wanted(hit, parsed.prefer) else 0.0),
                cover,
                score,
                labels,
                lexical=lexical,
                similarity=near,
                rest_similarity=(
                    self._rest_similarity(parsed, docnum, labels, near)
                    if docnum in checked
                    else 0.0
                ),
            )
            for (docnum, _), (hit, lexical, prior, cover, score, labels, near, ranked) in zip(
                pool, scored, strict=True
            )
        ]
        candidates.sort(key=lambda c: (-c.score, c.hit.id))
        return candidates

    def ranking(self, parsed: ParsedQuery) -> np.ndarray | None:
        """Each document's similarity in meaning to the question as the query adapter
        turns it (semantic.py): what orders the records; None as for similarities."""
        text = self._meaning_text(parsed)
        return self.semantic.ranking(text) if text else None

    def similarities(self, parsed: ParsedQuery) -> np.ndarray | None:
        """Each document's similarity in meaning to the question's topic, by docnum;
        None without semantic vectors or without a topic."""
        text = self._meaning_text(parsed)
        return self.semantic.similarities(text) if text else None

    def _meaning_text(self, parsed: ParsedQuery) -> str | None:
        """What of the question is compared in meaning; None when nothing can be."""
        if self.semantic is None or parsed.empty:
            return None
        return semantic_text(parsed, self.place_words) or None

    def _rest_similarity(
        self, parsed: ParsedQuery, docnum: int, covered: frozenset[str], similarity: float
    ) -> float:
        """How near in meaning a record is to the topics of the question it does not
        contain. A record about foster carers is near "foster carer allowance" as a
        whole, but not near "allowance": the part it lacks is not a paraphrase of
        anything it says. The part is pooled from the question's own forward pass
        (its words' pieces, in context), so checking costs no model run."""
        if self.semantic is None or similarity < SIMILAR_FROM:
            return 0.0
        rest = [g.label for g in parsed.groups if not g.soft and g.label not in covered]
        if not rest:
            return 1.0
        if len(rest) == len(parsed.topic_words):
            return similarity
        words = frozenset(w for w in tokenize(" ".join(rest)) if w not in FILLER)
        if not words:
            return 1.0
        text = semantic_text(parsed, self.place_words)
        near = self.semantic.part_similarity(text, words, docnum)
        # Words the question's text does not hold as typed (a corrected spelling):
        # nothing to pool, so the record is as near as it is to the whole.
        return similarity if near is None else near

    def _nearest(self, similarity: np.ndarray, scope: SearchScope, exclude: set[int]) -> list[int]:
        """The SEMANTIC_POOL documents within the scope nearest the question in
        meaning, past SIMILAR_FROM, that BM25 did not find."""
        within = self._allowed_array(scope)
        values = similarity if within is None else similarity[within]
        count = min(SEMANTIC_POOL + len(exclude), len(values))
        if not count:
            return []
        best = np.argpartition(-values, count - 1)[:count]
        best = best[np.argsort(-values[best], kind="stable")]
        docnums = best if within is None else within[best]
        found = []
        for docnum, value in zip(docnums.tolist(), values[best].tolist(), strict=True):
            if value < SIMILAR_FROM or len(found) >= SEMANTIC_POOL:
                break
            if docnum not in exclude:
                found.append(docnum)
        return found

    @lru_cache(maxsize=16)  # noqa: B019 - a handful of filters, and the index never changes
    def _allowed_array(self, scope: SearchScope) -> np.ndarray | None:
        allowed = self._allowed(scope)
        return None if allowed is None else np.array(sorted(allowed), dtype=np.int64)

    def records_of_kind(self, kind: str) -> list[Hit]:
        """Every curated record of one kind (history events, say), in index order."""
        return [c.hit for c in self._listing(SearchScope(kinds=frozenset([kind])))]

    @lru_cache(maxsize=32)  # noqa: B019 - listings repeat ("ratings"), and the index never changes
    def _listing(self, scope: SearchScope) -> list[Candidate]:
        """Every record within the scope, in index order, whatever the words."""
        allowed = self._allowed(scope)
        docnums = sorted(allowed) if allowed is not None else range(self._scorer.documents)
        return [Candidate(self._hit(d), 1.0, 0.0, 0.0) for d in docnums]

    @lru_cache(maxsize=16)  # noqa: B019 - a handful of filters, and the index never changes
    def _allowed(self, scope: SearchScope) -> frozenset[int] | None:
        """The docnums within the scope; None when every document is.

        Built from one cached set of documents per value (a kind, a report), so a
        new combination of filters costs set operations, not a pass over the index.
        """
        chosen: frozenset[int] | None = None
        wanted = [("kind", scope.kinds), ("category", scope.categories)]
        wanted.append(("themes", frozenset({scope.theme} if scope.theme else ())))
        if scope.reports is not None:
            wanted.append(("report", scope.reports or frozenset({""})))  # none: nothing passes
        for field, values in wanted:
            if not values:
                continue
            docs = frozenset().union(*(self._scorer.documents_with(field, v) for v in values))
            chosen = docs if chosen is None else chosen & docs
        if not scope.include_drafts:
            drafts = self._scorer.documents_with("reviewed", False)
            if drafts:
                everything = frozenset(range(self._scorer.documents))
                chosen = (chosen if chosen is not None else everything) - drafts
        return chosen

    def hit_by_id(self, hit_id: str) -> Hit | None:
        """One stored record or passage, by id (for "Full passage")."""
        with self._read_lock:
            docnum = self._searcher.document_number(id=hit_id)
        return None if docnum is None else self._hit(docnum)

    @property
    def documents(self) -> int:
        """How many documents (records and passages) the index holds: docnums 0 to this."""
        return self._scorer.documents

    def hit_at(self, docnum: int) -> Hit:
        return self._hit(docnum)

    def _hit(self, docnum: int) -> Hit:
        """A stored hit, decoded once per document (the index never changes under us)."""
        with self._read_lock:
            hit = self._hits.get_fresh(docnum)
            if hit is None:
                hit = Hit.from_json(json.loads(self._searcher.stored_fields(docnum)["payload"]))
                self._hits.put(docnum, hit)
        return hit


def place_words(coverage: dict) -> frozenset[str]:
    """The words naming the councils the reports are about (those with reports of
    their own), and their possessives: not topics."""
    words = set()
    for authority in coverage.get("authorities", []):
        if authority["covered"] and not authority["note"]:
            for name in authority["names"]:
                for word in re.findall(r"[a-z0-9]+", name.lower()):
                    words |= {word, word + "s"}
    return frozenset(words)


# Who a question says found or did something: "according to Ofsted", "what did the
# council do"; not what it is about.
ACTORS = frozenset(
    """ofsted ofsteds watchdog inspectorate inspector inspectors hmi hmis council councils
    borough authority""".split()  # noqa: SIM905
)


def semantic_text(parsed: ParsedQuery, places: frozenset[str]) -> str:
    """What of a question is compared in meaning with the records: its words without
    filler or the council's own name (every record is about the council), nor, when
    anything else is asked, Ofsted's ("according to Ofsted ..." is near every way of
    asking what Ofsted did, and says nothing of the topic)."""
    words = [w for w in tokenize(parsed.text) if w not in FILLER and w not in places]
    if parsed.intent == "comparison":
        # "As good as the 2010 letter made out": which inspection, not what about.
        words = [w for w in words if w not in COMPARISON_FRAME_WORDS and not w.isdigit()]
    if "letter" in parsed.prefer:
        # "What did the 2010 letter count as satisfactory": which source, ranked by
        # the wording's preference; near in meaning to every letter's opening lines.
        words = [w for w in words if w not in LETTER_WORDS] or words
    topical = [w for w in words if w not in ACTORS]
    return " ".join(topical or words)


def _semantic(similarity: float) -> float:
    """What similarity in meaning adds to a ranking where the best words score 1."""
    if similarity <= SIMILAR_FROM:
        return 0.0
    return SEMANTIC_WEIGHT * (similarity - SIMILAR_FROM) / (1 - SIMILAR_FROM)


def _wanted(hit: Hit, prefer: frozenset[str]) -> bool:
    """Is a record of the kind the wording asks for ("what did X say": a statement)?
    Meaning reorders only among those: it cannot tell a statement from a finding
    about the same person, and must not outrank what the question asked for."""
    if not prefer:
        return True
    return (
        ("press" in prefer and hit.is_press)
        or ("letter" in prefer and hit.report_kind == "inspection letter")
        or ("statement" in prefer and hit.category == "statement")
        or ("strength" in prefer and hit.category in ("strength", "satisfactory_practice"))
        or ("weakness" in prefer and hit.category in ("weakness", "area_for_development"))
    )


def _prior(hit: Hit, prefer: frozenset[str], latest: int) -> float:
    """How much to favour a record, all else equal, given what the wording prefers."""
    prior = KIND_PRIOR.get(hit.kind, 1.0)
    if hit.is_press:
        prior *= PREFERRED if "press" in prefer else PRESS_PRIOR
    if hit.year and hit.year < latest and not (prefer & {"letter"}):
        prior *= OLDER_PRIOR
    if "letter" in prefer and hit.report_kind == "inspection letter":
        prior *= PREFERRED
    if "statement" in prefer and hit.category == "statement":
        prior *= PREFERRED
    if "strength" in prefer and hit.category in ("strength", "satisfactory_practice"):
        prior *= PREFERRED
    if "weakness" in prefer and hit.category in ("weakness", "area_for_development"):
        prior *= PREFERRED
    if hit.kind == "figure" and hit.extra.get("missing"):
        prior *= MISSING_PRIOR
    return prior

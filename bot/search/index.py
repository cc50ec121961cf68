"""The Whoosh index: built from the knowledge base, swapped in atomically.

Layout under the data directory:

    index            a symlink to the live build (replaced atomically)
    indexes/<name>/  builds; each holds a Whoosh index and meta.json
    index.lock       held while building, so concurrent builds take turns

Beside its Whoosh files, a build holds the vectors of each document's pieces
(semantic.npz and semantic.json; see semantic.py), when the model is installed.

A build goes into a fresh directory; only when it is complete does the symlink
move. A failed build (a broken YAML file, a full disk) leaves the old index live.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, Schema

from ..knowledge import KnowledgeBase, load_knowledge
from ..knowledge.coverage import Vocabularies, coverage
from ..knowledge.loader import report_paths
from ..paths import Paths
from .hits import Hit, passage_hit, record_hit
from .query import GlossaryForms, stem
from .semantic import model_id, write_vectors
from .spelling import spelling_words, write_words

log = logging.getLogger(__name__)

# Bump when the schema or what goes into documents changes: an index built by an
# older version is then rebuilt on first use, like one built from older knowledge.
INDEX_FORMAT = 18

# Words found in raw passages shorter than this are boilerplate (addresses, headings).
MIN_PASSAGE_WORDS = 8
KEEP_OLD_BUILDS = 2
PARALLEL_FROM = 3000  # documents


def stemming_analyzer():
    return StemmingAnalyzer(stemfn=stem)


@lru_cache(maxsize=4096)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(t.text for t in stemming_analyzer()(word))


def alternative_stems(alternative: tuple[str, ...]) -> tuple[str, ...]:
    """The stems a word or phrase is searched by, as the index analysed them."""
    return tuple(s for word in alternative for s in _stems(word))


def glossary_phrases(glossary: GlossaryForms) -> frozenset[tuple[str, ...]]:
    """The stems of every glossary form of two words or more ("looked after children").

    Each is indexed as one token wherever it stands in a document, so asking for it
    is one lookup rather than a positional search through every document holding
    its (common) words.
    """
    stemmed = (alternative_stems(form) for entry in glossary.entries for form in entry)
    return frozenset(stems for stems in stemmed if len(stems) > 1)


def phrase_token(stems: tuple[str, ...]) -> str:
    return " ".join(stems)


def phrase_stem(token: str) -> str:
    """A glossary phrase as it stands among a document's stems: one word."""
    return token.replace(" ", "_")


def _phrases_in(stems: list[str], phrases: frozenset[tuple[str, ...]], longest: int) -> set[str]:
    """The glossary phrases standing in a sequence of stems, as Whoosh's Phrase query
    finds them: the words in order, adjacent once stop words are dropped."""
    found = set()
    for start in range(len(stems)):
        for n in range(2, min(longest, len(stems) - start) + 1):
            window = tuple(stems[start : start + n])
            if window in phrases:
                found.add(phrase_token(window))
    return found


def make_schema() -> Schema:
    stem = stemming_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        report=ID(stored=True),
        year=ID(stored=True),
        category=ID,  # a finding's own kind (strength, weakness, ...), for listings
        themes=KEYWORD(stored=True, commas=True, lowercase=True),
        reviewed=BOOLEAN(stored=True),
        # What a curator wrote: a record's title, summary and other ways of asking.
        curated=TEXT(analyzer=stem, field_boost=1.6),
        body=TEXT(analyzer=stem),
        context=TEXT(analyzer=stem, field_boost=0.4),
        # Everything above in one field, to score a phrase by all a record says. No
        # positions (a third of a large build): a glossary phrase is tagged below,
        # and a quoted phrase is checked field by field.
        everything=TEXT(analyzer=stem, phrase=False),
        # The glossary phrases each document holds (within one field), one token each.
        phrases=KEYWORD(commas=True),
        payload=STORED,
        stems=STORED,
    )


def knowledge_fingerprint(paths: Paths) -> str:
    """A hash of every file the index is built from: YAML and seeds, and drafts only
    for the drafts' own index (a new draft never touches the curated one)."""
    digest = hashlib.sha256(f"index-format-{INDEX_FORMAT}".encode())
    # The embedding model the vectors come from: another (or none) means a rebuild.
    digest.update(f"semantic-{model_id()}".encode())
    files = [paths.knowledge / "themes.yaml", paths.knowledge / "glossary.yaml"]
    files += [
        paths.knowledge / name for name in ("history.yaml", "authorities.yaml", "inspections.yaml")
    ]
    files += report_paths(paths.knowledge, include_drafts=paths.drafts)
    files += sorted(paths.seeds.glob("*.txt"))
    for path in files:
        digest.update(str(path.name).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


@dataclass(frozen=True)
class IndexMeta:
    fingerprint: str
    built_at: float
    documents: int
    glossary: list[dict]
    themes: list[dict]
    years: list[int]  # years that stand alone in the sources, for out-of-scope checks
    reports: list[dict]
    coverage: dict  # what the published reports cover (bot.knowledge.coverage)


def _title(hit: Hit, record) -> str:
    """What a record is about, in a line; a figure's period counts ("last 12 months")."""
    extra = hit.extra
    if "measure" in extra:
        return " ".join(str(extra.get(k) or "") for k in ("measure", "period"))
    for key in ("area", "text", "event"):
        if key in extra:
            return str(extra[key])
    return ""


def _documents(kb: KnowledgeBase) -> Iterator[tuple[Hit, dict]]:
    analyzer = stemming_analyzer()
    phrases = glossary_phrases(GlossaryForms.build(_glossary_meta(kb)))
    longest = max((len(p) for p in phrases), default=0)

    def fields(curated: str, body: str, context: str) -> dict:
        # One analysis of each field gives the stored stems and the phrases, at the
        # positions Whoosh gives that field's words.
        stems: set[str] = set()
        found: set[str] = set()
        for text in (curated, body, context):
            sequence = [t.text for t in analyzer(text)]
            stems.update(sequence)
            found |= _phrases_in(sequence, phrases, longest)
        return {
            "curated": curated,
            "body": body,
            "context": context,
            "everything": " \n".join([curated, body, context]),
            "phrases": ",".join(sorted(found)),
            # The glossary phrases as one token each ("home_educ"), so coverage can
            # tell "home educated" from "home" and "educated" apart in one record.
            "stems": " ".join(sorted(stems | {phrase_stem(p) for p in found})),
        }

    for record in kb.records:
        hit = record_hit(record, kb)
        asks = " \n".join(getattr(record, "asks", ()))
        speaker = hit.extra.get("speaker", "")
        theme_words = " ".join(kb.themes[t].label for t in record.themes if t in kb.themes)
        curated = " \n".join([_title(hit, record), hit.summary or "", asks])
        yield hit, fields(curated, f"{hit.quote} {speaker}", f"{hit.section} {theme_words}")
    for passages in kb.passages.values():
        for passage in passages:
            if not _indexed(passage):
                continue
            hit = passage_hit(passage, kb)
            yield hit, fields("", passage.text, hit.section)


def _document_count(kb: KnowledgeBase) -> int:
    return len(kb.records) + sum(_indexed(p) for passages in kb.passages.values() for p in passages)


def _indexed(passage) -> bool:
    """Raw passages worth searching: not headings, not boilerplate."""
    return not passage.heading and len(passage.text.split()) >= MIN_PASSAGE_WORDS


def _glossary_meta(kb: KnowledgeBase) -> list[dict]:
    return [
        {
            "term": g.term,
            "expansions": list(g.expansions),
            "synonyms": list(g.synonyms),
            "note": g.note,
        }
        for g in kb.glossary
    ]


def _source_years(kb: KnowledgeBase) -> list[int]:
    years: set[int] = set()
    for passages in kb.passages.values():
        for passage in passages:
            for word in passage.text.replace("/", " ").split():
                token = word.strip(".,;:()'\"")
                if len(token) == 4 and token.isdigit() and token[:2] in ("19", "20"):
                    years.add(int(token))
    years |= {r.year for r in kb.reports.values() if r.year}
    return sorted(years)


def write_index(
    kb: KnowledgeBase,
    target: Path,
    *,
    fingerprint: str,
    progress=None,
    vector_cache: Path | None = None,
) -> int:
    """Write a complete index for `kb` into the empty directory `target`."""
    target.mkdir(parents=True)
    ix = whoosh_index.create_in(str(target), make_schema())
    total = _document_count(kb)
    words: Counter = Counter()
    embedded: list[tuple[str, list[str]]] = []  # each document's id and pieces, to embed
    if total > PARALLEL_FROM:
        # Two processes (the machine has two cores), one segment each, not merged,
        # with room to sort their postings in memory: a large base builds in half
        # the time, for about 600 MB per process at 100 times the seeds.
        writer = ix.writer(procs=2, limitmb=256, multisegment=True)
    else:
        writer = ix.writer()  # one segment searches fastest, and small builds are quick
    # Documents are made as they are added, so the indexing processes start at once.
    n = 0
    try:
        for n, (hit, fields) in enumerate(_documents(kb), start=1):
            if hit.category:
                fields = {**fields, "category": hit.category}
            writer.add_document(
                id=hit.id,
                kind=hit.kind,
                report=hit.report,
                year=str(hit.year or ""),
                themes=",".join(hit.themes),
                reviewed=hit.reviewed,
                payload=json.dumps(hit.to_json()),
                **fields,
            )
            words.update(spelling_words(f"{fields['curated']} {fields['body']}"))
            # A title, a summary, each way of asking, and the quote (a raw passage:
            # its text), each embedded on its own.
            embedded.append((hit.id, [*fields["curated"].split(" \n"), fields["body"]]))
            if progress:
                progress(n, total)
    except BaseException:
        writer.cancel()  # stops the indexing processes too
        raise
    writer.commit()
    write_words(target, words)
    with ix.searcher() as searcher:
        # Two indexing processes number documents their own way: ask the index.
        documents = [(searcher.document_number(id=i), pieces) for i, pieces in embedded]
        count = searcher.reader().doc_count_all()
    write_vectors(target, documents, count, cache=vector_cache)
    meta = IndexMeta(
        fingerprint=fingerprint,
        built_at=time.time(),
        documents=n,
        glossary=_glossary_meta(kb),
        themes=[{"id": t.id, "label": t.label, "words": list(t.words)} for t in kb.themes.values()],
        years=_source_years(kb),
        reports=[
            {
                "id": r.id,
                "year": r.year,
                "title": r.short_title,
                "kind": r.kind,
                "published": r.published.isoformat() if r.published else None,
                "date_note": r.date_note,
                "headline": r.headline,
                "seed": r.seed,
                "url": r.url,
                "reviewed": r.reviewed and not r.draft,
            }
            for r in kb.reports.values()
        ],
        coverage=coverage(kb, kb.vocabularies or Vocabularies()),
    )
    (target / "meta.json").write_text(json.dumps(meta.__dict__, indent=1))
    return n


@contextmanager
def _build_lock(data_dir: Path):
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "index.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def live_index_dir(data_dir: Path) -> Path:
    return data_dir / "index"


def read_meta(index_dir: Path) -> IndexMeta | None:
    try:
        return IndexMeta(**json.loads((index_dir / "meta.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def build_index(
    paths: Paths,
    *,
    progress: Callable[[int, int], None] | None = None,
    force: bool = True,
) -> Path:
    """Build the index from the knowledge base and swap it in atomically.

    Raises KnowledgeError (naming file and line) when the knowledge base is
    broken; the live index, if any, is left untouched.
    """
    with _build_lock(paths.data):
        fingerprint = knowledge_fingerprint(paths)
        live = live_index_dir(paths.data)
        current = read_meta(live)
        if not force and current and current.fingerprint == fingerprint:
            return live
        kb = load_knowledge(paths.knowledge, paths.seeds, include_drafts=paths.drafts)
        builds = paths.data / "indexes"
        target = builds / f"{fingerprint[:12]}-{uuid.uuid4().hex[:8]}"
        try:
            write_index(
                kb,
                target,
                fingerprint=fingerprint,
                progress=progress,
                vector_cache=paths.vector_cache,
            )
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        link = paths.data / f".index-{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(target, paths.data), link)
        os.replace(link, live)  # atomic: readers see the old build or the new one
        _prune(builds, keep=target)
        log.info("index built: %s", target.name)
        return live


def _prune(builds: Path, *, keep: Path) -> None:
    """Delete old builds, keeping a few so a reader mid-query is never cut off."""
    others = sorted(
        (p for p in builds.iterdir() if p != keep and p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP_OLD_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def index_is_current(paths: Paths) -> bool:
    meta = read_meta(live_index_dir(paths.data))
    return meta is not None and meta.fingerprint == knowledge_fingerprint(paths)

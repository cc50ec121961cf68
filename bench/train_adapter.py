"""Learn the query adapter (bot/search/adapter.py) from the golden and persona sets.

Each answerable question of tests/golden/ is put as search puts it to the model (its
topic words, engine.semantic_text), and paired with the documents that answer it:
its accepted records and their passages. The blind sets (tests/blind/) are never
read: they measure the adapter, they do not teach it. Writes
bot/search/data/query_adapter.npz and prints how often the nearest document in
meaning answers a question, before and after, for the sets it learned from.

Reproduce: .venv/bin/python -m bench.train_adapter
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

import numpy as np

from bench.golden import GOLDEN, PERSONA, load_golden
from bot.knowledge import load_knowledge
from bot.paths import Paths
from bot.search.adapter import SHIPPED, QueryAdapter, learn
from bot.search.engine import SearchIndex, semantic_text
from bot.search.index import build_index, live_index_dir
from bot.search.semantic import MODEL_NAME


def training_pairs(index: SearchIndex, paths: Paths, files: list[Path]):
    """(question texts, their vectors, answering docnums) for every answerable
    question whose topic the model can be asked about."""
    kb = load_knowledge(paths.knowledge, paths.seeds)
    passage_of = {r.id: f"{r.report_id}:p{r.location.passage}" for r in kb.records}
    docnum_of = {index.hit_at(d).id: d for d in range(index.documents)}
    texts, vectors, answers = [], [], []
    for path in files:
        for question in load_golden(path):
            if question.unanswerable:
                continue
            text = semantic_text(index.parse(question.q), index.place_words)
            accepted = set(question.accept) | {
                passage_of[a] for a in question.accept if a in passage_of
            }
            docnums = sorted(docnum_of[a] for a in accepted if a in docnum_of)
            if not text or not docnums:
                continue
            texts.append(question.q)
            vectors.append(index.semantic.own_vector(text))
            answers.append(docnums)
    return texts, np.stack(vectors), answers


def nearest_answers(adapter: QueryAdapter | None, vectors, answers, pieces, owners) -> float:
    """The share of questions whose nearest document in meaning answers them."""
    q = vectors if adapter is None else adapter.turn(vectors)
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    near = np.full((len(q), int(owners.max()) + 1), -1.0)
    documents, starts = np.unique(owners, return_index=True)
    near[:, documents] = np.maximum.reduceat(q @ pieces.T, starts, axis=1)
    best = near.argmax(1)
    return float(np.mean([b in a for b, a in zip(best, answers, strict=True)]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SHIPPED, help="where to write the adapter")
    args = parser.parse_args(argv)
    files = [GOLDEN, *PERSONA]
    env = Paths.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(env.knowledge, env.seeds, Path(tmp) / "data", vectors=env.vector_cache)
        build_index(paths, force=True)
        index = SearchIndex(live_index_dir(paths.data), adapter=None)
        if index.semantic is None:
            raise SystemExit("the model is not installed: nothing to learn from")
        texts, vectors, answers = training_pairs(index, paths, files)
        pieces, owners = index.semantic.pieces()
        adapter = learn(vectors, answers, pieces, owners, model=MODEL_NAME)
        before = nearest_answers(None, vectors, answers, pieces, owners)
        after = nearest_answers(adapter, vectors, answers, pieces, owners)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    adapter.save(args.out, questions=str(len(texts)), questions_digest=digest)
    print(f"learned from {len(texts)} questions in {len(files)} files (digest {digest})")
    print(f"nearest document in meaning answers the question: {before:.3f} -> {after:.3f}")
    print(f"written {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

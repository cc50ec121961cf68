"""A learned turn of a question's vector toward the records that answer it.

all-MiniLM-L6-v2 was trained on general web text. Asked "will anyone sort me a flat
at 18", it finds records about flats and ages no nearer than the care leavers'
accommodation it means: the field's paraphrases are not the web's. A query adapter
is one matrix W (384 x 384), learned from the golden and persona questions and the
records that answer them (bench/train_adapter.py), that turns a question's vector
before it is compared: W q, made unit length again. Only questions are turned; the
records' vectors are the model's own, so the index is built as before and a new
adapter needs no rebuild. W is learned close to the identity (its distance from it
is penalised), so a question unlike any it was trained on is compared much as the
model alone would compare it.

The turn only orders records (engine.py's ranking); the evidence that a record
answers at all stays the model's own similarity, on which every threshold downstream
(bot/answers/evidence.py, figures.py) was set. Measured both ways (BENCHMARKS.md),
letting the turned similarity admit records answered a few more paraphrases but also
"what will the weather be like": a question from outside the field is turned towards
it too.

Turned vectors spread further apart than the model's own (the training pushes wrong
records away), so the same cosine means something else: 0.3 after the turn is as
rare as 0.53 before it. So that the ranking's weights (engine.SIMILAR_FROM,
SEMANTIC_WEIGHT) keep their meaning, a turned similarity is put back on the model's
scale by matching quantiles (`calibrate`): the share of (question, record) pairs
above a value is the same on both scales. The map is monotonic and changes no order.

The file is numpy's .npz: `matrix`, the quantiles `turned` and `model_scale`, and
`model` (the model it was trained for). A missing or unreadable file, or one for
another model, leaves the model's own similarities in use (logged once).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent / "data" / "query_adapter.npz"
QUANTILES = 201  # points of the map from turned similarities to the model's scale


@dataclass(frozen=True)
class QueryAdapter:
    matrix: np.ndarray  # (d, d) float32: a question's vector q becomes matrix @ q
    turned: np.ndarray  # quantiles of turned similarities, ascending ...
    model_scale: np.ndarray  # ... and the same quantiles of the model's own
    model: str  # the model it was trained for (semantic.MODEL_NAME)

    def turn(self, vectors: np.ndarray) -> np.ndarray:
        """Row vectors (n, d) or one (d,), turned; not made unit length (the caller
        does, as it compares them)."""
        return vectors @ self.matrix.T

    def calibrate(self, similarities: np.ndarray | float) -> np.ndarray | float:
        """Turned similarities on the model's own scale (monotonic, order kept)."""
        mapped = np.interp(similarities, self.turned, self.model_scale)
        if isinstance(similarities, np.ndarray):
            return mapped.astype(similarities.dtype, copy=False)
        return float(mapped)

    def save(self, path: Path, **about: str) -> None:
        np.savez_compressed(
            path,
            matrix=self.matrix.astype(np.float32),
            turned=self.turned.astype(np.float32),
            model_scale=self.model_scale.astype(np.float32),
            model=np.array(self.model),
            **{k: np.array(v) for k, v in about.items()},
        )

    @classmethod
    def read(cls, path: Path, *, model: str, dimensions: int) -> QueryAdapter | None:
        """The adapter in `path`, or None (logged) when it is missing, unreadable, or
        for another model: similarities are then the model's own."""
        try:
            with np.load(path) as stored:
                adapter = cls(
                    matrix=np.ascontiguousarray(stored["matrix"], dtype=np.float32),
                    turned=np.asarray(stored["turned"], dtype=np.float32),
                    model_scale=np.asarray(stored["model_scale"], dtype=np.float32),
                    model=str(stored["model"]),
                )
        except (OSError, ValueError, KeyError, EOFError) as error:
            log.warning(
                "query adapter %s not read (%s); similarities are the model's own", path, error
            )
            return None
        problem = adapter._problem(model, dimensions)
        if problem:
            log.warning("query adapter %s not used: %s", path, problem)
            return None
        return adapter

    def _problem(self, model: str, dimensions: int) -> str | None:
        if self.model != model:
            return f"trained for {self.model}, not {model}"
        if self.matrix.shape != (dimensions, dimensions):
            return f"a {self.matrix.shape} matrix, not ({dimensions}, {dimensions})"
        if not np.all(np.isfinite(self.matrix)):
            return "the matrix holds a non-finite number"
        if self.turned.shape != self.model_scale.shape or len(self.turned) < 2:
            return "its quantile tables do not match"
        if np.any(np.diff(self.turned) < 0) or np.any(np.diff(self.model_scale) < 0):
            return "its quantile tables are not ascending"
        return None


def learn(
    questions: np.ndarray,
    answers: list[list[int]],
    pieces: np.ndarray,
    owners: np.ndarray,
    *,
    temperature: float = 0.05,
    penalty: float = 10.0,
    steps: int = 400,
    rate: float = 0.001,
    model: str,
) -> QueryAdapter:
    """An adapter learned from questions' vectors (n, d) and, for each, the
    documents that answer it (docnums into `owners`, the document of each piece).

    A document is as near a question as its nearest piece (as in SemanticIndex).
    The loss is the softmax cross-entropy of the answering documents among all of
    them, at `temperature`, plus `penalty` times the squared distance of W from the
    identity (over d): W stays close to "no turn" unless the questions say otherwise.
    Full-batch Adam from the identity, in float64: the same inputs give the same W.
    The quantile tables are worked out on the same questions against every document.
    """
    q = np.asarray(questions, dtype=np.float64)
    p = np.asarray(pieces, dtype=np.float64)
    owners = np.asarray(owners)
    documents, starts = np.unique(owners, return_index=True)
    lengths = np.diff(np.append(starts, len(owners)))
    column = {int(d): i for i, d in enumerate(documents)}
    target = np.zeros((len(q), len(documents)))
    for row, docnums in enumerate(answers):
        for d in docnums:
            if d in column:
                target[row, column[d]] = 1.0
    keep = target.any(1)
    q, target = q[keep], target[keep]
    d = q.shape[1]
    identity = np.eye(d)
    w, m, v = identity.copy(), np.zeros((d, d)), np.zeros((d, d))

    def nearest(w: np.ndarray) -> tuple[np.ndarray, ...]:
        u = q @ w.T
        norm = np.linalg.norm(u, axis=1, keepdims=True)
        z = u / norm
        by_piece = z @ p.T
        return norm, z, by_piece, np.maximum.reduceat(by_piece, starts, axis=1)

    for step in range(1, steps + 1):
        norm, z, by_piece, near = nearest(w)
        logits = near / temperature
        logits -= logits.max(1, keepdims=True)
        e = np.exp(logits)
        wanted = e * target
        grad_near = (e / e.sum(1, keepdims=True) - wanted / wanted.sum(1, keepdims=True)) / (
            temperature * len(q)
        )
        # The gradient reaches only each document's nearest piece.
        is_max = by_piece == np.repeat(near, lengths, axis=1)
        grad_z = (np.repeat(grad_near, lengths, axis=1) * is_max) @ p
        grad_u = (grad_z - (grad_z * z).sum(1, keepdims=True) * z) / norm
        grad = grad_u.T @ q + penalty * (w - identity) / d
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)

    quantiles = np.linspace(0.0, 1.0, QUANTILES)
    turned = nearest(w)[3].ravel()
    own = np.maximum.reduceat(q @ p.T, starts, axis=1).ravel()
    return QueryAdapter(
        matrix=w.astype(np.float32),
        turned=np.quantile(turned, quantiles).astype(np.float32),
        model_scale=np.quantile(own, quantiles).astype(np.float32),
        model=model,
    )

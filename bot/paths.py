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

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Paths:
        env = dict(os.environ) if env is None else env
        root = _project_root()
        return cls(
            knowledge=Path(env.get("INSPECTION_BOT_KNOWLEDGE_DIR") or root / "knowledge"),
            seeds=Path(env.get("INSPECTION_BOT_SEEDS_DIR") or root / "seeds"),
            data=Path(env.get("INSPECTION_BOT_DATA_DIR") or root / ".data"),
        )

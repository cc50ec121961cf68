"""What a draft adds to seeds/: the text it quotes and, for a PDF, the original."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .extract import DraftError, Source


@dataclass(frozen=True)
class SeedFiles:
    text_name: str  # the file in seeds/ the draft's quotes are proven against
    files: dict[str, bytes]  # every file to put in seeds/, by name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def plan_seed_files(source: Source, seeds: Path) -> SeedFiles:
    """The files to add; DraftError when one would replace another file's contents."""
    if source.suffix == ".txt":
        seed = SeedFiles(source.name, {source.name: source.data})
    else:
        stem = _slug(Path(source.name).stem)
        # The text is written as read, so that the validator reads back the same lines.
        text = source.text.encode("utf-8")
        seed = SeedFiles(f"{stem}.txt", {f"{stem}.pdf": source.data, f"{stem}.txt": text})
    for name, data in seed.files.items():
        target = seeds / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise DraftError(f"seeds/{name} exists and is not a plain file; rename the file")
        if target.exists() and target.read_bytes() != data:
            raise DraftError(f"seeds/{name} exists with other contents; rename the file")
    return seed


def write_seed_files(seed: SeedFiles, seeds: Path) -> list[Path]:
    """Write the files not already there, as they are; return those written."""
    seeds.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in seed.files.items():
        target = seeds / name
        if target.exists():
            continue  # the same bytes, checked by plan_seed_files
        with open(target, "xb") as file:  # never over a file that appeared meanwhile
            written.append(target)
            file.write(data)
    return written


def same_content(seed: SeedFiles, seeds: Path) -> list[str]:
    """Files in seeds/ holding exactly what this draft would add (under any name):
    the same report drafted, or published, before. Only files of the same size are
    read."""
    if not seeds.is_dir():
        return []
    wanted: dict[int, list[bytes]] = {}
    for data in seed.files.values():
        wanted.setdefault(len(data), []).append(data)
    found = []
    for path in sorted(seeds.iterdir()):
        try:
            if path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            if size in wanted and path.read_bytes() in wanted[size]:
                found.append(path.name)
        except OSError:
            continue
    return found

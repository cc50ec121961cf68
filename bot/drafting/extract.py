"""Getting a new report's text into seeds/: a .txt as it is, a .pdf through pypdf."""

from __future__ import annotations

import re
import shutil
from pathlib import Path


class DraftError(Exception):
    """The file cannot be drafted; the message says why."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def pdf_text(path: Path) -> str:
    """The text of a PDF, page by page (pypdf: pure Python, well kept)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as error:
        raise DraftError(f"cannot read {path.name} as a PDF: {error}") from error
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise DraftError(f"{path.name} has no extractable text (a scanned image?)")
    return text + "\n"


def import_source(path: Path, seeds: Path) -> Path:
    """Put the source's text in seeds/ (beside the original, for a PDF) and return it."""
    if not path.is_file():
        raise DraftError(f"no such file: {path}")
    seeds.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        target = seeds / path.name
        if path.resolve() != target.resolve():
            if target.exists() and target.read_bytes() != path.read_bytes():
                raise DraftError(f"seeds/{path.name} exists with other text; rename the file")
            shutil.copyfile(path, target)
        return target
    if suffix == ".pdf":
        stem = _slug(path.stem)
        pdf_copy, text_file = seeds / f"{stem}.pdf", seeds / f"{stem}.txt"
        if path.resolve() != pdf_copy.resolve():
            shutil.copyfile(path, pdf_copy)
        text_file.write_text(pdf_text(path), encoding="utf-8")
        return text_file
    raise DraftError(f"{path.name}: give a .txt or a .pdf")

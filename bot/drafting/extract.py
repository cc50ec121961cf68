"""Reading a new report's file: a .txt as UTF-8 text, a .pdf through pypdf.

Nothing here writes anything: the file is read whole, checked and turned into text
first, and only a draft that passes the validator is copied into seeds/.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

_MB = 1024 * 1024
# Ofsted's reports are well under these: the text of the longest seed is 83 KB, and
# their PDFs are a few MB with images. The limits keep a mistaken or hostile file
# from tying up the command (drafting time grows with the text).
MAX_TEXT_BYTES = 2 * _MB
MAX_PDF_BYTES = 20 * _MB
MAX_BYTES = {".txt": MAX_TEXT_BYTES, ".pdf": MAX_PDF_BYTES}


class DraftError(Exception):
    """The file cannot be drafted; the message says why, in one line."""


@dataclass(frozen=True)
class Source:
    name: str  # the file's name, as given
    suffix: str  # ".txt" or ".pdf"
    data: bytes  # the file exactly as delivered
    text: str  # its text, with newlines as the validator will read them back


def read_source(path: Path) -> Source:
    """The file's bytes and text; DraftError when it is not a report we can draft."""
    suffix = path.suffix.lower()
    if suffix not in MAX_BYTES:
        raise DraftError(f"{path.name}: give a .txt or a .pdf")
    data = _read_regular_file(path, MAX_BYTES[suffix])
    text = _utf8_text(path.name, data) if suffix == ".txt" else pdf_text(path.name, data)
    # The validator reads seeds with universal newlines; line numbers must agree.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DraftError(f"{path.name} has no text to draft")
    return Source(path.name, suffix, data, text)


def _too_big(name: str, size: int, limit: int) -> DraftError:
    suffix = Path(name).suffix.lower()
    return DraftError(
        f"{name} is {size:,} bytes; a {suffix} report may be at most "
        f"{limit // _MB} MB ({limit:,} bytes)"
    )


def _read_regular_file(path: Path, limit: int) -> bytes:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise DraftError(f"no such file: {path}") from None
    except OSError as error:
        raise DraftError(f"cannot read {path}: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        # A link could point anywhere (a key, another report); copying its target
        # into seeds/ would publish it. The curator names the real file instead.
        raise DraftError(f"{path.name} is a symbolic link; give the file it points to")
    if not stat.S_ISREG(info.st_mode):
        raise DraftError(f"{path.name} is not a regular file")
    if info.st_size > limit:
        raise _too_big(path.name, info.st_size, limit)
    try:
        # O_NOFOLLOW: the file cannot be swapped for a link after the check above;
        # O_NONBLOCK: nor for a FIFO that would hang the read.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise DraftError(f"{path.name} is not a regular file")
            data = file.read(limit + 1)
    except OSError as error:
        raise DraftError(f"cannot read {path.name}: {error.strerror}") from None
    if len(data) > limit:  # it grew while we read it
        raise _too_big(path.name, len(data), limit)
    return data


def _utf8_text(name: str, data: bytes) -> str:
    # Refused rather than guessed: seeds keep the delivered bytes and the validator
    # reads them as UTF-8, so a guessed encoding would have to rewrite the source,
    # and a wrong guess would change the words every quote is proven against.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DraftError(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start:,}); save it as UTF-8 (for example with "
            "`iconv -f windows-1252 -t utf-8`) and draft it again"
        ) from None


@contextlib.contextmanager
def _quiet_pypdf():
    """pypdf logs and warns about every flaw it works round; the curator needs only
    the one line saying whether the file could be read."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def pdf_text(name: str, data: bytes) -> str:
    """The text of a PDF, page by page (pypdf: pure Python, well kept)."""
    from pypdf import PdfReader

    pages: list[str] = []
    size = 0
    try:
        with _quiet_pypdf():
            for page in PdfReader(io.BytesIO(data)).pages:
                pages.append((page.extract_text() or "").strip("\n"))
                size += len(pages[-1])
                if size > MAX_TEXT_BYTES:  # a small PDF can hold a great deal of text
                    raise DraftError(
                        f"the text of {name} is over {MAX_TEXT_BYTES // _MB} MB; "
                        "no inspection report is this long"
                    )
    except DraftError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many types on a damaged file
        reason = " ".join(str(error).split()) or type(error).__name__
        raise DraftError(f"cannot read {name} as a PDF: {reason}") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise DraftError(f"{name} has no extractable text (a scanned image?)")
    return text + "\n"

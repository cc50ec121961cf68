"""Segment a seed into passages: the units that search indexes and coverage counts.

A passage is text between blank lines, with three repairs for PDF extraction damage:
a sentence that a page break cut in two is joined back together; a bullet (a line
starting "- ", "• " or, where the bullet glyph was lost, a space) starts a passage of
its own; and a run longer than about 120 words is split at sentence boundaries,
preferring paragraph ends (short lines that end a sentence), because the 2017
report's executive summary has almost no blank lines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .text import SENTENCE_BREAK, collapse_spaces, word_count

MAX_WORDS = 120
_TERMINAL = (".", "!", "?", ":", ")", '"', "”", "’", "'")
_CONTINUES = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "of",
    "or",
    "the",
    "to",
    "with",
}
_BULLET = re.compile(r"^(?:[-•*▪◦·]\s+|\s+\S)")


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line number in the seed
    text: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A passage before it is given a report id: its lines and its text."""

    lines: tuple[Line, ...]
    heading: bool = False

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number

    @property
    def text(self) -> str:
        return collapse_spaces(" ".join(line.text for line in self.lines))


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


def _starts_lower(text: str) -> bool:
    stripped = text.lstrip(" -•*")
    return bool(stripped) and stripped[0].islower()


def _is_heading(line: str, prev: str | None, next_: str | None) -> bool:
    """A short, unpunctuated line that neither continues nor is continued: a heading."""
    text = line.strip()
    if not text or _ends_sentence(text) or text.endswith(",") or _BULLET.match(line):
        return False
    if word_count(text) > 12 or not text[0].isupper():
        return False
    if text.split()[-1].lower() in _CONTINUES or (len(text) > 65 and next_ and next_.strip()):
        return False  # a wrapped line of prose, not a heading
    if prev and prev.strip() and not _ends_sentence(prev) and word_count(prev) > 12:
        return False  # the tail of a wrapped sentence
    return not next_ or not next_.strip() or not _starts_lower(next_)


def _blocks(lines: list[str], breaks: set[int]) -> tuple[list[list[Line]], set[int]]:
    """Runs of non-blank lines, cut before bullets, headings and section starts.

    Returns the blocks and the numbers of the lines that are headings.
    """
    headings = {
        i + 1
        for i, text in enumerate(lines)
        if _is_heading(
            text, lines[i - 1] if i else None, lines[i + 1] if i + 1 < len(lines) else None
        )
    }
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            if current:
                blocks.append(current)
            current = []
            continue
        cut = (
            number in breaks
            or _BULLET.match(text)
            or number in headings
            or (number - 1) in headings
        )
        if current and cut:
            blocks.append(current)
            current = []
        current.append(Line(number, text.strip()))
    if current:
        blocks.append(current)
    return blocks, headings


def _join_page_breaks(blocks: list[list[Line]], breaks: set[int]) -> list[list[Line]]:
    """Join a block that stops mid-sentence to a following block that starts lowercase."""
    joined: list[list[Line]] = []
    for block in blocks:
        if (
            joined
            and not _ends_sentence(joined[-1][-1].text)
            and _starts_lower(block[0].text)
            and block[0].number not in breaks
        ):
            joined[-1] = joined[-1] + block
        else:
            joined.append(block)
    return joined


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        spans.append((start, match.start(2)))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _split_long(block: list[Line]) -> list[list[Line]]:
    """Split a run of over MAX_WORDS words at sentence boundaries.

    Cut first at paragraph ends, where a sentence closes a line clearly shorter
    than the block's full lines (the only trace paragraph breaks left in the
    extraction), then balance any still-long run by word count.
    """
    joined = " ".join(line.text for line in block)
    if word_count(joined) <= MAX_WORDS:
        return [block]
    owners: list[int] = []
    paragraph_ends: set[int] = set()
    # The typical full line: a page-break join can make one line much longer.
    width = sorted(len(line.text) for line in block)[(3 * len(block)) // 4]
    for line in block:
        if owners:
            owners.append(line.number)  # the joining space
        owners.extend([line.number] * len(line.text))
        if _ends_sentence(line.text) and len(line.text) <= 0.8 * width:
            paragraph_ends.add(len(owners))
    paragraphs: list[list[tuple[int, int]]] = [[]]
    for span in _sentence_spans(joined):
        paragraphs[-1].append(span)
        if span[1] in paragraph_ends:
            paragraphs.append([])
    chunks: list[tuple[int, int]] = []
    for paragraph in (p for p in paragraphs if p):
        chunks.extend(_balanced(joined, paragraph))
    return [_fragments(joined, owners, a, b) for a, b in chunks]


def _balanced(joined: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Group sentences into the fewest runs of at most about MAX_WORDS, of even length."""
    counts = [word_count(joined[a:b]) for a, b in sentences]
    parts = max(1, math.ceil(sum(counts) / MAX_WORDS))
    cuts: list[int] = []  # indexes of the sentences that start a new run
    running = [sum(counts[: i + 1]) for i in range(len(counts))]
    for k in range(1, parts):
        goal = sum(counts) * k / parts
        best = min(range(1, len(counts)), key=lambda i: abs(running[i - 1] - goal), default=None)
        if best is not None and best not in cuts and (not cuts or best > cuts[-1]):
            cuts.append(best)
    starts = [0, *cuts]
    ends = [*cuts, len(sentences)]
    return [(sentences[a][0], sentences[b - 1][1]) for a, b in zip(starts, ends, strict=True)]


def _fragments(joined: str, owners: list[int], start: int, end: int) -> list[Line]:
    """The part of each seed line that falls in joined[start:end]."""
    out: list[Line] = []
    i = start
    while i < end:
        number = owners[i]
        j = i
        while j < end and owners[j] == number:
            j += 1
        piece = joined[i:j].strip()
        if piece:
            out.append(Line(number, piece))
        i = j
    return out


def segment(text: str, *, breaks: set[int] | frozenset[int] = frozenset()) -> list[Segment]:
    """Split a seed's text into passages; `breaks` are line numbers that start a section."""
    blocks, headings = _blocks(text.split("\n"), set(breaks))
    segments: list[Segment] = []
    for block in _join_page_breaks(blocks, set(breaks)):
        heading = len(block) == 1 and block[0].number in headings
        segments.extend(Segment(tuple(part), heading=heading) for part in _split_long(block))
    return segments

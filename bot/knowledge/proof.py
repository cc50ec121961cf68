"""Prove quotes against a seed, and locate them to passage and line range.

A quote lies within one passage, with one exception: a graded judgement stated as the
report lays it out, its heading followed by its grade (see `_heading_to_grade`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import GRADES, Location, Passage, Section
from .passages import Segment
from .text import letters_digits, words

_GRADES = frozenset(letters_digits(grade) for grade in GRADES)
_GRADE_ENDINGS = tuple(_GRADES)
_SENTENCE_END = (".", "!", "?")


@dataclass(frozen=True)
class _Indexed:
    passage: Passage
    norm: str  # the passage's letters and digits, lowercased
    lines: tuple[int, ...]  # the seed line of each character of `norm`
    vocabulary: frozenset[str]


class QuoteNotFound(Exception):
    """The quote is not in the seed as the rule requires; the message says what is near."""


class SeedText:
    """One seed's passages, ready to prove quotes against."""

    def __init__(self, report_id: str, segments: list[Segment]):
        self.passages: tuple[Passage, ...] = tuple(
            Passage(report_id, n, s.first_line, s.last_line, s.text, s.heading)
            for n, s in enumerate(segments, start=1)
        )
        indexed = []
        for passage, segment in zip(self.passages, segments, strict=True):
            norm_parts: list[str] = []
            line_of: list[int] = []
            for line in segment.lines:
                norm = letters_digits(line.text)
                norm_parts.append(norm)
                line_of.extend([line.number] * len(norm))
            vocabulary = frozenset(w.lower() for w in words(passage.text))
            indexed.append(_Indexed(passage, "".join(norm_parts), tuple(line_of), vocabulary))
        self._indexed = tuple(indexed)
        self._whole = "".join(i.norm for i in indexed)
        self._starts: dict[int, int] = {}  # offset in _whole -> index of the passage there
        offset = 0
        for n, item in enumerate(indexed):
            if item.norm:
                self._starts.setdefault(offset, n)
            offset += len(item.norm)

    def locate(self, quote: str, section: Section | None) -> Location:
        """The quote's passage and lines; prefers the occurrence inside `section`."""
        needle = letters_digits(quote)
        if not needle:
            raise QuoteNotFound("the quote has no letters or digits")
        hits: list[Location] = []
        for item in self._indexed:
            start = item.norm.find(needle)
            while start != -1:
                end = start + len(needle) - 1
                hits.append(Location(item.passage.number, item.lines[start], item.lines[end]))
                start = item.norm.find(needle, start + 1)
        hits += self._heading_to_grade(needle)
        hits.sort(key=lambda h: h.first_line)
        if section is not None:
            inside = [
                h
                for h in hits
                if section.first_line <= h.first_line and h.last_line <= section.last_line
            ]
            if inside:
                return inside[0]
            if hits:
                h = hits[0]
                raise QuoteNotFound(
                    f"the quote stands at lines {h.first_line}-{h.last_line}, outside its "
                    f"section '{section.id}' (lines {section.first_line}-{section.last_line})"
                )
        if hits:
            return hits[0]
        if needle in self._whole:
            raise QuoteNotFound(
                "the quote runs across two passages; quote within one passage (only a "
                "judgement's heading and the grade under it may run across two) "
                f"(closest: {self._closest(quote)})"
            )
        raise QuoteNotFound(
            f"the quote is not in the source; closest passage: {self._closest(quote)}"
        )

    def _heading_to_grade(self, needle: str) -> list[Location]:
        """Where `needle` is exactly a heading passage and the grade passage after it.

        A report lays out each graded judgement as its heading with the grade set
        apart below it ("Leadership, management and governance", a blank line, then
        "Requires improvement to be good"), so the two are passages of their own, and
        the only words that state the judgement, area and grade together, run across
        both. The one-passage rule would leave a judgement to quote the bare grade,
        which does not say what was judged, or another section's prose. So such a quote
        may span two passages, and only this way: it starts where a passage starts, that
        passage is a heading (it ends no sentence), and it ends where the very next
        passage ends, a passage that is nothing but a grade. Any quote of that shape
        states a judgement; the letters-and-digits proof is unchanged.
        """
        found: list[Location] = []
        if not needle.endswith(_GRADE_ENDINGS):
            return found
        start = self._whole.find(needle)
        while start != -1:
            n = self._starts.get(start)
            if n is not None and n + 1 < len(self._indexed):
                heading, grade = self._indexed[n], self._indexed[n + 1]
                if (
                    heading.norm
                    and len(heading.norm) + len(grade.norm) == len(needle)
                    and grade.norm in _GRADES
                    and not heading.passage.text.rstrip().endswith(_SENTENCE_END)
                ):
                    found.append(
                        Location(heading.passage.number, heading.lines[0], grade.lines[-1])
                    )
            start = self._whole.find(needle, start + 1)
        return found

    def _closest(self, quote: str) -> str:
        wanted = {w.lower() for w in words(quote)}
        best = max(self._indexed, key=lambda i: len(wanted & i.vocabulary) / (1 + len(wanted)))
        text = best.passage.text
        shown = text if len(text) <= 240 else text[:237] + "..."
        return (
            f"{best.passage.id} lines {best.passage.first_line}-{best.passage.last_line}: {shown!r}"
        )

"""Prove quotes against a seed, and locate them to passage and line range."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Location, Passage, Section
from .passages import Segment
from .text import letters_digits, words


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
                "the quote runs across two passages; quote within one passage "
                f"(closest: {self._closest(quote)})"
            )
        raise QuoteNotFound(
            f"the quote is not in the source; closest passage: {self._closest(quote)}"
        )

    def _closest(self, quote: str) -> str:
        wanted = {w.lower() for w in words(quote)}
        best = max(self._indexed, key=lambda i: len(wanted & i.vocabulary) / (1 + len(wanted)))
        text = best.passage.text
        shown = text if len(text) <= 240 else text[:237] + "..."
        return (
            f"{best.passage.id} lines {best.passage.first_line}-{best.passage.last_line}: {shown!r}"
        )

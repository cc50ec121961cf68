"""An answer as a person reads it in a terminal (rich), and text made safe to print there."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from ..answers import Answer
from ..search.hits import Hit
from .common import (
    INTENT_TITLES,
    MENTIONS_LEAD,
    attribution,
    headline,
    no_answer_text,
    source_line,
    year_of,
)

# A terminal obeys escape sequences in what it prints: OSC retitles the window or
# writes the clipboard (OSC 52), SGR 8 hides text. Questions users typed and the text
# of drafted documents must reach a curator's terminal as text only, so whole
# sequences go (their payload is never shown by a terminal either), then every
# control character left. Each string sequence is read only up to the next ESC, BEL
# or ST, so text full of unterminated ones is still read once, not once per ESC.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"  # CSI: colours, cursor, conceal
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC, DCS...
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # two-byte and charset sequences (ESC c, ESC ( B)
)
# C0 controls except tab and newline, DEL, and the C1 controls.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """`text` without escape sequences or control characters (tab and newline stay)."""
    return _CONTROL_CHARACTER.sub("", _ESCAPE_SEQUENCE.sub("", text))


def _shown(text: str) -> str:
    """Text from the knowledge base or a question, ready for rich markup."""
    return escape(terminal_safe(text))


def _hit(number: int, hit: Hit) -> Group:
    # Drafts quote documents as delivered, so even a quote may carry escape sequences.
    parts = [Text.from_markup(f"[bold]{number}. {_shown(headline(hit))}[/bold]")]
    note = attribution(hit)
    if note:
        parts.append(Text.from_markup(f"   [yellow]{_shown(note)}[/yellow]"))
    parts.append(Padding(Text(f"“{terminal_safe(hit.quote)}”", style="italic"), (0, 0, 0, 3)))
    parts.append(Text.from_markup(f"   [dim]{_shown(source_line(hit))}[/dim]"))
    if hit.url:
        parts.append(Text.from_markup(f"   [dim]{_shown(hit.url)}[/dim]"))
    return Group(*parts)


def render_answer(answer: Answer, theme_labels: dict[str, str]) -> Group:
    items: list = []
    if answer.suggestion:
        items.append(Text.from_markup(f"[dim]Did you mean: {_shown(answer.suggestion)}?[/dim]"))
    if not answer.answered:
        items.append(Text(terminal_safe(no_answer_text(answer, theme_labels))))
        if answer.hits:  # what the reports say of the council asked about: context only
            items.append(Text.from_markup(f"\n[dim]{MENTIONS_LEAD}[/dim]"))
            for n, hit in enumerate(answer.hits, start=1):
                items.append(Text(""))
                items.append(_hit(n, hit))
        return Group(*items)
    items.append(
        Text.from_markup(f"[bold underline]{INTENT_TITLES[answer.intent]}[/bold underline]")
    )
    for note in answer.notes:
        items.append(Text.from_markup(f"[yellow]{_shown(note)}[/yellow]"))
    year = None
    for n, hit in enumerate(answer.hits, start=answer.offset + 1):
        if answer.intent == "comparison" and year_of(hit) != year:
            year = year_of(hit)
            items.append(Text.from_markup(f"\n[bold cyan]{year}[/bold cyan]"))
        items.append(Text(""))
        items.append(_hit(n, hit))
    if answer.more:
        shown = answer.offset + len(answer.hits)
        items.append(
            Text.from_markup(f"\n[dim]{shown} of {answer.total} shown; use --limit for more.[/dim]")
        )
    return Group(*items)


def print_answer(
    answer: Answer, theme_labels: dict[str, str], console: Console | None = None
) -> None:
    (console or Console()).print(render_answer(answer, theme_labels))

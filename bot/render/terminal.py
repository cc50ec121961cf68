"""An answer as a person reads it in a terminal (rich)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from ..answers import Answer
from ..search.hits import Hit
from .common import INTENT_TITLES, attribution, headline, no_answer_text, source_line, year_of


def _hit(number: int, hit: Hit) -> Group:
    parts = [Text.from_markup(f"[bold]{number}. {escape(headline(hit))}[/bold]")]
    note = attribution(hit)
    if note:
        parts.append(Text.from_markup(f"   [yellow]{escape(note)}[/yellow]"))
    parts.append(Padding(Text(f"“{hit.quote}”", style="italic"), (0, 0, 0, 3)))
    parts.append(Text.from_markup(f"   [dim]{escape(source_line(hit))}[/dim]"))
    if hit.url:
        parts.append(Text.from_markup(f"   [dim]{escape(hit.url)}[/dim]"))
    return Group(*parts)


def render_answer(answer: Answer, theme_labels: dict[str, str]) -> Group:
    items: list = []
    if answer.suggestion:
        items.append(Text.from_markup(f"[dim]Did you mean: {escape(answer.suggestion)}?[/dim]"))
    if not answer.answered:
        items.append(Text(no_answer_text(answer, theme_labels)))
        return Group(*items)
    items.append(
        Text.from_markup(f"[bold underline]{INTENT_TITLES[answer.intent]}[/bold underline]")
    )
    for note in answer.notes:
        items.append(Text.from_markup(f"[yellow]{escape(note)}[/yellow]"))
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

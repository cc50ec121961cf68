"""The `/inspection` grammar: a sub-command, or a question. Pure.

A sub-command is recognised only when its word stands alone or is followed by a
theme name: "figures" and "recommendations foster care" are sub-commands, but
"help for care leavers", "early help", "figures on adoption" and "reports of
abuse" are questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SUBCOMMANDS = ("help", "ratings", "recommendations", "figures", "reports", "themes")
# Sub-commands that take a theme after them.
TAKES_THEME = ("recommendations", "figures")


@dataclass(frozen=True)
class Command:
    name: str  # a sub-command name, or "question"
    text: str = ""  # the question, for "question"
    theme: str | None = None  # the theme id, for recommendations / figures


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def match_theme(text: str, themes: Iterable[dict]) -> str | None:
    """The theme whose id or label is exactly `text` (any case, spaces or hyphens)."""
    wanted = _slug(text)
    if not wanted:
        return None
    for theme in themes:
        if wanted in (theme["id"], _slug(theme["label"])):
            return theme["id"]
    return None


def parse_command(text: str | None, themes: Iterable[dict] = ()) -> Command:
    text = " ".join((text or "").split())
    if not text:
        return Command("help")
    first, _, rest = text.partition(" ")
    word = first.lower()
    if word not in SUBCOMMANDS:
        return Command("question", text=text)
    if not rest:
        return Command(word)
    if word in TAKES_THEME:
        theme = match_theme(rest, list(themes))
        if theme:
            return Command(word, theme=theme)
    return Command("question", text=text)

"""Text as Slack sends it, turned back into what the user typed. Pure: no bolt here.

Slack escapes `&`, `<` and `>` in message and command text as `&amp;`, `&lt;` and
`&gt;`, and writes mentions, broadcasts and links as `<...>` tokens. Decoding once
here, and escaping once on the way out (bot/render), means users never see
"&amp;amp;" echoed and search never sees "amp" or "lt" as words.
"""

from __future__ import annotations

import re

from ..limits import MAX_QUESTION_CHARS

# <@U123>, <@U123|name>, <#C123|name>, <!here>, <!subteam^S1|@team>, <https://x|label>
_TOKEN = re.compile(r"<([^<>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))  # &amp; last: decoded once


def _token(match: re.Match) -> str:
    inner = match.group(1)
    if inner[:1] in "@#!":  # a person, a channel or a broadcast: never a search word
        return " "
    target, _, label = inner.partition("|")
    return f" {label or target} "


def question_from_slack(text: object) -> str:
    """The words a user typed, from Slack's escaped text: mentions and broadcasts
    dropped, a link shown by its label, entities decoded once, cut to
    MAX_QUESTION_CHARS. Anything that is not a string is an empty question."""
    if not isinstance(text, str):
        return ""
    text = _TOKEN.sub(_token, text[: MAX_QUESTION_CHARS * 4])
    for entity, character in _ENTITIES:
        text = text.replace(entity, character)
    return " ".join(text.split())[:MAX_QUESTION_CHARS]

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


def follow_up_question(previous: str, text: str) -> str:
    """A follow-up in a thread ("and in 2010?", "what did they recommend about
    that?") read with the thread's earlier question: the earlier topic words, its
    years unless the follow-up names its own, and the words that set its intent
    (recommendations, grades, figures) unless the follow-up sets one, then the
    follow-up itself. Both are already decoded (question_from_slack)."""
    from ..search.query import parse_query

    earlier, now = parse_query(previous), parse_query(text)
    kept = list(dict.fromkeys(earlier.topic_words))
    if not now.years and not now.filters.year:
        kept += [str(year) for year in earlier.years]
    if now.intent == "finding" and earlier.intent != "finding":
        kept += [w for w in earlier.cue_words if w not in kept]
    return " ".join([*kept, text]).strip()[:MAX_QUESTION_CHARS]

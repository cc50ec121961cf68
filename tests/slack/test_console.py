"""The local console, in process: the Home tab, and answers' feedback buttons."""

from __future__ import annotations

import io

from rich.console import Console

from bot.slack.console import run_console


def console_output(settings, lines: str) -> str:
    out = io.StringIO()
    run_console(settings, stdin=io.StringIO(lines), console=Console(file=out, width=200))
    return out.getvalue()


def test_home_prints_the_home_tab(settings):
    out = console_output(settings, "home\n")
    assert " Home tab " in out
    assert "Latest graded judgements: Ofsted inspection of children's services, 2017" in out
    assert "• Adoption performance: Good" in out
    assert "This week's spotlight" in out


def test_a_thumbs_down_in_the_console_asks_why_and_thanks(settings):
    out = console_output(settings, "what grade did adoption get\n3\n2\n")
    answer, modal = out.split(" What was wrong? ")
    assert "[2] 👍 Helpful" in answer and "[3] 👎 Not helpful" in answer
    assert "[2] Wrong report" in modal
    assert "Thank you. This bot keeps no query log (QUERY_LOG=off)" in modal


def test_messages_offers_the_suggested_prompts_and_a_dm_is_answered_in_its_thread(settings):
    out = console_output(settings, "messages\n1\n")
    assert "Ask about the inspections" in out
    assert "[1] The grades from the 2017 inspection" in out
    prompts, answer = out.split("… Searching the reports…")
    assert "(in the thread)" in answer and "Overall effectiveness" in answer


def test_a_plain_line_after_a_mention_follows_up_in_its_thread(settings):
    out = console_output(settings, "@inspection-bot adoption\nand in 2010?\n/inspection help\n")
    # The follow-up ("and in 2010?") is read with the mention's topic, in its thread;
    # /inspection then ends the thread (its help is private, not in a thread).
    mention, follow_up = out.split("── inspection-bot (in the thread) ──")[1:3]
    assert "adopt" in mention.lower() and "adopt" in follow_up.lower()
    assert "only you can see this" in follow_up

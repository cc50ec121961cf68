"""What users typed, or a drafted document says, reaches the curator's terminal as text
only: no escape sequence can retitle the window, write the clipboard (OSC 52), hide
text or colour it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from bot.db.engine import engine_for, sqlite_url
from bot.querylog import QueryLog
from bot.render.terminal import terminal_safe
from tests.conftest import KNOWLEDGE, ROOT, SEEDS

# ESC, BEL, the other C0 controls but tab and newline, DEL, and the C1 controls.
CONTROL_BYTES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = (
    "foster \x1b]0;pwned\x07placements \x1b]52;c;ZXZpbA==\x07for "
    "\x1b[8molder\x1b[0m \x9b31mchildren"
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, kept", "plain words, kept"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("title \x1b]0;pwned\x07gone", "title gone"),
        ("title \x1b]2;pwned\x1b\\gone", "title gone"),  # OSC ended by ESC \
        ("clipboard \x1b]52;c;ZXZpbA==\x07gone", "clipboard gone"),
        ("\x1b[8mconcealed\x1b[0m shown", "concealed shown"),
        ("\x1b[38;5;196mred\x1b[m", "red"),
        ("\x9b31mC1 CSI", "C1 CSI"),
        ("\x9d0;pwned\x9cC1 OSC", "C1 OSC"),
        ("\x1bPdevice control\x1b\\after", "after"),  # DCS
        ("reset\x1bc screen", "reset screen"),
        ("bell\x07 backspace\x08 cr\r del\x7f nul\x00", "bell backspace cr del nul"),
        ("C1 \x85next line \x9ccontrols", "C1 next line controls"),
        ("unterminated \x1b]0;title", "unterminated 0;title"),
        ("lone escape \x1b", "lone escape "),
        ("café – “quotes” £5", "café – “quotes” £5"),
    ],
)
def test_terminal_safe(text, shown):
    assert terminal_safe(text) == shown


def test_terminal_safe_is_linear_on_unterminated_sequences():
    """Many string sequences that never end must not make each one scan to the end."""
    text = "\x1b]" * 50_000
    assert terminal_safe(text) == ""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_kb_gaps_prints_questions_without_control_sequences(tmp_path):
    log = QueryLog(engine_for(sqlite_url(tmp_path / "data")))
    log.record(HOSTILE, themes=("fostering",), answered=False)
    log.record(HOSTILE.replace("foster", "FOSTER"), themes=(), answered=False)
    log.record("is the \x1b]0;x\x07MASH coping?", themes=(), answered=True, feedback="not_helpful")
    result = run({"INSPECTION_BOT_DATA_DIR": str(tmp_path / "data")}, "kb", "gaps")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "Unanswered questions, most frequent first:\n"
        "    2  foster placements for older children\n"
        "Marked not helpful / wrong quote, most frequent first:\n"
        "    1  is the mash coping?\n"
    )
    assert not CONTROL_BYTES.search(result.stdout)


def test_kb_gaps_shows_why_answers_were_not_helpful(tmp_path):
    log = QueryLog(engine_for(sqlite_url(tmp_path / "data")))
    for reason in ("wrong_quote", "wrong_quote", "missing", None):
        log.record(
            "is the MASH coping?", themes=(), answered=True, feedback="not_helpful", reason=reason
        )
    result = run({"INSPECTION_BOT_DATA_DIR": str(tmp_path / "data")}, "kb", "gaps")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == (
        "    4  is the mash coping?  (why: wrong quote 2, something missing 1)"
    )


def test_ask_shows_a_drafted_documents_quote_without_control_sequences(tmp_path):
    """A document is drafted as it is; its text reaches the terminal only as text."""
    env = {
        "INSPECTION_BOT_KNOWLEDGE_DIR": str(tmp_path / "knowledge"),
        "INSPECTION_BOT_SEEDS_DIR": str(tmp_path / "seeds"),
        "INSPECTION_BOT_DATA_DIR": str(tmp_path / "data"),
    }
    shutil.copytree(KNOWLEDGE, tmp_path / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    shutil.copytree(SEEDS, tmp_path / "seeds")
    fixture = (ROOT / "tests" / "fixtures" / "northmoor_focused_visit.txt").read_text()
    hostile = fixture.replace(
        "Too many contacts wait", "Too many \x1b]52;c;ZXZpbA==\x07contacts \x1b[8mwait"
    )
    assert hostile != fixture
    source = tmp_path / "hostile.txt"
    source.write_text(hostile)
    drafted = run(env, "kb", "draft", str(source))
    assert drafted.returncode == 0, drafted.stderr
    result = run(
        env,
        "ask",
        "--include-drafts",
        "--limit",
        "5",
        "contacts wait days before a manager decides",
    )
    assert result.returncode == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "Too many contacts wait several days before a manager decides" in shown
    assert not CONTROL_BYTES.search(result.stdout)

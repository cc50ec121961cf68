"""Drafting grows linearly with the text, even when a report repeats itself.

Speed is measured by `bench/drafting.py` (numbers in BENCHMARKS.md); here the work is
counted instead of timed: every Python and C function call made while drafting,
which does not depend on the machine or its load.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from bench.drafting import repetitive_text
from bot.drafting import draft_file
from bot.paths import Paths
from tests.conftest import KNOWLEDGE, SEEDS


def calls_to_draft(kilobytes: int, work: Path) -> int:
    shutil.copytree(KNOWLEDGE, work / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    shutil.copytree(SEEDS, work / "seeds")
    source = work / "repetitive.txt"
    source.write_text(repetitive_text(kilobytes))
    paths = Paths(knowledge=work / "knowledge", seeds=work / "seeds", data=work / "data")
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        draft_file(source, paths=paths)
    finally:
        sys.setprofile(None)
    return calls


def test_four_times_the_text_is_at_most_about_four_times_the_work(tmp_path):
    small = calls_to_draft(32, tmp_path / "small")
    large = calls_to_draft(128, tmp_path / "large")
    # Linear work with a fixed part (loading and validating the knowledge base) gives
    # a ratio a little under 4; the quadratic steps this guards against gave 5.1.
    assert large / small < 4.5, (small, large, large / small)

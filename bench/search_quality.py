"""Search quality and speed, side by side with a plain BM25 baseline.

    .venv/bin/python -m bench.search_quality [--misses]

Prints hit@1, hit@3, MRR, correct and false abstentions for inspection-bot and for
BM25 over the same paragraphs (same tokenizer and stemmer, same process); the same for
the frozen blind set (tests/blind/), side by side with the golden set and the gap; then
the median and p99 time per query in process (no answer cache), and the cold start of
`inspection-bot search` (import, open the index, answer one query). `--misses` lists
the golden and persona misses only: the blind sets' misses are never printed, so they stay blind.
"""

from __future__ import annotations

import os

# One BLAS thread, as bot.search sets before numpy loads in the bot; here the BM25
# baseline (rank_bm25) imports numpy first, so it is set before anything is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.baseline import Bm25Baseline
from bench.blind import BLIND_2, comparison_spread, describe, load_blind, side_by_side
from bench.golden import load_golden, load_persona, score
from bot.answers import answer
from bot.knowledge import load_knowledge
from bot.paths import Paths
from bot.search.service import open_index

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ".venv/bin/python -m bench.search_quality"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def cold_start(data_dir: Path, runs: int = 5) -> list[float]:
    exe = ROOT / ".venv" / "bin" / "inspection-bot"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    env = {**os.environ, "INSPECTION_BOT_DATA_DIR": str(data_dir)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [*cmd, "search", "--json", "is the MASH coping?"],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the questions missed")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds over the golden set")
    args = parser.parse_args(argv)

    paths = Paths.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(knowledge=paths.knowledge, seeds=paths.seeds, data=Path(tmp) / "data")
        start = time.perf_counter()
        index = open_index(paths)
        build_seconds = time.perf_counter() - start
        kb = load_knowledge(paths.knowledge, paths.seeds)
        questions = load_golden()
        passage_of = {r.id: f"{r.report_id}:p{r.location.passage}" for r in kb.records}

        answers = {}

        def ours(question: str) -> tuple[bool, list[str]]:
            result = answer(question, index=index, limit=10)
            answers[question] = result
            return result.answered, [h.id for h in result.hits]

        baseline = Bm25Baseline(kb)
        mine = score(questions, ours, passage_of)
        theirs = score(questions, baseline.rank, passage_of)
        persona = load_persona()
        persona_mine = score(persona, ours, passage_of)
        blind = load_blind()
        blind_mine = score(blind, ours, passage_of)
        blind_theirs = score(blind, baseline.rank, passage_of)
        blind_2 = load_blind(BLIND_2)
        blind_2_mine = score(blind_2, ours, passage_of)
        columns = [
            ("golden", mine, comparison_spread(questions, answers)),
            ("persona", persona_mine, comparison_spread(persona, answers)),
            ("blind 2", blind_2_mine, comparison_spread(blind_2, answers)),
            ("blind", blind_mine, comparison_spread(blind, answers)),
        ]

        timings = []
        for _ in range(args.rounds):
            for question in questions:
                t0 = time.perf_counter()
                answer(question.q, index=index, limit=3)
                timings.append((time.perf_counter() - t0) * 1000)
        cold = cold_start(paths.data)

    answerable = sum(not q.unanswerable for q in questions)
    print(
        f"Golden set: {len(questions)} questions ({answerable} answerable, "
        f"{len(questions) - answerable} unanswerable, {sum(q.paraphrase for q in questions)} paraphrases)"
    )
    print(f"  inspection-bot  {mine.row()}")
    print(f"  BM25 baseline   {theirs.row()}")
    print(describe("Persona sets (written 2026-12-01 and 02, tuned on)", persona))
    print(f"  inspection-bot  {persona_mine.row()}")
    print(describe("Blind set (frozen, never tuned against)", blind))
    print(f"  inspection-bot  {blind_mine.row()}")
    print(f"  BM25 baseline   {blind_theirs.row()}")
    print(describe("Blind set 2 (frozen, written 2026-12-02, never tuned against)", blind_2))
    print(f"  inspection-bot  {blind_2_mine.row()}")
    print("inspection-bot, the sets side by side (gap = blind - golden):")
    print(side_by_side(columns))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Speed ({len(timings)} queries in process, no answer cache; load {load}):")
    print(
        f"  median {statistics.median(timings):.1f} ms  p99 {percentile(timings, 99):.1f} ms  "
        f"max {max(timings):.1f} ms"
    )
    print(f"  index build (first use) {build_seconds:.2f} s")
    print(
        f"  cold start of `inspection-bot search` (import, open index, one query), {len(cold)} runs: "
        f"median {statistics.median(cold):.2f} s  max {max(cold):.2f} s"
    )
    if args.misses:
        print("\nMissed by inspection-bot (golden, then persona):")
        for miss in (*mine.misses, *persona_mine.misses):
            print("  " + miss)
    print(f"\nReproduce: {COMMAND}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

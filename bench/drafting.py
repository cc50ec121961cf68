"""Drafting time: `kb draft` of repetitive text, 64 KB to 512 KB.

    .venv/bin/python -m bench.drafting [--sizes 64,128,256,512] [--distinct] [--profile KB]

An attacker (or a badly exported report) can hand the drafter the same paragraph
over and over; every heading, finding and quote then repeats. Each size is drafted
once, in process, through the same `draft_file` the command runs, into a scratch copy
of the knowledge base. Prints seconds per size and the time per KB, which stays
flat when drafting is linear. `--distinct` names a different ward in every block,
so that no paragraph repeats (every candidate is a record of its own to prove).
`--profile KB` prints cProfile's top functions for one size instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from bot.drafting import DraftError, draft_file
from bot.knowledge import validate_knowledge
from bot.paths import Paths

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "REPEATBURY BOROUGH COUNCIL\n"
    "Inspection of children's social care services\n\n"
    "Local authority: Repeatbury Borough Council\n"
    "Inspection dates: 3 March 2025 to 14 March 2025\n"
    "Report published: 22 April 2025\n\n"
)
# One Ofsted-like block: a heading, a paragraph with a figure, a paragraph tagged
# "(Recommendation)", a bullet list and a recommendation. Repeated, it gives the
# drafter many sections with the same title, findings with the same quote, figures
# with the same value, and tagged paragraphs to link to every recommendation.
BLOCK = (
    "The experiences and progress of children in care\n\n"
    "Too many contacts wait several days before a manager decides what should happen "
    "next. In some cases children at risk of significant harm were not seen quickly "
    "enough, and managers did not notice the delay. At 1 March 2025, 412 children were "
    "looked after by the council. This is an increase from 380 a year earlier.\n\n"
    "Managers do not check that plans for children at risk of exploitation are "
    "followed, so that drift in these plans goes unnoticed. (Recommendation)\n\n"
    "Strengths\n"
    "• Social workers know the children they work with and speak about them with warmth.\n"
    "• Return interviews after a missing episode happen within three days for most children.\n\n"
    "Recommendations\n\n"
    "Reduce the time that contacts wait for a management decision, so that children at "
    "risk are seen quickly.\n\n"
)


WARDS = ["alder", "birch", "cedar", "elder", "hazel", "holly", "larch", "maple", "rowan", "willow"]


def repetitive_text(kilobytes: int) -> str:
    """About `kilobytes` KB of text: the header, then BLOCK repeated."""
    repeats = max(1, (kilobytes * 1024 - len(HEADER)) // len(BLOCK.encode()))
    return HEADER + BLOCK * repeats


def distinct_text(kilobytes: int) -> str:
    """About `kilobytes` KB of text: BLOCK's paragraphs, each naming its own ward."""
    blocks, size, n = [HEADER], len(HEADER), 0
    while size < kilobytes * 1024:
        ward = " ".join(WARDS[(n // 10**i) % 10] for i in range(4))  # 10,000 names
        block = BLOCK.replace("next. In", f"next. In {ward} ward, in").replace(
            "Social workers", f"In {ward} social workers"
        )
        block = block.replace("Reduce the", f"In {ward}, reduce the")
        block = block.replace("Managers do", f"In {ward}, managers do")
        blocks.append(block)
        size, n = size + len(block), n + 1
    return "".join(blocks)


def draft_once(kilobytes: int, scratch: Path, *, distinct: bool = False) -> tuple[float, float]:
    """Seconds to draft `kilobytes` KB into a fresh copy of the knowledge base, and
    seconds for `kb validate` of the knowledge base with the draft in it."""
    work = Path(tempfile.mkdtemp(dir=scratch))
    shutil.copytree(ROOT / "knowledge", work / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    shutil.copytree(ROOT / "seeds", work / "seeds")
    source = work / f"repetitive-{kilobytes}kb.txt"
    text = distinct_text(kilobytes) if distinct else repetitive_text(kilobytes)
    source.write_text(text, encoding="utf-8")
    paths = Paths(knowledge=work / "knowledge", seeds=work / "seeds", data=work / "data")
    start = time.perf_counter()
    try:
        draft_file(source, paths=paths)
    except DraftError as error:  # a refusal is an answer too; it is timed the same
        print(f"  ({kilobytes} KB refused: {error})")
    drafted = time.perf_counter()
    validate_knowledge(paths.knowledge, paths.seeds, include_drafts=True)
    return drafted - start, time.perf_counter() - drafted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="64,128,256,512", help="sizes in KB, comma-separated")
    parser.add_argument("--distinct", action="store_true", help="no paragraph repeats")
    parser.add_argument("--profile", type=int, metavar="KB", help="profile one size instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(draft_once, args.profile, Path(scratch), distinct=args.distinct)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            return
        kind = "distinct" if args.distinct else "repetitive"
        flag = " --distinct" if args.distinct else ""
        print(f"`kb draft` of {kind} text (.venv/bin/python -m bench.drafting{flag})")
        print(f"{'size':>8} {'seconds':>9} {'ms per KB':>10} {'kb validate after':>18}")
        for kilobytes in (int(s) for s in args.sizes.split(",")):
            seconds, validating = draft_once(kilobytes, Path(scratch), distinct=args.distinct)
            per_kb = seconds * 1000 / kilobytes
            print(f"{kilobytes:>5} KB {seconds:>9.2f} {per_kb:>10.1f} {validating:>16.2f} s")


if __name__ == "__main__":
    main()

"""Growth: a synthetic knowledge base about 100 times the size of the seeds.

    .venv/bin/python -m bench.growth [--reports 300] [--passages 70]

Each synthetic report recombines real passages of the seeds (and the real curated
findings that quote them) under a made-up authority and year, so it exercises the
real schema, real text, real quote proof and real filters. Prints the index build
time (load, prove, index), the index size on disk, query latency p50 and p99 over
the golden questions, and the build's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.golden import load_golden
from bot.answers import answer
from bot.knowledge import Finding, load_knowledge
from bot.search.engine import SearchIndex
from bot.search.index import live_index_dir

ROOT = Path(__file__).resolve().parents[1]
PLACES = [
    "Ashford",
    "Brackley",
    "Carden",
    "Dunmore",
    "Elsworth",
    "Fenwick",
    "Glenholm",
    "Harwood",
    "Ingleby",
    "Jarrow",
    "Kelsall",
    "Langford",
    "Marden",
    "Northmoor",
    "Oakridge",
    "Pennant",
    "Quarrendon",
    "Redhill",
    "Selby",
    "Thornbury",
]


def make(target: Path, *, reports: int, passages_per_report: int, seed: int = 7) -> dict:
    """Write knowledge/ and seeds/ for the synthetic base under `target`."""
    rng = random.Random(seed)
    kb = load_knowledge(ROOT / "knowledge", ROOT / "seeds")
    findings = [r for r in kb.records if isinstance(r, Finding) and r.report_id != "press-2017"]
    knowledge, seeds = target / "knowledge", target / "seeds"
    (knowledge / "reports").mkdir(parents=True)
    seeds.mkdir()
    for name in ("themes.yaml", "glossary.yaml"):
        shutil.copy(ROOT / "knowledge" / name, knowledge / name)
    seed_bytes = record_count = 0
    for n in range(reports):
        place = f"{rng.choice(PLACES)} {n:03d}"
        year = rng.randint(2009, 2025)
        chosen = rng.sample(findings, passages_per_report)
        lines = [f"Inspection of children's services in {place}", ""]
        records = []
        for i, record in enumerate(chosen):
            passage = kb.passage_of(record).text
            lines += [passage, ""]
            records.append(
                {
                    "id": f"s{n:03d}-f{i:03d}",
                    "kind": record.category,
                    "themes": list(record.themes),
                    "section": "body",
                    "summary": record.summary,
                    "quote": record.quote,
                    "asks": list(record.asks),
                }
            )
        text = "\n".join(lines) + "\n"
        seed_name = f"synthetic-{n:03d}.txt"
        (seeds / seed_name).write_text(text)
        seed_bytes += len(text.encode())
        record_count += len(records)
        report = {
            "id": f"synthetic-{n:03d}",
            "title": f"Inspection of children's services in {place}",
            "kind": "inspection report",
            "publisher": "Ofsted",
            "authority": place,
            "inspected_from": dt.date(year, 3, 1),
            "inspected_to": dt.date(year, 3, 12),
            "published": dt.date(year, 5, 1),
            "seed": seed_name,
            "headline": "Synthetic report for the growth benchmark",
            "sections": [
                {"id": "body", "line": 1, "heading": "Inspection of children", "title": "Findings"}
            ],
        }
        body = {"report": report, "findings": records}
        (knowledge / "reports" / f"synthetic-{n:03d}.yaml").write_text(
            yaml.safe_dump(body, sort_keys=False)
        )
    original = sum(p.stat().st_size for p in (ROOT / "seeds").glob("*.txt"))
    return {"seed_bytes": seed_bytes, "ratio": seed_bytes / original, "records": record_count}


BUILD = """
import json, resource, sys, time
from pathlib import Path
from bot.paths import Paths
from bot.search.index import build_index
root = Path(sys.argv[1])
paths = Paths(knowledge=root / "knowledge", seeds=root / "seeds", data=root / "data")
start = time.perf_counter()
build_index(paths)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _p99(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--passages", type=int, default=70)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = make(root, reports=args.reports, passages_per_report=args.passages)
        built = subprocess.run(
            [sys.executable, "-c", BUILD, str(root)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        build = json.loads(built.stdout.strip().splitlines()[-1])
        index_dir = live_index_dir(root / "data").resolve()
        size_mb = sum(p.stat().st_size for p in index_dir.iterdir()) / 1e6
        index = SearchIndex(live_index_dir(root / "data"))
        questions = [q.q for q in load_golden()]
        for q in questions[:10]:
            answer(q, index=index)  # a running bot has answered something already
        passes = []
        for _ in range(2):  # the first time each question is asked, then again
            times = []
            for q in questions:
                start = time.perf_counter()
                answer(q, index=index)
                times.append((time.perf_counter() - start) * 1000)
            passes.append(sorted(times))
        times = sorted(passes[0] + passes[1])
        documents = index.meta.documents
    print(
        f"Growth: {args.reports} synthetic reports, {made['records']} curated records, "
        f"{made['seed_bytes'] / 1e6:.1f} MB of source text ({made['ratio']:.0f}x the seeds); "
        f"{documents} index documents"
    )
    print(
        f"  index build (load, prove every quote, index): {build['seconds']:.1f} s; peak memory "
        f"{build['peak_mb']:.0f} MB, and up to {build['children_peak_mb']:.0f} MB in each of "
        "the two indexing processes"
    )
    print(f"  index size on disk: {size_mb:.1f} MB")
    print(
        f"  query latency over {len(times)} golden questions: p50 {statistics.median(times):.1f} ms  "
        f"p99 {_p99(times):.1f} ms"
    )
    for name, sample in zip(("first time asked", "asked again"), passes, strict=True):
        print(
            f"    {name}: p50 {statistics.median(sample):.1f} ms  p99 {_p99(sample):.1f} ms  "
            f"max {sample[-1]:.1f} ms"
        )
    print(
        f"  this process's peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print(
        f"Reproduce: .venv/bin/python -m bench.growth --reports {args.reports} --passages {args.passages}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

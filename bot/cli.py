"""The `inspection-bot` command line: a thin adapter over the library."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .knowledge import validate_knowledge
from .knowledge.stats import knowledge_stats
from .paths import Paths

_PLURAL = {"history": "history entries", "finding": "findings", "figure": "figures"}
_PLURAL |= {"judgement": "judgements", "recommendation": "recommendations"}


def _kb_validate(args: argparse.Namespace, paths: Paths) -> int:
    files = [Path(f) for f in args.files] or None
    kb, problems = validate_knowledge(
        paths.knowledge, paths.seeds, include_drafts=True, report_files=files
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    quotes = len(kb.records)
    print(
        f"OK: {quotes} records in {len(kb.reports)} reports; every quote proven against its source."
    )
    return 0


def _kb_stats(args: argparse.Namespace, paths: Paths) -> int:
    files = [Path(f) for f in args.files] or None
    kb, problems = validate_knowledge(
        paths.knowledge, paths.seeds, include_drafts=args.include_drafts, report_files=files
    )
    if problems:
        print(
            f"warning: {len(problems)} problem(s); run `inspection-bot kb validate`",
            file=sys.stderr,
        )
    stats = knowledge_stats(kb)
    print(f"Records: {stats.total}")
    print("\nBy report:")
    for rid, counts in stats.by_report.items():
        parts = ", ".join(f"{n} {_PLURAL.get(kind, kind)}" for kind, n in sorted(counts.items()))
        print(f"  {rid:<14} {sum(counts.values()):>4}  ({parts or 'none'})")
    print("\nBy kind:")
    for kind, n in sorted(stats.by_kind.items()):
        print(f"  {kind:<36} {n:>4}")
    print("\nBy theme:")
    for theme, n in stats.by_theme.most_common():
        print(f"  {theme:<36} {n:>4}")
    print("\nCoverage of substantive passages (25 words or more) quoted by at least one record:")
    for cov in stats.coverage:
        print(f"  {cov.report_id:<14} {cov.quoted:>4}/{cov.substantive:<4} {cov.share:6.1%}")
        if args.uncovered:
            for p in cov.uncovered:
                print(f"      {p.id} lines {p.first_line}-{p.last_line}: {p.text[:110]}")
    return 0


def _kb_passages(args: argparse.Namespace, paths: Paths) -> int:
    kb, _ = validate_knowledge(paths.knowledge, paths.seeds, include_drafts=True)
    passages = kb.passages.get(args.report)
    if passages is None:
        print(f"No report '{args.report}'. Reports: {', '.join(kb.reports)}", file=sys.stderr)
        return 2
    for p in passages:
        mark = " (heading)" if p.heading else ""
        print(f"{p.id} lines {p.first_line}-{p.last_line}{mark}: {p.text}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspection-bot",
        description="Ask what Ofsted found, and get verbatim quotes with their sources.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    kb = commands.add_parser("kb", help="validate and inspect the knowledge base")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    validate = kb_commands.add_parser("validate", help="prove every quote; file:line for problems")
    validate.add_argument("files", nargs="*", help="report files to check alone (default: all)")
    validate.set_defaults(handler=_kb_validate)
    stats = kb_commands.add_parser("stats", help="counts by report, kind and theme; coverage")
    stats.add_argument("files", nargs="*", help="report files to count alone (default: all)")
    stats.add_argument("--uncovered", action="store_true", help="list passages no record quotes")
    stats.add_argument("--include-drafts", action="store_true", help="count drafts too")
    stats.set_defaults(handler=_kb_stats)
    passages = kb_commands.add_parser("passages", help="print a report's passages")
    passages.add_argument("report", help="report id, e.g. poole-2017")
    passages.set_defaults(handler=_kb_passages)
    return parser


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `inspection-bot ... | head` ends quietly
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    return handler(args, Paths.from_env())


if __name__ == "__main__":
    sys.exit(main())

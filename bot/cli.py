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


def _index(args: argparse.Namespace, paths: Paths) -> int:
    from rich.progress import Progress

    from .knowledge import KnowledgeError
    from .search.index import build_index

    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("Indexing", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            live = build_index(paths, progress=advance, force=True)
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("The index was not rebuilt; the previous one (if any) still serves.", file=sys.stderr)
        return 1
    print(f"Index built at {live.resolve()}")
    return 0


def _open_index(paths: Paths):
    from .knowledge import KnowledgeError
    from .search.service import open_index

    try:
        return open_index(paths)
    except KnowledgeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("No index could be built: fix the knowledge base first.", file=sys.stderr)
        return None


def _search(args: argparse.Namespace, paths: Paths) -> int:
    import json

    from .answers import answer

    if not args.stdin and not args.query:
        print("Give a query, or --stdin to read one per line.", file=sys.stderr)
        return 2
    index = _open_index(paths.for_drafts() if args.include_drafts else paths)
    if index is None:
        return 1
    queries = (line.strip() for line in sys.stdin) if args.stdin else iter([" ".join(args.query)])
    labels = {t["id"]: t["label"] for t in index.meta.themes}
    for query in queries:
        if not query:
            continue
        result = answer(query, index=index, limit=args.limit, include_drafts=args.include_drafts)
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
        else:
            from .render.terminal import print_answer, terminal_safe

            print(f"? {terminal_safe(query)}")
            print_answer(result, labels)
            print()
    return 0


def _ask(args: argparse.Namespace, paths: Paths) -> int:
    from .answers import answer
    from .render.terminal import print_answer

    index = _open_index(paths.for_drafts() if args.include_drafts else paths)
    if index is None:
        return 1
    result = answer(
        " ".join(args.query), index=index, limit=args.limit, include_drafts=args.include_drafts
    )
    print_answer(result, {t["id"]: t["label"] for t in index.meta.themes})
    return 0


def _settings():
    from .config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return None


def _logging(settings) -> None:
    import logging

    logging.basicConfig(
        level=getattr(logging, settings.log_level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _console(args: argparse.Namespace, paths: Paths) -> int:
    from .slack.console import run_console

    settings = _settings()
    if settings is None:
        return 2
    return run_console(settings)


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from .config import SettingsError

    settings = _settings()
    if settings is None:
        return 2
    _logging(settings)
    if _check_state(settings) is None:
        return 2
    try:
        if args.http:
            from .slack.serve import serve_http

            serve_http(
                settings, port=args.port or settings.port, workers=args.workers or settings.workers
            )
        else:
            from .slack.serve import serve_socket_mode

            if not settings.slack_app_token and not settings.oauth:
                raise SettingsError(
                    "SLACK_APP_TOKEN is not set; Socket Mode needs it. Set it, or use "
                    "`inspection-bot serve --http` with SLACK_SIGNING_SECRET."
                )
            serve_socket_mode(settings)
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    return 0


def _state_engine():
    """The settings' state database, its schema checked; None (said why) when not."""
    settings = _settings()
    return None if settings is None else _check_state(settings)


def _check_state(settings):
    """The state database's engine, its schema checked (bot/db/state.py); None, after
    saying why on one line, when this version must not run against it."""
    from .db.migrate import SchemaError
    from .db.state import state_engine

    try:
        return state_engine(settings)
    except SchemaError as error:
        print(f"Database error: {error}", file=sys.stderr)
        return None


def _default(args: argparse.Namespace, paths: Paths) -> int:
    """No command: serve Slack when tokens are configured, else the local console."""
    settings = _settings()
    if settings is None:
        return 2
    if settings.oauth and settings.slack_signing_secret:
        # Many workspaces, each installed through OAuth: HTTP only.
        args.http, args.port, args.workers = True, None, None
        return _serve(args, paths)
    if settings.has_slack_tokens:
        args.http = not settings.slack_app_token
        args.port = None
        args.workers = None
        return _serve(args, paths)
    return _console(args, paths)


def _iso_week(text: str):
    from .digest.content import IsoWeek

    try:
        return IsoWeek.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _digest(args: argparse.Namespace, paths: Paths) -> int:
    """The digest command; the state database failing mid-run (PostgreSQL restarted,
    a full disk) is one line and exit 1, never a traceback. What was posted stays
    claimed; a week left mid-post is taken over by the next run, which reads the
    channel's history before posting again."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return _digest_run(args, paths)
    except SQLAlchemyError as error:
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()
        print(
            f"The state database failed during the digest ({type(error).__name__}: "
            f"{cause[0] if cause else ''}); run the same command again once it is back.",
            file=sys.stderr,
        )
        return 1


def _digest_run(args: argparse.Namespace, paths: Paths) -> int:
    import datetime as dt

    from .config import SettingsError
    from .digest.post import DigestState, WeekNotStarted, dry_run
    from .digest.schedule import run_digest_now
    from .querylog import QueryLog

    settings = _settings()
    if settings is None:
        return 2
    _logging(settings)
    engine = _check_state(settings)
    if engine is None:
        return 2
    if args.all_workspaces:
        return _digest_all_workspaces(args, paths, settings, engine)
    if args.post:
        try:
            settings.require("SLACK_BOT_TOKEN", "DIGEST_CHANNEL")
            outcome = run_digest_now(settings, force=args.force, week=args.week)
        except SettingsError as error:
            print(f"Configuration error: {error}", file=sys.stderr)
            return 2
        except WeekNotStarted as error:
            print(error, file=sys.stderr)
            return 2
        print(outcome.message)
        return 0 if outcome.posted or "already posted" in outcome.message else 1
    index = _open_index(paths)
    if index is None:
        return 1
    print(
        dry_run(
            index=index,
            state=DigestState(engine),
            query_log=QueryLog(engine, enabled=settings.query_log),
            settings=settings,
            now=dt.datetime.now(dt.UTC),
            week=args.week,
        )
    )
    return 0


def _digest_all_workspaces(args: argparse.Namespace, paths: Paths, settings, engine) -> int:
    """One digest per installed workspace that has a digest channel (its own, or
    DIGEST_CHANNEL until its admins choose), each with the workspace's own token,
    query log and curators, claimed once per workspace per ISO week. The curator
    channel is one workspace's: no other workspace's questions go there."""
    import dataclasses
    import datetime as dt
    import logging

    from .config import SettingsError
    from .digest.post import DigestState, WeekNotStarted, dry_run
    from .digest.schedule import run_digest_now
    from .querylog import QueryLog
    from .slack.oauth import workspace_tokens
    from .workspaces import WorkspaceSettingsStore, defaults

    if not settings.oauth:
        print(
            "Configuration error: --all-workspaces needs SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET (workspaces installed through OAuth).",
            file=sys.stderr,
        )
        return 2
    tokens = workspace_tokens(settings)
    store = WorkspaceSettingsStore(engine, fallback=defaults(settings))
    index = None
    failed = 0
    if not tokens:
        print("No workspace has installed the app; nothing to do.")
    for team_id, token in sorted(tokens.items()):
        chosen = store.get(team_id)
        if not chosen.digest_channel:
            print(f"{team_id}: no digest channel; nothing posted.")
            continue
        own = dataclasses.replace(
            settings,
            slack_bot_token=token,
            digest_channel=chosen.digest_channel,
            curator_users=frozenset(chosen.curator_users),
            query_log=bool(settings.query_log and chosen.query_log),
            curator_channel=None,
        )
        if args.post:
            try:
                outcome = run_digest_now(own, force=args.force, week=args.week, team_id=team_id)
            except (SettingsError, WeekNotStarted) as error:
                print(f"{team_id}: {error}", file=sys.stderr)
                return 2
            except Exception:  # one workspace's failure is not every workspace's
                logging.getLogger(__name__).exception("the digest for %s failed", team_id)
                failed += 1
                continue
            print(f"{team_id}: {outcome.message}")
            if not (outcome.posted or "already posted" in outcome.message):
                failed += 1
            continue
        index = index or _open_index(paths)
        if index is None:
            return 1
        text = dry_run(
            index=index,
            state=DigestState(engine, team_id=team_id),
            query_log=QueryLog(engine, enabled=own.query_log),
            settings=own,
            now=dt.datetime.now(dt.UTC),
            week=args.week,
        )
        print(f"== {team_id} ({chosen.digest_channel}) ==\n{text}")
    return 1 if failed else 0


def _kb_gaps(args: argparse.Namespace, paths: Paths) -> int:
    from collections import Counter

    from .querylog import FEEDBACK_REASONS, QueryLog
    from .render.terminal import terminal_safe

    def shown(query: str) -> str:
        # Users typed these: escape sequences go before counting, so two questions
        # that differ only in hidden bytes count as one, and none reach the terminal.
        return " ".join(terminal_safe(query).split()).lower()

    engine = _state_engine()
    if engine is None:
        return 2
    entries = QueryLog(engine).entries(team_id=None)  # every workspace's
    unanswered = Counter(shown(e.query) for e in entries if not e.answered)
    unhelpful = Counter(shown(e.query) for e in entries if e.feedback)
    # Why each was not helpful, as chosen in Slack's feedback modal (older entries and
    # presses whose modal could not open have no reason).
    reasons: dict[str, Counter] = {}
    for e in entries:
        if e.feedback and e.reason in FEEDBACK_REASONS:
            reasons.setdefault(shown(e.query), Counter())[e.reason] += 1
    if not unanswered and not unhelpful:
        print("No unanswered or unhelpful questions in the query log (last 8 weeks).")
        return 0
    print("Unanswered questions, most frequent first:")
    for query, n in unanswered.most_common():
        print(f"  {n:>3}  {query}")
    print("Marked not helpful / wrong quote, most frequent first:")
    for query, n in unhelpful.most_common():
        why = reasons.get(query, Counter()).most_common()
        listed = ", ".join(f"{FEEDBACK_REASONS[r].lower()} {k}" for r, k in why)
        print(f"  {n:>3}  {query}" + (f"  (why: {listed})" if why else ""))
    return 0


def _kb_draft(args: argparse.Namespace, paths: Paths) -> int:
    from .drafting import DraftError, draft_file
    from .render.terminal import terminal_safe

    try:
        result = draft_file(Path(args.file), paths=paths, report_id=args.id)
    except DraftError as error:
        # One line, and safe to print: the message may quote a file name or an id.
        print(f"Cannot draft: {' '.join(terminal_safe(str(error)).split())}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    missing = (
        f" Not found in the text: {', '.join(result.missing)} (null in the draft; see its notes)."
        if result.missing
        else ""
    )
    print(f"Draft written to {result.path} (report id {result.report_id}): {counts}.{missing}")
    for warning in result.warnings:
        print(f"warning: {terminal_safe(warning)}")
    if result.dropped:
        print(
            f"Left out {len(result.dropped)} candidates the validator rejected: {', '.join(result.dropped)}"
        )
    print(
        "Every record, and the report's own keys, say reviewed: false. Review, set "
        f"reviewed: true, then `inspection-bot kb publish {result.report_id}`."
    )
    return 0


def _kb_publish(args: argparse.Namespace, paths: Paths) -> int:
    from .drafting import publish_draft
    from .render.terminal import terminal_safe

    problems = publish_draft(args.id, paths=paths)
    for problem in problems:
        print(terminal_safe(str(problem)), file=sys.stderr)
    if problems:
        print(
            f"Not published: {len(problems)} problem(s); the draft is unchanged.", file=sys.stderr
        )
        return 2
    print(f"Published knowledge/reports/{args.id}.yaml; the index picks it up on its next use.")
    from .drafting.history import history_candidates

    found = history_candidates(paths.knowledge / "reports" / f"{args.id}.yaml")
    if found:
        print(
            f"It states {len(found)} earlier judgement(s) for the inspection timeline (history "
            "candidates at the end of the file): check each, name its event, then run "
            f"`inspection-bot kb history {args.id}`."
        )
    return 0


def _kb_history(args: argparse.Namespace, paths: Paths) -> int:
    from .drafting.history import add_history
    from .render.terminal import terminal_safe

    added, problems = add_history(args.id, paths=paths)
    for problem in problems:
        print(terminal_safe(str(problem)), file=sys.stderr)
    if problems:
        print("knowledge/history.yaml is unchanged.", file=sys.stderr)
        return 2
    print(f"Added to knowledge/history.yaml: {', '.join(added)}.")
    return 0


def _querylog_purge(args: argparse.Namespace, paths: Paths) -> int:
    import datetime as dt

    from .querylog import QueryLog

    before = None
    if args.before:
        try:
            before = dt.datetime.combine(dt.date.fromisoformat(args.before), dt.time(), dt.UTC)
        except ValueError:
            print("--before takes a date like 2026-11-23", file=sys.stderr)
            return 2
    if not args.matching and not before and not args.all:
        print("Say what to erase: --matching TEXT, --before DATE, or --all.", file=sys.stderr)
        return 2
    engine = _state_engine()
    if engine is None:
        return 2
    log = QueryLog(engine)
    erased = log.purge(matching=args.matching, before=before, team_id=None)  # every workspace's
    if log.problem:
        print(f"Could not erase from the query log: {log.problem}", file=sys.stderr)
        return 1
    print(f"Erased {erased} entr{'y' if erased == 1 else 'ies'} from the query log.")
    return 0


def _db_error(settings, error: Exception) -> str:
    """One line for a database that cannot be reached or read, never its password."""
    from sqlalchemy.engine import make_url

    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    text = lines[0] if lines else type(cause).__name__
    password = make_url(settings.state_url).password
    if password:
        text = text.replace(str(password), "***")
    return text


def _db_where(settings) -> str:
    from .storage import describe

    return describe(_db_engine(settings))


def _db_engine(settings):
    from .db.engine import engine_for

    return engine_for(settings.state_url)


def _db_upgrade(args: argparse.Namespace, paths: Paths) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from .db import migrate

    settings = _settings()
    if settings is None:
        return 2
    try:
        where = _db_where(settings)
        done = migrate.upgrade(_db_engine(settings))
    except migrate.SchemaError as error:
        print(f"Database error: {error}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, OSError, ValueError) as error:
        print(f"Database error: {_db_error(settings, error)}", file=sys.stderr)
        return 2
    if done.changed:
        before = done.before or "none (a new database, or one from before migrations)"
        print(f"Upgraded {where} from revision {before} to {done.after}, the newest.")
    else:
        print(f"{where} is at revision {done.after}, the newest; nothing to do.")
    for note in done.notes:
        print(f"  {note}")
    return 0


def _db_current(args: argparse.Namespace, paths: Paths) -> int:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from .db import migrate

    settings = _settings()
    if settings is None:
        return 2
    url = make_url(settings.state_url)
    try:
        where = _db_where(settings)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            found = None  # not created by asking
        else:
            found = migrate.current(_db_engine(settings))
    except (SQLAlchemyError, OSError, ValueError) as error:
        print(f"Database error: {_db_error(settings, error)}", file=sys.stderr)
        return 2
    newest = migrate.head()
    if found == newest:
        print(f"{where}: revision {found}, the newest this version knows.")
        return 0
    if found is None:
        state = "none (a new database, or one from before migrations)"
    elif migrate.known(found):
        state = f"{found}, older than the newest this version knows ({newest})"
    else:
        state = f"{found}, newer than this version knows (its newest is {newest})"
    advice = "" if found and not migrate.known(found) else "; run `inspection-bot db upgrade`"
    print(f"{where}: revision {state}{advice}.")
    return 1


def build_parser() -> argparse.ArgumentParser:
    from .drafting.extract import MAX_PDF_BYTES, MAX_TEXT_BYTES
    from .drafting.ids import MAX_REPORT_ID

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
    draft = kb_commands.add_parser(
        "draft",
        help="draft a new report (.txt or .pdf) for review",
        description=(
            "Draft a new report into knowledge/drafts/<id>.yaml and copy it into seeds/. "
            f"A .txt must be UTF-8 text of at most {MAX_TEXT_BYTES // 2**20} MB; a .pdf may "
            f"be at most {MAX_PDF_BYTES // 2**20} MB. Symbolic links are refused. Nothing is "
            "written unless the draft passes `kb validate`; a refusal exits with status 2."
        ),
    )
    draft.add_argument("file", help="the report's text or PDF")
    draft.add_argument(
        "--id",
        help="the report id (default: authority, month and kind of inspection, e.g. "
        "northmoor-2025-03-focused): lowercase letters and digits in words joined by single "
        f"hyphens, at most {MAX_REPORT_ID} characters, not in use",
    )
    draft.set_defaults(handler=_kb_draft)
    publish = kb_commands.add_parser(
        "publish",
        help="move a reviewed draft into the knowledge base",
        description=(
            "Move knowledge/drafts/<id>.yaml into knowledge/reports/. Refused (exit status "
            "2, nothing moved, each problem named by file:line) while the report's kind, "
            "authority, publisher or headline is null, a date is null without a date_note, "
            "a value is a placeholder, or the report or any record says reviewed: false."
        ),
    )
    publish.add_argument("id", help="the draft's report id")
    publish.set_defaults(handler=_kb_publish)
    history = kb_commands.add_parser(
        "history",
        help="add a published report's named history candidates to knowledge/history.yaml",
    )
    history.add_argument("id", help="the published report's id")
    history.set_defaults(handler=_kb_history)
    gaps = kb_commands.add_parser(
        "gaps", help="unanswered and not-helpful questions, most frequent first"
    )
    gaps.set_defaults(handler=_kb_gaps)

    querylog = commands.add_parser("querylog", help="manage the query log")
    querylog_commands = querylog.add_subparsers(dest="querylog_command", required=True)
    purge = querylog_commands.add_parser(
        "purge", help="erase entries (e.g. a question that named a child)"
    )
    purge.add_argument("--matching", help="erase entries whose question contains TEXT")
    purge.add_argument("--before", help="erase entries before DATE (YYYY-MM-DD)")
    purge.add_argument("--all", action="store_true", help="erase everything")
    purge.set_defaults(handler=_querylog_purge)

    db = commands.add_parser(
        "db", help="the state database (SQLite in the data directory, or DATABASE_URL)"
    )
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="migrate the database to the newest schema this version knows"
    )
    upgrade.set_defaults(handler=_db_upgrade)
    current = db_commands.add_parser(
        "current",
        help="print the database's schema revision and whether it is the newest "
        "(exit status 0 when it is, 1 when not, 2 when the database cannot be read)",
    )
    current.set_defaults(handler=_db_current)

    digest = commands.add_parser("digest", help="the weekly digest")
    mode = digest.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="print this week's digest")
    mode.add_argument("--post", action="store_true", help="post it now (once per ISO week)")
    digest.add_argument(
        "--force", action="store_true", help="post even if this week was posted or claimed"
    )
    digest.add_argument(
        "--week",
        type=_iso_week,
        metavar="YYYY-Www",
        help="the ISO week (in DIGEST_TIMEZONE) instead of the current one, e.g. 2026-W48: "
        "--post re-sends a missed week (never one not yet begun), --dry-run previews any",
    )
    digest.add_argument(
        "--all-workspaces",
        action="store_true",
        help="every workspace that installed the app (OAuth), each to its own digest "
        "channel with its own token",
    )
    digest.set_defaults(handler=_digest)

    index = commands.add_parser("index", help="rebuild the search index now")
    index.set_defaults(handler=_index)

    search = commands.add_parser("search", help="search; --json for machines")
    search.add_argument("query", nargs="*", help="the question")
    search.add_argument("--json", action="store_true", help="one JSON object per query")
    search.add_argument("--limit", type=int, default=3, help="results per query (default 3)")
    search.add_argument(
        "--include-drafts", action="store_true", help="search unreviewed drafts too"
    )
    search.add_argument("--stdin", action="store_true", help="read one query per line")
    search.set_defaults(handler=_search)

    ask = commands.add_parser("ask", help="answer a question, for reading")
    ask.add_argument("query", nargs="+", help="the question")
    ask.add_argument("--limit", type=int, default=3, help="results (default 3)")
    ask.add_argument("--include-drafts", action="store_true", help="search unreviewed drafts too")
    ask.set_defaults(handler=_ask)

    console = commands.add_parser("console", help="the local console: the bot without Slack")
    console.set_defaults(handler=_console)

    serve = commands.add_parser("serve", help="serve Slack (Socket Mode, or --http)")
    serve.add_argument("--http", action="store_true", help="serve HTTP instead of Socket Mode")
    serve.add_argument("--port", type=int, help="HTTP port (default 3000, or PORT)")
    serve.add_argument("--workers", type=int, help="HTTP worker processes (default 2)")
    serve.set_defaults(handler=_serve)
    return parser


def entry() -> None:
    """The console script. `inspection-bot ... | head` ends quietly on a closed pipe;
    only here, never in `main()`, which tests and callers run in their own process."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or _default
    return handler(args, Paths.from_env())


if __name__ == "__main__":
    entry()

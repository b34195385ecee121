"""`python bot.py faq check|links|ask`: validate the FAQ files, check that their sources still
open, and try the search, without Discord.

`ask` reads the FAQ straight from disk and searches it as `/ask` does (`FaqService.search`),
but records nothing, so admins can test questions (or
pipe a file of them through `faq ask -`) without touching the statistics members create.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import UserError
from bot.faq.links import check_links, links_of
from bot.faq.loader import REVIEW_HOWTO, LoadResult, load_faq
from bot.faq.render import DISCLAIMER, reflow, review_note, source_link
from bot.faq.service import FaqService, open_matcher
from bot.settings import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("faq", help="check the FAQ files and ask it questions")
    actions = parser.add_subparsers(dest="faq_command", metavar="ACTION", required=True)

    check = actions.add_parser(
        "check", help="validate every FAQ file; exit status 1 if there are errors"
    )
    check.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="the folder of .md entries (default: [faq] directory from the settings)",
    )
    check.set_defaults(handler=_check)

    links = actions.add_parser(
        "links",
        help="check that every source URL and DOI still opens; exit status 1 if any is dead",
        description=(
            "Asks every source address (HEAD, then GET), follows redirects, and prints one line "
            "per dead, moved or uncheckable link as file:line: url: status. Moved links are "
            "warnings unless --strict."
        ),
    )
    links.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="the folder of .md entries (default: [faq] directory from the settings)",
    )
    links.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="addresses checked at once (default: [faq] link_concurrency, 4)",
    )
    links.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="time allowed for one request (default: [faq] link_timeout_seconds, 10)",
    )
    links.add_argument("--strict", action="store_true", help="exit status 1 for moved links too")
    links.add_argument("--doi-resolver", metavar="URL", help=argparse.SUPPRESS)
    links.set_defaults(handler=_links)

    ask = actions.add_parser("ask", help="show which entry would answer a question")
    ask.add_argument(
        "question", metavar="QUESTION", help="the question, or - to read one question per line"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.set_defaults(handler=_ask)


def _load(args: argparse.Namespace, directory: Path | None = None) -> LoadResult:
    settings = load_settings(args.config)
    directory = directory or settings.faq.directory
    if not directory.is_dir():
        raise UserError(f"{directory}: no such directory (give the folder holding the .md files)")
    return load_faq(
        directory,
        stale_after_days=settings.faq.stale_after_days,
        today=datetime.now(UTC).date(),
    )


def _check(args: argparse.Namespace) -> int:
    loaded = _load(args, args.directory)
    for problem in loaded.problems:
        print(problem)
    for problem in loaded.unreviewed:
        print(problem)
    if loaded.unreviewed:
        print(
            f"{len(loaded.unreviewed)} of {len(loaded.entries)} entries not yet reviewed by a "
            f"clinician: {REVIEW_HOWTO}"
        )
    errors = len(loaded.errors)
    warnings = len(loaded.warnings) + len(loaded.unreviewed)
    verdict = "FAILED" if errors else "ok"
    print(
        f"{loaded.directory}: {loaded.files} files, {len(loaded.entries)} entries, "
        f"{errors} error(s), {warnings} warning(s): {verdict}"
    )
    return 1 if errors else 0


def _links(args: argparse.Namespace) -> int:
    settings = load_settings(args.config).faq
    loaded = _load(args, args.directory)
    skipped = loaded.files - len(loaded.entries)
    links = links_of(loaded.entries)
    timeout = args.timeout or settings.link_timeout_seconds
    print(f"checking {len(links)} source links ...", file=sys.stderr, flush=True)
    reports = asyncio.run(
        check_links(
            links,
            concurrency=args.concurrency or settings.link_concurrency,
            request_timeout=timeout,
            doi_resolver=args.doi_resolver or settings.doi_resolver,
        )
    )
    count = {kind: 0 for kind in ("ok", "moved", "unchecked", "dead")}
    for report in sorted(reports, key=lambda r: (r.link.path, r.link.line or 0)):
        count[report.outcome.kind] += 1
        if report.outcome.kind != "ok":
            print(report)
    if skipped:
        print(f"{skipped} file(s) with errors not checked: run `python bot.py faq check` first")
    if reports and not any(r.outcome.reached for r in reports):
        print("no site could be reached at all: check this machine's internet connection")
    failed = count["dead"] or (args.strict and count["moved"])
    print(
        f"{loaded.directory}: {len(reports)} links in {len(loaded.entries)} entries, "
        f"{count['dead']} dead, {count['moved']} moved, {count['unchecked']} not checkable: "
        f"{'FAILED' if failed else 'ok'}"
    )
    return 1 if failed else 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _ask(args: argparse.Namespace) -> int:
    loaded = _load(args)
    for problem in loaded.errors:
        print(problem, file=sys.stderr)
    settings = load_settings(args.config)
    faq = FaqService.searching(settings, loaded.entries, open_matcher(settings))
    if args.question == "-":
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(_answer(faq, line.strip()), ensure_ascii=False), flush=True)
        return 0
    if args.json:
        print(json.dumps(_answer(faq, args.question), ensure_ascii=False))
        return 0
    result = faq.search(args.question)
    entry = result.entry
    if entry is None:
        print(f"No confident answer (confidence {result.score:.2f}). Closest topics:")
        for closest in result.alternatives:
            print(f"  {closest.id}: {closest.title}")
        return 0
    print(f"{entry.title}  [{entry.id}, confidence {result.score:.2f}]\n")
    print(reflow(entry.body))
    print("\nSources:")
    for source in entry.sources:
        print(f"  - {source_link(source)}")
    print(f"\n{review_note(entry)}. {DISCLAIMER}")
    return 0


def _answer(faq: FaqService, question: str) -> dict[str, object]:
    result = faq.search(question)
    return {
        "query": question,
        "id": result.entry.id if result.entry else None,
        "title": result.entry.title if result.entry else None,
        "score": round(result.score, 4),
        "review": (
            {"date": result.entry.reviewed.isoformat(), "by": result.entry.reviewed_by}
            if result.entry
            else None
        ),
    }

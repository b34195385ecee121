"""`python bot.py faq check|ask`: validate the FAQ files and try the search, without Discord.

`ask` reads the FAQ straight from disk and searches it as `/ask` does (`FaqService.search`),
but records nothing, so admins can test questions (or
pipe a file of them through `faq ask -`) without touching the statistics members create.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import UserError
from bot.faq.loader import LoadResult, load_faq
from bot.faq.render import DISCLAIMER, reflow, source_link
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
    errors, warnings = len(loaded.errors), len(loaded.warnings)
    verdict = "FAILED" if errors else "ok"
    print(
        f"{loaded.directory}: {loaded.files} files, {len(loaded.entries)} entries, "
        f"{errors} error(s), {warnings} warning(s): {verdict}"
    )
    return 1 if errors else 0


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
    print(f"\nReviewed {entry.reviewed.isoformat()}. {DISCLAIMER}")
    return 0


def _answer(faq: FaqService, question: str) -> dict[str, object]:
    result = faq.search(question)
    return {
        "query": question,
        "id": result.entry.id if result.entry else None,
        "title": result.entry.title if result.entry else None,
        "score": round(result.score, 4),
    }

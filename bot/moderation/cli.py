"""`python bot.py flags classify|list|show|purge|stats|export`: the moderation core from a terminal.

`classify` needs neither settings nor a database, so anyone can pipe a file of messages
through the detector (one message per line) and see what moderators would be shown; the other
actions work on the bot's database, for admins answering a member's data request or checking
the queue while the bot is offline. Excerpts are never printed here: a terminal log is not a
place for members' health information. `export` writes message text only to the file
the admin names (or stdout), only under the server's opt-in, and never logs it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from bot.errors import UserError
from bot.faq.store import FaqStore
from bot.moderation import outcomes
from bot.moderation.detector import classify
from bot.moderation.lifecycle import STATES
from bot.moderation.model import ERASED_MEMBER, jump_url
from bot.moderation.service import ModerationService
from bot.settings import load_settings
from bot.storage import Database

T = TypeVar("T")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("flags", help="classify messages and manage stored flags")
    actions = parser.add_subparsers(dest="flags_command", metavar="ACTION", required=True)

    cls = actions.add_parser(
        "classify",
        help="read one message per line on stdin; print the category, score and reasons",
    )
    cls.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per line: {"text", "category", "score", "reasons"}',
    )
    cls.set_defaults(handler=_classify)

    listing = actions.add_parser("list", help="the review queue (default: open or claimed)")
    listing.add_argument("--state", choices=STATES, help="only flags in this state")
    listing.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", help="one flag and its audit trail")
    show.add_argument("id", type=int, help="the flag number")
    show.set_defaults(handler=_show)

    purge = actions.add_parser(
        "purge", help="delete everything stored about a member (a data-removal request)"
    )
    purge.add_argument("--user", type=int, required=True, metavar="ID", help="the member's id")
    purge.set_defaults(handler=_purge)

    stats = actions.add_parser(
        "stats",
        help="per category: flagged, confirmed, dismissed, missed, precision (7 and 30 days)",
    )
    stats.add_argument(
        "--days", type=int, action="append", metavar="N", help="a window of N days instead"
    )
    stats.add_argument("--json", action="store_true", help="one JSON object")
    stats.set_defaults(handler=_stats)

    export = actions.add_parser(
        "export",
        help="moderators' decisions as labelled JSON lines for retraining (one closed flag each)",
    )
    export.add_argument(
        "--since", type=_date, metavar="DATE", help="only flags closed on or after YYYY-MM-DD"
    )
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    export.set_defaults(handler=_export)


def _date(text: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _classify(args: argparse.Namespace) -> int:
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        detection = classify(text)
        if args.json:
            record = {
                "text": text,
                "category": detection.category,
                "score": detection.score,
                "reasons": list(detection.reasons),
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            why = f"  ({'; '.join(detection.reasons)})" if detection.reasons else ""
            print(f"{detection.category:7} {detection.score:.2f}  {text}{why}", flush=True)
    return 0


def _with_service(args: argparse.Namespace, work: Callable[[ModerationService], Awaitable[T]]) -> T:
    async def run() -> T:
        settings = load_settings(args.config)
        db = await Database.open(settings.database.path)
        try:
            service = await ModerationService.create(settings, db)
            return await work(service)
        finally:
            await db.close()

    return asyncio.run(run())


def _list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UserError("--limit must be at least 1")

    async def work(service: ModerationService) -> int:
        flags = await service.list_flags(args.state, args.limit)
        if not flags:
            print(f"no flags {args.state or 'open or claimed'}")
            return 0
        for flag in flags:
            holder = f" by {flag.claimed_by}" if flag.claimed_by else ""
            print(
                f"#{flag.id:<5} {flag.state}{holder:<12} {flag.category:<13} {flag.score:.2f} "
                f"author={flag.author_id} {flag.created_at} {flag.jump_url}"
            )
        return 0

    return _with_service(args, work)


def _show(args: argparse.Namespace) -> int:
    async def work(service: ModerationService) -> int:
        flag = await service.get_flag(args.id)
        if flag is None:
            raise UserError(f"there is no flag #{args.id} (see `python bot.py flags list`)")
        print(
            f"flag #{flag.id}: {flag.category} {flag.score:.2f}, {flag.state}, "
            f"author {flag.author_id}, {flag.jump_url}"
        )
        print("reasons: " + ("; ".join(flag.reasons) or "none"))
        for event in await service.history(flag.id):
            actor = event.actor_id if event.actor_id is not None else "bot"
            if actor == ERASED_MEMBER:
                actor = "a removed member"
            move = (
                f" {event.from_state}->{event.to_state}"
                if event.from_state != event.to_state
                else ""
            )
            note = f": {event.note}" if event.note else ""
            print(f"  {event.at} {event.action} by {actor}{move}{note}")
        return 0

    return _with_service(args, work)


def _purge(args: argparse.Namespace) -> int:
    async def work(service: ModerationService) -> int:
        result = await service.purge_user(args.user)
        votes = await FaqStore(service.store.db).forget_member(args.user)
        print(
            f"member {result.user_id}: deleted {result.flags_deleted} flag(s), "
            f"{result.reports_removed} report(s) they made and {votes} FAQ vote(s); "
            "the audit trail of other flags now says 'a removed member'"
        )
        if result.review_posts:
            print("their review posts are still in Discord; delete them there:")
            for guild_id, channel_id, message_id in result.review_posts:
                print(f"  {jump_url(guild_id, channel_id, message_id)}")
        return 0

    return _with_service(args, work)


def _stats(args: argparse.Namespace) -> int:
    windows = tuple(args.days or outcomes.WINDOWS)
    if any(days < 1 for days in windows):
        raise UserError("--days must be at least 1")

    async def work(service: ModerationService) -> int:
        found = await service.outcome_stats(windows)
        if args.json:
            print(json.dumps(outcomes.stats_json(found), ensure_ascii=False))
            return 0
        for index, window in enumerate(found):
            if index:
                print()
            print(f"last {window.days} days (flags raised in the window)")
            print(outcomes.table(window))
        return 0

    return _with_service(args, work)


def _export(args: argparse.Namespace) -> int:
    async def work(service: ModerationService) -> tuple[list[dict[str, object]], bool]:
        return await service.export(args.since), service.settings.keep_text_for_training

    rows, with_text = _with_service(args, work)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args.out is None:
        sys.stdout.write(lines)
    else:
        try:
            args.out.write_text(lines, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{args.out}: cannot write the export ({exc.strerror})") from None
    text = "with message text (keep_text_for_training is on)" if with_text else "without text"
    where = f" to {args.out}" if args.out else ""
    print(f"exported {len(rows)} decision(s){where}, {text}", file=sys.stderr)
    return 0

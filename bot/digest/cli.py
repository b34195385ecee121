"""`python bot.py digest preview [--days N]`: what the next digest would say, posting nothing.

An admin tuning the PubMed query or adding a feed wants to see the result before members
do. The preview reads the database to know what was already posted but writes nothing; with
no database yet it uses an empty one in memory, so it never creates a file either. When no
source could be read it says so, one line per source and a summary, and exits with status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.digest.model import Preview
from bot.digest.service import DigestService
from bot.logs import setup_logging
from bot.settings import load_settings
from bot.storage import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("digest", help="preview the research digest")
    actions = parser.add_subparsers(dest="digest_command", metavar="ACTION", required=True)
    preview = actions.add_parser(
        "preview",
        help="fetch the sources and print what the next digest would contain (posts nothing)",
    )
    preview.add_argument(
        "--days",
        type=_days,
        default=None,
        metavar="N",
        help="look back N days instead of since the last digest",
    )
    preview.set_defaults(handler=_preview)


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, got {value!r}") from None
    if not 1 <= days <= 365:
        raise argparse.ArgumentTypeError(f"must be between 1 and 365, got {days}")
    return days


def _preview(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    setup_logging("WARNING")
    # The report names every source that failed, in one line each; the attempt-by-attempt
    # warnings a running bot logs would only repeat it here.
    for name in ("bot.http", "bot.digest.collect"):
        logging.getLogger(name).setLevel(logging.ERROR)

    async def preview() -> Preview:
        path = settings.database.path
        db = await Database.open(path if path.exists() else ":memory:")
        try:
            service = await DigestService.create(settings, db)
            try:
                return await service.preview(args.days)
            finally:
                await service.close()
        finally:
            await db.close()

    result = asyncio.run(preview())
    print(result.text)
    return 1 if result.all_failed else 0

"""`python bot.py [command]`: the one entry point for admins, moderators and CI.

Each feature adds its own subcommand (`bot/<feature>/cli.py: register`), so this module only
parses, dispatches and turns expected errors into one line and an exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import __version__
from bot.errors import ConfigError, UserError
from bot.logs import setup_logging
from bot.settings import load_settings

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    from bot.digest import cli as digest_cli
    from bot.faq import cli as faq_cli
    from bot.models import cli as models_cli
    from bot.moderation import cli as moderation_cli
    from bot.trials import cli as trials_cli

    parser = argparse.ArgumentParser(
        prog="python bot.py",
        description=(
            "A Discord companion for MS communities: a cited stem-cell FAQ, research digests, "
            "and human review of requests for medical advice."
        ),
        epilog="Run `python bot.py console` to try it offline, without a Discord token.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="PATH",
        help="settings file (default: settings.toml; optional, every key has a default)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="connect to Discord and serve (the default)")
    run.set_defaults(handler=_run)

    console = sub.add_parser(
        "console", help="chat with the bot offline in this terminal (no token needed)"
    )
    console.set_defaults(handler=_console)

    faq_cli.register(sub)
    moderation_cli.register(sub)
    digest_cli.register(sub)
    models_cli.register(sub)
    trials_cli.register(sub)

    am = sub.add_parser("automod", help="the Discord AutoMod rule for clinic promotion")
    am_sub = am.add_subparsers(dest="automod_command", metavar="ACTION", required=True)
    sync = am_sub.add_parser(
        "sync", help="create or update the bot's one AutoMod keyword rule (alerts, never blocks)"
    )
    sync.add_argument(
        "--block", action="store_true", help="also block matching messages (off by default)"
    )
    sync.set_defaults(handler=_automod_sync)
    show = am_sub.add_parser("show", help="print the rule as it would be sent; contacts no one")
    show.add_argument("--block", action="store_true", help="as with sync --block")
    show.set_defaults(handler=_automod_show)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    migrate = db_sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(handler=_db_migrate)
    backup = db_sub.add_parser("backup", help="write an online, consistent copy of the database")
    backup.add_argument("path", type=Path, help="where to write the copy (must not exist)")
    backup.set_defaults(handler=_db_backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", _run)
    try:
        status = handler(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at exit
        return status
    except ConfigError as exc:
        print(exc, file=sys.stderr)  # already `file: [section] key: problem`, one per line
        return exc.exit_code
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `python bot.py faq ask ... | head -1`: the reader has gone, which is not an error to
        # report. Point stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # what a shell shows for a command stopped by SIGPIPE


def _run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    setup_logging(settings.logging.level)
    from bot.discord.runner import run_bot

    return asyncio.run(run_bot(settings))


def _console(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    setup_logging("WARNING")
    from bot.console import run_console

    return run_console(settings)


def _automod_sync(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    setup_logging("WARNING")
    from bot.discord.automod import sync

    for line in asyncio.run(sync(settings, block=args.block)):
        print(line)
    return 0


def _automod_show(args: argparse.Namespace) -> int:
    import json

    from bot.moderation import automod

    settings = load_settings(args.config)
    channel = settings.moderation.review_channel_id or 0
    rule = automod.rule_payload(channel, settings.moderation.moderator_role_ids, block=args.block)
    print(json.dumps(rule, indent=2, ensure_ascii=False))
    for problem in automod.problems(rule["trigger_metadata"]["regex_patterns"]):
        print(f"problem: {problem}", file=sys.stderr)
    return 0


def _db_migrate(args: argparse.Namespace) -> int:
    from bot.storage import MIGRATIONS, Database

    async def migrate() -> int:
        settings = load_settings(args.config)
        db = await Database.open(settings.database.path, migrations=None)
        try:
            applied = await db.migrate(MIGRATIONS)
            version = await db.schema_version()
        finally:
            await db.close()
        done = f"applied {', '.join(map(str, applied))}" if applied else "already up to date"
        print(f"{settings.database.path}: schema version {version} ({done})")
        return 0

    return asyncio.run(migrate())


def _db_backup(args: argparse.Namespace) -> int:
    from bot.storage import Database

    async def backup() -> int:
        settings = load_settings(args.config)
        if not settings.database.path.exists():
            raise UserError(f"{settings.database.path}: no database to back up yet")
        db = await Database.open(settings.database.path)
        try:
            await db.backup(args.path)
        finally:
            await db.close()
        print(f"backed up {settings.database.path} to {args.path}")
        return 0

    return asyncio.run(backup())

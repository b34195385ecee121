"""`python bot.py flags ...` (placeholder until the moderation feature lands)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("flags", help="classify messages and manage stored flags")
    parser.add_subparsers(dest="flags_command", metavar="ACTION", required=True)

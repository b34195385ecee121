"""`python bot.py faq ...` (placeholder until the FAQ feature lands)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("faq", help="check the FAQ files and ask it questions")
    parser.add_subparsers(dest="faq_command", metavar="ACTION", required=True)

"""`python bot.py digest ...` (placeholder until the digest feature lands)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("digest", help="preview the research digest")
    parser.add_subparsers(dest="digest_command", metavar="ACTION", required=True)

"""`python bot.py models train|check`: fit the shipped classifier, or check it is current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.models.data import MESSAGES, digest, read_messages

HERE = Path(__file__).resolve().parent
SHIPPED = HERE / "messages.npz"


def register(sub: argparse._SubParsersAction) -> None:
    models = sub.add_parser("models", help="the learned classifiers shipped with the bot")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    train = actions.add_parser("train", help="refit from tests/data/ and write the model file")
    train.add_argument("--data", type=Path, default=MESSAGES, help="labelled messages (TSV)")
    train.add_argument("--out", type=Path, default=SHIPPED, help="where to write the model")
    train.set_defaults(handler=_train)


def train(data: Path, out: Path) -> str:
    from bot.models.messages import fit

    rows = read_messages(data)
    model = fit(rows, digest(data))
    model.save(out)
    cuts = ", ".join(f"{c} {t:.3f}" for c, t in model.thresholds.items())
    return f"{out}: {len(rows)} messages, {len(model.vocabulary.terms)} terms, thresholds {cuts}"


def _train(args: argparse.Namespace) -> int:
    print(train(args.data, args.out), file=sys.stdout)
    return 0

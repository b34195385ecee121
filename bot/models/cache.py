"""Embeddings kept on disk between runs of `models train` and the benchmarks.

Encoding the evaluation sets takes a minute on one core; refitting or re-measuring should not
pay it again. Entries are keyed by sha256 of the encoder's own sha256, its token limit and the
text, so a different model or limit never reuses a vector. The file lives in `.cache/` at the
repository root (gitignored) and holds vectors only, never text.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.models.data import REPO_ROOT
from bot.models.encoder import DIMENSIONS, Encoder

DEFAULT_CACHE = REPO_ROOT / ".cache" / "embeddings.npz"


def _key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()[:32]


class EmbeddingCache:
    def __init__(self, path: Path = DEFAULT_CACHE) -> None:
        self.path = path
        self._vectors: dict[str, np.ndarray] = {}
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    keys, vectors = stored["keys"], stored["vectors"]
                self._vectors = {str(k): v for k, v in zip(keys, vectors, strict=True)}
            except (OSError, ValueError, KeyError):
                self._vectors = {}  # a damaged cache is only a slower run

    def embed(self, encoder: Encoder, model_id: str, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts`, encoding (and remembering) only those not seen before."""
        tag = f"{model_id}:{encoder.max_tokens}"
        keys = [_key(tag, t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
        )
        if missing:
            vectors = encoder.embed([t for _, t in missing])
            for (k, _), v in zip(missing, vectors, strict=True):
                self._vectors[k] = v
            self._save()
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._vectors)
        temporary = self.path.with_suffix(".tmp.npz")
        np.savez(temporary, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
        os.replace(temporary, self.path)

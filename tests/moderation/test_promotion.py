"""Clinic promotion: an offer and a way to reach the seller together; each alone is talk."""

from __future__ import annotations

import pytest

from bot.moderation.detector import classify
from bot.moderation.detector.promotion import signals


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("join us at https://chat.whatsapp.com/AbCdEf", "messaging-app invite (WhatsApp/Telegram)"),
        ("write to wa dot me/15551234567", "messaging-app invite (WhatsApp/Telegram)"),
        ("see t.me/regenclinic", "messaging-app invite (WhatsApp/Telegram)"),
        ("details at bit.ly/3xYz", "shortened link"),
        ("please share gofundme.com/f/help-anna", "crowdfunding link"),
        ("call +1 555 123 4567", "phone number"),
        ("only $9,500 all in", "price or currency"),
        ("it costs 12000 euros", "price or currency"),
    ],
)
def test_signals_beyond_words(text: str, reason: str) -> None:
    assert reason in signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our clinic offers MSC packages from $15,000. WhatsApp me +52 998 123 4567",
        "Stem cells cured my MS! DM me for the clinic details",
        "Limited spots for our exosome protocol, book now at bit.ly/regen-ms",
    ],
)
def test_offers_with_a_contact_are_promotion(text: str) -> None:
    detection = classify(text)
    assert detection.category == "promotion"
    assert detection.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Is this clinic legit? They charge $20k for stem cells and want me to WhatsApp them",
        "My HSCT cost £40k in the end",
        "DM me if you want to chat about fatigue",
        "Beware of clinics that sell stem cell packages on WhatsApp",
        "The trial NCT01234567 is recruiting, see clinicaltrials.gov",
    ],
)
def test_questions_warnings_and_trials_are_not(text: str) -> None:
    assert classify(text).category != "promotion"


def test_crisis_outranks_promotion() -> None:
    text = "I want to end my life. Stem cells cured nobody, DM me on whatsapp +44 7700 900123"
    assert classify(text).category == "crisis"

"""Clinical red flags reach the crisis path; the everyday MS version of each sign does not.

Sentences written for this test from the clinical descriptions on the pages each red flag
cites (bot/moderation/detector/redflags.py), not from any evaluation rows."""

import re

import pytest

from bot.moderation.detector import classify
from bot.moderation.detector.redflags import RED_FLAGS

EMERGENCIES = {
    "describes a fever while blood counts are low (neutropenic sepsis risk)": [
        "Day 9 and my counts are at zero, now I'm shivering and have a fever",
        "my wife is neutropenic and she has started having rigors this evening",
    ],
    "describes bleeding while blood counts are low": [
        "my platelets are very low and my nose bleed has been going for an hour",
        "low platelets after conditioning and there is blood in my urine tonight",
    ],
    "describes a fever after aHSCT or chemotherapy": [
        "two weeks after my aHSCT and I've got a fever and feel awful",
    ],
    "describes signs of a stroke (face, arm or speech, suddenly)": [
        "my dad's face has dropped on one side and he can't smile properly",
        "all of a sudden she couldn't move one side and her speech is slurred",
    ],
    "describes a sudden, worst-ever headache": [
        "I have the worst headache of my life, it came on in seconds",
        "out of nowhere a sudden excruciating headache, like I was hit on the head",
    ],
    "describes headache with fever or a stiff neck after an intrathecal injection": [
        "had my intrathecal MSC injection yesterday, now a bad headache and my neck is so stiff",
        "since the lumbar puncture I have a headache, a fever and the light hurts my eyes",
    ],
    "describes an allergic reaction during an infusion": [
        "halfway through my ocrevus infusion and I'm coming out in hives, my throat feels tight",
        "on the ATG drip now and my lips are swelling and I'm wheezing",
    ],
    "describes choking or being unable to swallow": [
        "my husband is choking and can't get it out",
        "she cannot swallow anything at all, not even her own saliva",
    ],
    "describes chest pain with warning signs (spreading, tight, breathless or sweating)": [
        "chest pain spreading into my left arm and I'm sweating",
        "his chest feels heavy and he's short of breath",
    ],
    "describes a fall with a head injury and warning signs": [
        "mum fell in the bathroom and hit her head, she's been sick twice and seems confused",
        "I tripped and banged my head on the door, I'm on warfarin",
    ],
    "describes signs of sepsis": [
        "he has a rash that does not fade when I press a glass on it and a high temperature",
        "her lips have gone blue and she is breathing really fast, she has an infection",
    ],
}

EVERYDAY = [
    "my legs have been numb and tingly all week, relapse or heat?",
    "had a headache after my lumbar puncture last month, lying flat helped",
    "last year I had a fever after chemo and was admitted, all fine now",
    "Day 9, counts are low but no fever so far, feeling ok",
    "my neuro says fatigue and headaches are common after aHSCT",
    "NHS article on the FAST stroke signs, worth a read for carers",
    "I fell over in the garden yesterday, just a bruised knee",
    "my platelets are low but rising, no bleeding, the nurses are happy",
    "the infusion went fine, no rash or anything",
]


# Health services and clinical bodies whose public pages the red flags are written from.
ORGANISATIONS = {"NHS", "NICE", "NMSS", "EBMT", "HSE (Ireland's health service)"}


def test_every_red_flag_names_its_source_and_has_a_test() -> None:
    assert {flag.reason for flag in RED_FLAGS} == set(EMERGENCIES)
    for flag in RED_FLAGS:
        organisation, _, title = flag.source.partition(": ")
        assert organisation in ORGANISATIONS and title, flag.reason


def test_every_red_flag_source_gives_its_checked_address_or_says_it_is_unverified() -> None:
    for flag in RED_FLAGS:
        assert "[not in SOURCES.md]" not in flag.source, flag.reason
        assert re.search(r"https?://\S+", flag.source) or (
            "[unverified: not found in stored copies" in flag.source
        ), flag.reason


@pytest.mark.parametrize(
    ("reason", "text"), [(r, t) for r, texts in EMERGENCIES.items() for t in texts]
)
def test_a_red_flag_is_a_crisis_with_its_reason(reason: str, text: str) -> None:
    detection = classify(text)
    assert detection.category == "crisis", text
    assert reason in detection.reasons or any(
        "medical emergency" in r or "fever" in r for r in detection.reasons
    ), detection.reasons


@pytest.mark.parametrize("text", EVERYDAY)
def test_the_everyday_version_of_a_sign_is_not_a_crisis(text: str) -> None:
    assert classify(text).category != "crisis", (text, classify(text).reasons)


# Crisis-service warning signs (NIMH / 988 Lifeline lists): looking for a way, buying the means.
WARNING_SIGNS = [
    "I've been googling how to kill myself all night",
    "spent today searching online for the easiest way to die",
    "I bought a rope to end it",
]
NOT_WARNING_SIGNS = [
    "been researching how to end my MS drug safely with my neuro",
    "I feel trapped in traffic every morning on the way to the infusion centre",
    "I bought a rope for the washing line",
]


@pytest.mark.parametrize("text", WARNING_SIGNS)
def test_looking_for_a_way_or_buying_the_means_is_a_crisis(text: str) -> None:
    detection = classify(text)
    assert detection.category == "crisis", text
    assert "mentions a plan or the means" in detection.reasons


@pytest.mark.parametrize("text", NOT_WARNING_SIGNS)
def test_everyday_searching_and_buying_is_not_a_crisis(text: str) -> None:
    assert classify(text).category != "crisis", (text, classify(text).reasons)


def test_feeling_trapped_counts_with_another_sign_but_not_alone() -> None:
    assert classify("I feel so trapped").category != "crisis"
    assert classify("I feel so trapped. There's no point in going on").category == "crisis"

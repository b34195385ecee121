"""The detector on sentences written for these tests, none of them in tests/data/messages.tsv.

The evaluation file measures the detector; these tests pin down behaviours a moderator would
notice if they broke: a quote is not a question, a past decision is not a request, an idiom is
not a crisis, and a crisis outranks an advice request.
"""

from __future__ import annotations

import pytest

from bot.moderation.detector import classify, classify_cached
from bot.moderation.detector.normalise import normalise
from tests.moderation.eval_file import known_texts

ADVICE = [
    "Should I come off Zeposia before getting pregnant?",
    "is it alright for me to miss one ocrevus dose? moving house",
    "My mother in law has SPMS, should she do the stem cell clinic in Kazakhstan?",
    "how much baclofen can I take in a day",
    "do u think i shud go 2 the er my eye hurts and its all grey",
    "need advice asap: neuro wants to switch me from tysabri to ocrevus, yes or no?",
    "Is my MRI bad? it says multiple periventricular lesions",
    "I've been getting really bad spasms at night. Do I need to see my GP?",
    "Would you do HSCT at 50 with EDSS 5?",
    "can my husband have his flu jab on the same day as his infusion?",
    "Been having bladder issues for a week, should I ring my MS nurse?",
    "Thinking about dropping my Aubagio and going natural. Thoughts?",
]
CRISIS = [
    "I just want everything to end",
    "i'm going to take every pill in the house tonight",
    "my dad just had a seizure and he's still not waking up",
    "Everyone would be better off without me honestly",
    "I feel like ending my life",
    "My mum is unresponsive on the floor, I've called 999",
    "i cut myself last night and i want to do it again",
    "I keep thinking everyone would be happier if I wasn't around",
    "I've been having thoughts of suicide daily",
    "life isn't worth living anymore",
]
NONE = [
    # general questions the FAQ answers
    "What are the side effects of Kesimpta?",
    "Which is better for PPMS, Ocrevus or nothing? Interested in the evidence",
    "what happens to people who miss an ocrevus infusion?",
    # experiences and past decisions
    "My neuro stopped my Copaxone in 2015",
    "I stopped Gilenya and started Ocrevus the year after, very happy",
    "I should have asked for HSCT years earlier",
    # idioms, jokes and stories
    "This relapse is killing me slowly lol",
    "I'm dying to try the new café near the hospital",
    "That quiz was brutal, my brain is dead",
    "The ending of that film about HSCT made me cry",
    "The book ends with her jumping off a cliff, I was in bits",
    # news and subjects, not the writer
    "Research on suicide prevention in MS clinics is underfunded",
    # a crisis that is over
    "Two years ago I wanted to die. Now I'm 18 months post HSCT and loving life",
    # everyday "should I"
    "Should I make a spreadsheet of my symptoms? I love a spreadsheet",
    "Does anyone know if the clinic in Puebla has wifi?",
    "Can I join the Tuesday HSCT support call late?",
    "My sister asked whether she should come to my MRI, I said no need",
]


def test_test_sentences_are_not_in_the_evaluation_file() -> None:
    known = known_texts()
    overlap = [s for s in ADVICE + CRISIS + NONE if s.strip().lower() in known]
    assert overlap == []


@pytest.mark.parametrize("text", ADVICE)
def test_flags_requests_for_personal_advice(text: str) -> None:
    detection = classify(text)
    assert detection.category == "advice", detection
    assert 0.5 <= detection.score <= 1.0
    assert detection.reasons and all(r.strip() for r in detection.reasons)


@pytest.mark.parametrize("text", CRISIS)
def test_flags_crisis(text: str) -> None:
    detection = classify(text)
    assert detection.category == "crisis", detection
    assert detection.reasons


@pytest.mark.parametrize("text", NONE)
def test_leaves_everything_else_alone(text: str) -> None:
    detection = classify(text)
    assert detection.category == "none", detection
    assert detection.reasons == ()


def test_reasons_are_human_readable() -> None:
    assert classify("should I stop my ocrevus?").reasons == (
        "asks whether to start, stop, switch or take a treatment",
    )
    assert "mentions wanting to die" in classify("honestly I want to die").reasons
    assert classify("should my dad stop his tysabri?").reasons[-1] == (
        "on behalf of a relative or friend"
    )


def test_crisis_outranks_advice() -> None:
    detection = classify("I took all my pills an hour ago, should I go to A&E?")
    assert detection.category == "crisis"


def test_quoting_someone_else_is_not_asking() -> None:
    assert classify('My aunt keeps asking "should I stop my tecfidera?" lol').category == "none"
    assert classify("> should I stop my tecfidera?\nthis gets asked so often").category == "none"
    assert classify("should I stop my tecfidera?").category == "advice"


def test_negation_and_past() -> None:
    assert classify("I'm not suicidal, just worn out by this relapse").category == "none"
    assert classify("Back in 2019 I was suicidal. Therapy helped a lot").category == "none"
    assert classify("I was suicidal in 2019 and it's back again now").category == "crisis"


def test_general_question_without_a_person_is_not_advice() -> None:
    assert classify("Is it safe to take vitamin D with Kesimpta?").category == "none"
    assert classify("Is it safe for me to take vitamin D with Kesimpta?").category == "advice"


def test_joking_hyperbole_about_means_is_not_crisis() -> None:
    assert classify("if my GP says 'lose weight' once more I'll jump off a bridge 🙄").category == (
        "none"
    )
    assert classify("I keep thinking about jumping off a bridge").category == "crisis"


def test_score_of_none_reflects_weak_evidence() -> None:
    clean = classify("lovely weather for the MS walk")
    weak = classify("there is no way out of this queue")
    assert clean.score == 1.0
    assert weak.category == "none" and weak.score < 1.0


def test_empty_and_odd_input() -> None:
    for text in ("", "   ", "🙂🙂🙂", "?" * 500, "a" * 10_000):
        detection = classify(text)
        assert detection.category == "none"
        assert 0.0 <= detection.score <= 1.0


def test_cached_classify_matches() -> None:
    text = "should I switch from Gilenya to Kesimpta?"
    assert classify_cached(text) == classify(text)


def test_normalisation_expands_slang_and_drops_quotes() -> None:
    norm = normalise('Im gonna ask my neuro, shud i stop?  "kill me now" he said')
    assert norm.text.startswith("i am going to ask my neurologist, should i stop?")
    assert "kill me" not in norm.text
    assert norm.sentences[0] == "i am going to ask my neurologist, should i stop?"

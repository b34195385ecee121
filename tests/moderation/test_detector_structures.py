"""The shapes of a request, whatever its words: sentences written for these tests only.

The first rules memorised one author's phrasing; members write "gonna skip my infusion, that's
fine right?" or "keep going or stop?" without ever typing "should I". These tests pin the
structures the detector now looks for, each beside look-alikes a moderator must not be shown:
logistics, past decisions, polls, sarcasm, research, and everyday goodbyes.
"""

from __future__ import annotations

import pytest

from bot.moderation.detector import classify
from tests.moderation.eval_file import known_texts

# A change to a treatment, then a nod sought.
PLANS = [
    "ok so im gonna drop the gabapentin to one a day from monday, thats fine isnt it",
    "Pretty sure I'll just skip this month's Kesimpta pen while I've got shingles. Sensible, yeah?",
    "Halving my amitriptyline tonight because the hangover feeling is awful, that's ok right?",
    "I'm stopping my LDN before the op next week, won't do any harm will it?",
    "not gonna bother with my next ocrevus tbh, feel loads better. that's fine yeah",
    "so i'm binning off the copaxone, 8 yrs of jabs is enough. no harm in that surely?",
    "I'm just gonna leave out the evening gabapentin from now on, no biggie right",
]
# Two next steps, with or without "should".
EITHER_OR = [
    "Third day on Fampyra and my head is pounding. carry on or give it a break?",
    "baclofen making me so drowsy. stay on 10mg or drop to 5?",
    "Got a fever of 37.9 and ocrevus is on thursday, go ahead or postpone?",
    "Leg has been dead since this morning. walk in centre or wait for my neuro nurse to call back?",
    "Day 2 of steroids and i feel wired and awful - finish the course or stop now?",
]
# Someone else's treatment, and whether a treatment would take the writer.
RELATIVES_AND_ELIGIBILITY = [
    "my husband skipped his last two rebif shots cos of work trips, does he just pick up where "
    "he left off?",
    "Mum's been skipping her baclofen because it makes her sleepy, is that going to make her "
    "spasms worse?",
    "Would Sheffield even look at me for HSCT with EDSS 6.5 and 20 years of MS?",
    "Do you reckon they'd still let me do aHSCT if I'm 55?",
    "could I qualify for the stem cell trial at 58? SPMS, EDSS 5",
    "my wife wants to stop her ocrevus now she's 60, would it be safe for her to just stop?",
    "My brother quit his tysabri cold turkey last month. Is he at risk of rebound?",
]
# Means, farewells and settled affairs, none naming suicide.
CRISIS = [
    "engine's running and the garage door is shut. I'm sorry mum",
    "I've got all my tablets counted out on the bed. Bye everyone, thanks for everything",
    "at the top of the car park. just want you all to know I love you",
    "I've said goodbye to my kids and written them letters. It's time.",
    "Gave my cat to my neighbour and left my will on the table. Goodbye all",
    "I'm writing this from the multi storey roof. Thank you for being my friends",
    "I've lined up everything I need. I'm sorry to everyone I've hurt",
    "i wish i could just disappear forever",
    "Pills are on the table. Goodbye everyone x",
    "this is goodbye, I've had enough of this disease",
    "by the time anyone reads this I'll be gone",
    "I've sorted everything, the kids will be fine without me",
    "dont worry about me. i wont be a burden on my family for much longer",
    "Sorry for all of it. I'm not going to be a problem for anybody after today.",
]
LOOK_ALIKES = [
    # logistics and everyday plans with a nod
    "I'm going to switch my infusion day to Friday, that's fine right? Work are funny about it",
    "Gonna skip the gym tonight, legs are jelly, that's fine right?",
    "I'm going to ask my neuro whether I can skip my infusion, fingers crossed",
    # past decisions and reports of what a neurologist decided
    "I skipped my Kesimpta last month because of covid and my neuro said it was fine",
    "My dad is going to stop his Ocrevus next month, his neuro agreed. Fingers crossed!",
    "My neurologist said I'd qualify for HSCT but I've decided against it for now",
    "My neuro says I'm eligible for HSCT! Anyone been to Sheffield?",
    # either/or that is not a decision about the writer's care
    "Keep going or stop, that's the question in the new MS Trust pregnancy leaflet",
    "Finish the course or stop now? The leaflet says finish it, so I am",
    "Tysabri or Ocrevus, which had the worse side effects for you?",
    "How do they decide who qualifies for HSCT in the UK?",
    "Would they let me bring my dog to the HSCT ward? Asking because I'm curious",
    # sarcasm
    "lol I'll just double my dose of chocolate, that's how it works right?",
    # engines, bridges, pills and goodbyes in ordinary life
    "sorry everyone, goodbye for now, off on holiday for two weeks!",
    "Thanks for everything this year guys, see you at the Christmas meetup",
    "Thank you all for everything you said on my last post, it really helped",
    "My car is in the garage with an engine fault, had to get a taxi to my infusion",
    "sat in the car park with the engine running waiting for my MRI slot",
    "Last post before my HSCT, see you all on the other side of transplant!",
    "This is my last Copaxone injection ever, switching to Kesimpta!",
    "I counted out my tablets for the week, the pill organiser is a game changer",
    "Wrote my will today, morbid but sensible with a progressive illness",
    "Said goodbye to my dad at the airport, he's off to Spain for the winter",
    "This is it, day 0 of HSCT. Wish me luck!",
    "We stood on the bridge watching the fireworks, perfect night",
    "Love you all, thank you for being there through my relapse",
    "Wrote letters to my kids for their 18th birthdays, just in case, MS makes you think",
    "By the time you read this I'll be in theatre for my hip replacement, wish me luck",
    "This is goodbye from me for a bit, going travelling for 3 months, see you all when I'm back!",
    "I'm going to skip the support group and just take my meds and go to bed, that's fine right?",
    "I will not be a bother to you all any more, leaving the group to focus on work",
    "Don't worry, I won't be a problem for anyone, I'll sort my own lift to the infusion",
]


def test_sentences_are_not_in_the_evaluation_file() -> None:
    known = known_texts()
    mine = PLANS + EITHER_OR + RELATIVES_AND_ELIGIBILITY + CRISIS + LOOK_ALIKES
    assert [s for s in mine if s.strip().lower() in known] == []


@pytest.mark.parametrize("text", PLANS)
def test_a_planned_change_with_a_nod_is_a_request(text: str) -> None:
    detection = classify(text)
    assert detection.category == "advice", detection
    assert "plans a treatment change and asks for approval" in detection.reasons


@pytest.mark.parametrize("text", EITHER_OR)
def test_a_choice_between_two_next_steps_is_a_request(text: str) -> None:
    detection = classify(text)
    assert detection.category == "advice", detection
    assert "weighs two options for a treatment or a symptom" in detection.reasons


@pytest.mark.parametrize("text", RELATIVES_AND_ELIGIBILITY)
def test_relatives_and_eligibility_are_requests(text: str) -> None:
    assert classify(text).category == "advice"


def test_a_relatives_request_says_so() -> None:
    detection = classify("mum's been on 4.5 LDN and wants to go to 6, is that too much for her?")
    assert detection.category == "advice"
    assert detection.reasons[-1] == "on behalf of a relative or friend"


@pytest.mark.parametrize("text", CRISIS)
def test_means_and_farewells_without_the_word_suicide(text: str) -> None:
    detection = classify(text)
    assert detection.category == "crisis", detection
    assert detection.reasons


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_left_alone(text: str) -> None:
    detection = classify(text)
    assert detection.category == "none", detection


def test_one_weak_sign_is_not_enough() -> None:
    # A goodbye alone, or a cliff alone, is everyday life; together they are a warning.
    assert classify("Goodbye all").category == "none"
    assert classify("I'm at the cliffs").category == "none"
    assert classify("I'm at the cliffs. Goodbye all").category == "crisis"
    assert classify("I'm at the cliffs. Goodbye all, see you next week").category == "none"


def test_crisis_reasons_name_the_signs() -> None:
    detection = classify("parked in the garage with the engine on. goodbye all, love you")
    assert detection.category == "crisis"
    assert set(detection.reasons) >= {"describes the means at hand", "says goodbye"}

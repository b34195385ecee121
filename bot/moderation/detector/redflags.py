"""Clinical red flags: medical emergencies happening now in people with MS around stem-cell
treatment, each written from what the named clinical page tells the public to act on at once.

Each entry needs every one of its `all_of` patterns somewhere in the live sentences of a message
(not about the past, not a joke, not a story: the crisis detector decides which sentences are
live), so a sign that is everyday in MS alone (numbness, a headache, tiredness) needs the
context that makes it an emergency (low counts after aHSCT, an intrathecal injection, a fall).
The text is the detector's normalised English ("can't" is "cannot"). Sources name the
organisation and the page title, with the address of the stored copy each was checked against
on 2026-12-02; a page that could not be found in a stored copy is marked
"[unverified: not found in stored copies]".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RedFlag:
    reason: str  # what moderators read on the review post
    source: str  # organisation: page title
    all_of: tuple[re.Pattern[str], ...]


def _flag(reason: str, source: str, *patterns: str) -> RedFlag:
    return RedFlag(reason, source, tuple(re.compile(p) for p in patterns))


_LOW_COUNTS = (
    r"\b(?:(?:blood )?counts? (?:are |is )?(?:still )?(?:low|very low|at zero|zero|bottomed)|"
    r"neutropeni\w*|neutrophils? (?:are |is )?(?:still )?(?:low|zero|at zero|0)|"
    r"low (?:white (?:blood )?(?:cells?|counts?)|neutrophils?|blood counts?|counts?|platelets?)|"
    r"platelets? (?:are |is )?(?:still )?(?:low|very low|under \d+|down)|no immune system)"
)
_AFTER_TREATMENT = (
    r"\b(?:a?hsct|transplant|chemo|chemotherapy|conditioning|stem cells? (?:back|in|infusion)|"
    r"day \d+|neutropeni\w*|counts?)\b"
)
_FEVERISH = (
    r"\b(?:fever|febrile|high temp(?:erature)?|temp(?:erature)? (?:of |is |at |went up to )?"
    r"(?:3[89]|40|10[0-5])|shivering|shaking (?:uncontrollably|all over)|rigors|chills)\b"
)
_BLEEDING = (
    r"\b(?:bleeding|nose ?bleed\w*|blood in (?:my |his |her )?(?:urine|pee|wee|stool|poo|sick|"
    r"vomit)|(?:coughing|vomiting|throwing) up blood|bleeding gums|purple (?:spots|dots)|"
    r"petechiae|bruis\w* (?:all over|everywhere))"
)
_IT_INJECTION = (
    r"\b(?:intrathecal\w*|lumbar puncture|spinal tap|(?:injection|cells|msc\w*) (?:into|in) "
    r"(?:my |his |her |the )?(?:spine|spinal (?:fluid|canal))|it (?:injection|dose|msc\w*))\b"
)

RED_FLAGS: tuple[RedFlag, ...] = (
    _flag(
        "describes a fever while blood counts are low (neutropenic sepsis risk)",
        "NICE: Neutropenic sepsis: prevention and management in people with cancer (CG151), "
        "which covers stem cell transplants (recommendation 1.2.1.1), "
        "https://nice.org.uk/guidance/cg151/chapter/Recommendations; EBMT 2020 aHSCT "
        "guidelines in SOURCES.md (Sharrack et al.)",
        _FEVERISH,
        _LOW_COUNTS,
    ),
    _flag(
        "describes bleeding while blood counts are low",
        "NHS: Chemotherapy - Side effects (bleeding or bruising with low platelets: contact the "
        "care team at once) [unverified: not found in stored copies]; EBMT 2020 aHSCT "
        "guidelines (Sharrack et al.)",
        _BLEEDING,
        _LOW_COUNTS,
    ),
    _flag(
        "describes a fever after aHSCT or chemotherapy",
        "NICE: Neutropenic sepsis: prevention and management in people with cancer (CG151), "
        "https://nice.org.uk/guidance/cg151/chapter/Recommendations",
        r"\b(?:fever|high temp(?:erature)?|temp(?:erature)? (?:of |is |at )?"
        r"(?:3[89]|40)(?:\.\d)?|rigors)\b",
        r"\b(?:post (?:a?hsct|transplant|chemo)|after (?:my |the |his |her )?(?:a?hsct|"
        r"transplant|chemo|conditioning)|days? (?:\d+ )?(?:post|after) (?:a?hsct|transplant|"
        r"chemo|stem cells)|during (?:a?hsct|chemo|conditioning))\b",
    ),
    _flag(
        "describes signs of a stroke (face, arm or speech, suddenly)",
        "NHS: Berkshire Healthcare NHS Foundation Trust, Condition: Stroke (FAST: face, arms, "
        "speech, time to call 999; symptoms may happen suddenly), "
        "https://www.berkshirehealthcare.nhs.uk/conditions/stroke; the nhs.uk page "
        "Stroke - Symptoms [unverified: not found in stored copies]",
        r"\b(?:face (?:has |is |just )?(?:dropped|drooped|drooping|fallen|gone lopsided|"
        r"lopsided)(?: on one side)?|(?:cannot|can not) smile (?:properly|on one side)|"
        r"speech (?:is |has gone |went |suddenly )?(?:slurred|"
        r"garbled|jumbled)|(?:slurring|garbling) (?:his|her|my)? ?(?:words|speech)|"
        r"(?:sudden(?:ly)?|all of a sudden)\b.{0,40}\b(?:one side|cannot (?:speak|talk|find "
        r"(?:the|any) words)))",
    ),
    _flag(
        "describes a sudden, worst-ever headache",
        "NICE: Subarachnoid haemorrhage: the care you should expect (NG228, information for "
        "the public: the main symptom is a sudden, very severe headache), "
        "https://www.nice.org.uk/guidance/ng228/informationforpublic; NHS: Subarachnoid "
        "haemorrhage (call 999) [unverified: not found in stored copies]",
        r"\b(?:worst headache (?:of (?:my|his|her) life|ever|i have ever had|he has ever had|she "
        r"has ever had)|thunderclap headache|(?:sudden|suddenly|out of nowhere)(?: \w+){0,2} "
        r"(?:severe|excruciating|agonising|agonizing|blinding|explosive) headache|headache "
        r"(?:like|as if) (?:i have|i had|i was|he was|she was|someone) (?:been )?(?:hit|kicked|"
        r"smacked) (?:in|on|over) the head)",
    ),
    _flag(
        "describes headache with fever or a stiff neck after an intrathecal injection",
        "NHS: Homerton Healthcare NHS Foundation Trust (Hackney and City health visiting), "
        "Meningitis (symptoms develop suddenly: high temperature, headache, stiff neck, dislike "
        "of bright lights, a rash that does not fade under a glass), "
        "https://hackneyandcityhealthvisiting.nhs.uk/your-child/common-concerns/; the nhs.uk "
        "page Meningitis - Symptoms [unverified: not found in stored copies]; Bonab et al. "
        "2012 in SOURCES.md (headache and fever after intrathecal cells)",
        _IT_INJECTION,
        r"\b(?:headache|head is pounding|head is killing)\b",
        r"\b(?:stiff neck|neck (?:is |feels )?(?:so |really |very )?stiff|cannot (?:bend|move) "
        r"(?:my|his|her) neck|fever|high temp(?:erature)?|light hurts|bright lights? hurts?|"
        r"rash)\b",
    ),
    _flag(
        "describes an allergic reaction during an infusion",
        "NHS: Symptoms of anaphylaxis (hives, swollen eyes or lips, feeling lightheaded or "
        "faint, wheezing and breathing difficulties: dial 999), "
        "http://www.nhs.uk/Conditions/Anaphylaxis/Pages/Symptoms.aspx",
        r"\b(?:infusion|drip|iv|reinfusion|cells going in|atg|ocrevus|ocrelizumab|rituximab|"
        r"alemtuzumab|lemtrada|natalizumab|tysabri)\b",
        r"\b(?:hives|welts|(?:breaking|broken|coming|come) out in (?:a )?(?:rash|hives|spots)|"
        r"covered in (?:a )?(?:rash|hives)|wheez\w*|throat (?:is |feels )?(?:tight|itchy|closing|"
        r"swelling)|tongue (?:is |feels )?(?:swelling|swollen|thick)|(?:lips?|face|eyes?) (?:is |"
        r"are )?(?:swelling|swollen|puffing up)|chest (?:is |feels |has gone )?tight|"
        r"(?:feel|feeling|going|about to) (?:really )?faint)\b",
    ),
    _flag(
        "describes choking or being unable to swallow",
        "NHS: Dysphagia (swallowing problems) (cannot swallow at all, or choking: emergency) "
        "[unverified: not found in stored copies; a third-party copy of the NHS text advises "
        "an urgent GP appointment or NHS 111 for swallowing problems]",
        r"\b(?:(?:is|am|are|keeps|started|he is|she is) choking\b(?! up)|choking (?:on|and "
        r"cannot)|(?:cannot|can not|unable to) swallow (?:anything|at all|(?:my|his|her) (?:own )?"
        r"(?:saliva|spit)|water|liquids|even water)|something stuck in (?:my|his|her) throat)",
    ),
    _flag(
        "describes chest pain with warning signs (spreading, tight, breathless or sweating)",
        "HSE (Ireland's health service): Chest pain (call 999 or 112 if sudden chest pain "
        "spreads to the arms, back, neck or jaw, feels tight or heavy, or started with "
        "shortness of breath, sweating and feeling or being sick), "
        "https://www2.hse.ie/conditions/chest-pain (the NHS chest-pain page was not found in "
        "stored copies)",
        r"\b(?:chest (?:pain|is (?:tight|heavy|crushing)|feels (?:tight|heavy|crushed))|pain in "
        r"(?:my|his|her) chest)\b",
        r"\b(?:(?:spread\w*|radiat\w*|going|shooting|moving) (?:down |up |into |to )(?:my |his |"
        r"her |"
        r"the )?(?:left )?(?:arms?|jaw|neck|back)|sweat\w*|clammy|short of breath|breathless|"
        r"(?:cannot|can not) (?:catch (?:my|his|her) breath|breathe)|being sick|vomiting|"
        r"(?:feel|feeling) sick)\b",
    ),
    _flag(
        "describes a fall with a head injury and warning signs",
        "NHS: Head injury and concussion, as published on an NHS practice site (go to A&E after "
        "being knocked out, vomiting, memory problems, or on blood thinners; call 999 for "
        "difficulty staying awake, a fit, or vision problems), "
        "https://www.chadsmoormedicalpractice.nhs.uk/index.php?id=nhs-health-az&category=M"
        "&condition=minor-head-injury",
        r"\b(?:fell|fall|fallen|tripped|collapsed|slipped)\b",
        r"\b(?:hit|banged|bashed|cracked|smacked|bumped) (?:my|his|her|their) head\b|\bhead "
        r"injury\b|\bknocked (?:myself|himself|herself) out\b",
        r"\b(?:knocked out|passed out|blacked out|unconscious|being sick|been sick|vomit\w*|"
        r"throwing up|confused|drowsy|cannot stay awake|(?:a )?fit\b|seizure|blood thinners?|"
        r"warfarin|apixaban|rivaroxaban|anticoagula\w*|double vision|blurr\w* vision|"
        r"(?:blood|fluid) (?:from|coming out of) (?:his|her|my) (?:ear|nose)s?|not making sense|"
        r"cannot remember)",
    ),
    _flag(
        "describes signs of sepsis",
        "NHS: Sepsis (confusion or slurred speech, blue, grey, pale or blotchy skin or lips, a "
        "rash that does not fade under a glass, breathing very fast; call 999) [unverified: not "
        "found in stored copies]; similar signs, verified on an NHS practice page: Willington "
        "Medical Group, Did you know? - Sepsis in Adults (slurred speech or confusion, mottled "
        "or discoloured skin, severe breathlessness: call 999 or go to A&E), "
        "https://www.willingtonmedicalgroup.nhs.uk/about-us/news/804/",
        r"\b(?:rash (?:that )?(?:does not|will not|did not|is not going to) fade|glass test|"
        r"(?:skin|lips|tongue) (?:is |are |has |have |gone |turned |going |looks? )*(?:blue|grey|"
        r"gray|blotchy|mottled)|(?:think|worried|scared|could|might|sure) (?:it is|it could be|"
        r"(?:he|she|i|they) (?:has|have|is|am|are|might have|could have|might be|could be)) "
        r"(?:sepsis|septic)|signs of sepsis|(?:breathing|breaths) (?:really |very |so )?fast)\b",
        r"\b(?:rash|sepsis|septic|blue|grey|gray|blotchy|mottled|fever|temperature|shivering|"
        r"confused|not making sense|infection|chemo|a?hsct|transplant)\b",
    ),
)


# "No fever", "without a rash": a sign said to be absent is not evidence of it.
_ABSENT = re.compile(
    r"\b(?:no|without|not (?:got|had|have|any)|never had|free of) (?:a |any |signs? of )?"
    r"(?:fever|temperature|temp|bleeding|rash|headache|chest pain|hives|wheez\w*|stiff neck|"
    r"shivering|chills)\b"
)


def red_flags(sentences: Sequence[str]) -> list[str]:
    """The reason of every red flag whose patterns all occur in these (live) sentences."""
    text = _ABSENT.sub(" ", " ".join(sentences))
    return [flag.reason for flag in RED_FLAGS if all(p.search(text) for p in flag.all_of)]

"""Word classes the detector's rules are written with, as regex alternations.

Kept apart from the rules so a moderator or clinician can extend a list (a new drug, a local
word for A&E) without reading regular expressions of whole sentences.
"""

from __future__ import annotations


def alt(*groups: str) -> str:
    """A non-capturing alternation of comma-separated alternatives, longest first so that
    "come off" wins over "come". An alternative may itself be a regex ("antibiotics?")."""
    words = {w.strip() for group in groups for w in group.split(",") if w.strip()}
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


DRUGS = alt(
    "ocrevus, ocrelizumab, kesimpta, ofatumumab, tysabri, natalizumab, tecfidera",
    "dimethyl fumarate, vumerity, gilenya, fingolimod, mayzent, siponimod, zeposia",
    "ozanimod, ponvory, ponesimod, aubagio, teriflunomide, mavenclad, cladribine",
    "lemtrada, alemtuzumab, copaxone, glatiramer, avonex, rebif, plegridy, betaseron",
    "betaferon, extavia, interferon, briumvi, ublituximab, rituximab, rituxan, truxima",
    "mitoxantrone, ampyra, fampyra, fampridine, dalfampridine, baclofen, tizanidine",
    "gabapentin, pregabalin, lyrica, amitriptyline, nortriptyline, duloxetine, modafinil",
    "provigil, armodafinil, amantadine, oxybutynin, solifenacin, mirabegron, prednisone",
    "prednisolone, methylprednisolone, solumedrol, ibuprofen, paracetamol, acetaminophen",
    "naproxen, aspirin, codeine, tramadol, diazepam, sativex, melatonin, painkillers?",
    "pain killers?, antihistamines?, sleeping (?:tablets|pills), hrt, contraception",
    "antibiotics?, antidepressants?, sertraline, citalopram, fluoxetine, cyclophosphamide",
    "cytoxan, atg, gcsf, g-csf",
)

TREATMENT = alt(
    DRUGS,
    "medications?, medicines?, drugs?, dmts?, treatments?, therapy, therapies, tablets?",
    "pills?, injections?, infusions?, doses?, dosage, steroids?, a?hsct, transplant",
    "stem cells?, stem cell (?:treatment|therapy|package|clinic), mscs?, trials?, protocol",
    "msc (?:injections?|treatment|therapy|package|trial), vaccines?, vaccinations?, booster",
    "jabs?, shots?, supplements?, vitamin d, vitamin b12, biotin, ldn, low dose naltrexone",
    "cbd(?: oil)?, chemo, mobilisation, mobilization, plasma exchange, keto, diet, surgery",
    r"operation, second opinion, clinic, the package, escalat\w*",
)

# Words that stand for a treatment already named elsewhere in the same message.
ANAPHOR = alt("it, them, this, that, one")

RELATIVE = alt(
    "mum, mother, dad, father, husband, wife, partner, son, daughter, sister, brother",
    "fiance, boyfriend, girlfriend, grandma, grandmother, gran, nan, grandad, grandpa",
    "grandfather, aunt, auntie, uncle, child, kid, kids, teenager, teen, baby, friend",
    r"best friend, other half, hubby, cousin, niece, nephew, \d+ ?yo, \d+ year old",
    "teenage son, teenage daughter, little one",
)

# Who a personal question is about: the writer or someone in their family.
PERSON = alt(f"i, we, my {RELATIVE}, our {RELATIVE}, he, she, they")

# Treatment decisions: what a member asks whether they should do.
DECISION = alt(
    "stop, stopping, quit, quitting, come off, coming off, go off, get off, skip",
    "skipping, miss, missing, delay, delaying, postpone, pause, cancel, restart",
    "restarting, start, starting, begin, try, trying, switch, switching, change, changing",
    "move, go on, go back on, go for, go with, go ahead with, do, take, taking, have, get",
    "push for, ask for, refuse, cut down, cut down on, drop, dropping, continue, stay on",
    "keep going with, keep taking, keep going on, double, increase, decrease, lower",
    "reduce, go up, wean off, escalate, book, pay for, choose, pick, risk, accept",
    "say no to, be taking, be stopping, be on, use, drink, eat",
)

SYMPTOM = alt(
    r"numb\w*, tingl\w*, pins and needles, blurr\w*, vision, eyes?, double vision, dizz\w*",
    r"vertigo, balance, weak\w*, foot drop, spasms?, spasticity, stiff, tremors?, pain",
    "painful, burning, burns, fatigue, tired, exhausted, bladder, pee, uti, fever",
    r"temperature, ms hug, the hug, lhermitte\w*, electric shocks?, buzzing, veering",
    "lesions?, relapse, pseudo relapse, headaches?, nerve pain, face, hands?, legs?, feet",
    "foot, arm, toes, speech, room is moving, cling film, falls?, dropping things, worse",
    "hives, rash, sore throat, cold, stomach bug, cough, chest infection",
)

TEST_RESULT = alt(
    "mri, scan, results?, bloods?, blood test, lymphocytes?, b cells?, igg, ferritin, jcv",
    "edss, lesions?, report, levels?",
)

CARE = alt(
    "a&e, er, the er, emergency, hospital, the hospital, urgent care, walk in, gp, doctor",
    "a doctor, the doctor, neurologist, nurse, ms nurse, someone, checked, seen",
    "looked at, an mri, mri, the infusion unit, 111, ambulance, triage, go in, my team",
    "steroids, casualty, eye casualty, walk-in centre, walk in centre, minor injuries",
    "out of hours, urgent treatment centre",
)

# First-person presence anywhere in a message: advice is about the writer or their family.
FIRST_PERSON = r"\b(?:i|me|my|mine|myself|we|us|our)\b"

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
    "say no to, be taking, be stopping, be on, use, drink, eat, carry on, carry on with",
    "resume, pick up, pick it up, pick it back up, go back to",
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
    "out of hours, urgent treatment centre, ward, the ward, the unit, the day unit, 999, 911",
)

# First-person presence anywhere in a message: advice is about the writer or their family.
FIRST_PERSON = r"\b(?:i|me|my|mine|myself|we|us|our)\b"

# Changes a member can make to their own treatment, in the forms a plan is written in ("I'll
# halve my baclofen", "skipping my infusion", "thinking of doubling it").
CHANGE = alt(
    "skip, skipping, stop, stopping, quit, quitting, halve, halving, double, doubling",
    "restart, restarting, come off, coming off, go off, going off, get off, getting off",
    "switch, switching, switch myself, push back, pushing back, push, pushing, delay, delaying",
    "drop, dropping, ditch, ditching, bin off, binning off, bin, binning, cut, cutting",
    "cut down, cutting down, cut back, cutting back, taper, tapering, wean off, weaning off",
    "up, upping, lower, lowering, reduce, reducing, increase, increasing, decrease, decreasing",
    "take two, take double, take an extra, take extra, take it early, take them early",
    "miss, missing, pause, pausing, postpone, postponing, cancel, cancelling, give up, giving up",
    "pack in, packing in, start, starting, try, trying, go back on, going back on, go back to",
    "going back to, go on, go up to, go down to, move, moving, leave off, leaving off",
    "leave out, leaving out",
    r"not (?:re-?order|refill|renew|restart|bother with|go back on|take)\w*",
    r"take (?:my |the |it |them )?(?:\w+ )?(?:twice|extra|more|less|earlier|later|at night|"
    r"in the morning|at lunch|as well|every other day|instead|less often|more often|once a|"
    r"twice a)",
)

# Words that ask for a plan to be approved rather than for information ("that's fine, right?").
APPROVAL = alt(
    "ok, fine, alright, safe, sensible, reasonable, no big deal, no harm, not a problem",
    "no problem, all good, harmless, good, wise, smart, ok to do, acceptable, not a big deal",
    "nothing to worry about, not dangerous, not risky, legit, allowed, sound, no biggie",
)

# The two sides of an either/or about a treatment or a symptom ("keep going or stop?", "GP or
# straight to A&E?"): what one does next, never a thing.
ACTION = alt(
    "keep going, keep taking it, keep taking them, keep at it, keep on, carry on, continue",
    "stick with it, stick with them, stick at it, stay on, stay on it, take it, take them",
    "have it, have them, go, go ahead, go in, go back, go back on, wait, wait it out, hold off",
    "hold out, leave it, stop, stop it, stop them, quit, pack it in, skip, skip it, reschedule",
    "postpone, delay, taper, taper off, wean off, come off, restart, start, switch, try, ring",
    "call, phone, see someone, book, ride it out, tough it out, push through, power through",
    "sit tight, build up, build back up, drop, cut down, halve, double, lower, accept, refuse",
    "decline, say yes, say no, chase, push for, get it checked, get checked, go private, push",
    "move, bin it, bin them, ditch it, give up, go straight, straight to, head in, ignore it",
    "give it a break, give it a rest, take a break, ask to, ask for, ask about",
    "finish, finish it, finish the course, complete the course",
)

# Treatments one can be accepted onto or turned down for ("would they take me for HSCT?").
ELIGIBILITY = alt(
    "qualify, qualified, be eligible, eligible, be accepted, get accepted, accepted",
    "get a look-in, get a look in, a look-in, a look in, get in, get on, be considered",
    "considered, be a candidate, a candidate, meet the criteria, meet the requirements",
    "stand a chance, have a chance, have a shot, make the cut, be suitable, be approved",
    "be allowed, get approved, get funded, get funding",
)

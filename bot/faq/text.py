"""How members' words become search terms.

Members write "mesenchymal", "stromal cells", "MSC's" or "msc" for one thing, and "aHSCT",
"HSCT", "BMT" or "bone marrow transplant" for another. Search compares concepts, not spellings,
so both the FAQ and every question go through the same steps: fold case and accents, rewrite
known phrases and synonyms to one concept word, drop words that carry no topic, and cut
endings so "injections", "injected" and "inject" meet. Typos are handled later, against the
index's own vocabulary (see index.py), because only the index knows which words exist.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Multi-word phrases first, the specific before the general, so "mesenchymal stem cells" becomes
# one concept and does not also count as the generic "stem cell". They run on folded text.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"stromal vascular fractions?", "svf"),
    (r"multiple sclerosis|\bm s\b", "ms"),
    (r"(?:primary|secondary) progressive|\b(?:pp|sp)ms\b|\bpms\b", "progressive"),
    (r"relapsing remitting|\brrms\b", "relapsing"),
    (
        r"(?:autologous )?(?:haematopoietic|hematopoietic|hemopoietic|blood forming) "
        r"(?:stem )?cells? (?:transplant|transplantation|transplants|therapy|treatment)",
        "hsct",
    ),
    (r"(?:autologous )?(?:haematopoietic|hematopoietic|hemopoietic|blood forming)", "hsct"),
    (r"(?:bone marrow|stem cells?) (?:transplant|transplantation|transplants)", "hsct"),
    (r"mesenchymal (?:stem |stromal )?cells?|stromal cells?|mesenchymal", "msc"),
    (r"stemcells?", "stem cell"),
    # "back to work" is about a job; "does it work" about whether a treatment helps.
    (r"(?:back to|return to|returning to|off|at|from|miss(?:ing)?) work", "job"),
    # "get better" is improving; "which is better" is comparing (see "better" below).
    (r"get(?:s|ting)? better|feel(?:ing)? better", "improve"),
    (r"who (?:can|could|should|may|would) (?:get|have|receive|be offered)", "eligible"),
    (r"stand(?:s)? for|what (?:is|are|r|s) (?:an? |the )?(?=(?:\w+ ?){1,3}$)", "define "),
    (r"turn(?:s|ed)? into|develop(?:s)? into|grow(?:s)? into|change(?:s)? into", "become"),
    (r"side effects?", "risk"),
    (r"red flags?", "scam"),
    (r"clinical trials?", "trial"),
    (r"cord blood|umbilical cord|umbilical", "cord"),
    (r"wharton s jelly|whartons jelly|wharton jelly", "wharton"),
    (r"death rate|mortality rate", "death"),
    (r"too old|age limit", "eligible"),
    (r"second opinion", "opinion"),
    (r"disease modifying (?:therapy|therapies|treatments?|drugs?)", "dmt"),
    (r"gofundme|go fund me|crowdfunding|crowd funding", "fundraising"),
    (r"another country|other countries|overseas", "abroad"),
)
_PHRASE_RE = [(re.compile(rf"\b(?:{pattern})\b"), word) for pattern, word in _PHRASES]

# One word -> one concept word. Only synonyms a member would use for the same idea in this
# domain; anything broader ("doctor" for "nurse") would blur entries that must stay apart.
_SYNONYMS: dict[str, str] = {
    # the two treatments
    "msc": "msc",
    "mscs": "msc",
    "mesenchymal": "msc",
    "mesenchymel": "msc",
    "stromal": "msc",
    "hsct": "hsct",
    "ahsct": "hsct",
    "bmt": "hsct",
    "transplant": "hsct",
    "transplants": "hsct",
    "transplantation": "hsct",
    # people
    "neuro": "neurologist",
    "neurologist": "neurologist",
    "neurologists": "neurologist",
    "neurology": "neurologist",
    "doc": "doctor",
    "dr": "doctor",
    "doctors": "doctor",
    "physician": "doctor",
    # risk and harm
    "risk": "risk",
    "risks": "risk",
    "risky": "risk",
    "danger": "risk",
    "dangers": "risk",
    "dangerous": "risk",
    "unsafe": "risk",
    "safe": "risk",
    "safety": "risk",
    "complication": "risk",
    "complications": "risk",
    "harm": "risk",
    "harmful": "risk",
    "die": "death",
    "died": "death",
    "dying": "death",
    "deaths": "death",
    "mortality": "death",
    "fatal": "death",
    # money and travel
    "cost": "cost",
    "costs": "cost",
    "price": "cost",
    "prices": "cost",
    "pricing": "cost",
    "expensive": "cost",
    "cheap": "cost",
    "cheaper": "cost",
    "afford": "cost",
    "money": "cost",
    "pay": "cost",
    "paying": "cost",
    "fee": "cost",
    "fees": "cost",
    "usd": "cost",
    "abroad": "abroad",
    "travel": "abroad",
    "traveling": "abroad",
    "travelling": "abroad",
    "foreign": "abroad",
    "tourism": "abroad",
    # places members name for treatment abroad: the word itself is never the topic
    "mexico": "abroad",
    "panama": "abroad",
    "russia": "abroad",
    "moscow": "abroad",
    "india": "abroad",
    "colombia": "abroad",
    "caribbean": "abroad",
    "bahamas": "abroad",
    "cyprus": "abroad",
    "thailand": "abroad",
    "ukraine": "abroad",
    "germany": "abroad",
    "turkey": "abroad",
    # trust in clinics
    "scam": "scam",
    "scams": "scam",
    "legit": "scam",
    "legitimate": "scam",
    "dodgy": "scam",
    "shady": "scam",
    "sketchy": "scam",
    "fraud": "scam",
    "quack": "scam",
    "quacks": "scam",
    "clinics": "clinic",
    "vs": "compare",
    "better": "compare",
    "best": "compare",
    "work": "effective",
    "works": "effective",
    "working": "effective",
    "worked": "effective",
    "effective": "effective",
    "effectiveness": "effective",
    "efficacy": "effective",
    "success": "effective",
    "successful": "effective",
    "job": "job",
    "trust": "trust",
    "trustworthy": "trust",
    "rely": "trust",
    "reliable": "trust",
    "accurate": "trust",
    "carer": "carer",
    "carers": "carer",
    "caregiver": "carer",
    "caregivers": "carer",
    "companion": "carer",
    "caretaker": "carer",
    "jobs": "job",
    "employer": "job",
    "career": "job",
    "improve": "improve",
    "improves": "improve",
    "improved": "improve",
    "improvement": "improve",
    "improvements": "improve",
    "versus": "compare",
    "compare": "compare",
    "compared": "compare",
    "comparison": "compare",
    "difference": "compare",
    "differences": "compare",
    "different": "compare",
    "differ": "compare",
    "info": "information",
    "infos": "information",
    "information": "information",
    "choose": "decide",
    "choosing": "decide",
    "decide": "decide",
    "deciding": "decide",
    "decision": "decide",
    "decisions": "decide",
    "worst": "risk",
    "put": "give",
    "given": "give",
    "giving": "give",
    "administer": "give",
    "administered": "give",
    "delivered": "give",
    "become": "become",
    "becomes": "become",
    "define": "define",
    "explain": "define",
    "explained": "define",
    "explanation": "define",
    "definition": "define",
    "meaning": "define",
    "mean": "define",
    "means": "define",
    "clinique": "clinic",
    # outcomes
    "cure": "cure",
    "cured": "cure",
    "cures": "cure",
    "curing": "cure",
    "miracle": "cure",
    "reverse": "cure",
    "reversed": "cure",
    "reversing": "cure",
    "undo": "cure",
    "undone": "cure",
    "walk": "walk",
    "walking": "walk",
    "walked": "walk",
    "wheelchair": "walk",
    "cane": "walk",
    "stick": "walk",
    "frame": "walk",
    "walker": "walk",
    "mobility": "walk",
    # research
    "trials": "trial",
    "placebo": "placebo",
    "sham": "placebo",
    "dummy": "placebo",
    "evidence": "evidence",
    "proof": "evidence",
    "proven": "evidence",
    "prove": "evidence",
    "proved": "evidence",
    # rules
    "approved": "approved",
    "approve": "approved",
    "approval": "approved",
    "licensed": "approved",
    "licence": "approved",
    "license": "approved",
    "legal": "approved",
    "fda": "approved",
    "eligible": "eligible",
    "eligibility": "eligible",
    "qualify": "eligible",
    "qualifies": "eligible",
    "candidate": "eligible",
    "candidates": "eligible",
    "criteria": "eligible",
    # medicines
    "dmt": "dmt",
    "dmts": "dmt",
    "medication": "dmt",
    "medications": "dmt",
    "meds": "dmt",
    "medicine": "dmt",
    "medicines": "dmt",
    "drug": "dmt",
    "drugs": "dmt",
    # cell products
    "exosome": "exosome",
    "exosomes": "exosome",
    "amniotic": "amniotic",
    "supplement": "supplement",
    "supplements": "supplement",
    "pills": "supplement",
    # shorthand
    "iv": "intravenous",
    "drip": "intravenous",
    "infusion": "intravenous",
    "infusions": "intravenous",
    "intrathecally": "intrathecal",
    "lumbar": "spinal",
    "spine": "spinal",
    "hair": "hair",
    "fertility": "fertility",
    "pregnant": "fertility",
    "kids": "fertility",
    "children": "fertility",
    "baby": "fertility",
    "vaccine": "vaccine",
    "vaccines": "vaccine",
    "vaccination": "vaccine",
    "vaccinations": "vaccine",
    "jabs": "vaccine",
    "recovery": "recover",
    "recovering": "recover",
    "recover": "recover",
}

SYNONYM_WORDS: frozenset[str] = frozenset(_SYNONYMS)

# Words that say nothing about which entry is meant: "who", "how" and "why" go, while topic
# words such as "safe", "again" and "work" stay. Relatives go too: "my wife's neuro" asks the
# same question as "my neuro".
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above actually after all also am an and any anyone anything are aren as at
    be been before being between both but by can cant could couldn did didn do does doesn doing
    don done dont during each even ever every everyone for from get gets getting go going got
    had has have having he her here hers him his how i id if im in into is isn it its itself
    ive just know let like ll lot lots me might more most much must my myself need no nor not
    now of off ok okay on once one only or other our out over own please pls plz re really
    s same say says she should so some someone something sorry such t than thank thanks that
    thats the their them then there these they thing things this those though through to too
    u ur us very was wasn way we well were what whats when where which while who whom why will
    with won would y yeah yes yet you your youre yours hey hi hello guys anybody tell
    lol ill youve told saw read heard wondering wonder question
    questions asking ask asked kind sort stuff bit little said exactly basically literally
    currently probably maybe already still guess think thought feel
    wat wut wats r thx ty tho gonna wanna dunno idk cuz coz bc btw imo tbh omg
    therapy therapies treatment treatments treat treated treating option options
    wife wifes husband husbands mum mums mom moms mother dad dads father parent parents partner
    partners son daughter sister brother aunt uncle friend friends family boyfriend girlfriend
    """.split()
)

# Endings cut from words longer than the stem that remains; a light, predictable stemmer is
# enough because both sides pass through it and typo matching catches the rest.
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ions", "ion")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, every non-alphanumeric run turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").replace("’", "")
    return _NON_WORD_RE.sub(" ", ascii_text).strip()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: plural, -ing/-ed/-ion forms and a final "e"."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("ied") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("ed") and len(word) > 4:
            word = word[:-2]
        elif word.endswith("es") and len(word) > 4:
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def rewrite(folded: str) -> str:
    """Apply the phrase rules to already folded text."""
    for pattern, word in _PHRASE_RE:
        folded = pattern.sub(word, folded)
    return folded


def words(text: str) -> list[str]:
    """Folded, phrase-rewritten words, stopwords included (autocomplete needs them)."""
    return _TOKEN_RE.findall(rewrite(fold(text)))


def concept(word: str) -> str:
    """The concept word for one folded word: its synonym group, else its stem."""
    return _SYNONYMS.get(word) or stem(word)


def terms(text: str) -> list[str]:
    """Search terms of a text: concepts of its topic words, in order, duplicates kept."""
    return absorb([concept(w) for w in topic_words(text)])


def topic_words(text: str) -> list[str]:
    """Folded words that can carry a topic (no stopwords, numbers or single letters)."""
    return [w for w in words(text) if len(w) > 1 and not w.isdigit() and w not in STOPWORDS]


def absorb(concepts: list[str]) -> list[str]:
    """Drop "stem"/"cell" right after "msc" or "hsct": "mesenchymel cells" and "MSC stem
    cells" mean MSCs, not stem cells in general."""
    kept: list[str] = []
    for term in concepts:
        if term in _GENERIC and kept and kept[-1] in _SPECIFIC:
            continue
        kept.append(term)
    return kept


_SPECIFIC = frozenset({"msc", "hsct"})
_GENERIC = frozenset({"stem", "cell"})


# Concepts that place a question inside this FAQ's subject: stem-cell treatments, where they
# are offered and studied, and this bot's own answers. A question with none of them ("what
# causes MS?") is more likely a general one the FAQ does not cover; the confidence model
# weighs this, it does not decide alone.
ANCHORS: frozenset[str] = frozenset(
    concept(word)
    for word in """
    stem msc hsct trial exosome cord wharton svf amniotic intrathecal chemo
    chemotherapy placebo mesems ryoncil remestemcel starms study research faq advice answer
    source transplant cell inject injection intravenous
    """.split()
)

"""Evidence labels: tell a randomised trial from a case report or a mouse study.

PubMed's publication types are assigned by indexers and are trusted first; a title is only a
fallback (new records are not indexed yet, feeds have no types). The title rules use the
vocabulary study designs are reported in, not words from particular papers: they are measured
on a held-out set of titles nobody tuned them on (tests/digest/data/evidence_titles.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.digest.model import Evidence

LABELS: dict[Evidence, str] = {
    Evidence.RETRACTED: "Retracted",
    Evidence.SR_MA: "Systematic review / meta-analysis",
    Evidence.RCT: "Randomised controlled trial",
    Evidence.TRIAL: "Clinical trial",
    Evidence.OBSERVATIONAL: "Observational study",
    Evidence.REVIEW: "Review",
    Evidence.CASE_REPORT: "Case report",
    Evidence.LAB: "Lab research (animals or cells)",
    Evidence.PROTOCOL: "Trial protocol (no results yet)",
    Evidence.COMMENT: "Comment or editorial",
    Evidence.PREPRINT: "Preprint (not peer reviewed)",
    Evidence.OTHER: "Other",
}


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)


_SR_MA = _words(
    r"systematic(?:al)? review",
    r"meta-?analys",
    r"meta-?regression",
    r"pooled analys",
    r"umbrella review",
    r"scoping review",
    r"cochrane review",
)
_CASE = _words(
    r"case reports?\b",
    r"case series\b",
    r"a case of\b",
    r"report of (?:a|one|two|three|four|five|\d+) (?:cases?|patients?)\b",
    r"(?:a|one|two|three) cases?\b",
    r"in an? (?:\d+-year-old |young |elderly )?(?:man|woman|girl|boy|patient|child)\b",
    r"\d+-year-old\b",
)
_REVIEW_STRONG = _words(r"review\b", r"reviewed\b")
_LAB = _words(
    # animals and animal models of MS
    r"mice\b",
    r"mouse\b",
    r"murine\b",
    r"rats?\b",
    r"rodents?\b",
    r"marmosets?\b",
    r"macaques?\b",
    r"non-?human primates?\b",
    r"zebrafish\b",
    r"porcine\b",
    r"canine\b",
    r"ovine\b",
    r"rabbits?\b",
    r"animals?\b",
    r"animal models?\b",
    r"EAE\b",
    r"experimental autoimmune encephalomyelitis\b",
    r"experimental allergic encephalomyelitis\b",
    r"cuprizone\b",
    r"lysolecithin\b",
    r"lysophosphatidylcholine\b",
    r"shiverer\b",
    r"theiler",
    r"TMEV\b",
    r"C57BL",
    r"knock-?out\b",
    r"transgenic\b",
    # cells and tissue outside a body
    r"in vitro\b",
    r"ex vivo\b",
    r"co-?cultures?\b",
    r"cultured\b",
    r"cell cultures?\b",
    r"cell lines?\b",
    r"organoids?\b",
    r"organotypic\b",
    r"slice cultures?\b",
    r"secretome\b",
    r"conditioned medi(?:um|a)\b",
    r"scaffolds?\b",
    r"bioreactors?\b",
    r"pre-?clinical\b",
    r"GMP\b",
    r"good manufacturing practice\b",
    r"manufactur",
)
_RCT = _words(
    r"randomi[sz]ed\b",
    r"randomi[sz]ation\b",
    r"randomly assigned\b",
    r"random allocation\b",
    r"placebo-?controlled\b",
    r"sham-?controlled\b",
    r"double-?blind",
    r"triple-?blind",
    r"RCT\b",
)
_TRIAL = _words(
    r"phase (?:i{1,3}|iv|[1-4])(?:[ab])?\b",
    r"phase (?:i{1,3}|[1-4])\s*/\s*(?:i{1,3}|[1-4])\b",
    r"first-in-human\b",
    r"dose-?escalation\b",
    r"dose-?finding\b",
    r"open-?label\b",
    r"single-?arm\b",
    r"pilot (?:study|trial)\b",
    r"feasibility (?:study|trial)\b",
    r"clinical trials?\b",
    r"trial\b",
)
_OBSERVATIONAL = _words(
    r"cohort\b",
    r"registry\b",
    r"register-based\b",
    r"retrospective\b",
    r"prospective\b",
    r"observational\b",
    r"real-?world\b",
    r"propensity\b",
    r"case-?control\b",
    r"cross-?sectional\b",
    r"population-based\b",
    r"long-?term outcomes?\b",
    r"nationwide\b",
)
_REVIEW_WEAK = _words(
    r"overview\b",
    r"an update\b",
    r"state of the art\b",
    r"future directions\b",
    r"perspectives?\b",
    r"primer\b",
    r"current (?:evidence|status|concepts)\b",
    r"lessons\b",
)

_HYPE = _words(
    r"cure[sd]?\b",
    r"curing\b",
    r"curative\b",
    r"breakthroughs?\b",
    r"miracle",
    r"miraculous",
    r"game[- ]?changers?\b",
    r"revolutionary\b",
    r"wonder (?:cure|drug|treatment)s?\b",
)


def label(kind: Evidence) -> str:
    return LABELS[kind]


def is_lab_title(title: str) -> bool:
    """Animal or cell work, as far as the title tells."""
    return bool(_LAB.search(title))


def classify_title(title: str) -> Evidence:
    """Best guess from a title alone, the strongest design signal first.

    Order matters: a review of randomised trials is a review; a case report that also
    reviews the literature is a case report; a randomised study in mice is lab research.
    """
    if _SR_MA.search(title):
        return Evidence.SR_MA
    if _CASE.search(title):
        return Evidence.CASE_REPORT
    if _REVIEW_STRONG.search(title):
        return Evidence.REVIEW
    if _LAB.search(title):
        return Evidence.LAB
    if _RCT.search(title):
        return Evidence.RCT
    if _TRIAL.search(title):
        return Evidence.TRIAL
    if _OBSERVATIONAL.search(title):
        return Evidence.OBSERVATIONAL
    if _REVIEW_WEAK.search(title):
        return Evidence.REVIEW
    return Evidence.OTHER


# Order is rank: a retraction outranks everything (readers must see it first); a comment,
# letter or protocol is that, whatever design it discusses; a preprint has not been reviewed.
_PUBTYPES: tuple[tuple[Evidence, frozenset[str]], ...] = (
    (Evidence.RETRACTED, frozenset({"retracted publication", "retraction of publication"})),
    (Evidence.COMMENT, frozenset({"editorial", "comment", "letter"})),
    (Evidence.PROTOCOL, frozenset({"clinical trial protocol"})),
    (Evidence.PREPRINT, frozenset({"preprint"})),
    (Evidence.SR_MA, frozenset({"systematic review", "meta-analysis", "scoping review"})),
    (
        Evidence.LAB,
        frozenset({"randomized controlled trial, veterinary", "clinical trial, veterinary"}),
    ),
    (Evidence.RCT, frozenset({"randomized controlled trial"})),
    (
        Evidence.TRIAL,
        frozenset(
            {
                "clinical trial",
                "clinical trial, phase i",
                "clinical trial, phase ii",
                "clinical trial, phase iii",
                "clinical trial, phase iv",
                "controlled clinical trial",
                "pragmatic clinical trial",
                "adaptive clinical trial",
                "equivalence trial",
                "clinical study",
            }
        ),
    ),
    (Evidence.CASE_REPORT, frozenset({"case reports"})),
    (Evidence.REVIEW, frozenset({"review", "systematic review", "narrative review"})),
    (Evidence.OBSERVATIONAL, frozenset({"observational study", "observational study, veterinary"})),
)


def classify_pubmed(pubtypes: Iterable[str], title: str, *, animals_only: bool) -> Evidence:
    """PubMed publication types first, then MeSH (animals, no humans), then the title.

    A review or meta-analysis of animal work stays a review: that is the design a reader
    needs to know; the title will usually say which animals.
    """
    kind = pubmed_kind(pubtypes, animals_only=animals_only)
    return kind if kind is not None else classify_title(title)


def pubmed_kind(pubtypes: Iterable[str], *, animals_only: bool) -> Evidence | None:
    """What the indexers say, or None when only the title can tell (then it is a guess)."""
    types = {t.strip().lower() for t in pubtypes}
    for kind, names in _PUBTYPES:
        if types & names:
            if animals_only and kind in {Evidence.RCT, Evidence.TRIAL, Evidence.OBSERVATIONAL}:
                return Evidence.LAB
            return kind
    if animals_only:
        return Evidence.LAB
    return None


_PHASES = {
    "EARLY_PHASE1": "early phase 1",
    "PHASE1": "phase 1",
    "PHASE2": "phase 2",
    "PHASE3": "phase 3",
    "PHASE4": "phase 4",
}


def trial_phase(phases: Iterable[str]) -> str:
    """`["PHASE1", "PHASE2"]` -> "phase 1/2"; "NA" (not applicable) -> ""."""
    known = [_PHASES[p] for p in phases if p in _PHASES]
    if not known:
        return ""
    if len(known) == 1:
        return known[0]
    return "phase " + "/".join(p.removeprefix("early ").removeprefix("phase ") for p in known)


_STATUSES = {
    "ACTIVE_NOT_RECRUITING": "active, not recruiting",
    "NOT_YET_RECRUITING": "not yet recruiting",
    "ENROLLING_BY_INVITATION": "enrolling by invitation",
    "UNKNOWN": "status unknown",
    "AVAILABLE": "available",
    "NO_LONGER_AVAILABLE": "no longer available",
    "TEMPORARILY_NOT_AVAILABLE": "temporarily not available",
    "APPROVED_FOR_MARKETING": "approved for marketing",
    "WITHHELD": "withheld",
}


def trial_status(status: str) -> str:
    """`RECRUITING` -> "recruiting"; unknown codes read as words rather than failing."""
    code = status.strip().upper()
    return _STATUSES.get(code, code.replace("_", " ").lower() or "status unknown")


def has_hype(text: str) -> bool:
    """Words the bot never uses for research: cure, breakthrough, miracle..."""
    return bool(_HYPE.search(text))


def hype_word(text: str) -> str | None:
    """The first such word as the text spells it, lower-cased, to name it back."""
    found = _HYPE.search(text)
    return found.group(0).lower() if found else None

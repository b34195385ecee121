"""The detector's vocabulary of results and rules: `Detection`, `Rule`, and the building
blocks (regular-expression fragments) the advice and crisis rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.moderation.detector.lexicon import ANAPHOR, DECISION, PERSON, RELATIVE, TREATMENT

Category = Literal["advice", "crisis", "promotion", "none"]
THRESHOLD = 0.5


@dataclass(frozen=True)
class Detection:
    """What a message looks like to the detector.

    `score` is the strength of the evidence for `category` (for "none": how far the message is
    from being flagged), and `reasons` are the human-readable rules that fired, shown to
    moderators so they can judge the flag rather than trust a number.
    """

    category: Category
    score: float
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return self.category != "none"


@dataclass(frozen=True)
class Rule:
    """One way of asking; `about_self` when the wording itself points at the writer's case
    ("does this sound like a relapse?", "what would you do?"), so no "I" or "my" is needed."""

    reason: str
    weight: float
    pattern: re.Pattern[str]
    about_self: bool = False
    needs_treatment: bool = False  # only worth trying on a sentence that names a treatment
    # Words one of which every pattern of the rule contains: a rule is only tried on a
    # sentence that has one, which keeps the detector fast as rules are added.
    hints: tuple[str, ...] = ()

    def matches(self, sentence: str) -> bool:
        if self.hints and not any(hint in sentence for hint in self.hints):
            return False
        return self.pattern.search(sentence) is not None


def _rule(
    reason: str,
    weight: float,
    *patterns: str,
    about_self: bool = False,
    needs_treatment: bool = False,
    hints: tuple[str, ...] = (),
) -> Rule:
    pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
    return Rule(reason, weight, pattern, about_self, needs_treatment, hints)


# --- building blocks --------------------------------------------------------------------------

_T = TREATMENT
_TA = f"(?:{TREATMENT}|{ANAPHOR})"  # a treatment, or "it" when one is named elsewhere
_P = PERSON
_D = (
    DECISION
    + r"|push (?:my \w+ )?for|ask (?:to|about|for)|go (?:private|abroad)"
    + r"|(?:be )?asking (?:for|about)"
    + r"|up|finish|complete"
)
_D = f"(?:{_D})"
# Up to three words between a verb and its object ("skip *the next* dose"), but not across a
# preposition that starts something else ("start a fundraiser *for* my HSCT").
_GAP = (
    r"(?:\s+(?!(?:for|about|near|at|because|but|and|so|or|to the|to a|to my|into|during|while|"
    r"after|before|with)\b)[\w'&+-]+){0,4}?\s+"
)
_ADV = r"(?:\s+(?:just|really|still|also|even|actually|now|definitely|maybe|then|safely|ever))?"
# A question about what the person should do: direct ("should I"), or reported ("whether I
# should", "anyone know if I can", "do you think my mum should").
_MODALQ = (
    rf"(?:\b(?:should|shall|can|could|may|must|do|does|would|will)\s+{_P}"
    rf"|\b(?:whether|if|think|reckon|mean|reason)\s+{_P}\s+"
    r"(?:should(?: not)?|can|could|need to|needs to|have to|has to|ought to|must)"
    r"|\b(?:whether|how) to)"
)
# Everyday activities whose timing around a treatment members ask about ("can I fly after...").
_ACTIVITY = (
    r"(?:have|drink|eat|go|fly|travel|exercise|go back|run|drive|work|swim|hug|shower|lift|"
    r"sunbathe|go out|see people|get pregnant|try for a baby|breastfeed)"
)
_OKAY = (
    r"(?:ok|safe|wise|fine|sensible|dangerous|risky|bad|better|normal|stupid|crazy|mad|"
    r"a (?:good|bad|stupid) idea|a mistake|too (?:soon|late|early|risky)|worth it|time)"
)
# Asking others to weigh in on a plan (a bare "?" is not enough: "anyone coming?").
_REQUEST = (
    r"\badvice\b|\bthoughts\b|\bopinions?\b|\bwhat do you (?:all |guys )?think\b|"
    r"\bgood idea\b|\bbad idea\b|\btalk me out\b|\bwhat should i do\b|\bshould (?:i|we|s?he)\b|"
    r"\bwdyt\b|\bhelp\b|\byes or no\b|\bam i (?:mad|crazy|stupid)\b|\bis (?:that|it) (?:wise|"
    r"sensible|crazy|stupid|safe|ok)\b|\bany reason not\b"
)
_REL = rf"\b(?:my|our) {RELATIVE}\b"

"""Rules and the learned model, combined into the one `Detection` the service acts on.

Crisis is rules OR model, recall first: a member in crisis missed is the worst failure this bot
can have, and a moderator dismissing a false alarm costs a minute. Advice is the rules alone
unless they are silent and the model is over its (precision-first) threshold; promotion is
the rules (an offer together with a way to reach the seller) OR the model, likewise. The
reasons say which side fired: the rules' own reasons, or "model: 0.87", so a moderator can
judge the flag.

The model alone never flags a message of fewer than `MIN_WORDS` words: a greeting or "lol" gives
it too little to go on, and the rules cover the short, plain crisis words ("kms").
"""

from __future__ import annotations

from bot.models.messages import Scores
from bot.moderation.detector import Detection

MIN_WORDS = 3


def decide(rules: Detection, model: Scores | None, text: str = "") -> Detection:
    if model is None or (text and len(text.split()) < MIN_WORDS):
        return rules
    if rules.category == "crisis":
        extra = (model.reason,) if "crisis" in model.flagged else ()
        return Detection("crisis", rules.score, rules.reasons + extra)
    if "crisis" in model.flagged:
        return Detection("crisis", model.scores["crisis"], (model.reason,))
    if rules.category in ("advice", "promotion"):
        return rules
    for category in ("advice", "promotion"):
        if category in model.flagged:
            return Detection(
                category, model.scores[category], (f"model: {model.scores[category]:.2f}",)
            )
    return rules

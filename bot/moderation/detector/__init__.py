"""Notice requests for personal medical advice and messages of crisis, so a human can respond.

Readable rules over normalised text, in one module per idea: `normalise` (how text is folded
before any rule sees it), `lexicon` (the words: treatments, relatives, symptoms), `rules` (what
a rule and a result are, and shared pattern fragments), `advice` (requests for personal
advice and their guards), `crisis` (crisis rules and the weak cues that add up), and `engine`
(how the rules combine into one `Detection`; crisis outranks advice). See `engine` for the
reasoning behind rules rather than a trained model.
"""

from bot.moderation.detector.engine import classify, classify_cached
from bot.moderation.detector.rules import THRESHOLD, Category, Detection

__all__ = ["THRESHOLD", "Category", "Detection", "classify", "classify_cached"]

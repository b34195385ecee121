"""Notice requests for personal medical advice and messages of crisis, so a human can respond.

The detector is a set of readable rules over normalised text rather than a trained model:
there is no labelled corpus of MS-forum posts to train on, moderators must be able to see *why*
a message was flagged (each rule carries the reason it reports), and a rule can be fixed the day
a false positive annoys a community. Rules look for the shape of a request (a question about
the writer's own or a relative's treatment, dose, symptom or clinic) rather than for words, and
guards stop what only looks like one: a past decision, a quote, a general question, an idiom
("this heat is killing me"), news, or a crisis that is over.

Members rarely write "should I": they announce a change and ask for a nod ("gonna skip my
infusion, that's fine right?"), weigh two next steps ("keep going or stop?"), ask whether a
treatment would take them, or ask about a relative. Those structures are rules of their own.
Someone in crisis rarely names it either: they describe the means at hand, say goodbye, or put
their affairs in order. Each such sign alone is everyday life, so each weighs little and two
together reach the threshold (see `Cues`).

Crisis outranks advice: someone who writes "I took all my pills, should I go to A&E?" needs the
crisis resources first. The detector never sees the network and is fast enough (thousands of
messages a second) to run on every message.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bot.moderation.detector.advice import (
    _ADVICE_ANAPHOR,
    _ADVICE_GUARDS,
    _ADVICE_SENTENCE,
    _ASKING,
    _ASKS_ADVICE,
    _ASKS_TREATMENT,
    _BARE_DIAGNOSIS,
    _BARE_RELATIVE,
    _CHANGED,
    _CLAUSE_END,
    _CONSEQUENCE,
    _EITHER_OR,
    _EITHER_OR_REASON,
    _ELIGIBLE,
    _ELIGIBLE_REASON,
    _ELIGIBLE_TARGET,
    _GUARD_HINTS,
    _HAS_FIRST_PERSON,
    _HAS_RELATIVE,
    _HAS_SYMPTOM,
    _HAS_TEST,
    _HAS_TREATMENT,
    _INTENT,
    _LOGISTICS,
    _NAMES_ANAPHOR,
    _NAMES_TREATMENT,
    _NO_OTHER_OBJECT,
    _NOD_HINTS,
    _NOD_QUESTION,
    _NOD_STATEMENT,
    _PLAN,
    _PLAN_REASON,
    _POLL,
    _PROFILE,
    _PROPOSAL,
    _REQUEST_RE,
    _SARCASM,
    _SARCASM_HINTS,
    _TAKE_IT_OR_LEAVE_IT,
)
from bot.moderation.detector.crisis import (
    _ABOUT_SUICIDE,
    _AFTER_TRANSPLANT,
    _CRISIS_CUES,
    _CRISIS_RULES,
    _CUE_PHRASES,
    _CUE_WORDS,
    _EVERYDAY_FAREWELL,
    _FEVER,
    _FEVER_REASON,
    _JOKE_PRONE,
    _JOKING,
    _NEGATED,
    _PAST,
    _PRESENT,
    _PUNCTUATION,
    _STORY,
    _STORY_PRONE,
    _SUBJECT_ONLY,
)
from bot.moderation.detector.multilingual import multilingual_reasons
from bot.moderation.detector.normalise import Normalised, normalise
from bot.moderation.detector.promotion import promotion
from bot.moderation.detector.redflags import red_flags
from bot.moderation.detector.rules import THRESHOLD, Detection

# --- classification ----------------------------------------------------------------------------


def classify(text: str) -> Detection:
    """Classify one message as "crisis", "promotion", "advice" or "none", with its reasons."""
    return _classify_normalised(normalise(text), text)


@lru_cache(maxsize=4096)
def _cached(text: str) -> Detection:
    return classify(text)


def classify_cached(text: str) -> Detection:
    """`classify` with memory: edits and repeated messages are common in busy channels."""
    return _cached(text)


def _classify_normalised(norm: Normalised, raw: str) -> Detection:
    crisis, crisis_reasons = _crisis(norm)
    if crisis >= THRESHOLD:
        return Detection("crisis", crisis, crisis_reasons)
    # Promotion is read from the raw text: normalising would hide its links and numbers.
    promo, promo_reasons = promotion(raw)
    if promo >= THRESHOLD:
        return Detection("promotion", promo, promo_reasons)
    advice, advice_reasons = _advice(norm)
    if advice >= THRESHOLD:
        return Detection("advice", advice, advice_reasons)
    # Nothing to flag: the score says how clearly (1.0 when no rule fired at all).
    return Detection("none", round(1.0 - max(crisis, advice, promo), 3), ())


def _combine(weights: Iterable[float]) -> float:
    """Independent evidence adds up without ever reaching 1: 1 - prod(1 - w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 3)


def _crisis(norm: Normalised) -> tuple[float, tuple[str, ...]]:
    fired: dict[str, float] = {}
    settled: list[bool] = []  # per sentence: about the past, or joking
    for sentence in norm.sentences:
        past = _PAST.search(sentence) is not None and not _PRESENT.search(_PAST.sub(" ", sentence))
        joking = _JOKING.search(sentence) is not None
        settled.append(past or joking)
        cleaned = _NEGATED.sub(" ", sentence)
        for rule in _CRISIS_RULES:
            if rule.reason in fired or not rule.matches(cleaned):
                continue
            if past or (joking and rule.reason in _JOKE_PRONE):
                continue
            if rule.reason in _SUBJECT_ONLY and _ABOUT_SUICIDE.search(cleaned):
                continue
            if rule.reason in _STORY_PRONE and _STORY.search(cleaned):
                continue
            fired[rule.reason] = rule.weight
    fired.update(_weak_signs(norm, settled))
    if "mentions suicide or ending their life" in fired:
        fired.pop("mentions suicide", None)
    if _FEVER.search(norm.text) and _AFTER_TRANSPLANT.search(norm.text):
        fired[_FEVER_REASON] = 0.85
    for reason in multilingual_reasons(norm.text):
        fired.setdefault(reason, 0.9)
    live = [
        sentence
        for sentence, done in zip(norm.sentences, settled, strict=True)
        if not done and not _STORY.search(sentence)
    ]
    for reason in red_flags(live):
        fired.setdefault(reason, 0.9)
    return _combine(fired.values()), _by_weight(fired)


def _weak_signs(norm: Normalised, settled: list[bool]) -> dict[str, float]:
    """The crisis cues found in the message, each kind weighted by how many signs it shows."""
    text = norm.text
    words = set(text.translate(_PUNCTUATION).split())
    if _CUE_WORDS.isdisjoint(words) and not any(phrase in text for phrase in _CUE_PHRASES):
        return {}
    groups = [cues for cues in _CRISIS_CUES if cues.may_occur(text, words)]
    if not groups:
        return {}
    # Sentences about now, meant seriously, and not telling a story.
    live = [
        sentence
        for sentence, done in zip(norm.sentences, settled, strict=True)
        if not done and not _STORY.search(sentence)
    ]
    everyday = _EVERYDAY_FAREWELL.search(text) is not None
    fired: dict[str, float] = {}
    for cues in groups:
        if cues.everyday and everyday:
            continue
        signs = {match.lastgroup for sentence in live for match in cues.pattern.finditer(sentence)}
        if signs:
            # Two different signs of one kind count as two pieces of evidence.
            fired[cues.reason] = _combine([cues.weight] * min(len(signs), cues.most))
    return fired


def _advice(norm: Normalised) -> tuple[float, tuple[str, ...]]:
    text = norm.text
    sentences = norm.sentences
    if _has_any(text, _SARCASM_HINTS):
        sentences = tuple(raw for raw in sentences if not _SARCASM.search(raw))
    if _has_any(text, _GUARD_HINTS):
        sentences = tuple(_ADVICE_GUARDS.sub(" ", raw) for raw in sentences)
    bare_relative = any(_BARE_RELATIVE.match(sentence) for sentence in sentences)
    personal = (
        _HAS_FIRST_PERSON.search(text) is not None
        or bare_relative
        or _PROFILE.search(text) is not None
    )
    if not (personal or "?" in text or _seeks_nod(text)):
        return 0.0, ()
    has_treatment = _HAS_TREATMENT.search(text) is not None
    symptom: list[bool] = []  # looked for only when a rule needs it

    def has_symptom() -> bool:
        if not symptom:
            symptom.append(_HAS_SYMPTOM.search(text) is not None)
        return symptom[0]

    has_test = _HAS_TEST.search(text) is not None
    anaphora = has_treatment or has_test
    fired: dict[str, float] = {}
    about_self = False
    last = len(sentences) - 1
    for index, sentence in enumerate(sentences):
        names_treatment: bool | None = None if has_treatment else False
        for rule in _ADVICE_SENTENCE:
            if rule.reason in fired:
                continue
            if rule.needs_treatment:
                if names_treatment is None:
                    names_treatment = _HAS_TREATMENT.search(sentence) is not None
                if not names_treatment:
                    continue
            if rule.matches(sentence):
                fired[rule.reason] = rule.weight
                about_self = about_self or rule.about_self
        if anaphora and _ADVICE_ANAPHOR[0].reason not in fired:
            for rule in _ADVICE_ANAPHOR:
                if rule.matches(sentence):
                    fired[rule.reason] = rule.weight
                    break
        if (
            _EITHER_OR_REASON not in fired
            and " or " in sentence
            and (anaphora or has_symptom())
            and ("?" in sentence or index == last)
            and _EITHER_OR.search(sentence)
            and not _TAKE_IT_OR_LEAVE_IT.search(sentence)
        ):
            fired[_EITHER_OR_REASON] = 0.75
            about_self = True  # a bare "keep going or stop?" is the writer's own dilemma
        if (
            _ELIGIBLE_REASON not in fired
            and _ASKING.search(sentence)
            and _ELIGIBLE.search(sentence)
            and _ELIGIBLE_TARGET.search(text)
        ):
            fired[_ELIGIBLE_REASON] = 0.75
        if ("?" in sentence or "imagin" in sentence) and has_symptom():
            if _BARE_DIAGNOSIS.search(sentence):
                fired.setdefault("asks for a diagnosis", 0.75)
    if (
        has_treatment
        and "?" in text
        and _ASKS_TREATMENT not in fired
        and _CHANGED.search(text)
        and _CONSEQUENCE.search(text)
    ):
        fired[_ASKS_TREATMENT] = 0.75
    if has_treatment and _plans_and_asks(sentences):
        fired.setdefault(_PLAN_REASON, 0.75)
        about_self = True  # the plan has the writer, or no one, as its subject
    guarded = " ".join(sentences)
    asks = _REQUEST_RE.search(guarded) is not None
    if personal and asks and _INTENT.search(guarded):
        fired.setdefault("plans a treatment change and asks for opinions", 0.7)
    if personal and has_treatment and _PROPOSAL.search(guarded) and _asks_not_polls(sentences):
        fired.setdefault("asks about a treatment their doctor proposed", 0.6)
    if personal and _ASKS_ADVICE.search(guarded) and (has_treatment or has_symptom()):
        fired.setdefault("asks for personal medical advice", 0.6)
    if not fired or not (personal or about_self):
        # A question with no one in it ("is it safe to take X with Y?") is a general question
        # the FAQ can answer; it only needs a human when it is about someone.
        return 0.0, ()
    reasons = _by_weight(fired)
    if bare_relative or _HAS_RELATIVE.search(text):
        reasons += ("on behalf of a relative or friend",)
    return _combine(fired.values()), reasons


def _asks_not_polls(sentences: tuple[str, ...]) -> bool:
    """A question other than a call for others' experiences ("anyone been to Sheffield?")."""
    return any("?" in s and not _POLL.search(s) for s in sentences)


def _has_any(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def _seeks_nod(text: str) -> bool:
    """Whether the text asks for approval: a tag question or a "no harm, right?"."""
    mark = text.find("?")
    while mark != -1:
        # Only the few words before each question mark can be a tag.
        if _NOD_QUESTION.search(text, max(0, mark - 45), mark + 1):
            return True
        mark = text.find("?", mark + 1)
    return _has_any(text, _NOD_HINTS) and _NOD_STATEMENT.search(text) is not None


def _plans_and_asks(sentences: tuple[str, ...]) -> bool:
    """A change to a named treatment (or to "it", when one is named), then a nod sought."""
    if not _seeks_nod(". ".join(sentences)):
        return False
    for index, sentence in enumerate(sentences):
        for plan in _PLAN.finditer(sentence):
            # Moving an appointment ("switch my infusion day to Friday") is not a treatment change.
            about = _LOGISTICS.sub(" ", sentence[plan.start() :])
            if not (_NAMES_TREATMENT.search(sentence) or _NAMES_ANAPHOR.search(about)):
                continue
            if not _NAMES_TREATMENT.search(about) and _LOGISTICS.search(sentence):
                continue
            # The change must be to the treatment, not to something else in the sentence
            # ("skip the support group and take my meds").
            clause = _CLAUSE_END.split(sentence[plan.end() :], maxsplit=1)[0]
            if not (
                _NAMES_TREATMENT.search(plan.group(0))
                or _NAMES_TREATMENT.search(clause)
                or _NO_OTHER_OBJECT.match(clause)
            ):
                continue
            tail = ". ".join((sentence[plan.end() :], *sentences[index + 1 :]))
            if _seeks_nod(tail):
                return True
    return False


def _by_weight(fired: dict[str, float]) -> tuple[str, ...]:
    return tuple(reason for reason, _ in sorted(fired.items(), key=lambda kv: -kv[1]))

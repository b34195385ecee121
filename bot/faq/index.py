"""The search index: from a member's question to ranked entries and a confidence.

Ranking is BM25 over concept words (text.py) in two fields: what an entry is asked as (title,
questions, tags, id) and what it says (the answer, weighted lower). A word the index has never
seen is matched to a close word of the question vocabulary (rapidfuzz edit distance), so typos
still find their entry, at a discount. An entry about one treatment (MSCs or aHSCT) is
discounted for a question naming only the other.

Whether to answer at all is a separate question. A general MS question ("what causes MS?")
shares words with the FAQ without being covered by it, so confidence looks at how much of the
question the best entry explains, not only at how high it scores: a question full of words the
FAQ never uses is one it cannot answer, and one about everyday MS life (diet, a named MS drug,
the server) is probably not for this FAQ even when it says "safe" or "stem cells". Five
features are combined by a logistic model fitted on the development part of
tests/data/faq_eval.tsv (by the team's first authors, t1 and t2; the fitting script was not
kept), which makes the score a calibrated probability that the top entry is right. The
model is deliberately small: a few coefficients learnt from ~500 questions cannot memorise
their wording.

The index is immutable: a reload builds a new one and swaps it in whole.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.faq.model import FaqEntry
from bot.faq.terms import (
    ANCHORS,
    STOPWORDS,
    SYNONYM_WORDS,
    absorb,
    concept,
    fold,
    off_topic,
    terms,
    topic_words,
    words,
)

# BM25 parameters and field weights, from a grid search on dev rows (a broad plateau: K1 1.2-2,
# B 0.6-0.8, body weight 0.3-0.5 all rank within a point or two of each other). With 10-20
# questions per entry the asked field carries most of the signal.
K1 = 2.0
B = 0.8
BODY_WEIGHT = 0.3
# MSCs and aHSCT are different treatments, yet nearly every entry names both, so BM25 gives the
# names almost no weight. An entry whose title is about one of them answers a question naming
# only the other one at this fraction of its score.
OTHER_TREATMENT = 0.5
TREATMENTS = frozenset({"msc", "hsct"})
TYPO_WEIGHT = 0.7
TYPO_MIN_LENGTH = 5
# Two edits only in long words: at seven letters they already turn "waiting" into "walking".
TYPO_TWO_EDITS = 8
# Short words corrected all the same (one edit, same first letter): what the FAQ is about.
CORE_WORDS = ("msc", "mscs", "hsct", "ahsct", "stem", "cell", "cells", "risk", "cost", "trial")

# Logistic model of P(top entry is right), fitted once on t1/t2 development rows only.
COEF_BIAS = -2.035
COEF_SCORE = 1.179
COEF_COVERAGE = 1.138
COEF_MARGIN = 0.725
COEF_ANCHORED = 2.289
COEF_OFF_TOPIC = -1.398
# Answer only when the top entry is more likely right than not, with room to spare: for
# health information a wrong answer costs more than "I don't know". Chosen on dev rows.
ABSTAIN_BELOW = 0.6

AUTOCOMPLETE_LIMIT = 25
CHOICE_LIMIT = 100
_FIELD_TITLE = 3.0
_FIELD_ID = 2.0
_FIELD_QUESTION = 2.0
_PHRASE_CANDIDATES = 50
_SHORT_PREFIX = 2
_FUZZY_MIN = 4


@dataclass(frozen=True)
class Hit:
    entry: FaqEntry
    score: float


@dataclass(frozen=True)
class Ranking:
    """Entries best first, and the probability that the first one answers the question."""

    hits: tuple[Hit, ...]
    confidence: float
    features: tuple[float, ...] = ()

    @property
    def best(self) -> FaqEntry | None:
        return self.hits[0].entry if self.hits else None


def _bm25(counts: dict[str, Counter[str]], idf: dict[str, float]) -> dict[str, dict[str, float]]:
    """term -> {entry id: BM25 weight}, precomputed so a query is only additions."""
    lengths = {eid: sum(c.values()) for eid, c in counts.items()}
    # An empty FAQ is a state an admin can be in (a fresh folder, every file broken).
    average = (sum(lengths.values()) / max(len(lengths), 1)) or 1.0
    postings: dict[str, dict[str, float]] = defaultdict(dict)
    for eid, counter in counts.items():
        norm = K1 * (1 - B + B * lengths[eid] / average)
        for term, tf in counter.items():
            postings[term][eid] = idf[term] * tf * (K1 + 1) / (tf + norm)
    return dict(postings)


def _idf(documents: Iterable[Counter[str]], n: int) -> dict[str, float]:
    df: Counter[str] = Counter()
    for counter in documents:
        df.update(counter.keys())
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class SearchIndex:
    """Build with `SearchIndex.build(entries)`; then `rank`, `autocomplete`."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.entries = tuple(sorted(entries, key=lambda e: e.id))
        self.by_id = {e.id: e for e in self.entries}
        asked = {e.id: Counter(self._asked_terms(e)) for e in self.entries}
        said = {e.id: Counter(terms(e.body)) for e in self.entries}
        n = len(self.entries)
        self.idf_asked = _idf(asked.values(), n)
        self.idf_said = _idf(said.values(), n)
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self._asked = _bm25(asked, self.idf_asked)
        self._said = _bm25(said, self.idf_said)
        self._treats = {
            e.id: TREATMENTS.intersection(terms(f"{e.title} {e.id}")) for e in self.entries
        }
        # Typos are corrected only towards words members use in questions and titles (and the
        # synonyms text.py knows); the answers' long tail of ordinary words would turn "heat"
        # into "hear".
        raw: dict[str, str] = {w: concept(w) for w in SYNONYM_WORDS if len(w) >= TYPO_MIN_LENGTH}
        for entry in self.entries:
            for text in (entry.title, *entry.questions, *entry.tags):
                for word in fold(text).split():
                    if len(word) >= TYPO_MIN_LENGTH and word not in STOPWORDS:
                        raw.setdefault(word, concept(word))
        self._raw_vocab = raw
        self._raw_words = sorted(raw)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)
        self._complete = _Autocomplete(self.entries)

    @classmethod
    def build(cls, entries: Iterable[FaqEntry]) -> SearchIndex:
        return cls(list(entries))

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _asked_terms(entry: FaqEntry) -> list[str]:
        found = terms(entry.title) * 2 + terms(" ".join(entry.tags)) + terms(entry.id)
        for question in entry.questions:
            found += terms(question)
        return found

    def _known(self, term: str) -> bool:
        return term in self.idf_asked or term in self.idf_said

    def _correct_uncached(self, word: str) -> str | None:
        """The concept of the question word closest to a misspelt `word`, if close enough.

        Short words are where real words collide ("cold" and "cord", "night" and "right"),
        so they are not corrected below 5 letters, and below 8 only with one edit and the
        same first letter, which people rarely get wrong. The few words this FAQ is built on
        are the exception: "hcst", "mcs" and "cels" are slips of the finger, not other words.
        """
        if len(word) < TYPO_MIN_LENGTH:
            if len(word) < 3:
                return None
            # A letter missing, extra or swapped; a different letter is usually another word
            # ("call" is not "cell").
            for core in CORE_WORDS:
                if core[0] == word[0] and OSA.distance(word, core) == 1:
                    if len(core) != len(word) or sorted(core) == sorted(word):
                        return concept(core)
            return None
        if not self._raw_words:
            return None
        short = len(word) < TYPO_TWO_EDITS
        match = process.extractOne(
            word, self._raw_words, scorer=OSA.distance, score_cutoff=1 if short else 2
        )
        if match is None or (short and match[0][0] != word[0]):
            return None
        return self._raw_vocab[match[0]]

    def query_terms(self, question: str) -> dict[str, float]:
        """Concept words of a question with their weight (1, or less for a typo fix);
        words the index cannot place get weight 0 and count against confidence."""
        return self._query(topic_words(question))

    def _query(self, found: list[str]) -> dict[str, float]:
        concepts: list[str] = []
        weights: dict[str, float] = {}
        for word in found:
            term = concept(word)
            weight = 1.0
            if not self._known(term):
                # A word of everyday MS life is not a misspelt FAQ word ("msclinic" is not
                # "clinic"): it stays unknown and counts against confidence.
                fixed = None if off_topic(word) else self._correct(word)
                term, weight = (fixed, TYPO_WEIGHT) if fixed else (term, 0.0)
            concepts.append(term)
            weights[term] = max(weights.get(term, 0.0), weight)
        return {term: weights[term] for term in absorb(concepts)}

    def rank(self, question: str, limit: int = 10) -> Ranking:
        found = topic_words(question)
        query = self._query(found)
        scores: dict[str, float] = defaultdict(float)
        for term, weight in query.items():
            if not weight:
                continue
            for eid, w in self._asked.get(term, {}).items():
                scores[eid] += weight * w
            for eid, w in self._said.get(term, {}).items():
                scores[eid] += weight * BODY_WEIGHT * w
        if not scores:
            return Ranking((), 0.0, (0.0, 0.0, 0.0, 0.0, 0.0))
        named = TREATMENTS.intersection(t for t, w in query.items() if w)
        if len(named) == 1:
            for eid in scores:
                if self._treats[eid] and not self._treats[eid] & named:
                    scores[eid] *= OTHER_TREATMENT
        ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        hits = tuple(Hit(self.by_id[eid], score) for eid, score in ordered)
        elsewhere = 1.0 if any(off_topic(word) for word in found) else 0.0
        features = (*self._features(query, ordered), elsewhere)
        return Ranking(hits, self._confidence(features), features)

    def _features(
        self, query: dict[str, float], ordered: list[tuple[str, float]]
    ) -> tuple[float, float, float, float]:
        """(score, coverage, margin, anchored), each in [0, 1].

        score: the top BM25 score over what the question would score if every word of it
        were an entry's own (words the FAQ never uses keep this low);
        coverage: the share of the question's information (idf) the top entry's questions and
        title explain, half for words only its answer uses;
        margin: how far ahead of the runner-up the top entry is;
        anchored: 1 if the question names something from the FAQ's subject (text.ANCHORS).
        (`rank` adds a fifth: 1 if the question uses a word of everyday MS life or of the
        server that the FAQ does not cover, text.off_topic.)
        """
        top_id, top = ordered[0]
        second = ordered[1][1] if len(ordered) > 1 else 0.0
        ideal = sum(self.idf_asked.get(t, self.unknown_idf) * (K1 + 1) for t in query)
        total = explained = 0.0
        for term, weight in query.items():
            idf = self.idf_asked.get(term, self.unknown_idf)
            total += idf
            if term in self._asked and top_id in self._asked[term]:
                explained += idf * weight
            elif term in self._said and top_id in self._said[term]:
                explained += idf * weight * 0.5
        return (
            min(top / ideal, 1.0) if ideal else 0.0,
            explained / total if total else 0.0,
            (top - second) / top if top else 0.0,
            1.0 if any(t in ANCHORS for t, w in query.items() if w) else 0.0,
        )

    @staticmethod
    def _confidence(features: tuple[float, ...]) -> float:
        score, coverage, margin, anchored, elsewhere = features
        return _sigmoid(
            COEF_BIAS
            + COEF_SCORE * score
            + COEF_COVERAGE * coverage
            + COEF_MARGIN * margin
            + COEF_ANCHORED * anchored
            + COEF_OFF_TOPIC * elsewhere
        )

    def autocomplete(self, text: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[tuple[str, str]]:
        return self._complete.choices(text, min(limit, AUTOCOMPLETE_LIMIT))


class _Autocomplete:
    """Prefix and fuzzy matching of what a member has typed so far, word by word.

    Every word of a title, id or question is indexed as written and as its concept (so "hsct"
    finds "aHSCT" and "msc" finds "mesenchymal stem cells"); the last word typed is a prefix,
    earlier ones whole words; a word that matches nothing is tried against word beginnings of
    the same length with one or two typos. A word in the title counts most, then in the id,
    then by the share of the entry's questions using it: "mesench" offers "What are
    mesenchymal stem cells?" before entries that only mention the word in a question.
    """

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.entries = entries
        weights: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))

        def keys(text: str) -> set[str]:
            raw = {w for w in fold(text).split() if len(w) > 1 and w not in STOPWORDS}
            return raw | {concept(w) for w in raw} | {concept(w) for w in words(text)}

        for index, entry in enumerate(entries):
            for key in keys(entry.title):
                weights[key][index] += _FIELD_TITLE
            id_keys = keys(entry.id.replace("-", " "))
            for key in id_keys:
                weights[key][index] += _FIELD_ID / len(id_keys)
            share = _FIELD_QUESTION / max(len(entry.questions), 1)
            for question in entry.questions:
                for key in keys(question):
                    weights[key][index] += share
        n = max(len(entries), 1)
        self.weights = {
            word: {i: w * math.log(1 + n / len(posting)) for i, w in posting.items()}
            for word, posting in weights.items()
        }
        self.vocab = sorted(self.weights)
        self.names = [fold(e.title) for e in entries]
        self.phrases = [tuple(fold(t) for t in (e.title, *e.questions)) for e in entries]
        self.alphabetical = sorted(range(len(entries)), key=lambda i: entries[i].title.lower())
        # Work that would otherwise fall on a keystroke: one- and two-letter prefixes match
        # hundreds of words, so their merged postings are built once here; so are the word
        # beginnings of each length that fuzzy prefix matching compares against.
        self._short: dict[str, dict[int, float]] = defaultdict(dict)
        for word, posting in self.weights.items():
            for length in range(1, _SHORT_PREFIX + 1):
                if len(word) <= length:
                    continue
                merged = self._short[word[:length]]
                quality = _prefix_quality(length, len(word))
                for index, weight in posting.items():
                    if merged.get(index, 0.0) < weight * quality:
                        merged[index] = weight * quality
        longest = max((len(w) for w in self.vocab), default=0)
        self._heads: dict[int, tuple[list[str], dict[str, list[str]]]] = {}
        for length in range(_FUZZY_MIN, longest + 1):
            heads: dict[str, list[str]] = defaultdict(list)
            for word in self.vocab:
                heads[word[:length]].append(word)
            self._heads[length] = (list(heads), dict(heads))

    def _prefixed(self, prefix: str, cap: int = 200) -> list[str]:
        start = bisect_left(self.vocab, prefix)
        found = []
        for word in self.vocab[start : start + cap]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def _fuzzy(self, typed: str, as_prefix: bool) -> list[str]:
        if len(typed) < _FUZZY_MIN:
            return []
        limit = 1 if len(typed) < 7 else 2
        if not as_prefix:
            matches = process.extract(
                typed, self.vocab, scorer=OSA.distance, score_cutoff=limit, limit=5
            )
            return [m[0] for m in matches]
        keys, heads = self._heads.get(len(typed), ([], {}))
        matches = process.extract(typed, keys, scorer=OSA.distance, score_cutoff=limit, limit=5)
        return [word for m in matches for word in heads[m[0]]]

    def choices(self, text: str, limit: int) -> list[tuple[str, str]]:
        typed = [w for w in fold(text).split() if w]
        if not typed:
            return [self._choice(i) for i in self.alphabetical[:limit]]
        last_is_prefix = not text[-1:].isspace()
        scores: dict[int, float] = defaultdict(float)
        for position, word in enumerate(typed):
            is_prefix = last_is_prefix and position == len(typed) - 1
            if word in STOPWORDS and not is_prefix:
                continue
            best: dict[int, float] = {}
            candidates: list[tuple[str, float]] = []
            if word in self.weights:
                candidates.append((word, 1.0))
            if concept(word) in self.weights:
                candidates.append((concept(word), 1.0))
            if is_prefix and len(word) <= _SHORT_PREFIX:
                # One or two letters after other words refine what those words found; alone
                # they would pull in whichever rare word starts that way ("tr" -> "travel").
                short = self._short.get(word, {})
                best.update({i: v for i, v in short.items() if i in scores} if scores else short)
            elif is_prefix:
                candidates += [
                    (w, _prefix_quality(len(word), len(w)))
                    for w in self._prefixed(word)
                    if w != word
                ]
            if not candidates and not best:
                candidates = [(w, 0.6) for w in self._fuzzy(word, is_prefix)]
            for candidate, quality in candidates:
                for index, weight in self.weights[candidate].items():
                    value = weight * quality
                    if best.get(index, 0.0) < value:
                        best[index] = value
            for index, value in best.items():
                scores[index] += value
        ranked = sorted(scores, key=lambda i: (-scores[i], self.names[i]))
        if len(typed) > 1:
            # Words typed in the order a title or question has them beat the same words apart.
            phrase = " ".join(typed)
            head = ranked[:_PHRASE_CANDIDATES]
            for i in head:
                if any(phrase in text for text in self.phrases[i]):
                    scores[i] *= 2
            ranked = sorted(head, key=lambda i: (-scores[i], self.names[i])) + ranked[len(head) :]
        return [self._choice(i) for i in ranked[:limit]]

    def _choice(self, index: int) -> tuple[str, str]:
        entry = self.entries[index]
        name = entry.title if len(entry.title) <= CHOICE_LIMIT else entry.title[:99] + "…"
        return name, entry.id


def _prefix_quality(typed: int, word: int) -> float:
    """How sure a prefix match is: "mesench" for "mesenchymal" more than "m" for it."""
    return 0.5 + 0.4 * typed / word

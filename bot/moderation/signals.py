"""Signals beyond words: the same text in several channels, a member who joined minutes ago.

Modelled on python-discord/bot's antispam rules (duplicates, links, mentions within a window):
sellers paste one offer into every channel they can see, often from an account made for it.
Those facts say nothing about a text by themselves (a new member saying hello in three
channels is welcome), so they only ever strengthen promotion the words already suggest:
`strengthen` raises the confidence of a promotion and can lift text with several promotion
signals (an offer and a way to reach the seller) over the threshold, but a message without
such words is never flagged, however often or however newly it is posted.

The tracker keeps, per author, a fingerprint of each recent text (a hash of its normalised
words, never the words), where it was posted and when; entries older than the window are
dropped and the number of authors and posts is bounded, so memory stays small.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.moderation.detector import THRESHOLD, Detection
from bot.moderation.detector.promotion import promotion

MAX_AUTHORS = 5000
POSTS_PER_AUTHOR = 20
# How much each context signal adds (combined like the word signals: 1 - prod(1 - w)).
DUPLICATE_WEIGHT = 0.3  # a second copy; each further copy adds EXTRA_COPY_WEIGHT
EXTRA_COPY_WEIGHT = 0.1
NEW_MEMBER_WEIGHT = 0.2
NEW_ACCOUNT_WEIGHT = 0.15
_PUNCTUATION = re.compile(r"[^\w:/.+@]+")
NEW_MEMBER = "new member (joined "
NEW_ACCOUNT = "new account (created "


def fingerprint(text: str) -> str:
    """The same offer with other spacing, case or punctuation gives the same fingerprint."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = " ".join(_PUNCTUATION.sub(" ", folded).split())
    return hashlib.sha256(words.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Sighting:
    """One post of a text: where and when (the text itself is not kept)."""

    channel_id: int
    message_id: int
    at: datetime


@dataclass(frozen=True)
class Context:
    """What is known about a message beyond its words."""

    earlier: tuple[Sighting, ...] = ()  # the same text by the same author within the window
    channel_id: int = 0
    at: datetime | None = None
    joined_at: datetime | None = None  # when the author joined the server, if known
    account_created_at: datetime | None = None


def _count(delta: timedelta, unit: str, *, up: bool) -> str:
    """ "3 minutes": rounded up for a span ("within"), down for an age ("ago"), at least 1."""
    amount = delta.total_seconds() / {"minute": 60, "day": 86400}[unit]
    n = max(1, math.ceil(amount) if up else math.floor(amount))
    return f"{n} {unit}{'s' if n != 1 else ''}"


def reasons(
    context: Context, new_member: timedelta | None, new_account: timedelta | None
) -> dict[str, float]:
    """The context signals of a message (reason -> weight), worded for moderators."""
    found: dict[str, float] = {}
    if context.earlier and context.at is not None:
        posts = len(context.earlier) + 1
        channels = len({s.channel_id for s in context.earlier} | {context.channel_id})
        span = _count(context.at - min(s.at for s in context.earlier), "minute", up=True)
        where = f"posted in {channels} channels" if channels > 1 else f"posted {posts} times"
        found[f"{where} within {span}"] = duplicate_weight(posts)
    if context.at is not None and new_member is not None and context.joined_at is not None:
        age = context.at - context.joined_at
        if timedelta(0) <= age < new_member:
            found[f"{NEW_MEMBER}{_count(age, 'minute', up=False)} ago)"] = NEW_MEMBER_WEIGHT
    if context.at is not None and new_account is not None and context.account_created_at:
        age = context.at - context.account_created_at
        if timedelta(0) <= age < new_account:
            found[f"{NEW_ACCOUNT}{_count(age, 'day', up=False)} ago)"] = NEW_ACCOUNT_WEIGHT
    return found


def duplicate_weight(posts: int) -> float:
    """A second copy adds DUPLICATE_WEIGHT, each further one EXTRA_COPY_WEIGHT, up to 0.6."""
    return min(0.6, DUPLICATE_WEIGHT + EXTRA_COPY_WEIGHT * (max(posts, 2) - 2))


def is_duplicate_reason(reason: str) -> bool:
    """Whether a reason is the duplicate signal (it is re-worded as more copies arrive)."""
    return reason.startswith("posted ") and " within " in reason


def recorded(reasons: Sequence[str], posts: int) -> dict[str, float]:
    """The context signals among a flag's stored reasons, with their weights, for judging
    its message again after an edit: they describe what happened when it was posted (copies
    in other channels, a member who had just joined), which new words do not undo. `posts`
    counts the flagged message and its copies. Like any context, they only strengthen words
    that already suggest promotion (`strengthen`)."""
    found: dict[str, float] = {}
    for reason in reasons:
        if is_duplicate_reason(reason):
            found[reason] = duplicate_weight(posts)
        elif reason.startswith(NEW_MEMBER):
            found[reason] = NEW_MEMBER_WEIGHT
        elif reason.startswith(NEW_ACCOUNT):
            found[reason] = NEW_ACCOUNT_WEIGHT
    return found


def _combine(score: float, weights: list[float]) -> float:
    remaining = 1.0 - score
    for weight in weights:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 3)


def strengthen(detection: Detection, text: str, context_reasons: dict[str, float]) -> Detection:
    """Add the context signals to a promotion, or lift text that reads like one over the line.

    Only text the promotion rules already see as an offer with a way to reach the seller
    (their score above 0, below the threshold) can be lifted; a question about a clinic, a
    warning or a registered trial scores 0 there, and so does every normal message, however
    often or however newly it is posted. Crisis and advice are left alone.
    """
    if not context_reasons or detection.category in ("crisis", "advice"):
        return detection
    extra = tuple(context_reasons)
    weights = list(context_reasons.values())
    if detection.category == "promotion":
        return Detection("promotion", _combine(detection.score, weights), detection.reasons + extra)
    score, why = promotion(text)
    if score <= 0.0:
        return detection
    lifted = _combine(score, weights)
    if lifted < THRESHOLD:
        return detection
    return Detection("promotion", lifted, why + extra)


class RecentPosts:
    """Per author, the recent texts' fingerprints within a window (in memory only)."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self._posts: OrderedDict[int, deque[tuple[str, Sighting]]] = OrderedDict()

    def see(
        self, author_id: int, text: str, channel_id: int, message_id: int, at: datetime
    ) -> tuple[Sighting, ...]:
        """Record a post; return the earlier posts of the same text within the window."""
        mark = fingerprint(text)
        posts = self._posts.pop(author_id, None) or deque(maxlen=POSTS_PER_AUTHOR)
        while posts and at - posts[0][1].at > self.window:
            posts.popleft()
        earlier = tuple(s for f, s in posts if f == mark and s.message_id != message_id)
        if all(s.message_id != message_id for _, s in posts):
            posts.append((mark, Sighting(channel_id, message_id, at)))
        self._posts[author_id] = posts  # most recently active last
        while len(self._posts) > MAX_AUTHORS:
            self._posts.popitem(last=False)
        return earlier

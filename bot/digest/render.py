"""The digest as one message: a card per source, every item a link with what kind of study it is.

Discord allows 10 embeds and 6,000 characters per message; the cards are filled in turns,
one item per source per turn, so a busy source cannot crowd out a quiet one. Whatever does
not fit becomes "and N more" with a link to the full list. The bot's own words inform and
never advise, and never call anything a cure or a breakthrough; titles are the authors'
words, quoted as they are, with a note when they use such words. A label the bot guessed from
a title says so, and the trials card says that a registry listing is not a check.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.card import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    Card,
    CardField,
    Message,
    shorten,
)
from bot.digest.evidence import hype_word, label
from bot.digest.model import CLINICALTRIALS, PUBMED, SourceStatus, Tracked
from bot.digest.tracking import Choice

TITLE_CHARS = 200
SAFETY_MARGIN = 100
FOOTER = (
    "Study types come from PubMed's indexers and the trial registry; "
    'a type marked "guessed from the title" is the bot\'s guess. Information, not medical advice.'
)
REGISTRY_NOTE = (
    "Registry listings are not vetted: anyone running a study can list it, "
    "including clinics that charge to take part."
)


@dataclass(frozen=True)
class Group:
    """One source's card: its heading, where "see all" points, its colour."""

    source: str
    title: str
    url: str
    colour: int


@dataclass(frozen=True)
class Digest:
    message: Message
    shown: list[Tracked]
    more: list[Tracked]
    covered: list[Tracked]


def render_digest(
    choice: Choice,
    groups: Sequence[Group],
    *,
    when: datetime,
    zone: ZoneInfo,
    max_items: int,
) -> Digest:
    """Build the message; `covered` is everything it accounts for (shown, "more", same DOI)."""
    by_source: dict[str, deque[Tracked]] = {g.source: deque() for g in groups}
    for tracked in choice.chosen:
        by_source.setdefault(tracked.item.source, deque()).append(tracked)
    active = [g for g in groups if by_source[g.source]]
    folded: list[Group] = []
    if len(active) > EMBEDS_PER_MESSAGE:
        active, folded = active[: EMBEDS_PER_MESSAGE - 1], active[EMBEDS_PER_MESSAGE - 1 :]
    local = when.astimezone(zone)
    footer = f"{FOOTER} Digest of {local:%Y-%m-%d %H:%M} {local.tzname()}."
    fold_lines = [_fold_line(g, len(by_source[g.source])) for g in folded]
    fold_card_title = "More sources"
    fixed = sum(len(g.title) for g in active) + len(footer)
    if folded:
        fixed += len(fold_card_title) + sum(len(line) + 1 for line in fold_lines)
    reserve = {g.source: len(_more_line(len(by_source[g.source]), g)) + 2 for g in active}
    for group in active:
        if group.source == CLINICALTRIALS:
            reserve[group.source] += len(REGISTRY_NOTE) + 4
    budget = EMBED_TOTAL_LIMIT - SAFETY_MARGIN - fixed - sum(reserve.values())

    lines: dict[str, list[str]] = {g.source: [] for g in active}
    used: dict[str, int] = {g.source: 0 for g in active}
    shown: list[Tracked] = []
    turn = list(active)
    while turn and len(shown) < max_items:
        still = []
        for group in turn:
            if len(shown) >= max_items:
                break
            queue = by_source[group.source]
            if not queue:
                continue
            line = item_line(queue[0])
            cost = len(line) + (2 if lines[group.source] else 0)
            limit = DESCRIPTION_LIMIT - reserve[group.source]
            if cost > budget or used[group.source] + cost > limit:
                continue
            shown.append(queue.popleft())
            lines[group.source].append(line)
            used[group.source] += cost
            budget -= cost
            still.append(group)
        turn = still

    cards = []
    for group in active:
        text = "\n\n".join(lines[group.source])
        left = len(by_source[group.source])
        if left:
            text = (text + "\n\n" if text else "") + _more_line(left, group)
        if group.source == CLINICALTRIALS:
            text = (text + "\n\n" if text else "") + f"*{REGISTRY_NOTE}*"
        cards.append(Card(title=group.title, description=text, url=group.url, colour=group.colour))
    if folded:
        cards.append(Card(title=fold_card_title, description="\n".join(fold_lines)))
    cards[-1] = replace(cards[-1], footer=footer)

    more = [t for g in groups for t in by_source.get(g.source, ())]
    covered = [*shown, *more, *choice.duplicates]
    content = _headline(shown, more, local)
    return Digest(Message(content=content, cards=tuple(cards)), shown, more, covered)


def item_line(tracked: Tracked) -> str:
    """`**[Title](link)**` then what it is: study type, journal or status, date."""
    item = tracked.item
    title = escape_markdown(shorten(item.title, TITLE_CHARS))
    url = safe_url(item.url)
    head = f"**[{title}]({url})**" if url else f"**{title}**"
    parts: list[str] = []
    if item.source == CLINICALTRIALS:
        parts.append("Updated" if tracked.is_update else "Newly registered")
        if item.detail:
            parts.append(escape_markdown(item.detail))
        if item.sponsor:
            parts.append(f"sponsor: {escape_markdown(shorten(item.sponsor, 80))}")
        if item.news_date:
            parts.append(f"updated {format_date(item.news_date)}")
    else:
        kind = label(item.kind)
        parts.append(f"{kind} (guessed from the title)" if item.kind_guessed else kind)
        if item.detail:
            parts.append(escape_markdown(shorten(item.detail, 120)))
        elif item.news_date:
            parts.append(format_date(item.news_date))
    hype = hype_word(item.title)
    if hype:
        parts.append(f'words like "{hype}" are the authors\', not ours')
    return f"{head}\n{' · '.join(parts)}"


def _more_line(count: int, group: Group) -> str:
    return f"…and {count} more: [see the full list]({safe_url(group.url)})"


def _fold_line(group: Group, count: int) -> str:
    noun = "item" if count == 1 else "items"
    name = escape_markdown(shorten(group.title, 80))
    return f"**{name}**: {count} {noun}, [open]({safe_url(group.url)})"


def _headline(shown: list[Tracked], more: list[Tracked], local: datetime) -> str:
    everything = [*shown, *more]
    papers = sum(1 for t in everything if t.item.source == PUBMED)
    trials = [t for t in everything if t.item.source == CLINICALTRIALS]
    updated = sum(1 for t in trials if t.is_update)
    other = len(everything) - papers - len(trials)
    parts = []
    if papers:
        parts.append(f"{papers} new paper{'s' if papers != 1 else ''} on PubMed")
    if trials:
        new = len(trials) - updated
        bits = [f"{new} newly registered" if new else "", f"{updated} updated" if updated else ""]
        parts.append(f"{' and '.join(b for b in bits if b)} trial{'s' if len(trials) != 1 else ''}")
    if other:
        parts.append(f"{other} from news feeds")
    summary = ", ".join(parts) or "nothing new"
    return (
        f"**Research digest, {local.day} {local:%B %Y}**: {summary}. "
        "Each item says what kind of study it is; a lab or animal study is an early step, "
        "not evidence that a treatment works in people."
    )


_MARKDOWN = re.compile(r"([\\*_~|`\[\]>])")


def escape_markdown(text: str) -> str:
    """Quoted text must not format, link or mention: escape markdown, defuse `@`."""
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@\u200b")


def safe_url(url: str) -> str:
    """Only web links, with the characters that would end a Markdown link encoded."""
    if not url.startswith(("http://", "https://")):
        return ""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace(">", "%3E")


def format_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\((\S*?)\)")
_UNESCAPE = re.compile(r"\\([\\*_~|`\[\]>])")


def message_text(message: Message) -> str:
    """The message as plain terminal text: links as `title <url>`, no markdown."""
    blocks = [_plain(message.content)]
    for card in message.cards:
        lines = [f"== {card.title} ==" + (f" <{card.url}>" if card.url else "")]
        if card.description:
            lines.append(_plain(card.description))
        lines.extend(f"{f.name}: {_plain(f.value)}" for f in card.fields)
        if card.footer:
            lines.append(f"-- {card.footer}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _plain(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", text)
    text = text.replace("**", "")
    return _UNESCAPE.sub(r"\1", text).replace("\u200b", "")


def status_card(
    statuses: Sequence[SourceStatus],
    *,
    next_run: datetime | None,
    zone: ZoneInfo,
    channel_configured: bool,
) -> Card:
    """Each source's state and last success, and when the next digest is due."""
    if next_run is not None:
        local = next_run.astimezone(zone)
        lines = [f"Next digest: {local:%a} {local.day} {local:%b %Y %H:%M} ({zone.key})."]
    else:
        lines = ["No digest is scheduled (the digest is turned off)."]
    if not channel_configured:
        lines.append("No digest channel is set: add `[digest] channel_id` to the settings.")
    if not statuses:
        lines.append("No sources are turned on.")
    fields = []
    for status in statuses[:25]:
        if status.last_success:
            when = status.last_success.astimezone(zone)
            success = f"last success {when.day} {when:%b %Y %H:%M}"
        else:
            success = "no success yet"
        if status.state == "ok":
            value = f"OK, {success}"
        elif status.state == "disabled":
            value = (
                f"Paused after {status.failures} failed runs, {success}. "
                "`/digest now` tries it again."
            )
        else:
            noun = "run" if status.failures == 1 else "runs"
            value = f"Failing ({status.failures} {noun} in a row), {success}"
        if status.last_error and status.state != "ok":
            value += f"\nLast error: {status.last_error}"
        fields.append(CardField(shorten(status.name, 256), shorten(value, 1024)))
    return Card(title="Research digest status", description="\n".join(lines), fields=tuple(fields))

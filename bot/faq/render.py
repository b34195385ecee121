"""FAQ entries as cards: the one place that decides what a member sees.

The validator renders every entry with these same functions, so "within Discord's limits" is
checked on exactly what will be sent rather than on an estimate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from bot.card import FIELD_VALUE_LIMIT, Button, Card, CardField, shorten
from bot.faq.model import FaqEntry, Source

FAQ_COLOUR = 0x3B7EA1
NO_ANSWER_COLOUR = 0x8A8F98
DISCLAIMER = "General information, not medical advice: talk to your MS team about your own care."
SOURCES_FIELD = "Sources"
RELATED_FIELD = "Related topics"


_BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+[.)] |#|>|\|)")


def reflow(markdown: str) -> str:
    """Join hard-wrapped lines back into paragraphs and list items.

    Admins wrap lines in their editor; Discord shows every newline, which would break
    sentences in the middle. Blank lines, list items, headings and quotes are kept.
    """
    lines: list[str] = []
    joinable = False
    for raw in markdown.strip().splitlines():
        line = raw.rstrip()
        if not line.strip():
            lines.append("")
            joinable = False
        elif joinable and not _BLOCK_START.match(line):
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line)
            joinable = not line.lstrip().startswith(("#", "|"))
    return "\n".join(lines)


def plain(text: str) -> str:
    """Member text shown inside a card: no Markdown effects, no mentions."""
    text = re.sub(r"([\\*_`~|>\[\]])", r"\\\1", text)
    return text.replace("@", "@\u200b")


def source_link(source: Source) -> str:
    """A Markdown link that survives brackets in titles and parentheses in DOIs."""
    title = source.title.replace("[", "(").replace("]", ")")
    url = source.url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{title}]({url})"


def review_note(entry: FaqEntry) -> str:
    """Who vouches for an entry, in words that claim no more than happened: only a named
    clinician's reading is a review; otherwise an admin checked it against its sources."""
    when = entry.reviewed.isoformat()
    if entry.reviewed_by:
        return f"Reviewed by {entry.reviewed_by} on {when}"
    return f"Checked against sources on {when}"


def topic_line(entry_id: str, title: str) -> str:
    return f"• {title} (`{entry_id}`)"


def answer_card(entry: FaqEntry, titles: Mapping[str, str]) -> Card:
    """The answer as `/faq` shows it. `titles` maps ids to titles for the related topics;
    related ids missing from it are left out, so a half-broken set still renders."""
    fields = [CardField(SOURCES_FIELD, "\n".join(f"• {source_link(s)}" for s in entry.sources))]
    related = [topic_line(rid, titles[rid]) for rid in entry.related if rid in titles]
    if related:
        fields.append(CardField(RELATED_FIELD, "\n".join(related)))
    return Card(
        title=entry.title,
        description=reflow(entry.body),
        fields=tuple(fields),
        footer=f"{review_note(entry)} · {DISCLAIMER}",
        colour=FAQ_COLOUR,
    )


def feedback_buttons(entry_id: str) -> tuple[Button, ...]:
    """Helpful / Not helpful under an answer (custom_id `faq:<entry>:<vote>`)."""
    return (
        Button("Helpful", f"faq:{entry_id}:helpful", "success"),
        Button("Not helpful", f"faq:{entry_id}:unhelpful", "secondary"),
    )


def no_answer_card(closest: Sequence[FaqEntry]) -> Card:
    """What `/ask` shows when it would rather not guess."""
    lines = [
        "I couldn't find an FAQ answer that fits your question well, and I'd rather say so "
        "than guess. Your question has been noted so the people who write the FAQ can see "
        "what is missing.",
    ]
    if closest:
        lines += ["", "These topics are the closest I have:"]
        lines += [topic_line(entry.id, entry.title) for entry in closest]
        lines += [
            "",
            "Open one with `/faq` and the name in brackets, or try asking in other words.",
        ]
    lines += [
        "",
        "For anything about your own health or treatment, your neurologist or MS nurse is the "
        "best person to ask.",
    ]
    return Card(
        title="I don't have a good answer to that yet",
        description="\n".join(lines),
        footer=DISCLAIMER,
        colour=NO_ANSWER_COLOUR,
    )


def empty_faq_card() -> Card:
    """What a member is told while the FAQ has no entries (none written, or all broken)."""
    return Card(
        title="The FAQ is empty",
        description=(
            "The FAQ has no entries at the moment, so I have no answer to give yet. "
            "The admins have been told in the bot's log.\n\n"
            "For anything about your own health or treatment, your neurologist or MS nurse is "
            "the best person to ask."
        ),
        footer=DISCLAIMER,
        colour=NO_ANSWER_COLOUR,
    )


def bullet_field(name: str, lines: Sequence[str], empty: str) -> CardField:
    """A field of bullet lines that stops before Discord's 1,024 characters."""
    value = ""
    for line in lines:
        candidate = f"{value}\n• {line}" if value else f"• {line}"
        if len(candidate) > FIELD_VALUE_LIMIT:
            break
        value = candidate
    return CardField(name, value or empty)


def stats_card(
    *,
    total: int,
    answered: int,
    most_asked: Sequence[tuple[str, int]],
    unanswered: Sequence[tuple[str, int]],
    helpfulness: Sequence[tuple[str, int, int]],
    title_of: Callable[[str], str],
) -> Card:
    """Admins' view of what members ask and what the FAQ is missing."""
    rate = f"{answered / total:.0%}" if total else "n/a"
    description = f"{total} questions asked, {answered} answered ({rate})."
    asked = [f"{title_of(entry_id)} — {count}" for entry_id, count in most_asked]
    missing = [f"{plain(shorten(text, 90))} — {count}" for text, count in unanswered]
    helpful = [
        f"{title_of(entry_id)} — {yes} helpful, {no} not ({yes / (yes + no):.0%})"
        for entry_id, yes, no in helpfulness
        if yes + no
    ]
    return Card(
        title="FAQ statistics",
        description=description,
        fields=(
            bullet_field("Most asked", asked, "Nothing asked yet."),
            bullet_field("Most frequent unanswered", missing, "No unanswered questions."),
            bullet_field("Helpfulness per entry", helpful, "No feedback yet."),
        ),
        colour=FAQ_COLOUR,
    )

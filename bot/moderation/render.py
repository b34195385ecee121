"""What moderators see: review posts for flags (card, buttons, the crisis alert line), the
queue, a flag's history, a preview.

Members are shown as `<@id>` mentions inside cards. A card becomes an embed, and embeds never
ping, so moderators see who wrote a message without anyone being notified; the excerpt is also
defused (`@everyone` cannot survive even if a card were printed as plain text somewhere).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.card import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    Button,
    ButtonStyle,
    Card,
    CardField,
    Message,
    shorten,
)
from bot.moderation import outcomes
from bot.moderation.detector import Detection
from bot.moderation.lifecycle import ACTIONS
from bot.moderation.model import (
    DETECTED,
    ERASED_MEMBER,
    MEMBER_REPORT,
    MESSAGE,
    RESOLVE_AS,
    Flag,
    FlagEvent,
    jump_url,
    member_mention,
)

COLOURS = {
    "crisis": 0xC62828,
    "advice": 0xF9A825,
    "promotion": 0x6A1B9A,
    MEMBER_REPORT: 0x1565C0,
    "resolved": 0x2E7D32,
    "dismissed": 0x757575,
}
TITLES = {
    "crisis": "🚨 Possible crisis",
    "advice": "Request for personal medical advice",
    "promotion": "Clinic promotion",
    MEMBER_REPORT: "Reported by a member",
}
GUIDANCE = {
    "crisis": (
        "The member was sent crisis resources. Please check in with them kindly and soon; "
        "if anyone is in immediate danger, local emergency services come first."
    ),
    "advice": (
        "The member may be asking for personal medical advice. The bot has not given any; "
        "it may have pointed them to the FAQ and their own clinicians."
    ),
    "promotion": (
        "The message may market an unproven stem-cell treatment. The bot may have replied "
        "once with the warning signs; Delete and Timeout act on the member's message."
    ),
    MEMBER_REPORT: "A member asked moderators to look at this message.",
}
EVENT_LABELS = {
    "created": "raised",
    "auto_reply": "replied to the member (advice)",
    "promotion_reply": "replied with the warning signs (promotion)",
    "delete_message": "deleted the message",
    "copies_joined": "joined copies of the message",
    "timeout_author": "timed out the author",
    "crisis_reply": "sent the crisis resources",
    "claim": "claimed",
    "resolve": "resolved",
    "dismiss": "dismissed",
    "note": "added a note",
    "reported": "reported",
    "edited": "re-evaluated",
    "message_deleted": "removed the excerpt (message deleted)",
    "excerpt_expired": "removed the excerpt (retention period)",
}
BUTTONS: dict[str, tuple[str, ButtonStyle]] = {
    "claim": ("Claim", "primary"),
    "resolve": ("Resolve", "success"),
    "dismiss": ("Dismiss (false positive)", "secondary"),
    "note": ("Note", "secondary"),
}
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\*_~`|>[]()#"})


def defuse(text: str) -> str:
    """Member text made inert: no mass mentions, no markdown that changes the card."""
    text = " ".join(text.split()).translate(_MARKDOWN)
    for word in ("@everyone", "@here"):
        text = text.replace(word, word[0] + "\u200b" + word[1:])
    return text.replace("<@", "<\u200b@")


def state_line(flag: Flag) -> str:
    if flag.state == "open":
        return "Open: nobody has claimed it yet"
    if flag.state == "claimed":
        return f"Claimed by {member_mention(flag.claimed_by or ERASED_MEMBER)}"
    who = f" by {member_mention(flag.closed_by)}" if flag.closed_by is not None else ""
    if flag.state == "dismissed":
        return f"Dismissed{who} (false positive)"
    if flag.resolved_category and flag.resolved_category != flag.category:
        return f"Resolved as {flag.resolved_category}{who}"
    return f"Resolved{who}"


def excerpt_text(flag: Flag) -> str:
    if flag.excerpt:
        return "> " + defuse(flag.excerpt)
    if flag.excerpt_removed == "deleted":
        return "Removed: the member deleted the message."
    if flag.excerpt_removed == "expired":
        return "Removed after the retention period (privacy)."
    return "No text."


def review_card(flag: Flag) -> Card:
    title = f"{TITLES.get(flag.category, flag.category)} · flag #{flag.id}"
    colour = COLOURS.get(flag.state if flag.closed else flag.category, COLOURS[MEMBER_REPORT])
    reasons = "\n".join(f"• {r}" for r in flag.reasons) or "—"
    if flag.origin == MESSAGE:
        message = f"[Jump to message]({flag.jump_url})"
        if flag.excerpt_removed == "deleted":
            message += " (deleted by the member)"
    else:
        message = f"Typed into {flag.origin} in <#{flag.channel_id}>; only the member saw it."
    fields = [
        CardField("Author", f"<@{flag.author_id}>", inline=True),
        CardField("Channel", f"<#{flag.channel_id}>", inline=True),
        CardField("Score", f"{flag.score:.2f}", inline=True),
        CardField("Why", shorten(reasons, FIELD_VALUE_LIMIT)),
        CardField("Message", message),
        CardField("Excerpt", shorten(excerpt_text(flag), FIELD_VALUE_LIMIT)),
        CardField("State", state_line(flag)),
    ]
    if flag.copies:
        lines = [
            f"<#{channel_id}> [jump]({jump_url(flag.guild_id, channel_id, message_id)})"
            for channel_id, message_id in flag.copies[:10]
        ]
        more = len(flag.copies) - 10
        text = "\n".join(lines) + (f"\nand {more} more" if more > 0 else "")
        fields.append(CardField(f"Also posted ({len(flag.copies)})", text))
    if flag.reporters:
        shown = " ".join(f"<@{r}>" for r in flag.reporters[:10])
        more = len(flag.reporters) - 10
        fields.append(CardField("Reported by", shown + (f" and {more} more" if more > 0 else "")))
    if flag.note_count:
        latest = defuse(flag.last_note or "")
        fields.append(
            CardField(
                f"Notes ({flag.note_count})",
                shorten(f"Latest: {latest}", FIELD_VALUE_LIMIT),
            )
        )
    return Card(
        title=title,
        description=GUIDANCE.get(flag.category, ""),
        fields=tuple(fields),
        footer=f"Flag #{flag.id} · {flag.category} · raised {flag.created_at} UTC",
        colour=colour,
    )


PROMOTION_BUTTONS: dict[str, tuple[str, ButtonStyle]] = {
    "delete": ("Delete message", "danger"),
    "timeout": ("Timeout author", "danger"),
}
# What each message action needs from Discord: (discord.py's name, the name in Discord's UI).
NEEDS: dict[str, tuple[str, str]] = {
    "delete": ("manage_messages", "Manage Messages"),
    "timeout": ("moderate_members", "Moderate Members"),
}


def review_buttons(flag: Flag, lacking: Collection[str] = ()) -> tuple[Button, ...]:
    """Claim, Resolve, Dismiss, Note (custom_id `flag:<id>:<action>`); all off once closed.

    A promotion flag also has Delete message and Timeout author (`flag:<id>:delete`,
    `flag:<id>:timeout`), which act on the member's message rather than on the flag. When the
    bot lacks the permission one needs (`lacking`, discord.py's names), its label says so in
    advance; it stays clickable so that a click can explain how to fix it.

    A detector flag's Resolve confirms its category; "Resolve as ..." (`flag:<id>:resolve-<c>`,
    a row of its own) says the message was something else, so that `/flags stats` counts the
    detector's mistake and the category it missed. A member report has "Resolve: <c>" instead.
    """
    detector = flag.category in DETECTED
    buttons = [
        Button(
            label=BUTTONS[action][0],
            custom_id=f"flag:{flag.id}:{action}",
            style=BUTTONS[action][1],
            disabled=flag.closed or (action == "claim" and flag.state == "claimed"),
            row=0 if detector else None,
        )
        for action in ACTIONS
    ]
    if flag.category == MEMBER_REPORT:
        # What the moderator confirms the report was: a report resolved as crisis counts as
        # a crisis the detector missed (`outcomes`); plain Resolve is "other".
        buttons[1:2] = [
            Button(
                label=f"Resolve: {category}",
                custom_id=f"flag:{flag.id}:resolve-{category}",
                style="success",
                disabled=flag.closed,
            )
            for category in RESOLVE_AS
        ]
    if flag.category == "promotion" and flag.origin == MESSAGE:
        gone = flag.excerpt_removed == "deleted"
        for action, (label, style) in PROMOTION_BUTTONS.items():
            permission, shown = NEEDS[action]
            if permission in lacking:
                label, style = f"{label} (bot needs {shown})", "secondary"
            buttons.append(
                Button(
                    label=label,
                    custom_id=f"flag:{flag.id}:{action}",
                    style=style,
                    disabled=flag.closed or (action == "delete" and gone),
                    row=1,
                )
            )
    if detector:
        buttons += [
            Button(
                label=f"Resolve as {category}",
                custom_id=f"flag:{flag.id}:resolve-{category}",
                style="secondary",
                disabled=flag.closed,
                row=2,
            )
            for category in RESOLVE_AS
            if category != flag.category
        ]
    return tuple(buttons)


def stats_card(windows: Sequence[outcomes.WindowStats]) -> Card:
    """`/flags stats`: one table per window, in a code block so the columns line up."""
    fields = tuple(
        CardField(f"Last {w.days} days", f"```\n{outcomes.table(w)}\n```") for w in windows
    )
    return Card(
        title="Flags: what moderators decided",
        description=(
            "Per category, over the flags raised in the window. Confirmed: resolved as that "
            "category. Dismissed: a false positive (or resolved as another category). Missed: "
            "resolved as that category though the detector had not said so (mostly member "
            "reports). Precision: confirmed / (confirmed + dismissed)."
        ),
        fields=fields,
        footer="`python bot.py flags export` writes these decisions as rows for retraining.",
    )


def model_notice(failure: str) -> str:
    """The one post telling moderators the learned classifier is off (it pings nobody)."""
    return (
        "The learned message classifier could not be loaded, so moderation runs on its rules "
        f"alone until it is fixed: {defuse(failure)}. Crisis, advice and promotion are still "
        "flagged by the rules; the bot's admin can check `[models]` in settings.toml. "
        "This is said once per problem."
    )


def alert_text(flag: Flag, roles: Sequence[int]) -> str:
    """The one line that pings the moderator roles about a possible crisis."""
    mentions = " ".join(f"<@&{role}>" for role in roles)
    return f"{mentions} possible crisis, flag #{flag.id}: please check in with the member."


def review_message(
    flag: Flag, ping_roles: Sequence[int] = (), lacking: Collection[str] = ()
) -> Message:
    """The review post: the card and its buttons, and the alert line if it pings."""
    roles = tuple(ping_roles)
    return Message(
        content=alert_text(flag, roles) if roles else "",
        cards=(review_card(flag),),
        buttons=review_buttons(flag, lacking),
        ping_role_ids=roles,
    )


def queue_card(flags: Sequence[Flag], state: str | None, total: int) -> Card:
    """The queue for `/flags list`: one line per flag, oldest open first, with links."""
    what = state or "open or claimed"
    title = f"Flags: {total} {what}"
    if not flags:
        return Card(title=title, description="Nothing here. Thank you for looking after people.")
    lines, used = [], 0
    for index, flag in enumerate(flags):
        claimer = member_mention(flag.claimed_by or ERASED_MEMBER)
        line = (
            f"**#{flag.id}** {flag.category} · {flag.state}"
            + (f" by {claimer}" if flag.state == "claimed" else "")
            + f" · <@{flag.author_id}> in <#{flag.channel_id}> · [jump]({flag.jump_url})"
            + f" · {flag.created_at[:16].replace('T', ' ')}"
        )
        rest = len(flags) - index
        if used + len(line) + 40 > DESCRIPTION_LIMIT:
            lines.append(f"… and {rest} more")
            break
        lines.append(line)
        used += len(line) + 1
    shown = len(flags)
    footer = f"Showing {shown} of {total}." if total > shown else None
    return Card(title=title, description="\n".join(lines), footer=footer)


def history_card(flag: Flag, events: Sequence[FlagEvent]) -> Card:
    """The audit trail of one flag, newest last, for `/flags show`."""
    lines = []
    for event in events:
        who = member_mention(event.actor_id) if event.actor_id is not None else "the bot"
        change = (
            f" ({event.from_state} → {event.to_state})"
            if event.from_state != event.to_state and event.to_state
            else ""
        )
        note = f": {defuse(event.note)}" if event.note else ""
        label = EVENT_LABELS.get(event.action, event.action)
        lines.append(f"`{event.at[:16].replace('T', ' ')}` {label} by {who}{change}{note}")
    text = "\n".join(lines) or "No events."
    if len(text) > DESCRIPTION_LIMIT:
        text = "…\n" + text[-(DESCRIPTION_LIMIT - 2) :].split("\n", 1)[-1]
    return Card(title=f"History of flag #{flag.id}", description=text)


def preview_card(text: str, detection: Detection) -> Card | None:
    """What moderators would see for `text`, without storing anything (console, tests)."""
    if not detection.flagged:
        return None
    reasons = "\n".join(f"• {r}" for r in detection.reasons) or "—"
    return Card(
        title=f"Would flag: {TITLES.get(detection.category, detection.category)}",
        description=GUIDANCE.get(detection.category, ""),
        fields=(
            CardField("Score", f"{detection.score:.2f}", inline=True),
            CardField("Why", shorten(reasons, FIELD_VALUE_LIMIT)),
            CardField("Excerpt", shorten("> " + defuse(text), 200 + 2)),
        ),
        footer="Preview only: nothing was stored or posted.",
        colour=COLOURS.get(detection.category),
    )

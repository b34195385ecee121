"""What the bot says to a member whose message was flagged.

The words matter more than the code: a member asking "should I stop my meds?" must come away
feeling welcome, not told off, and pointed at the people who can actually answer (their own
clinicians). The bot informs and points; it never advises, and it never names a treatment choice.
"""

from __future__ import annotations

from bot.card import MESSAGE_LIMIT, shorten

ADVICE_REPLY = (
    "Thanks for asking. You're very welcome to talk it through here.\n"
    "What we can't do as a community is give personal medical advice. Whether to start, stop "
    "or change a treatment, or what a symptom means, depends on a person's own history. "
    "Their neurologist, MS nurse or family doctor (GP) know it best. It's always fine to ask them, "
    "even between appointments. Please don't stop or change a medicine before talking to "
    "them.\n"
    "{faq}\n"
    "If you have new or worsening symptoms, or anything feels urgent, please call your care "
    "team or your local emergency number."
)
FAQ_MATCH = (
    "Some background that may help you prepare questions: **{title}** "
    "(type `/faq topic:{id}` to open it)."
)
FAQ_NONE = (
    "Our FAQ (`/faq`) has background on stem-cell treatments. It may help you prepare "
    "questions for them."
)

# Above an FAQ answer to an `/ask` that sounds like a request for personal advice.
ADVICE_NOTE = (
    "A gentle note: we can't give personal medical advice here. Whether to start, stop or "
    "change a treatment depends on your own history. Your neurologist, MS nurse or family "
    "doctor (GP) know it best, and it's always fine to ask them, even between appointments. "
    "Please don't stop or change a medicine before talking to them. Below is general "
    "background that may help you prepare your questions."
)

# The crisis reply is the admins' `crisis_message` (the resources) and lines the bot adds
# itself, because only the bot knows whether they are true: it says moderators were told
# only once the review post has actually reached the review channel (safe-messaging
# guidance: never promise what may not happen; a moderator may not be online).
CRISIS_FASTEST = "These numbers are the fastest way to reach a person right now."
CRISIS_TOLD = "I've also let this server's moderators know. They may not be online straight away."
# In the channel when the resources went by direct message: short, kind, pings nobody.
CRISIS_PUBLIC = (
    "I'm this server's bot. I've sent you a direct message with ways to reach someone who "
    "can help right now. You're not alone."
)


def crisis_reply(resources: str, *, told: bool) -> str:
    """The resources, then what is true about who else knows."""
    lines = [resources.strip(), CRISIS_FASTEST]
    if told:
        lines.append(CRISIS_TOLD)
    return "\n".join(lines)


REPORT_THANKS = (
    "Thank you for telling us. I'm passing it to the moderators, and a person will look at "
    "it. You don't need to do anything else."
)
# No review channel is set: a report reaches no one, so the member must not be told it does.
REPORT_NOWHERE = (
    "Thank you for telling us. This server hasn't set up a place for reports yet, so I can't "
    "pass it on. Please message a moderator directly."
)
# Added for the reporter when the reported message sounds like a crisis.
REPORT_CRISIS = (
    "If you think someone is in danger right now, their local emergency number is the fastest "
    "way to get them help."
)
REPORT_AGAIN = "Thank you. You had already reported this message."
REPORT_SELF = (
    "That's your own message, so there's nothing to report. If you'd like a moderator to "
    "check in with you, or you're having a hard time, you're always welcome to message one "
    "directly."
)
REPORT_BOT = (
    "That message was posted by a bot, so there's nothing for moderators to review. "
    "Thanks for looking out for the community!"
)
REPORT_DISABLED = "Reports are switched off on this server right now. Please message a moderator."
REPORT_NO_GUILD = "Reports only work for messages in a server."


def advice_reply(entry: tuple[str, str] | None) -> str:
    """The gentle reply; `entry` is the closest FAQ entry's (id, title), named so one command
    opens it."""
    entry_id, title = entry or ("", "")
    title = " ".join(title.split()).replace("*", "")
    entry_id = "".join(c for c in entry_id if c.isalnum() or c == "-")
    if title and entry_id:
        faq = FAQ_MATCH.format(title=shorten(title, 150), id=entry_id)
    else:
        faq = FAQ_NONE
    return shorten(ADVICE_REPLY.format(faq=faq), MESSAGE_LIMIT)


# Under a message that looks like an offer of treatment: calm, no accusation, pings nobody.
# The command is spelled as Discord takes it (the console shows it as it is typed there).
PROMOTION_REPLY = (
    "This looks like an offer of a stem-cell treatment. Before you consider any clinic, the "
    "ISSCR's warning signs are worth a look: treatments sold directly to patients without a "
    "registered trial, claims that one therapy treats many conditions, testimonials instead "
    "of published results, and high prices paid up front. Your own neurologist can help you "
    "weigh any offer. More in `/faq topic:unproven-clinics`."
)


# To a moderator whose Delete or Timeout click the bot cannot carry out.
_CANNOT = {
    "delete": "I can't delete messages in <#{channel}> yet",
    "timeout": "I can't time members out on this server yet",
}


def missing_permission(action: str, permission: str, channel_id: int) -> str:
    """Kind and actionable: what is missing, where an admin adds it, and that nothing broke."""
    text = (
        _CANNOT[action].format(channel=channel_id)
        + f": the bot's role needs the **{permission}** permission. An admin can add it in "
        "Server Settings > Roles (or in the channel's permissions), then click again. "
        "Nothing was changed; the flag stays open for you."
    )
    if action == "timeout":
        text += " Discord also lets the bot time out only members whose roles are below its own."
    return text

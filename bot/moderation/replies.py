"""What the bot says to a member whose message was flagged.

The words matter more than the code: a member asking "should I stop my meds?" must come away
feeling welcome, not told off, and pointed at the people who can actually answer (their own
clinicians). The bot informs and points; it never advises, and it never names a treatment choice.
"""

from __future__ import annotations

from bot.card import MESSAGE_LIMIT, shorten

ADVICE_REPLY = (
    "Thanks for asking, and you're very welcome to talk it through here. One thing we can't "
    "do as a community is give personal medical advice: whether to start, stop or change a "
    "treatment, or what a symptom means, depends on a person's own history, and their "
    "neurologist, MS nurse or GP are the ones who know it. It's always fine to contact them "
    "with a question like this, even between appointments.\n"
    "{faq}\n"
    "If anything feels urgent, please call your care team or your local emergency number."
)
FAQ_MATCH = "Some background that may help you prepare questions: **{title}** (see `/faq`)."
FAQ_NONE = (
    "Our FAQ (`/faq`) has background on stem-cell treatments that may help you prepare "
    "questions for them."
)

# Above an FAQ answer to an `/ask` that sounds like a request for personal advice.
ADVICE_NOTE = (
    "A gentle note: we can't give personal medical advice here. Whether to start, stop or "
    "change a treatment depends on your own history, and your neurologist, MS nurse or GP "
    "are the ones who know it; it's always fine to ask them, even between appointments. "
    "Below is general background that may help you prepare your questions."
)

REPORT_THANKS = (
    "Thank you for telling us. The moderators have been told and a person will look at it. "
    "You don't need to do anything else."
)
REPORT_AGAIN = "Thank you. You had already reported this message; the moderators have it."
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


def advice_reply(faq_title: str | None) -> str:
    title = " ".join((faq_title or "").split()).replace("*", "")
    faq = FAQ_MATCH.format(title=shorten(title, 150)) if title else FAQ_NONE
    return shorten(ADVICE_REPLY.format(faq=faq), MESSAGE_LIMIT)


# Under a message that looks like an offer of treatment: calm, no accusation, pings nobody.
PROMOTION_REPLY = (
    "This looks like an offer of a stem-cell treatment. Before you consider any clinic, the "
    "ISSCR's warning signs are worth a look: treatments sold directly to patients without a "
    "registered trial, claims that one therapy treats many conditions, testimonials instead "
    "of published results, and high prices paid up front. Your own neurologist can help you "
    "weigh any offer. More in `/faq unproven-clinics`."
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

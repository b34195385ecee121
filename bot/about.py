"""What the bot says about itself, for `/about` and the console's `/about`."""

from __future__ import annotations

from bot import __version__
from bot.app import App
from bot.card import Card, CardField
from bot.moderation.checkup import setup_warnings

DISCLAIMER = (
    "I am a bot, not a doctor. I share general, sourced information about stem-cell research "
    "in MS. Nothing I say is medical advice for you or anyone you care for: please talk to "
    "your own neurologist or MS nurse before changing anything about your treatment."
)


def about_card(app: App, *, admin: bool = False) -> Card:
    """The card members see; an admin also sees what is missing from the moderation setup
    (the answer is private, so no member ever reads it)."""
    version = app.faq.version()
    reviewed = version.newest_review.isoformat() if version.newest_review else "not yet"
    fields = [
        CardField(
            "What I can do",
            "`/faq` answers from a curated, cited FAQ\n"
            "`/ask` finds the FAQ entry closest to your question\n"
            "`/digest latest` shows the latest research digest\n"
            "`/trials` lists stem-cell trials recruiting near a place (only you see them)\n"
            "Right-click a message > Apps > *Report to moderators* to ask a human to look",
        ),
        CardField("Not medical advice", DISCLAIMER),
        CardField("FAQ version", f"{version.count} entries, last checked {reviewed}"),
    ]
    warnings = setup_warnings(app.settings.moderation) if admin else []
    if warnings:
        text = "\n".join(f"• {w}" for w in warnings)
        fields.append(CardField("Setup to finish (only admins see this)", text[:1024]))
    return Card(
        title="About this bot",
        description=(
            "I help this community find trustworthy information about stem-cell therapies for "
            "multiple sclerosis: mesenchymal stem cells (MSCs), which are still experimental, "
            "and autologous haematopoietic stem cell transplantation (aHSCT)."
        ),
        fields=tuple(fields),
        footer=f"ms-stemcell-bot {__version__}",
    )

"""What the bot says about itself, for `/about` and the console's `/about`."""

from __future__ import annotations

from bot import __version__
from bot.app import App
from bot.card import Card, CardField

DISCLAIMER = (
    "I am a bot, not a doctor. I share general, sourced information about stem-cell research "
    "in MS. Nothing I say is medical advice for you or anyone you care for: please talk to "
    "your own neurologist or MS nurse before changing anything about your treatment."
)


def about_card(app: App) -> Card:
    version = app.faq.version()
    reviewed = version.newest_review.isoformat() if version.newest_review else "not yet"
    return Card(
        title="About this bot",
        description=(
            "I help this community find trustworthy information about stem-cell therapies for "
            "multiple sclerosis: mesenchymal stem cells (MSCs), which are still experimental, "
            "and autologous haematopoietic stem cell transplantation (aHSCT)."
        ),
        fields=(
            CardField(
                "What I can do",
                "`/faq` answers from a curated, cited FAQ\n"
                "`/ask` finds the FAQ entry closest to your question\n"
                "`/digest latest` shows the latest research digest\n"
                "`/trials` lists stem-cell trials recruiting near a place (only you see them)\n"
                "Right-click a message > Apps > *Report to moderators* to ask a human to look",
            ),
            CardField("Not medical advice", DISCLAIMER),
            CardField("FAQ version", f"{version.count} entries, newest medical review {reviewed}"),
        ),
        footer=f"ms-stemcell-bot {__version__}",
    )

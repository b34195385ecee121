"""What is missing from the moderation settings, said to the admins who can fix it.

Moderation can run half set up: without a review channel a flag reaches no one, and without
moderator roles no one is pinged for a crisis. The bot keeps working either way (the member
still gets the resources, and the reply never promises moderators who were not told), but the
admins must know: once in the log at start-up, and in `/about` for admins.
"""

from __future__ import annotations

import re

from bot.settings import ModerationSettings

# A crisis message that promises what the bot cannot know ("our moderators have been told").
_PROMISE = re.compile(
    r"moderators?\b[^.\n]{0,40}\b(told|notified|alerted|informed|know|check in)", re.IGNORECASE
)


def setup_warnings(settings: ModerationSettings) -> list[str]:
    """One short sentence per problem, each naming the key that fixes it."""
    if not settings.enabled:
        return []
    found = []
    if settings.review_channel_id is None:
        found.append(
            "[moderation] review_channel_id is not set: flags and reports reach no one, and a "
            "member in crisis is told only the helpline numbers"
        )
    if not settings.moderator_role_ids:
        found.append("[moderation] moderator_role_ids is empty: no one is pinged for a crisis")
    if _PROMISE.search(settings.crisis_message):
        found.append(
            "[moderation] crisis_message promises that moderators know: remove that sentence "
            "(the bot adds it itself, only once its alert has reached the review channel)"
        )
    return found

"""Getting the crisis resources to a member, and keeping every word of them true.

`[moderation] crisis_reply` says where the resources go: a reply in the channel ("channel"),
a direct message with only a short, kind line in the channel ("dm"), or both. A member whose
DMs are closed (Discord refuses with 50007) still gets them, as a reply in the channel: the
resources must never be lost to a privacy setting. The messages that carry the resources are
returned (and the service keeps their ids in SQLite) so that, once the review post has actually
reached the moderators, at once or by the one-minute retry, they can be edited to say so (and
only then: a reply that promises moderators who were never told is the one thing this reply
must not do).
"""

from __future__ import annotations

import logging

from bot.card import Message
from bot.chat import Chat, ChatError, MessageRef
from bot.moderation import replies
from bot.moderation.model import IncomingMessage

log = logging.getLogger(__name__)


async def send_resources(
    chat: Chat, where: str, message: IncomingMessage, text: str
) -> list[MessageRef]:
    """Send `text` (the resources) as `where` says; return the messages that carry it."""
    carriers: list[MessageRef] = []
    by_dm = False
    if where in ("dm", "both"):
        try:
            carriers.append(await chat.direct(message.author_id, Message(content=text)))
            by_dm = True
        except ChatError as exc:
            log.info(
                "crisis resources: the direct message was refused, replying in the channel",
                extra={"status": exc.status},
            )
    public = replies.CRISIS_PUBLIC if where == "dm" and by_dm else text
    try:
        ref = await chat.reply(
            MessageRef(message.channel_id, message.message_id), Message(content=public)
        )
    except ChatError as exc:
        log.warning("could not reply to a crisis message", extra={"status": exc.status})
    else:
        if public == text:
            carriers.append(ref)
    return carriers


async def confirm(chat: Chat, carriers: list[MessageRef], text: str) -> None:
    """Edit the messages carrying the resources to `text` (which says the moderators know)."""
    for ref in carriers:
        try:
            await chat.edit(ref, Message(content=text))
        except ChatError as exc:
            log.warning("could not update a crisis reply", extra={"status": exc.status})

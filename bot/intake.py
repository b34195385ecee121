"""Where every text a member gives the bot comes in: the crisis check first, then the feature.

A member in crisis may write it anywhere: in a channel, in `/ask`, in the free text of
`/faq`, in a message someone reports, in the console. So no front end decides what a text
is; each hands it here. A crisis always gets the crisis resources (privately, where the
command was) and one moderator alert in the review channel, exactly as a message does, and
its text is never kept as an FAQ question. A request for personal advice typed into `/ask`
still gets its FAQ answer, with a gentle note about asking one's own clinicians.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.card import Message
from bot.faq.service import FaqService
from bot.moderation import replies
from bot.moderation.model import IncomingMessage, Outcome
from bot.moderation.service import ModerationService


@dataclass(frozen=True)
class Answer:
    """What a command answers: the message, and whether only the member may see it."""

    message: Message
    private: bool
    outcome: Outcome | None = None  # the moderation outcome, when the text was flagged


class Intake:
    def __init__(self, faq: FaqService, moderation: ModerationService) -> None:
        self.faq = faq
        self.moderation = moderation

    async def message(self, message: IncomingMessage) -> Outcome:
        """A message posted in a channel: moderation replies and alerts as needed."""
        return await self.moderation.handle_message(message)

    async def edit(self, message: IncomingMessage) -> Outcome:
        return await self.moderation.handle_edit(message)

    async def report(self, message: IncomingMessage, reporter_id: int) -> Outcome:
        return await self.moderation.report(message, reporter_id)

    async def ask(self, typed: IncomingMessage) -> Answer:
        """`/ask`: the FAQ answer that fits, for the member's eyes only."""
        crisis = await self._crisis(typed)
        if crisis is not None:
            return crisis
        result = await self.faq.ask(typed.content)
        message = result.message
        if self.moderation.classify(typed.content).category == "advice":
            message = Message(
                content=replies.ADVICE_NOTE, cards=message.cards, buttons=message.buttons
            )
        return Answer(message, private=True)

    async def faq_topic(self, typed: IncomingMessage) -> Answer:
        """`/faq topic:`: an entry picked from the list is posted for the channel to see;
        anything else typed there is a question, answered privately like `/ask`."""
        entry = self.faq.get(typed.content)
        if entry is not None:
            return Answer(self.faq.answer(entry.id), private=False)
        crisis = await self._crisis(typed)
        if crisis is not None:
            return crisis
        result = self.faq.search(typed.content)
        if result.entry is None:
            return Answer(result.message, private=True)
        return Answer(self.faq.answer(result.entry.id), private=False)

    async def _crisis(self, typed: IncomingMessage) -> Answer | None:
        """The crisis check for typed text: resources for the member, an alert for moderators
        (through the same flag and review post a message gets)."""
        if self.moderation.classify(typed.content).category != "crisis":
            return None
        outcome = await self.moderation.handle_message(typed)
        # The review post is made before this returns, so the reply already says whether the
        # moderators know; without a new flag it promises nothing.
        text = outcome.reply or replies.crisis_reply(
            self.moderation.settings.crisis_message, told=False
        )
        return Answer(Message(content=text), private=True, outcome=outcome)

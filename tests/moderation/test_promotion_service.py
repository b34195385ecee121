"""What a promotion flag does: its review post, the calm reply, Delete and Timeout."""

from __future__ import annotations

from bot.card import Button, Message
from bot.chat import ChannelUnavailable, MessageRef
from bot.moderation import replies
from bot.moderation.service import ModerationService
from bot.storage import Database
from tests.moderation.conftest import (
    CHANNEL,
    Clock,
    FakeFaq,
    RecordingChat,
    message,
    settings,
)

OFFER = "Our clinic offers MSC packages from $15,000. WhatsApp me +52 998 123 4567"


async def test_promotion_gets_a_review_post_with_delete_and_timeout(
    service: ModerationService, chat: RecordingChat
) -> None:
    outcome = await service.handle_message(message(OFFER))
    assert outcome.flag is not None and outcome.flag.category == "promotion"
    [post] = chat.review_posts()
    assert post.cards[0].title.startswith("Clinic promotion")
    rows = [(b.row, b.label) for b in post.buttons]
    assert rows == [
        (0, "Claim"),
        (0, "Resolve"),
        (0, "Dismiss (false positive)"),
        (0, "Note"),
        (1, "Delete message"),
        (1, "Timeout author"),
        (2, "Resolve as crisis"),
        (2, "Resolve as advice"),
        (2, "Resolve as other"),
    ]
    assert post.problems() == []
    assert not post.ping_role_ids  # promotion pings no one


async def test_calm_reply_once_per_author_per_day(
    service: ModerationService, chat: RecordingChat, clock: Clock
) -> None:
    await service.handle_message(message(OFFER, message_id=1))
    await service.handle_message(message(OFFER + " today", message_id=2))
    assert [m.content for _, m in chat.replies] == [replies.PROMOTION_REPLY]
    assert "`/faq topic:unproven-clinics`" in replies.PROMOTION_REPLY
    assert "@" not in replies.PROMOTION_REPLY
    clock.advance(days=1, minutes=1)
    await service.handle_message(message(OFFER + " again", message_id=3))
    assert len(chat.replies) == 2


async def test_no_reply_when_switched_off(db: Database, clock: Clock) -> None:
    chat = RecordingChat()
    service = await ModerationService.create(
        settings(promotion_reply=False), db, faq=FakeFaq(), clock=clock, chat=chat
    )
    await service.handle_message(message(OFFER))
    assert chat.replies == [] and len(chat.review_posts()) == 1


async def test_delete_and_timeout_are_executed_and_recorded(
    service: ModerationService, chat: RecordingChat, clock: Clock
) -> None:
    outcome = await service.handle_message(message(OFFER, message_id=5))
    assert outcome.flag is not None
    flag_id = outcome.flag.id
    deleted = await service.act_on_message(flag_id, "delete", actor_id=9)
    assert deleted.ok, deleted.message
    assert chat.deleted == [MessageRef(CHANNEL, 5)]
    again = await service.act_on_message(flag_id, "delete", actor_id=9)
    assert not again.ok and "already deleted" in again.message
    assert not (await service.act_on_message(flag_id, "timeout", 9, minutes=0)).ok
    timed = await service.act_on_message(flag_id, "timeout", actor_id=9, minutes=60)
    assert timed.ok, timed.message
    [(user, until)] = chat.timeouts
    assert user == 77 and (until - clock.now).total_seconds() == 3600
    actions = [e.action for e in await service.history(flag_id)]
    assert "delete_message" in actions and "timeout_author" in actions


async def test_missing_permission_is_said_plainly(
    service: ModerationService, chat: RecordingChat
) -> None:
    outcome = await service.handle_message(message(OFFER))
    assert outcome.flag is not None

    async def refuse(ref: MessageRef) -> None:
        raise ChannelUnavailable("Missing Permissions", status=403)

    chat.delete = refuse  # type: ignore[method-assign]
    result = await service.act_on_message(outcome.flag.id, "delete", actor_id=9)
    assert not result.ok and "Manage Messages" in result.message


def test_a_row_of_more_than_five_buttons_is_a_problem() -> None:
    crowded = Message(buttons=tuple(Button(f"b{i}", f"id{i}", row=1) for i in range(6)))
    assert crowded.problems() == ["button row 1: 6 buttons (0-4, five a row)"]
    assert Message(buttons=(Button("b", "id", row=5),)).problems() == [
        "button row 5: 1 buttons (0-4, five a row)"
    ]

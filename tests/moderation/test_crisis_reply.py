"""The crisis reply in the core: where it goes, and that it only ever promises what is true."""

from __future__ import annotations

import re

import pytest

from bot.moderation import replies
from bot.moderation.service import ModerationService
from bot.settings import DEFAULT_CRISIS_MESSAGE
from bot.storage import Database
from tests.moderation.conftest import CHANNEL, Clock, RecordingChat, message, settings

CRISIS = "I can't do this any more, I have the pills in front of me"
UNTOLD = replies.crisis_reply(DEFAULT_CRISIS_MESSAGE, told=False)
TOLD = replies.crisis_reply(DEFAULT_CRISIS_MESSAGE, told=True)


async def make(
    db: Database, clock: Clock, chat: RecordingChat, **moderation: object
) -> ModerationService:
    return await ModerationService.create(settings(**moderation), db, clock=clock, chat=chat)


def test_the_default_resources_cover_each_country_and_fit_one_message() -> None:
    for line in ("**988**", "**741741**", "**116 123**", "**13 11 14**", "**1737**", "111"):
        assert line in DEFAULT_CRISIS_MESSAGE
    assert "I'm this server's bot" in DEFAULT_CRISIS_MESSAGE
    assert "someone you trust nearby" in DEFAULT_CRISIS_MESSAGE
    assert "moderator" not in UNTOLD.lower()
    assert TOLD == f"{UNTOLD}\n{replies.CRISIS_TOLD}" and len(TOLD) < 1000


@pytest.mark.parametrize("where", ["channel", "both"])
async def test_the_channel_reply_is_edited_once_the_review_post_exists(
    db: Database, clock: Clock, where: str
) -> None:
    chat = RecordingChat()
    outcome = await (await make(db, clock, chat, crisis_reply=where)).handle_message(
        message(CRISIS)
    )
    [(to, reply)] = chat.replies
    assert to.channel_id == CHANNEL and reply.content == UNTOLD
    carriers = [ref for ref, _ in chat.edits]
    assert all(m.content == TOLD for _, m in chat.edits) and outcome.reply == TOLD
    assert len(chat.review_posts()) == 1
    if where == "both":
        [(user, dm)] = chat.directs
        assert user == 77 and dm.content == UNTOLD and len(carriers) == 2
    else:
        assert chat.directs == [] and len(carriers) == 1


async def test_dm_sends_the_resources_privately_and_a_kind_line_in_public(
    db: Database, clock: Clock
) -> None:
    chat = RecordingChat()
    outcome = await (await make(db, clock, chat, crisis_reply="dm")).handle_message(message(CRISIS))
    [(_, dm)] = chat.directs
    [(_, public)] = chat.replies
    assert dm.content == UNTOLD and public.content == replies.CRISIS_PUBLIC
    assert not public.ping_role_ids and "<@" not in public.content
    [(edited, told)] = chat.edits
    assert edited.channel_id != CHANNEL and told.content == TOLD  # the DM, not the public line
    assert outcome.moderators_told


async def test_closed_dms_fall_back_to_the_resources_in_the_channel(
    db: Database, clock: Clock
) -> None:
    chat = RecordingChat(dms_closed=True)
    await (await make(db, clock, chat, crisis_reply="dm")).handle_message(message(CRISIS))
    [(to, reply)] = chat.replies
    assert chat.directs == [] and to.channel_id == CHANNEL and reply.content == UNTOLD
    assert [m.content for _, m in chat.edits] == [TOLD]


async def test_no_review_channel_means_no_promise(db: Database, clock: Clock) -> None:
    chat = RecordingChat()
    outcome = await (await make(db, clock, chat, review_channel_id=None)).handle_message(
        message(CRISIS)
    )
    assert [m.content for _, m in chat.replies] == [UNTOLD]
    assert chat.edits == [] and chat.posts == [] and not outcome.moderators_told
    assert outcome.reply == UNTOLD


async def test_a_refused_review_post_means_no_promise(db: Database, clock: Clock) -> None:
    chat = RecordingChat(refuse_posts=True)
    outcome = await (await make(db, clock, chat)).handle_message(message(CRISIS))
    assert [m.content for _, m in chat.replies] == [UNTOLD] and chat.edits == []
    assert not outcome.moderators_told


async def test_a_typed_crisis_gets_the_words_that_are_true_when_it_is_answered(
    db: Database, clock: Clock
) -> None:
    chat = RecordingChat()
    told = await (await make(db, clock, chat)).handle_message(message(CRISIS, origin="/ask"))
    assert told.reply == TOLD and chat.replies == [] and chat.directs == []
    chat = RecordingChat(refuse_posts=True)
    untold = await (await make(db, clock, chat)).handle_message(
        message(CRISIS, message_id=2, origin="/ask")
    )
    assert untold.reply == UNTOLD


async def test_a_report_without_a_review_channel_says_it_reaches_no_one(
    db: Database, clock: Clock
) -> None:
    svc = await make(db, clock, RecordingChat(), review_channel_id=None)
    outcome = await svc.report(message(CRISIS, author_id=5), reporter_id=6)
    assert outcome.reply is not None and outcome.reply.startswith(replies.REPORT_NOWHERE)
    assert outcome.reply.endswith(replies.REPORT_CRISIS)
    assert "passing it to the moderators" not in outcome.reply


def test_the_advice_reply_is_plain_and_opens_the_entry_with_one_command() -> None:
    text = replies.advice_reply(("what-is-ahsct", "What is aHSCT?"))
    assert "(type `/faq topic:what-is-ahsct` to open it)" in text
    assert "family doctor (GP)" in text and re.search(r"\bGP\b", text.replace("(GP)", "")) is None
    assert "Please don't stop or change a medicine before talking to them." in text
    assert "If you have new or worsening symptoms" in text
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if s]
    assert max(len(s.split()) for s in sentences) <= 22
    assert "`/faq`" in replies.advice_reply(None) and "topic:" not in replies.advice_reply(None)


async def test_a_reported_crisis_gives_its_author_the_resources_once(
    db: Database, clock: Clock
) -> None:
    chat = RecordingChat()
    svc = await make(db, clock, chat, exempt_channel_ids=[55])
    target = message(CRISIS, author_id=5, channel_id=55)  # where the bot does not watch
    first = await svc.report(target, reporter_id=6)
    await svc.handled(target.message_id)
    again = await svc.report(target, reporter_id=8)
    await svc.handled(target.message_id)
    assert first.reply and first.reply.endswith(replies.REPORT_CRISIS) and again.reply
    [(to, reply)] = chat.replies
    assert (to.channel_id, to.message_id) == (55, 1) and reply.content == UNTOLD
    assert [m.content for _, m in chat.edits if m.content == TOLD] == [TOLD]


async def test_a_reported_message_that_already_had_the_resources_does_not_get_them_twice(
    db: Database, clock: Clock
) -> None:
    chat = RecordingChat()
    svc = await make(db, clock, chat)
    flagged = await svc.handle_message(message(CRISIS))
    assert flagged.flag is not None
    await svc.act(flagged.flag.id, "resolve", 99)  # closed: a report makes a new flag
    await svc.report(message(CRISIS), reporter_id=6)
    await svc.handled(1)
    assert [m.content for _, m in chat.replies if m.content.startswith(UNTOLD)] == [UNTOLD]

"""The moderation service as the cog and the console use it, without Discord."""

from __future__ import annotations

from bot.moderation import replies
from bot.moderation.model import IncomingMessage
from bot.moderation.service import ModerationService
from bot.settings import DEFAULT_CRISIS_MESSAGE
from bot.storage import Database
from tests.moderation.conftest import (
    CHANNEL,
    MOD_ROLE,
    REVIEW,
    Clock,
    FakeFaq,
    RecordingChat,
    message,
    settings,
)

ADVICE = "should I stop my tysabri before the HSCT consult?"
CRISIS = "I can't do this any more, I have the pills in front of me"


async def test_advice_creates_a_flag_card_and_one_gentle_reply(
    service: ModerationService, faq: FakeFaq, chat: RecordingChat
) -> None:
    outcome = await service.handle_message(message(ADVICE))
    assert outcome.change == "created" and outcome.flag is not None
    assert outcome.flag.category == "advice"
    [(to, reply)] = chat.replies
    assert to.message_id == 1 and reply.content == outcome.reply and not reply.ping_role_ids
    [post] = chat.review_posts()
    assert post.content == "" and post.ping_role_ids == ()
    assert outcome.reply is not None
    assert "can't do as a community is give personal medical advice" in outcome.reply
    assert "**What is aHSCT?**" in outcome.reply and "neurologist" in outcome.reply
    assert "@" not in outcome.reply
    assert faq.asked == [ADVICE]
    [card] = post.cards
    assert post.problems() == []
    assert [b.custom_id for b in post.buttons] == [
        f"flag:{outcome.flag.id}:{a}"
        for a in (
            "claim",
            "resolve",
            "dismiss",
            "note",
            "resolve-crisis",
            "resolve-promotion",
            "resolve-other",
        )
    ]
    values = {f.name: f.value for f in card.fields}
    assert values["Author"] == "<@77>" and values["Channel"] == f"<#{CHANNEL}>"
    assert values["Excerpt"] == f"> {ADVICE}"
    assert "asks whether to start, stop, switch or take a treatment" in values["Why"]
    assert "https://discord.com/channels/1000/2000/1" in values["Message"]


async def test_advice_reply_at_most_once_per_member_per_cooldown(
    service: ModerationService, clock: Clock
) -> None:
    first = await service.handle_message(message(ADVICE, message_id=1))
    second = await service.handle_message(message(ADVICE, message_id=2))
    other = await service.handle_message(message(ADVICE, message_id=3, author_id=78))
    clock.advance(minutes=10)
    later = await service.handle_message(message(ADVICE, message_id=4))
    assert first.reply and other.reply and later.reply
    assert second.change == "created" and second.reply is None


async def test_cooldown_survives_a_restart(db: Database, clock: Clock) -> None:
    one = await ModerationService.create(settings(), db, clock=clock)
    assert (await one.handle_message(message(ADVICE, message_id=1))).reply
    two = await ModerationService.create(settings(), db, clock=clock)
    assert (await two.handle_message(message(ADVICE, message_id=2))).reply is None


async def test_no_auto_reply_when_switched_off(db: Database, clock: Clock) -> None:
    quiet = await ModerationService.create(settings(auto_reply=False), db, clock=clock)
    outcome = await quiet.handle_message(message(ADVICE))
    assert outcome.change == "created" and outcome.reply is None


async def test_reply_without_faq_match_or_with_a_broken_faq(db: Database, clock: Clock) -> None:
    class Broken:
        def best_match(self, text: str) -> tuple[str, str] | None:
            raise RuntimeError("index not loaded")

    for faq in (FakeFaq(None), Broken(), None):
        svc = await ModerationService.create(settings(), db, faq=faq, clock=clock)
        outcome = await svc.handle_message(message(ADVICE, message_id=id(faq)))
        assert outcome.reply is not None and "`/faq`" in outcome.reply
        clock.advance(minutes=11)


async def test_crisis_gets_resources_and_pings_the_moderator_role(
    service: ModerationService, chat: RecordingChat
) -> None:
    outcome = await service.handle_message(message(CRISIS))
    assert outcome.flag is not None and outcome.flag.category == "crisis"
    # The reply goes out before the review post, promising nothing about moderators; once
    # the post has reached the review channel, the reply is edited to say they know.
    [(to, reply)] = [(to, m) for to, m in chat.replies if to.channel_id == CHANNEL]
    assert reply.content == f"{DEFAULT_CRISIS_MESSAGE}\n{replies.CRISIS_FASTEST}"
    assert "moderators" not in reply.content and not reply.ping_role_ids
    [(edited, told)] = chat.edits
    assert edited.channel_id == CHANNEL and edited.message_id != to.message_id
    assert told.content == f"{reply.content}\n{replies.CRISIS_TOLD}" == outcome.reply
    assert outcome.moderators_told
    [post] = chat.review_posts()
    assert post.ping_role_ids == (MOD_ROLE,) and outcome.pinged
    assert post.content.startswith(f"<@&{MOD_ROLE}>") and "@everyone" not in post.content
    events = [e.action for e in await service.history(outcome.flag.id)]
    assert events == ["created", "crisis_reply"]


async def test_crisis_message_is_configurable(db: Database, clock: Clock) -> None:
    svc = await ModerationService.create(settings(crisis_message="Call 113 (NL)."), db, clock=clock)
    reply = (await svc.handle_message(message(CRISIS))).reply
    assert reply == f"Call 113 (NL).\n{replies.CRISIS_FASTEST}"  # offline: no review post made


async def test_bots_moderators_exempt_channels_and_dms_are_ignored(
    db: Database, clock: Clock
) -> None:
    svc = await ModerationService.create(settings(exempt_channel_ids=[55]), db, clock=clock)
    for incoming in (
        message(CRISIS, author_is_bot=True),
        message(CRISIS, author_is_moderator=True),
        message(CRISIS, channel_id=55),
        message(CRISIS, channel_id=56, parent_channel_id=55),  # a thread in an exempt channel
        message(CRISIS, channel_id=REVIEW),
        IncomingMessage(None, 9, 9, 77, CRISIS),  # a direct message
    ):
        assert (await svc.handle_message(incoming)).change == "none"
    assert await svc.list_flags() == []


async def test_nothing_happens_for_ordinary_messages(service: ModerationService) -> None:
    outcome = await service.handle_message(message("what are MSCs?"))
    assert outcome.change == "none" and outcome.flag is None and outcome.reply is None


async def test_an_edit_updates_the_flag_and_never_creates_a_second(
    service: ModerationService,
) -> None:
    created = await service.handle_message(message(ADVICE))
    edited = await service.handle_edit(message(ADVICE + " my neuro is on holiday"))
    assert created.flag and edited.flag and edited.change == "updated"
    assert edited.flag.id == created.flag.id and edited.reply is None
    cleared = await service.handle_edit(message("never mind, sorted it with my nurse"))
    assert cleared.change == "updated" and cleared.flag is not None
    assert cleared.flag.excerpt == "never mind, sorted it with my nurse"
    assert len(await service.list_flags()) == 1


async def test_an_edit_into_a_crisis_pings_once(
    service: ModerationService, chat: RecordingChat
) -> None:
    await service.handle_message(message(ADVICE))
    escalated = await service.handle_edit(message(CRISIS))
    again = await service.handle_edit(message(CRISIS + " tonight"))
    assert escalated.pinged and escalated.moderators_told
    assert escalated.reply == replies.crisis_reply(DEFAULT_CRISIS_MESSAGE, told=True)
    assert not again.pinged and again.reply is None and not again.moderators_told
    alerts = [m for to, m in chat.replies if to.channel_id == REVIEW]
    assert [m.ping_role_ids for m in alerts] == [(MOD_ROLE,)]  # beside the one review post
    [(_, first), (_, crisis)] = [(to, m) for to, m in chat.replies if to.channel_id == CHANNEL]
    assert "personal medical advice" in first.content and "moderators" not in crisis.content
    [told] = [m for ref, m in chat.edits if ref.channel_id == CHANNEL]
    assert told.content.endswith(replies.CRISIS_TOLD)  # only after the alert was sent
    assert len(chat.review_posts()) == 1


async def test_an_edit_of_a_closed_flag_stays_closed_unless_it_becomes_a_crisis(
    service: ModerationService,
) -> None:
    created = await service.handle_message(message(ADVICE))
    assert created.flag is not None
    await service.act(created.flag.id, "dismiss", 9)
    assert (await service.handle_edit(message(ADVICE + "?"))).change == "none"
    crisis = await service.handle_edit(message(CRISIS))
    assert crisis.change == "created" and crisis.flag and crisis.flag.id != created.flag.id


async def test_an_edited_message_that_was_never_flagged_can_be_flagged(
    service: ModerationService,
) -> None:
    assert (await service.handle_message(message("hello all"))).change == "none"
    assert (await service.handle_edit(message(ADVICE))).change == "created"


async def test_delete_removes_the_excerpt_and_the_post_says_so(
    service: ModerationService, chat: RecordingChat
) -> None:
    created = await service.handle_message(message(ADVICE))
    [flag] = await service.handle_delete(1)
    assert created.flag and flag.id == created.flag.id and flag.excerpt is None
    [(ref, edited)] = chat.edits
    assert ref == flag.review_post
    values = {f.name: f.value for f in edited.cards[0].fields}
    assert values["Excerpt"] == "Removed: the member deleted the message."
    assert ADVICE not in str(edited)
    assert await service.handle_delete(12345) == []


async def test_actions_return_new_cards_or_refusals(service: ModerationService) -> None:
    created = await service.handle_message(message(ADVICE))
    assert created.flag is not None
    flag_id = created.flag.id
    claim = await service.act(flag_id, "claim", 501)
    assert claim.ok and claim.message == f"Claimed flag #{flag_id}." and claim.review
    assert {f.name: f.value for f in claim.review.cards[0].fields}["State"] == "Claimed by <@501>"
    refused = await service.act(flag_id, "claim", 502)
    assert not refused.ok and refused.message == "Already claimed by <@501>."
    note = await service.act(flag_id, "note", 501, "messaged them")
    assert note.ok and note.review and "Notes (1)" in {f.name for f in note.review.cards[0].fields}
    done = await service.act(flag_id, "resolve", 501)
    assert done.ok and done.flag and done.flag.closed and done.review
    assert all(b.disabled for b in done.review.buttons)
    assert not (await service.act(flag_id, "dismiss", 501)).ok
    missing = await service.act(999, "claim", 1)
    assert not missing.ok and missing.message == "There is no flag #999."


async def test_reports(service: ModerationService) -> None:
    target = message("DM me for cheap stem cells from Cancun", message_id=50, author_id=88)
    first = await service.report(target, reporter_id=77)
    assert first.created and first.reply == replies.REPORT_THANKS
    assert first.flag and first.flag.category == "member-report" and first.flag.reporters == (77,)
    second = await service.report(target, reporter_id=78)
    assert not second.created and second.flag
    assert second.flag.id == first.flag.id and second.flag.reporters == (77, 78)
    assert (await service.report(target, reporter_id=78)).reply == replies.REPORT_AGAIN
    own = await service.report(target, reporter_id=88)
    bot = await service.report(message("beep", message_id=51, author_is_bot=True), reporter_id=77)
    assert own.flag is None and own.reply == replies.REPORT_SELF
    assert bot.flag is None and bot.reply == replies.REPORT_BOT
    assert len(await service.list_flags()) == 1


async def test_a_reported_crisis_pings(service: ModerationService, chat: RecordingChat) -> None:
    reported = message(CRISIS, author_id=88, message_id=5)
    outcome = await service.report(reported, reporter_id=77)
    await service.handled(5)
    assert outcome.pinged and outcome.flag
    assert "mentions a plan or the means" in outcome.flag.reasons
    assert [post.ping_role_ids for post in chat.review_posts()] == [(MOD_ROLE,)]


async def test_review_card_never_lets_member_text_ping(
    service: ModerationService, chat: RecordingChat
) -> None:
    text = "@everyone should I stop my ocrevus?? @here <@123> " + "x" * 400
    outcome = await service.handle_message(message(text))
    assert outcome.flag and outcome.flag.excerpt and len(outcome.flag.excerpt) <= 200
    [post] = chat.review_posts()
    [card] = post.cards
    rendered = str(card)
    assert "@everyone" not in rendered and "@here" not in rendered and "<@123>" not in rendered
    excerpt = {f.name: f.value for f in card.fields}["Excerpt"]
    assert len(excerpt) <= 2 + 200 + 40  # "> " + excerpt + escapes


async def test_queue_lists_open_flags_oldest_first(
    service: ModerationService, clock: Clock
) -> None:
    for n in range(3):
        await service.handle_message(message(ADVICE, message_id=n + 1, author_id=n + 1))
        clock.advance(minutes=1)
    await service.act(2, "resolve", 9)
    flags = await service.list_flags()
    assert [f.id for f in flags] == [1, 3]
    assert [f.id for f in await service.list_flags("resolved")] == [2]
    card = await service.queue_card()
    assert card.title == "Flags: 2 open or claimed"
    assert card.description.index("**#1**") < card.description.index("**#3**")
    shown = await service.flag_cards(2)
    assert shown is not None and "resolved by <@9>" in shown[1].description


async def test_preview_stores_nothing(service: ModerationService) -> None:
    card = service.preview(ADVICE)
    assert card is not None and card.title.startswith("Would flag")
    assert service.preview("lovely day") is None
    assert await service.list_flags() == []


async def test_the_purge_job_uses_retention_days(
    service: ModerationService, clock: Clock, chat: RecordingChat
) -> None:
    created = await service.handle_message(message(ADVICE))
    assert created.flag is not None
    await service.act(created.flag.id, "resolve", 9)
    [job] = [job for job in service.jobs() if job.id == "moderation-purge"]
    clock.advance(days=29)
    assert await job.run() == []
    clock.advance(days=2)
    [purged] = await job.run()  # type: ignore[misc]
    [(ref, edited)] = chat.edits
    assert ref == purged.review_post
    values = {f.name: f.value for f in edited.cards[0].fields}
    assert values["Excerpt"] == "Removed after the retention period (privacy)."


async def test_no_message_text_is_logged_at_info(service: ModerationService, caplog) -> None:
    caplog.set_level("DEBUG", logger="bot.moderation")
    outcome = await service.handle_message(message("secret-word should I stop my ocrevus?"))
    assert outcome.flag is not None
    await service.act(outcome.flag.id, "claim", 5)
    await service.handle_delete(1)
    assert caplog.records and all("secret-word" not in r.getMessage() for r in caplog.records)
    assert all("secret-word" not in str(r.__dict__) for r in caplog.records)

"""The console and Discord give the same answer and the same moderation outcome.

The same inputs go to the real bot on the fake Discord and to `python bot.py console` with the
same settings (the console on a temporary database): an FAQ hit, an FAQ miss, a request for
personal advice and a crisis. What a member reads and what the review channel shows must
match, word for word once Markdown and line wrapping are set aside.
"""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from bot.terminal import plain
from tests.e2e.test_moderation_review import ADVICE, CRISIS, post_and_wait
from tests.fake_discord.guild import GENERAL_CHANNEL_ID, MEMBER_ID, MOD_ROLE_ID
from tests.harness import Harness
from tests.test_console import typed_into_console

HIT = "are mesenchymal cells an experimental treatment for ms?"
MISS = "how do i change my nickname on this server"


def words(text: str) -> str:
    return " ".join(plain(text).split())


def console_settings(harness: Harness) -> Settings:
    """The bot's own settings, without its database (the console then uses a temporary one)."""
    settings = {k: v for k, v in harness.settings.items() if k not in {"database", "discord"}}
    return Settings(**settings)


async def ask_on_discord(harness: Harness, question: str) -> dict[str, Any]:
    record = await harness.fake.slash("ask", options={"question": question}, user_id=MEMBER_ID)
    await record.response()
    return record.embeds[0]


async def test_console_and_discord_agree(running: Harness) -> None:
    hit = await ask_on_discord(running, HIT)
    miss = await ask_on_discord(running, MISS)
    _, advice_review = await post_and_wait(running, ADVICE)
    advice_reply = await running.fake.wait_for_message(GENERAL_CHANNEL_ID)
    _, crisis_review = await post_and_wait(running, CRISIS)
    crisis_reply = await running.fake.wait_for_message(
        GENERAL_CHANNEL_ID, lambda m: m["id"] != advice_reply["id"]
    )

    console = words(
        await typed_into_console(
            console_settings(running), f"/ask {HIT}", f"/ask {MISS}", ADVICE, CRISIS
        )
    )

    assert words(hit["title"]) in console and words(hit["description"])[:300] in console
    assert hit["title"] != miss["title"]  # the hit is an FAQ entry
    assert miss["title"] == "I don't have a good answer to that yet"
    assert words(miss["title"]) in console
    for reply in (advice_reply, crisis_reply):  # what the member is told
        assert words(reply["content"]) in console
    for review in (advice_review, crisis_review):  # what moderators are shown
        assert words(review["embeds"][0]["title"]) in console
        why = next(f["value"] for f in review["embeds"][0]["fields"] if f["name"] == "Why")
        assert words(why) in console
    assert crisis_review["content"].startswith(f"<@&{MOD_ROLE_ID}>")
    assert console.count("(pings the moderator roles)") == 1  # the crisis, and only it
    assert [p.roles for p in running.fake.pings()] == [{MOD_ROLE_ID}]


async def test_console_trials_shows_what_discord_shows(harness: Harness, trials_registry) -> None:
    digest = {"clinicaltrials": {"base_url": trials_registry.base}}
    await harness.start(settings={"digest": digest})
    record = await harness.fake.slash(
        "trials", options={"place": "Sheffield, United Kingdom"}, user_id=MEMBER_ID
    )
    message = await record.wait_original()
    console = words(await typed_into_console(console_settings(harness), "/trials Sheffield, UK"))
    assert words(message["content"]) in console
    for embed in message["embeds"]:
        assert words(embed["title"]) in console and words(embed["footer"]["text"]) in console
        for field in embed["fields"]:
            assert words(f"{field['name']}: {field['value']}") in console

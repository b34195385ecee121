"""The bot starts against Discord, syncs its commands, and answers /about."""

from __future__ import annotations

from tests.fake_discord.guild import GUILD_ID, MEMBER_ID
from tests.harness import Harness


async def test_starts_identifies_with_minimal_intents_and_syncs(running: Harness) -> None:
    fake = running.fake
    intents = fake.identify_payload["intents"]
    guilds, guild_messages, message_content = 1 << 0, 1 << 9, 1 << 15
    automod_execution = 1 << 21  # not privileged: AutoMod alerts for the promotion bridge
    assert intents == guilds | guild_messages | message_content | automod_execution
    names = {c["name"] for c in fake.guild_commands[GUILD_ID]}
    assert {"about"} <= names
    assert all(len(c.get("description", "")) <= 100 for c in fake.guild_commands[GUILD_ID])
    assert fake.commands == [] or all(c["name"] not in names for c in fake.commands)


async def test_about_tells_what_the_bot_is_and_is_not(running: Harness) -> None:
    record = await running.fake.slash("about", user_id=MEMBER_ID)
    await record.response()
    assert record.ephemeral
    (embed,) = record.embeds
    text = embed["description"] + " ".join(f["name"] + f["value"] for f in embed["fields"])
    assert "not a doctor" in text
    assert "medical advice" in text
    version = running.app.faq.version()
    assert f"{version.count} entries" in text


async def test_restart_on_same_database(harness: Harness) -> None:
    await harness.start()
    await harness.restart()
    record = await harness.fake.slash("about", user_id=MEMBER_ID)
    await record.response()
    assert record.embeds


async def test_without_guild_ids_commands_sync_globally(harness: Harness) -> None:
    await harness.start(settings={"discord": {"guild_ids": []}})
    assert "about" in {c["name"] for c in harness.fake.commands}
    assert not harness.fake.guild_commands.get(GUILD_ID)

"""The bot starts against Discord, syncs its commands, and answers /about."""

from __future__ import annotations

import logging

from tests.fake_discord.guild import ADMIN_ID, GUILD_ID, MEMBER_ID
from tests.harness import Harness


class Lines(logging.Handler):
    """The log lines one logger wrote, as an admin reads them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


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


async def test_about_shows_admins_and_only_admins_what_moderation_is_missing(
    harness: Harness,
) -> None:
    del harness.settings["moderation"]["review_channel_id"]
    del harness.settings["moderation"]["moderator_role_ids"]
    collector = Lines()
    runner_log = logging.getLogger("bot.discord.runner")
    runner_log.addHandler(collector)
    try:
        await harness.start()
    finally:
        runner_log.removeHandler(collector)
    [line] = [m for m in collector.lines if m.startswith("moderation is on but not fully set up")]
    assert "review_channel_id is not set" in line and "moderator_role_ids is empty" in line

    admin = await harness.fake.slash("about", user_id=ADMIN_ID)
    await admin.response()
    fields = {f["name"]: f["value"] for f in admin.embeds[0]["fields"]}
    setup = fields["Setup to finish (only admins see this)"]
    assert "review_channel_id is not set" in setup and "moderator_role_ids is empty" in setup
    assert admin.ephemeral
    member = await harness.fake.slash("about", user_id=MEMBER_ID)
    await member.response()
    assert "Setup to finish" not in str(member.embeds) and "review_channel_id" not in str(
        member.embeds
    )

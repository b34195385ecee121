"""The fake drives a real discord.py ``commands.Bot``: if these pass, bot tests can trust it."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Callable

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from .guild import (
    ADMIN_ID,
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    MOD_ID,
    MOD_ROLE_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
)
from .harness import running
from .limits import check_commands, check_message, compute_pings
from .records import modal_inputs
from .server import FakeDiscord

GUILD = discord.Object(GUILD_ID)


class ClaimButton(discord.ui.DynamicItem[discord.ui.Button], template=r"flag:(?P<id>\d+):claim"):
    """A persistent button, as the moderation queue uses."""

    def __init__(self, flag_id: int) -> None:
        super().__init__(discord.ui.Button(label="Claim", custom_id=f"flag:{flag_id}:claim"))
        self.flag_id = flag_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ClaimButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"flag {self.flag_id} claimed by {interaction.user.id}", ephemeral=True
        )


class AskModal(discord.ui.Modal, title="Ask the moderators"):
    question = discord.ui.TextInput(label="Your question", custom_id="ask:question")
    detail = discord.ui.TextInput(label="Details", custom_id="ask:detail", required=False)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"Q={self.question.value} D={self.detail.value}", ephemeral=True
        )


class Bot(commands.Bot):
    """A minimal bot covering each interaction kind the project uses."""

    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = intents.guild_messages = intents.message_content = True
        super().__init__(
            command_prefix="!",
            intents=intents,
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.n_choices = 25
        self.seen_messages: list[discord.Message] = []
        self.add_commands()

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ClaimButton)
        await self.tree.sync(guild=GUILD)

    async def on_message(self, message: discord.Message) -> None:
        self.seen_messages.append(message)

    def add_commands(self) -> None:
        tree = self.tree

        @tree.command(name="faq", description="Answer a question from the FAQ", guild=GUILD)
        async def faq(interaction: discord.Interaction, topic: str) -> None:
            embed = discord.Embed(
                title=f"FAQ: {topic}", description="Mesenchymal stem cells are ..."
            )
            await interaction.response.send_message(embed=embed)

        @faq.autocomplete("topic")
        async def faq_topics(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=f"{current} {i}", value=f"t{i}")
                for i in range(self.n_choices)
            ]

        digest = app_commands.Group(
            name="digest", description="Research digest", guild_ids=[GUILD_ID]
        )

        @digest.command(name="latest", description="Show the latest digest")
        async def latest(interaction: discord.Interaction, count: int = 1) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            await interaction.followup.send(f"{count} new papers")

        tree.add_command(digest)

        @tree.command(name="long", description="Too long an answer", guild=GUILD)
        async def long(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(embed=discord.Embed(description="x" * 4097))

        @tree.command(name="ask", description="Ask the moderators", guild=GUILD)
        async def ask(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(AskModal())

        @tree.command(name="slow", description="Answers too late", guild=GUILD)
        async def slow(interaction: discord.Interaction) -> None:
            await asyncio.sleep(0.3)
            await interaction.response.send_message("finally")

        @tree.command(name="flag", description="Post a flag to the review channel", guild=GUILD)
        async def flag(interaction: discord.Interaction, member: discord.Member) -> None:
            view = discord.ui.View(timeout=None).add_item(ClaimButton(7))
            review = interaction.guild.get_channel(REVIEW_CHANNEL_ID)  # type: ignore[union-attr]
            await review.send(f"flag about <@{member.id}> <@&{MOD_ROLE_ID}>", view=view)  # type: ignore[union-attr]
            await interaction.response.send_message("flagged", ephemeral=True)

        @tree.context_menu(name="Report to moderators", guild=GUILD)
        async def report(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(
                f"reported {message.id}: {message.content}", ephemeral=True
            )


@pytest_asyncio.fixture
async def bot(fake_discord: FakeDiscord) -> AsyncIterator[Bot]:
    async with running(Bot(), fake_discord) as client:
        yield client


pytestmark = pytest.mark.usefixtures("fail_on_discord_errors")


async def test_logs_in_syncs_and_sees_the_guild(fake_discord: FakeDiscord) -> None:
    started = time.perf_counter()
    async with running(Bot(), fake_discord) as client:
        ready_after = time.perf_counter() - started
        guild = client.get_guild(GUILD_ID)
        assert guild is not None and guild.get_channel(REVIEW_CHANNEL_ID) is not None
        assert guild.owner_id == ADMIN_ID and guild.me.guild_permissions.manage_messages
        assert fake_discord.identify_payload is not None
        assert fake_discord.identify_payload["intents"] == client.intents.value
        names = sorted(c["name"] for c in fake_discord.guild_commands[GUILD_ID])
        assert names == ["Report to moderators", "ask", "digest", "faq", "flag", "long", "slow"]
    assert ready_after < 1.0
    assert fake_discord.violations == []


async def eventually(check: Callable[[], object], seconds: float = 2.0) -> None:
    """Poll state the fake cannot signal (the bot's own lists, the log)."""
    for _ in range(int(seconds / 0.01)):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not true within {seconds}s")


def expect_error(errors: list[logging.LogRecord], text: str) -> None:
    """Consume the discord.py ERROR a negative test provokes, so only unexpected ones fail."""
    messages = [(r.exc_text or "") + r.getMessage() for r in errors]
    assert any(text in m for m in messages), messages
    errors.clear()


async def test_member_messages_reach_on_message(bot: Bot, fake_discord: FakeDiscord) -> None:
    sent = await fake_discord.send_message(
        GENERAL_CHANNEL_ID, MEMBER_ID, f"hi <@{OTHER_MEMBER_ID}>"
    )
    await eventually(lambda: bot.seen_messages)
    message = bot.seen_messages[0]
    assert message.id == int(sent["id"]) and message.content.startswith("hi")
    assert message.author.id == MEMBER_ID and [u.id for u in message.mentions] == [OTHER_MEMBER_ID]


async def test_slash_command_answers_with_embed(
    bot: Bot, assert_no_violations: FakeDiscord
) -> None:
    fake_discord = assert_no_violations
    started = time.perf_counter()
    rec = await fake_discord.slash("faq", options={"topic": "msc"}, user_id=MEMBER_ID)
    response = await rec.response(timeout=2)
    assert time.perf_counter() - started < 0.5
    assert response["type"] == 4
    assert rec.embeds[0]["title"] == "FAQ: msc" and not rec.ephemeral
    assert fake_discord.messages[GENERAL_CHANNEL_ID][0]["id"] == rec.original["id"]  # type: ignore[index]
    assert fake_discord.pings() == []


async def test_deferred_subcommand_then_followup(bot: Bot, fake_discord: FakeDiscord) -> None:
    rec = await fake_discord.slash(
        "digest", subcommand="latest", options={"count": 3}, user_id=MEMBER_ID
    )
    assert (await rec.response(timeout=2))["type"] == 5
    followup = await rec.wait_followup(1, timeout=2)
    assert followup["content"] == "3 new papers"
    assert rec.content == "3 new papers"  # the followup replaced the "thinking" message


async def test_autocomplete_25_choices_ok_26_rejected(
    bot: Bot, fake_discord: FakeDiscord, fail_on_discord_errors: list[logging.LogRecord]
) -> None:
    rec = await fake_discord.autocomplete("faq", "topic", "ms", user_id=MEMBER_ID)
    assert (await rec.response(timeout=2))["type"] == 8
    assert len(rec.choices) == 25 and fake_discord.violations == []

    bot.n_choices = 26
    rejected = await fake_discord.autocomplete("faq", "topic", "ms", user_id=MEMBER_ID)
    await eventually(lambda: fail_on_discord_errors)
    assert rejected.callback is None
    assert "25 or fewer" in fake_discord.violations[0]
    expect_error(fail_on_discord_errors, "Invalid Form Body")


async def test_overlong_embed_is_rejected(
    bot: Bot, fake_discord: FakeDiscord, fail_on_discord_errors: list[logging.LogRecord]
) -> None:
    rec = await fake_discord.slash("long", user_id=MEMBER_ID)
    await eventually(lambda: fail_on_discord_errors)
    assert rec.callback is None
    assert "embeds.0.description" in fake_discord.violations[0]
    expect_error(fail_on_discord_errors, "Must be 4096 or fewer")


async def test_persistent_button_click_reaches_dynamic_item(
    bot: Bot, fake_discord: FakeDiscord
) -> None:
    await (
        await fake_discord.slash("flag", options={"member": OTHER_MEMBER_ID}, user_id=MEMBER_ID)
    ).response()
    posted = await fake_discord.wait_for_message(REVIEW_CHANNEL_ID)
    assert posted["allowed_mentions"] == {"parse": []}
    assert fake_discord.pings() == []  # neither the member nor the role was pinged
    rec = await fake_discord.click("flag:7:claim", message_id=int(posted["id"]), user_id=MOD_ID)
    await rec.response(timeout=2)
    assert rec.content == f"flag 7 claimed by {MOD_ID}" and rec.ephemeral


async def test_modal_submit_reaches_on_submit(bot: Bot, fake_discord: FakeDiscord) -> None:
    opened = await fake_discord.slash("ask", user_id=MEMBER_ID)
    await opened.response(timeout=2)
    assert opened.modal is not None and modal_inputs(opened.modal) == ["ask:question", "ask:detail"]
    rec = await fake_discord.submit_modal(
        opened.modal["custom_id"],
        {"ask:question": "Is aHSCT safe?", "ask:detail": "age 50"},
        user_id=MEMBER_ID,
    )
    await rec.response(timeout=2)
    assert rec.content == "Q=Is aHSCT safe? D=age 50"


async def test_message_context_menu_gets_target(bot: Bot, fake_discord: FakeDiscord) -> None:
    target = await fake_discord.send_message(
        GENERAL_CHANNEL_ID, OTHER_MEMBER_ID, "buy stem cells from me"
    )
    rec = await fake_discord.message_command(
        "Report to moderators", target_message_id=int(target["id"]), user_id=MEMBER_ID
    )
    await rec.response(timeout=2)
    assert rec.content == f"reported {target['id']}: buy stem cells from me"


async def test_rate_limit_is_retried(bot: Bot, fake_discord: FakeDiscord) -> None:
    fake_discord.fail_next("POST", r"^/channels/\d+/messages$", 429, retry_after=0.05)
    await (
        await fake_discord.slash("flag", options={"member": OTHER_MEMBER_ID}, user_id=MOD_ID)
    ).response()
    await fake_discord.wait_for_message(REVIEW_CHANNEL_ID, timeout=2)
    posts = [
        r for r in fake_discord.requests if r.method == "POST" and r.path.startswith("/channels/")
    ]
    assert len(posts) == 2 and fake_discord.violations == []


async def test_late_answer_is_a_violation(
    fake_discord: FakeDiscord, fail_on_discord_errors: list[logging.LogRecord]
) -> None:
    fake_discord.interaction_deadline = 0.1  # the real 3 s, scaled down to keep the suite fast
    async with running(Bot(), fake_discord):
        rec = await fake_discord.slash("slow", user_id=MEMBER_ID)
        await eventually(lambda: fail_on_discord_errors)
    assert rec.callback is None
    assert "answered after" in fake_discord.violations[0]
    expect_error(fail_on_discord_errors, "Unknown interaction")


async def test_unknown_route_is_reported(bot: Bot, fake_discord: FakeDiscord) -> None:
    route = discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=GUILD_ID)
    with pytest.raises(discord.NotFound):
        await bot.http.request(route)
    assert fake_discord.violations == [
        f"GET /guilds/{GUILD_ID}/bans: route not implemented by the fake"
    ]


def test_message_limits() -> None:
    half = {"description": "x" * 3000}
    assert check_message({"embeds": [half, half]}, creating=True) == []
    too_big = check_message({"embeds": [half, half | {"title": "t"}]}, creating=True)
    assert [p.code for p in too_big] == ["MAX_EMBED_SIZE_EXCEEDED"]
    assert check_message({"content": "x" * 2001}, creating=True)[0].path == ("content",)
    fields = [{"name": "n", "value": "v"}] * 26
    assert check_message({"embeds": [{"fields": fields}]}, creating=True)[0].path == (
        "embeds", 0, "fields",
    )  # fmt: skip
    assert check_message({}, creating=True)[0].message == "Cannot send an empty message"
    rows = [{"type": 1, "components": [{"type": 2, "custom_id": "a" * 101}]}]
    assert check_message({"content": "x", "components": rows}, creating=True)


def test_command_limits() -> None:
    ok = {"name": "faq", "description": "d", "type": 1}
    assert check_commands([ok]) == []
    bad = [ok | {"name": "FAQ"}, ok | {"name": "ask", "description": "d" * 101}]
    assert [p.path for p in check_commands(bad)] == [(0, "name"), (1, "description")]


def test_pings_follow_allowed_mentions() -> None:
    content = f"<@{MEMBER_ID}> <@&{MOD_ROLE_ID}> @everyone"
    msg = {"id": "1", "channel_id": "2", "content": content}
    everything = compute_pings(msg)  # no allowed_mentions: Discord parses everything
    assert everything.users == {MEMBER_ID} and everything.roles == {MOD_ROLE_ID}
    assert everything.everyone
    assert not compute_pings(msg | {"allowed_mentions": {"parse": []}})
    only_role = compute_pings(
        msg | {"allowed_mentions": {"parse": [], "roles": [str(MOD_ROLE_ID)]}}
    )
    assert only_role.roles == {MOD_ROLE_ID} and not only_role.users and not only_role.everyone
    embed_only = {"id": "1", "channel_id": "2", "content": "", "embeds": [{"description": content}]}
    assert not compute_pings(embed_only)


async def test_history_is_newest_first_paged_and_shows_what_members_see(
    bot: Bot, fake_discord: FakeDiscord
) -> None:
    channel = bot.get_channel(GENERAL_CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    member = [
        await fake_discord.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, f"m{i}") for i in range(3)
    ]
    own = await channel.send("from the bot")
    await fake_discord.delete_message(GENERAL_CHANNEL_ID, int(member[1]["id"]))
    await (
        await fake_discord.slash("flag", options={"member": MEMBER_ID}, user_id=MOD_ID)
    ).response()
    assert fake_discord.message_store[max(fake_discord.message_store)]["flags"] & 64  # ephemeral
    expected = [own.id, int(member[2]["id"]), int(member[0]["id"])]

    history = [m async for m in channel.history(limit=None)]
    assert [m.id for m in history] == expected, "newest first, no deleted or ephemeral message"
    assert history[0].author.id == bot.user.id and history[0].content == "from the bot"  # type: ignore[union-attr]
    assert history[1].author.id == MEMBER_ID and history[1].content == "m2"
    oldest = [m.id async for m in channel.history(limit=2, after=history[2])]
    assert oldest == [expected[1], expected[0]], "after: the next messages, oldest first"
    before = [m.id async for m in channel.history(limit=5, before=history[0])]
    assert before == expected[1:]

    for i in range(60):
        await fake_discord.send_message(GENERAL_CHANNEL_ID, OTHER_MEMBER_ID, f"bulk {i}")
    route = discord.http.Route(
        "GET", "/channels/{channel_id}/messages", channel_id=GENERAL_CHANNEL_ID
    )
    page = await bot.http.request(route)
    assert len(page) == 50 and page[0]["content"] == "bulk 59" and page[-1]["content"] == "bulk 10"
    assert len([m async for m in channel.history(limit=None)]) == 63, "discord.py pages through"
    centre = int(page[10]["id"])  # "bulk 49"
    around = await bot.http.request(route, params={"around": centre, "limit": 5})
    assert [m["content"] for m in around] == [f"bulk {i}" for i in (51, 50, 49, 48, 47)]

    with pytest.raises(discord.HTTPException) as too_many:
        await bot.http.request(route, params={"limit": 101})
    assert too_many.value.status == 400
    assert fake_discord.violations[-1].endswith(
        "limit: int value should be less than or equal to 100."
    )


async def test_enforced_nonce_returns_the_message_already_created(
    bot: Bot, fake_discord: FakeDiscord
) -> None:
    channel = bot.get_channel(GENERAL_CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("weekly digest", nonce=424242)  # discord.py sets enforce_nonce
    again = await channel.send("weekly digest", nonce=424242)
    assert again.id == first.id and first.nonce == again.nonce == "424242"
    assert [m["id"] for m in fake_discord.messages[GENERAL_CHANNEL_ID]] == [str(first.id)]
    assert (await channel.fetch_message(first.id)).nonce is None, "Discord does not keep nonces"

    other = await channel.send("weekly digest", nonce=515151)
    route = discord.http.Route(
        "POST", "/channels/{channel_id}/messages", channel_id=GENERAL_CHANNEL_ID
    )
    unenforced = await bot.http.request(route, json={"content": "weekly digest", "nonce": "424242"})
    fake_discord.nonce_window = 0.05  # Discord's "few minutes", scaled down
    await asyncio.sleep(0.1)
    expired = await channel.send("weekly digest", nonce=424242)
    ids = {first.id, other.id, int(unenforced["id"]), expired.id}
    assert len(ids) == 4 and len(fake_discord.messages[GENERAL_CHANNEL_ID]) == 4

    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x", nonce="n" * 26)
    assert too_long.value.status == 400
    assert fake_discord.violations == [
        f"POST /channels/{GENERAL_CHANNEL_ID}/messages: nonce: Must be 25 or fewer in length."
    ]


async def test_direct_messages_open_a_dm_channel_and_closed_dms_refuse_with_50007(
    bot: Bot, assert_no_violations: FakeDiscord
) -> None:
    fake = assert_no_violations
    member = await bot.fetch_user(MEMBER_ID)  # GET /users/{id}: no members intent here
    sent = await member.send("hello in private")
    assert fake.dm_channel_of(MEMBER_ID) == sent.channel.id
    assert isinstance(sent.channel, discord.DMChannel) and sent.guild is None
    await sent.edit(content="hello, edited")
    [dm] = fake.direct_messages(MEMBER_ID)
    assert dm["content"] == "hello, edited" and [e["content"] for e in dm["edits"]] == [
        "hello in private"
    ]
    assert "guild_id" not in dm and fake.pings() == []

    fake.close_dms(OTHER_MEMBER_ID)
    other = await bot.fetch_user(OTHER_MEMBER_ID)
    with pytest.raises(discord.Forbidden) as refused:
        await other.send("you will not get this")
    assert refused.value.code == 50007 and fake.direct_messages(OTHER_MEMBER_ID) == []

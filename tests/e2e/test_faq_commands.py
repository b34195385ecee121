"""`/faq`, `/ask`, the feedback buttons and `/faq-admin` through the fake Discord.

The fake enforces Discord's limits (embed sizes, autocomplete choices, the 3-second rule), so
an answer that would be rejected in production fails here too.
"""

from __future__ import annotations

import re
from typing import Any

from bot.faq.index import AUTOCOMPLETE_LIMIT
from tests.fake_discord.guild import (
    ADMIN_ID,
    MEMBER_ID,
    MOD_ROLE_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
)
from tests.harness import Harness

NO_ANSWER = "I don't have a good answer to that yet"


def buttons(record: Any) -> list[dict[str, Any]]:
    return [c for row in record.components for c in row["components"]]


async def feedback_rows(harness: Harness) -> list[tuple[str, int, int]]:
    rows = await harness.app.db.fetchall(
        "SELECT entry_id, user_id, helpful FROM faq_feedback ORDER BY at, user_id"
    )
    return [(row["entry_id"], row["user_id"], row["helpful"]) for row in rows]


async def test_autocomplete_mesench_offers_what_are_mscs_first(running: Harness) -> None:
    record = await running.fake.autocomplete("faq", "topic", "mesench", user_id=MEMBER_ID)
    await record.response()
    assert record.choices[0] == {
        "name": "What are mesenchymal stem cells (MSCs)?",
        "value": "what-are-mscs",
    }
    assert 1 <= len(record.choices) <= 25


async def test_autocomplete_before_typing_lists_topics(running: Harness) -> None:
    record = await running.fake.autocomplete("faq", "topic", "", user_id=MEMBER_ID)
    await record.response()
    values = [c["value"] for c in record.choices]
    # Discord shows at most 25 choices; a larger FAQ fills them all.
    assert len(values) == min(running.app.faq.version().count, AUTOCOMPLETE_LIMIT)
    assert "hsct" in values


async def test_faq_posts_the_answer_with_sources_and_feedback_buttons(running: Harness) -> None:
    record = await running.fake.slash("faq", options={"topic": "hsct"}, user_id=MEMBER_ID)
    await record.response()
    assert not record.ephemeral
    (embed,) = record.embeds
    assert embed["title"] == "What is aHSCT (stem cell transplant for MS)?"
    assert "strongest evidence" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert (
        "[Burt et al., MIST trial, JAMA 2019](https://doi.org/10.1001/jama.2018.18743)"
        in (fields["Sources"])
    )
    assert "`risks-and-side-effects`" in fields["Related topics"]
    footer = embed["footer"]["text"]
    assert re.match(r"(Checked against sources|Reviewed by .+) on 2026-\d\d-\d\d · ", footer)
    assert "not medical advice" in embed["footer"]["text"]
    assert [(b["label"], b["custom_id"]) for b in buttons(record)] == [
        ("Helpful", "faq:hsct:helpful"),
        ("Not helpful", "faq:hsct:unhelpful"),
    ]


async def test_faq_with_typed_text_finds_the_topic(running: Harness) -> None:
    record = await running.fake.slash("faq", options={"topic": "exosome shots"}, user_id=MEMBER_ID)
    await record.response()
    assert record.embeds[0]["title"].startswith("What about exosomes")


async def test_every_faq_answer_is_accepted_by_discord(running: Harness) -> None:
    for entry in running.app.faq.entries():
        record = await running.fake.slash("faq", options={"topic": entry.id}, user_id=MEMBER_ID)
        await record.response()
        assert record.embeds[0]["title"] == entry.title


async def test_ask_answers_privately_and_records_the_question(running: Harness) -> None:
    question = "could stem cells get my husband walking again?"
    record = await running.fake.slash("ask", options={"question": question}, user_id=MEMBER_ID)
    await record.response()
    assert record.ephemeral
    assert record.embeds[0]["title"] == "What can I realistically expect from stem cell treatment?"
    assert buttons(record)[0]["custom_id"] == "faq:realistic-expectations:helpful"
    row = await running.app.db.fetchone("SELECT query, matched_id FROM faq_queries")
    assert (row["query"], row["matched_id"]) == (question, "realistic-expectations")


async def test_ask_abstains_kindly_and_records_it_as_unanswered(running: Harness) -> None:
    question = "how do I pin a message in this channel"
    record = await running.fake.slash("ask", options={"question": question}, user_id=MEMBER_ID)
    await record.response()
    (embed,) = record.embeds
    assert embed["title"] == NO_ANSWER
    assert embed["description"].count("• ") == 3
    assert record.components == []
    row = await running.app.db.fetchone("SELECT query, matched_id FROM faq_queries")
    assert (row["query"], row["matched_id"]) == (question, None)


async def test_helpful_is_stored_once_per_member_and_survives_a_restart(harness: Harness) -> None:
    await harness.start()
    fake = harness.fake
    answer = await fake.slash("faq", options={"topic": "what-are-mscs"}, user_id=MEMBER_ID)
    await answer.response()
    message_id = int(answer.original["id"])

    first = await fake.click("faq:what-are-mscs:helpful", message_id=message_id, user_id=MEMBER_ID)
    await first.response()
    assert first.ephemeral and first.content.startswith("Thank you!")
    again = await fake.click(
        "faq:what-are-mscs:unhelpful", message_id=message_id, user_id=MEMBER_ID
    )
    await again.response()
    assert again.ephemeral and "already" in again.content
    assert await feedback_rows(harness) == [("what-are-mscs", MEMBER_ID, 1)]

    await harness.restart()
    later = await fake.click(
        "faq:what-are-mscs:unhelpful", message_id=message_id, user_id=OTHER_MEMBER_ID
    )
    await later.response()
    assert later.content.startswith("Thank you!")
    assert await feedback_rows(harness) == [
        ("what-are-mscs", MEMBER_ID, 1),
        ("what-are-mscs", OTHER_MEMBER_ID, 0),
    ]


async def test_members_are_refused_admin_commands(running: Harness) -> None:
    for name in ("reload", "stats"):
        record = await running.fake.slash("faq-admin", subcommand=name, user_id=MEMBER_ID)
        await record.response()
        assert record.ephemeral
        assert record.content == "Only server admins can use this command."
        assert record.embeds == []


async def test_admin_reload_reports_errors_and_keeps_serving(running: Harness) -> None:
    running.errors.allowed += ["faq:", "faq reload refused"]
    faq_dir = running.tmp_path / "faq"
    (faq_dir / "hsct.md").write_text("---\nid: hsct\ntitle: [unclosed\n---\nAnswer.\n")
    record = await running.fake.slash("faq-admin", subcommand="reload", user_id=ADMIN_ID)
    message = await record.wait_original()
    (embed,) = message["embeds"]
    assert embed["title"] == "FAQ not reloaded"
    assert f"{faq_dir / 'hsct.md'}:3: error: bad YAML" in embed["description"]
    assert message["flags"] & (1 << 6)  # only the admin sees it

    answer = await running.fake.slash("faq", options={"topic": "hsct"}, user_id=MEMBER_ID)
    await answer.response()
    assert answer.embeds[0]["title"] == "What is aHSCT (stem cell transplant for MS)?"


async def test_admin_reload_picks_up_a_new_entry(running: Harness) -> None:
    shipped = len(list((running.tmp_path / "faq").glob("*.md")))
    source = (running.tmp_path / "faq" / "what-are-mscs.md").read_text()
    new = source.replace("id: what-are-mscs", "id: msc-glossary").replace(
        "title: What are mesenchymal stem cells (MSCs)?", "title: A short MSC glossary"
    )
    (running.tmp_path / "faq" / "msc-glossary.md").write_text(new)
    record = await running.fake.slash("faq-admin", subcommand="reload", user_id=ADMIN_ID)
    message = await record.wait_original()
    assert message["embeds"][0]["title"] == "FAQ reloaded"
    description = message["embeds"][0]["description"]
    assert description.startswith(f"FAQ reloaded: {shipped + 1} entries")


async def test_admin_stats(running: Harness) -> None:
    for question in ("what are mesenchymal stem cells", "what's the wifi at the meetup"):
        record = await running.fake.slash("ask", options={"question": question}, user_id=MEMBER_ID)
        await record.response()
    record = await running.fake.slash("faq-admin", subcommand="stats", user_id=ADMIN_ID)
    await record.response()
    assert record.ephemeral
    (embed,) = record.embeds
    assert embed["description"] == "2 questions asked, 1 answered (50%)."
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Most asked"] == "• What are mesenchymal stem cells (MSCs)? — 1"
    assert "wifi at the meetup" in fields["Most frequent unanswered"]


async def test_a_crisis_typed_into_ask_or_faq_gets_resources_and_one_alert(
    running: Harness,
) -> None:
    fake = running.fake
    crisis = "i want to end it all tonight"
    for command, option in (("ask", "question"), ("faq", "topic")):
        record = await fake.slash(command, options={option: crisis}, user_id=MEMBER_ID)
        await record.response()
        assert record.ephemeral and "988" in (record.content or "")
        assert "I don't have a good answer" not in str(record.embeds)
    posts = await fake.wait_for(
        lambda: (
            fake.messages[REVIEW_CHANNEL_ID] if len(fake.messages[REVIEW_CHANNEL_ID]) == 2 else None
        ),
        what="two review posts",
    )
    assert all("Typed into /" in str(p["embeds"]) for p in posts)
    assert [p.roles for p in fake.pings()] == [{MOD_ROLE_ID}, {MOD_ROLE_ID}]
    assert await running.app.db.fetchone("SELECT 1 FROM faq_queries") is None

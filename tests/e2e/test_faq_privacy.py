"""The FAQ's daily privacy job, registered on the running bot's scheduler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.fake_discord.guild import MEMBER_ID
from tests.harness import Harness


async def test_the_daily_job_erases_old_question_text(running: Harness) -> None:
    job = running.bot.scheduler.get_job("faq-erase-questions")  # type: ignore[union-attr]
    assert job is not None  # daily at 03:45 UTC
    assert (str(job.trigger.fields[5]), str(job.trigger.fields[6])) == ("3", "45")

    question = "my neurologist found two new lesions, is hsct worth it for me?"
    record = await running.fake.slash("ask", options={"question": question}, user_id=MEMBER_ID)
    await record.response()
    db = running.app.db
    cog = running.bot.get_cog("Faq")  # type: ignore[union-attr]
    assert await cog.erase_job() == 0  # asked just now: kept for query_retention_days

    long_ago = datetime.now(UTC) - timedelta(days=running.app.settings.faq.query_retention_days + 1)
    await db.execute("UPDATE faq_queries SET at = ?", (long_ago.isoformat(timespec="seconds"),))
    assert await cog.erase_job() == 1
    row = await db.fetchone("SELECT query, matched_id FROM faq_queries")
    assert row is not None and row["query"] == "" and row["matched_id"] is not None

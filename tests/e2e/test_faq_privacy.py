"""The FAQ's daily privacy job, listed by the FAQ core and scheduled by the runner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.fake_discord.guild import MEMBER_ID
from tests.harness import Harness


async def test_the_daily_job_erases_old_question_text(running: Harness) -> None:
    job = running.app.job("faq-erase-questions")
    assert running.running is not None and running.running.scheduler.get_job(job.id)
    assert (str(job.trigger.fields[5]), str(job.trigger.fields[6])) == ("3", "45")  # daily, UTC

    question = "what is hsct and how does the treatment work for ms?"
    record = await running.fake.slash("ask", options={"question": question}, user_id=MEMBER_ID)
    await record.response()
    db = running.app.db
    assert await job.run() == 0  # asked just now: kept for query_retention_days

    long_ago = datetime.now(UTC) - timedelta(days=running.app.settings.faq.query_retention_days + 1)
    await db.execute("UPDATE faq_queries SET at = ?", (long_ago.isoformat(timespec="seconds"),))
    assert await job.run() == 1
    row = await db.fetchone("SELECT query, matched_id FROM faq_queries")
    assert row is not None and row["query"] == "" and row["matched_id"] is not None

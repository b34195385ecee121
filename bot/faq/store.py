"""What members asked and whether answers helped: the FAQ's SQL, kept in one place.

Questions can carry health details, so only the first 200 characters are kept, never who
asked, and only for a while: `erase_questions_before` blanks the text of older questions and
keeps which entry answered them and when, so the stats still count them. Feedback keeps the
member id only to count one vote per member and entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.card import shorten
from bot.faq.terms import topic_words
from bot.storage import Database, utcnow

QUERY_LIMIT = 200
UNANSWERED_SCAN = 5000


@dataclass(frozen=True)
class Helpfulness:
    entry_id: str
    helpful: int
    not_helpful: int


class FaqStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_query(self, query: str, matched_id: str | None, score: float) -> None:
        await self.db.execute(
            "INSERT INTO faq_queries (query, matched_id, score, at) VALUES (?, ?, ?, ?)",
            (shorten(" ".join(query.split()), QUERY_LIMIT), matched_id, score, utcnow()),
        )

    async def erase_questions_before(self, cutoff: datetime) -> int:
        """Blank the text of questions asked before `cutoff`; return how many were erased."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE faq_queries SET query = '' WHERE at < ? AND query != ''",
                (cutoff.astimezone(UTC).isoformat(timespec="seconds"),),
            )
            return cursor.rowcount

    async def record_feedback(self, entry_id: str, user_id: int, helpful: bool) -> bool:
        """Store one vote; False if this member already voted on this entry."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO faq_feedback (entry_id, user_id, helpful, at) "
                "VALUES (?, ?, ?, ?)",
                (entry_id, user_id, int(helpful), utcnow()),
            )
            return cursor.rowcount == 1

    async def forget_member(self, user_id: int) -> int:
        """Delete a member's helpful/not-helpful votes (a data-removal request)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM faq_feedback WHERE user_id = ?", (user_id,))
            return cursor.rowcount

    async def counts(self) -> tuple[int, int]:
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS total, COUNT(matched_id) AS answered FROM faq_queries"
        )
        return (int(row["total"]), int(row["answered"])) if row else (0, 0)

    async def most_asked(self, limit: int = 10) -> list[tuple[str, int]]:
        rows = await self.db.fetchall(
            "SELECT matched_id, COUNT(*) AS n FROM faq_queries WHERE matched_id IS NOT NULL "
            "GROUP BY matched_id ORDER BY n DESC, matched_id LIMIT ?",
            (limit,),
        )
        return [(row["matched_id"], int(row["n"])) for row in rows]

    async def unanswered(self, limit: int = 10) -> list[tuple[str, int]]:
        """Unanswered questions, grouped so "Exosomes??" and "exosomes" count as one."""
        rows = await self.db.fetchall(
            "SELECT query FROM faq_queries WHERE matched_id IS NULL AND query != '' "
            "ORDER BY id DESC LIMIT ?",
            (UNANSWERED_SCAN,),
        )
        groups: dict[tuple[str, ...], list[str]] = {}
        for row in rows:
            key = tuple(topic_words(row["query"])) or (row["query"].strip().lower(),)
            groups.setdefault(key, []).append(row["query"])
        ranked = sorted(groups.values(), key=len, reverse=True)[:limit]
        return [(texts[0], len(texts)) for texts in ranked]

    async def helpfulness(self) -> list[Helpfulness]:
        rows = await self.db.fetchall(
            "SELECT entry_id, SUM(helpful) AS yes, COUNT(*) - SUM(helpful) AS no "
            "FROM faq_feedback GROUP BY entry_id ORDER BY COUNT(*) DESC, entry_id"
        )
        return [Helpfulness(row["entry_id"], int(row["yes"]), int(row["no"])) for row in rows]

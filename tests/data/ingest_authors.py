"""Add an independent author's rows to tests/data/, mechanically, printing counts only.

    python tests/data/ingest_authors.py a1 [a2 ...] [--root /work/authoring]

Each author wrote, without seeing the rules, the search, the FAQ code or anyone else's rows,
    <root>/<id>/messages.tsv   label<TAB>text         (advice | crisis | promotion | none)
    <root>/<id>/faq.tsv        expected<TAB>question  (an entry id, a|b, or - for out of scope)
from a common brief (the moderators' policy and the FAQ topics) and a persona of their own:

    a1  UK and Ireland, adults 55-78; long, rambling posts
    a2  US and Canada, teenagers and young adults; slang, emoji, dark humour
    a3  non-native English from continental Europe and Latin America; about a quarter of the
        rows in German, Spanish, French, Italian, Portuguese, Polish or Dutch
    a4  caregivers and relatives in Australia, New Zealand, Canada and South Africa
    a5  clinically literate members and people mid-treatment abroad; Indian and Nigerian English
    a6  terse mobile one-liners, voice-to-text, sarcasm; and spammers
    a7  English as a second or third language from Turkiye, the Middle East, Eastern Europe,
        Russia/Ukraine, Iran, Pakistan and South-East Asia; formal, translated idioms, understated
    a8  a European server: about 40% of rows in French, Italian, Spanish, Portuguese, Polish,
        Dutch or German, the rest English, some switching language mid-message

Ingesting an author replaces their earlier section, so it can be rerun when they add rows.
Rows that are malformed (field count, label, entry id) are left out and counted by reason with
their line numbers; exact duplicates (same text ignoring case and spacing, of any author's row
already in the file or of the author's own) are left out and counted. The text of a row is
never printed: these rows measure the system, and whoever tunes it must not read them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.models.data import (  # noqa: E402
    AUTHOR,
    FAQ_EVAL,
    MESSAGE_LABELS,
    MESSAGES,
    OUT_OF_SCOPE,
    MessageRow,
    QuestionRow,
    read_messages,
    read_questions,
)

PERSONAS = {
    "a1": "UK/Ireland adults 55-78, long rambling posts",
    "a2": "US/Canada teens and young adults, slang, emoji, dark humour",
    "a3": "non-native English (Europe, Latin America), a quarter in DE/ES/FR/IT/PT/PL/NL",
    "a4": "caregivers and relatives in Australia/NZ/Canada/South Africa",
    "a5": "clinically literate members, people mid-treatment abroad, Indian/Nigerian English",
    "a6": "terse mobile one-liners, voice-to-text, sarcasm, and spammers",
    "a7": "second-language English (Turkiye, Middle East, E. Europe, S. Asia), understated",
    "a8": "a European server, about 40% in FR/IT/ES/PT/PL/NL/DE, code-switching",
}


Check = Callable[[list[str]], str | None]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _entry_ids() -> frozenset[str]:
    return frozenset(p.stem for p in (ROOT / "faq").glob("*.md"))


def _text(row: MessageRow | QuestionRow) -> str:
    return row.text if isinstance(row, MessageRow) else row.question


def _valid_message(fields: list[str]) -> str | None:
    if len(fields) != 2:
        return f"{len(fields)} fields, not 2"
    if fields[0].strip() not in MESSAGE_LABELS:
        return "unknown label"
    return None if fields[1].strip() else "empty text"


def _valid_question(fields: list[str], ids: frozenset[str]) -> str | None:
    if len(fields) != 2:
        return f"{len(fields)} fields, not 2"
    expected = fields[0].strip()
    if not all(i in ids or i == OUT_OF_SCOPE for i in expected.split("|")):
        return "unknown entry id"
    return None if fields[1].strip() else "empty question"


def ingest(author: str, source: Path, target: Path, known: set[str], check: Check) -> Counter[str]:
    """Replace `author`'s section of `target` with the valid, new rows of `source`."""
    counts: Counter[str] = Counter()
    rejected: dict[str, list[int]] = {}
    rows: list[tuple[str, str]] = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r").split("\t")
        problem = check(fields)
        if problem:
            rejected.setdefault(problem, []).append(number)
            continue
        label, text = fields[0].strip(), " ".join(fields[1].split())
        if _key(text) in known:
            counts["duplicate"] += 1
            continue
        known.add(_key(text))
        rows.append((label, text))
        counts[
            label if label in MESSAGE_LABELS else "out of scope" if label == "-" else "in scope"
        ] += 1
    header = f"# --- author {author}: "
    kept = [
        line
        for line in target.read_text(encoding="utf-8").splitlines()
        if not line.startswith(header) and line.split("\t")[1:2] != [author]
    ]
    while kept and not kept[-1].strip():
        kept.pop()
    kept.append("#")
    kept.append(
        f"{header}{PERSONAS.get(author, 'independent author')} "
        f"(ingested from {source.parent.name}/{source.name}; never shown to the team) ---"
    )
    kept.extend(f"{label}\t{author}\t{text}" for label, text in rows)
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    for problem, numbers in sorted(rejected.items()):
        shown = ", ".join(map(str, numbers[:20])) + (" ..." if len(numbers) > 20 else "")
        print(f"  {source}: {len(numbers)} rows left out ({problem}): lines {shown}")
        counts["rejected"] += len(numbers)
    return counts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("authors", nargs="+", help="author ids, e.g. a1 a2")
    parser.add_argument("--root", type=Path, default=Path("/work/authoring"))
    args = parser.parse_args(argv)
    ids = _entry_ids()
    for author in args.authors:
        if not AUTHOR.match(author) or author in {"t1", "t2"}:
            print(f"error: {author!r} is not an independent author id (a1, a2, ...)")
            return 2
        folder = args.root / author
        for name, target, read, check in (
            ("messages.tsv", MESSAGES, read_messages, _valid_message),
            ("faq.tsv", FAQ_EVAL, read_questions, lambda f: _valid_question(f, ids)),
        ):
            source = folder / name
            if not source.exists():
                print(f"{author} {name}: not there yet, skipped")
                continue
            others = {_key(_text(r)) for r in read(target) if r.author != author}
            counts = ingest(author, source, target, others, check)
            read(target)  # the file must still parse as a whole
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            print(f"{author} {name} -> {target.name}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

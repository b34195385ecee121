"""The evaluation set keeps the shape the benchmark and the issue rely on."""

from __future__ import annotations

from collections import Counter

from tests.moderation.eval_file import rows


def test_size_labels_and_held_out_part() -> None:
    data = rows()
    labels = Counter(label for label, _, _ in data)
    assert len(data) >= 500
    assert labels["advice"] >= 120 and labels["crisis"] >= 40
    assert labels["none"] > labels["advice"] + labels["crisis"]  # mostly hard negatives
    held = [r for r in data if r[2]]
    share = len(held) / len(data)
    # Counts only in the message: a failure must not print held-out text to whoever tunes.
    assert 0.25 <= share <= 0.35, f"held-out share {share:.2f} of {len(data)} rows"
    labels_held = {label for label, _, _ in held}
    assert labels_held == {"advice", "crisis", "none"}, f"held-out labels {sorted(labels_held)}"


def test_no_message_is_labelled_twice() -> None:
    texts = Counter(text.strip().lower() for _, text, _ in rows())
    twice = sum(1 for n in texts.values() if n > 1)
    assert twice == 0, f"{twice} messages appear more than once"

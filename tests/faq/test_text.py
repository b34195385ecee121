"""The normalisation both the FAQ and members' questions go through."""

from __future__ import annotations

import pytest

from bot.faq.text import _PHRASES, _SYNONYMS, concept, terms


def test_every_concept_word_is_its_own_concept() -> None:
    """Otherwise a synonym would lead to a word the other side never produces."""
    assert {target for target in _SYNONYMS.values() if concept(target) != target} == set()
    for _, replacement in _PHRASES:
        for word in replacement.split():
            assert terms(word) == [concept(word)], replacement


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mesenchymal Stem Cells", ["msc"]),
        ("stromal cells", ["msc"]),
        ("MSC's", ["msc"]),
        ("mesenchymel cells", ["msc"]),  # the typo keeps its synonym, the generic word goes
        ("Bone-marrow transplantation", ["hsct"]),
        ("aHSCT", ["hsct"]),
        ("autologous haematopoietic stem cell transplant", ["hsct"]),
        ("SPMS", ["progressiv"]),
        ("when can I go back to work", ["job"]),
        ("does it work", ["effective"]),
        ("will I get better", ["improve"]),
        ("which is better", ["compare"]),
        ("my wife's neuro said", ["neurologist"]),
        ("Injections", ["inject"]),
    ],
)
def test_members_words_become_concepts(text: str, expected: list[str]) -> None:
    assert terms(text) == expected

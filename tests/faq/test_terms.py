"""The normalisation both the FAQ and members' questions go through."""

from __future__ import annotations

import pytest

from bot.faq.terms import _PHRASES, _SYNONYMS, concept, off_topic, terms, topic_words


def test_every_concept_word_is_its_own_concept() -> None:
    """Otherwise a synonym would lead to a word the other side never produces."""
    assert {target for target in _SYNONYMS.values() if concept(target) != target} == set()
    for _, replacement in _PHRASES:
        for word in replacement.split():
            if not word.startswith("\\"):  # a back-reference keeps the member's own words
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
        ("SPMS", ["progressive"]),
        ("not relapsing anymore", ["progressive"]),
        ("when can I go back to work", ["job"]),
        ("does it work", ["effective"]),
        ("will I get better", ["improve"]),
        ("which is better", ["compare"]),
        ("my wife's neuro", ["neurologist"]),
        ("Injections", ["inject"]),
        # someone else bringing a treatment up is context; a refusal is the topic
        ("my neuro suggested aHSCT", ["hsct"]),
        ("my husband's consultant mentioned stem cells", ["stem", "cell"]),
        ("my neuro said no to hsct", ["neurologist", "refuse", "hsct"]),
        # "how does it work" asks how; "does it work" asks whether
        ("how does hsct work", ["mechanism", "hsct"]),
        ("does hsct actually work", ["hsct", "effective"]),
        # everyday words for the FAQ's concepts
        ("tumor or cancer", ["tumour", "tumour"]),
        ("could it kill you", ["death"]),
        ("is that place legit or dodgy", ["clinic", "scam", "scam"]),
        ("unapproved clinic", ["unproven", "clinic"]),
        ("is it FDA approved", ["approved", "approved"]),
        ("will the NHS or my insurer pay", ["insurance", "insurance", "cost"]),
        ("$$$", ["cost"]),
        ("they want 20k", ["want", "cost"]),
        ("randomized and randomised", ["randomis", "randomis"]),
        ("what is hsct", ["define", "hsct"]),
        ("what are the risks", ["risk"]),  # an aspect, not a definition
        ("which one is safer, msc or hsct", ["compare", "msc", "hsct"]),
        ("tell me about info on exosomes", ["exosome"]),
    ],
)
def test_members_words_become_concepts(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize(
    ("text", "elsewhere"),
    [
        ("does vitamin d help fatigue", ["vitamin", "fatigue"]),
        ("how do i change my nickname on the server", ["nickname", "server"]),
        ("thanks bot!", ["chitchat"]),
        ("can i become a stem cell donor", ["donation"]),
        ("is hsct safe", []),
    ],
)
def test_words_of_everyday_ms_life_are_off_topic(text: str, elsewhere: list[str]) -> None:
    """They do not decide alone: the confidence model weighs their share of the question."""
    assert [w for w in topic_words(text) if off_topic(w)] == elsewhere


def test_a_tag_question_names_no_topic() -> None:
    from bot.faq.terms import terms

    assert terms("mesenchymal cells, right?") == terms("mesenchymal cells")
    assert "right" in " ".join(terms("which treatment is right for me"))

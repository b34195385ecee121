"""Plain crisis statements in seven languages reach the crisis path; ordinary sentences do not.

Sentences written for this test from the wording of each language and its crisis lines."""

import pytest

from bot.moderation.detector import classify

CRISIS = {
    "German": [
        "Ich will nicht mehr leben.",
        "ich will mich umbringen",
        "Ich möchte sterben, ich kann nicht mehr",
        "ich ritze mich gerade wieder",
        "Mein Mann bekommt keine Luft und ist jetzt bewusstlos",
        "meine schwester will sich umbringen, sie geht nicht ans telefon",
    ],
    "Spanish": [
        "quiero morirme",
        "Me voy a matar esta noche",
        "ya no quiero vivir mas",
        "me estoy cortando otra vez",
        "mi madre no respira, ayuda",
        "me tome todas las pastillas",
    ],
    "French": [
        "je veux en finir",
        "J'ai envie de mourir",
        "je ne veux plus vivre",
        "je me scarifie en ce moment",
        "mon mari ne respire plus",
        "mon fils veut se suicider",
    ],
    "Italian": [
        "voglio farla finita",
        "non voglio piu vivere",
        "Voglio morire stanotte",
        "mi sto tagliando",
        "mia madre non respira ed e svenuta",
        "ho preso tutte le pillole",
    ],
    "Portuguese": [
        "quero me matar",
        "não quero mais viver",
        "vou me matar hoje",
        "estou me cortando de novo",
        "meu pai nao consegue respirar",
        "minha irmã quer se matar",
    ],
    "Polish": [
        "chcę się zabić",
        "chce sie zabic",
        "nie chcę już żyć",
        "tnę się",
        "mama nie oddycha",
        "wzięłam wszystkie tabletki",
    ],
    "Dutch": [
        "ik wil dood",
        "Ik wil niet meer leven",
        "ik wil een eind aan mijn leven maken",
        "ik wil mezelf pijn doen, ik snijd mezelf",
        "mijn vrouw ademt niet",
        "mijn broer wil zichzelf van kant maken",
    ],
}

ORDINARY = {
    "German": ["Ich will morgen zur Infusion gehen.", "Wie lange dauert die Reha nach aHSCT?"],
    "Spanish": ["Quiero saber más sobre el trasplante.", "Hoy me siento un poco mejor, gracias"],
    "French": ["Je veux finir mes études cette année.", "Merci pour les infos sur la greffe"],
    "Italian": ["Voglio sapere di più sulle cellule staminali", "Ho finito la fisioterapia oggi"],
    "Portuguese": ["Quero saber mais sobre o transplante", "Hoje estou cansada mas bem"],
    "Polish": ["Chcę się dowiedzieć więcej o przeszczepie", "Dzisiaj czuję się lepiej"],
    "Dutch": ["Ik wil meer weten over stamceltherapie", "Vandaag voel ik me beter, dank je"],
}


@pytest.mark.parametrize(
    ("language", "text"), [(lang, t) for lang, texts in CRISIS.items() for t in texts]
)
def test_plain_crisis_is_caught(language: str, text: str) -> None:
    detection = classify(text)
    assert detection.category == "crisis", text
    assert any(f"(in {language})" in reason for reason in detection.reasons)


@pytest.mark.parametrize(
    ("language", "text"), [(lang, t) for lang, texts in ORDINARY.items() for t in texts]
)
def test_ordinary_sentence_is_not_crisis(language: str, text: str) -> None:
    assert classify(text).category != "crisis", text

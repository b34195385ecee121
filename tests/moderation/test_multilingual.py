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


# Reassurance and denial: a negation just before the words of intent. Written for this test
# from how each language negates, as a member would reassure the group.
NEGATED = {
    "German": [
        "Keine Sorge, ich denke nicht an Selbstmord, ich bin nur müde von den Schüben.",
        "Ich habe keine Selbstmordgedanken, ich will nur reden.",
    ],
    "Spanish": [
        "No quiero morir, solo estoy cansada de esta enfermedad.",
        "Tranquilos, nunca me voy a matar, solo necesito desahogarme.",
    ],
    "French": [
        "Je ne vais pas me suicider, rassurez-vous, j'ai juste besoin de parler.",
        "Je ne veux pas me faire du mal, je suis juste épuisée.",
    ],
    "Italian": [
        "Non voglio morire, voglio solo che il dolore passi.",
        "Non voglio farla finita, sono solo stanca e arrabbiata.",
    ],
    "Portuguese": [
        "Eu não quero morrer, só estou desabafando.",
        "Nunca vou me matar, fiquem tranquilos, só estou triste hoje.",
    ],
    "Polish": [
        "Nie chcę umrzeć, po prostu muszę się wygadać.",
        "Spokojnie, nigdy nie chcę się zabić, jestem tylko zmęczona.",
    ],
    "Dutch": [
        "Ik ga echt geen zelfmoord plegen, ik wil alleen even mijn verhaal kwijt.",
        "Nooit zelfmoord, hoor, maar deze vermoeidheid is zwaar.",
    ],
}

# A negation in another clause, or inside the statement itself, does not hide the crisis.
STILL_CRISIS = {
    "German": "Ich weiß nicht weiter, ich will sterben.",
    "Spanish": "No sé qué hacer, quiero morirme.",
    "French": "Je ne sais plus quoi faire. Je veux mourir.",
    "Italian": "Non ce la faccio più, voglio morire.",
    "Portuguese": "Não aguento mais, quero morrer.",
    "Polish": "Nie wiem co robić, chcę umrzeć.",
    "Dutch": "Ik weet het niet meer, ik wil dood.",
}

IDIOMS = {
    "Portuguese": "Quero morrer de vergonha, caí no meio da rua na frente de todo mundo",
    "Italian": "Mi ammazzo dal ridere con i video che avete postato",
    "Spanish": "Quiero morirme de risa con tu historia del neurólogo",
}


@pytest.mark.parametrize(
    ("language", "text"), [(lang, t) for lang, texts in NEGATED.items() for t in texts]
)
def test_a_negated_statement_is_not_crisis(language: str, text: str) -> None:
    assert classify(text).category != "crisis", text


@pytest.mark.parametrize(("language", "text"), list(STILL_CRISIS.items()))
def test_a_negation_elsewhere_does_not_hide_a_plain_crisis(language: str, text: str) -> None:
    detection = classify(text)
    assert detection.category == "crisis", text
    assert any(f"(in {language})" in reason for reason in detection.reasons)


@pytest.mark.parametrize(("language", "text"), list(IDIOMS.items()))
def test_dying_of_laughter_or_shame_is_not_crisis(language: str, text: str) -> None:
    assert classify(text).category != "crisis", text


def test_the_normaliser_keeps_portuguese_nao_and_french_n_apostrophe() -> None:
    from bot.moderation.detector.normalise import normalise

    assert "não consigo respirar" in normalise("Não consigo respirar").text
    assert "je n'ai" in normalise("Je n'ai plus de force").text
    assert normalise("me n my mum").text == "me and my mum"

"""Plain crisis statements in the main languages of MS communities besides English.

Members write in their own language when it matters most. These rules cover what is said
plainly: suicidal intent, self-harm now, a medical emergency now, someone else at risk now, in
German, Spanish, French, Italian, Portuguese, Polish and Dutch. They were written from the
wording of those languages and of their crisis lines (Telefonseelsorge, Teléfono de la
Esperanza / 024, SOS Amitié / 3114, Telefono Amico, CVV, Telefon Zaufania 116 123, 113
Zelfmoordpreventie), not from any evaluation rows. Text is folded first: lower case, accents
dropped ("ich möchte" and "ich mochte", "chcę się zabić" and "chce sie zabic" are one), so
phone keyboards without accents are covered. Recall first: a plain statement is flagged even
if it may be a figure of speech; a moderator can dismiss it. Two guards, from how these
languages are written rather than from any rows: a negation just before a statement of
intent ("no quiero morir", "nie chcę umrzeć") and the common "dying of laughter / of shame"
idioms ("morrer de rir", "mi ammazzo dal ridere").
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "’": "'", "`": "'"})

SUICIDAL = "says plainly (in {lang}) that they want to die or end their life"
SELF_HARM = "says (in {lang}) that they are harming themselves"
EMERGENCY = "describes (in {lang}) a medical emergency happening now"
OTHER = "says (in {lang}) that someone else is at risk now"


def fold(text: str) -> str:
    """Lower case without accents, so "quiero morirme" and "quiéro morírme" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _p(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# language -> ((reason template, pattern), ...); patterns are over folded text.
_RULES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "German": (
        (
            SUICIDAL,
            _p(
                r"\b(?:ich )?(?:will|mochte|moechte|wurde am liebsten|werde) "
                r"(?:nur noch |einfach )?"
                r"(?:sterben|tot sein)\b",
                r"\b(?:will|mochte|moechte|mag) nicht mehr "
                r"(?:leben|da sein|weiterleben|aufwachen)\b",
                r"\bmich (?:umbringen|umzubringen|toten|toeten|erschiessen|erhangen|aufhangen)\b",
                r"\bbring(?:e)? mich um\b|\bselbstmord\w*|\bsuizid\w*",
                r"\b(?:meinem|mein) leben (?:ein )?ende (?:setzen|machen|bereiten)\b",
                r"\bschluss machen\s*[.!]*$|\bich kann nicht mehr\s*[.!]*$",
                r"\babschiedsbrief\w*|\bder welt ohne mich besser\b|\bohne mich besser dran\b",
                r"\b(?:alle|die ganzen) (?:tabletten|pillen)\b.{0,30}\b(?:genommen|geschluckt|"
                r"bereit|vor mir)",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\britze mich\b|\bmich (?:selbst )?(?:verletzen|verletze|geritzt|schneide|"
                r"geschnitten)\b|\bselbstverletz\w*"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\b(?:bekomme|kriege|krieg|bekommt|kriegt) keine luft\b|\batmet nicht\b|"
                r"\b(?:kann|konnen) nicht (?:mehr )?(?:atmen|schlucken)\b",
                r"\bbewusstlos\b|\bkrampfanfall\b|\bkrampft\b|\bbrustschmerz\w*|"
                r"\bschmerzen in der brust\b|\bnotarzt\b|\b(?:rufe?|ruft) (?:den )?(?:112|"
                r"krankenwagen)",
            ),
        ),
        (
            OTHER,
            _p(
                r"\b(?:er|sie|mein \w+|meine \w+) (?:will|wollte) sich (?:umbringen|das leben "
                r"nehmen)\b|\bsich (?:umbringen|das leben nehmen)\b"
            ),
        ),
    ),
    "Spanish": (
        (
            SUICIDAL,
            _p(
                r"\b(?:quiero|quisiera|deseo) (?:morir|morirme|matarme|suicidarme|desaparecer "
                r"para siempre)\b",
                r"\bme (?:quiero|voy a) (?:morir|matar|suicidar)\b",
                r"\bvoy a (?:matarme|suicidarme)\b",
                r"\bno quiero (?:seguir )?viv(?:ir|iendo)\b|\bno quiero vivir mas\b",
                r"\bquitarme la vida\b|\bacabar con (?:mi vida|todo)\b",
                r"\bganas de morir\w*|\bestarian mejor sin mi\b|\bcarta de despedida\b",
                r"\b(?:me )?(?:tome|he tomado|trague)(?: \w+){0,2} todas las (?:pastillas|"
                r"pildoras)\b",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\bme (?:estoy cortando|corto|corte|estoy haciendo dano)\b|\bhacerme dano\b|"
                r"\bautolesion\w*"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\bno (?:puedo|puede) (?:respirar|tragar)\b|\bno respira\b|\binconsciente\b|"
                r"\bconvulsion\w*|\bconvulsionando\b|\bdolor (?:fuerte )?(?:de|en el) pecho\b|"
                r"\bllamen? (?:al|a una) (?:112|911|ambulancia)\b",
            ),
        ),
        (OTHER, _p(r"\bse (?:quiere|va a) (?:matar|suicidar)\b|\bquitarse la vida\b")),
    ),
    "French": (
        (
            SUICIDAL,
            _p(
                r"\bje (?:veux|voudrais|vais) (?:mourir|en finir|me tuer|me suicider)\b",
                r"\ben finir (?:avec (?:la vie|tout|ma vie))?\b|\bme (?:suicider|tuer)\b",
                r"\bje (?:ne )?veux plus vivre\b|\benvie de mourir\b|\bmettre fin a (?:mes|ma) "
                r"(?:jours|vie)\b",
                r"\bj'?en peux plus\s*[.!]*$|\blettre d'?adieu\b|\bmieux sans moi\b",
                r"\bj'?ai (?:pris|avale) (?:toutes? )?(?:mes|les) (?:cachets|comprimes|pilules|"
                r"medicaments)\b",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\bje me (?:coupe|scarifie|fais du mal|mutile)\b|\bme faire du mal\b|"
                r"\bautomutil\w*|\bscarif\w*"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\b(?:n'?arrive|n'?arrive plus|ne peux|ne peut|peux|peut) (?:pas |plus )?"
                r"(?:a )?(?:respirer|avaler)\b|\bne respire (?:pas|plus)\b|\binconscient\w*|"
                r"\bconvuls\w*|\bcrise d'?epilepsie\b|\bdouleur (?:a la|dans la|thoracique)"
                r"(?: poitrine)?\b|\bappele[rz]? le (?:15|112|samu)\b",
            ),
        ),
        (OTHER, _p(r"\b(?:veut|va) se (?:tuer|suicider)\b|\bse suicider\b")),
    ),
    "Italian": (
        (
            SUICIDAL,
            _p(
                r"\bvoglio (?:morire|farla finita|uccidermi|ammazzarmi|suicidarmi)\b",
                r"\bfarla finita\b|\b(?:uccidermi|ammazzarmi|suicidarmi)\b",
                r"\bmi (?:uccido|ammazzo)\b",
                r"\bnon voglio piu vivere\b|\btogliermi la vita\b",
                r"\bvoglia di morire\b|\bmeglio senza di me\b|\blettera d'?addio\b",
                r"\bho preso tutte le (?:pillole|pastiglie|compresse|medicine)\b",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\bmi (?:taglio|sto tagliando|faccio del male)\b|\bfarmi del male\b|"
                r"\bautolesion\w*"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\bnon (?:riesco|riesce|posso) (?:a )?(?:respirare|deglutire)\b|\bnon respira\b|"
                r"\bsvenut[oa]\b|\bincoscient[ei]\b|\bconvulsion\w*|\bdolore al petto\b|"
                r"\bchiama(?:te)? (?:il )?(?:112|118|ambulanza)\b",
            ),
        ),
        (OTHER, _p(r"\bvuole (?:uccidersi|ammazzarsi|suicidarsi|farla finita)\b")),
    ),
    "Portuguese": (
        (
            SUICIDAL,
            _p(
                r"\bquero (?:morrer|me matar|matar-me|sumir para sempre)\b",
                r"\bvou (?:me matar|matar-me|me suicidar)\b|\bme (?:matar|suicidar)\b|"
                r"\bnao quero (?:mais )?viver(?: mais)?\b",
                r"\btirar (?:a )?minha (?:propria )?vida\b",
                r"\bacabar com (?:tudo|a minha vida|minha vida)\b|\bvontade de morrer\b",
                r"\bmelhor sem mim\b|\bcarta de despedida\b",
                r"\btomei todos os (?:comprimidos|remedios|medicamentos)\b",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\bme (?:cortando|cortei|corto)\b|\bme (?:machucar|machucando)\b|"
                r"\bautomutil\w*|\bautolesao\b"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\bnao (?:consigo|consegue|posso) (?:respirar|engolir)\b|"
                r"\bnao (?:esta )?"
                r"respira(?:ndo)?\b|\bdesmaiou\b|\binconsciente\b|\bconvuls\w*|"
                r"\bdor no peito\b|\bliga(?:r|m)? (?:pro|para o) (?:192|112|samu)\b",
            ),
        ),
        (OTHER, _p(r"\b(?:quer|vai) se (?:matar|suicidar)\b")),
    ),
    "Polish": (
        (
            SUICIDAL,
            _p(
                r"\bchce (?:umrzec|sie zabic|zniknac na zawsze)\b|\bzabije sie\b|\bzabic sie\b",
                r"\bnie chce (?:juz )?zyc\b|\bsamobojstw\w*|\bsamobojcz\w*",
                r"\bodebrac sobie zycie\b|\bskonczyc (?:ze soba|z tym wszystkim)\b",
                r"\blist pozegnalny\b|\blepiej beze mnie\b",
                r"\b(?:wzialem|wzielam|lyknalem|lyknelam|polknalem|polknelam) wszystkie "
                r"(?:tabletki|leki|pigulki)\b",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\btne sie\b|\bokaleczam sie\b|\bsamookalecz\w*|\bzrobic sobie krzywde\b|"
                r"\brobie sobie krzywde\b"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\bnie (?:moge|moze) (?:oddychac|przelykac|zlapac tchu)\b|\bnie oddycha\b|"
                r"\bnieprzytomn\w*|\bdrgawki\b|\batak padaczki\b|\bbol w klatce\b|"
                r"\bdzwon(?:ic|cie)? (?:na|po) (?:112|999|karetke)\b",
            ),
        ),
        (OTHER, _p(r"\bchce sie zabic\b|\b(?:on|ona) chce umrzec\b")),
    ),
    "Dutch": (
        (
            SUICIDAL,
            _p(
                r"\bik wil (?:dood|sterven|niet meer leven|niet meer wakker worden)\b",
                r"\bzelfmoord\w*|\bmezelf (?:van kant maken|doden|ombrengen)\b",
                r"\b(?:een )?(?:eind|einde) aan mijn leven\b|\bik maak er een eind aan\b",
                r"\bafscheidsbrief\b|\bbeter af zonder mij\b",
                r"\balle (?:pillen|tabletten|medicijnen) (?:ingenomen|geslikt|genomen)\b",
            ),
        ),
        (
            SELF_HARM,
            _p(
                r"\bmezelf (?:snijden|pijn doen|iets aandoen|beschadigen)\b|"
                r"\bik snijd mezelf\b|\bzelfbeschadiging\b"
            ),
        ),
        (
            EMERGENCY,
            _p(
                r"\bkan (?:niet|geen) (?:meer )?(?:ademen|slikken|lucht krijgen)\b|"
                r"\bademt niet\b|\bkrijg geen lucht\b|\bbewusteloos\b|\bepileptische aanval\b|"
                r"\bpijn op de borst\b|\bbel(?:t)? (?:112|een ambulance)\b",
            ),
        ),
        (
            OTHER,
            _p(
                r"\bwil (?:zichzelf )?(?:van kant maken|dood)\b|\bzichzelf (?:iets aandoen|"
                r"van kant maken)\b"
            ),
        ),
    ),
}


# Negation words per language (folded). A statement of intent with one of these in the two
# words before it, in the same clause, is a denial: "no quiero morir", "je ne vais pas me
# suicider", "ik ga geen zelfmoord plegen" are what people say to reassure, not to disclose.
# A negation inside the statement itself stays a crisis ("nie chcę już żyć", "ich will nicht
# mehr leben", "não quero mais viver"): the pattern matched it whole.
_NEGATORS: dict[str, frozenset[str]] = {
    "German": frozenset({"nicht", "nie", "niemals", "kein", "keine", "keinen", "keinerlei"}),
    "Spanish": frozenset({"no", "nunca", "jamas", "ni"}),
    "French": frozenset({"ne", "pas", "jamais", "aucune", "aucun"}),
    "Italian": frozenset({"non", "mai", "nessuna", "nemmeno", "neanche"}),
    "Portuguese": frozenset({"nao", "nunca", "jamais", "nem"}),
    "Polish": frozenset({"nie", "nigdy"}),
    "Dutch": frozenset({"niet", "nooit", "geen"}),
}
NEGATION_WINDOW = 2
_CLAUSE = re.compile(
    r"[,.;:!?\n]|\b(?:but|aber|sondern|pero|sino|mais|ma|mas|porem|ale|lecz|maar)\b"
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Everyday hyperbole that borrows the words of dying: dying of laughter or of shame.
_IDIOM_AFTER = re.compile(
    r"^\s*(?:de (?:rir|risa|rire|vergonha|verguenza|honte)|"
    r"(?:dal|dalle|di) (?:ridere|risate|vergogna)|"
    r"ze (?:smiechu|wstydu)|"
    r"(?:vor|aus) (?:lachen|scham)|"
    r"van (?:het lachen|schaamte))\b"
)
_GUARDED = frozenset({SUICIDAL, SELF_HARM, OTHER})


def _negated(language: str, before: str) -> bool:
    """Whether the clause just before a match denies it ("no", "nie", "ne ... pas")."""
    clause = _CLAUSE.split(before)[-1]
    words = _WORD.findall(clause)[-NEGATION_WINDOW:]
    negators = _NEGATORS[language]
    return any(w in negators or w.startswith("n'") for w in words)


def _stated(language: str, template: str, pattern: re.Pattern[str], folded: str) -> bool:
    """A match that is not denied just before it and not an idiom just after it."""
    for match in pattern.finditer(folded):
        if template not in _GUARDED:
            return True
        if _negated(language, folded[: match.start()]):
            continue
        if _IDIOM_AFTER.match(folded[match.end() :]):
            continue
        return True
    return False


def multilingual_reasons(text: str) -> list[str]:
    """Reasons for each plain crisis statement in a language other than English."""
    folded = fold(text)
    reasons: list[str] = []
    for language, rules in _RULES.items():
        for template, pattern in rules:
            if _stated(language, template, pattern, folded):
                reasons.append(template.format(lang=language))
    return reasons

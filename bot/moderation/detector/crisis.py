"""Crisis cues: rules for what someone in crisis says, and the weak `Cues` (a goodbye, the
means at hand, affairs in order) that mean little alone and a lot together."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.moderation.detector.lexicon import DRUGS
from bot.moderation.detector.rules import Rule, _rule

# --- crisis rules ------------------------------------------------------------------------------

_CRISIS_RULES: tuple[Rule, ...] = (
    _rule(
        "mentions wanting to die",
        0.9,
        r"\b(?:want|wants|wanted|wanting|wish|wishing|ready|need) to die\b",
        r"\bwish (?:that )?i (?:was|were|had been) (?:dead|never born|gone)",
        r"\b(?:rather|better off) (?:be )?dead\b",
        r"\b(?:do not|not|never|no longer) want to (?:live|be alive|be here|exist|go on|wake up)",
        r"\bwant to (?:stop existing|disappear)|\bstop existing\b",
        r"\bwant (?:it|this|everything|life) (?:all )?to (?:end|be over|stop)\b",
        r"\b(?:and |to )?not wake up\b|\bi (?:would|will|did|had) not (?:wake up|woken up)",
        r"\bwish(?:ing)? i (?:would|will|had|did) not (?:wake|woken)",
        r"\bpray i (?:will|would) not wake",
        r"\bsleep forever\b|\bnever wake up\b|\bgo to sleep and (?:never|not)\b",
        r"\b(?:life|living) (?:is not|is no longer|not) worth (?:living|it)\b|\bnot worth living\b|"
        r"\bwhy bother (?:living|being alive|staying alive)\b",
        r"\b(?:not|never) (?:be )?(?:here|around|alive) (?:much longer|for long|for much longer)\b",
        r"\b(?:do not|never) think i will (?:be (?:here|around|alive)|make it) (?:next|by|much|to|"
        r"for)",
    ),
    _rule(
        "mentions suicide or ending their life",
        0.95,
        r"\bkill(?:ing)? myself\b|\bsuicidal\b",
        r"\b(?:commit|committing|attempt|attempting) suicide\b|\bsuicide (?:note|plan)\b",
        r"\bthink(?:ing)? (?:about|of) (?:suicide|killing myself)",
        r"\bthoughts of (?:suicide|killing myself|ending it|dying)\b",
        r"\bkill(?:ing)? (?:himself|herself|themselves)\b|\b(?:end|take) (?:his|her|"
        r"their) (?:own )?"
        r"life\b",
        r"\bend(?:ing)? (?:my|it) (?:life|all)\b|\btak(?:e|ing) my (?:own )?life\b",
        r"\b(?:end|ending) (?:it|things|everything)\b(?! with)",
        # "finish it" only as an intention ("the leaflet says finish it" is about a course)
        r"\b(?:going to|want to|will|ready to|time to|just|about to|decided to|i am) "
        r"finish(?:ing)? (?:it|things|everything)(?: all| tonight| now| for good| today)?\b"
        r"(?! off| course| first)"
        r"|\bfinish(?:ing)? it all\b",
    ),
    _rule(
        "mentions self-harm",
        0.9,
        r"\b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning) myself\b",
        r"\bself[- ]?harm\w*|\b(?:started|start) (?:cutting|hurting myself) again",
        r"\bcut(?:ting)? again\b|\burges? to (?:hurt|harm|cut)\b",
        r"\bcut (?:myself )?too deep\b",
    ),
    _rule(
        "mentions a plan or the means",
        0.85,
        r"\b(?:saving|saved|stockpil\w*|hoard\w*|collecting) (?:up )?(?:all )?(?:my |of my )?"
        r"(?:pills|medication|tablets|meds|\w+ pills)\b",
        rf"\b(?:took|taken|swallowed|take|taking) (?:all|a whole|the whole|every|too many|a load)"
        rf"\b(?: \w+){{0,4}}?\s*(?:pills?|tablets?|medication|{DRUGS}|strip|bottle|box|packet|"
        r"at once)",
        r"\boverdos\w*",
        r"\b(?:have|got|holding) (?:got )?(?:the|a) (?:rope|gun|knife|blade|razor)\b|"
        r"\b(?:knife|blade|razor) in my hand\b|\bwith a (?:blade|knife|razor)\b",
        r"\b(?:pills|tablets) (?:are )?in front of me\b|\bhave the pills\b",
        r"\b(?:jump|jumping) (?:off|from|in front of)\b",
        r"\b(?:drive|driving|crash|crashing) (?:my car |the car )?(?:into|off)\b",
        r"\b(?:standing|sitting) on (?:the|a) (?:bridge|roof|ledge|edge)\b",
        r"\bhow many \w+ (?:\w+ )?(?:it takes|would it take|does it take|to) (?:to )?(?:die|not "
        r"wake up|kill|overdose|end)",
        r"\bi have a plan\b|\b(?:goodbye|suicide) (?:letters?|notes?)\b|\bletters? to my "
        r"(?:kids|family|children|husband|wife)\b(?!'|s?\s+(?:teachers?|school|doctors?)|\s+(?:for "
        r"(?:their|his|her|when)|about|explaining|to open))",
        r"\bmy last message(?: here| ever| on here)?\s*[.!]*$",
        r"\bis my last(?: (?:message|post|words|goodbye|night|day))?\s*[.!]*$",
        r"\bmake sure i am gone\b|\bmade my peace\b",
        r"\benough (?:\w+ ){0,2}to (?:make it stop|end it|kill|not wake)",
        r"\btonight is the night\b|\btonight's the night\b|\bi think i am ready now\b",
        r"\bswallow (?:everything|all|every)\b",
        rf"\b(?:took|taken|swallowed) (?:[1-9]\d+|twenty|thirty|forty|fifty|"
        rf"a hundred) (?:of (?:my |"
        rf"the |his |her )?)?(?:\w+ )?(?:pills?|tablets?|capsules?|{DRUGS})",
        r"\bi am (?:standing |sitting )?(?:on|at the edge of|up on) (?:the|a) (?:roof|bridge|ledge|"
        r"cliff)(?: (?:of|near|over|at|by) [\w ]+)?\s*[.!]?$",
    ),
    _rule(
        "feels others would be better off without them",
        0.85,
        r"\bbetter off without me\b|\bbetter off if i (?:was|were|am) (?:gone|dead|not here)\b",
        r"\b(?:nobody|no one|noone) would (?:even )?(?:care|notice|miss me)\b",
        r"\b(?:nobody|no one) would care if i died\b|\bnobody would miss me\b",
        r"\b(?:nobody|no one) (?:cares|would care) (?:if|whether) i (?:am alive|live|die|lived|"
        r"died)",
        r"\b(?:better|happier|easier) (?:off )?(?:for (?:everyone|everybody|them|all|my \w+) )?"
        r"(?:if|without) (?:me\b|i (?:just )?(?:was|were|am) (?:not|no longer|gone|dead))",
    ),
    _rule(
        "sees no way forward",
        0.45,
        r"\bno (?:point|reason) (?:in |to )?(?:living|live|going on|keep going|any more)\b|"
        r"\bthere is no point any more\b",
        r"\bwhat is the point of (?:living|life|going on|any of this)\b",
        r"\b(?:cannot|can not|do not) see (?:another|any other) way\b|\bi have had enough"
        r"(?: of (?:this|it|life|everything|this (?:disease|illness|life|pain)))?\s*[.!,]*$|"
        r"\bno way out\b|\bcannot go on\b|\bcannot do this any more\b|\bcannot do it any more\b",
        r"\b(?:do not|cannot) see (?:a|any) (?:reason|point) (?:to|in) (?:live|living|keep|go)",
        r"\bhow much longer i can (?:hold on|go on|keep going)\b",
        r"\bi am done\s*[.!]?$|\bi am (?:so )?done\.",
        r"\b(?:i am|being) (?:just )?a burden\b",
    ),
    _rule(
        "sounds tired of living",
        0.55,
        r"\b(?:cannot|can not) (?:keep|go on) (?:living )?like this\s*[.!]?$|"
        r"\bcannot go on living\b",
        r"\btired of (?:life|living|being alive)\s*(?:[.!,]|$|and\b|any more)",
        r"\bwant to give up\s*(?:[.!]|$|on (?:life|everything|living))|\bgive up on (?:life|"
        r"living)\b",
    ),
    _rule(
        "mentions suicide",
        0.7,
        r"\bsuicide\b",
    ),
    _rule(
        "describes a medical emergency happening now",
        0.9,
        r"\b(?:cannot|can not|could not|struggling to|trouble|difficulty|hard to) breath\w*|"
        r"\bnot breathing\b|\bstopped breathing\b",
        r"\bthroat (?:is |feels |going )?(?:swelling|swollen|closing|tight)|"
        r"\b(?:lips?|tongue|face) (?:is |are )?(?:swelling|swollen|going blue|turning blue)",
        r"\bcollapsed\b|\bunconscious\b|\bunresponsive\b|\bnot responding\b|"
        r"\b(?:cannot|can not) wake (?:him|her|them|my \w+) up\b|\b(?:is not|not) waking up\b",
        r"\b(?:having|has|had|is having) a (?:seizure|fit)\b|\bseizure (?:that )?(?:will not|"
        r"does not|is not) stop|\bseizing\b|\bfitting\b",
        r"\bface (?:is |has |just )?(?:drooping|droopy|went droopy|gone droopy|just went droopy)|"
        r"\b(?:cannot|can not) (?:move|feel) (?:my|his|her) (?:right|left) (?:side|arm|leg)|"
        r"\bcannot speak properly\b|\bslurred speech\b|\bspeech is slurred\b",
        r"\b(?:crushing|severe) chest pain\b|\bchest pain (?:right now|now)\b",
        r"\bbleeding\b.{0,60}\b(?:will not|does not|not) stop",
    ),
)

# Rarer wordings of the same reasons, tried only on sentences that contain one of their words.
_CRISIS_RULES += (
    _rule(
        "mentions wanting to die",
        0.9,
        r"\bhope (?:that )?i (?:get hit by|get run over|crash|do not wake|never wake)\b",
        r"\bwish (?:this|the|my|that|it|ms|god|someone|something)(?: \w+)? would (?:just )?"
        r"(?:hurry up and )?(?:take|kill|finish) me\b|\bhurry up and (?:take|kill) me\b",
        r"\bwish i could (?:just )?(?:(?:disappear|vanish) (?:forever|for good|and never come "
        r"back)|not exist|stop existing|not be here|sleep forever|fall asleep forever)",
        hints=("hope", "wish", "hurry"),
    ),
    _rule(
        "mentions a plan or the means",
        0.85,
        r"\b(?:tied|tying|hung|hanging|put up|made|making) (?:the|a) (?:rope|noose)\b|\bnoose\b",
        r"\bhose\w* (?:from|to|on|in|into|through) (?:the )?exhaust\b",
        r"\b(?:vodka|whisky|whiskey|wine|gin|alcohol|booze|bottle of \w+)\b.{0,40}\b(?:and|with) "
        rf"all (?:of )?(?:my|the|his|her) (?:pills|tablets|meds|medication|{DRUGS})\b",
        hints=(
            "rope",
            "noose",
            "exhaust",
            "vodka",
            "whisk",
            "wine",
            "gin",
            "alcohol",
            "booze",
            "bottle",
        ),
    ),
    _rule(
        # "I won't be a burden to anyone much longer": no word for death, and yet a deadline.
        "hints at an intention to die",
        0.6,
        r"\b(?:will not|am not going to|do not want to) be (?:a |an )?(?:problem|burden|bother|"
        r"nuisance|trouble|worry)(?: to| for| on) (?:anyone|anybody|everyone|everybody|"
        r"you(?: all)?|my \w+)(?: \w+){0,2}? (?:after (?:tonight|today|this|tomorrow)|"
        r"much longer|for (?:much )?longer|for long|soon)\b",
        hints=("problem", "burden", "bother", "nuisance", "trouble", "worry"),
    ),
    _rule(
        "describes a medical emergency happening now",
        0.9,
        r"\bclutching (?:his|her|my|their) chest\b|\b(?:grey|gray|pale) and (?:sweaty|clammy)\b",
        r"\bhit (?:his|her|my|their) head\b.{0,60}\b(?:confused|being sick|vomiting|drowsy|"
        r"not making sense|will not wake|passed out)",
        hints=("chest", "sweaty", "clammy", "head"),
    ),
)

# Crisis-service warning signs the rules above did not cover. Source: NIMH / 988 Suicide &
# Crisis Lifeline "warning signs" lists: "making a plan or looking for a way to kill
# themselves, such as searching online, stockpiling pills or buying a gun" and "talking about
# feeling trapped" (Samaritans' and WHO's lists say the same). Stockpiling, goodbyes, giving
# things away, affairs in order, being a burden and a set time are covered above.
_CRISIS_RULES += (
    _rule(
        "mentions a plan or the means",
        0.85,
        r"\b(?:looking|looked|searching|searched|googling|googled|researching|researched|"
        r"reading up) (?:online |on line |up )?(?:for |on |into )?(?:a way|ways|the best way|"
        r"the easiest way|methods?|how) (?:to |of )?(?:kill(?:ing)? myself|die|dying|end(?:ing)? "
        r"(?:my life|it)|overdos\w*|not wak(?:e|ing) up)\b",
        r"\b(?:bought|buying|ordered|ordering|getting|got) (?:a |the |some )?(?:gun|rope|"
        r"noose)\b(?: \w+){0,3} (?:to (?:end|kill|finish|do it)|so i can (?:end|die|do it)|for "
        r"(?:myself|tonight|when))",
        hints=(
            "looking",
            "looked",
            "searching",
            "searched",
            "googl",
            "research",
            "reading up",
            "bought",
            "buying",
            "order",
            "getting",
            "got",
        ),
    ),
    _rule(
        "says they feel trapped",
        0.45,
        r"\b(?:feel|feeling|am|i am) (?:so |completely |totally |just |really )?trapped\b"
        r"(?! (?:in|at|by) (?:traffic|work|the (?:snow|lift|elevator|rain)))",
        hints=("trapped",),
    ),
)

_FEVER = re.compile(
    r"\b(?:temp|temperature|fever)\b.{0,40}?\b(?:3[89](?:\.\d)?|40(?:\.\d)?|10[345])\b"
)
_AFTER_TRANSPLANT = re.compile(
    r"\b(?:post (?:a?hsct|transplant|chemo)|days? post\b|after (?:my |the )?(?:a?hsct|transplant|"
    r"chemo)|day \d+ of (?:a?hsct|chemo)|neutropeni\w*|during (?:a?hsct|chemo))"
)
_FEVER_REASON = "describes a fever during transplant recovery"


@dataclass(frozen=True)
class Cues:
    """Signs that mean little alone and a lot together.

    Someone about to end their life rarely names it: they say goodbye, settle their affairs,
    describe the means at hand ("in the garage with the engine on", "all the tablets lined up").
    Each sign alone is everyday life (a goodbye at bedtime, a garage, a bridge), so each is weak;
    two different signs, of one kind or of two, reach the threshold. `everyday` cues lose their
    force when the message gives an ordinary reason ("off to bed", "see you next week").
    """

    reason: str
    weight: float
    pattern: re.Pattern[str]  # one named group per sign, so distinct signs can be counted
    everyday: bool
    # Words and phrases one of which each sign contains: a quick way to skip most messages.
    words: frozenset[str]
    phrases: tuple[str, ...]
    most: int  # how many distinct signs of this kind can count

    def may_occur(self, text: str, words: set[str]) -> bool:
        return not self.words.isdisjoint(words) or any(p in text for p in self.phrases)


def _cues(
    reason: str,
    weight: float,
    triggers: str,
    *signs: str,
    everyday: bool = True,
    most: int = 2,
) -> Cues:
    pattern = re.compile("|".join(f"(?P<s{i}>{sign})" for i, sign in enumerate(signs)))
    items = [item.strip() for item in triggers.split(",") if item.strip()]
    words = frozenset(item for item in items if " " not in item)
    phrases = tuple(item for item in items if " " in item)
    return Cues(reason, weight, pattern, everyday, words, phrases, most)


_CRISIS_CUES: tuple[Cues, ...] = (
    _cues(
        "describes the means at hand",
        0.4,
        "pills, pill, tablets, tablet, meds, medication, capsules, garage, engine, bridge, roof, "
        "rooftop, ledge, cliff, cliffs, storey, multistorey, railway, tracks, platform, overpass, "
        "viaduct, lined, laid, top of the",
        r"\b(?:all|every|each) (?:of )?(?:my |the |his |her )?(?:pills?|tablets?|meds|medication|"
        r"capsules)\b[^.]{0,30}\b(?:lined up|counted out|laid out|out on the|in a pile|ready)\b"
        r"|\b(?:lined|counted|laid) (?:out|up) (?:all|every)\b"
        r"|\b(?:lined|laid|set|got) (?:up |out )?everything (?:i need|ready)\b",
        r"\bgarage\b[^.]{0,50}\bengine\b|\bengine\b[^.]{0,50}\bgarage\b",
        r"\b(?:up\s+)?(?:on|at|by|over|onto|from|off) "
        r"(?:the |a )?(?:edge of (?:the |a )?)?(?:bridge|roof|rooftop|ledge|cliffs?|cliff edge|"
        r"multi ?-?storey|car park roof|railway|train tracks|tracks|platform edge|overpass|"
        r"viaduct)\b"
        r"|\b(?:at|on) the top of (?:the |a )?(?:car park|multi ?-?storey|building|bridge|cliffs?|"
        r"tower|block)\b",
        r"\bwith (?:a bottle of \w+ and )?all (?:of )?(?:my|his|her|the) (?:pills|tablets|meds|"
        r"medication)\b",
        r"\b(?:his|her|my|their) (?:pills|tablets|meds|medication) (?:are|have) (?:all )?"
        r"(?:gone|missing|disappeared)\b",
        r"\b(?:have|has|got) (?:got )?(?:the|all (?:the|my)) (?:pills|tablets)"
        r"(?: and| ready| here)\b",
        r"\b(?:pills|tablets|meds) (?:are )?(?:all )?(?:on the (?:table|bed|side|counter|floor)|in "
        r"front of me|next to me|in my hand|lined up|ready)\b",
        everyday=False,
    ),
    _cues(
        "says goodbye",
        0.45,
        "bye, goodbye, farewell",
        r"\b(?:good ?bye|bye|farewell) (?:all|everyone|everybody|guys|friends|folks|to (?:you )?"
        r"all|to everyone)\b|\bsay(?:ing)? (?:good)?bye\b|\bjust said (?:good)?bye\b"
        r"|\bsaid (?:my )?goodbyes? to (?:my|the) (?:kids|children|family|wife|husband|partner|"
        r"mum|dad|son|daughter|cat|dog)\b",
        r"\bthis is goodbye\b",
    ),
    _cues(
        # Warmth that a farewell is made of, and that a support group says every day: however
        # much of it a message holds, it counts once.
        "sounds like a farewell",
        0.45,
        "everything, laughs, memories, being, putting, love, look, sorry, worry, around, knows, "
        "tell",
        r"\bthank(?:s| you)(?: so much)?(?: to)?(?: all| everyone| guys| everybody| this "
        r"group)? for "
        r"(?:everything(?! you| on| in| about| from)|all (?:of )?(?:it|this|that|you have done)|"
        r"the laughs|the memories|being (?:there|kind|my friends)|putting up with me)\b",
        r"\b(?:i )?love (?:to )?you all\b|\blove to (?:you )?all\b|\b(?:want|wanted) (?:you all|"
        r"everyone|you) to know (?:that )?i love\b",
        r"\blook after (?:each other|yourselves|one another)\b",
        r"\bsorry (?:to )?(?:everyone|everybody|all of you)\b|\bsorry for everything\b|"
        r"\btell (?:my|the) \w+ (?:i am sorry|i love (?:her|him|them|you))\b",
        r"\bsorry (?:to )?(?:mum|dad|my (?:\w+ )?(?:kids|children|family|husband|wife|partner|mum|"
        r"dad))\s*[.!x]*$",
        r"\b(?:do not|never) worry about me (?:any more|now)\b",
        r"\bnot going to be around\b|\bso (?:someone|somebody|people|you all) knows?\b",
        most=1,
    ),
    _cues(
        "says a last goodbye or puts their affairs in order",
        0.45,
        "last, final, rehomed, rehoming, away, passwords, wrote, written, writing, updated, "
        "funeral, sure, letter, letters, everything, sorted, note, gave, left, paid, arranged, "
        "organised, organized",
        r"\b(?:this|it|that|here) (?:is|will be) my (?:last|final) (?:post|message|words|goodbye)\b"
        r"|\bmy (?:last|final) (?:post|message|words|goodbye)(?: here| ever| on here)?\s*[.!]*$"
        r"|\bfinal post\b",
        r"\brehom(?:ed|ing) (?:my|the) (?:dog|cat|pets?|bird|rabbit)\b|\bgiv(?:e|ing|en) away "
        r"(?:all )?(?:of )?my (?:things|stuff|belongings|possessions|clothes)\b|\bgave away "
        r"(?:all )?my (?:things|stuff|belongings)\b",
        r"\b(?:has|have|gave \w+) (?:all )?my passwords\b|\bgave (?:my|the) (?:dog|cat|pets?) "
        r"(?:away|to)\b",
        r"\b(?:wrote|written|writing|made|sorted|updated|finished|left) my will\b",
        r"\bfuneral (?:plan|arrangements|is sorted)\b",
        r"\bmade sure (?:the|my) (?:cat|dog|kids|children|pets?) (?:will be|are|is|gets?|has|have) "
        r"(?:looked after|cared for|ok|fed|a (?:new )?home|somewhere)\b",
        r"\bpaid (?:off )?(?:all )?my (?:debts|bills)\b|\b(?:sorted|arranged|organised|organized) "
        r"(?:out )?everything\b",
        r"\bletters? (?:for|to) (?:the|my) (?:kids|children|family|wife|husband|partner|mum|dad|"
        r"son|daughter)\b(?!'|s?\s+(?:teachers?|school|doctors?))|\b(?:wrote|written|writing) "
        r"(?:them|him|her|my \w+|the kids) (?:a )?(?:letter|letters|notes?)\b",
        r"\beverything(?: is)? (?:arranged|sorted|in order|taken care of)\b|\bit is all sorted"
        r"(?: now)?\s*[.!]*$",
        r"\bleft (?:a|me a|us a) (?:note|letter) (?:(?:saying|that says) (?:sorry|goodbye|bye)|"
        r"for (?:my|the) \w+\s*[.!]*$)",
    ),
    _cues(
        "hints at an intention to die",
        0.45,
        "enough, finish, tonight, turning, over, gone, reads, read, ready, without, this is it, "
        "should do it, where i am going, other side, it is time, not be here, not be around",
        r"\bshould be enough\s*[.!]*$|\bthat should do it\s*[.!]*$",
        r"\bthis is it\s*[.!]*$|\bit is time\s*[.!]*$",
        r"\b(?:will not|do not|shall not) need (?:anything|it|them|any of (?:it|this|them)|my \w+)"
        r"(?: \w+){0,2} (?:after tonight|where i am going|after today)\b|\bwhere i am going\b",
        r"\b(?:going to|will) finish this\s*[.!]*$",
        r"\bhouse to myself tonight\b|\beveryone is (?:out|away|asleep) tonight\b",
        r"\bsee you on the other side\b|\bno turning back\b|\bit will (?:all )?be over "
        r"(?:soon|tonight)\b",
        r"\bby the time (?:anyone|you|someone|somebody|people) (?:reads?|sees?|finds?) this\b",
        r"\bi will (?:be gone|not be here|not be around)\b|\bi am ready\s*[.!]*$",
        r"\b(?:fine|ok|alright|okay) without me\b",
    ),
    _cues(
        "someone cannot be reached",
        0.45,
        "locked, answer, answering, picking, responding",
        r"\blocked (?:himself|herself|themselves) in\b",
        r"\b(?:will not|is not|not) (?:answer|answering|picking up|responding)\b(?! to (?:emails|"
        r"messages|texts))",
        everyday=False,
    ),
)
_CUE_WORDS = frozenset().union(*(cues.words for cues in _CRISIS_CUES))
_CUE_PHRASES = tuple(phrase for cues in _CRISIS_CUES for phrase in cues.phrases)
_PUNCTUATION = str.maketrans(dict.fromkeys(".,!?;:()[]\"'-/…", " "))
# An ordinary reason for a goodbye: bedtime, a holiday, leaving the group, an operation.
_EVERYDAY_FAREWELL = re.compile(
    r"\b(?:see you|see ya|chat (?:tomorrow|soon|later|in the morning)|talk (?:tomorrow|soon|later)|"
    r"speak (?:tomorrow|soon|later)|catch you|back (?:soon|next|on|in|tomorrow)|next week|"
    r"off to bed|bed ?time|night night|nighty night|good ?night|holiday|vacation|leaving (?:the|"
    r"this) (?:group|server|chat|channel)|moving (?:over|to|house|on to)|taking a break|a break "
    r"from|discharged|surgery|operation|logging off|going offline|signing off|new job|retiring|"
    r"in 20\d\d)\b"
)

# A crisis that is over, or words about crisis that are not one.
_PAST = re.compile(
    r"\b(?:years? ago|months ago|last (?:year|month|summer|winter|spring|autumn)|in (?:19|20)\d\d|"
    r"back (?:in|then)|once\b|used to|when i was|in my (?:teens|twenties|thirties|forties)|"
    r"a few years|nothing since|never again|fine now|thankfully|better place|doing (?:well|ok|"
    r"better)|got help|saved me)"
)
_PRESENT = re.compile(
    r"\b(?:now|right now|tonight|today|again|just|still|keep|currently|at the moment|minutes?|"
    r"mins?|an hour|hours? ago|this morning)\b"
)
_NEGATED = re.compile(
    r"\b(?:not|never|no longer) (?:\w+ ){0,2}(?:suicidal|want to die|going to (?:hurt|kill) "
    r"myself|thinking (?:about|of) (?:suicide|killing myself))"
)
_JOKING = re.compile(r"\b(?:lol|lmao|haha\w*|jk|lmfao)\b|[😂🤣🙄😅😆]|\bone more time\b")
# Talking about suicide as a subject (news, prevention, a loss) is not a crisis of the writer.
_ABOUT_SUICIDE = re.compile(
    r"\b(?:study|studies|research\w*|risk|rates?|prevention|awareness|article|paper|training|"
    r"helplines?|hotlines?|lines?|numbers?|statistics|month|day|report\w*|lost (?:\w+ ){0,3}to|"
    r"film|show|book|documentary|series|character)\b"
)
_SUBJECT_ONLY = frozenset({"mentions suicide"})
# Describing a story is not describing oneself ("the film ends with him jumping off a bridge").
_STORY = re.compile(
    r"\b(?:film|movie|show|book|novel|documentary|series|character|episode|news|article|story|"
    r"song|play)\b"
)
_STORY_PRONE = frozenset(
    {"mentions a plan or the means", "mentions wanting to die", "mentions suicide"}
)
_JOKE_PRONE = frozenset({"mentions a plan or the means", "mentions wanting to die"})

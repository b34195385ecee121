"""Notice requests for personal medical advice and messages of crisis, so a human can respond.

The detector is a set of readable rules over normalised text rather than a trained model:
there is no labelled corpus of MS-forum posts to train on, moderators must be able to see *why*
a message was flagged (each rule carries the reason it reports), and a rule can be fixed the day
a false positive annoys a community. Rules look for the shape of a request (a question about
the writer's own or a relative's treatment, dose, symptom or clinic) rather than for words, and
guards stop what only looks like one: a past decision, a quote, a general question, an idiom
("this heat is killing me"), news, or a crisis that is over.

Crisis outranks advice: someone who writes "I took all my pills, should I go to A&E?" needs the
crisis resources first. The detector never sees the network and is fast enough (thousands of
messages a second) to run on every message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.moderation.lexicon import (
    ANAPHOR,
    CARE,
    DECISION,
    DRUGS,
    FIRST_PERSON,
    PERSON,
    RELATIVE,
    SYMPTOM,
    TEST_RESULT,
    TREATMENT,
)
from bot.moderation.normalise import Normalised, normalise

Category = Literal["advice", "crisis", "none"]
THRESHOLD = 0.5


@dataclass(frozen=True)
class Detection:
    """What a message looks like to the detector.

    `score` is the strength of the evidence for `category` (for "none": how far the message is
    from being flagged), and `reasons` are the human-readable rules that fired, shown to
    moderators so they can judge the flag rather than trust a number.
    """

    category: Category
    score: float
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return self.category != "none"


@dataclass(frozen=True)
class Rule:
    """One way of asking; `about_self` when the wording itself points at the writer's case
    ("does this sound like a relapse?", "what would you do?"), so no "I" or "my" is needed."""

    reason: str
    weight: float
    pattern: re.Pattern[str]
    about_self: bool = False
    needs_treatment: bool = False  # only worth trying on a sentence that names a treatment


def _rule(
    reason: str,
    weight: float,
    *patterns: str,
    about_self: bool = False,
    needs_treatment: bool = False,
) -> Rule:
    pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
    return Rule(reason, weight, pattern, about_self, needs_treatment)


# --- building blocks --------------------------------------------------------------------------

_T = TREATMENT
_TA = f"(?:{TREATMENT}|{ANAPHOR})"  # a treatment, or "it" when one is named elsewhere
_P = PERSON
_D = (
    DECISION
    + r"|push (?:my \w+ )?for|ask (?:to|about|for)|go (?:private|abroad)"
    + r"|(?:be )?asking (?:for|about)"
    + r"|up|finish|complete"
)
_D = f"(?:{_D})"
# Up to three words between a verb and its object ("skip *the next* dose"), but not across a
# preposition that starts something else ("start a fundraiser *for* my HSCT").
_GAP = (
    r"(?:\s+(?!(?:for|about|near|at|because|but|and|so|or|to the|to a|to my|into|during|while|"
    r"after|before|with)\b)[\w'&+-]+){0,4}?\s+"
)
_ADV = r"(?:\s+(?:just|really|still|also|even|actually|now|definitely|maybe|then|safely|ever))?"
# A question about what the person should do: direct ("should I"), or reported ("whether I
# should", "anyone know if I can", "do you think my mum should").
_MODALQ = (
    rf"(?:\b(?:should|shall|can|could|may|must|do|does|would|will)\s+{_P}"
    rf"|\b(?:whether|if|think|reckon|mean|reason)\s+{_P}\s+"
    r"(?:should(?: not)?|can|could|need to|needs to|have to|has to|ought to|must)"
    r"|\b(?:whether|how) to)"
)
# Everyday activities whose timing around a treatment members ask about ("can I fly after...").
_ACTIVITY = (
    r"(?:have|drink|eat|go|fly|travel|exercise|go back|run|drive|work|swim|hug|shower|lift|"
    r"sunbathe|go out|see people|get pregnant|try for a baby|breastfeed)"
)
_OKAY = (
    r"(?:ok|safe|wise|fine|sensible|dangerous|risky|bad|better|normal|stupid|crazy|mad|"
    r"a (?:good|bad|stupid) idea|a mistake|too (?:soon|late|early|risky)|worth it|time)"
)
# Asking others to weigh in on a plan (a bare "?" is not enough: "anyone coming?").
_REQUEST = (
    r"\badvice\b|\bthoughts\b|\bopinions?\b|\bwhat do you (?:all |guys )?think\b|"
    r"\bgood idea\b|\bbad idea\b|\btalk me out\b|\bwhat should i do\b|\bshould (?:i|we|s?he)\b|"
    r"\bwdyt\b|\bhelp\b|\byes or no\b|\bam i (?:mad|crazy|stupid)\b|\bis (?:that|it) (?:wise|"
    r"sensible|crazy|stupid|safe|ok)\b|\bany reason not\b"
)
_REL = rf"\b(?:my|our) {RELATIVE}\b"

# --- advice rules ------------------------------------------------------------------------------

# Sentence rules: each is checked on each sentence; anaphoric variants only when the message
# names a treatment somewhere.
_ADVICE_SENTENCE: tuple[Rule, ...] = (
    _rule(
        "asks whether to start, stop, switch or take a treatment",
        0.8,
        rf"{_MODALQ}{_ADV}\s+(?:need to\s+|have to\s+|be\s+|go ahead and\s+)?{_D}\b{_GAP}{_T}\b",
        rf"{_MODALQ}{_ADV}\s+{_ACTIVITY}\b(?:\s+[\w'&+-]+){{0,8}}?\s+(?:with|on|while|after|before|during|"
        rf"alongside|post|since|on top of)\s+(?:[\w'&+-]+\s+){{0,2}}?{_T}\b",
        rf"\bis it {_OKAY}(?:\s+for\s+(?:me|him|her|us|my \w+))?\s+(?:if {_P}|to|that {_P})\s+"
        rf"(?:[\w'&+-]+\s+){{0,8}}?{_T}\b",
        rf"\bwould it be {_OKAY}(?:\s+for\s+(?:me|him|her|us))?\s+(?:to|if {_P})\s+"
        rf"(?:[\w'&+-]+\s+){{0,6}}?{_T}\b",
        rf"\bwhat (?:\w+ )?{_T} (?:should|can|do|could) {_P} (?:take|have|get|use|try|start)\b",
        rf"\bhow long should {_P} (?:wait|stay|leave|be off|keep|go)\b.*\b{_T}\b",
        rf"\b{_T}\b.*\bhow long should {_P} (?:wait|stay|leave|be off)\b",
        rf"\b(?:do|does) {_P} need (?:[\w-]+ )?{_T}\b",
        rf"{_MODALQ}{_ADV}\s+(?:take|have|use|mix|combine)\s+(?:[\w'&+-]+\s+){{1,3}}?(?:with|alongside|"
        rf"on top of|while on)\s+(?:my|his|her|the)\s+(?:[\w-]+\s+)?{_T}\b",
        needs_treatment=True,
    ),
    _rule(
        "asks whether to start, stop, switch or take a treatment",
        0.8,
        rf"{_MODALQ}(?:\s+[\w'&+-]+){{1,10}}?\s+or\s+(?:just\s+)?(?:restart|stop|start|switch|"
        rf"skip|continue|keep going|stay on|go back on)\b.*\?",
        rf"\b(?:take|taking|try|trying|use|have|get) something for (?:my |the |his |her |this )?"
        rf"(?:[\w-]+ )?{SYMPTOM}",
    ),
    _rule(
        "asks about a dose",
        0.75,
        r"\bhow much (?:[\w-]+ ){0,3}(?:should|can|do|to take|is safe|is too|is ok)\b",
        rf"\bhow many (?:mg|mgs|iu|units|tablets|pills|{DRUGS}|of (?:my|the|these) \w+)\b",
        r"\bwhat (?:dose|dosage|strength)\b",
        r"\b(?:a |the )?(?:safe|max|maximum|right) (?:dose|dosage)\b",
        r"\b[\d.]+ ?(?:mg|iu|units|mcg)\b(?: of)?(?: \w+){0,3} (?:too much|too high|too low|a lot|"
        r"ok|safe)\b",
        r"\btoo (?:much|high|low)\b.*\bfor (?:me|him|her)\b",
        r"\bdouble (?:up|my|the)\b",
        rf"{_MODALQ} (?:take|have) (?:two|2|double|an extra|extra)\b",
        r"\bgo up to [\d.]+",
    ),
    _rule(
        "asks for a diagnosis",
        0.75,
        rf"\b(?:do|could|might|can|does) {_P} (?:have|has|have got) (?:ms|multiple sclerosis|"
        rf"a relapse|an? ms)\b",
        r"\bis (?:this|it|that|my \w+) (?:ms|multiple sclerosis|a relapse|an? (?:ms )?relapse|"
        r"a pseudo ?relapse|an? (?:ms )?flare|progressing|getting worse)\b",
        r"\b(?:sound|sounds|look|looks|seem|seems) like (?:ms|a relapse|an? (?:ms )?(?:relapse|"
        r"attack|flare)|a pseudo|optic neuritis|lhermitte)",
        r"\btell (?:me |us )?if (?:this|it|that) is (?:ms|a relapse)",
        r"\b(?:this|it|that|my \w+|her \w+|his \w+) (?:is|are|could be|might be) (?:ms|multiple "
        r"sclerosis|a relapse|an? (?:ms )?(?:relapse|flare))\b(?: or| \?|\?)",
        r"\bam i (?:having|in the middle of) a relapse|\b(?:am i|is (?:s?he|my \w+)) relapsing",
        rf"\bdoes (?:my|this|that|her|his) (?:{TEST_RESULT}) mean\b",
        r"\b(?:has|is) my ms (?:progress\w*|getting worse|active|coming back)",
        r"\b(?:look|looking) at my (?:mri|report|results|bloods|scan)\b",
        rf"\b(?:is|are) (?:my|his|her) (?:{TEST_RESULT}) (?:bad|ok|normal|serious|worrying|"
        r"concerning|good|too low|too high)\b",
        about_self=True,
    ),
    _rule(
        "asks whether a symptom needs care",
        0.75,
        rf"{_MODALQ}{_ADV}\s+(?:need to\s+|be\s+)?(?:go|going|get|call|ring|phone|see|contact|"
        r"chase|chasing|bother|message|email|take (?:her|him|them|(?:my|"
        r"our) (?:[\w-]+ ){0,3}?[\w-]+)|"
        r"be seen|head|go in)\b"
        rf"(?:\s+[\w'&]+){{0,3}}?\s+(?:to\s+|for\s+)?(?:{CARE}|{TEST_RESULT})\b",
        rf"{_MODALQ}{_ADV}\s+(?:get|be|have)\s+(?:\w+\s+)?(?:tested|checked|seen|scanned|looked at|"
        rf"examined)\b",
        rf"{_MODALQ}{_ADV}\s+(?:need to\s+)?go in\b",
        r"\bsomething (?:i|we|s?he) should (?:see|go|get|call|worry|be worried)",
        r"\b(?:worth|need|needs) (?:getting|to get|having|to have) (?:it |this |that |her |him |"
        r"them |myself )?(?:checked|looked at|seen)",
        rf"\b(?:do|does) {_P} need (?:an? |to (?:have|get) an? )?(?:mri|scan|steroids|blood test|"
        r"bloods|lumbar puncture|doctor|neurologist|to see|to go|to be seen|to call)",
        r"\bshould (?:i|we) (?:be )?(?:worried|concerned|worry)\b",
        r"\b(?:am i|are we) (?:over ?reacting|being (?:dramatic|paranoid|silly))",
        r"\bis (?:this|that|it) (?:normal|bad|serious|dangerous|something to worry about|a concern|"
        r"an emergency|urgent)(?: for (?:me|him|her))?\b.*\?",
    ),
    _rule(
        "asks which clinic or treatment to choose",
        0.75,
        r"\bwhich (?:[\w-]+ ){0,2}(?:clinic|hospital|centre|center|dmt|treatment|drug|medication|"
        r"one|option|protocol|country|doctor|program|programme|vaccines?|supplements?) "
        r"(?:should|would|shall|to|is (?:best|better|safer|right))\b",
        r"\bwhich (?:is|one is|would be) (?:better|safer|best|right) for (?:me|him|her|someone)",
        r"\bwould (?:[\w-]+ ){0,3}be (?:better|safer|right|best|good|ok|worth it) for (?:me|him|"
        r"her|us|"
        r"my \w+)\b",
        r"\bworth the risk for (?:me|him|her|us|my \w+)\b",
        rf"\bany point (?:in )?(?:me|him|her|my \w+) \w+ing\b.*\b{_T}\b",
        r"\bis (?:the (?:[\w-]+ ){0,2}[\w-]+|this|that|it) right for (?:me|him|her|us|my \w+)\b",
        r"\bis (?:it|this|that|the \w+|[\w-]+) (?:worth it|worth (?:me |it )?[\w]+ing|a good "
        r"(?:idea|option|choice)|the right (?:choice|option|move|clinic)|right for|safe for|"
        r"a scam|legit|a mistake)\b.*\b(?:me|my|him|her|his)\b",
        r"\bis it worth (?:me |him |her |it )?\w+ing\b.*\b(?:my|me)\b",
        r"\bis it worth (?:it )?for (?:me|him|her)\b",
        r"\b(?:am i|would i be|is (?:s?he|my \w+)|are we) (?:a |an )?(?:good )?(?:candidate|"
        r"eligible|suitable|too old|too disabled|too far gone|too young|too late)\b",
        r"\b(?:is my edss|am i) too (?:high|old|far gone|disabled)|\btoo far gone\b",
        r"\bhelp me decide|\bgood idea or (?:no|not)|\btalk me out of|\b(?:torn|deciding|stuck) "
        r"between",
        r"\b[\w-]+ (?:or|vs\.?|versus) [\w-]+(?: [\w-]+)?\s+for (?:me|him|her|someone (?:like me|"
        r"with))\b|\bfor someone like me\b",
        r"\b(?:thoughts|opinions?|views) on me (?:\w+ing)\b",
        rf"\bconsider (?:me|him|her) for {_T}",
        rf"{_MODALQ}{_ADV}\s+(?:look|go|travel|be looking)\s+(?:abroad|private|elsewhere)",
        r"\bis (?:my |the )?(?:neurologist|doctor|gp|nurse|he|she) right\b",
        rf"\b{_T}\b(?:\s+[\w.-]+){{0,4}}?\s+(?:ok|safe|too (?:long|much|soon|late)|dangerous|fine|"
        r"enough) for (?:me|him|her)\b",
    ),
    _rule(
        "asks what others would do in their place",
        0.75,
        r"\bwhich would you (?:pick|choose|go with|go for|do)\b",
        r"\bwhat would you (?:do|pick|choose|go with|go for|recommend)\b",
        rf"\bwould you (?:recommend|go|switch|do|stay|pick|choose|take|try|stop|risk)\b.*\b{_T}",
        r"\b(?:if you were me|in my shoes|in my position|in my situation|asking for me)\b",
        about_self=True,
    ),
)

_ADVICE_ANAPHOR = _rule(
    "asks whether to start, stop, switch or take a treatment",
    0.75,
    rf"{_MODALQ}{_ADV}\s+(?:need to\s+|have to\s+|be\s+)?{_D}\b{_GAP}{_TA}\b",
    rf"\bis it {_OKAY}(?:\s+for\s+(?:me|him|her|us))?\s+(?:if {_P}|to)\s+{_D}\b{_GAP}{_TA}\b",
    rf"\b(?:should (?:i|we|s?he)|(?:i|we) should) (?:just )?{_D}(?: it| them| too| now| then|"
    rf" anyway)?\s*\?",
    r"\bshould (?:i|we|s?he)\s*\?",
    rf"{_MODALQ}\s+(?:need to\s+)?(?:stop|switch|quit|restart|change|come off|delay|skip)\s*\?",
    rf"\bis it {_OKAY} for (?:me|him|her|us|my \w+) to (?:{_ACTIVITY}|{_D})\b",
)

# Message rules: the plan in one sentence, the question in another.
_INTENT = re.compile(
    r"\b(?:thinking (?:of|about)|considering|planning (?:on|to)|going to|want to|wants to|"
    r"wanting to|about to|tempted to|might|decided to|debating(?: whether)?(?: to)?|"
    r"would like to)\s+(?:just\s+)?(?:(?:" + _D[3:-1] + r"|doing|going for|going to|trying)"
    rf"\b{_GAP})?{_T}\b"
)
_PROPOSAL = re.compile(
    r"\b(?:neurologist|doctor|gp|nurse|urologist|consultant|clinic|team|haematologist|"
    r"specialist)(?:'s)? (?:wants|says|said|has offered|offered|suggested|suggests|recommends|"
    r"recommended|prescribed|is pushing|wants to put|agreed|gave|has given)\b"
)
_ASKS_ADVICE = re.compile(
    r"\b(?:need|needing|looking for|want|would like|seeking|asking for|appreciate) "
    r"(?:some |any |your )?(?:advice|opinions|input|guidance)\b|\bhonest opinions\b|"
    r"\bopinions please\b|\bwhat should (?:i|we|s?he|my \w+) do\b|\bplease help\b|\bhelp\s*!|"
    r"\bwhat do you (?:all |guys )?think\b"
)
_REQUEST_RE = re.compile(_REQUEST)
_HAS_TREATMENT = re.compile(rf"\b{_T}\b")
_HAS_TEST = re.compile(rf"\b{TEST_RESULT}\b")
_HAS_SYMPTOM = re.compile(rf"\b{SYMPTOM}\b")
_HAS_FIRST_PERSON = re.compile(FIRST_PERSON)
_HAS_RELATIVE = re.compile(_REL)

# Clauses that only look like requests: a past or reported question, a regret.
_ADVICE_GUARDS = re.compile(
    r"\bshould have\b|\bshould not have\b|\b(?:i|we|s?he|they) (?:asked|wondered)\b[^.?!]*|"
    r"\b(?:asked|wondered) (?:\w+ ){0,3}(?:whether|if)\b[^.?!]*|"
    r"\bin the end\b[^.?!]*"
)

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
        r"\bfinish(?:ing)? it\b(?! off)",
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
        r"(?:kids|family|children|husband|wife)\b",
        r"\bmy last message\b|\bis my last\b|\bmake sure i am gone\b|\bmade my peace\b",
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
        r"\b(?:better|happier|easier) (?:off )?(?:if|without) (?:me\b|i (?:was|were|am) (?:not|no "
        r"longer|gone|dead))",
    ),
    _rule(
        "sees no way forward",
        0.45,
        r"\bno (?:point|reason) (?:in |to )?(?:living|live|going on|keep going|any more)\b|"
        r"\bthere is no point any more\b",
        r"\bwhat is the point of (?:living|life|going on|any of this)\b",
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
        "says goodbye",
        0.45,
        r"\bgoodbye everyone\b|\bsay(?:ing)? goodbye\b|\bsorry for everything\b|"
        r"\bi am sorry everyone\b|\bthank you (?:all |everyone )?for (?:everything|being kind)\b|"
        r"\bthis group for being kind\b|\bnot going to be around\b",
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

_FEVER = re.compile(
    r"\b(?:temp|temperature|fever)\b.{0,40}?\b(?:3[89](?:\.\d)?|40(?:\.\d)?|10[345])\b"
)
_AFTER_TRANSPLANT = re.compile(
    r"\b(?:post (?:a?hsct|transplant|chemo)|days? post\b|after (?:my |the )?(?:a?hsct|transplant|"
    r"chemo)|day \d+ of (?:a?hsct|chemo)|neutropeni\w*|during (?:a?hsct|chemo))"
)
_FEVER_REASON = "describes a fever during transplant recovery"

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


# --- classification ----------------------------------------------------------------------------


def classify(text: str) -> Detection:
    """Classify one message as "crisis", "advice" or "none", with the reasons that fired."""
    return _classify_normalised(normalise(text))


@lru_cache(maxsize=4096)
def _cached(text: str) -> Detection:
    return classify(text)


def classify_cached(text: str) -> Detection:
    """`classify` with memory: edits and repeated messages are common in busy channels."""
    return _cached(text)


def _classify_normalised(norm: Normalised) -> Detection:
    crisis, crisis_reasons = _crisis(norm)
    if crisis >= THRESHOLD:
        return Detection("crisis", crisis, crisis_reasons)
    advice, advice_reasons = _advice(norm)
    if advice >= THRESHOLD:
        return Detection("advice", advice, advice_reasons)
    # Nothing to flag: the score says how clearly (1.0 when no rule fired at all).
    return Detection("none", round(1.0 - max(crisis, advice), 3), ())


def _combine(weights: Iterable[float]) -> float:
    """Independent evidence adds up without ever reaching 1: 1 - prod(1 - w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 3)


def _crisis(norm: Normalised) -> tuple[float, tuple[str, ...]]:
    fired: dict[str, float] = {}
    for sentence in norm.sentences:
        past = _PAST.search(sentence) is not None and not _PRESENT.search(_PAST.sub(" ", sentence))
        joking = _JOKING.search(sentence) is not None
        cleaned = _NEGATED.sub(" ", sentence)
        for rule in _CRISIS_RULES:
            if rule.reason in fired or not rule.pattern.search(cleaned):
                continue
            if past or (joking and rule.reason in _JOKE_PRONE):
                continue
            if rule.reason in _SUBJECT_ONLY and _ABOUT_SUICIDE.search(cleaned):
                continue
            if rule.reason in _STORY_PRONE and _STORY.search(cleaned):
                continue
            fired[rule.reason] = rule.weight
    if "mentions suicide or ending their life" in fired:
        fired.pop("mentions suicide", None)
    if _FEVER.search(norm.text) and _AFTER_TRANSPLANT.search(norm.text):
        fired[_FEVER_REASON] = 0.85
    return _combine(fired.values()), _by_weight(fired)


def _advice(norm: Normalised) -> tuple[float, tuple[str, ...]]:
    text = norm.text
    if not (_HAS_FIRST_PERSON.search(text) or "?" in text):
        return 0.0, ()
    has_treatment = _HAS_TREATMENT.search(text) is not None
    anaphora = has_treatment or _HAS_TEST.search(text) is not None
    personal = _HAS_FIRST_PERSON.search(text) is not None
    fired: dict[str, float] = {}
    about_self = False
    for raw in norm.sentences:
        sentence = _ADVICE_GUARDS.sub(" ", raw)
        names_treatment = has_treatment and _HAS_TREATMENT.search(sentence) is not None
        for rule in _ADVICE_SENTENCE:
            if rule.needs_treatment and not names_treatment:
                continue
            if rule.reason not in fired and rule.pattern.search(sentence):
                fired[rule.reason] = rule.weight
                about_self = about_self or rule.about_self
        if anaphora and _ADVICE_ANAPHOR.reason not in fired:
            if _ADVICE_ANAPHOR.pattern.search(sentence):
                fired[_ADVICE_ANAPHOR.reason] = _ADVICE_ANAPHOR.weight
    guarded = _ADVICE_GUARDS.sub(" ", text)
    asks = _REQUEST_RE.search(guarded) is not None
    if personal and asks and _INTENT.search(guarded):
        fired.setdefault("plans a treatment change and asks for opinions", 0.7)
    if personal and has_treatment and _PROPOSAL.search(guarded) and "?" in guarded:
        fired.setdefault("asks about a treatment their doctor proposed", 0.6)
    if personal and _ASKS_ADVICE.search(guarded) and (has_treatment or _HAS_SYMPTOM.search(text)):
        fired.setdefault("asks for personal medical advice", 0.6)
    if not fired or not (personal or about_self):
        # A question with no one in it ("is it safe to take X with Y?") is a general question
        # the FAQ can answer; it only needs a human when it is about someone.
        return 0.0, ()
    reasons = _by_weight(fired)
    if _HAS_RELATIVE.search(text):
        reasons += ("on behalf of a relative or friend",)
    return _combine(fired.values()), reasons


def _by_weight(fired: dict[str, float]) -> tuple[str, ...]:
    return tuple(reason for reason, _ in sorted(fired.items(), key=lambda kv: -kv[1]))

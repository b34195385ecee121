"""Notice requests for personal medical advice and messages of crisis, so a human can respond.

The detector is a set of readable rules over normalised text rather than a trained model:
there is no labelled corpus of MS-forum posts to train on, moderators must be able to see *why*
a message was flagged (each rule carries the reason it reports), and a rule can be fixed the day
a false positive annoys a community. Rules look for the shape of a request (a question about
the writer's own or a relative's treatment, dose, symptom or clinic) rather than for words, and
guards stop what only looks like one: a past decision, a quote, a general question, an idiom
("this heat is killing me"), news, or a crisis that is over.

Members rarely write "should I": they announce a change and ask for a nod ("gonna skip my
infusion, that's fine right?"), weigh two next steps ("keep going or stop?"), ask whether a
treatment would take them, or ask about a relative. Those structures are rules of their own.
Someone in crisis rarely names it either: they describe the means at hand, say goodbye, or put
their affairs in order. Each such sign alone is everyday life, so each weighs little and two
together reach the threshold (see `Cues`).

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
    ACTION,
    ANAPHOR,
    APPROVAL,
    CARE,
    CHANGE,
    DECISION,
    DRUGS,
    ELIGIBILITY,
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
    # Words one of which every pattern of the rule contains: a rule is only tried on a
    # sentence that has one, which keeps the detector fast as rules are added.
    hints: tuple[str, ...] = ()

    def matches(self, sentence: str) -> bool:
        if self.hints and not any(hint in sentence for hint in self.hints):
            return False
        return self.pattern.search(sentence) is not None


def _rule(
    reason: str,
    weight: float,
    *patterns: str,
    about_self: bool = False,
    needs_treatment: bool = False,
    hints: tuple[str, ...] = (),
) -> Rule:
    pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
    return Rule(reason, weight, pattern, about_self, needs_treatment, hints)


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
        # "can't decide if I stay on Copaxone or go for the HSCT"
        r"\b(?:cannot|can not|could not|trying to|struggling to|help me) decide "
        r"(?:if|whether|between)\b",
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
        r"\b(?:can|could|should|shall|do|would|ok to|safe to) (?:i |we |s?he )?(?:just )?double "
        r"(?:up|my|the|it)\b|\bdouble (?:up|my|the)\b[^.!]*\?",
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
        r"\bis (?:this|that|it) an? (?:a&e|er|gp|hospital|doctor|111|999|ambulance|urgent care) "
        r"(?:job|thing|trip|situation)\b",
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
        r"\bworth (?:me|him|her|them|us|my \w+) (?:\w+ing)\b",
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
        r"\b(?:which|what) way (?:would|should|do) you (?:lean|go|jump)\b|\bwould you lean\b",
        rf"\bwould you (?:recommend|go|switch|do|stay|pick|choose|take|try|stop|risk)\b.*\b{_T}",
        r"\b(?:if you were me|in my shoes|in my position|in my situation|asking for me)\b",
        about_self=True,
    ),
)

_ASKS_TREATMENT = "asks whether to start, stop, switch or take a treatment"
_ADVICE_ANAPHOR: tuple[Rule, ...] = (
    _rule(
        _ASKS_TREATMENT,
        0.75,
        rf"{_MODALQ}{_ADV}\s+(?:need to\s+|have to\s+|be\s+)?{_D}\b{_GAP}{_TA}\b",
        rf"\bis it {_OKAY}(?:\s+for\s+(?:me|him|her|us))?\s+(?:if {_P}|to)\s+{_D}\b{_GAP}{_TA}\b",
        rf"\b(?:should (?:i|we|s?he)|(?:i|we) should) (?:just )?{_D}(?: it| them| too| now| then|"
        rf" anyway)?\s*\?",
        r"\bshould (?:i|we|s?he)\s*\?",
        rf"{_MODALQ}\s+(?:need to\s+)?(?:stop|switch|quit|restart|change|come off|delay|skip)\s*\?",
        # a treatment verb with no other object: "does she need to restart with the first dose?"
        rf"{_MODALQ}{_ADV}\s+(?:need to\s+|have to\s+)?(?:restart|stop|quit|come off|switch|skip|"
        r"taper|wean off|pause|go back on|pick (?:it |them )?(?:back )?up|carry on|resume)"
        r"(?:\s+(?:it|them|again|now|then|straight away|completely|altogether))?"
        r"(?:\s+(?:with|at|on|after|before|from|until|till|where|as|like)\b|\s*[?,]|\s*$)",
        rf"\b(?:is|would|will|could) it (?:be )?{_OKAY} for (?:me|him|her|us|my \w+) to "
        rf"(?:just |simply )?(?:{_ACTIVITY}|"
        rf"{_D})\b",
    ),
    _rule(
        _ASKS_TREATMENT,
        0.75,
        # "is the gap dangerous for him?", "is a 7 week break ok?"
        r"\bis (?:the|this|that|a|my|his|her) (?:[\w-]+ ){0,2}(?:gap|delay|break|interval|wait|"
        r"washout)\b(?:\s+[\w.-]+){0,4}?\s+(?:ok|safe|dangerous|too long|risky|a problem|bad|"
        r"fine)\b",
        # "is it dumb to stop my DMT?"
        rf"\bis it (?:dumb|daft|silly|mad|crazy|stupid|wrong|selfish|irresponsible|reckless|bad) "
        rf"(?:of me |for me )?(?:to|if i) (?:just )?{_D}\b{_GAP}{_TA}\b",
        # "if I only do the first round, is that ok for me?"
        r"\bis (?:(?:a |an )?[\d.]+ (?:days?|weeks?|months?|years?)|that|this|it) (?:too (?:long|"
        r"soon|late|early|much|little)|ok|safe|fine) (?:to wait|to leave|a gap|of a gap|between|"
        r"before|after|for)\b",
        r"\bis (?:that|it|this) (?:ok|safe|fine|alright|a problem|dangerous|risky|bad|too (?:long|"
        r"soon|late|much|risky)) for (?:me|him|her|us|them|my \w+)\b",
        hints=("is ",),
    ),
    _rule(
        _ASKS_TREATMENT,
        0.75,
        # "is there any harm in me stopping vitamin D?"
        r"\b(?:any|much) (?:harm|risk|problem|danger|issue) (?:in|with|to|if) "
        r"(?:me|him|her|i|s?he|us|my \w+)\b",
        hints=("harm", "risk", "problem", "danger", "issue"),
    ),
    _rule(
        _ASKS_TREATMENT,
        0.75,
        # "am I ok to have my jab before Mavenclad?", "ok to go back to 10 without asking him?"
        rf"\b(?:am i|is (?:s?he|my \w+)|are we) (?:ok|fine|safe|alright|good|cleared|allowed) to "
        rf"(?:just )?(?:{_D}|{_ACTIVITY})\b",
        rf"(?:^|[,;:]\s*)(?:ok|safe|fine|alright|allowed) to (?:just )?(?:{_D}|"
        rf"{_ACTIVITY})\b[^?]*\?",
        hints=("ok to", "fine to", "safe to", "alright to", "good to", "cleared to", "allowed to"),
    ),
    _rule(
        _ASKS_TREATMENT,
        0.75,
        # "my brother quit his Tysabri cold turkey. Is he at risk of rebound?"
        r"\b(?:am i|is (?:s?he|my \w+)|are we|are they) (?:at (?:any |more )?risk|in danger|likely "
        r"to (?:relapse|rebound|get))\b",
        hints=("risk", "danger", "likely"),
    ),
    _rule(
        _ASKS_TREATMENT,
        0.75,
        # "can I get away with not taking my Tecfidera?"
        rf"{_MODALQ}{_ADV}\s+get away with\b",
        hints=("get away with",),
    ),
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
    r"\bopinions please\b|\bwhat should (?:i|we|s?he|my \w+) do\b|\bwhat do (?:i|we) do\b|"
    r"\bplease help\b|\bhelp\s*!|"
    r"\bwhat do you (?:all |guys )?think\b"
)
_REQUEST_RE = re.compile(_REQUEST)
_POLL = re.compile(
    r"^(?:so |and |but )?(?:has |have |did |does |is )?(?:anyone|anybody|any of you|who else|who "
    r"has|who is|how did you|what was your|what did you)\b"
)
_HAS_TREATMENT = re.compile(rf"\b{_T}\b")
_HAS_TEST = re.compile(rf"\b{TEST_RESULT}\b")
_HAS_SYMPTOM = re.compile(rf"\b{SYMPTOM}\b")
_HAS_FIRST_PERSON = re.compile(FIRST_PERSON)
_HAS_RELATIVE = re.compile(_REL)

# Clauses that only look like requests: a past or reported question, a regret.
_ADVICE_GUARDS = re.compile(
    r"\bshould have\b|\bshould not have\b|\b(?:i|we|s?he|they) (?:asked|wondered)\b[^.?!]*|"
    r"\b(?:asked|wondered) (?:\w+ ){0,3}(?:whether|if)\b[^.?!]*|"
    r"\b(?:keeps|kept|keep|always|is|was) asking (?:me |us |him |her )?(?:whether|if)\b[^.?!]*|"
    r"\bin the end\b[^.?!]*|"
    r"\bask (?:my|the|our|her|his) (?:\w+ )?(?:neurologist|doctor|gp|nurse|team|consultant|"
    r"specialist|pharmacist)s? (?:whether|if|about)\b[^.?!]*"
)
# Sarcasm states the opposite of a plan ("Sure, I'll just double my dose and run a marathon 🙄").
_SARCASM = re.compile(
    r"^(?:sure|oh sure|yeah right|oh yes|oh yeah|as if)\b|🙄|\bthat is how it works,? "
    r"(?:right|is not it|yeah)\b|\bwhat could (?:possibly )?go wrong\b|\bsaid no (?:one|\w+ ever)"
)
_SARCASM_HINTS = (
    "sure",
    "yeah right",
    "oh yes",
    "oh yeah",
    "as if",
    "🙄",
    "how it works",
    "go wrong",
    "said no",
)
_GUARD_HINTS = ("should have", "should not have", "ask", "wondered", "in the end")

# --- structures: the shape of a request, whatever its words -------------------------------------

# A member rarely writes "should I": they announce a change to their treatment and ask for a nod
# ("gonna skip my infusion this round, that's fine right?"). The plan is an intention (or a
# sentence that starts with the change itself: "skipping my ocrevus this time") followed by a
# change; the nod is an approval word or a tag question anywhere after it.
_PLAN = re.compile(
    r"(?:(?:^|[,;:]\s*|\b(?:i|we|s?he)\s+(?:am\s+|is\s+|are\s+|have\s+|has\s+)?|\bso\s+)"
    r"(?:(?:just|probably|definitely|seriously|honestly|then|prob|defo|literally|basically|"
    r"actually|finally)\s+)*"
    r"(?:going to|will|might|may|want to|plan to|planning (?:on|to)|intend to|about to|"
    r"tempted to|thinking (?:of|about)|considering|decided to|have decided to|has decided to)"
    r"(?:\s+(?:just|probably|simply|go and|actually|finally|quietly|myself))*\s+"
    rf"|(?:^|[,;:]\s*|\bi am\s+(?:just\s+)?))(?:{CHANGE})\b"
    # "not gonna bother with my next ocrevus", "I won't reorder it"
    r"|(?:^|[,;:]\s*|\b(?:i|we|s?he)\s+(?:am\s+|is\s+)?)(?:(?:really|just|honestly|simply)\s+)*"
    r"(?:not going to|will not|do not want to|cannot be bothered (?:to|with)|not)\s+"
    r"(?:bother(?: with)?|have|take|do|book|go for|get|go to|turn up for|attend|reorder|refill|"
    r"renew|restart|go back on|inject)\b"
)
_NAMES_TREATMENT = re.compile(rf"\b{_T}\b")
_NAMES_ANAPHOR = re.compile(rf"\b{_TA}\b")
# The nod, in the words just before a question mark ("that's fine right?", "no big deal?",
# "sound?") ...
_NOD_QUESTION = re.compile(
    rf"(?:\b{APPROVAL}(?: (?:in|with) (?:that|it|this|doing that))?\s*,?\s*"
    r"(?:(?:right|yeah|yes|yea|ya|yep|no|surely|innit|though|then|too|"
    r"for me|is not it|is it not|am i right|guys)\s*)?"
    r"|(?:^|[,.;:-]\s*)(?:right|yeah|yes|yea|ya|yep|ok|sound|surely|innit|agreed|correct|fair)\s*)"
    r"\?$"
)
# ... or without one ("that's sensible isn't it", "won't matter", "good plan or nah").
_NOD_STATEMENT = re.compile(
    rf"\b{APPROVAL},? (?:is not|is) it(?: not)?\b"
    rf"|\b{APPROVAL},? (?:right|yeah|yes|surely)\s*[.!]*$"
    r"|\b(?:makes?|made) no (?:real )?difference\b"
    r"|\b(?:will not|would not|does not|should not|cannot|can not) (?:matter|hurt|make (?:a|much|"
    r"any) difference|do (?:any |much )?harm|be a problem)\b"
    r"|\bgood (?:plan|idea|move|shout|call) or (?:nah|no|not)\b"
    r"|\bno need to (?:run it past|check with|ask|tell) (?:anyone|anybody|my \w+)"
)
_NOD_HINTS = (
    "yeah",
    "right",
    "surely",
    "yes",
    "is it",
    "is not it",
    "matter",
    "hurt",
    "difference",
    "no ",
    "harm",
    "problem",
    "good ",
    "no need",
)
_PLAN_REASON = "plans a treatment change and asks for approval"
_CLAUSE_END = re.compile(r"[,;.!?]| (?:and|but|so|because|then) ")
_NO_OTHER_OBJECT = re.compile(
    r"\s*(?:(?:it|them|this|that|one|two|double|extra|an extra|again|now|then|tonight|tomorrow|"
    r"today|for a (?:bit|while|week|month|few \w+)|this (?:time|round|month|week)|next \w+|up|down|"
    r"off|back|completely|altogether|cold turkey|from|until|till|after|before|at)\b|\s*$)"
)
_LOGISTICS = re.compile(
    rf"\b{_T} (?:day|days|appointment|slot|time|date|booking|chair|parking|centre|center|unit|"
    r"nurse|delivery|prescription)s?\b"
)
# A change already made, then a question about what it will do ("Mum's been skipping her
# baclofen, is that going to make her spasms worse?").
_CHANGED = re.compile(
    r"\b(?:skipping|skipped|stopping|stopped|missing|missed|quit|quitting|halved|halving|doubled|"
    r"doubling|came off|coming off|come off|dropped|dropping|cut down|cutting down|forgot|"
    r"forgotten|forgetting|not taking|not taken|run out of|ran out of)\b"
)
_CONSEQUENCE = re.compile(
    r"\b(?:is|will|would|could|does|might|can) (?:that|this|it|skipping|stopping|missing) (?:be )?"
    r"(?:going to |gonna )?(?:make|cause|affect|mean|matter|hurt|harm|trigger|bring on|undo|"
    r"mess up|set (?:me|her|him) back|a problem|dangerous|bad)\b[^.!]*\?"
)

# "Keep going or stop?", "take it or wait?", "GP or straight to A&E?": a choice between two
# next steps is a decision about a treatment or a symptom, with or without "should".
_EITHER_OR = re.compile(
    rf"(?:^|[,:;]\s*|\b(?:do|should|shall|can|could|would|does|if|whether) {_P}\s+"
    r"(?:just\s+|should\s+)?|\bwhether to\s+)"
    rf"(?:just\s+)?(?:{ACTION}|come straight off|stop straight away)\b(?:\s+[\w'&+.-]+){{0,7}}?"
    rf"\s+or\s+(?:should {_P}\s+|do {_P}\s+|{_P}\s+)?(?:just\s+|straight\s+|better to\s+)?"
    rf"(?:{ACTION}|taper down|to {CARE}|{CARE}|is (?:[\w']+ ){{0,4}}?(?:ok|fine|normal|nothing|"
    r"no big deal|a problem|safe|dangerous|bad))\b"
    rf"|\b(?:{CARE})(?: job)?\s+or\s+(?:straight |just |go )?(?:to )?(?:{CARE}|wait|"
    r"can it wait|leave it|ride it out|sit tight)\b"
    rf"|\b(?:normal|nothing|fine|ok|expected)\s+or\s+(?:should {_P}\s+|do {_P}\s+)?"
    rf"(?:{ACTION}|{CARE})\b"
    r"|\bor (?:can|should|will|could) (?:it|this|that) wait\b"
    rf"|\b{_T}\s+(?:now|first|straight away|next|asap)\s+or\s+(?:{ACTION}|{_T})\b"
)
_TAKE_IT_OR_LEAVE_IT = re.compile(r"\btake it or leave it\b")
_EITHER_OR_REASON = "weighs two options for a treatment or a symptom"

# Whether a treatment or a trial would accept the writer or a relative.
_ELIGIBLE = re.compile(
    rf"\b(?:would|will|could|do|did|can|might) (?:i|we|s?he|my {RELATIVE}) (?:even |still |ever |"
    rf"actually |possibly )?(?:{ELIGIBILITY})\b"
    rf"|\b(?:i|we|s?he|my {RELATIVE}) (?:would|will|could|might) (?:even |still |ever |actually )?"
    rf"(?:{ELIGIBILITY})\b"
    r"|\b(?:would|will|could|do|does|might) (?:they|the \w+|anyone|any \w+|a \w+|\w+) (?:even |"
    r"still |ever |actually )?(?:take|accept|consider|treat|want|fund|look at) (?:me|him|her|us|my "
    rf"{RELATIVE}|someone like me)\b"
    r"|\b(?:they|the \w+|anyone|\w+) (?:would|will|could|might) (?:even |still |ever |actually )?"
    r"(?:take|accept|consider|treat|fund|look at) (?:me|him|her|us|my \w+|someone like me)\b"
    r"|\b(?:they|the \w+|anyone|\w+) (?:would|will|could|might) (?:even |still |ever |actually )?"
    r"(?:let|allow) (?:me|him|her|us|my \w+) (?:to )?(?:do|have|get|go for|try|join|start|go on)\b"
    r"|\b(?:would|will|could|do|does|might) (?:they|the \w+|anyone|\w+) (?:even |still |ever )?"
    r"(?:let|allow) (?:me|him|her|us|my \w+) (?:to )?(?:do|have|get|go for|try|join|start|go on)\b"
    rf"|\bany chance (?:that )?(?:i|s?he|my \w+) (?:am|is|would|will|could|might|can) "
    rf"(?:be |get )?(?:{ELIGIBILITY})"
    r"|\brules? (?:me|him|her|us) out\b|\b(?:am i|is s?he|would i be) ruled out\b"
    r"|\b(?:have|has) (?:i|s?he) (?:still )?got a (?:shot|chance)\b"
    r"|\b(?:am i|is (?:s?he|my \w+)|are we) (?:eligible|qualified|suitable)\b"
)
_ASKING = re.compile(r"\?|^(?:do|does|would|will|could|can|am|is|any|what|reckon|think|how)\b")
_ELIGIBLE_TARGET = re.compile(rf"\b(?:{_T}|programmes?|programs?|criteria|waiting list)\b")
_ELIGIBLE_REASON = "asks whether they (or a relative) would qualify for a treatment"

# A one-word diagnosis question after a symptom ("...when I bend my neck. Relapse?").
_BARE_DIAGNOSIS = re.compile(
    r"^(?:a |another |new |is it )?(?:relapse|flare|flare up|pseudo ?relapse|ms|side effects?|"
    r"infection|uti|optic neuritis)\s*\?|\bam i imagining (?:it|this|things)\b"
)
# Who the message is about, when it never says "I": "mum's been on...", "Mum (62, PPMS)...",
# or a profile ("EDSS 3, 29, highly active").
_BARE_RELATIVE = re.compile(rf"^(?:{RELATIVE})(?:'s)?\b")
_PROFILE = re.compile(r"\bedss (?:of |is |at )?\d(?:\.5)?\s*,|\b\d\d ?(?:f|m|yo)\b")

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
    settled: list[bool] = []  # per sentence: about the past, or joking
    for sentence in norm.sentences:
        past = _PAST.search(sentence) is not None and not _PRESENT.search(_PAST.sub(" ", sentence))
        joking = _JOKING.search(sentence) is not None
        settled.append(past or joking)
        cleaned = _NEGATED.sub(" ", sentence)
        for rule in _CRISIS_RULES:
            if rule.reason in fired or not rule.matches(cleaned):
                continue
            if past or (joking and rule.reason in _JOKE_PRONE):
                continue
            if rule.reason in _SUBJECT_ONLY and _ABOUT_SUICIDE.search(cleaned):
                continue
            if rule.reason in _STORY_PRONE and _STORY.search(cleaned):
                continue
            fired[rule.reason] = rule.weight
    fired.update(_weak_signs(norm, settled))
    if "mentions suicide or ending their life" in fired:
        fired.pop("mentions suicide", None)
    if _FEVER.search(norm.text) and _AFTER_TRANSPLANT.search(norm.text):
        fired[_FEVER_REASON] = 0.85
    return _combine(fired.values()), _by_weight(fired)


def _weak_signs(norm: Normalised, settled: list[bool]) -> dict[str, float]:
    """The crisis cues found in the message, each kind weighted by how many signs it shows."""
    text = norm.text
    words = set(text.translate(_PUNCTUATION).split())
    if _CUE_WORDS.isdisjoint(words) and not any(phrase in text for phrase in _CUE_PHRASES):
        return {}
    groups = [cues for cues in _CRISIS_CUES if cues.may_occur(text, words)]
    if not groups:
        return {}
    # Sentences about now, meant seriously, and not telling a story.
    live = [
        sentence
        for sentence, done in zip(norm.sentences, settled, strict=True)
        if not done and not _STORY.search(sentence)
    ]
    everyday = _EVERYDAY_FAREWELL.search(text) is not None
    fired: dict[str, float] = {}
    for cues in groups:
        if cues.everyday and everyday:
            continue
        signs = {match.lastgroup for sentence in live for match in cues.pattern.finditer(sentence)}
        if signs:
            # Two different signs of one kind count as two pieces of evidence.
            fired[cues.reason] = _combine([cues.weight] * min(len(signs), cues.most))
    return fired


def _advice(norm: Normalised) -> tuple[float, tuple[str, ...]]:
    text = norm.text
    sentences = norm.sentences
    if _has_any(text, _SARCASM_HINTS):
        sentences = tuple(raw for raw in sentences if not _SARCASM.search(raw))
    if _has_any(text, _GUARD_HINTS):
        sentences = tuple(_ADVICE_GUARDS.sub(" ", raw) for raw in sentences)
    bare_relative = any(_BARE_RELATIVE.match(sentence) for sentence in sentences)
    personal = (
        _HAS_FIRST_PERSON.search(text) is not None
        or bare_relative
        or _PROFILE.search(text) is not None
    )
    if not (personal or "?" in text or _seeks_nod(text)):
        return 0.0, ()
    has_treatment = _HAS_TREATMENT.search(text) is not None
    symptom: list[bool] = []  # looked for only when a rule needs it

    def has_symptom() -> bool:
        if not symptom:
            symptom.append(_HAS_SYMPTOM.search(text) is not None)
        return symptom[0]

    has_test = _HAS_TEST.search(text) is not None
    anaphora = has_treatment or has_test
    fired: dict[str, float] = {}
    about_self = False
    last = len(sentences) - 1
    for index, sentence in enumerate(sentences):
        names_treatment: bool | None = None if has_treatment else False
        for rule in _ADVICE_SENTENCE:
            if rule.reason in fired:
                continue
            if rule.needs_treatment:
                if names_treatment is None:
                    names_treatment = _HAS_TREATMENT.search(sentence) is not None
                if not names_treatment:
                    continue
            if rule.matches(sentence):
                fired[rule.reason] = rule.weight
                about_self = about_self or rule.about_self
        if anaphora and _ADVICE_ANAPHOR[0].reason not in fired:
            for rule in _ADVICE_ANAPHOR:
                if rule.matches(sentence):
                    fired[rule.reason] = rule.weight
                    break
        if (
            _EITHER_OR_REASON not in fired
            and " or " in sentence
            and (anaphora or has_symptom())
            and ("?" in sentence or index == last)
            and _EITHER_OR.search(sentence)
            and not _TAKE_IT_OR_LEAVE_IT.search(sentence)
        ):
            fired[_EITHER_OR_REASON] = 0.75
            about_self = True  # a bare "keep going or stop?" is the writer's own dilemma
        if (
            _ELIGIBLE_REASON not in fired
            and _ASKING.search(sentence)
            and _ELIGIBLE.search(sentence)
            and _ELIGIBLE_TARGET.search(text)
        ):
            fired[_ELIGIBLE_REASON] = 0.75
        if ("?" in sentence or "imagin" in sentence) and has_symptom():
            if _BARE_DIAGNOSIS.search(sentence):
                fired.setdefault("asks for a diagnosis", 0.75)
    if (
        has_treatment
        and "?" in text
        and _ASKS_TREATMENT not in fired
        and _CHANGED.search(text)
        and _CONSEQUENCE.search(text)
    ):
        fired[_ASKS_TREATMENT] = 0.75
    if has_treatment and _plans_and_asks(sentences):
        fired.setdefault(_PLAN_REASON, 0.75)
        about_self = True  # the plan has the writer, or no one, as its subject
    guarded = " ".join(sentences)
    asks = _REQUEST_RE.search(guarded) is not None
    if personal and asks and _INTENT.search(guarded):
        fired.setdefault("plans a treatment change and asks for opinions", 0.7)
    if personal and has_treatment and _PROPOSAL.search(guarded) and _asks_not_polls(sentences):
        fired.setdefault("asks about a treatment their doctor proposed", 0.6)
    if personal and _ASKS_ADVICE.search(guarded) and (has_treatment or has_symptom()):
        fired.setdefault("asks for personal medical advice", 0.6)
    if not fired or not (personal or about_self):
        # A question with no one in it ("is it safe to take X with Y?") is a general question
        # the FAQ can answer; it only needs a human when it is about someone.
        return 0.0, ()
    reasons = _by_weight(fired)
    if bare_relative or _HAS_RELATIVE.search(text):
        reasons += ("on behalf of a relative or friend",)
    return _combine(fired.values()), reasons


def _asks_not_polls(sentences: tuple[str, ...]) -> bool:
    """A question other than a call for others' experiences ("anyone been to Sheffield?")."""
    return any("?" in s and not _POLL.search(s) for s in sentences)


def _has_any(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def _seeks_nod(text: str) -> bool:
    """Whether the text asks for approval: a tag question or a "no harm, right?"."""
    mark = text.find("?")
    while mark != -1:
        # Only the few words before each question mark can be a tag.
        if _NOD_QUESTION.search(text, max(0, mark - 45), mark + 1):
            return True
        mark = text.find("?", mark + 1)
    return _has_any(text, _NOD_HINTS) and _NOD_STATEMENT.search(text) is not None


def _plans_and_asks(sentences: tuple[str, ...]) -> bool:
    """A change to a named treatment (or to "it", when one is named), then a nod sought."""
    if not _seeks_nod(". ".join(sentences)):
        return False
    for index, sentence in enumerate(sentences):
        for plan in _PLAN.finditer(sentence):
            # Moving an appointment ("switch my infusion day to Friday") is not a treatment change.
            about = _LOGISTICS.sub(" ", sentence[plan.start() :])
            if not (_NAMES_TREATMENT.search(sentence) or _NAMES_ANAPHOR.search(about)):
                continue
            if not _NAMES_TREATMENT.search(about) and _LOGISTICS.search(sentence):
                continue
            # The change must be to the treatment, not to something else in the sentence
            # ("skip the support group and take my meds").
            clause = _CLAUSE_END.split(sentence[plan.end() :], maxsplit=1)[0]
            if not (
                _NAMES_TREATMENT.search(plan.group(0))
                or _NAMES_TREATMENT.search(clause)
                or _NO_OTHER_OBJECT.match(clause)
            ):
                continue
            tail = ". ".join((sentence[plan.end() :], *sentences[index + 1 :]))
            if _seeks_nod(tail):
                return True
    return False


def _by_weight(fired: dict[str, float]) -> tuple[str, ...]:
    return tuple(reason for reason, _ in sorted(fired.items(), key=lambda kv: -kv[1]))

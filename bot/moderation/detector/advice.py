"""Advice rules: a question about the writer's own (or a relative's) treatment, dose, symptom
or clinic, and the structures of a request whatever its words (plan + nod, either/or,
eligibility), with the guards that stop what only looks like one."""

from __future__ import annotations

import re

from bot.moderation.detector.lexicon import (
    ACTION,
    APPROVAL,
    CARE,
    CHANGE,
    DRUGS,
    ELIGIBILITY,
    FIRST_PERSON,
    RELATIVE,
    SYMPTOM,
    TEST_RESULT,
)
from bot.moderation.detector.rules import (
    _ACTIVITY,
    _ADV,
    _D,
    _GAP,
    _MODALQ,
    _OKAY,
    _P,
    _REL,
    _REQUEST,
    _T,
    _TA,
    Rule,
    _rule,
)

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

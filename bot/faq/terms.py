"""How members' words become search terms.

Members write "mesenchymal", "stromal cells", "MSC's" or "msc" for one thing, and "aHSCT",
"HSCT", "BMT" or "bone marrow transplant" for another; "tumour", "cancer" and "can it kill you"
all ask about risks. Search compares concepts, not spellings, so both the FAQ and every question
go through the same steps: fold case and accents, rewrite known phrases to one concept word,
drop words that carry no topic, map everyday words to their concept, and cut endings so
"injections", "injected" and "inject" meet. Typos are handled later, against the index's own
vocabulary (see index.py), because only the index knows which words exist.

The word lists are general vocabulary (how people talk about money, trust, risk, doctors...),
not phrasings collected from the evaluation set: members we will never see use the same
everyday words, in new combinations.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Currency signs and amounts are a question about money whatever the number ("$$", "20k",
# "40 grand"). They run on the raw text, before folding drops the signs.
_MONEY_RE = re.compile(
    r"[$£€]+|\b\d+(?:[.,]\d+)? ?(?:k|grand|thousand|dollars?|euros?|pounds?|usd|eur|gbp)\b",
    re.IGNORECASE,
)

_CLINICIAN = r"(?:neuro|neurologist|neurology|doctor|doc|dr|gp|consultant|nurse|specialist)s?"

# Multi-word phrases first, the specific before the general, so "mesenchymal stem cells" becomes
# one concept and does not also count as the generic "stem cell". They run on folded text, in
# order; a replacement may be empty (the phrase says nothing about the topic).
_PHRASES: tuple[tuple[str, str], ...] = (
    # Someone else bringing a treatment up is context, not the topic: "my neuro suggested
    # aHSCT, what is it?" asks about aHSCT. A refusal ("my neuro said no") stays a topic.
    (
        rf"{_CLINICIAN} (?:has |have |had |just |recently |then |now |is |was |keeps? |also )?"
        r"(?:mentioned|mentions|mentioning|suggested|suggests|suggesting|recommended|"
        r"recommends|brought up|brings up|raised|offered|offers|talked about|told (?:me|us|"
        r"her|him|them) about|is saying|saying|said|says|thinks|put (?:me|her|him) forward)"
        r"(?! no\b| not\b| it s not| its not| im not| i m not| i am not| i cant| i shouldnt)",
        "",
    ),
    # Small talk with the bot is not a question about it.
    (
        r"(?:thanks|thank you|thx|ty|cheers|good|great|nice|love|lovely|hi|hey|hello|bye|"
        r"morning|night|stupid|dumb|useless|silly|cool) (?:(?:you|to|the|this|that|a|ur|"
        r"your|little|lil) )?bot|bot (?:is|you are|youre|u r) (?:great|awesome|amazing|cool|"
        r"useless|stupid|dumb|funny|cute|smart)",
        "chitchat",
    ),
    # Giving cells away is not a treatment question.
    (
        r"(?:become|becoming|be|register(?:ing)? as|sign(?:ing)? up (?:to be|as)) an? "
        r"(?:\w+ ){0,3}donor|(?:stem cells?|bone marrow|blood|organ) donors?(?: regist\w+)?|"
        r"donors? regist\w+|donat\w*(?: (?:my|our|your|the|her|his|their|some|blood|cord|"
        r"bone|marrow|stem|cells?|eggs?|plasma|platelets))*",
        "donation",
    ),
    # An age in a question is a question of eligibility ("too old at 52", "if you're over 50").
    # "I'm 34" is left alone: in a long post it usually just sets the scene.
    (
        r"(?:over|under|older than|younger than|aged?|at) \d{2}(?! ?(?:am|pm|oclock|o clock))"
        r"(?: (?:years? old|yrs? old|yo))?\b|\d{2} (?:years? old|yrs? old|yo)\b",
        "age",
    ),
    # Time that only sets the scene.
    (
        r"(?:\d+ |a few |few |couple of |many )?(?:years?|yrs?|months?|weeks?|days?) ago|"
        r"(?:last|this) (?:year|month|week)|(?:diagnosed|dx d?) (?:in )?\d+",
        "",
    ),
    # A hospital's MS clinic is where members see their team, not a stem-cell clinic.
    (
        r"(?:ms|neuro|neurology|infusion|outpatient) (?:clinic|clinics|centre|center|unit)",
        "msclinic",
    ),
    (r"stromal vascular fractions?", "svf"),
    # Trial names that would otherwise read as ordinary words ("beat", "ram").
    (r"beat ?ms", "beatms"),
    (r"ram ?ms", "ramms"),
    # Questions to the bot about itself.
    (
        r"(?:are|r) (?:you|u) (?:a |an )?(?:real |actual |qualified |proper )?(?:doctor|human|"
        r"person|nurse|robot|ai|medic|professional|expert|people)|"
        r"(?:who|what) (?:are|r) (?:you|u)\b",
        "bot",
    ),
    (
        r"who (?:checks|checked|reviews|reviewed|verifies|writes|wrote|made|makes|maintains|"
        r"runs|is behind|are behind|puts? together)",
        "author",
    ),
    (
        r"(?:more than|just|only) (?:one|once)|how many times|how often|repeat(?:ed|s)?|"
        r"top ?ups?|booster (?:doses?|shots?)",
        "dose",
    ),
    (r"(?:come|go|travel|fly|stay) with (?:me|her|him|us|them)|accompan\w+", "carer"),
    (r"multiple sclerosis|\bm s\b", "ms"),
    (
        r"(?:primary|secondary) progressive|\b(?:pp|sp)ms\b|\bpms\b|"
        r"(?:not|no longer|stopped|dont have) (?:relapsing|relapses|having relapses)",
        "progressive",
    ),
    (r"relapsing remitting|\brrms\b", "relapsing"),
    (
        r"(?:autologous )?(?:haematopoietic|hematopoietic|hemopoietic|blood forming) "
        r"(?:stem )?cells? (?:transplant|transplantation|transplants|therapy|treatment)",
        "hsct",
    ),
    (r"(?:autologous )?(?:haematopoietic|hematopoietic|hemopoietic|blood forming)", "hsct"),
    (r"(?:bone marrow|stem cells?) (?:transplant|transplantation|transplants)", "hsct"),
    (
        r"immune (?:system )?(?:reset|reboot|restart)\w*|"
        r"(?:reset|reboot|restart)\w* (?:the |your |my |their |her |his )?immune(?: system)?",
        "hsct reset",
    ),
    (r"mesenchymal (?:stem |stromal )?cells?|stromal cells?|mesenchymal", "msc"),
    (r"stemcells?", "stem cell"),
    # "back to work" is about a job; "does it work" about whether a treatment helps; "how does
    # it work" about how it is meant to act.
    (r"(?:back to|return to|returning to|off|at|from|miss(?:ing)?|time off) work", "job"),
    (
        r"how (?:does|do|did|would|could|might|will|can|is|are|exactly does) "
        r"((?:\w+ ){0,4}?)(?:work|works|working|act|acts)\b",
        r"mechanism \1",
    ),
    (r"supposed to|in theory|theory behind|science behind|mechanisms?(?: of action)?", "mechanism"),
    # Beating the dummy treatment is what a trial that worked did.
    (
        r"(?:better than|beat|beats|beaten|outperform\w*|do better than) (?:a |the )?"
        r"(?:placebo|dummy|sham)",
        "effective placebo",
    ),
    # "which is better" compares; "will I get better" hopes to improve.
    (
        r"which ((?:\w+ ){0,4}?)(?:better|best|safer|more|most|stronger)|better than|"
        r"pros and cons|"
        r"(?:the )?same (?:thing )?as|same thing|\bor the other",
        r"compare \1",
    ),
    (r"(?:get|gets|getting|feel|feeling|any|much) better", "improve"),
    (r"different (?:types?|kinds?|sorts?)|types? of|kinds? of|sorts? of", "type"),
    (
        r"who (?:can|could|should|may|would|is allowed to) (?:get|have|receive|be offered)|"
        r"(?:take|accept|consider) (?:me|her|him|someone|people)|meant for|considered for|"
        r"cut ?offs?|too old|age limits?|upper age|too disabled|too late",
        "eligible",
    ),
    # "what is X?" asks for a definition, unless X is itself an aspect ("what are the risks").
    (
        r"stand(?:s)? for|what (?:is|are|r|s) (?:an? |the )?"
        r"(?=(?:\w+ ?){1,3}$)(?!(?:\w+ )*(?:risks?|side|dangers?|costs?|prices?|chances?|"
        r"criteria|steps|stages|results?|evidence|differences?|options|odds|success|rates?|"
        r"recovery)\b)",
        "define ",
    ),
    (r"(?:everyone|people|everybody|they|folks|all) (?:keeps? |are |is )?talk(?:s|ing)? about", ""),
    (
        r"in (?:simple|plain|layman s?|laymans|normal) (?:terms|words|english)|like im 5|eli5",
        "define",
    ),
    (r"turn(?:s|ed)? into|develop(?:s)? into|grow(?:s)? into|change(?:s)? into", "become"),
    (r"side effects?|adverse (?:events?|effects?|reactions?)|go(?:es)? wrong|worst case", "risk"),
    (
        r"red flags?|warning signs?|too good to be true|rip ?offs?|ripped off|snake oil|"
        r"con artists?|preying on",
        "scam",
    ),
    (
        r"clinical ?trials? ?gov|clinical trials?|\brcts?\b|phase (?:1|2|3|one|two|three|i|ii|iii)",
        "trial",
    ),
    (
        r"guinea pigs?|sign(?:ing)? up|take part|taking part|get (?:in|into|onto) (?:a|an|the)",
        "join",
    ),
    (r"cord blood|umbilical cord|umbilical", "cord"),
    (r"wharton s jelly|whartons jelly|wharton jelly", "wharton"),
    (r"fat derived|adipose derived|belly fat|from fat|liposuction", "fat"),
    (r"lumbar puncture|spinal tap|needle in (?:the|my|your|her|his) (?:back|spine)", "spinal"),
    (
        r"death rate|mortality rate|chances? of dying|survival rate|pass(?:ed)? away|"
        r"kill(?:s|ed)? (?:you|people|patients|someone)",
        "death",
    ),
    (r"second opinion", "opinion"),
    (r"bring(?:s|ing)? (?:\w+ ){0,2}up|brought (?:\w+ ){0,2}up|raise (?:it|this|that)", "discuss"),
    (
        r"brush(?:ed|es)? (?:me |us |her |him |it )?off|said no|says no|say no|"
        r"(?:is|are|was) against",
        "refuse",
    ),
    (r"(?:ms|my) (?:nurse|team|specialist|consultant)", "neurologist"),
    (r"disease modifying (?:therapy|therapies|treatments?|drugs?)", "dmt"),
    (r"gofundme|go fund me|crowdfunding|crowd funding|fund ?raising|fund ?raiser", "fundraising"),
    (r"out of pocket|how much (?:is|are|was|for|would it be|money|cash)|price tags?", "cost"),
    (
        r"another country|other countries|overseas|medical tourism|stem cell tourism|"
        r"go(?:ing)? abroad",
        "abroad",
    ),
    (r"life back|old self|old life|(?:get|give|gives|giving) (?:\w+ ){0,2}back what", "cure"),
    (r"get rid of|go(?:es)? away|disappear", "cure"),
    (r"back to normal|feel normal|normal life|normal again", "normal"),
    (r"life expectancy", "lifespan"),
    (
        r"disability (?:benefits?|allowance|payments?|claims?|living allowance|insurance|"
        r"pension)|blue badge|social security",
        "welfare",
    ),
    (
        r"(?:daily |everyday |my |your )?life (?:like )?after|"
        r"back on (?:my|your|their|her|his) feet|bounce back",
        "recover",
    ),
    (r"start to (?:finish|end)|beginning to end|step by step|a to z", "procedure"),
    (r"in a nutshell|break (?:it )?down|run ?down|low ?down", "define"),
    (r"(?:near|close to) (?:me|us|where i live|home)|in my area|nearby", "local"),
    (r"hair (?:fall|falls|falling|fell) out", "hair"),
    (r"platelet rich plasma", "prp"),
    (r"hair loss|lose (?:my |your |their )?hair|go bald|bald|wigs?", "hair"),
    (r"(?:have|having|start) (?:a |more )?(?:kids|children|baby|babies|family)", "fertility"),
    (r"up to date|out of date|outdated|how current|how recent|how old is", "current"),
    (r"brain cells?|nerve cells?|neurons?", "nerve"),
    (r"social media|you ?tube|tik ?tok|insta(?:gram)?|face ?book|online|internet|reddit", "online"),
    (r"on prescription|prescribed|prescription", "approved"),
    (r"medical advice|(?:a |the )?substitute for (?:a |my |your )?doctor", "disclaimer"),
    (
        r"(?:this|these|the|your|its|the bots?) (?:info|information|answers?|faq|bot s answers)"
        r"(?= (?:come|from|reliable|accurate|right|correct|true|checked|written|legit|trust))",
        "answer",
    ),
)
_PHRASE_RE = [(re.compile(rf"\b(?:{pattern})\b"), word) for pattern, word in _PHRASES]

# Concept word -> the everyday words members use for it. Only words a member would use for the
# same idea in this domain; anything broader would blur entries that must stay apart ("doctor"
# is not "neurologist": "are you a doctor?" asks about this bot). Each concept maps to itself.
_GROUPS: dict[str, str] = {
    # the two treatments and the other products
    "msc": "msc mscs mesenchymal mesenchymel mesenchimal stromal",
    "hsct": "hsct ahsct bmt transplant transplants transplantation transplanted",
    "chemo": "chemo chemotherapy conditioning cyclophosphamide",
    "reset": "reset reboot restart",
    "exosome": "exosome exosomes secretome vesicles",
    "amniotic": "amniotic amnion placenta placental",
    "fat": "fat adipose lipo belly tummy stomach",
    "supplement": "supplement supplements pills pill booster boosters activator",
    # people
    "neurologist": "neuro neuros neurologist neurologists neurology consultant consultants "
    "specialist specialists nurse nurses",
    "doctor": "doc docs dr doctor doctors physician physicians gp medic",
    "bot": "bot bots chatbot robot ai chatgpt gpt automated",
    # talking to them
    "discuss": "discuss discussing discussion raise convince convincing persuade persuading "
    "push pushing advocate talk talking speak speaking conversation",
    "refuse": "refuse refused refuses refusing dismiss dismissed dismissive dismisses wont "
    "reject rejected declined denied",
    "refer": "refer referral referrals referred referring",
    "appointment": "appointment appointments appt appts consultation consult",
    "opinion": "opinion opinions",
    # risk and harm
    "risk": "risk risks risky danger dangers dangerous unsafe safe safer safest safety "
    "hurt hurts painful scary gamble "
    "complication complications harm harmful harmed hazard hazards worst toxic toxicity "
    "adverse",
    "death": "die died dies dying death deaths dead mortality fatal deadly lethal survive survival",
    "tumour": "tumour tumours tumor tumors cancer cancers cancerous malignant malignancy",
    "infection": "infection infections infect infected sepsis",
    # money and travel
    "cost": "cost costs costing price prices pricing priced pricey expensive cheap cheaper "
    "cheapest quote quoted quotes estimate estimates reimburse reimbursed reimbursement "
    "afford affordable money pay paid paying payment payments fee fees usd dollars euros "
    "budget savings loan loans fund funded funding funds spend spent charge charges "
    "charged bill bills",
    "insurance": "insurance insurer insurers insured medicare medicaid nhs cover covers "
    "covered coverage",
    "abroad": "abroad foreign tourism travel traveling travelling trip flight flights fly flying "
    "hotel visa mexico panama russia moscow india colombia caribbean "
    "bahamas cyprus thailand ukraine germany turkey china serbia argentina dubai "
    "kazakhstan philippines malaysia peru",
    "fundraising": "fundraising fundraise fundraiser",
    # trust in clinics
    "scam": "scam scams scammer scammers scammed legit legitimate illegitimate dodgy shady "
    "sketchy fraud fraudulent quack quacks quackery con cowboy cowboys bogus fake",
    "trust": "trust trusted trustworthy rely reliable accurate credible genuine reputable "
    "believable",
    "clinic": "clinic clinics clinique facility facilities provider providers spa medspa "
    "company companies business businesses place places",
    "testimonial": "testimonial testimonials stories videos video",
    "promise": "promise promises promised promising guarantee guarantees guaranteed claim "
    "claims claiming",
    "check": "check checking checked vet vetting verify verifying",
    # asking
    "compare": "vs versus compare compared comparing comparison difference differences "
    "different differ diff",
    "improve": "better improve improves improved improvement improvements improving",
    "define": "define explain explained explaining explanation definition meaning mean means "
    "simple simply basics basic beginner beginners overview intro introduction 101 "
    "simplest gist summary summarise summarize eli5",
    "type": "types kinds sorts",
    "decide": "choose choosing decide deciding decision decisions pick picking",
    "give": "put given giving administer administered delivered deliver",
    "become": "become becomes",
    "mechanism": "mechanism theory",
    "procedure": "procedure procedures process step steps stage stages",
    "calm": "calm calms calming dampen dampens suppress suppresses suppressing quieten "
    "modulate modulates immunomodulation immunomodulatory",
    "embryo": "embryo embryos embryonic fetal foetal clone clones cloning cloned",
    "hope": "hope hopes hoping hopeful",
    "author": "author authors write writes wrote written writing",
    "local": "local",
    # outcomes
    "effective": "work works working worked effective effectiveness efficacy success "
    "successful succeed worth benefit benefits",
    "cure": "cure cured cures curing miracle miracles reverse reversed reversing reversal "
    "undo undone ditch",
    "repair": "repair repaired repairing regrow regrowing regenerate regeneration rebuild "
    "rebuilding restore restored heal healed healing fix fixed fixes",
    "walk": "walk walking walked wheelchair cane stick frame walker rollator crutches crutch "
    "mobility legs leg run running",
    "job": "job jobs employer career",
    # research
    "trial": "trial trials study studies experiment experiments",
    "join": "join joining enrol enroll enrolled enrolling participate participating apply "
    "applying "
    "participant participants volunteer volunteers volunteering recruit recruiting "
    "recruitment",
    "placebo": "placebo sham dummy",
    "evidence": "evidence proof proven prove proved data findings results result "
    "published publish science scientific statistics stats hype hyped overhyped overrated",
    # rules
    "approved": "approved approve approval licensed licence license legal "
    "fda ema mhra tga regulated regulation regulator regulators authorised authorized "
    "allowed",
    # "unapproved clinic" is the opposite of "approved treatment": its own concept.
    "unproven": "unproven unapproved unregulated unlicensed unlicenced illegal untested",
    "age": "age ages aged older elderly",
    "eligible": "eligible eligibility qualify qualifies qualified candidate candidates "
    "criteria requirements suitable",
    # medicines
    "dmt": "dmt dmts medication medications meds medicine medicines drug drugs",
    # how MSCs are given
    "intravenous": "iv drip infusion infusions intravenous intravenously vein",
    "intrathecal": "intrathecal intrathecally",
    "spinal": "spinal spine lumbar",
    "inject": "inject injection injections injected injecting shot shots",
    "dose": "dose doses dosage dosing rounds round sessions session",
    "collect": "collect collected collecting collection harvest harvested harvesting extract "
    "extracted",
    "donor": "donor donors allogeneic",
    # after aHSCT
    "recover": "recovery recovering recover recovered",
    "hair": "hair bald",
    "fertility": "fertility fertile infertile infertility pregnant pregnancy baby eggs sperm ivf",
    "vaccine": "vaccine vaccines vaccination vaccinations jab jabs immunisations immunizations",
    "tired": "tired tiredness fatigue fatigued exhausted exhaustion",
    "centre": "centre centres center centers unit units",
    "hospital": "hospital hospitalised hospitalized inpatient outpatient ward isolation",
    # questions about these answers
    "source": "source sources reference references citation citations",
    "nerve": "nerve nerves",
    "myelin": "myelin remyelinate remyelination remyelinating demyelination",
    "inflammation": "inflammation inflammatory inflamed",
    "progressive": "progressive",
}

_SYNONYMS: dict[str, str] = {
    word: target for target, listed in _GROUPS.items() for word in (target, *listed.split())
}

SYNONYM_WORDS: frozenset[str] = frozenset(_SYNONYMS)

# Words that say nothing about which entry is meant: "who", "how" and "why" go, while topic
# words such as "safe", "again" and "work" stay. Relatives go too: "my wife's neuro" asks the
# same question as "my neuro"; so do the words of a post around the question ("first post,
# sorry if this is dumb, anyone know...").
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above actually after all also am an and any anyone anything are aren as at
    be been before being between both but by can cant could couldn did didn do does doesn doing
    don done dont during each even ever every everyone for from get gets getting go going got
    had has have having he her here hers him his how i id if im in into is isn it its itself
    ive just know let like ll lot lots me might more most much must my myself need no nor not
    now of off ok okay on once one only or other our out over own please pls plz re really
    s same say says she should so some someone something sorry such t than thank thanks that
    thats the their them then there these they thing things this those though through to too
    u ur us very was wasn way we well were what whats when where which while who whom why will
    with won would y yeah yes yet you your youre yours hey hi hello guys anybody tell
    lol ill youve told saw read heard wondering wonder question
    questions asking ask asked kind sort stuff bit little said exactly basically literally
    currently probably maybe already still guess think thought feel
    wat wut wats r thx ty tho gonna wanna dunno idk cuz coz bc btw imo tbh omg
    therapy therapies treatment treatments treat treated treating option options
    wife wifes husband husbands mum mums mom moms mother dad dads father parent parents partner
    partners son daughter sister brother aunt uncle friend friends family boyfriend girlfriend
    sons daughters sisters brothers grandma grandmother grandad grandpa grandfather nan
    cousin niece nephew fiance fiancee hubby bf gf bestie colleague coworker neighbour
    neighbor mate buddy
    somebody everybody folks yall anyone someone info information details detail curious
    dumb stupid newbie new here post posting first hear hearing seen reading watch watched
    thoughts advice tips quick general overwhelmed scared terrified confused
    worried nervous honestly seriously somewhere anyway anymore apparently keep keeps keeping
    gotten today yesterday tomorrow recently guy lady people
    whether whats hes shes theyre theres isnt arent wasnt doesnt didnt cant wouldnt
    shouldnt couldnt ive youve weve theyve gonna gotta lemme
    uk usa america american canada canadian australia europe european england scotland
    ireland wales britain british
    able actual till until plus incl including sound sounds figure consider considering
    thinking looking silly
    """.split()
)

# Words of everyday MS life and of the server that this FAQ does not cover. A question using
# them ("does vitamin D help fatigue?", "how do I change my nickname?") is more likely a general
# one, even when it also says "stem cells" or "safe"; the confidence model weighs this against
# everything else the question says.
OFF_TOPIC_WORDS: frozenset[str] = frozenset(
    """
    symptom symptoms fatigue tired pain numb numbness tingling spasm spasms spasticity tremor
    tremors bladder bowel continence vision eyesight eye eyes optic neuritis dizzy dizziness
    vertigo balance fog cognitive memory depression depressed anxiety mood sleep insomnia
    heat hot cold weather hug itch itching cramps cramp headache migraine foot drop
    ocrevus ocrelizumab kesimpta ofatumumab tysabri natalizumab tecfidera dimethyl vumerity
    copaxone glatiramer avonex rebif betaferon interferon gilenya fingolimod mayzent
    siponimod zeposia ponvory aubagio teriflunomide mavenclad cladribine lemtrada
    alemtuzumab rituximab ublituximab briumvi btk tolebrutinib steroid steroids prednisone
    solumedrol baclofen fampridine ampyra ldn naltrexone modafinil amantadine gabapentin
    ibuprofen paracetamol
    diet food foods eat eating keto paleo swank wahls fasting vitamin vit b12 biotin omega
    fish alcohol drink drinking smoking smoke vape cannabis cbd weed exercise gym yoga
    physio physiotherapy swimming cooling vest towel shoes brace afo cushion
    diagnose diagnosis diagnosed symptom mri scan scans contrast gadolinium oligoclonal
    bands jcv antibody antibodies bloodwork flare flares prognosis
    hereditary genetic genes inherit inherited contagious
    welfare pip ssdi parking permit badge mortgage driving driver
    breastfeed breastfeeding pregnant pregnancy newly
    server channel channels nickname nick username profile picture pfp avatar role roles
    verified verify mod mods moderator moderators admin admins rules dm dms message messages
    ping notification notifications mute emoji voice vc chat zoom meeting meetup event events
    intro link invite ban kick meme memes password
    weather game match football soccer dinner lunch breakfast joke morning night birthday
    holiday vacation dog dogs cat cats pet pets
    knee knees arthritis joint joints diabetes autism parkinsons parkinson als
    alzheimers dementia stroke heart skin face wrinkles cream creams cosmetic aging ageing
    baldness donation chitchat lifespan msclinic breast prostate lung lungs
    """.split()
)

# Endings cut from words longer than the stem that remains; a light, predictable stemmer is
# enough because both sides pass through it and typo matching catches the rest.
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ions", "ion")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_IZE_RE = re.compile(r"iz(e|ed|es|ing|ation|ations)$")
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, every non-alphanumeric run turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").replace("’", "")
    return _NON_WORD_RE.sub(" ", ascii_text).strip()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: plural, -ing/-ed/-ion forms and a final "e"."""
    if len(word) <= 3 or word.isdigit():
        return word
    word = _IZE_RE.sub(r"is\1", word)  # "randomized" and "randomised" meet
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("ied") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("ed") and len(word) > 4:
            word = word[:-2]
        elif word.endswith("es") and len(word) > 4:
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def rewrite(folded: str) -> str:
    """Apply the phrase rules to already folded text."""
    for pattern, word in _PHRASE_RE:
        folded = pattern.sub(word, folded)
    return folded


def words(text: str) -> list[str]:
    """Folded, phrase-rewritten words, stopwords included (autocomplete needs them)."""
    return list(_words(text))


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    # Cached: autocomplete and search see the same text many times, and the phrase rules are
    # the slowest step.
    text = _TAG_QUESTION_RE.sub(" ", text)
    return tuple(_TOKEN_RE.findall(rewrite(fold(_MONEY_RE.sub(" cost ", text)))))


# "MSC = mesenchymal, right?": a tag question seeks a nod and names no topic. Without this,
# "right" pulls the question towards "which treatment is right for me".
_TAG_QUESTION_RE = re.compile(r"[\s,]+(?:right|yeah|yea|ok|okay|innit|eh|no)\s*\?", re.IGNORECASE)


def concept(word: str) -> str:
    """The concept word for one folded word: its synonym group, else its stem."""
    return _SYNONYMS.get(word) or stem(word)


def terms(text: str) -> list[str]:
    """Search terms of a text: concepts of its topic words, in order, duplicates kept."""
    return absorb([concept(w) for w in topic_words(text)])


def topic_words(text: str) -> list[str]:
    """Folded words that can carry a topic (no stopwords, numbers or single letters)."""
    return [w for w in _words(text) if len(w) > 1 and not w.isdigit() and w not in STOPWORDS]


def off_topic(word: str) -> bool:
    """True for a folded word of everyday MS life or of the server, which this FAQ does not
    cover. Judged on the word, not its concept: "fatigue" after aHSCT is on topic only when
    the question also names aHSCT, and that is for the confidence model to weigh. Drug names
    are too many to list, but antibodies end in "-mab" and S1P modulators in "-imod"."""
    return (
        word in OFF_TOPIC_WORDS
        or stem(word) in _OFF_TOPIC_STEMS
        or (len(word) > 6 and word.endswith(_DRUG_ENDINGS))
    )


_DRUG_ENDINGS = ("mab", "imod")


def absorb(concepts: list[str]) -> list[str]:
    """Drop "stem"/"cell" right after "msc" or "hsct": "mesenchymel cells" and "MSC stem
    cells" mean MSCs, not stem cells in general."""
    kept: list[str] = []
    for term in concepts:
        if term in _GENERIC and kept and kept[-1] in _SPECIFIC:
            continue
        kept.append(term)
    return kept


_SPECIFIC = frozenset({"msc", "hsct"})
_GENERIC = frozenset({"stem", "cell"})
_OFF_TOPIC_STEMS = frozenset(stem(word) for word in OFF_TOPIC_WORDS)

# Concepts that place a question inside this FAQ's subject: stem-cell treatments, where they
# are offered and studied, and this bot's own answers. A question with none of them ("what
# causes MS?") is more likely a general one the FAQ does not cover; the confidence model
# weighs this, it does not decide alone.
ANCHORS: frozenset[str] = frozenset(
    concept(word)
    for word in """
    stem msc hsct trial exosome cord wharton svf amniotic intrathecal chemo
    chemotherapy placebo mesems ryoncil remestemcel starms beatms ramms study research faq
    disclaimer answer source transplant cell inject injection intravenous clinic scam bot reset
    eligible unproven
    """.split()
)

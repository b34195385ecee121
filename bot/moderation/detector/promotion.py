"""Notice clinic promotion: a message that markets or solicits for an unproven stem-cell
clinic, product or "treatment package".

Written from how marketers work (ISSCR's and the FDA's warning signs, crowdfunding studies,
spam-filter practice), not from evaluation rows. Marketers need two things in one message: an
offer (a price, a package, a cure claim, a testimonial) and a way to reach them (a link, a phone
number, a messaging-app invite, "DM me"). Each alone is everyday talk in a patient community
("my HSCT cost £40k", "DM me if you want to chat"), so each weighs little and the two together
reach the threshold. Signals are read from the raw text, because normalising would hide the
links and numbers that matter most. Members asking whether a clinic is legitimate, or warning
about one, are guarded: a question or a warning is not a sale.
"""

from __future__ import annotations

import re
import unicodedata

# --- signals beyond words ----------------------------------------------------------------------

CROWDFUNDING = (
    r"gofundme\.com|gogetfunding\.com|justgiving\.com|fundly\.com|indiegogo\.com"
    r"|givesendgo\.com|fundrazr\.com|youcaring\.com|kickstarter\.com"
)
MESSAGING = (
    r"wa\.me/|chat\.whatsapp\.com|api\.whatsapp\.com|t\.me/|telegram\.me/|telegram\.dog/"
    r"|wa\s*(?:dot|\[dot\]|\(dot\))\s*me|t\s*(?:dot|\[dot\]|\(dot\))\s*me"
)
SHORTENERS = (
    r"bit\.ly/|tinyurl\.com/|goo\.gl/|ow\.ly/|t\.co/|is\.gd/|cutt\.ly/|rb\.gy/"
    r"|shorturl\.at/|tiny\.cc/"
)
_CROWDFUNDING = re.compile(CROWDFUNDING)
_MESSAGING = re.compile(MESSAGING)
_SHORTENER = re.compile(SHORTENERS)
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|clinic|health|info|io|co)\b")
# A phone number: a + or leading 0 and at least nine digits, with spaces, dots or dashes.
_PHONE = re.compile(r"(?:\+|\b00|\b0)\d(?:[\s.\-()]*\d){8,}")
_PRICE = re.compile(
    r"[$€£¥₹]\s?\d[\d,.]*\s?k?\b|\b\d[\d,.]*\s?k?\s?(?:usd|eur|euros?|dollars|gbp|pounds|pesos|mxn)\b"
)
# --- words ---------------------------------------------------------------------------------------

_STEM = r"(?:stem[\s-]?cells?|msc|mscs|exosomes?|cord blood|umbilical|regenerative|cell therapy)"
_CONTACT = re.compile(
    r"\b(?:dm|pm|message|inbox|text|whatsapp|telegram|contact|email|call|reach out to) me\b"
    r"|\b(?:whatsapp|telegram|signal|viber|wechat)\b|\bdm (?:for|if)\b|\bsend me a (?:dm|message)\b"
    r"|\b(?:book|reserve) (?:your|a|now)\b|\bbooking\b|\bfree consultation\b|\bcoordinator\b"
    r"|\bmy (?:referral|discount|promo) code\b|\bdiscount code\b|\baffiliate\b"
)
_OFFER = re.compile(
    r"\b(?:packages?|protocol|treatment plan|all[\s-]inclusive|limited (?:spots|places|slots)|"
    r"special (?:offer|price)|discount|promo(?:tion)?|per session|per infusion|"
    r"million cells|\d+\s?(?:m|million) (?:cells|mscs)|booster|we offer|our clinic|our center|"
    r"our centre|our patients|our doctors|our team|accepting (?:new )?patients|"
    r"(?:get|book) (?:your|a) (?:spot|place|slot))\b"
)
_CURE = re.compile(
    r"\b(?:cured?|reversed?|healed|heals|miracle|100% (?:safe|natural)|no side effects|"
    r"guaranteed?|life[\s-]changing|walking again|off all (?:my )?meds|regrow|"
    r"repairs? (?:the )?myelin)\b"
)
_HAS_STEM = re.compile(rf"\b{_STEM}\b")
_RECRUIT = re.compile(
    r"\b(?:i can (?:connect|introduce|refer|put) you|i (?:can|will) send you (?:the|their) "
    r"(?:details|contact|number|link)|"
    r"ask me (?:for|about) (?:the|their) (?:details|contact|clinic)|"
    r"happy to share (?:the|their) (?:contact|number|details))\b"
)
# Guards: asking whether a clinic is real, warning against one, or a registered trial.
_ASKS_LEGIT = re.compile(
    r"\b(?:legit|scam|is (?:this|it|that) (?:real|legitimate|safe)|has anyone (?:heard|been|tried)|"
    r"anyone (?:heard|know|been|tried)|red flags?|warning signs?|avoid|be careful|beware|"
    r"stay away|predatory|unproven|not approved)\b"
)
_TRIAL = re.compile(r"\bnct\d{8}\b|clinicaltrials\.gov|isrctn")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def signals(text: str) -> dict[str, float]:
    """The promotion signals in `text`, each with its weight (reason -> weight)."""
    low = _fold(text)
    fired: dict[str, float] = {}
    stem = _HAS_STEM.search(low) is not None
    if _MESSAGING.search(low):
        fired["messaging-app invite (WhatsApp/Telegram)"] = 0.45
    if _CROWDFUNDING.search(low):
        fired["crowdfunding link"] = 0.3
    if _SHORTENER.search(low):
        fired["shortened link"] = 0.35
    elif _LINK.search(low) and not _TRIAL.search(low):
        fired["link"] = 0.15
    if _PHONE.search(low):
        fired["phone number"] = 0.4
    if _PRICE.search(low):
        fired["price or currency"] = 0.25
    if _CONTACT.search(low):
        fired["invites private contact or booking"] = 0.35
    if _RECRUIT.search(low):
        fired["offers to pass on a clinic's contact"] = 0.4
    if _OFFER.search(low):
        fired["treatment package or offer"] = 0.3
    if _CURE.search(low):
        fired["cure or guarantee claim"] = 0.25
    if stem and fired:
        fired["about stem-cell or regenerative treatment"] = 0.2
    return fired


def promotion(text: str) -> tuple[float, tuple[str, ...]]:
    """The promotion score of `text` and its reasons, strongest first.

    An offer without a way to reach the seller, or a contact without an offer, stays below
    the threshold; a question about a clinic or a warning against one is not promotion, and
    neither is a registered trial.
    """
    fired = signals(text)
    if not fired:
        return 0.0, ()
    low = _fold(text)
    reach = {
        "messaging-app invite (WhatsApp/Telegram)",
        "phone number",
        "invites private contact or booking",
        "offers to pass on a clinic's contact",
        "shortened link",
        "crowdfunding link",
        "link",
    }
    offer = {"price or currency", "treatment package or offer", "cure or guarantee claim"}
    if not (reach & fired.keys()) or not (
        offer & fired.keys() or "about stem-cell or regenerative treatment" in fired
    ):
        return 0.0, ()
    if _ASKS_LEGIT.search(low) or _TRIAL.search(low):
        return 0.0, ()
    remaining = 1.0
    for weight in fired.values():
        remaining *= 1.0 - weight
    ordered = tuple(r for r, _ in sorted(fired.items(), key=lambda kv: -kv[1]))
    return round(1.0 - remaining, 3), ordered

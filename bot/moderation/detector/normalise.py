"""Turn a chat message into the plain, predictable text the detector's patterns expect.

Members write fast, on phones, in slang and with typos; the patterns should not have to know
every spelling of "should" or every contraction. Normalising once here keeps the rules short
and lets them match the way people actually write. Quoted words are removed, because a member
quoting someone else ("my GP asked 'should you stop?'") is not asking anything themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Spellings seen on forums -> the form the rules use. Whole words only.
_WORDS: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "shud": "should",
    "shd": "should",
    "shld": "should",
    "shoud": "should",
    "sould": "should",
    "shoudl": "should",
    "wud": "would",
    "wld": "would",
    "cud": "could",
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "cant": "cannot",
    "wont": "will not",
    "didnt": "did not",
    "doesnt": "does not",
    "isnt": "is not",
    "wasnt": "was not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "havent": "have not",
    "hasnt": "has not",
    "pls": "please",
    "plz": "please",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "abt": "about",
    "b4": "before",
    "rn": "right now",
    "tmrw": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "cuz": "because",
    "coz": "because",
    "bc": "because",
    "wat": "what",
    "wht": "what",
    "ppl": "people",
    "idk": "i do not know",
    "kms": "kill myself",
    "kmsl": "laughing",
    "unalive": "kill",
    "unaliving": "killing",
    "unalived": "killed",
    "mom": "mum",
    "mommy": "mum",
    "mummy": "mum",
    "mam": "mum",
    "neuro": "neurologist",
    "neuros": "neurologists",
    "dr": "doctor",
    "docs": "doctors",
    "doc": "doctor",
    "meds": "medication",
    "med": "medication",
    "vit": "vitamin",
    "okay": "ok",
    "alright": "ok",
    "tho": "though",
    "thru": "through",
    "becuase": "because",
    "realy": "really",
    "stoping": "stopping",
    "swich": "switch",
    "switich": "switch",
    "relpase": "relapse",
    "relaspe": "relapse",
    "sucidal": "suicidal",
    "suicidle": "suicidal",
    "anymore": "any more",
    "fiancé": "fiance",
    "fiancée": "fiance",
    "hospial": "hospital",
    "gf": "girlfriend",
    "bf": "boyfriend",
    "hubs": "husband",
    "nbd": "no big deal",
    "innit": "is not it",
    "thats": "that is",
    "whats": "what is",
    "yea": "yeah",
    "ya": "you",
    "yep": "yes",
    "cos": "because",
    "n": "and",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "yrs": "years",
    "wk": "week",
    "wks": "weeks",
    "prob": "probably",
    "defo": "definitely",
    "dnt": "do not",
    "u2": "you too",
}

# Contractions, expanded so that "I'm" and "I am" are the same to every rule.
_CONTRACTIONS: tuple[tuple[str, str], ...] = (
    ("can't", "cannot"),
    ("won't", "will not"),
    ("shan't", "shall not"),
    ("n't", " not"),
    ("i'm", "i am"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'d", " would"),
    ("it's", "it is"),
    ("that's", "that is"),
    ("what's", "what is"),
    ("there's", "there is"),
    ("he's", "he is"),
    ("she's", "she is"),
)

_QUOTE_CHARS = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
)
_QUOTED = re.compile(r'"[^"\n]{1,300}"')
_BLOCKQUOTE = re.compile(r"^\s*>.*$", re.MULTILINE)
# Only the words that have a longer form: one search instead of a lookup for every word.
# Whole words in any alphabet: "n" is slang for "and", but not the "n" of Portuguese "não"
# or of French "n'ai".
_SLANG = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True))
    + r")(?![\w'])"
)
_SPACES = re.compile(r"[ \t]+")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+|\s+-\s+|;\s*")
_PLACES = re.compile(r"\ba\s*(?:&|and|n)\s*e\b")
_REPEATS = re.compile(r"([?!.])\1+")


@dataclass(frozen=True)
class Normalised:
    """The text as one string (for message-wide cues) and as sentences (for local ones)."""

    text: str
    sentences: tuple[str, ...]


def normalise(raw: str) -> Normalised:
    text = unicodedata.normalize("NFKC", raw).translate(_QUOTE_CHARS).lower()
    text = _BLOCKQUOTE.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    text = _PLACES.sub("a&e", text)
    for short, long in _CONTRACTIONS:
        text = text.replace(short, long)
    text = _SLANG.sub(lambda m: _WORDS[m.group(0)], text)
    text = _REPEATS.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    sentences = tuple(s.strip() for s in _SENTENCE.split(text) if s and s.strip())
    return Normalised(text=text, sentences=sentences)

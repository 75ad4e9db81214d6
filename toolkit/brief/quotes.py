"""Quotes and who said them."""
from __future__ import annotations

import re
from typing import Sequence


QUOTE_MIN_WORDS = 4
QUOTE_MAX_WORDS = 45
_QUOTE = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]")
SPEECH_VERBS = (r"said|says|added|stressed|noted|announced|affirmed|indicated|explained|wrote|stated|declared|told|"
           r"expressed|described|assured|emphasized|emphasised|confirmed|considered|warned|pointed out|"
           r"referred|hoped")
_NAME = r"[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,3}"
# Titles and roles that precede a name ("Prime Minister X said").
_TITLES = {"president", "leader", "minister", "prime", "spokesman", "spokeswoman", "spokesperson", "aide",
           "secretary", "general", "chancellor", "king", "queen", "prince", "ambassador", "director", "chief",
           "counterpart", "mayor", "governor", "senator", "deputy", "foreign", "defence", "defense", "the",
           "captain", "commander", "officer", "official", "lieutenant", "colonel", "chairman", "head"}
_NOT_NAMES = _TITLES | {"he", "she", "it", "they", "we", "i", "this", "that", "these", "those", "his", "her",
                        "their", "its", "and", "but", "also", "earlier", "during", "according", "in", "on", "as"}
_SPEAKER_BEFORE = re.compile(rf"({_NAME})\s*,?\s+(?:also\s+|then\s+|later\s+)?(?:{SPEECH_VERBS})\b")
_SPEAKER_AFTER = re.compile(rf"[\"”,]\s*(?:{SPEECH_VERBS})\s+({_NAME})")
_PRONOUN_SPEECH = re.compile(rf"^(?:he|she)\s+(?:also\s+)?(?:{SPEECH_VERBS})\b", re.I)
_ROLE_SPEECH = re.compile(rf"^the\s+([\w\s\-]{{0,30}}?(?:president|leader|minister|spokesman|spokeswoman))\s+"
                          rf"(?:also\s+)?(?:{SPEECH_VERBS})\b", re.I)


def quote_of(text: str) -> str:
    """The longest quoted passage of at least QUOTE_MIN_WORDS words, or ''."""
    best = ""
    for m in _QUOTE.finditer(text):
        q = m.group(1).strip()
        if len(q.split()) >= QUOTE_MIN_WORDS and len(q) > len(best):
            best = q
    return best


def _clean_name(name: str) -> str:
    parts = name.split()
    # Keep what follows the last title word: "Russian President Vladimir Putin" -> "Vladimir Putin".
    for k in range(len(parts) - 1, -1, -1):
        if parts[k].lower() in _TITLES:
            parts = parts[k + 1:]
            break
    return " ".join(parts)


def named_speaker(text: str) -> str:
    """The person a sentence attributes speech to by name, or ''."""
    before = text.split('"', 1)[0].split("“", 1)[0]
    for m in _SPEAKER_BEFORE.finditer(before):
        name = _clean_name(m.group(1))
        if name and name.split()[0].lower() not in _NOT_NAMES:
            return name
    m = _SPEAKER_AFTER.search(text)
    if m:
        name = _clean_name(m.group(1))
        if name and name.split()[0].lower() not in _NOT_NAMES:
            return name
    return ""


def speaker_of(text: str, previous: Sequence[str] = ()) -> str:
    """Who says the sentence: a name before a verb of speech ("Putin said"),
    or for "He added"/"The Korean leader said" the last named speaker of the
    preceding sentences of the same article."""
    name = named_speaker(text)
    if name:
        return name
    role = _ROLE_SPEECH.match(text)
    if role:
        # "The North Korean leader said": the role names the speaker better
        # than a guess at which earlier name it refers to.
        return role.group(1)
    if _PRONOUN_SPEECH.match(text):
        for prev in reversed(previous):
            name = named_speaker(prev)
            if name:
                return name
    return ""

"""The numbers of a parsed sentence and what each one is.

The parser's entity type says what kind of number it is (a clock time, a
date, money, a percentage, a measure) and the dependency tree what it
counts: the noun it modifies ("12 people"), the noun it is "of" ("a toll of
15"), the verb it belongs to ("killing 12", "12 were killed"). Only counts
can be a story's figures: "8:00 AM", "40 km" or "magnitude 6.9" never count
people.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..text.datetext import EN_MONTHS
from ..text.numbers import SCALES, numbers_in
from .model import (COMPARED, INCREMENT, SPECULATED, AGE, CLOCK, COUNT, DATE, DISTANCE, DURATION, MAGNITUDE, MEASURE, MONEY, ORDINAL, PERCENT,
                    WEIGHT, Quantity)

# A counted word that is a unit makes the number a measure, whatever the
# parser's entity type (English, lemmas).
UNIT_KINDS = {
    **dict.fromkeys("km kilometre kilometer mile metre meter foot feet yard cm centimetre centimeter mm inch "
                    "kms".split(), DISTANCE),
    **dict.fromkeys("tonne ton kg kilogram kilo gram pound lb barrel litre liter gallon".split(), WEIGHT),
    **dict.fromkeys("percent per cent percentage %".split(), PERCENT),
    **dict.fromkeys("dollar euro yen yuan rupee franc lei leu dinar dirham riyal rouble ruble won peso shekel "
                    "lira krona usd eur".split(), MONEY),
    **dict.fromkeys("second minute hour day week month year decade century".split(), DURATION),
    **dict.fromkeys("magnitude richter".split(), MAGNITUDE),
    **dict.fromkeys("degree celsius fahrenheit mph kph knot hectare acre".split(), MEASURE),
}
_ENTITY_KINDS = {"TIME": CLOCK, "MONEY": MONEY, "PERCENT": PERCENT, "ORDINAL": ORDINAL, "QUANTITY": MEASURE}

# What a count of people stands for in the story, by the lemma of the
# counted noun, of an adjective on it, or of the verb it belongs to.
ROLE_WORDS = {
    "dead": "dead death die kill killed toll fatality perish casualty_dead".split(),
    "bodies found": "body corpse remains".split(),
    "injured": "injured injure wound wounded hurt injury".split(),
    "missing": "missing miss disappear unaccounted".split(),
    "displaced": "displace displaced homeless refugee evacuate evacuee evacuated flee".split(),
    # The relief agencies' widest count: touched by the disaster in any way.
    "affected": "affect affected".split(),
}
ROLE_OF = {w: role for role, words in ROLE_WORDS.items() for w in words}
# Counted nouns that are people: a role is read only for a count of these,
# of a role noun ("deaths", "bodies") or of nothing named ("killed 12"),
# never of fish, homes or cases.
PEOPLE = frozenset("""people person persons resident inhabitant civilian soldier troop officer policeman police
    child children kid baby infant boy girl man men woman women adult student pupil worker employee miner passenger
    crew crewman sailor pilgrim tourist visitor villager citizen national victim patient survivor refugee migrant
    fighter militant rebel insurgent protester demonstrator prisoner hostage detainee member family families guard
    staff firefighter rescuer volunteer journalist doctor nurse teacher farmer fisherman player fan spectator
    casualty fatality""".split())
# Words before a number that make it a bound or an estimate.
BOUNDS = {"least": "least", "more": "more", "over": "more", "than": "more", "nearly": "about", "about": "about",
          "around": "about", "approximately": "about", "roughly": "about", "almost": "about", "some": "about",
          "up": "most", "most": "most", "less": "less", "fewer": "less", "under": "less", "estimated": "about"}
_SPECULATIVE = frozenset("could may might would will should can 'll".split())
# "14 other UN staff": a count of others beside those already told of.
_INCREMENT_WORDS = frozenset("more new another further additional extra other".split())
# Words after a number that make it a time of day ("08.51 BST", "9 pm").
_CLOCK_WORDS = frozenset("am a.m pm p.m gmt utc bst cet est edt pst cest o'clock hrs".split())
# A participle modifying the noun ("403 confirmed cases") is part of it.
_MODIFIERS = frozenset("amod compound nmod npadvmod".split())
# Tokens that never stand between a number and the noun it counts.
_NOT_IN_PHRASE = frozenset("SCONJ CCONJ VERB AUX PUNCT PRON".split())
_CLAUSE_OPENERS = frozenset("as while when after before because since until and but".split())
# A number this close before one of these is an age ("a 35-year-old man", "aged 35").
_AGE_WORDS = frozenset("old aged age".split())
# Words that open a phrase setting the story beside another event
# ("worse than", "the worst since", "like"), and the words of comparing
# whose "with" or "to" opens one ("compared with", "likened to").
_COMPARISON_WORDS = frozenset("than since like unlike".split())
_COMPARING = frozenset("compare comparison comparable liken similar equal".split())
# Dependencies through which a clause hangs from the noun it tells about.
_NOUN_CLAUSES = frozenset("relcl acl".split())
# A four-digit number after one of these, or in a span of two such numbers
# ("of 1918-1919"), is a year, whether or not the parser marked a date.
_YEAR_WORDS = frozenset("of in since from until till by before after during".split())


def _day_of_month(doc: Any, i: int) -> bool:
    """Whether token `i` is a day of a month the parser did not mark as a
    date: 1 to 31 beside a month's name, or in a span of days before one
    ("17-23 October", "27 February-5 March", "June 19")."""
    if not (doc[i].text.isdigit() and 1 <= int(doc[i].text) <= 31):
        return False
    near = [t for t in doc[max(0, i - 1):i + 4] if t.i != i]
    words = [t.text.replace("–", "-").split("-")[0] for t in near]  # "February-5" is one token
    named = [k for k, w in enumerate(words) if w[:1].isupper() and w.lower() in EN_MONTHS and w.lower() != "may"]
    # Only digits and dashes may stand between the day and a month after it
    # (for the month before it, "June 19", the span between is empty).
    return any(all(t.text.isdigit() or t.text in ("-", "–") for t in doc[i + 1:near[k].i]) for k in named)


def is_year(doc: Any, i: int) -> bool:
    """Whether token `i` is a year the parser did not mark as a date: a
    four-digit number from 1000 to 2100 after a preposition of time, or
    joined by a dash to another such number, that counts no noun ("a force
    of 1500 troops" is a count)."""
    def year_like(k: int) -> bool:
        text = doc[k].text if 0 <= k < len(doc) else ""
        return text.isdigit() and len(text) == 4 and 1000 <= int(text) <= 2100

    if not year_like(i) or doc[i].dep_ == "nummod":
        return False
    before = doc[i - 1].lower_ if i else ""
    dashed = (before in ("-", "–") and year_like(i - 2)) or (
        i + 1 < len(doc) and doc[i + 1].text in ("-", "–") and year_like(i + 2))
    return before in _YEAR_WORDS or dashed


def lemma(tok: Any) -> str:
    """The token's lemma, lower case; its text where the pipeline has no
    lemmatizer."""
    return (tok.lemma_ or tok.text).lower()


def _number_groups(doc: Any) -> Iterable[tuple[int, int]]:
    """(start, end) token spans of the numbers of `doc`: a run of number
    tokens ("1.2 million", "two hundred")."""
    i, n = 0, len(doc)
    while i < n:
        if doc[i].lower_ == "half" and i + 1 < n and (doc[i + 1].text == "-" or doc[i + 1].lower_ == "a"):
            # "half-million", "half a million": one number with its scale.
            j = i + 2
            if j < n and doc[j].lower_ in SCALES:
                yield i, j + 1
                i = j + 1
                continue
        if _is_number(doc[i]):
            j = i + 1
            while j < n and _is_number(doc[j]) and doc[j].ent_iob_ != "B":
                j += 1
            yield i, j
            i = j
        else:
            i += 1


def _is_number(tok: Any) -> bool:
    return tok.like_num or tok.pos_ == "NUM" or (tok.text[:1].isdigit() and any(c.isdigit() for c in tok.text))


def _counted(doc: Any, start: int, end: int) -> tuple[Any | None, Any | None]:
    """(the token the number counts, the verb it belongs to)."""
    head = doc[end - 1]
    while head.dep_ in ("nummod", "compound", "quantmod", "amod") and head.head.i != head.i and (
            head.head.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "X", "SYM")):
        head = head.head
        if head.pos_ in ("NOUN", "PROPN", "SYM"):
            break
    noun = head if head.pos_ in ("NOUN", "PROPN", "SYM") and not (start <= head.i < end) else None
    # A noun past a clause word or a verb is not what the number counts,
    # whatever the parser attached ("rose to 310 as more bodies were found").
    if noun is not None and any((t.pos_ in _NOT_IN_PHRASE and t.dep_ not in _MODIFIERS) or t.lower_ in _CLAUSE_OPENERS
                                for t in doc[min(end, noun.i):max(end, noun.i)]):
        noun = None
        if start and doc[start - 1].lower_ in ("to", "at") and doc[start - 1].head.pos_ == "VERB":
            # "rose to 310", "stood at 310": the value of the verb's subject.
            return _subject_noun(doc[start - 1].head), doc[start - 1].head
    if noun is None:
        # "15 of the sailors": the number heads an "of" phrase.
        of = next((c for c in doc[end - 1].children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is not None:
            noun = obj
        elif doc[end - 1].dep_ == "pobj" and doc[end - 1].head.lower_ == "of" and doc[end - 1].head.head.pos_ == "NOUN":
            noun = doc[end - 1].head.head  # "a toll of 15"
    verb = noun if noun is not None else doc[end - 1]
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return noun, (verb if verb.pos_ in ("VERB", "AUX") else None)


def _kind(doc: Any, start: int, end: int, noun: Any | None) -> str:
    ent = doc[start].ent_type_
    text = doc[start:end].text
    window = {lemma(t) for t in doc[max(0, start - 2):min(len(doc), end + 2)]}
    after_word = doc[end].lower_.strip(".") if end < len(doc) else ""
    if ":" in text or ent == "TIME" or after_word in _CLOCK_WORDS:
        return CLOCK
    if "magnitude" in window or "richter" in window:
        return MAGNITUDE
    # "a 35-year-old", "aged 35": the hyphens make "old" four tokens away.
    if {t.lower_ for t in doc[max(0, start - 1):min(len(doc), end + 4)]} & _AGE_WORDS and (
            noun is None or lemma(noun) in ("year", "old")):
        return AGE
    unit = lemma(noun) if noun is not None else ""
    if unit in UNIT_KINDS:
        return UNIT_KINDS[unit]
    after = lemma(doc[end]) if end < len(doc) else ""
    before = doc[start - 1].text if start else ""
    if after in UNIT_KINDS:
        return UNIT_KINDS[after]
    if before in ("$", "€", "£", "¥") or ent == "MONEY":
        return MONEY
    if ent == "DATE" or (end - start == 1 and (is_year(doc, start) or _day_of_month(doc, start))):
        return DURATION if unit in UNIT_KINDS or after in UNIT_KINDS else DATE
    return _ENTITY_KINDS.get(ent, COUNT)


def _bound(doc: Any, start: int, end: int, noun: Any | None, verb: Any | None = None, subject: bool = False) -> str:
    """The number's quantifier class; INCREMENT for a count added to an
    earlier one ("three more cases", "another 25", "12 new cases", "new
    cases include 13 children"), which
    is no total to set against another; SPECULATED for a count its verb
    only allows or expects ("could rise to 100,000", "may have 80,000").
    What the verb's subject counts is no speculation: "the 15 sailors will
    be put on trial" are 15, whatever becomes of them (`subject`); a toll
    is, where the event is what makes it one ("12 may have died")."""
    if verb is not None and not subject and any(c.dep_ == "aux" and c.lower_ in _SPECULATIVE
                                                for c in verb.children):
        return SPECULATED
    after = {doc[end].lower_} if end < len(doc) else set()
    before = doc[start - 1].lower_ if start else ""
    adjectives = {c.lower_ for c in noun.children} if noun is not None else set()
    # "The new cases include 13 children": the count is of what is new.
    if verb is not None and noun is not None and noun.head == verb and noun.dep_ in ("dobj", "attr"):
        adjectives |= {c.lower_ for s in verb.children if s.dep_ in ("nsubj", "nsubjpass") for c in s.children}
    if (after | adjectives | {before}) & _INCREMENT_WORDS:
        return INCREMENT
    window = doc[max(0, start - 3):start]
    for k in range(len(window) - 1, -1, -1):
        found = BOUNDS.get(window[k].lower_)
        if found == "more" and window[k].lower_ == "than" and k and window[k - 1].lower_ in BOUNDS:
            found = BOUNDS[window[k - 1].lower_]  # "less than five": the word before "than" says which way
        if found:
            return found
    return ""


def _role(noun: Any | None, verb: Any | None, after: str = "", anchor: Any | None = None) -> str:
    # "310,000 injured and 869 disappeared": the word right after the
    # number says what it counts, whatever the parser attached it to.
    if after in ROLE_OF:
        return ROLE_OF[after]
    if noun is not None and lemma(noun) not in PEOPLE and lemma(noun) not in ROLE_OF:
        return ""
    words = []
    if noun is not None:
        words.append(lemma(noun))
        words += [lemma(c) for c in noun.children if c.dep_ in ("amod", "acl", "relcl", "compound")]
    if verb is not None:
        words.append(lemma(verb))
        # "were left homeless", "were found dead": the complement of the
        # verb whose subject or object the count is (`anchor`), not of a
        # verb the count's own clause is joined to.
        if anchor is not None and anchor.head == verb:
            words += [lemma(c) for c in verb.children if c.dep_ in ("oprd", "acomp")]
    return next((ROLE_OF[w] for w in words if w in ROLE_OF), "")


def _compared(tok: Any) -> bool:
    """Whether the count at `tok` tells of another event that the sentence
    sets its story beside: it lies in a clause about a noun ("a plot in
    which 3,000 died", "the 1989 spill, when 11 million gallons ...") inside
    a phrase of comparison ("with" after "compare", "than", "since")."""
    clause = False
    for _ in range(12):
        if tok.dep_ in _NOUN_CLAUSES:
            clause = True
        if clause and tok.dep_ == "prep" and (tok.lower_ in _COMPARISON_WORDS or (
                tok.lower_ in ("with", "to") and lemma(tok.head) in _COMPARING)):
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _roles_after(doc: Any, end: int) -> set[str]:
    """The roles the words after a number name, up to the next number or
    the clause's end: two or more ("killed, injured or homeless") make it a
    count of all of them together."""
    roles = set()
    for tok in doc[end:]:
        if tok.like_num or tok.text in (".", ";", ":"):
            break
        role = ROLE_OF.get(tok.lower_) or ROLE_OF.get(lemma(tok))
        if role:
            roles.add(role)
    return roles


def _subject_noun(verb: Any | None) -> Any | None:
    """The subject of a verb of change ("the toll rose to 6,438"): what a
    number that completes the verb is the value of."""
    if verb is None:
        return None
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"), None)


def quantities(doc: Any) -> tuple[Quantity, ...]:
    """Every number `doc` states, with its kind, what it counts and its
    role (`Quantity`). Numbers inside a date or a clock time are that date
    or time, never a count."""
    out = []
    subjects: dict[int, Any] = {}  # verb -> the noun its counted subject counts
    for start, end in _number_groups(doc):
        shown = doc[start:end].text
        values = numbers_in(shown)
        if not values:
            continue
        noun, verb = _counted(doc, start, end)
        # The word the number hangs on in the parse: what it counts, or itself.
        anchor = noun if noun is not None else doc[end - 1]
        subject = anchor.dep_ in ("nsubj", "nsubjpass")
        if noun is None and doc[end - 1].dep_ == "pobj" and doc[end - 1].head.head == verb:
            noun = _subject_noun(verb)
        if noun is None and subject and verb is not None and verb.dep_ == "conj":
            # "14 UN staff died and 56 were injured": 56 of the staff.
            noun = subjects.get(verb.head.i)
        elif noun is not None and subject and verb is not None:
            subjects[verb.i] = noun
        kind = _kind(doc, start, end, noun)
        counts = lemma(noun) if noun is not None else ""
        holder = anchor.head if anchor.dep_ == "nummod" else anchor  # "five" UN staff
        role = _role(noun, verb, doc[end].lower_ if end < len(doc) else "", holder) if kind == COUNT else ""
        if role and len(_roles_after(doc, end)) > 1:
            role = ""  # "three million killed, injured or homeless" counts no one role
        bound = COMPARED if kind != DATE and _compared(anchor) else (
            _bound(doc, start, end, noun, verb, subject and not role))
        out.append(Quantity(values[0], shown, kind, counts, role, lemma(verb) if verb is not None else "", bound))
    return tuple(out)

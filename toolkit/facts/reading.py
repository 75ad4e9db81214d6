"""One parsed sentence to a `Reading`: its main event and how it holds it,
who and where, its numbers and the times it names."""
from __future__ import annotations

from typing import Any

from .model import (DONE, GROUP, PERSON, PLACE, PLANNED, POSSIBLE, QUESTION, STATE, Entity, Reading,
                    TimeExpr)
from .quantities import is_year, lemma, quantities

# Verbs that attribute what follows to a speaker: the event a sentence
# states is the reported clause's ("X said 12 were killed" states the
# killing, attributed to X).
SPEECH = frozenset("say tell announce state add report claim confirm note explain declare stress insist warn "
                   "write quote reveal acknowledge admit allege assert indicate".split())
# Verbs with little meaning of their own: the event is their object ("held
# talks", "made a visit", "took part").
LIGHT = frozenset("have hold make take give do conduct pay carry".split())
# Verbs whose "to" complement is what is planned ("agreed to sign").
_MODAL_PLANNED = frozenset("will shall 'll wo".split())
_MODAL_POSSIBLE = frozenset("would could may might can should must ought".split())
_ENTITY_KIND = {"PERSON": PERSON, "ORG": GROUP, "NORP": GROUP, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE}
_CONTENT_POS = frozenset("NOUN VERB ADJ ADV NUM".split())
# Words that name a time without the parser's DATE label.
RELATIVE_WORDS = frozenset("yesterday today tonight tomorrow".split())


def entity_key(span: Any) -> str:
    """A name for comparing: lower case, without a leading article or a
    trailing possessive."""
    words = [t.lower_ for t in span if t.lower_ not in ("the", "'s", "’s", "'")]
    return " ".join(words)


def _main_verb(root: Any) -> tuple[Any, bool]:
    """(the token of the main event, whether it is reported speech)."""
    if lemma(root) in SPEECH:
        reported = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")),
                        None)
        if reported is not None:
            return reported, True
    return root, False


def _event_lemma(verb: Any) -> str:
    word = lemma(verb)
    if word in LIGHT or word == "be":
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr", "acomp")), None)
        if obj is not None:
            return lemma(obj)
    return word


def _mode(verb: Any, text: str) -> str:
    if text.rstrip().rstrip("\"'”’").endswith("?"):
        return QUESTION
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _MODAL_PLANNED or ("going" in words and any(a.lower_ == "to" for a in auxes)):
        return PLANNED
    if words & _MODAL_POSSIBLE:
        return POSSIBLE
    if "to" in words or verb.morph.get("VerbForm") == ["Inf"] and verb.dep_ == "xcomp":
        return PLANNED
    tense = verb.morph.get("Tense")
    if "Past" in tense or any(a.lemma_ == "have" for a in auxes) or any(
            a.morph.get("Tense") == ["Past"] for a in auxes):
        return DONE
    return STATE


def _negated(verb: Any) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    # "No one was killed", "none of the ..."
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (c.lower_ in ("none", "nobody", "nothing") or any(
                d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
            return True
    return False


def _events(verb: Any) -> list[str]:
    """The event lemmas of the main clause: the main verb, the verbs
    coordinated with it and its open complements ("agreed to sign")."""
    out = [_event_lemma(verb)]
    for c in verb.children:
        if c.dep_ in ("conj", "advcl") and c.pos_ == "VERB":
            out.append(_event_lemma(c))
    return list(dict.fromkeys(out))


def _intended(verb: Any) -> list[str]:
    """Events the main clause only intends, plans or allows ("agreed to
    sign", "plans to visit")."""
    return [_event_lemma(c) for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]


def _times(doc: Any) -> list[TimeExpr]:
    out = []
    for ent in doc.ents:
        if ent.label_ == "DATE":
            out.append(TimeExpr(ent.text, _verb_of(ent.root)))
    for tok in doc:
        if (tok.lower_ in RELATIVE_WORDS or is_year(doc, tok.i)) and tok.ent_type_ != "DATE":
            out.append(TimeExpr(tok.text, _verb_of(tok)))
    return out


def _verb_of(tok: Any) -> str:
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    return _event_lemma(tok) if tok.pos_ in ("VERB", "AUX") else ""


def read_doc(doc: Any) -> Reading:
    """The `Reading` of a parsed sentence (a spaCy `Doc`)."""
    text = doc.text
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return Reading(text)
    root = next((r for r in roots if r.pos_ in ("VERB", "AUX")), roots[0])
    verb, said = _main_verb(root)
    people, places = [], []
    for ent in doc.ents:
        kind = _ENTITY_KIND.get(ent.label_)
        if kind is None:
            continue
        entity = Entity(ent.text, entity_key(ent), kind)
        (places if kind == PLACE else people).append(entity)
    ents = {t.i for e in doc.ents if e.label_ in _ENTITY_KIND for t in e}
    content = sorted({lemma(t) for t in doc if t.pos_ in _CONTENT_POS and not t.is_stop and t.i not in ents
                      and t.is_alpha})
    return Reading(text, _event_lemma(verb), tuple(_events(verb)), _negated(verb), _mode(verb, text), said,
                   tuple(dict.fromkeys(people)), tuple(dict.fromkeys(places)), quantities(doc),
                   tuple(dict.fromkeys(_times(doc))), tuple(content), tuple(_intended(verb)))

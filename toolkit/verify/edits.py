"""Edits a careless editor misses, checked against each cited sentence on its
own: numbers moved, hedges changed, roles swapped, attribution dropped.
Stitched sentences are checked in `stitch`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..text.numbers import TOKEN, number_spans
from .words import (BE, CLAUSE_WORDS, DETERMINERS, HEDGE_OF, IRREGULAR, LIST_WORDS, MONTHS, QUANTIFIERS, QUANT_OF,
                    REPORT_END)
from .claims import content_key, name_key, stem_word


# Predicates whose two sides may trade places without changing the fact
# ("A met B" = "B met A").
_SYMMETRIC = frozenset(stem_word(w) for w in """
meet met talk talks negotiate agree clash fight fought battle cooperate trade merge unite sign discuss compete
coordinate partner ally exchange reconcile border neighbour neighbor
""".split())


def _verb_forms(bases: str) -> frozenset[str]:
    """Each verb as written in its regular forms ("warn" -> warns, warned,
    warning); irregular forms are listed as bases. Compared as written, not
    stemmed: the stem of "noted" is the stem of "not"."""
    out = set()
    for w in bases.split():
        out.add(w)
        if w.endswith("e"):
            out.update((w + "s", w + "d", w[:-1] + "ing"))
        elif w.endswith("y") and w[-2] not in "aeiou":
            out.update((w[:-1] + "ies", w[:-1] + "ied", w + "ing"))
        else:
            out.update((w + "s", w + "ed", w + "ing"))
    return frozenset(out)


# Verbs that report what someone says: "X said Y" puts Y in X's mouth.
_REPORTING = _verb_forms("""
say said tell told add state announce report claim insist warn allege accuse indicate confirm stress
""")
# In a sentence restating a report, these keep the claim in someone's mouth
# (stance verbs too: "Putin hopes ..." says whose hope it is).
_STANCE = _REPORTING | _verb_forms("""
note explain describe hope believe think thought want call urge vow pledge promise demand express argue deny
quote cite estimate expect predict fear suggest acknowledge admit assert
""")


@dataclass(frozen=True)
class _Tok:
    kind: str  # "num", "word" or "punct"
    low: str
    key: str | None  # content key (see `content_key`)
    name: str | None  # name key (see `names`)


_PUNCT = re.compile(TOKEN.pattern + r"|(?P<punct>[,;:!?()\[\]\"\u201c\u201d\u2014\u2013]|\s[-\u2013]\s|\.(?!\d))")


def _parse(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    k = 0  # word index, for the first-word rule of `names`
    for m in _PUNCT.finditer(text.replace("\u2019", "'")):
        if m.group("num"):
            out.append(_Tok("num", m.group("num"), None, None))
        elif m.group("word"):
            w = m.group("word")
            out.append(_Tok("word", w.lower(), content_key(w), name_key(w, k)))
            k += 1
        elif m.group("pct"):
            out.append(_Tok("word", "percent", content_key("percent"), None))
        else:
            out.append(_Tok("punct", m.group("punct").strip(), None, None))
    return out


def _spans(toks: Sequence[_Tok]) -> list[tuple[str, int, int]]:
    return number_spans([(t.kind, t.low) for t in toks])


def _clause(toks: Sequence[_Tok], i: int, stop: frozenset[str]) -> tuple[int, int]:
    """[start, end) of the clause around token i: up to punctuation or a
    word of `stop` on either side."""
    lo = i
    while lo > 0 and toks[lo - 1].kind != "punct" and toks[lo - 1].low not in stop:
        lo -= 1
    hi = i + 1
    while hi < len(toks) and toks[hi].kind != "punct" and toks[hi].low not in stop:
        hi += 1
    return lo, hi


# Numbers moved between nouns ------------------------------------------------


def _attached(toks: Sequence[_Tok]) -> list[tuple[str, frozenset[str], str | None]]:
    """(value, what the number is attached to, quantifier class) for each
    number: the content words just after it ("12 soldiers") or just before
    ("killed 12") inside its part of a list, and every event word of that
    part ("12 soldiers were killed"); the quantifier right before it."""
    spans = _spans(toks)
    out = []
    for n, (value, s, e) in enumerate(spans):
        lo, hi = _clause(toks, s, LIST_WORDS)
        lo = max([lo] + [pe for _, _, pe in spans[:n] if pe <= s])
        hi = min([hi] + [ps for _, ps, _ in spans[n + 1:] if ps >= e])
        hi = max(hi, e)
        if (s > 0 and toks[s - 1].low in MONTHS) or (e < len(toks) and toks[e].low in MONTHS):
            # A date ("on June 19"): it belongs to what happens in its clause.
            near = [t.key for t in toks[lo:hi] if t.low not in MONTHS]
        else:
            near = [t.key for t in toks[e:min(hi, e + 4)]] + [t.key for t in toks[max(lo, s - 3):s]]
            near += [t.key for t in toks[lo:hi] if t.key and t.key.startswith("event:")]
        out.append((value, frozenset(k for k in near if k), _quantifier(toks, s)))
    # What every number of the sentence is attached to tells them apart
    # from nothing ("150,000 euro raised ... 395,000 euro pledged": euro).
    nears = [near for _, near, _ in out if near]
    shared = frozenset.intersection(*nears) if len(nears) > 1 else frozenset()
    return [(v, near - shared or near, q) for v, near, q in out]


def _quantifier(toks: Sequence[_Tok], s: int) -> str | None:
    before = tuple(t.low for t in toks[max(0, s - 3):s] if t.kind == "word")
    for phrase, cls in QUANT_OF:
        if before[len(before) - len(phrase):] == phrase and len(before) >= len(phrase):
            return cls
    return None


def _same_attachment(a: frozenset[str], b: frozenset[str]) -> bool:
    """Event words decide when both sides have them ("12 soldiers killed"
    vs "12 soldiers wounded" differ though both are soldiers)."""
    ea, eb = {k for k in a if k.startswith("event:")}, {k for k in b if k.startswith("event:")}
    return bool(ea & eb) if ea and eb else bool(a & b)


def _as_written(toks: Sequence[_Tok], keys: set[str] | frozenset[str]) -> str:
    """The words of `toks` whose content or name key is in `keys`, for details."""
    return ", ".join(dict.fromkeys(t.low for t in toks if t.key in keys or t.name in keys))


def numbers_moved(text: str, cited: Sequence[str]) -> str:
    """A number the sentence attaches to a noun or event that every cited
    sentence stating that number attaches to something else, while a cited
    sentence attaches the noun to another number: "30 killed and 12
    wounded" for "12 killed and 30 wounded". Rewording passes: one shared
    word between the two attachments is enough."""
    toks = _parse(text)
    mine = _attached(toks)
    theirs = [_attached(_parse(c)) for c in cited]
    for value, near, _ in mine:
        if not near:
            continue
        same = [nb for att in theirs for v, nb, _ in att if v == value]
        if not same or any(not nb or _same_attachment(nb, near) for nb in same):
            continue
        for att in theirs:
            for v, nb, _ in att:
                if v != value and _same_attachment(nb, near):
                    what = _as_written(toks, nb & near)
                    return f"{value} is attached to '{what}', which the cited sentences give {v}"
    return ""


# Hedges and quantifiers -----------------------------------------------------


def _hedges(toks: Sequence[_Tok]) -> list[tuple[str, str | None]]:
    """(hedge class, the content word it bears on) for each hedge."""
    out = []
    for i, t in enumerate(toks):
        cls = HEDGE_OF.get(t.low) if t.kind == "word" else None
        if cls is None or (t.low == "may" and t.name):  # "May" the month
            continue
        if t.low == "expected" and not (i + 1 < len(toks) and toks[i + 1].low == "to"):
            continue
        _, hi = _clause(toks, i, CLAUSE_WORDS)
        scope = next((u.key for u in toks[i + 1:hi] if u.key and u.low not in HEDGE_OF), None)
        out.append((cls, scope))
    return out


def hedge_changed(text: str, cited: Sequence[str]) -> str:
    """A hedge or number quantifier added that no cited sentence has, or
    one that the cited sentences put on what the sentence states flatly,
    with no cited sentence stating it flatly. "reportedly"/"allegedly" may
    be added to what a cited sentence attributes to someone."""
    toks = _parse(text)
    quoted = [_parse(c) for c in cited]
    # Quantifiers: the number must appear with the same quantifier somewhere.
    theirs = [(v, q) for ct in quoted for v, _, q in _attached(ct)]
    for value, _, q in _attached(toks):
        given = {tq for v, tq in theirs if v == value}
        if given and q not in given:
            if q is None:
                said = QUANTIFIERS[sorted(c for c in given if c)[0]][0]
                return f"states {value} flatly; the cited sentences say '{said}' {value}"
            return f"adds '{QUANTIFIERS[q][0]}' to {value}"
    mine = _hedges(toks)
    have = {cls for cls, _ in mine}
    theirs_h = [_hedges(ct) for ct in quoted]
    for cls, _ in mine:
        if any(cls == c for h in theirs_h for c, _ in h):
            continue
        if cls == "reported" and any(_attribution(ct) for ct in quoted):
            continue
        word = next(t.low for t in toks if HEDGE_OF.get(t.low) == cls)
        return f"adds '{word}', which no cited sentence has"
    keys = {t.key for t in toks if t.key}
    for h, ct in zip(theirs_h, quoted):
        for cls, scope in h:
            if cls in have or scope is None or scope not in keys:
                continue
            if cls == "reported" and any(t.low in _STANCE or t.low == "according" for t in toks):
                continue
            # Another cited sentence that states the same word unhedged
            # supports the flat statement.
            flat = any(scope in {t.key for t in ot if t.key} and all(sc != scope for _, sc in oh)
                       for ot, oh in zip(quoted, theirs_h))
            if not flat:
                word = next(t.low for t in ct if HEDGE_OF.get(t.low) == cls)
                return f"drops '{word}', which the cited sentences put on '{_as_written(toks, {scope})}'"
    return ""


# Roles ----------------------------------------------------------------------


def _roles(toks: Sequence[_Tok]) -> dict[str, list[tuple[frozenset[str], frozenset[str]]]]:
    """Content key -> (doer names, undergoer names) around each occurrence:
    names before it in its clause do, names after it undergo; in the passive
    ("B was defeated by A") names before undergo and names after "by" do."""
    out: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {}
    for i, t in enumerate(toks):
        if not t.key or t.name or t.key in _SYMMETRIC:
            continue
        lo, hi = _clause(toks, i, CLAUSE_WORDS)
        left = frozenset(u.name for u in toks[lo:i] if u.name)
        right_toks = toks[i + 1:hi]
        passive = (any(u.low in BE for u in toks[max(lo, i - 3):i])
                   and (t.low.endswith(("ed", "en")) or t.low in IRREGULAR))
        by = next((j for j, u in enumerate(right_toks) if u.low == "by"), None)
        if passive:
            doers = frozenset(u.name for u in right_toks[by + 1:] if u.name) if by is not None else frozenset()
            pair = (doers, left)
        else:
            pair = (left, frozenset(u.name for u in right_toks[:by] if u.name))
        if pair[0] and pair[1]:
            out.setdefault(t.key, []).append(pair)
    return out


def roles_swapped(text: str, cited: Sequence[str]) -> str:
    """Names that trade sides of a verb (or noun) the sentence shares with a
    cited sentence: "Russia accused Ukraine" for "Ukraine accused Russia",
    unless another cited sentence has them the sentence's way round."""
    toks = _parse(text)
    mine = _roles(toks)
    theirs = [_roles(_parse(c)) for c in cited]
    for key, pairs in mine.items():
        swapped = confirmed = False
        for do, undergo in pairs:
            for roles in theirs:
                for tdo, tundergo in roles.get(key, ()):
                    if do & tdo and undergo & tundergo:
                        confirmed = True
                    elif (do & tundergo) - tdo and (undergo & tdo) - tundergo:
                        swapped = True
                        hit = (_as_written(toks, do & tundergo), _as_written(toks, undergo & tdo))
        if swapped and not confirmed:
            return (f"'{hit[0]}' and '{hit[1]}' trade places around '{_as_written(toks, {key})}' "
                    "compared with the cited sentences")
    return ""


# Attribution ----------------------------------------------------------------


def _attribution(toks: Sequence[_Tok], verbs: frozenset[str] = _REPORTING) -> list[tuple[range, range]]:
    """(speaker tokens, reported tokens) of each report in the sentence:
    "X said (that) Y", "Y, X said", "according to X, Y", "Y, according to
    X". A report runs to the end of the sentence, or to "while"/"whereas"
    or a semicolon, where the next statement starts."""
    out = []
    n = len(toks)

    def end_of(i: int) -> int:
        return next((j for j in range(i, n) if toks[j].low in REPORT_END or toks[j].low == ";"), n)

    def start_of(i: int) -> int:
        return next((j + 1 for j in range(i - 1, -1, -1) if toks[j].low in REPORT_END or toks[j].low == ";"), 0)

    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        if t.low == "according" and i + 1 < n and toks[i + 1].low == "to":
            end = next((j for j in range(i + 2, n) if toks[j].kind == "punct"), n)
            speaker = range(i + 2, end)
            before = [u for u in toks[start_of(i):i] if u.key]
            reported = range(start_of(i), i) if before else range(end, end_of(end))
        elif t.low in verbs and not (i > 0 and toks[i - 1].low in DETERMINERS):  # not "the reported attack"
            lo, _ = _clause(toks, i, CLAUSE_WORDS)
            end = end_of(i + 1)
            after = [u for u in toks[i + 1:end] if u.key]
            if (lo > 0 and toks[lo - 1].low == "," and len(after) <= 2 and toks[lo].low not in LIST_WORDS
                    and not any(u.low == "that" for u in toks[i + 1:end])):
                # "Y, X said (on Friday)."; not "Y, and X said Z".
                speaker, reported = range(lo, i), range(start_of(lo), lo - 1)
            else:
                speaker, reported = range(lo, i), range(i + 1, end)
        else:
            continue
        if any(toks[j].key for j in reported):
            out.append((speaker, reported))
    return out


def attribution_dropped(text: str, cited: Sequence[str]) -> str:
    """A sentence that states as fact, outside any report of its own, two
    or more content words of what a cited sentence only reports someone as
    saying, and most of what it takes from that report: "Y" for "X said Y".
    Kept: a reporting or stance word that puts those words in someone's
    mouth ("X said Y", "Y, according to X", "X hopes Y"), or "reportedly".
    A cited sentence that states those words plainly, outside any report,
    makes the plain statement fine: then it is the source's own fact."""
    toks = _parse(text)
    if any(HEDGE_OF.get(t.low) == "reported" for t in toks):
        return ""
    # Only what the sentence itself reports is inside; its speaker part may
    # be a whole clause ("They refused, saying ...").
    inside = {j for _, reported in _attribution(toks, _STANCE) for j in reported}
    keys = {t.key for t in toks if t.key}
    flat = {t.key for j, t in enumerate(toks) if t.key and j not in inside}
    parsed = [(ct, _attribution(ct)) for ct in map(_parse, cited)]
    # Counted the same way as `flat` (speakers included), so that a cited
    # sentence always confirms itself.
    plain: set[str] = set()
    for ct, said in parsed:
        within = {j for _, rep in said for j in rep}
        plain |= {t.key for j, t in enumerate(ct) if t.key and j not in within}
    for ct, said in parsed:
        for speaker, reported in said:
            restated = {ct[j].key for j in reported if ct[j].key} & keys
            stated = restated & flat - plain
            if len(stated) >= 2 and len(stated) * 2 > len(restated):
                who = _as_written(ct, {ct[j].key or ct[j].name for j in speaker} - {None}) or "a report"
                return f"states as fact what the cited sentences attribute to {who}: {_as_written(toks, stated)}"
    return ""

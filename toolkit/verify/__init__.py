"""The citation checker shared by every brief (extractive and LLM).

A brief sentence is *supported* only when

1. it cites at least one sentence ID and every cited ID exists;
2. its embedding is close to the evidence: ``support``, the highest cosine
   similarity between the sentence and either one cited sentence or all
   cited sentences joined, reaches the threshold (`SUPPORT_THRESHOLD`);
3. every cited sentence is itself related to it (similarity at least
   `CITATION_FLOOR`), so a real citation cannot carry an unrelated one;
4. what embeddings do not see is checked on the words, against the cited
   sentences (the evidence):

   - every number it states occurs there, compared as values: "twelve",
     "12", "a dozen" are one number, so are "1,200" and "one thousand two
     hundred", "1.2 million" and "1,200,000"; "thousands" needs
     "thousands";
   - every name occurs there: capitalised words after the first, and the
     first word too unless it is a common word;
   - it adds no reversing word ("not", "cancelled", "denied", ...) the
     evidence lacks, and does not drop one that its closest cited sentence
     has;
   - every event word it uses from a closed set of classes whose members
     exclude each other (killed / wounded / arrested / kidnapped /
     released, rose / fell, ...) is matched by a word of the same class;
   - it adds no content word the evidence lacks (`strict`, the default),
     or, with ``strict=False``, at most `MAX_NEW_WORDS` of them and at
     least `MIN_COVERAGE` of its content words are there. Content words
     are compared lower-cased and lightly stemmed; function words,
     attribution verbs ("said", "told"), hedges ("about", "also") and
     light verbs ("take place") do not count.

   Embeddings alone rate "the agreement was cancelled on Friday" close to
   "the agreement was signed on Wednesday", and "thirty soldiers were
   killed" close to "twelve soldiers were wounded".
5. what a careless editor misses when every word is in the evidence is
   checked against each cited sentence on its own (English only):

   - number-moved: a number attached to another noun or event than in the
     cited sentences ("30 killed and 12 wounded" for "12 killed and 30
     wounded"); the same pairs in another order or wording pass;
   - hedge-changed: a hedge ("may", "could", "likely", "expected to",
     "reportedly") or a quantifier before a number ("more than", "over",
     "at least", "nearly", "about", "up to", "fewer than") added where no
     cited sentence has one of its class, or dropped from what a cited
     sentence hedges ("300 killed" for "nearly 300 killed", "signed" for
     "could sign");
   - roles-swapped: two names trade the sides of a verb or noun they share
     with a cited sentence ("Russia accused Ukraine" for "Ukraine accused
     Russia"); the passive ("B was defeated by A") is read as such, and
     symmetric verbs ("met", "signed") are left alone;
   - attribution-dropped: what a cited sentence only reports someone as
     saying ("X said Y", "Y, X said", "according to X, Y") is stated as
     fact with no reporting or stance word of its own; fine when another
     cited sentence states it plainly;
   - stitched: no cited sentence carries three quarters of it, and the rest
     comes from a cited sentence about something else (statements joined
     by "and"/"while"/";", each from one cited sentence, pass).

   A conflict with one cited sentence fails only when no other cited
   sentence confirms the sentence on that point, so the extractive brief's
   verbatim sentence, cited with other sources' wordings, always passes.

6. with `read` (the fact layer's readings), what the sentence states is
   checked against what each cited sentence states (`toolkit.verify.facts`):
   a count given to another counted thing, an event denied, a deed the
   sources only plan.

Whatever fails is returned with ``supported=False`` and the reason, never
dropped silently and never marked supported.

Modules: `codes` (thresholds, reasons), `words` (word lists), `claims`
(reading a claim's words), `edits` (checks against each cited sentence),
`facts` (checks of what the fact layer reads).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..records import BriefSentence, Citation
from ..text.ids import PATTERN as ID_PATTERN, article_of
from ..text.numbers import numbers_in
from .codes import (SUPPORT_THRESHOLD, CITATION_FLOOR, MIN_COVERAGE, MAX_NEW_WORDS, OK, NO_CITATION, UNKNOWN_ID,
                    LOW_SIMILARITY, UNRELATED_CITATION, NUMBERS_MISSING, NAMES_MISSING, REVERSAL, EVENT_CHANGED,
                    WORDS_MISSING, NUMBER_MOVED, HEDGE_CHANGED, ROLES_SWAPPED, ATTRIBUTION_DROPPED, STITCHED)
from .claims import (content_key, content_words, coverage, events, known_keys, name_key, names, negations, new_words,
                     past_form,
                     reversals, stem_word, stopword)
from .edits import attribution_dropped, hedge_changed, numbers_moved, roles_swapped
from .stitch import STITCH_CORE, STITCH_OVERLAP, STITCH_SIMILARITY, stitched


# A long list shown short ends with how many IDs it leaves out ("+56 more").
_CITE_GROUP = re.compile(rf"\s*\[\s*({ID_PATTERN}(?:\s*[,;]\s*{ID_PATTERN})*)(?:\s*,\s*\+\d+ more)?\s*\]")
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class CheckedSentence(BriefSentence):
    """A `BriefSentence` with the checker's reason when it is unsupported
    (one of the codes above; empty when supported) and a detail for people."""

    reason: str = ""
    detail: str = ""


def parse_citations(text: str) -> tuple[str, tuple[str, ...]]:
    """Split trailing or inline citation groups like ``[1.9, 2.1, 5.1]`` off
    `text`: the sentence without them and the cited IDs in order of first
    appearance. Brackets that are not lists of IDs are left in the text."""
    ids: list[str] = []
    for m in _CITE_GROUP.finditer(text):
        for i in _ID.findall(m.group(1)):
            if i not in ids:
                ids.append(i)
    clean = _CITE_GROUP.sub("", text)
    clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
    return " ".join(clean.split()), tuple(ids)


def format_citations(ids: Sequence[str], *, most: int | None = None) -> str:
    """``[1.9, 2.1, 5.1]``: the inline form `parse_citations` reads back.
    With `most`, a list of more than twice that many shows its first
    `most` and how many more (``[1.3, 4.2, 7.1, +56 more]``): a point
    that hundreds of articles state stays one readable line."""
    if most is not None and len(ids) > 2 * most:
        return "[" + ", ".join(ids[:most]) + f", +{len(ids) - most} more]"
    return "[" + ", ".join(ids) + "]"


def _article_of(sid: str, articles_of: Mapping[str, int] | None) -> int:
    if articles_of is not None and sid in articles_of:
        return int(articles_of[sid])
    return article_of(sid)


def word_check(text: str, evidence: str, *, closest: str | None = None, strict: bool = True,
               cited: Sequence[str] | None = None, similar: Any = None) -> tuple[str, str]:
    """The word checks of the module docstring on one sentence and its
    evidence (the cited sentences joined; `closest`: the cited sentence most
    similar to it, for dropped negations; `cited`: the cited sentences one
    by one, for the edit checks, default the evidence as one sentence;
    `similar(i, j)`: similarity of cited sentences i and j, for stitching,
    default word overlap). ``(reason, detail)``, or ``("", "")`` when all
    pass."""
    missing_numbers = sorted(set(numbers_in(text)) - set(numbers_in(evidence)))
    if missing_numbers:
        return NUMBERS_MISSING, f"number(s) {', '.join(missing_numbers)} not in the cited sentences"
    known = known_keys(evidence)
    missing_names = sorted(names(text) - known)
    if missing_names:
        return NAMES_MISSING, f"name(s) {', '.join(missing_names)} not in the cited sentences"
    added = sorted(w for w in reversals(text) if w not in reversals(evidence) and stem_word(w) not in known)
    if added:
        return REVERSAL, f"'{', '.join(added)}' reverses what the cited sentences say"
    if closest is not None and not negations(text):
        dropped = sorted(negations(closest))
        if dropped:
            return REVERSAL, f"drops '{', '.join(dropped)}' from the closest cited sentence"
    have = events(evidence)
    changed = [(c, ws) for c, ws in events(text).items() if c not in have]
    if changed:
        said = sorted({w for ws in have.values() for w in ws})
        return EVENT_CHANGED, ("; ".join(f"'{', '.join(ws)}' ({c}) not in the cited sentences" for c, ws in changed)
                               + (f", which say: {', '.join(said)}" if said else ""))
    added_words = new_words(text, evidence)
    if strict and added_words:
        return WORDS_MISSING, f"word(s) {', '.join(added_words)} not in the cited sentences"
    cover = coverage(text, evidence)
    if not strict and (len(added_words) > MAX_NEW_WORDS or cover < MIN_COVERAGE):
        return WORDS_MISSING, (f"{len(added_words)} content word(s) not in the cited sentences "
                               f"({', '.join(added_words)}); at most {MAX_NEW_WORDS} and at least "
                               f"{MIN_COVERAGE:.0%} coverage allowed")
    parts = [c for c in (cited if cited is not None else [evidence]) if c]
    for reason, check in ((NUMBER_MOVED, numbers_moved), (HEDGE_CHANGED, hedge_changed),
                          (ROLES_SWAPPED, roles_swapped), (ATTRIBUTION_DROPPED, attribution_dropped)):
        detail = check(text, parts) if parts else ""
        if detail:
            return reason, detail
    detail = stitched(text, parts, similar)
    if detail:
        return STITCHED, detail
    return OK, ""


def verify_sentences(candidates: Sequence[tuple[str, Sequence[str]]], english: Mapping[str, str], *,
                     articles_of: Mapping[str, int] | None = None, embedder: Any = None,
                     threshold: float | None = None, strict: bool = True,
                     read: Callable[[list[str]], Sequence[Any]] | None = None) -> list[BriefSentence]:
    """Check each (English brief sentence, cited sentence IDs) against the
    English of the cited source sentences (`english`: ID -> sentence).

    Returns one `CheckedSentence` per candidate, in order, with a `Citation`
    per cited ID (its article from `articles_of`, else the ID's first part,
    and the measured similarity; 0.0 for an unknown ID), ``sources`` = the
    distinct articles cited, ``support`` = the best similarity to the
    evidence, and ``supported`` only when every check in the module
    docstring passes; otherwise ``reason`` says which failed first.
    `embedder` is anything with ``encode(texts) -> unit vectors`` (default:
    `toolkit.embed.Embedder()`); `threshold` overrides `SUPPORT_THRESHOLD`.
    `strict` (the default, and what sentences written by a model need)
    allows no content word the cited sentences lack; ``strict=False``
    tolerates a few (`MAX_NEW_WORDS`, `MIN_COVERAGE`). Numbers, names,
    reversing words and event words are checked either way. `read` (texts
    -> `toolkit.facts.Reading` each, such as `toolkit.facts.read_sentences`)
    adds the fact checks (`toolkit.verify.facts`) to sentences that pass
    every other check.
    """
    limit = SUPPORT_THRESHOLD if threshold is None else float(threshold)
    cands = [(str(text), tuple(str(i) for i in ids)) for text, ids in candidates]
    texts, plans = _embedding_plan(cands, english)
    vectors, joined_sim = _embed(texts, plans, cands, english, embedder, limit)
    out: list[BriefSentence] = []
    for k, ((text, ids), plan) in enumerate(zip(cands, plans)):
        if plan is None:
            out.append(_uncheckable(text, ids, english, articles_of))
            continue
        own, cited = plan
        sims = [float(vectors[own] @ vectors[c]) for c in cited]
        support = max(sims + ([joined_sim[k]] if k in joined_sim else []))
        out.append(_judge(text, ids, sims, support, english, articles_of, limit, strict,
                          lambda a, b, c=cited: float(vectors[c[a]] @ vectors[c[b]])))
    return out if read is None else _fact_checked(out, english, read)


def _fact_checked(checked: list[BriefSentence], english: Mapping[str, str],
                  read: Callable[[list[str]], Sequence[Any]]) -> list[BriefSentence]:
    """`checked` with the fact checks run on every supported sentence: the
    sentences and their cited sentences read in one call."""
    from dataclasses import replace

    from .facts import fact_check

    passed = [c for c in checked if c.supported]
    texts = list(dict.fromkeys([c.text for c in passed] + [english[x.id] for c in passed for x in c.citations]))
    if not texts:
        return checked
    reading = dict(zip(texts, read(texts)))
    out = []
    for c in checked:
        if c.supported:
            reason, detail = fact_check(reading[c.text], [reading[english[x.id]] for x in c.citations])
            if detail:
                c = replace(c, supported=False, reason=reason, detail=detail)
        out.append(c)
    return out


def _embedding_plan(cands: Sequence[tuple[str, tuple[str, ...]]], english: Mapping[str, str]
                    ) -> tuple[list[str], list[Any]]:
    """The distinct texts to embed (the sentences and each cited sentence,
    in one call) and where each candidate's texts sit among them."""
    texts: list[str] = []
    slot: dict[str, int] = {}

    def want(t: str) -> int:
        if t not in slot:
            slot[t] = len(texts)
            texts.append(t)
        return slot[t]

    # Per candidate: (slot of its own text, slots of its cited sentences), or
    # None when it cites nothing or an unknown ID.
    plans: list[Any] = []
    for text, ids in cands:
        known = [i for i in dict.fromkeys(ids) if i in english]
        if not ids or len(known) != len(set(ids)):
            plans.append(None)
            continue
        plans.append((want(text), [want(english[i]) for i in known]))
    return texts, plans


def _embed(texts: list[str], plans: list[Any], cands: Sequence[tuple[str, tuple[str, ...]]],
           english: Mapping[str, str], embedder: Any, limit: float) -> tuple[Any, dict[int, float]]:
    """The vectors of `texts`, and the similarity of each sentence that no
    single citation supports to its joined evidence (embedded only then)."""
    joined_sim: dict[int, float] = {}
    if not texts:
        return None, joined_sim
    import numpy as np

    from ..embed import get_embedder

    model = get_embedder(embedder)
    vectors = np.asarray(model.encode(texts), dtype=np.float64)
    weak = [(k, plan) for k, plan in enumerate(plans) if plan is not None and len(plan[1]) > 1
            and max(float(vectors[plan[0]] @ vectors[c]) for c in plan[1]) < limit]
    if weak:
        joined = np.asarray(model.encode([" ".join(english[i] for i in dict.fromkeys(cands[k][1]))
                                          for k, _ in weak]), dtype=np.float64)
        for (k, plan), vec in zip(weak, joined):
            joined_sim[k] = float(vectors[plan[0]] @ vec)
    return vectors, joined_sim


def _uncheckable(text: str, ids: tuple[str, ...], english: Mapping[str, str],
                 articles_of: Mapping[str, int] | None) -> CheckedSentence:
    unique = tuple(dict.fromkeys(ids))
    sources = len({_article_of(i, articles_of) for i in unique})
    reason = NO_CITATION if not ids else UNKNOWN_ID
    unknown = [i for i in unique if i not in english]
    detail = "no sentence ID cited" if not ids else f"unknown sentence ID(s): {', '.join(unknown)}"
    cites = tuple(Citation(i, _article_of(i, articles_of), 0.0) for i in unique)
    return CheckedSentence(text, cites, sources, False, support=0.0, reason=reason, detail=detail)


def _judge(text: str, ids: tuple[str, ...], sims: list[float], support: float, english: Mapping[str, str],
           articles_of: Mapping[str, int] | None, limit: float, strict: bool,
           similar: Any) -> CheckedSentence:
    """The checks in order: similarity, unrelated citations, then words."""
    unique = tuple(dict.fromkeys(ids))
    sources = len({_article_of(i, articles_of) for i in unique})
    cites = tuple(Citation(i, _article_of(i, articles_of), round(s, 4)) for i, s in zip(unique, sims))
    evidence = " ".join(english[i] for i in unique)
    closest = english[unique[max(range(len(sims)), key=sims.__getitem__)]]
    weak = [c.id for c in cites if c.similarity < CITATION_FLOOR]
    if support < limit:
        reason, detail = LOW_SIMILARITY, f"similarity {support:.2f} to the cited sentences is below {limit:.2f}"
    elif weak:
        reason, detail = UNRELATED_CITATION, (f"cited sentence(s) {', '.join(weak)} are unrelated "
                                              f"(similarity below {CITATION_FLOOR:.2f})")
    else:
        reason, detail = word_check(text, evidence, closest=closest, strict=strict,
                                    cited=[english[i] for i in unique], similar=similar)
    return CheckedSentence(text, cites, sources, reason == OK, support=round(support, 4),
                           reason=reason, detail=detail)


__all__ = [
    "verify_sentences",
    "word_check",
    "CheckedSentence",
    "parse_citations",
    "format_citations",
    "content_words",
    "names",
    "events",
    "reversals",
    "coverage",
    "new_words",
    "stem_word",
    "content_key",
    "negations",
    "stopword",
    "past_form",
    "name_key",
    "SUPPORT_THRESHOLD",
    "CITATION_FLOOR",
    "MIN_COVERAGE",
    "MAX_NEW_WORDS",
    "NO_CITATION",
    "UNKNOWN_ID",
    "LOW_SIMILARITY",
    "UNRELATED_CITATION",
    "NUMBERS_MISSING",
    "NAMES_MISSING",
    "REVERSAL",
    "EVENT_CHANGED",
    "WORDS_MISSING",
    "NUMBER_MOVED",
    "HEDGE_CHANGED",
    "ROLES_SWAPPED",
    "ATTRIBUTION_DROPPED",
    "STITCHED",
    "STITCH_CORE",
    "STITCH_SIMILARITY",
    "STITCH_OVERLAP",
]

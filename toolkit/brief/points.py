"""Which sentences of other sources state the same point: claim words,
reported events and the point matrix."""
from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from ..text.numbers import tokens as word_tokens
from .english import Unit
from .pairs import PairMatrix, similar_pairs
from .quotes import SPEECH_VERBS
# The settings' defaults live in `settings`; the constants stay importable here.
from .settings import (CITE_SIMILARITY, CLAIM_OVERLAP, DEFAULT_SETTINGS, MIN_CLAIM_SHARE, STATE_SIMILARITY,  # noqa: F401
                       BriefSettings)

if TYPE_CHECKING:
    import numpy as np


_SPEECH_WORD = re.compile(rf"(?:{SPEECH_VERBS})")


# Words that make what follows them an intention, plan or possibility
# rather than something that happened ("agreed to sign", "will sign").
_IRREALIS = frozenset("to will would could may might shall should can must".split())
# A past participle after these is a present passive or a state ("if a
# party is attacked"), not something reported as done.
_PRESENT_BE = frozenset("is are am be being".split())


def reported_events(text: str) -> set[str]:
    """Comparison keys of the verbs `text` reports as done: past forms
    outside an irrealis frame ("signed", "was signed", "met"; not "will
    sign", "is subjected to"), less the verbs of saying, which attribute a
    claim rather than make one. Names are not verbs ("United Nations")."""
    from ..verify import content_key, name_key, past_form

    out: set[str] = set()
    prev = ""
    light = False  # after "held", "took", "made": the event is the next content word ("held talks")
    seen = 0  # words so far, for `name_key`
    for kind, tok in word_tokens(text):
        low = tok.lower()
        key = content_key(tok) if kind == "word" else None
        in_name = kind == "word" and name_key(tok, seen) is not None
        seen += kind == "word"
        if light and key:
            out.add(key)
            light = False
        elif (kind == "word" and past_form(tok) and not in_name and prev not in _IRREALIS
              and prev not in _PRESENT_BE and not _SPEECH_WORD.fullmatch(low)):
            if key:
                out.add(key)
            else:
                light = True
        prev = low
    return out


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# After these a capital letter starts a sentence or a quote, not a name.
_OPENS = frozenset(".:!?;\"'“‘«(-—")


def claim_words(text: str) -> set[str]:
    """Comparison keys of the content words of `text` that are not names
    (capitalised words other than at the start of a sentence or a quote):
    what is said, not who it is about. Every sentence of a story names the
    same people and places."""
    return set(_claims(text))


@functools.lru_cache(maxsize=None)
def _claims(text: str) -> frozenset[str]:
    # Read once per text: a big story weighs each sentence's claim words in
    # the rarity, the thin-claim test and every pair it is in.
    out: set[str] = set()
    for m in _WORD.finditer(text):
        if m.group()[:1].isupper():
            k = m.start() - 1
            while k >= 0 and text[k].isspace():
                k -= 1
            if k >= 0 and text[k] not in _OPENS:
                continue
        key = _content_key(m.group())
        if key:
            out.add(key)
    return frozenset(out)


@functools.lru_cache(maxsize=None)
def _content_key(word: str) -> str | None:
    # A story's words repeat thousands of times; each is keyed once.
    from ..verify import content_key

    return content_key(word)


def states_point(sentence: str, other: str, similarity: float,
                 rarity: Mapping[str, float] | None = None, settings: BriefSettings = DEFAULT_SETTINGS) -> bool:
    """Whether `other`, on its own, states the point of `sentence`:

    * the two are close in meaning (`settings.cite_similarity`,
      CITE_SIMILARITY);
    * `other` carries at least CLAIM_OVERLAP of the claim words of
      `sentence` (content words other than names, `claim_words`), each
      weighted by its `rarity` in the story (`claim_rarity`; 1 without it),
      or the two are near-paraphrases (STATE_SIMILARITY). Words every
      sentence of the story uses ("agreement", "strategic") prove little:
      "the comprehensive strategic partnership agreement provides for mutual
      help" shares only those with "X and Y signed the comprehensive
      strategic partnership agreement", and a sentence that states one half
      of a compound sentence does not state the whole;
    * where `sentence` reports something done ("signed", "moved 1,200
      residents"), `other` reports something done too, not only a plan, a
      state or what a document says;
    * they agree on negation;
    * nothing `sentence` reports as done is only intended, planned or
      possible in `other` ("accepted the proposal to sign the agreement"
      does not state "signed the agreement"), however similar they are."""
    if similarity < settings.cite_similarity:
        return False
    return _states(Said.of(sentence), Said.of(other), similarity, rarity, settings)


@dataclass(frozen=True)
class Said:
    """What `states_point` reads from one sentence, read once per sentence
    however many pairs it is in: whether it is negated, the verbs it
    reports as done (`reported_events`), the words after an irrealis word
    and its claim words (`claim_words`)."""

    negated: bool
    done: set[str]
    irrealis: set[str]
    claims: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Said:
        return _said(text)


@functools.lru_cache(maxsize=None)
def _said(text: str) -> Said:
    # Read once per text: a sentence is in thousands of pairs, and the
    # story's point matrices read it again for each.
    from ..verify import negations

    return Said(bool(negations(text)), reported_events(text), _irrealis_words(text), _claims(text))


def _states(mine: Said, theirs: Said, similarity: float, rarity: Mapping[str, float] | None,
            settings: BriefSettings, total: float | None = None) -> bool:
    """`states_point` past its similarity floor, on the two sentences'
    `Said`; `total`: `_weight` of `mine`'s claim words where known."""
    if mine.negated != theirs.negated:
        return False
    if mine.done & theirs.irrealis - theirs.done:
        return False
    if similarity >= settings.state_similarity:
        return True
    if total is None:
        total = _weight(mine.claims, rarity)
    if not total or _weight(mine.claims & theirs.claims, rarity) < settings.claim_overlap * total:
        return False
    return not mine.done or bool(theirs.done)


def _weight(words: Iterable[str], rarity: Mapping[str, float] | None) -> float:
    """The claim words' weight: the sum of their rarity (1 each without
    it)."""
    if not rarity:
        return float(sum(1.0 for _ in words))
    # rarity.get(w, 1.0) of each word, called from C: a big story weighs
    # the shared claim words of some hundred thousand pairs.
    return sum(map(rarity.get, words, itertools.repeat(1.0)))


def thin_claims(texts: Sequence[str], rarity: Mapping[str, float], share: float) -> set[int]:
    """The indices of `texts` whose claim words (`claim_words`, weighted by
    `rarity`) weigh less than `share` of the median text's: they say too
    little beyond the story's common words for another sentence to state."""
    return _thin([_weight(_claims(t), rarity) for t in texts], share)


def _thin(weights: Sequence[float], share: float) -> set[int]:
    """`thin_claims` of texts whose claim words weigh `weights`."""
    import statistics

    if not weights:
        return set()
    floor = share * statistics.median(weights)
    return {k for k, w in enumerate(weights) if w < floor}


def claim_rarity(texts: Sequence[str]) -> dict[str, float]:
    """Inverse sentence frequency of each claim word over `texts` (the
    story's candidate sentences): log((n + 1) / (sentences using it + 0.5))."""
    counts: dict[str, int] = {}
    for text in texts:
        for w in _claims(text):
            counts[w] = counts.get(w, 0) + 1
    n = len(texts)
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in counts.items()}


def _irrealis_words(text: str) -> set[str]:
    """Comparison keys of the words right after an irrealis word."""
    from ..verify import content_key

    out: set[str] = set()
    prev = ""
    for kind, tok in word_tokens(text):
        if kind == "word" and prev in _IRREALIS:
            key = content_key(tok)
            if key:
                out.add(key)
        prev = tok.lower()
    return out


def states_fact(sentence: str, other: str, similarity: float, fact: Any, other_fact: Any,
                rarity: Mapping[str, float] | None = None, settings: BriefSettings = DEFAULT_SETTINGS, *,
                same_time: bool = True) -> bool:
    """The brief's judgment of whether `other` states the point of
    `sentence`, given their facts (`toolkit.facts.Fact`): `states_point`,
    or the two report one event in other words
    (`toolkit.facts.same.same_event`); and never when the facts say they
    are different facts (`toolkit.facts.compatible`: a question, a denial of
    the same event, a plan beside a deed, and with `same_time` another
    day)."""
    return _states_fact(lambda: Said.of(sentence), lambda: Said.of(other), similarity, fact, other_fact, rarity,
                        settings, same_time)


def _states_fact(mine: Callable[[], Said], theirs: Callable[[], Said], similarity: float, fact: Any,
                 other_fact: Any, rarity: Mapping[str, float] | None, settings: BriefSettings,
                 same_time: bool, total: float | None = None, one_day: bool = True) -> bool:
    """`states_fact` with each sentence's `Said` read only when the claim
    words are weighed; `total` as `_states` takes it; `one_day` False
    where the two are known not to name one day for their main events
    (then they report no one event)."""
    compatible, same_event, min_cosine = _fact_rules()
    if similarity < min_cosine:
        return False
    # Most pairs of a big story state neither the point nor the event:
    # whether their facts are compatible is asked only of those that do.
    states = ((similarity >= settings.cite_similarity and _states(mine(), theirs(), similarity, rarity, settings,
                                                                    total))
              or (one_day and same_event(fact, other_fact)))
    return states and compatible(fact, other_fact, same_time=same_time)


@functools.lru_cache(maxsize=None)
def _fact_rules() -> tuple[Callable[..., bool], Callable[..., bool], float]:
    # Imported once, not again in each of the hundreds of thousands of
    # pairs a big story judges.
    from ..facts import compatible
    from ..facts.same import MIN_COSINE, same_event

    return compatible, same_event, MIN_COSINE


def point_matrix(units: Sequence[Unit], raw: np.ndarray, rarity: Mapping[str, float] | None = None,
                 settings: BriefSettings = DEFAULT_SETTINGS, facts: Sequence[Any] | None = None,
                 same_time: bool = True, near: PairMatrix | None = None,
                 progress: Callable[[int, int], None] | None = None) -> PairMatrix:
    """``m[i, j]``: unit j states the point of unit i (`states_point`, or
    the facts report one event in other words, `toolkit.facts.same.same_event`), and
    their facts (`facts`, one `toolkit.facts.Fact` per unit) do not say
    they are different facts (`toolkit.facts.compatible`: a question, a
    denial of the same event, a plan beside a deed, and with `same_time`
    another day); `rarity` as `claim_rarity` gives it (default: over
    `units`). `near`: the units' cosines already computed
    (`similar_pairs` at a floor no higher than this one's); else they are
    computed from `raw`. Only pairs at or above the floor are held
    (`PairMatrix`). `progress(done, total)` hears of the pairs judged."""
    from ..facts.same import MIN_COSINE

    from .steps import EVERY

    floor = settings.cite_similarity if facts is None else min(settings.cite_similarity, MIN_COSINE)
    if near is None:
        near = similar_pairs(raw, floor)
    if rarity is None:
        rarity = claim_rarity([u.text for u in units])
    texts = [u.text for u in units]
    # Each sentence's `Said` is read only when a pair needs it (`_said`
    # keeps it), and its claim words are weighed once.
    said = [functools.partial(_said, t) for t in texts]
    weights = [_weight(_claims(t), rarity) for t in texts]
    rows, cols = [], []
    pairs = list(_candidate_pairs(near, facts, floor, settings, _thin(weights, settings.min_claim_share), weights))
    for k, (i, j, sim, one_day) in enumerate(pairs):
        if progress is not None and k % EVERY == 0:
            progress(k, len(pairs))
        if facts is not None:
            states = _states_fact(said[i], said[j], sim, facts[i], facts[j], rarity, settings, same_time,
                                  weights[i], one_day)
        else:
            states = _states(said[i](), said[j](), sim, rarity, settings, weights[i])
        if states:
            rows.append(i)
            cols.append(j)
    if progress is not None:
        progress(len(pairs), len(pairs))
    return PairMatrix.from_pairs((len(units), len(units)), rows, cols)


def _candidate_pairs(near: PairMatrix, facts: Sequence[Any] | None, floor: float,
                     settings: BriefSettings, thin: set[int], weights: Sequence[float]
                     ) -> Iterable[tuple[int, int, float, bool]]:
    """(i, j, cosine, one day named for both) of the pairs of `near` that
    `point_matrix` judges, row by row: at or above `floor`, two sentences,
    the first not thin; below the citation similarity only one event told
    in other words joins two sentences, and that needs one day named for
    both (`same_event`): most pairs of a big story end here, unjudged.
    Below the state similarity the second must also carry CLAIM_OVERLAP of
    the weight of the first's claim words (`weights`): one whose claim
    words all together weigh less cannot, and is left out unjudged unless
    it may tell one event."""
    import numpy as np

    from ..facts.same import _time_named

    rows, cols, sims = near.rows, near.cols, near.values.astype(np.float64)
    keep = (sims >= floor) & (rows != cols)
    if thin:
        keep &= ~np.isin(rows, np.fromiter(thin, dtype=np.int64, count=len(thin)))
    if facts is None:
        keep &= sims >= settings.cite_similarity
        one_day = np.zeros(len(rows), dtype=bool)
    else:
        codes: dict[frozenset[str], int] = {}
        day = np.array([codes.setdefault(frozenset(d), len(codes)) if d else -1
                        for d in map(_time_named, facts)], dtype=np.int64)
        one_day = (day[rows] >= 0) & (day[rows] == day[cols])
        keep &= (sims >= settings.cite_similarity) | one_day
    # The margin keeps a pair whose sums differ only by rounding.
    weight = np.asarray(weights, dtype=np.float64)
    light = (weight[rows] == 0) | (weight[cols] < settings.claim_overlap * weight[rows] - 1e-9)
    keep &= ~((sims < settings.state_similarity) & light & ~one_day)
    return zip(rows[keep].tolist(), cols[keep].tolist(), sims[keep].tolist(), one_day[keep].tolist())


def corroborating(points: PairMatrix, facts: Sequence[Any]) -> PairMatrix:
    """`points` (from `point_matrix` with ``same_time=False``: one fact at
    any time, with any values, which is what its versions are read from)
    less the pairs that do not corroborate (`toolkit.facts.same.corroborates`:
    another day, a count given another value): the matrix `point_matrix`
    gives with ``same_time=True``."""
    from ..facts.same import corroborates

    kept = [(i, j) for i, j in zip(*points.nonzero()) if corroborates(facts[i], facts[j])]
    return PairMatrix.from_pairs(points.shape, [i for i, _ in kept], [j for _, j in kept])


def supporters(units: Sequence[Unit], points: np.ndarray, i: int) -> list[int]:
    """The units of other articles that state the point of unit `i`."""
    # A big story asks this of every sentence: a held row is read as it is
    # held, not spread into a dense row first.
    held = points.row_nonzero(i) if isinstance(points, PairMatrix) else points[i].nonzero()[0]
    return [int(j) for j in held if units[j].article != units[i].article]

"""Stitched sentences: a sentence made of pieces of cited sentences about
different things, each piece supported but the whole not."""
from __future__ import annotations

import re
from typing import Any, Sequence

from ..text.numbers import numbers_in
from .claims import content_words

# A sentence is stitched when no cited sentence carries its core (at
# least `STITCH_CORE`, three quarters, of its content words, names and
# numbers) and the rest comes from a cited sentence about something else
# (similarity below `STITCH_SIMILARITY` to the sentence that carries most;
# without a model, content-word overlap below `STITCH_OVERLAP`). Why these:
# the extractive brief's verbatim sentence carries all of itself and its
# other citations are other sources' wordings of the same fact (similarity
# at least 0.6 to it by construction), so it is never stitched; cited
# sentences wording one fact on the seed story are 0.69-0.89 apart, while
# the stitches written for bench/verify_paraphrases.py cite sentences
# 0.34-0.49 apart. A core of three quarters rather than a bare majority,
# because most stitches take the bulk of one sentence and one detail from
# another ("... in 2000 to sign the agreement"); a sentence that only adds
# a minor detail from an unrelated sentence still passes. A sentence that
# joins statements with "and", "but", "while" or a semicolon, each of whose
# words come from one cited sentence, is several supported claims, not a
# stitch.
STITCH_CORE = 0.75
STITCH_SIMILARITY = 0.5
STITCH_OVERLAP = 0.2


def _facts(text: str) -> set[str]:
    return content_words(text) | {"#" + n for n in numbers_in(text)}


_JOINS = re.compile(r";|,?\s+(?:and|but|while|whereas)\s+")


def _conjoined(text: str, cited: Sequence[str]) -> bool:
    """Whether `text` splits at "and", "but", "while", "whereas" or a
    semicolon into statements whose words each come from one cited
    sentence."""
    cuts = [(m.start(), m.end()) for m in _JOINS.finditer(text)]
    if not cuts:
        return False
    starts = [0] + [e for _, e in cuts]
    ends = [s for s, _ in cuts] + [len(text)]
    have = [_facts(c) for c in cited]

    known = set().union(*have)

    def carried(i: int, j: int) -> bool:
        # All the statement's words that the cited sentences have come from
        # one of them: a statement may not itself be a stitch.
        keys = _facts(text[starts[i]:ends[j]]) & known
        return bool(keys) and any(keys <= h for h in have)

    # reach[j]: the pieces before j split into carried statements.
    reach = [True] + [False] * len(starts)
    for j in range(len(starts)):
        reach[j + 1] = any(reach[i] and carried(i, j) for i in range(j + 1))
    return reach[-1]


def stitched(text: str, cited: Sequence[str], similar: Any = None) -> str:
    if len(cited) < 2:
        return ""
    keys = _facts(text)
    if not keys:
        return ""
    have = [_facts(c) & keys for c in cited]
    best = max(range(len(cited)), key=lambda i: len(have[i]))
    if len(have[best]) >= STITCH_CORE * len(keys):
        return ""
    extra = [j for j in range(len(cited)) if j != best and have[j] - have[best]]
    if not extra:
        return ""
    if _conjoined(text, cited):
        return ""
    for j in extra:
        if similar is not None:
            related = similar(best, j) >= STITCH_SIMILARITY
        else:
            a, b = _facts(cited[best]), _facts(cited[j])
            related = len(a & b) / max(1, len(a | b)) >= STITCH_OVERLAP
        if not related:
            return (f"no cited sentence carries most of it ({len(have[best])} of {len(keys)} content words in the "
                    f"closest); the rest comes from a cited sentence about something else")
    return ""

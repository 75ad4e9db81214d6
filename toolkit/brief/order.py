"""The story's main event: what the sources lead with. It opens the key
points and is the first sentence any brief takes, so a short brief
(``-n 1``, ``--words 40``) still says what happened."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from .english import Unit
from .points import supporters

if TYPE_CHECKING:
    import numpy as np


def lead_agreement(units: Sequence[Unit], raw: np.ndarray, leads: Sequence[int],
                   rows: Sequence[int] | None = None) -> list[float]:
    """For each unit (or each of `rows`, indices into `units`), its mean
    cosine similarity (`raw`: unit vectors, one row per unit) to the lead
    claims (`leads`, indices into `units`) of the other articles: how close
    it is to what the other sources chose to open with. Each article writes
    its lead about what it sees as the news, so the sentence nearest all of
    them is the story's main event whatever each source adds after it. 0.0
    everywhere for a single article."""
    lead_of = {units[i].article: i for i in leads}
    articles = list(lead_of)
    sims = raw @ raw[list(lead_of.values())].T
    out: list[float] = []
    # The other articles' leads, listed once per article, not per sentence.
    others_of: dict[int, list[int]] = {}
    for k in range(len(units)) if rows is None else rows:
        u = units[k]
        others = others_of.get(u.article)
        if others is None:
            others = others_of[u.article] = [c for c, art in enumerate(articles) if art != u.article]
        out.append(float(sims[k, others].mean()) if others else 0.0)
    return out


def main_event(units: Sequence[Unit], raw: np.ndarray, points: np.ndarray, leads: Sequence[int]) -> list[int]:
    """Indices of the sentences that state the story's main event (empty
    with fewer than two articles); `select_sentences` takes the best of them
    first.

    The event is the claim the sources lead with: of the articles' lead
    claims (`leads`) that another source corroborates (`points`, as from
    `point_matrix`; all leads where none is), the one closest to the other
    leads (`lead_agreement`). Sentences whose point it states say the same,
    often more plainly ("X and Y signed the agreement" for a lead that also
    tells of the talks); `select_sentences` takes the one most sources
    state.

    Any sentence could sit near every lead by repeating the story's names;
    only a lead was written to say what happened."""
    if len({u.article for u in units}) < 2 or not leads:
        return []
    pool = [i for i in leads if supporters(units, points, i)] or list(leads)
    # Only the leads' agreement is asked for: a big story has thousands of other sentences.
    agreement = dict(zip(pool, lead_agreement(units, raw, leads, pool)))
    centre = max(pool, key=lambda i: (agreement[i], -i))
    return [centre] + [int(i) for i in points[:, centre].nonzero()[0]]

"""Leave-one-cluster-out choice of how the brief selects its sentences, on
DUC 2004 (100 words) and MultiLing 2011 (250 words) together.

    .venv/bin/python bench/brief_select.py [--duc ../shared/duc2004] [--clusters ../shared/multidoc]

The candidates are the shipped `select_sentences` (greedy, shipped
settings) and a grid of concept coverage as in Gillick and Favre's
ICSISumm: after the main event (taken as `build_brief` takes it), the set
of sentences within the words left whose concepts (`concepts`, each
counted once) weigh the most, solved as an integer linear program with
HiGHS (`pip install highspy`), never two sentences that state one point,
never a quotation piece. A concept weighs, over the distinct articles
that use it (at least `min_concept_sources`), 1 plus `position` times
exp(-its first place in the article / `decay`); each sentence adds `lead`
times its lead prior (`salience.lead_prior`); `clear_only` keeps out
sentences a reader cannot take on their own (`english.is_clear`). For each held-out cluster the
candidate with the best score on all the OTHER clusters (the mean of the
two sets' mean ROUGE-2 recall, so each set counts alike whatever its
size) is chosen and the held-out cluster is scored with it. Briefs are
chosen as `build_brief` chooses them (bench/brief_tune.py `prepare`):
the main event first, sources counted as news. Scores are rouge-score
ROUGE-2 recall, Porter stemming, mean over the references, every summary
cut to the set's length; the lead baseline (first sentences of each
article in turn, cut) stands beside every figure.
"""
from __future__ import annotations

import argparse
import itertools
import statistics
from pathlib import Path
from typing import Mapping, Sequence

from common import SHARED, cluster_dirs, duc_clusters, english_articles, offline_model, story_sources
from brief_quality import cut, cut_lead_baseline, rouge
from brief_tune import prepare, score

# The solver stops at this many seconds with the best brief found so far; a
# story of a few hundred sentences is solved to the optimum in well under one.
TIME_LIMIT_S = 10.0
COVER_GRID = {
    "position": (0.0, 1.0, 3.0),
    "decay": (1.0, 3.0),
    "min_concept_sources": (2, 3),
    "clear_only": (False, True),
    "lead": (3.0, 10.0, 30.0, 100.0),
}


def candidates() -> list[dict]:
    """The shipped greedy choice ({}) first, then each distinct cover setting."""
    out: list[dict] = [{}]
    for values in itertools.product(*COVER_GRID.values()):
        cfg = dict(zip(COVER_GRID, values))
        if cfg["position"] == 0.0 and cfg["decay"] != COVER_GRID["decay"][0]:
            continue  # the decay of no position boost changes nothing
        out.append(cfg)
    return out


def weights(units, concept_sets, cfg: dict) -> dict:
    """Each concept's weight for `cfg` (see the module docstring)."""
    import math

    first: dict = {}
    for u, cs in zip(units, concept_sets):
        for c in cs:
            seen = first.setdefault(c, {})
            seen[u.article] = min(seen.get(u.article, u.place), u.place)
    return {c: sum(1.0 + cfg["position"] * math.exp(-p / cfg["decay"]) for p in who.values())
            for c, who in first.items() if len(who) >= cfg["min_concept_sources"]}


def cover_score(prepared, cfg: dict, words: int) -> float:
    """ROUGE-2 recall of the concept-coverage brief of one prepared cluster."""
    from toolkit import brief as S
    from toolkit.brief.english import is_clear, is_quote_piece
    from toolkit.brief.salience import lead_prior

    if not cfg:
        return score(prepared, {}, words)
    units, concept_sets, points, refs, sources, first = prepared
    w = weights(units, concept_sets, cfg)
    opening = S.select_sentences(units, concept_sets, w, points, limit=1, word_budget=words, sources=sources,
                                 first=first)
    barred = {i for i, u in enumerate(units) if is_quote_piece(u.text)
              or (cfg["clear_only"] and not is_clear(u.text, u.flags))}
    picked = cover(concept_sets, w, [len(u.text.split()) for u in units], points, words, taken=opening,
                   barred=barred, bonus=[cfg["lead"] * lead_prior(u.place) for u in units])
    return rouge([units[i].text for i in picked], refs)["rouge2_r"]


def cover(concept_sets: Sequence[set[tuple[str, str]]], weights: Mapping[tuple[str, str], float],
          words: Sequence[int], points, budget: int, *, taken: Sequence[int] = (),
          barred: set[int] = frozenset(), bonus: Sequence[float] | None = None) -> list[int]:
    """Indices of the sentences that together cover the most concept
    weight in at most `budget` words, `taken` included and `barred` left
    out, never two that state one point (`points`); `bonus`: what each
    sentence adds itself, whatever it covers. Sentences of `taken` first,
    then the others by the weight of their concepts."""
    import highspy
    import numpy as np

    n = len(concept_sets)
    index = {c: k for k, c in enumerate(sorted({c for cs in concept_sets for c in cs if c in weights}))}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", TIME_LIMIT_S)
    inf = highspy.kHighsInf
    low = [1.0 if i in taken else 0.0 for i in range(n)]
    high = [0.0 if i in barred and i not in taken else 1.0 for i in range(n)]
    h.addCols(n, np.zeros(n) if bonus is None else np.asarray(bonus, dtype=float), np.array(low), np.array(high), 0, np.array([], dtype=np.int32),
              np.array([], dtype=np.int32), np.array([]))
    m = len(index)
    # A concept counts once it is covered: its variable never needs to be
    # integral, the maximisation sets it to 1 exactly when a chosen
    # sentence has it.
    h.addCols(m, np.array([weights[c] for c in index]), np.zeros(m), np.ones(m), 0,
              np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    rows: list[tuple[float, list[int], list[float]]] = [(float(budget), list(range(n)), [float(w) for w in words])]
    having: dict[int, list[int]] = {}
    for i, cs in enumerate(concept_sets):
        for c in cs:
            if c in index:
                having.setdefault(index[c], []).append(i)
    rows += [(0.0, [n + k] + who, [1.0] + [-1.0] * len(who)) for k, who in having.items()]
    same = np.argwhere(np.triu(points | points.T, 1))
    rows += [(1.0, [int(i), int(j)], [1.0, 1.0]) for i, j in same]
    starts = np.cumsum([0] + [len(r[1]) for r in rows[:-1]]).astype(np.int32)
    h.addRows(len(rows), np.full(len(rows), -inf), np.array([r[0] for r in rows]), int(sum(len(r[1]) for r in rows)),
              starts, np.array([k for r in rows for k in r[1]], dtype=np.int32),
              np.array([v for r in rows for v in r[2]]))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    values = h.getSolution().col_value
    chosen = [i for i in range(n) if values[i] > 0.5]
    gain = {i: sum(weights.get(c, 0.0) for c in concept_sets[i]) for i in chosen}
    return [i for i in taken if i in chosen] + sorted((i for i in chosen if i not in taken), key=lambda i: (-gain[i], i))


def lead_score(cluster: Path, words: int) -> float:
    folder, refs = story_sources(cluster)
    articles, _ = english_articles(folder)
    return rouge(cut(cut_lead_baseline(articles, words), words), refs)["rouge2_r"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duc", type=Path, default=SHARED / "duc2004")
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    args = parser.parse_args()
    offline_model(cache=True)
    from toolkit.embed import Embedder

    embedder = Embedder()
    sets = {"duc2004": (duc_clusters(args.duc), 100), "multidoc": (cluster_dirs(args.clusters), 250)}
    where = {c: (name, words) for name, (cs, words) in sets.items() for c in cs}
    prepared = {c: prepare(c, embedder) for c in where}
    configs = candidates()
    table = {(k, c): cover_score(prepared[c], cfg, where[c][1]) for k, cfg in enumerate(configs) for c in where}

    def worth(k: int, clusters) -> float:
        return statistics.mean(statistics.mean(table[k, c] for c in clusters if where[c][0] == name)
                               for name in sets)

    held = {}
    for c in where:
        best = max(range(len(configs)), key=lambda k: worth(k, [o for o in where if o != c]))
        held[c] = (best, table[best, c])
    for name, (clusters, words) in sets.items():
        lead = [lead_score(c, words) for c in clusters]
        print(f"\n{name} ({words} words), ROUGE-2 recall: cluster held-out shipped lead  chosen")
        for c, ld in zip(clusters, lead):
            k, r = held[c]
            print(f"  {c.name:8} {r:.4f} {table[0, c]:.4f} {ld:.4f}  {configs[k]}")
        print(f"  {'mean':8} {statistics.mean(held[c][1] for c in clusters):.4f} "
              f"{statistics.mean(table[0, c] for c in clusters):.4f} {statistics.mean(lead):.4f}")
    best_all = max(range(len(configs)), key=lambda k: worth(k, list(where)))
    print(f"\nbest on all clusters (not held out): {configs[best_all]} "
          + " ".join(f"{name} {statistics.mean(table[best_all, c] for c in cs):.4f}" for name, (cs, _) in sets.items()))


if __name__ == "__main__":
    main()

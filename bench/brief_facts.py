"""Importance from the fact layer: concepts of who did what, where, and how
many of what, counted beside the content-word bigrams, on DUC 2004 (100
words) and MultiLing 2011 (250 words), the choice among them held out.

    .venv/bin/python bench/brief_facts.py [--duc ../shared/duc2004] [--clusters ../shared/multidoc]
        [--cache /tmp/brief-learn.pkl]

Each candidate sentence's `Reading` (`toolkit.facts.read_sentences`) gives
fact concepts that join its bigram concepts (`salience.concepts`) and are
weighed the same way, by the number of articles that use them (at least
`min_concept_sources`): VARIANTS names which. The brief is then chosen by
`select_sentences` as `build_brief` chooses it (bench/brief_tune.py
`prepare`). Scores are rouge-score ROUGE-2 recall, Porter stemming, mean
over the references, every brief within the set's words. Beside each
variant's means the held-out figure: each cluster scored with the variant
(the shipped bigrams alone among them) best on the other 29 clusters, the
two sets' means counting alike.
"""
from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from common import SHARED, cluster_dirs, duc_clusters, offline_model
from brief_learn import Rouge2, load

# p: (participant or place, main event); q: (number, what it counts);
# e: every main-clause event instead of the main one; n: a participant or
# place alone.
VARIANTS = ("", "p", "q", "pq", "pe", "pqe", "pqn")


def fact_concepts(reading, variant: str) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    events = reading.events if "e" in variant else ((reading.event,) if reading.event else ())
    named = reading.participants + reading.places
    if "p" in variant:
        out.update(("who", who.key, event) for event in events for who in named)
    if "q" in variant:
        out.update(("count", q.value, q.counts or reading.event) for q in reading.quantities)
    if "n" in variant:
        out.update(("name", who.key, "") for who in named)
    return out


def scores(prepared, readings, words: int, variant: str) -> float:
    from toolkit.brief import concept_weights, select_sentences

    units, concept_sets, points, refs, sources, first = prepared
    sets = [cs | fact_concepts(r, variant) for cs, r in zip(concept_sets, readings)]
    weights = concept_weights(sets, [u.article for u in units])
    picked = select_sentences(units, sets, weights, points, word_budget=words, sources=sources, first=first)
    return Rouge2([u.text for u in units], refs)(picked)


def held_out(table: dict, groups: dict) -> dict:
    """Per cluster, its score under the variant best on the other clusters."""
    def worth(variant: str, skip) -> float:
        return statistics.mean(statistics.mean(table[variant][c] for c in cs if c != skip)
                               for cs in groups.values())

    return {c: table[max(VARIANTS, key=lambda v: worth(v, c))][c] for cs in groups.values() for c in cs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duc", type=Path, default=SHARED / "duc2004")
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    parser.add_argument("--cache", type=Path, help="keep the prepared clusters in this file between runs")
    args = parser.parse_args()
    offline_model(cache=True)
    from toolkit.facts import read_sentences

    sets = {"duc2004": (duc_clusters(args.duc), 100), "multidoc": (cluster_dirs(args.clusters), 250)}
    words = {c: w for cs, w in sets.values() for c in cs}
    groups = {name: cs for name, (cs, _) in sets.items()}
    prepared = load(list(words), args.cache)
    readings = {c: read_sentences([u.text for u in prepared[c][0]]) for c in words}
    table = {v: {c: scores(prepared[c], readings[c], words[c], v) for c in words} for v in VARIANTS}
    held = held_out(table, groups)
    print("ROUGE-2 recall, mean per set; per MultiLing cluster")
    for v in VARIANTS:
        print(f"  {v or 'bigrams (shipped)':18}", "  ".join(f"{n} {statistics.mean(table[v][c] for c in cs):.4f}"
                                                      for n, cs in groups.items()),
              "  ", " ".join(f"{c.name}:{table[v][c]:.3f}" for c in groups["multidoc"]))
    print(f"  {'held out':18}", "  ".join(f"{n} {statistics.mean(held[c] for c in cs):.4f}"
                                          for n, cs in groups.items()),
          "  ", " ".join(f"{c.name}:{held[c]:.3f}" for c in groups["multidoc"]))


if __name__ == "__main__":
    main()

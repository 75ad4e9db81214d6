"""How often the brief's corroboration rule (`states_point`) agrees with a
reader on whether one source's sentence states another's point.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 \
        .venv/bin/python bench/corroboration.py [--clusters ../shared/multidoc] [--tune] [-v]

Labels: bench/data/corroboration_labels.tsv (or `--labels`). Pairs of sentences from
different articles of the five MultiLing 2011 clusters (English side), named
by cluster and sentence ID with a fingerprint of each sentence's text (the
text itself stays in ../shared): every pair with cosine similarity 0.6 or
more (all-MiniLM-L6-v2), and 30 pairs per cluster drawn at random from those
between 0.5 and 0.6 (`weight` is how many pairs of that band each stands
for). Each pair was judged by reading, in both directions, before the rule
was measured on it: does B, on its own, assert A's main claim, so that B's
source counts as a second source for it (a plan where A reports a deed, a
different number, half of a compound claim or the same topic do not)?

Prints, per cluster and overall, precision and recall of the shipped rule
against those judgements (weighted by `weight`), beside cosine similarity
alone at 0.6 and at 0.8. Pairs below 0.5 were not labelled, so recall is
recall among pairs of similarity 0.5 or more.

With `--tune` it also chooses cite_similarity, claim_overlap and
state_similarity (`BriefSettings` fields) from a grid by F0.5 (a count too high misleads a reader
more than one too low) on four clusters and scores the fifth (leave one
cluster out).

Exit 2 when a labelled sentence is missing or its text changed: segmentation
moved the IDs and the labels must be redone for the pairs it names.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import functools
import hashlib
import itertools
import sys
from pathlib import Path

from common import SHARED, cluster_dirs, english_articles, offline_model

LABELS = Path(__file__).resolve().parent / "data" / "corroboration_labels.tsv"
GRID = {
    "cite_similarity": (0.5, 0.55, 0.6, 0.65, 0.7),
    "claim_overlap": (0.3, 0.4, 0.5, 0.6, 0.7),
    "state_similarity": (0.75, 0.8, 0.85, 0.9, 1.01),
}


def fingerprint(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:10]


def read_labels(path: Path = LABELS) -> dict[str, list[dict]]:
    by_cluster: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            by_cluster.setdefault(row["cluster"], []).append(row)
    return by_cluster


def prepare(cluster: Path, rows: list[dict], embedder) -> tuple[list[tuple], dict[str, float]]:
    """(text A, text B, cosine, weight, B states A, A states B) per labelled
    pair, with the story's claim-word rarity; exits 2 on a stale label."""
    import numpy as np

    from toolkit import brief as S
    from toolkit.brief.points import claim_rarity

    articles, english = english_articles(cluster / "en")
    units, _ = S.brief_units(articles, english)
    text = {u.id: u.text for u in units}
    for row in rows:
        for side in ("a", "b"):
            sid = row[f"id_{side}"]
            if sid not in text or fingerprint(text[sid]) != row[f"text_{side}"]:
                print(f"{cluster.name} sentence {sid} is missing or its text changed; segmentation moved it: "
                      "label the pairs that name it again", file=sys.stderr)
                sys.exit(2)
    ids = sorted({row[f"id_{s}"] for row in rows for s in "ab"})
    vectors = np.asarray(embedder.encode([text[i] for i in ids]), dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    at = {i: k for k, i in enumerate(ids)}
    rarity = claim_rarity([u.text for u in units])
    pairs = [(text[r["id_a"]], text[r["id_b"]], float(vectors[at[r["id_a"]]] @ vectors[at[r["id_b"]]]),
              float(r["weight"]), r["b_states_a"] == "1", r["a_states_b"] == "1") for r in rows]
    return pairs, rarity


def judgements(prepared, rule) -> list[tuple[float, bool, bool]]:
    """(weight, truth, prediction) for both directions of every pair."""
    pairs, rarity = prepared
    out = []
    for a, b, sim, weight, b_states_a, a_states_b in pairs:
        out.append((weight, b_states_a, rule(a, b, sim, rarity)))
        out.append((weight, a_states_b, rule(b, a, sim, rarity)))
    return out


def prf(judged) -> tuple[float, float, float]:
    tp = sum(w for w, t, p in judged if t and p)
    pp = sum(w for w, _, p in judged if p)
    ap = sum(w for w, t, _ in judged if t)
    precision = tp / pp if pp else 1.0
    recall = tp / ap if ap else 1.0
    f05 = 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0
    return precision, recall, f05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--tune", action="store_true", help="leave-one-cluster-out choice of the rule's settings")
    parser.add_argument("-v", action="store_true", help="list the pairs where the rule and the label differ")
    args = parser.parse_args()
    offline_model(cache=True)
    from toolkit.brief import points
    from toolkit.brief.settings import DEFAULT_SETTINGS
    from toolkit.embed import Embedder

    labels = read_labels(args.labels)
    embedder = Embedder()
    prepared = {c.name: prepare(c, labels[c.name], embedder) for c in cluster_dirs(args.clusters) if c.name in labels}
    if not prepared:
        sys.exit(f"no labelled cluster under {args.clusters}")
    rules = {
        "shipped rule": points.states_point,
        "cosine >= 0.6 alone": lambda a, b, sim, rarity: sim >= 0.6,
        "cosine >= 0.8 alone": lambda a, b, sim, rarity: sim >= 0.8,
    }
    print(f"{'cluster':8} {'pairs':>5} {'true':>5} | " + " | ".join(f"{name:^21}" for name in rules))
    print(f"{'':8} {'':>5} {'':>5} | " + " | ".join(f"{'P':>6} {'R':>6} {'F0.5':>6} " for _ in rules))
    every = {name: [] for name in rules}
    for cname, prep in prepared.items():
        judged = {name: judgements(prep, rule) for name, rule in rules.items()}
        for name in rules:
            every[name] += judged[name]
        shipped = judged["shipped rule"]
        print(f"{cname:8} {len(prep[0]):5d} {sum(1 for _, t, _ in shipped if t):5d} | "
              + " | ".join(" ".join(f"{x:6.3f}" for x in prf(judged[name])) + " " for name in rules))
        if args.v:
            # judgements() gives A <- B, then B <- A, for each pair in turn.
            directed = [pair for a, b, sim, *_ in prep[0] for pair in ((a, b, sim), (b, a, sim))]
            for (x, y, sim), (_, t, p) in zip(directed, shipped):
                if t != p:
                    print(f"    {'missed' if t else 'false'} ({sim:.2f}): {x!r} <- {y!r}")
    total = sum(len(p[0]) for p in prepared.values())
    print(f"{'all':8} {total:5d} {'':>5} | " + " | ".join(
        " ".join(f"{x:6.3f}" for x in prf(every[name])) + " " for name in rules))
    if args.tune:
        names = list(GRID)
        grid = [dict(zip(names, vals)) for vals in itertools.product(*GRID.values())]
        cache = {}
        for k, s in enumerate(grid):
            for cname, prep in prepared.items():
                cache[k, cname] = judgements(prep, functools.partial(
                    points.states_point, settings=dataclasses.replace(DEFAULT_SETTINGS, **s)))
        shipped = {n: getattr(DEFAULT_SETTINGS, n) for n in names}
        held = []
        for out in prepared:
            best = max(range(len(grid)), key=lambda k: (prf([j for c in prepared if c != out for j in cache[k, c]])[2],
                                                        grid[k] == shipped))
            held += cache[best, out]
            print(f"{out}: chose {grid[best]}  held-out P/R/F0.5 "
                  + " ".join(f"{x:.3f}" for x in prf(cache[best, out])))
        best_all = max(range(len(grid)), key=lambda k: (prf([j for c in prepared for j in cache[k, c]])[2],
                                                        grid[k] == shipped))
        print("leave-one-cluster-out P/R/F0.5: " + " ".join(f"{x:.3f}" for x in prf(held)))
        print(f"best on all clusters (not a held-out figure): {grid[best_all]} "
              + " ".join(f"{x:.3f}" for x in prf([j for c in prepared for j in cache[best_all, c]])))
        print(f"shipped {shipped}")


if __name__ == "__main__":
    main()

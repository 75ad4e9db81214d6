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

The brief's judgment is `toolkit.brief.points.states_fact`: claim words and
similarity (`states_point`) or one event told in other words (the same day,
shared words, no two places: `toolkit.facts.same.same_event`), where the two
facts can be one (not a question, not a denial or a plan of the same event,
not another day): does
B, on its own, state A's fact (B is a second source for A). It is measured in
that direction: on the labels, both directions of each pair; on a pair file,
#2 stating #1. Beside it, the fact layer's learned judgment
(`toolkit.facts.same_fact`, weights fitted on MSRP) and cosine alone.

With `--pairs FILE` (the MSRP format: tab-separated, a header line, columns
`Quality`, `#1 ID`, `#2 ID`, `#1 String`, `#2 String`, others ignored; 1 =
the two state the same fact) it prints one line for the brief's judgment,
`accuracy A precision P recall R F1 F`, then one for the learned judgment,
and with `--cv` a third for the learned judgment with its weights refitted
in 10 folds (each fold scored by
weights fitted on the other nine: the figure to quote for the file the
shipped weights were fitted on). `--fit` prints the weights fitted on the
whole file, as `toolkit/facts/same.py` ships them.

Exit 2 when a labelled sentence is missing or its text changed: segmentation
moved the IDs and the labels must be redone for the pairs it names.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path
from typing import Any

from common import SHARED, cluster_dirs, english_articles, offline_model

LABELS = Path(__file__).resolve().parent / "data" / "corroboration_labels.tsv"


def fingerprint(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:10]


def read_labels(path: Path = LABELS) -> dict[str, list[dict]]:
    by_cluster: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            by_cluster.setdefault(row["cluster"], []).append(row)
    return by_cluster


def prepare(cluster: Path, rows: list[dict], embedder) -> tuple[list[tuple], dict[str, Any]]:
    """(text A, text B, cosine, weight, B states A, A states B) per labelled
    pair, with the story's claim-word rarity and facts; exits 2 on a stale
    label."""
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
    from toolkit.facts import facts_for

    rarity = claim_rarity([u.text for u in units])
    dates = {a.number: a.published.date for a in articles}
    found = facts_for([text[i] for i in ids], [dates.get(int(i.split(".")[0]), "") for i in ids])
    context = {"rarity": rarity, "facts": dict(zip((text[i] for i in ids), found))}
    pairs = [(text[r["id_a"]], text[r["id_b"]], float(vectors[at[r["id_a"]]] @ vectors[at[r["id_b"]]]),
              float(r["weight"]), r["b_states_a"] == "1", r["a_states_b"] == "1") for r in rows]
    return pairs, context


def judgements(prepared, rule) -> list[tuple[float, bool, bool]]:
    """(weight, truth, prediction) for both directions of every pair."""
    pairs, context = prepared
    out = []
    for a, b, sim, weight, b_states_a, a_states_b in pairs:
        out.append((weight, b_states_a, rule(a, b, sim, context)))
        out.append((weight, a_states_b, rule(b, a, sim, context)))
    return out


def prf(judged) -> tuple[float, float, float]:
    tp = sum(w for w, t, p in judged if t and p)
    pp = sum(w for w, _, p in judged if p)
    ap = sum(w for w, t, _ in judged if t)
    precision = tp / pp if pp else 1.0
    recall = tp / ap if ap else 1.0
    f05 = 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0
    return precision, recall, f05


def fit_weights(x, y, l2: float = 1e-2):
    """Logistic regression weights (Newton's method, a little L2)."""
    import numpy as np

    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        hess = (x.T * (p * (1 - p))) @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, x.T @ (p - y) + l2 * w)
    return w


def read_pairs(path: Path) -> list[tuple[int, str, str]]:
    """(label, #1 String, #2 String) of each row of an MSRP-format file."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"Quality", "#1 String", "#2 String"} - set(reader.fieldnames or ())
        if missing:
            sys.exit(f"{path}: no column(s) {', '.join(sorted(missing))} in the header line")
        return [(int(r["Quality"]), r["#1 String"], r["#2 String"]) for r in reader]


def scores_line(truth, predicted) -> str:
    tp = sum(1 for t, p in zip(truth, predicted) if t and p)
    pp, ap = sum(map(bool, predicted)), sum(map(bool, truth))
    precision, recall = (tp / pp if pp else 1.0), (tp / ap if ap else 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(1 for t, p in zip(truth, predicted) if bool(t) == bool(p)) / max(1, len(truth))
    return f"accuracy {accuracy:.3f} precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}"


def pair_file(path: Path, cv: bool, fit: bool) -> None:
    """The figures of `--pairs` (see the module's docstring)."""
    import numpy as np

    from toolkit.embed import Embedder
    from toolkit.facts import facts_for, same
    from toolkit.facts.same import THRESHOLD, compatible, features, same_fact

    rows = read_pairs(path)
    texts = list(dict.fromkeys(t for _, a, b in rows for t in (a, b)))
    facts = dict(zip(texts, facts_for(texts)))
    vectors = np.asarray(Embedder().encode(texts), dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    at = {t: k for k, t in enumerate(texts)}
    cos = [float(vectors[at[a]] @ vectors[at[b]]) for _, a, b in rows]
    truth = [q for q, _, _ in rows]
    from toolkit.brief.points import claim_rarity, states_fact

    rarity = claim_rarity(texts)
    print(scores_line(truth, [states_fact(a, b, c, facts[a], facts[b], rarity) for (_, a, b), c in zip(rows, cos)]))
    print(scores_line(truth, [same_fact(facts[a], facts[b], c) for (_, a, b), c in zip(rows, cos)])
          + "  (learned judgment)")
    if not (cv or fit):
        return
    x = np.array([features(facts[a].reading, facts[b].reading, c) for (_, a, b), c in zip(rows, cos)])
    y = np.array(truth, dtype=float)
    ok = np.array([c >= same.MIN_COSINE and compatible(facts[a], facts[b]) for (_, a, b), c in zip(rows, cos)])
    if cv:
        order = np.random.default_rng(0).permutation(len(rows))
        predicted = np.zeros(len(rows), dtype=bool)
        for fold in np.array_split(order, 10):
            train = np.setdiff1d(order, fold)
            w = fit_weights(x[train], y[train])
            predicted[fold] = (1 / (1 + np.exp(-x[fold] @ w)) >= THRESHOLD) & ok[fold]
        print(scores_line(truth, list(predicted)) + "  (10-fold, weights refitted)")
    if fit:
        w = fit_weights(x, y)
        print("WEIGHTS = (" + ", ".join(f"{v:.4f}" for v in w) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--pairs", type=Path, help="a labelled pair file in the MSRP format")
    parser.add_argument("--cv", action="store_true", help="with --pairs: also 10-fold refitted figures")
    parser.add_argument("--fit", action="store_true", help="with --pairs: print the weights fitted on it")
    parser.add_argument("--tune", action="store_true", help="leave-one-cluster-out choice of the threshold")
    parser.add_argument("-v", action="store_true", help="list the pairs where the rule and the label differ")
    args = parser.parse_args()
    offline_model(cache=True)
    if args.pairs:
        pair_file(args.pairs, args.cv, args.fit)
        return
    from toolkit.brief import points
    from toolkit.embed import Embedder
    from toolkit.facts import same_fact

    labels = read_labels(args.labels)
    embedder = Embedder()
    prepared = {c.name: prepare(c, labels[c.name], embedder) for c in cluster_dirs(args.clusters) if c.name in labels}
    if not prepared:
        sys.exit(f"no labelled cluster under {args.clusters}")
    rules = {
        "brief (words+facts)": lambda a, b, sim, ctx: points.states_fact(a, b, sim, ctx["facts"][a], ctx["facts"][b],
                                                                         ctx["rarity"]),
        "fact judgment": lambda a, b, sim, ctx: same_fact(ctx["facts"][a], ctx["facts"][b], sim),
        "word rule (before)": lambda a, b, sim, ctx: points.states_point(a, b, sim, ctx["rarity"]),
        "cosine >= 0.8 alone": lambda a, b, sim, ctx: sim >= 0.8,
    }
    print(f"{'cluster':8} {'pairs':>5} {'true':>5} | " + " | ".join(f"{name:^21}" for name in rules))
    print(f"{'':8} {'':>5} {'':>5} | " + " | ".join(f"{'P':>6} {'R':>6} {'F0.5':>6} " for _ in rules))
    every = {name: [] for name in rules}
    for cname, prep in prepared.items():
        judged = {name: judgements(prep, rule) for name, rule in rules.items()}
        for name in rules:
            every[name] += judged[name]
        shipped = judged["brief (words+facts)"]
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
        tune_threshold(prepared)


def tune_threshold(prepared) -> None:
    """THRESHOLD chosen by F0.5 on four clusters, scored on the fifth."""
    from toolkit.facts import same_fact

    grid = [round(0.3 + 0.05 * k, 2) for k in range(13)]
    cache = {(t, c): judgements(p, lambda a, b, sim, ctx, t=t: same_fact(ctx["facts"][a], ctx["facts"][b], sim,
                                                                         threshold=t))
             for t in grid for c, p in prepared.items()}
    held = []
    for out in prepared:
        best = max(grid, key=lambda t: prf([j for c in prepared if c != out for j in cache[t, c]])[2])
        held += cache[best, out]
        print(f"{out}: chose {best}  held-out P/R/F0.5 " + " ".join(f"{x:.3f}" for x in prf(cache[best, out])))
    print("leave-one-cluster-out P/R/F0.5: " + " ".join(f"{x:.3f}" for x in prf(held)))
    for t in grid:
        print(f"  threshold {t}: " + " ".join(f"{x:.3f}" for x in prf([j for c in prepared for j in cache[t, c]])))


if __name__ == "__main__":
    main()

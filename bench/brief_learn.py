"""Learned importance (as in Hong and Nenkova's RegSum), fitted and chosen
leave-one-cluster-out on DUC 2004 (100 words) and MultiLing 2011 (250
words) together, against the shipped greedy choice.

    .venv/bin/python bench/brief_learn.py [--duc ../shared/duc2004] [--clusters ../shared/multidoc]
        [--cache /tmp/brief-learn.pkl] [--sentences] [--oracle]

Concepts. Each content-word bigram of a cluster (`salience.concepts`) gets
the features of `concept_features` (computed from the articles alone: no
background corpus) and a soft label, the share of the cluster's human
summaries whose concepts include it. A logistic model (L2, Newton's
method, numpy) predicts the label; the brief is then chosen by
`select_sentences` as `build_brief` chooses it (main event first, facts
of three sources forced, never two sentences of one point), the concept
weights being the predicted probabilities instead of article counts,
under a grid of the selection settings (GRID). For each held-out cluster
the model is fitted on the other 29, and the setting is the one best on
those 29, each of them scored with a model fitted without it and without
the held-out cluster (nested: no label of the held-out cluster reaches
its brief). "Best" is the mean of the two sets' mean ROUGE-2 recall, so
each set counts alike. The shipped greedy choice is a candidate too.

`--sentences` also scores learned sentence values: a ridge regression
from sentence features (the predicted weight of its concepts, place,
length, clarity, quotation, sources) to the sentence's ROUGE-2 recall per
word stands in for the lead prior of `salience.sentence_value`; for each
setting of SENTENCE_GRID both models are fitted without the held-out
cluster (the concept weights of a training cluster from a model fitted
without it and the held-out one), and the best setting is reported after
the fact, an upper bound on what a held-out choice would give.

Scores are rouge-score ROUGE-2 recall, Porter stemming, mean over the
references, every brief within the set's words; the lead baseline (cut)
stands beside every figure, and the DUC 2004 held-out briefs are ranked
beside the 13 published systems with `brief_quality.duc_scores`.
`--oracle` scores the same greedy choice with the human summaries' own
concepts as weights: how much better importance alone could make it.
"""
from __future__ import annotations

import argparse
import itertools
import math
import pickle
import re
import statistics
from collections import Counter
from dataclasses import replace
from pathlib import Path

from common import SHARED, cluster_dirs, duc_clusters, offline_model
from brief_quality import duc_scores, print_ranking
from brief_select import lead_score
from brief_tune import prepare

GRID = {
    # "shared": only the concepts that `min_concept_sources` articles use,
    # as the shipped weights; "all": every concept.
    "concepts": ("all", "shared"),
    "lead_weight": (0.5, 1.0, 2.0),
    "length_exponent": (0.5, 0.7),
}
SENTENCE_GRID = {"weight": (0.5, 1.0, 2.0, 3.0), "length_exponent": (0.5, 1.0)}
L2 = 1.0
FEATURES = (
    "bias",
    "article_share",      # share of the story's articles that use it
    "articles",           # log(1 + articles that use it)
    "sentences",          # log(1 + sentences that use it)
    "earliest",           # exp(-its first place in any article)
    "mean_first",         # mean over its articles of exp(-its first place there)
    "lead_share",         # share of its articles whose lead sentence has it
    "word_share",         # mean over its two words of the share of articles using the word
    "number",             # a number is one of its words
    "name",               # share of its uses in which a word is a name
    "share_x_first",      # article_share * mean_first: widely reported and early
)


def concept_features(units, concept_sets):
    """The concepts of `units` (sorted) and a row of FEATURES for each."""
    import numpy as np

    articles = {u.article for u in units}
    n_art = max(len(articles), 1)
    lead = {a: min(u.place for u in units if u.article == a) for a in articles}
    first: dict = {}
    used: Counter = Counter()
    word_arts: dict = {}
    for u, cs in zip(units, concept_sets):
        for c in cs:
            seen = first.setdefault(c, {})
            seen[u.article] = min(seen.get(u.article, u.place), u.place)
            used[c] += 1
            for w in c:
                word_arts.setdefault(w, set()).add(u.article)
    named = name_uses(units)
    keys = sorted(first)
    rows = np.zeros((len(keys), len(FEATURES)))
    for k, c in enumerate(keys):
        who = first[c]
        share = len(who) / n_art
        mean_first = sum(math.exp(-p) for p in who.values()) / len(who)
        rows[k] = (1.0, share, math.log1p(len(who)), math.log1p(used[c]), math.exp(-min(who.values())),
                   mean_first, sum(p == lead[a] for a, p in who.items()) / len(who),
                   sum(len(word_arts[w]) for w in c) / (2 * n_art),
                   float(any(w[:1].isdigit() for w in c)), named[c] / used[c], share * mean_first)
    return keys, rows


def name_uses(units) -> Counter:
    """Per concept, the sentences in which one of its words is a name
    (capitalised where a common word would not be; `verify.claims.name_key`)."""
    from toolkit.brief.points import word_tokens
    from toolkit.verify import stem_word, stopword
    from toolkit.verify.claims import name_key

    out: Counter = Counter()
    for u in units:
        keys: list = []
        seen = 0
        for kind, tok in word_tokens(u.text):
            keys.append(None if stopword(tok) else (tok, False) if kind == "num"
                        else (stem_word(tok), name_key(tok, seen) is not None))
            seen += kind == "word"
        out.update({(a[0], b[0]) for a, b in zip(keys, keys[1:]) if a and b and (a[1] or b[1])})
    return out


def predict(rows, beta):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-(rows @ beta)))


def load(clusters, cache: Path | None):
    """`brief_tune.prepare` of each cluster, kept in `cache` between runs."""
    if cache is not None and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        if all(c in stored for c in clusters):
            return stored
    from toolkit.embed import Embedder

    embedder = Embedder()
    out = {c: prepare(c, embedder) for c in clusters}
    if cache is not None:
        cache.write_bytes(pickle.dumps(out))
    return out


class Rouge2:
    """rouge-score's ROUGE-2 recall (Porter stemming, mean over the
    references) of briefs made of a cluster's sentences, each text
    tokenised once; the same figure as `brief_quality.rouge`."""

    def __init__(self, texts, refs) -> None:
        from rouge_score import rouge_scorer

        tok = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)._tokenizer
        self.tokens = [tok.tokenize(t) for t in texts]
        self.refs = [Counter(zip(r, r[1:])) for r in (tok.tokenize(x) for x in refs)]

    def __call__(self, picked) -> float:
        words = [w for i in picked for w in self.tokens[i]]
        hyp = Counter(zip(words, words[1:]))
        return statistics.mean(sum(min(n, hyp[g]) for g, n in ref.items()) / max(sum(ref.values()), 1)
                               for ref in self.refs)

    def of_one(self, i: int) -> float:
        """Recall of sentence `i` alone, per word."""
        return self([i]) / max(len(self.tokens[i]), 1)


def labels(keys, refs) -> list[float]:
    """Per concept, the share of the human summaries that use it."""
    from toolkit.brief.salience import concepts

    sets = [set().union(*(concepts(s) for s in re.split(r"(?<=[.!?])\s+|\n", r) if s.strip())) for r in refs]
    return [sum(k in s for s in sets) / len(sets) for k in keys]


def fit(blocks, l2: float = L2):
    """Logistic coefficients for soft labels, L2 on all but the bias on
    standardised features; each cluster weighs alike whatever its number
    of concepts."""
    import numpy as np

    x = np.vstack([b[0] for b in blocks])
    y = np.concatenate([b[1] for b in blocks])
    w = np.concatenate([np.full(len(b[1]), 1.0 / len(b[1])) for b in blocks])
    scale = x.std(axis=0)
    scale[0] = 1.0
    scale[scale == 0] = 1.0
    xs = x / scale
    beta = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2 / len(blocks))
    reg[0] = 0.0
    for _ in range(50):
        p = predict(xs, beta)
        step = np.linalg.solve((xs * (w * p * (1 - p))[:, None]).T @ xs + np.diag(reg + 1e-9),
                               xs.T @ (w * (p - y)) + reg * beta)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta / scale


def ridge(blocks, lam: float = 1.0):
    """Least-squares coefficients, ridge on all but the bias."""
    import numpy as np

    x = np.vstack([b[0] for b in blocks])
    y = np.concatenate([b[1] for b in blocks])
    scale = x.std(axis=0)
    scale[0] = 1.0
    scale[scale == 0] = 1.0
    xs = x / scale
    reg = lam * np.eye(x.shape[1])
    reg[0, 0] = 0.0
    return np.linalg.solve(xs.T @ xs + reg, xs.T @ y) / scale


def configs() -> list[dict]:
    return [{}] + [dict(zip(GRID, v)) for v in itertools.product(*GRID.values())]


class Cluster:
    """One prepared cluster: its concept features and labels, its scorer."""

    def __init__(self, prepared, words: int) -> None:
        import numpy as np
        from toolkit import brief as S

        self.units, self.concept_sets, self.points, refs, self.sources, self.first = prepared
        self.words = words
        self.keys, self.rows = concept_features(self.units, self.concept_sets)
        self.labels = np.asarray(labels(self.keys, refs))
        self.rouge = Rouge2([u.text for u in self.units], refs)
        self.shared = S.concept_weights(self.concept_sets, [u.article for u in self.units])

    def select(self, weights, settings, units=None) -> list[int]:
        from toolkit import brief as S

        return S.select_sentences(units or self.units, self.concept_sets, weights, self.points,
                                  word_budget=self.words, sources=self.sources, first=self.first, settings=settings)

    def learned(self, beta, every: bool = True) -> dict:
        return {k: float(v) for k, v in zip(self.keys, predict(self.rows, beta)) if every or k in self.shared}

    def brief(self, cfg: dict, beta) -> list[int]:
        from toolkit.brief.settings import DEFAULT_SETTINGS

        if not cfg:
            return self.select(self.shared, DEFAULT_SETTINGS)
        return self.select(self.learned(beta, cfg["concepts"] == "all"),
                           replace(DEFAULT_SETTINGS, lead_weight=cfg["lead_weight"],
                                   length_exponent=cfg["length_exponent"]))

    def score(self, cfg: dict, beta) -> float:
        return self.rouge(self.brief(cfg, beta))


def sentence_rows(data: Cluster, weights: dict):
    """Per unit: features for the sentence model and its target (ROUGE-2
    recall per word, in hundredths)."""
    import numpy as np
    from toolkit.brief.english import clarity
    from toolkit.brief.quotes import quote_of

    n = len({u.article for u in data.units})
    lead = {}
    for u in data.units:
        lead[u.article] = min(lead.get(u.article, u.place), u.place)
    rows, y = [], []
    for i, (u, cs) in enumerate(zip(data.units, data.concept_sets)):
        w = max(len(u.text.split()), 1)
        mass = sum(weights.get(c, 0.0) for c in cs)
        rows.append([1.0, mass / w, mass, math.exp(-u.place), float(u.place == lead[u.article]), math.log(w),
                     float(clarity(u.text, u.flags)[:2] == (0, 1)), float(bool(quote_of(u.text))),
                     data.sources[i] / n, sum(data.shared.get(c, 0.0) for c in cs) / n / w,
                     u.place / max(u.length, 1)])
        y.append(100 * data.rouge.of_one(i))
    return np.asarray(rows), np.asarray(y)


def sentence_brief(data: Cluster, values, cfg: dict) -> list[int]:
    """The greedy brief with `values` (scaled to 0..1) in place of the lead
    prior: each unit is given the place whose lead prior equals its value."""
    from toolkit.brief.settings import DEFAULT_SETTINGS

    low, high = float(min(values)), float(max(values))
    share = [(v - low) / ((high - low) or 1.0) for v in values]
    settings = replace(DEFAULT_SETTINGS, lead_weight=cfg["weight"], length_exponent=cfg["length_exponent"])
    units = [replace(u, place=-math.log(max(s, 1e-9)) * settings.lead_decay) for u, s in zip(data.units, share)]
    return data.select(data.shared, settings, units)


def pair_models(data: dict) -> dict:
    """The concept model fitted without each pair of clusters, and without
    each single cluster (key (c, c))."""
    names = list(data)
    blocks = {c: (data[c].rows, data[c].labels) for c in names}
    out = {(c, c): fit([blocks[o] for o in names if o != c]) for c in names}
    for a, b in itertools.combinations(names, 2):
        out[a, b] = out[b, a] = fit([blocks[o] for o in names if o not in (a, b)])
    return out


def held_out(data: dict, sets: dict, models: dict):
    """Per cluster: the candidate chosen without it (nested) and its brief."""
    cands = configs()
    out = {}
    for c in data:
        inner = {k: {o: data[o].score(cfg, models[c, o]) for o in data if o != c} for k, cfg in enumerate(cands)}
        best = max(range(len(cands)), key=lambda k: worth(inner[k], sets))
        out[c] = (cands[best], data[c].brief(cands[best], models[c, c]))
    return out


def sentence_held_out(data: dict, models: dict) -> dict:
    """Per SENTENCE_GRID setting, per cluster: the ROUGE-2 recall of the
    brief chosen by learned sentence values, both models fitted without
    the cluster."""
    grid = [dict(zip(SENTENCE_GRID, v)) for v in itertools.product(*SENTENCE_GRID.values())]
    out: dict = {}
    for c in data:
        train = [sentence_rows(data[o], data[o].learned(models[c, o])) for o in data if o != c]
        x, _ = sentence_rows(data[c], data[c].learned(models[c, c]))
        values = x @ ridge(train)
        for k, cfg in enumerate(grid):
            out.setdefault(str(cfg), {})[c] = data[c].rouge(sentence_brief(data[c], values, cfg))
    return out


def worth(scores: dict, sets: dict) -> float:
    """Mean of the sets' mean scores (`scores`: cluster -> score)."""
    return statistics.mean(statistics.mean(scores[c] for c in cs if c in scores) for cs in sets.values()
                           if any(c in scores for c in cs))


def report(data: dict, sets: dict, words: dict, held: dict) -> None:
    """Per set and cluster: held out, shipped greedy, lead baseline."""
    for name, clusters in sets.items():
        n = words[clusters[0]]
        print(f"\n{name} ({n} words), ROUGE-2 recall: cluster  held-out  shipped  lead   chosen")
        rows = [(c, data[c].rouge(held[c][1]), data[c].score({}, None), lead_score(c, n)) for c in clusters]
        for c, h, s, ld in rows:
            print(f"  {c.name:8} {h:.4f}  {s:.4f}  {ld:.4f}  {held[c][0] or 'shipped'}")
        print("  mean     " + "  ".join(f"{statistics.mean(r[k] for r in rows):.4f}" for k in (1, 2, 3)))


def duc_ranking(data: dict, clusters, held: dict) -> None:
    """The held-out learned briefs and the shipped greedy choice beside the
    13 published systems and the lead baseline, one scorer, cut at 100."""
    from brief_quality import cut, rouge

    rows = []
    for c in clusters:
        texts = [data[c].units[i].text for i in held[c][1]]
        row = duc_scores(c, data[c].words, texts)
        row["learned, held out"] = row.pop("brief")
        row["shipped greedy"] = rouge(cut([data[c].units[i].text for i in data[c].brief({}, None)], data[c].words),
                                      story_refs(c))
        rows.append(row)
    print()
    print_ranking(rows)


def oracle(data: dict, sets: dict) -> None:
    """The greedy choice with each concept weighing its label (the share of
    the human summaries that use it): what perfect importance would give
    this selection, with the lead prior and without."""
    from toolkit.brief.settings import DEFAULT_SETTINGS

    for lead in (0.0, DEFAULT_SETTINGS.lead_weight):
        settings = replace(DEFAULT_SETTINGS, lead_weight=lead)
        scores = {c: d.rouge(d.select({k: float(v) for k, v in zip(d.keys, d.labels) if v > 0}, settings))
                  for c, d in data.items()}
        print(f"\noracle concept weights, lead weight {lead}: " + "  ".join(
            f"{name} {statistics.mean(scores[c] for c in cs):.4f}" for name, cs in sets.items()))


def story_refs(cluster: Path) -> list[str]:
    from common import story_sources

    return story_sources(cluster)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duc", type=Path, default=SHARED / "duc2004")
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    parser.add_argument("--cache", type=Path, help="keep the prepared clusters in this file between runs")
    parser.add_argument("--sentences", action="store_true", help="also score learned sentence values")
    parser.add_argument("--oracle", action="store_true",
                        help="also score the human summaries' own concepts as weights (a ceiling, not a method)")
    args = parser.parse_args()
    offline_model(cache=True)
    sets = {"duc2004": (duc_clusters(args.duc), 100), "multidoc": (cluster_dirs(args.clusters), 250)}
    words = {c: w for cs, w in sets.values() for c in cs}
    prepared = load(list(words), args.cache)
    data = {c: Cluster(prepared[c], words[c]) for c in words}
    groups = {name: cs for name, (cs, _) in sets.items()}
    models = pair_models(data)
    beta = fit([(d.rows, d.labels) for d in data.values()])
    print("coefficients fitted on every cluster (standardised features' scale undone):")
    print("  " + "  ".join(f"{f} {b:+.3f}" for f, b in zip(FEATURES, beta)))
    held = held_out(data, groups, models)
    report(data, groups, words, held)
    duc_ranking(data, groups["duc2004"], held)
    if args.oracle:
        oracle(data, groups)
    if args.sentences:
        print("\nlearned sentence values in place of the lead prior (both models held out), ROUGE-2 recall:")
        for cfg, scores in sentence_held_out(data, models).items():
            print(f"  {cfg:45} " + "  ".join(f"{name} {statistics.mean(scores[c] for c in cs):.4f}"
                                              for name, cs in groups.items()))


if __name__ == "__main__":
    main()

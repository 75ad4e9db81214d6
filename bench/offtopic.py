"""Articles that do not belong to the story: how well toolkit.brief.offtopic
tells an article of another story from the story's own articles.

    .venv/bin/python bench/offtopic.py [--draws 3]

Stories, all read as English:
- duc2004: the 25 DUC 2004 clusters (the TUNING set);
- multidoc: the five MultiLing clusters' English;
- t17: per Timeline17 collection, 10 articles spread evenly over its span
  (months apart: a developing story whose vocabulary drifts; negatives only);
- seeds: the five seed articles with the English of refs/.
Polluted stories: k articles of a cluster (k = 2, 4, 9, taken at random,
`--draws` times) plus one article of another cluster of the same set; for
the seeds, all five plus each multidoc article. Clean stories: each cluster
whole and its random k-subsets.

Each candidate signal is one number per article, lower is farther from the
story: the mean over the other articles of the content-word cosine (lex)
or of the cosine of the mean sentence vectors (emb), as is (abs) or as a
share of the median of the other articles' means (rel). For each, the
threshold is chosen on duc2004 alone (the highest that sets no article of
a clean or polluted duc2004 story apart wrongly, i.e. just under the
lowest such score) and then applied unchanged to the other sets. Printed:
injected articles found (recall), the story's own articles set apart
(false alarms) in polluted and clean stories, and the pair scores of
two-article stories (same story vs different stories).
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from common import SHARED, cluster_dirs, english_articles, offline_model, seed_story

RNG_SEED = 20240619
SIZES = (2, 4, 9)
# False alarms allowed on the tuning set, per own article.
FALSE_RATE = 0.002


def _t17_articles(folder: Path, n: int = 10) -> tuple[list, dict[str, str]]:
    from toolkit.ingest import load_articles

    files = sorted((folder / "articles").glob("*.txt"))
    picked = [files[round(i * (len(files) - 1) / (n - 1))] for i in range(n)]
    articles = load_articles([str(p) for p in picked])
    return articles, {s.id: s.text for a in articles for s in a.sentences}


def _datasets(draw_t17: bool = True) -> dict[str, list[tuple[list, dict[str, str]]]]:
    sets: dict[str, list] = {}
    duc = SHARED / "duc2004"
    sets["duc2004"] = [english_articles(d / "docs") for d in sorted(duc.iterdir()) if (d / "docs").is_dir()]
    sets["multidoc"] = [english_articles(d / "en") for d in cluster_dirs(SHARED / "multidoc")]
    if draw_t17:
        sets["t17"] = [_t17_articles(d) for d in sorted((SHARED / "t17").iterdir()) if (d / "articles").is_dir()]
    articles, english = seed_story()
    sets["seeds"] = [(articles, english)]
    return sets


class ArticleSignals:
    """Per article of a cluster: its content-word set and sentence vectors."""

    def __init__(self, clusters: list[tuple[list, dict[str, str]]], emb) -> None:
        import numpy as np
        from toolkit.brief.offtopic import article_terms, article_texts

        self.terms, self.vectors = [], []
        for articles, english in clusters:
            texts = [article_texts(a, english) for a in articles]
            self.terms.append([article_terms(t) for t in texts])
            flat = [s for t in texts for s in t]
            vecs = np.asarray(emb.encode(flat), dtype=np.float64)
            bounds = np.cumsum([0] + [len(t) for t in texts])
            self.vectors.append([vecs[bounds[i]:bounds[i + 1]] for i in range(len(texts))])


def _mean_to_others(sim):
    n = sim.shape[0]
    return [float((sim[i].sum() - sim[i, i]) / (n - 1)) for i in range(n)]


def _scores(sig: ArticleSignals, members: list[tuple[int, int]]) -> dict[str, list[float]]:
    from toolkit.brief.offtopic import centroid_similarity, cohesion, term_similarity

    T = term_similarity([sig.terms[c][a] for c, a in members])
    E = centroid_similarity([sig.vectors[c][a] for c, a in members])
    out = {"lex abs": _mean_to_others(T), "emb abs": _mean_to_others(E)}
    if len(members) >= 3:
        out["lex coh"], out["emb coh"] = cohesion(T), cohesion(E)
        out["both coh (max)"] = [max(a, b) for a, b in zip(out["lex coh"], out["emb coh"])]
        out["both coh (mean)"] = [(a + b) / 2 for a, b in zip(out["lex coh"], out["emb coh"])]
        out["lex near"], out["emb near"] = _nearest(T), _nearest(E)
        out["both near (mean)"] = [(a + b) / 2 for a, b in zip(out["lex near"], out["emb near"])]
    return out


def _nearest(sim):
    """Each article's highest similarity to another article over the median
    of the others' highest similarity among themselves."""
    import numpy as np

    n = sim.shape[0]
    out = []
    for i in range(n):
        rest = np.delete(np.delete(sim, i, 0), i, 1) - np.eye(n - 1) * 9
        near = float(np.median(rest.max(axis=1)))
        own = float(np.max(np.delete(sim[i], i)))
        out.append(own / near if near > 0 else 1.0)
    return out


def _auc(rows, feature):
    pos = [s[feature][inj] for kind, size, s, inj in rows if feature in s and inj is not None]
    neg = [v for kind, size, s, inj in rows if feature in s for i, v in enumerate(s[feature]) if i != inj]
    if not pos:
        return float("nan")
    return sum((p < n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def _stories(name: str, sig: ArticleSignals, draws: int, rng: random.Random):
    """(kind, members, injected index or None) of every story of a set."""
    n = len(sig.terms)
    for c in range(n):
        own = list(range(len(sig.terms[c])))
        yield "clean", [(c, a) for a in own], None
        if name == "seeds":
            continue
        for k in SIZES:
            if k >= len(own):
                continue
            for _ in range(draws):
                picked = sorted(rng.sample(own, k))
                yield "clean", [(c, a) for a in picked], None
                if name == "t17" or n < 2:
                    continue
                other = rng.choice([o for o in range(n) if o != c])
                intruder = (other, rng.randrange(len(sig.terms[other])))
                yield "polluted", [(c, a) for a in picked] + [intruder], k


def _collect(name: str, sig: ArticleSignals, draws: int, extra=()) -> list[tuple[str, int, dict, int | None]]:
    rng = random.Random(RNG_SEED)
    rows = []
    for kind, members, injected in list(_stories(name, sig, draws, rng)) + list(extra):
        rows.append((kind, len(members), _scores(sig, members), injected))
    return rows


def _tally(rows, flag) -> dict[str, list[int]]:
    """[hits, total] of: injected found, own articles set apart (polluted,
    clean), and polluted stories exactly right; `flag(size, scores)` gives
    the articles set apart in a story (None: the story is not counted)."""
    out = {"found": [0, 0], "false (polluted)": [0, 0], "false (clean)": [0, 0], "exact": [0, 0]}
    for kind, size, scores, injected in rows:
        flagged = flag(size, scores)
        if flagged is None:
            continue
        own = {i for i in range(size) if i != injected}
        key = "false (clean)" if kind == "clean" else "false (polluted)"
        out[key][0] += len(flagged & own)
        out[key][1] += len(own)
        if kind == "polluted":
            out["found"][0] += injected in flagged
            out["found"][1] += 1
            out["exact"][0] += flagged == {injected}
            out["exact"][1] += 1
    return out


def _evaluate(rows, feature: str, threshold: float) -> dict[str, list[int]]:
    """`_tally` of the articles whose `feature` is below `threshold`."""
    return _tally(rows, lambda size, scores: None if feature not in scores else
                  {i for i, v in enumerate(scores[feature]) if v < threshold})


def _tuned(rows, feature: str) -> float:
    """The highest threshold that sets apart at most FALSE_RATE of the own
    articles of the tuning set."""
    own = sorted(v for kind, size, scores, injected in rows if feature in scores
                 for i, v in enumerate(scores[feature]) if i != injected)
    return round(own[int(len(own) * FALSE_RATE)] - 0.0005, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    args = parser.parse_args()
    offline_model(cache=True)
    from toolkit.embed import Embedder

    emb = Embedder()
    sets = _datasets()
    signals = {name: ArticleSignals(clusters, emb) for name, clusters in sets.items()}
    # The seeds with one multidoc article added: one signal table over both.
    joined = ArticleSignals.__new__(ArticleSignals)
    joined.terms = signals["seeds"].terms + signals["multidoc"].terms
    joined.vectors = signals["seeds"].vectors + signals["multidoc"].vectors
    seeds_plus = [("polluted", [(0, a) for a in range(len(joined.terms[0]))] + [(c, a)], len(joined.terms[0]))
                  for c in range(1, len(joined.terms)) for a in range(len(joined.terms[c]))]
    rows = {name: _collect(name, sig, args.draws) for name, sig in signals.items()}
    rows["seeds + 1 multidoc"] = _collect("seeds", joined, 0, seeds_plus)[len(joined.terms):]
    features = ["lex abs", "emb abs", "lex coh", "emb coh", "both coh (max)", "both coh (mean)", "lex near",
                "emb near", "both near (mean)"]
    for feature in features:
        threshold = _tuned(rows["duc2004"], feature)
        print(f"\n{feature}: threshold {threshold} (tuned on duc2004)")
        for name, rs in rows.items():
            ev = _evaluate(rs, feature, threshold)
            print(f"  {name:20s} auc {_auc(rs, feature):.3f} " + "  ".join(f"{k} {a}/{b}" for k, (a, b) in ev.items() if b))
    _shipped(rows)
    _pairs(signals)
    _t17_full(sets["t17"], signals["t17"])


def _shipped(rows) -> None:
    """The shipped rule (`story_scores` below BELOW, `set_apart`) on every set."""
    from toolkit.brief.offtopic import BELOW, set_apart

    print(f"\nshipped rule: mean of lex and emb cohesion below {BELOW}, fewer than half the articles")
    for name, rs in rows.items():
        out = _tally(rs, lambda size, scores: set(set_apart(scores["both coh (mean)"])) if size >= 3 else None)
        print(f"  {name:20s} " + "  ".join(f"{k} {a}/{b}" for k, (a, b) in out.items() if b))


def _t17_full(clusters, sig) -> None:
    """The articles the shipped rule sets apart in each whole t17 sample,
    with their first line, to be read by hand."""
    from toolkit.brief.offtopic import set_apart, story_scores

    print("\nt17 samples (10 articles each), set apart:")
    for c, (articles, _) in enumerate(clusters):
        scores = story_scores(sig.terms[c], sig.vectors[c])
        for i in set_apart(scores):
            a = articles[i]
            print(f"  {Path(a.source).parent.parent.name:15s} {scores[i]:.2f} {a.sentences[0].text[:100]}")


def _pairs(signals) -> None:
    """Two-article stories: the content-word cosine of every pair of articles
    of one cluster and of one article each of two clusters: whether any
    threshold would tell a pair of two stories from a pair of one."""
    from toolkit.brief.offtopic import term_similarity

    print("\ntwo articles: content-word cosine; pairs of two stories under the lowest pair of one")
    for name, sig in signals.items():
        same, other = [], []
        for c, terms in enumerate(sig.terms):
            sim = term_similarity(terms)
            same += [sim[i, j] for i in range(len(terms)) for j in range(i + 1, len(terms))]
            for o in range(c + 1, len(sig.terms)):
                for i, t in enumerate(terms):
                    other.append(term_similarity([t, sig.terms[o][i % len(sig.terms[o])]])[0, 1])
        line = f"  {name:10s} one story: min {min(same):.3f} (n={len(same)})"
        if other:
            line += f"; two stories: max {max(other):.3f}, under {sum(x < min(same) for x in other)}/{len(other)}"
        print(line)


if __name__ == "__main__":
    main()

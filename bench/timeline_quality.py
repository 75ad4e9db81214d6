"""Timeline quality on Timeline17 (``../shared/t17``): the toolkit's
timeline against the human timelines, beside a publication-count baseline
and a random-date baseline, scored with tilse as news-tls scores it.

Not a test; run by hand and copy the table into docs/benchmarks.md:

    python bench/timeline_quality.py [--collections haiti_bbc,MJ_bbc] [--no-tune]

As news-tls (Ghalandari & Ifrim 2020, ``evaluate.py``) does for T17: each
collection against each of its reference timelines, the articles those
published from the reference's first date to its last, l = its number of
dates and k = round(its mean sentences per date); only days in that range
may be chosen. Scores: date F1 (the chosen days against the reference's),
and tilse's alignment ROUGE-1 and ROUGE-2 F
(``align_date_content_costs_many_to_one``, the ROUGE-1.5.5 perl with
stemming and stopwords removed).

The timeline is the toolkit's own: the articles read by
`toolkit.ingest.load_articles` (dated by file name, Penn Treebank tokens
undone), their sentences as `build_brief` takes them (`brief_units`), the
fact layer's readings (`facts_for`), the embedder's vectors, then
`toolkit.brief.dates.choose_timeline` with l dates and k sentences a day.
The chosen sentences are tokenized back the Treebank way (nltk's
``TreebankWordTokenizer``) to stand beside the tokenized references; the
perl scorer drops punctuation, so that tokenization hardly moves a score.

Baselines, through the same code (only the day scores differ):
*pubcount*, the days with the most articles published (mentions weigh 0);
*random*, l days drawn from those with a sentence dated to them (seeded,
mean of RANDOM_RUNS draws). The tuned settings (`GRID`: the weight of a
publication, of the story's background, of the lead) are chosen
leave-one-topic-out: for each topic (H1N1, bpoil, haiti, MJ) the setting
with the best mean alignment ROUGE-2 F x 10 plus date F1 on the other
topics' timelines (tilse's quick ROUGE, ``rouge_computation="reimpl"``)
is scored on its own with the perl ROUGE. The setting best on all topics
is printed too: the shipped defaults are it.

Needs tilse (``pip install tilse==0.2.1``; its ROUGE runs perl with
XML::Parser and DB_File); without it the script says so and exits 0.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import random
import sys
from pathlib import Path
from typing import Any

from common import SHARED, offline_model

T17 = SHARED / "t17"
TOPICS = ("H1N1", "bpoil", "haiti", "MJ")
# The settings tried: (pub_weight, background_weight, lead_weight).
GRID = [(pub, background, lead) for pub in (2.0, 4.0, 8.0) for background in (0.0, 0.3) for lead in (0.1, 0.3)]
RANDOM_RUNS = 5


def load_collection(folder: Path, embedder: Any) -> dict[str, Any]:
    """The collection's articles, candidate sentences, their facts, unit
    vectors and event days, and its reference timelines."""
    import numpy as np

    from toolkit.brief.dates import unit_days
    from toolkit.brief.english import brief_units
    from toolkit.facts import facts_for
    from toolkit.ingest import load_articles

    articles = load_articles([str(p) for p in sorted((folder / "articles").glob("*.txt"))])
    english = {s.id: s.text for a in articles for s in a.sentences}
    units, _ = brief_units(articles, english)
    published = {a.number: a.published.date for a in articles if a.published.date}
    facts = facts_for([u.text for u in units], [published.get(u.article, "") for u in units])
    vectors = np.asarray(embedder.encode([u.text for u in units]), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    refs = {p.stem: reference(p) for p in sorted((folder / "timelines").glob("*.tsv"))}
    return {"units": units, "vectors": vectors, "published": published,
            "days": unit_days(units, facts, published), "refs": refs}


def reference(path: Path) -> dict[str, list[str]]:
    """A reference timeline: ISO day -> its tokenized sentences."""
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        day, _, text = line.partition("\t")
        if text.strip():
            out.setdefault(day.strip(), []).append(text.strip())
    return out


def within(col: dict[str, Any], first: str, last: str) -> dict[str, Any]:
    """The collection restricted to the articles published from `first`
    to `last`, and the event days to that range."""
    keep = {a for a, d in col["published"].items() if first <= d <= last}
    idx = [i for i, u in enumerate(col["units"]) if u.article in keep]
    return {"units": [col["units"][i] for i in idx], "vectors": col["vectors"][idx],
            "published": {a: col["published"][a] for a in keep},
            "days": [d if first <= d <= last else "" for d in (col["days"][i] for i in idx)]}


def predict(sub: dict[str, Any], l: int, k: int, settings: Any, *, draw: random.Random | None = None
            ) -> dict[str, list[str]]:
    """Day -> chosen sentences (detokenized), by the toolkit's code."""
    from toolkit.brief.dates import choose_timeline

    days = sub["days"]
    if draw is not None:
        # The random baseline: l days drawn, each day's sentences still
        # chosen by the toolkit.
        pool = sorted({d for d in days if d})
        keep = set(draw.sample(pool, min(l, len(pool))))
        days = [d if d in keep else "" for d in days]
    chosen = choose_timeline(sub["units"], sub["vectors"], days, sub["published"], wanted=l, per_day=k,
                             settings=settings)
    return {day: [sub["units"][i].text for i in idx] for day, idx in chosen}


def score(pred: dict[str, list[str]], ref: dict[str, list[str]], evaluator: Any) -> dict[str, float]:
    """Date F1 and alignment ROUGE-1/2 F of one predicted timeline."""
    from nltk.tokenize import TreebankWordTokenizer
    from tilse.data.timelines import GroundTruth, Timeline

    tok = TreebankWordTokenizer()

    def timeline(days: dict[str, list[str]], tokenize: bool) -> Any:
        return Timeline({datetime.date.fromisoformat(d): [" ".join(tok.tokenize(s)) if tokenize else s for s in ss]
                         for d, ss in days.items()})

    shared = len(set(pred) & set(ref))
    p, r = shared / max(len(pred), 1), shared / max(len(ref), 1)
    rouge = evaluator.evaluate_align_date_content_costs_many_to_one(timeline(pred, True),
                                                                   GroundTruth([timeline(ref, False)]))
    return {"date_f1": 2 * p * r / (p + r) if shared else 0.0, "ar1": rouge["rouge_1"]["f_score"],
            "ar2": rouge["rouge_2"]["f_score"]}


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]} if rows else {}


def topic_of(name: str) -> str:
    return name.split("_")[0]


def evaluate(cols: dict[str, dict[str, Any]], settings: Any, evaluator: Any, *, draw: bool = False
             ) -> dict[tuple[str, str], dict[str, float]]:
    """(collection, timeline) -> scores of `settings` (or the random
    baseline with `draw`)."""
    out = {}
    for name, col in cols.items():
        for tl, ref in col["refs"].items():
            dates = sorted(ref)
            l, k = len(dates), max(1, round(sum(map(len, ref.values())) / len(ref)))
            sub = within(col, dates[0], dates[-1])
            if draw:
                runs = [score(predict(sub, l, k, settings, draw=random.Random(seed)), ref, evaluator)
                        for seed in range(RANDOM_RUNS)]
                out[name, tl] = mean(runs)
            else:
                out[name, tl] = score(predict(sub, l, k, settings), ref, evaluator)
    return out


def setting(key: tuple[float, float, float]) -> Any:
    from toolkit.brief.dates import DATE_SETTINGS

    return dataclasses.replace(DATE_SETTINGS, pub_weight=key[0], background_weight=key[1], lead_weight=key[2])


def loto(cols: dict[str, dict[str, Any]], evaluator: Any, quick: Any) -> tuple[dict[tuple[str, str], dict[str, float]],
                                                                               dict[str, Any]]:
    """Scores of each timeline under the setting chosen on the other
    topics' timelines (by mean alignment ROUGE-2 F x 10 plus date F1,
    scored with tilse's quick ROUGE, `quick`), and the setting each
    topic's fold chose; the held-out scores are the perl ROUGE's."""
    from toolkit.brief.dates import DATE_SETTINGS

    grid = {key: evaluate(cols, setting(key), quick) for key in GRID}
    shipped = (DATE_SETTINGS.pub_weight, DATE_SETTINGS.background_weight, DATE_SETTINGS.lead_weight)
    held: dict[tuple[str, str], dict[str, float]] = {}
    chosen = {}
    for topic in sorted({topic_of(n) for n in cols}):
        print(f"fold {topic}", file=sys.stderr, flush=True)

        def fit(key: Any) -> float:
            m = mean([s for (n, _), s in grid[key].items() if topic_of(n) != topic])
            return m["ar2"] * 10 + m["date_f1"] if m else 0.0
        best = max(grid, key=lambda key: (fit(key), key == shipped))
        chosen[topic] = best
        held.update(evaluate({n: c for n, c in cols.items() if topic_of(n) == topic}, setting(best), evaluator))

    def overall(key: Any) -> float:
        m = mean(list(grid[key].values()))
        return m["ar2"] * 10 + m["date_f1"]
    chosen["all topics"] = max(grid, key=lambda key: (overall(key), key == shipped))
    return held, chosen


def table(runs: dict[str, dict[tuple[str, str], dict[str, float]]]) -> list[str]:
    """Markdown rows: per timeline and the mean, each method's date F1 /
    AR-1 F / AR-2 F."""
    names = list(runs)
    lines = ["| collection / timeline | " + " | ".join(f"{n} date F1 / AR-1 / AR-2" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    keys = sorted(next(iter(runs.values())))
    for key in keys + [("mean", "")]:
        cells = []
        for n in names:
            s = mean(list(runs[n].values())) if key[0] == "mean" else runs[n][key]
            # The mean to four places: methods a thousandth apart are told apart.
            d = 4 if key[0] == "mean" else 3
            cells.append(f"{s['date_f1']:.{d}f} / {s['ar1']:.{d}f} / {s['ar2']:.{d}f}")
        label = "**mean**" if key[0] == "mean" else f"{key[0]} / {key[1]}"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collections", default="", help="comma-separated collection names (default: all)")
    parser.add_argument("--no-tune", action="store_true", help="score the shipped settings only, no LOTO grid")
    args = parser.parse_args()
    try:
        from tilse.evaluation import rouge
    except ImportError:
        print("tilse is not installed (pip install tilse==0.2.1): nothing measured")
        return 0
    offline_model(cache=True)
    from toolkit.brief.dates import DATE_SETTINGS
    from toolkit.embed import Embedder

    evaluator = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"])
    wanted = [c for c in args.collections.split(",") if c]
    folders = [p for p in sorted(T17.iterdir()) if (p / "articles").is_dir() and (not wanted or p.name in wanted)]
    embedder = Embedder()
    cols = {}
    for folder in folders:
        print(f"reading {folder.name}", file=sys.stderr, flush=True)
        cols[folder.name] = load_collection(folder, embedder)
    runs = {"toolkit (shipped)": evaluate(cols, DATE_SETTINGS, evaluator)}
    if not args.no_tune:
        quick = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"], rouge_computation="reimpl")
        runs["toolkit (LOTO)"], chosen = loto(cols, evaluator, quick)
        print("LOTO choices (pub_weight, background_weight, lead_weight):", chosen)
    runs["pubcount"] = evaluate(cols, dataclasses.replace(DATE_SETTINGS, mention_weight=0.0, pub_weight=1.0),
                                evaluator)
    runs["random"] = evaluate(cols, DATE_SETTINGS, evaluator, draw=True)
    print("\n".join(table(runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

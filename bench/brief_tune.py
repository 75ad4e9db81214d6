"""Leave-one-cluster-out check of the brief's salience settings.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/brief_tune.py [--vary NAME ...]

For each cluster of ../shared/multidoc, the settings (`BriefSettings`
fields lead_weight, lead_decay, length_exponent, min_concept_sources,
quote_factor; with `--vary`, only the named ones, the others as shipped) with the best mean ROUGE-2
recall on the OTHER clusters are chosen from GRID (about 2 minutes on 2 cores), and the held-out
cluster is scored with them; the mean of those held-out scores is what the
settings are worth on a story they were not chosen on (equal scores go to
the value listed first in GRID). It also prints the
shipped settings' own scores and which settings each fold chose, so a
shipped value that no fold picks stands out. The briefs are chosen as
`build_brief` chooses them: the main event first, facts forced by the
sources that report them as news.
"""
from __future__ import annotations

import argparse
import itertools
import statistics
from dataclasses import asdict, replace
from pathlib import Path

from common import SHARED, cluster_dirs, english_articles, offline_model, story_sources
from brief_quality import rouge

GRID = {
    "lead_weight": (0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0),
    "lead_decay": (0.5, 0.75, 1.0, 1.5, 2.0, 3.0),
    "length_exponent": (0.3, 0.4, 0.5, 0.7, 1.0),
    "min_concept_sources": (2, 3),
    "quote_factor": (1.0, 0.5, 0.25),
}


def prepare(cluster: Path, embedder):
    """What the settings do not change, made once per cluster (MultiLing or
    DUC 2004 layout) as `build_brief` makes it: the candidate sentences,
    their concepts, the point matrix, the human summaries, how many sources report each point
    as news, and the main event's sentences."""
    from toolkit.brief.english import brief_units
    from toolkit.brief.order import main_event
    from toolkit.brief.salience import concepts, lead_units
    from toolkit.brief.settings import DEFAULT_SETTINGS
    from toolkit.brief.story import read_sources, read_story, relate

    folder, refs = story_sources(cluster)
    articles, english = english_articles(folder)
    candidates = brief_units(articles, english, None)
    articles, _, _ = read_sources(articles, english, candidates[0], embedder, False)
    story, _ = read_story(articles, english, candidates)
    relate(story, embedder, DEFAULT_SETTINGS)
    units = story.units
    return (units, [concepts(u.text) for u in units], story.points, refs,
            [story.reporting(i) for i in range(len(units))],
            main_event(units, story.raw, story.points, lead_units(units)))


def score(prepared, values: dict, words: int = 250) -> float:
    """ROUGE-2 recall of the brief of one prepared cluster with the shipped
    settings but for `values` (field name -> value)."""
    from toolkit import brief as S
    from toolkit.brief.settings import DEFAULT_SETTINGS

    settings = replace(DEFAULT_SETTINGS, **values)
    units, concept_sets, support, refs, sources, first = prepared
    weights = S.concept_weights(concept_sets, [u.article for u in units], settings)
    picked = S.select_sentences(units, concept_sets, weights, support, word_budget=words, sources=sources,
                                first=first, settings=settings)
    return rouge([units[i].text for i in picked], refs)["rouge2_r"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vary", nargs="+", choices=list(GRID), default=list(GRID),
                        help="the settings to choose per fold (default all); the others stay as shipped")
    args = parser.parse_args()
    offline_model(cache=True)
    from toolkit.brief.settings import DEFAULT_SETTINGS
    from toolkit.embed import Embedder

    embedder = Embedder()
    clusters = cluster_dirs(SHARED / "multidoc")
    prepared = {c.name: prepare(c, embedder) for c in clusters}
    shipped = {k: v for k, v in asdict(DEFAULT_SETTINGS).items() if k in GRID}
    grid = {k: v if k in args.vary else (shipped[k],) for k, v in GRID.items()}
    configs = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    table = {(i, c): score(prepared[c], cfg) for i, cfg in enumerate(configs) for c in prepared}
    held_out = []
    for c in prepared:
        others = [o for o in prepared if o != c]
        best = max(range(len(configs)), key=lambda i: statistics.mean(table[i, o] for o in others))
        held_out.append(table[best, c])
        print(f"{c}: chose {configs[best]}  held-out R2 {table[best, c]:.3f}")
    best_all = max(range(len(configs)), key=lambda i: statistics.mean(table[i, c] for c in prepared))
    print(f"best on all clusters (not a held-out figure): {configs[best_all]} "
          f"mean {statistics.mean(table[best_all, c] for c in prepared):.3f}")
    ship = [score(prepared[c], shipped) for c in prepared]
    print(f"leave-one-cluster-out mean ROUGE-2 recall: {statistics.mean(held_out):.3f}")
    print(f"shipped settings {shipped}: mean {statistics.mean(ship):.3f} "
          f"({' '.join(f'{x:.3f}' for x in ship)})")


if __name__ == "__main__":
    main()

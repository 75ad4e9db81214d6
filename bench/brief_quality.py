"""How much of what people put in a news summary the brief finds, beside the
lead baseline, on multi-document news clusters.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 \
        .venv/bin/python bench/brief_quality.py [--words 250] [--clusters ../shared/multidoc] [--show]

For each cluster (a folder with `en/*.txt` articles and `summaries/en_*.txt`
human summaries, the MultiLing 2011 layout) it makes a brief of at most
`--words` words from the English articles, read as English sources, and a
lead baseline (the first sentence of each article in turn, then the second,
..., whole sentences while they fit in the same number of words; headlines
and date lines are headings and are skipped). Both are scored with
rouge-score (ROUGE-1 and ROUGE-2, Porter stemming) against each human
summary; the table shows the mean over a cluster's summaries, and the last
row the mean over clusters. "cut R2" is the lead baseline with its last
sentence cut at exactly `--words` words (ROUGE's usual `-l`); the last
columns give the story's span in days, whether the brief tells it as a
developing story, its timeline entries, the ROUGE-2 recall of the timeline
alone (entries in date order, whole, within `--words`) and its changing
figures. Every brief sentence is still cited and
checked; the bench also counts sentences the citation check dropped.

`--duc ../shared/duc2004` instead scores DUC 2004 Task 2 (100 words by
default) beside the 13 published systems of its `peers/` with one scorer:
rouge-score, Porter stemming, ROUGE-1 and ROUGE-2 recall, mean over the four
references, every summary (the brief, each peer, the lead baseline) cut to
`--words` words; it prints each system's mean over the clusters, ranked by
ROUGE-2.

`--seeds` adds the seed story: the Arabic seed articles with the English of
refs/ at the default length, printed for reading (it has no human summary).
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from common import SHARED, cluster_dirs, duc_clusters, english_articles, offline_model, seed_story, story_sources


def lead_baseline(articles, words: int) -> list[str]:
    """First sentences of each article in turn, whole sentences while they fit."""
    queues = [[s.text for s in a.sentences if not s.is_heading] for a in articles]
    out: list[str] = []
    used = 0
    depth = 0
    while any(depth < len(q) for q in queues):
        for q in queues:
            if depth < len(q):
                n = len(q[depth].split())
                if used + n > words:
                    return out
                out.append(q[depth])
                used += n
        depth += 1
    return out


def fitting(texts: list[str], words: int) -> list[str]:
    """The texts in order, whole, while they fit in `words` words."""
    out: list[str] = []
    used = 0
    for t in texts:
        n = len(t.split())
        if used + n > words:
            break
        out.append(t)
        used += n
    return out


def cut_lead_baseline(articles, words: int) -> list[str]:
    """The lead baseline as ROUGE's usual ``-l`` cut scores it: first
    sentences of each article in turn, the last one cut at exactly `words`
    words."""
    queues = [[s.text for s in a.sentences if not s.is_heading] for a in articles]
    out: list[str] = []
    used = 0
    depth = 0
    while used < words and any(depth < len(q) for q in queues):
        for q in queues:
            if depth < len(q) and used < words:
                piece = q[depth].split()[:words - used]
                out.append(" ".join(piece))
                used += len(piece)
        depth += 1
    return out


def rouge(texts: list[str], references: list[str]) -> dict[str, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    hyp = "\n".join(texts)
    rows = [scorer.score(ref, hyp) for ref in references]
    return {f"{m}_{k}": statistics.mean(getattr(r[m], attr) for r in rows)
            for m in ("rouge1", "rouge2") for k, attr in (("r", "recall"), ("f", "fmeasure"))}


def cut(texts: list[str], words: int) -> list[str]:
    """`texts` as one summary of its first `words` words (ROUGE's ``-l``)."""
    return [" ".join(" ".join(texts).split()[:words])]


def duc_scores(cluster: Path, words: int, brief_texts: list[str]) -> dict[str, dict[str, float]]:
    """ROUGE of each summary of one DUC cluster, cut to `words` words: the
    brief's (`brief_texts`), the lead baseline's and each published
    system's (``peers/<System>.txt``)."""
    folder, refs = story_sources(cluster)
    articles, _ = english_articles(folder)
    summaries = {"brief": brief_texts, "lead baseline": cut_lead_baseline(articles, words)}
    summaries.update({p.stem: [p.read_text(encoding="utf-8", errors="replace")]
                      for p in sorted((cluster / "peers").glob("*.txt"))})
    return {name: rouge(cut(texts, words), refs) for name, texts in summaries.items()}


def print_ranking(rows: list[dict[str, dict[str, float]]]) -> None:
    """Each system's mean ROUGE-1/2 recall over the clusters of `rows`
    (`duc_scores`), best ROUGE-2 first, with its rank."""
    means = {name: (statistics.mean(r[name]["rouge1_r"] for r in rows),
                    statistics.mean(r[name]["rouge2_r"] for r in rows)) for name in rows[0]}
    print(f"{'rank':>4} {'system':14} {'R-1':>6} {'R-2':>6}   (mean recall over {len(rows)} clusters)")
    for rank, (name, (r1, r2)) in enumerate(sorted(means.items(), key=lambda kv: -kv[1][1]), 1):
        print(f"{rank:4d} {name:14} {r1:6.4f} {r2:6.4f}")


def duc_main(root: Path, words: int, embedder) -> None:
    from toolkit.brief import build_brief

    rows = []
    for cluster in duc_clusters(root):
        articles, english = english_articles(story_sources(cluster)[0])
        brief = build_brief(articles, english, words=words, embedder=embedder)
        rows.append(duc_scores(cluster, words, [b.text for b in brief.sentences]))
        print(f"{cluster.name}: brief R-2 {rows[-1]['brief']['rouge2_r']:.4f}  "
              f"lead {rows[-1]['lead baseline']['rouge2_r']:.4f}", flush=True)
    print_ranking(rows)


def evaluate(cluster: Path, words: int, embedder, **options) -> dict:
    from toolkit.brief import build_brief

    folder, refs = story_sources(cluster)
    articles, english = english_articles(folder)
    brief = build_brief(articles, english, words=words, embedder=embedder, **options)
    texts = [b.text for b in brief.sentences]
    lead = lead_baseline(articles, words)
    story = brief.manifest.get("story", {})
    return {"cluster": cluster.name, "brief": rouge(texts, refs), "lead": rouge(lead, refs),
            "cut_lead": rouge(cut_lead_baseline(articles, words), refs),
            "days": story.get("days", 0), "developing": story.get("developing", False),
            "timeline": len(brief.timeline), "figures": len(brief.figures),
            "timeline_rouge": rouge(fitting([e.text for e in brief.timeline], words), refs),
            "words": sum(len(t.split()) for t in texts), "sentences": len(texts),
            "dropped": len(brief.manifest.get("dropped", [])), "text": brief}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, help="the length (default 250, with --duc 100)")
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    parser.add_argument("--show", action="store_true", help="print each brief")
    parser.add_argument("--seeds", action="store_true", help="also print the seed brief from refs/")
    parser.add_argument("--duc", type=Path, help="score DUC 2004 Task 2 under this folder beside its peers")
    args = parser.parse_args()
    if args.duc is not None:
        offline_model(cache=True)
        from toolkit.embed import Embedder

        return duc_main(args.duc, args.words or 100, Embedder())
    args.words = args.words or 250
    if not args.clusters.is_dir():
        sys.exit(f"{args.clusters} is missing")
    offline_model(cache=True)
    from toolkit.embed import Embedder
    from toolkit.brief import render_text

    embedder = Embedder()
    rows = [evaluate(c, args.words, embedder) for c in cluster_dirs(args.clusters)]
    head = f"{'cluster':8} {'words':>5} {'drop':>4} | {'R1 R':>6} {'R1 F':>6} {'R2 R':>6} {'R2 F':>6} | " \
           f"{'lead R1':>7} {'lead R2':>7} {'cut R2':>6} | {'days':>4} {'dev':>3} {'tl':>3} {'tl R2':>5} {'fig':>3}"
    print(head)
    print("-" * len(head))
    for r in rows:
        b, lead = r["brief"], r["lead"]
        print(f"{r['cluster']:8} {r['words']:5d} {r['dropped']:4d} | {b['rouge1_r']:6.3f} {b['rouge1_f']:6.3f} "
              f"{b['rouge2_r']:6.3f} {b['rouge2_f']:6.3f} | {lead['rouge1_r']:7.3f} {lead['rouge2_r']:7.3f} "
              f"{r['cut_lead']['rouge2_r']:6.3f} | {r['days']:4d} {'yes' if r['developing'] else 'no':>3} "
              f"{r['timeline']:3d} {r['timeline_rouge']['rouge2_r']:5.3f} {r['figures']:3d}")
        if args.show:
            print(render_text(r["text"], cite=True))

    def mean(side: str, key: str) -> float:
        return statistics.mean(r[side][key] for r in rows)

    print("-" * len(head))
    print(f"{'mean':8} {'':5} {'':4} | {mean('brief', 'rouge1_r'):6.3f} {mean('brief', 'rouge1_f'):6.3f} "
          f"{mean('brief', 'rouge2_r'):6.3f} {mean('brief', 'rouge2_f'):6.3f} | "
          f"{mean('lead', 'rouge1_r'):7.3f} {mean('lead', 'rouge2_r'):7.3f} {mean('cut_lead', 'rouge2_r'):6.3f} |")
    if args.seeds:
        from toolkit.brief import build_brief

        articles, english = seed_story()
        print()
        print(render_text(build_brief(articles, english, embedder=embedder), cite=True))


if __name__ == "__main__":
    main()

"""Sweep the fact-grouping threshold over the hand-labelled seed pairs.

Run by hand (needs ../shared and the cached embedding model):

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/summarize_threshold.py

For each threshold it groups the candidate sentences of the five seed
articles (English from refs/) exactly as `build_brief` does and scores the
grouping against tests/data/summarize_pairs.tsv: a labelled pair counts as
grouped when both sentences end up in one group. Pairs with a sentence that
is not a candidate (heading, fragment) are left out.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit import summarize as S  # noqa: E402
from toolkit.embed import Embedder  # noqa: E402
from toolkit.ingest import load_articles  # noqa: E402
from toolkit.refs import load_references  # noqa: E402


def read_pairs(path: Path) -> list[tuple[str, str, int]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("a\t"):
            continue
        a, b, same, _fact = line.split("\t")
        rows.append((a, b, int(same)))
    return rows


def main() -> None:
    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    articles = load_articles([str(p) for p in seeds])
    english = load_references(REPO / "refs", articles)
    units, _ = S.candidates(articles, english)
    index = {u.id: k for k, u in enumerate(units)}
    pairs = [p for p in read_pairs(REPO / "tests" / "data" / "summarize_pairs.tsv") if p[0] in index and p[1] in index]
    vectors = Embedder().encode([u.text for u in units])
    sim, _default, centred = S.similarity_matrix(vectors)
    arts = [u.article for u in units]
    keys = [S.clarity(u.text, u.flags) for u in units]
    print(f"{len(units)} candidates, {len(pairs)} labelled pairs ({sum(p[2] for p in pairs)} same-fact), "
          f"centred={centred}")
    print("threshold  precision  recall  F1     groups  multi-source")
    for t in [x / 100 for x in range(26, 52, 2)]:
        groups = S.group_facts(sim, arts, t, clarity_keys=keys)
        where = {i: g for g, members in enumerate(groups) for i in members}
        tp = sum(1 for a, b, y in pairs if y and where[index[a]] == where[index[b]])
        fp = sum(1 for a, b, y in pairs if not y and where[index[a]] == where[index[b]])
        fn = sum(1 for a, b, y in pairs if y and where[index[a]] != where[index[b]])
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        multi = sum(1 for g in groups if len({arts[i] for i in g}) > 1)
        print(f"{t:9.2f}  {p:9.3f}  {r:6.3f}  {f1:.3f}  {len(groups):6d}  {multi:12d}")


if __name__ == "__main__":
    main()

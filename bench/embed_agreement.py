"""Do the embedding engines give the same brief? Compares the brief made
with sentence-transformers against CTranslate2 float32 and int8, on the
five seed articles (English from refs/) and on the English side of each
../shared/multidoc cluster (its own sentences as the English).

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/embed_agreement.py

For every story and both lengths (the default sentence count and 250 words)
it reports brief sentences whose text, section or cited sentence IDs
differ from the sentence-transformers brief at the same position
("differ") and those absent from it altogether ("new"), the number of concepts and
corroborated sentences (from the manifest), and the cosine between each
engine's vectors and sentence-transformers' over all candidate sentences.

"""
from __future__ import annotations

import argparse
import tempfile
from typing import Any

from common import SHARED, offline_model, seed_story
from toolkit import brief as S
from toolkit.embed import Embedder
from toolkit.ingest import load_articles

ENGINES = [("sentence-transformers", "float32"), ("ctranslate2", "float32"), ("ctranslate2", "int8")]


def stories() -> list[tuple[str, list, dict[str, str]]]:
    out = [("seeds", *seed_story())]
    for cluster in sorted((SHARED / "multidoc").glob("M*")):
        arts = load_articles([str(p) for p in sorted((cluster / "en").glob("*.txt"))])
        out.append((cluster.name, arts, {s.id: s.text for a in arts for s in a.sentences}))
    return out


def signature(brief: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(b.text, b.section, tuple(sorted(c.id for c in b.citations))) for b in brief.sentences]


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=250)
    args = parser.parse_args()
    offline_model()
    with tempfile.TemporaryDirectory() as cache:
        embedders = {e: Embedder(engine=e[0], compute_type=e[1], cache_dir=cache) for e in ENGINES}
        totals = {e: [0, 0, 0, 0, 0] for e in ENGINES[1:]}  # differing, sentences, differing briefs, briefs, new
        cosines: dict[tuple[str, str], list[float]] = {e: [] for e in ENGINES[1:]}
        print(f"{'story':8} {'length':9} {'engine':22} {'differ':>7} {'new':>4} {'concepts':>8} {'corrob':>6}")
        for name, articles, english in stories():
            units, _ = S.brief_units(articles, english)
            texts = [u.text for u in units]
            base_vecs = embedders[ENGINES[0]].encode(texts)
            for e in ENGINES[1:]:
                cosines[e].extend((embedders[e].encode(texts) * base_vecs).sum(axis=1).tolist())
            for length, kw in (("default", {}), (f"{args.words} words", {"words": args.words})):
                briefs = {e: S.build_brief(articles, english, embedder=emb, **kw) for e, emb in embedders.items()}
                base = signature(briefs[ENGINES[0]])
                for e in ENGINES:
                    sig = signature(briefs[e])
                    differ = sum(1 for k in range(max(len(sig), len(base)))
                                 if k >= len(sig) or k >= len(base) or sig[k] != base[k])
                    new = sum(1 for x in sig if x not in base)
                    m = briefs[e].manifest
                    print(f"{name:8} {length:9} {e[0] + ' ' + e[1]:22} {differ:7d} {new:4d} {m.get('concepts', 0):8d} "
                          f"{m.get('corroborated', 0):6d}")
                    if e in totals:
                        t = totals[e]
                        t[0] += differ
                        t[1] += len(base)
                        t[2] += differ > 0
                        t[3] += 1
                        t[4] += new
        print()
        for e in ENGINES[1:]:
            c = np.array(cosines[e])
            d, n, db, nb, new = totals[e]
            print(f"{e[0]} {e[1]}: {d} of {n} brief sentences differ ({new} absent from the other brief), "
                  f"in {db} of {nb} briefs; cosine to sentence-transformers over {len(c)} sentences: min {c.min():.5f}, mean {c.mean():.5f}")


if __name__ == "__main__":
    main()

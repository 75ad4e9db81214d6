"""How the citation checker's thresholds behave on the seed story.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/verify_examples.py

Prints (1) the lowest citation similarity inside the extractive brief's
groups (what CITATION_FLOOR must stay below), and (2) the verdict on
hand-written claims about the story, true paraphrases and false claims,
each citing real sentence IDs of the seed articles (English from refs/).
"""
from __future__ import annotations

from common import offline_model, seed_story
from toolkit.embed import Embedder
from toolkit.brief import build_brief
from toolkit.verify import verify_sentences

CLAIMS = [
    (True, "Putin and Kim signed a strategic partnership agreement on Wednesday.", ["5.1", "1.10"]),
    (True, "Putin hopes his next meeting with Kim will take place in Moscow.", ["3.7", "5.11"]),
    (True, "Putin's visit is the first by a Russian president in 24 years.", ["2.26", "5.3"]),
    (True, "Kim said relations between the two countries are entering a new era of prosperity.", ["3.12", "4.3"]),
    (False, "Putin and Kim cancelled the partnership agreement on Wednesday.", ["5.1"]),
    (False, "The agreement was signed in Moscow on Friday.", ["5.1"]),
    (False, "The talks between Putin and Kim lasted five days.", ["5.2"]),
    (False, "Putin's visit is the first by a Russian president in 40 years.", ["2.26", "5.3"]),
    (False, "Kim said relations with the United States are entering a new era of prosperity.", ["3.12"]),
    (False, "China announced new sanctions against both countries.", ["1.1"]),
    (False, "Putin and Kim signed a strategic partnership agreement on Wednesday.", ["5.1", "3.18"]),
]


def main() -> None:
    offline_model()
    articles, english = seed_story()
    embedder = Embedder()
    brief = build_brief(articles, english, embedder=embedder, sentences=20)
    sims = sorted((c.similarity, c.id, max(b.citations, key=lambda x: x.similarity).id)
                  for b in brief.sentences for c in b.citations)
    print(f"extractive brief (20 sentences): lowest citation similarity {sims[0][0]:.3f} "
          f"({sims[0][1]} cited for {sims[0][2]}), median {sims[len(sims) // 2][0]:.3f}")
    verdicts = verify_sentences([(t, ids) for _, t, ids in CLAIMS], english, embedder=embedder)
    print("expected  verdict  support  reason              claim [ids]")
    for (true, text, ids), v in zip(CLAIMS, verdicts):
        mark = "ok" if v.supported == true else "MISS"
        print(f"{'true' if true else 'false':8}  {str(v.supported):7}  {v.support:7.3f}  {v.reason or '-':18}  "
              f"{text} [{', '.join(ids)}] {mark}")


if __name__ == "__main__":
    main()

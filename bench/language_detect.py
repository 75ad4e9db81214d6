"""Script shares and detected language of real articles, to check the
language thresholds in toolkit.ingest against data they were not set on.

    python bench/language_detect.py [../shared]

Reads the multidoc clusters (Arabic and English articles), the seed
articles and FLORES-200 devtest documents (lines grouped by document id)
and prints, per group, how many articles were detected as what and the
extreme script shares."""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from common import SHARED
from toolkit.ingest import clean_article, detect_language, script_shares


def summary(name: str, texts: list[str]) -> None:
    langs: Counter[str] = Counter()
    ar, la = [], []
    for text in texts:
        cleaned, _, _, lang = clean_article(text)
        langs[lang if detect_language(cleaned) else "neither"] += 1
        _, a, l = script_shares(cleaned)
        ar.append(a)
        la.append(l)
    print(f"{name:28s} n={len(texts):4d} detected={dict(langs)} "
          f"arabic share {min(ar):.3f}-{max(ar):.3f}, latin share {min(la):.3f}-{max(la):.3f}")


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    read = lambda p: p.read_text(encoding="utf-8")  # noqa: E731
    for lang in ("ar", "en"):
        files = sorted((shared / "multidoc").glob(f"M*/{lang}/*.txt"))
        summary(f"multidoc {lang}", [read(f) for f in files])
    summary("seeds (ar)", [read(f) for f in sorted((shared / "seeds").glob("*.txt"))])
    flores = shared / "refdata" / "flores200-devtest"
    ids = [line.split("\t")[0] for line in read(flores / "flores200-devtest.docids.tsv").splitlines()]
    for lang, fname in (("ar", "flores200-devtest.arb_Arab.txt"), ("en", "flores200-devtest.eng_Latn.txt")):
        docs: dict[str, list[str]] = defaultdict(list)
        for doc, line in zip(ids, read(flores / fname).splitlines()):
            docs[doc].append(line)
        summary(f"flores docs {lang}", ["\n".join(v) for v in docs.values()])


if __name__ == "__main__":
    main()

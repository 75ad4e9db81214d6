"""Script shares and detected language of real articles, to check the
language thresholds in toolkit.ingest against data they were not set on.

    python bench/language_detect.py [../shared]

Reads the multidoc clusters (Arabic and English articles), the seed
articles, FLORES-200 devtest documents (lines grouped by document id), the
IWSLT17 talks (Arabic and English), the DUC 2004 and Timeline17 English
articles, and prints, per group, how many articles were detected as what
(by script, and the written language within the script: function words,
`toolkit.ingest.language.written_language`) and the extreme script
shares."""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from common import SHARED
from toolkit.ingest import clean_article, detect_language, script_shares
from toolkit.ingest.language import SCRIPT_LANGUAGES, written_language


def summary(name: str, texts: list[str]) -> None:
    langs: Counter[str] = Counter()
    written: Counter[str] = Counter()
    ar, la = [], []
    for text in texts:
        cleaned, _, _, lang = clean_article(text)
        langs[lang if detect_language(cleaned) else "neither"] += 1
        written[written_language(cleaned, lang) if lang in SCRIPT_LANGUAGES else lang] += 1
        _, a, l = script_shares(cleaned)
        ar.append(a)
        la.append(l)
    print(f"{name:28s} n={len(texts):4d} detected={dict(langs)} written={dict(written)} "
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
    iwslt = shared / "sacrebleu" / "iwslt17"
    if iwslt.is_dir():
        talks = read(iwslt / "iwslt17.ar-en.docid").splitlines()
        for lang, fname in (("ar", "iwslt17.ar-en.src"), ("en", "iwslt17.ar-en.ref")):
            docs = defaultdict(list)
            for doc, line in zip(talks, read(iwslt / fname).splitlines()):
                docs[doc].append(line)
            summary(f"iwslt17 talks {lang}", ["\n".join(v) for v in docs.values()])
    french = sorted((iwslt / "raw" / "fr-en").glob("*.fr.xml")) if iwslt.is_dir() else []
    if french:
        # Real French (TED talks, IWSLT17 fr-en source side), one text per talk.
        talks = [re.sub(r"<[^>]+>", " ", doc) for f in french
                 for doc in re.findall(r"<doc[^>]*>(.*?)</doc>", read(f), re.S)]
        summary("iwslt17 talks fr", talks)
    english = sorted((shared / "duc2004").glob("d*/docs/D*.txt")) + sorted((shared / "t17").glob("*/articles/*.txt"))
    summary("duc2004 + t17 (en)", [p.read_text(encoding="utf-8", errors="replace") for p in english])


if __name__ == "__main__":
    main()

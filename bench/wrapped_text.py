"""Hard-wrapped and tokenized news read as their plain forms.

Run by hand (needs ../shared):

    python bench/wrapped_text.py [--show N]

* Folding: every seed article and every MultiLing article (Arabic and
  English) is folded at 60, 70 and 80 columns (textwrap on each line, no
  blank line between paragraphs) and split; an article counts as kept when
  its sentence texts are those of the unfolded article (and, counted
  apart, when each is also the same kind: heading or sentence). An article
  that does not is checked for being undecidable: folded, it is byte for
  byte the fold of the same text with two neighbouring paragraphs joined. The rules were
  developed on these; FLORES-200 devtest (281 documents per language, each
  pasted as one paragraph as bench/segment_quality.py joins them, a line
  without a final full stop on its own line) is folded the same way as a
  held-out check.
* DUC 2004: each document as distributed (hard-wrapped at ~70 columns,
  paragraphs not separated) against the same document with its lines joined
  into one paragraph (a line ending in a hyphen is joined without a space,
  the hyphen kept); a document counts when both give the same sentences.
* Timeline17: the articles (one Penn Treebank tokenized sentence per line)
  are split and every sentence holding a PTB escape (-LRB- `` '' and
  detached clitics) is counted.
"""
from __future__ import annotations

import argparse
import re
import textwrap
from pathlib import Path

from common import SHARED
from toolkit.ingest.reader import parse

WIDTHS = (60, 70, 80)
PTB = re.compile(r"-[LR][RSC]B-|``|''| n't\b| '(?:s|re|ve|ll|d|m)\b| [,.;:?!](?: |$)")


def sentences(text: str) -> list[str]:
    return [s.text for s in parse(text.encode("utf-8"), "bench.txt", 1).sentences]


def kinds(text: str) -> list[str]:
    return [s.kind for s in parse(text.encode("utf-8"), "bench.txt", 1).sentences]


def fold(text: str, width: int) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(textwrap.fill(line, width) for line in lines)


def first_difference(a: list[str], b: list[str]) -> str:
    for x, y in zip(a, b):
        if x != y:
            return f"{x[:90]!r}\n      vs {y[:90]!r}"
    return f"{len(a)} vs {len(b)} sentences"


def flores_documents(code: str) -> list[tuple[Path, str]]:
    from segment_quality import join, read_docs

    return [(Path(f"flores/{code}/doc{k:03d}"), join(doc)[0]) for k, doc in enumerate(read_docs(code, "all"))]


def undecidable(text: str, width: int) -> bool:
    """Whether the folded text is byte for byte the fold of another text:
    the same lines with two neighbouring paragraphs made one. No reader
    of the folded bytes can then tell which text was folded."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    folded = fold(text, width)
    return any(fold("\n".join(lines[:k] + [lines[k] + " " + lines[k + 1]] + lines[k + 2:]), width) == folded
               for k in range(len(lines) - 1))


def report_folding(show: int) -> None:
    sets = {"seeds ar": sorted((SHARED / "seeds").glob("*.txt"))}
    for lang in ("ar", "en"):
        sets[f"multidoc {lang}"] = sorted((SHARED / "multidoc").glob(f"M*/{lang}/*.txt"))
    sets["flores ar"], sets["flores en"] = flores_documents("arb_Arab"), flores_documents("eng_Latn")
    for name, paths in sets.items():
        texts = [p if isinstance(p, tuple) else (p, p.read_text(encoding="utf-8")) for p in paths]
        plain = {p: sentences(t) for p, t in texts}
        plain_kinds = {p: kinds(t) for p, t in texts}
        for width in WIDTHS:
            failures = []
            same_kinds = 0
            for p, t in texts:
                got = sentences(fold(t, width))
                if got != plain[p]:
                    failures.append((p, first_difference(got, plain[p])))
                elif kinds(fold(t, width)) == plain_kinds[p]:
                    same_kinds += 1
            lost = sum(1 for p, _ in failures if undecidable(dict(texts)[p], width))
            print(f"{name:12} folded at {width}: {len(texts) - len(failures)}/{len(texts)} articles give the "
                  f"unfolded sentences, {same_kinds} also their kinds (heading or sentence); of the others "
                  f"{lost} fold to the same bytes as a text with two paragraphs made one")
            for p, diff in failures[:show]:
                print(f"    {p.parent.parent.name}/{p.name}: {diff}")


def unwrapped(text: str) -> str:
    out = ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            out += "\n"
        elif out and not out.endswith("\n"):
            out += line if out.endswith("-") else " " + line
        else:
            out += line
    return out


def report_duc(show: int) -> None:
    paths = sorted((SHARED / "duc2004").glob("d*/docs/D*.txt"))
    same = 0
    units = 0
    failures = []
    for p in paths:
        text = p.read_text(encoding="utf-8", errors="replace")
        got, want = sentences(text), sentences(unwrapped(text))
        units += len(want)
        if got == want:
            same += 1
        else:
            failures.append((p, first_difference(got, want)))
    print(f"duc2004 as distributed vs unwrapped: {same}/{len(paths)} documents give the same sentences "
          f"({units} sentences unwrapped)")
    for p, diff in failures[:show]:
        print(f"    {p.parent.parent.name}/{p.name}: {diff}")


def report_t17(show: int) -> None:
    paths = sorted((SHARED / "t17").glob("*/articles/*.txt"))
    total = escaped = 0
    examples = []
    for p in paths:
        for s in sentences(p.read_text(encoding="utf-8", errors="replace")):
            total += 1
            if PTB.search(s):
                escaped += 1
                examples.append(f"{p.parent.parent.name}/{p.name}: {s[:100]!r}")
    print(f"t17: {len(paths)} articles, {total} sentences, {escaped} with a PTB token left")
    for line in examples[:show]:
        print("    " + line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=3, help="failures shown per data set")
    ap.add_argument("--only", choices=("fold", "duc", "t17"))
    args = ap.parse_args()
    if args.only in (None, "fold"):
        report_folding(args.show)
    if args.only in (None, "duc"):
        report_duc(args.show)
    if args.only in (None, "t17"):
        report_t17(args.show)


if __name__ == "__main__":
    main()

"""Sentence-boundary quality of `toolkit.text.segment` on human-segmented text.

Run by hand (needs ../shared):

    python bench/segment_quality.py [--errors N] [--half dev|test|all] [--news] [--join paragraph|run-on]

FLORES-200 devtest (Arabic and English): the sentences of each document
(grouped by flores200-devtest.docids.tsv) are re-joined as a reader would
paste them: one paragraph, sentences separated by a space, except that a
line without sentence-final punctuation (a headline) stays on a line of its
own. The joined text is split again and every boundary between two gold
sentences of a document is compared with the boundaries of the split
(precision, recall, F1), beside a one-line regex that splits after
`. ! ? ؟` followed by a space. FLORES lines are translation units and about
one in ten holds two sentences, so two scores are given: strict (a split
inside any line is an error) and on sentence-level lines (a split inside a
line whose translation in the other language holds several sentences is
not counted).

`--news` keeps only the Wikinews documents of FLORES (the others are
Wikivoyage and Wikibooks). `--join run-on` also runs a line that ends in a
closing quotation mark without a full stop into the next line, as news
copy does; by default such a line stays on its own line.

`--half dev` uses the odd-numbered documents only, `--half test` the even
ones: rules are developed on `dev` and reported on `test` as well.

IWSLT17 (TED talks, Arabic and English) is scored the same way as a second
check; its lines are human subtitle segments, so its figures are lower for
every splitter and are only compared with the regex on the same data.

English held out (never looked at while writing the rules): the DUC 2004
human summaries (one sentence per line, each summary a document) and the
Timeline17 human timelines (one tokenized sentence per line, read back with
`toolkit.text.ptb`; the sentences of one date a document), scored strictly.

The MultiLing Arabic articles (../shared/multidoc) have no gold
segmentation; the bench reports the number of units, their length
distribution and the 20 longest units after splitting.
"""
from __future__ import annotations

import argparse
import re
import time
from collections import OrderedDict

from common import SHARED
from toolkit.text.segment import TERMINATORS, CLOSERS, estimate_tokens, segment

REGEX = re.compile(r"(?<=[.!?؟])\s+")
FINAL = set(TERMINATORS) | set(".!?؟")


def read_docs(lang: str, half: str, news: bool = False) -> list[list[str]]:
    """FLORES documents; `news`: only those from Wikinews (the others are
    Wikivoyage and Wikibooks)."""
    base = SHARED / "refdata" / "flores200-devtest"
    lines = (base / f"flores200-devtest.{lang}.txt").read_text(encoding="utf-8").splitlines()
    rows = [row.split("\t") for row in (base / "flores200-devtest.docids.tsv").read_text(
        encoding="utf-8").splitlines()]
    assert len(rows) == len(lines), (len(rows), len(lines))
    docs: OrderedDict[str, list[str]] = OrderedDict()
    for (doc, url, *_), line in zip(rows, lines):
        if news and "wikinews.org" not in url:
            continue
        docs.setdefault(doc, []).append(line.strip())
    out = list(docs.values())
    if half == "dev":
        return out[0::2]
    if half == "test":
        return out[1::2]
    return out


def read_iwslt(lang: str) -> list[list[str]]:
    base = SHARED / "sacrebleu" / "iwslt17"
    name = "iwslt17.ar-en.src" if lang == "ar" else "iwslt17.ar-en.ref"
    lines = (base / name).read_text(encoding="utf-8").splitlines()
    ids = (base / "iwslt17.ar-en.docid").read_text(encoding="utf-8").splitlines()
    docs: OrderedDict[str, list[str]] = OrderedDict()
    for doc, line in zip(ids, lines):
        if line.strip():
            docs.setdefault(doc, []).append(line.strip())
    return list(docs.values())


def read_duc_summaries() -> list[list[str]]:
    """The DUC 2004 human summaries (4 per cluster, ~100 words), written one
    sentence per line: English the rules were never developed on."""
    return [[line.strip() for line in p.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
            for p in sorted((SHARED / "duc2004").glob("d*/refs/*.txt"))]


def read_t17_timelines() -> list[list[str]]:
    """The Timeline17 human timelines (news outlets' own, one sentence per
    line, Stanford-tokenized: read back with `toolkit.text.ptb`): the
    sentences of one date form a document. Also never developed on."""
    from toolkit.text.ptb import detokenize_line

    docs: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
    for p in sorted((SHARED / "t17").glob("*/timelines/*.tsv")):
        for row in p.read_text(encoding="utf-8", errors="replace").splitlines():
            date, _, sentence = row.partition("\t")
            if sentence.strip():
                docs.setdefault((str(p), date), []).append(detokenize_line(sentence))
    return list(docs.values())


def has_final(line: str) -> bool:
    stripped = line.rstrip().rstrip(CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in FINAL


def has_end(line: str, run_on: bool) -> bool:
    """Whether a line reads as the end of a sentence when pasted: final
    punctuation, or (`run_on`) a closing quotation mark."""
    return has_final(line) or (run_on and line.rstrip()[-1:] in CLOSERS and line.rstrip()[-1:] not in ")]}")


# Join mode: "paragraph" keeps a line without final punctuation on its own
# line (a headline); "run-on" also runs a sentence that ends in a closing
# quotation mark without a full stop into the next one, as news copy does.
JOIN = "paragraph"


def join(sentences: list[str]) -> tuple[str, set[int], list[tuple[int, int]]]:
    """The document as pasted text, the offsets where gold lines end (the
    end of the last one excluded) and the span of every line."""
    text = ""
    gold: set[int] = set()
    spans = []
    run_on = JOIN == "run-on"
    for k, sent in enumerate(sentences):
        if k:
            gold.add(len(text))
            sep = " " if has_end(sentences[k - 1], run_on) and has_final(sent) else "\n"
            text += sep
        spans.append((len(text), len(text) + len(sent)))
        text += sent
    return text, gold, spans


# A sentence end inside a line of the *other* language: terminator, space,
# then a capital or an Arabic letter (or an opening quote).
_INTERNAL_END = re.compile("[.!?؟…][\"'”’»)]*\\s+(?=[A-Z\u0621-\u064a\"“«])")


def toolkit_ends(text: str, lang: str) -> set[int]:
    return {s.end for s in segment(text, 1, language=lang)}


def regex_ends(text: str) -> set[int]:
    ends = set()
    for para_start, para in _paragraphs(text):
        for m in REGEX.finditer(para):
            ends.add(para_start + m.start())
        ends.add(para_start + len(para.rstrip()))
    return ends


def _paragraphs(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def score(docs: list[list[str]], splitter, multi: list[list[bool]] | None = None):
    """Boundary precision, recall and F1 against the line boundaries. With
    `multi` (one flag per line: its translation holds more than one
    sentence), a split inside such a line is not counted against precision:
    FLORES lines are translation units, and about one in ten holds two
    sentences, which a splitter is right to separate."""
    tp = fp = fn = 0
    errors = []
    for d, sentences in enumerate(docs):
        text, gold, spans = join(sentences)
        got = splitter(text) - {len(text)}
        if multi is not None:
            inside = {off for off in got - gold
                      for k, (a, b) in enumerate(spans) if a < off < b and multi[d][k]}
            got -= inside
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        for off in sorted(got ^ gold):
            errors.append(("FP" if off in got else "FN", text[max(0, off - 60):off] + " ‖ " + text[off:off + 40]))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, errors


def report_gold(name: str, docs: list[list[str]], lang: str, show: int,
                other: list[list[str]] | None = None) -> None:
    n = sum(len(d) - 1 for d in docs)
    print(f"\n{name}: {len(docs)} documents, {n} internal boundaries")
    multi = None
    if other is not None:
        multi = [[bool(_INTERNAL_END.search(line)) for line in doc] for doc in other]
        print(f"  lines whose translation holds several sentences: {sum(map(sum, multi))}")
    for label, fn in (("toolkit", lambda t: toolkit_ends(t, lang)), ("regex", regex_ends)):
        p, r, f, errors = score(docs, fn)
        row = f"  {label:8s} strict P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
        if multi is not None:
            p2, r2, f2, errors = score(docs, fn, multi)
            row += f"   | sentence-level lines P {p2:.3f}  R {r2:.3f}  F1 {f2:.3f}  (errors {len(errors)})"
        print(row)
        if label == "toolkit":
            for kind, ctx in errors[:show]:
                print(f"    {kind}: {ctx!r}")


def report_multidoc(show: int) -> None:
    files = sorted((SHARED / "multidoc").glob("M*/ar/*.txt"))
    if not files:
        print("\nmultidoc: missing")
        return
    lengths = []
    units = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        text = "\n".join(line.strip() for line in text.splitlines())
        for s in segment(text, 1):
            n = len(s.text.split())
            lengths.append(n)
            units.append((n, estimate_tokens(s.text), f"{f.parent.parent.name}/{f.name}", s.id, s.text))
    lengths.sort()

    def pct(q: float) -> int:
        return lengths[min(len(lengths) - 1, int(q * len(lengths)))]

    print(f"\nmultidoc Arabic: {len(files)} articles, {len(units)} units; words per unit: "
          f"median {pct(0.5)}, p90 {pct(0.9)}, p99 {pct(0.99)}, max {lengths[-1]}; "
          f"units over 60 words: {sum(n > 60 for n in lengths)}; "
          f"cut by the token budget: {sum(1 for u in units if u[3].count('.') > 1)}")
    print("  20 longest units (words, est. tokens, file, id, start of text):")
    for n, tok, f, sid, text in sorted(units, key=lambda u: -u[0])[:20]:
        print(f"    {n:4d} {tok:4d} {f} {sid}: {text[:show]!r}")


def report_speed() -> None:
    files = sorted((SHARED / "multidoc").glob("M*/ar/*.txt"))
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    big = (text * (2_000_000 // max(1, len(text.encode("utf-8"))) + 1))
    t0 = time.perf_counter()
    n = len(segment(big, 1))
    print(f"\nspeed: {len(big.encode('utf-8')) / 1e6:.1f} MB of Arabic news in {time.perf_counter() - t0:.2f} s "
          f"({n} units)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="show this many toolkit errors per data set")
    ap.add_argument("--half", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--no-iwslt", action="store_true")
    ap.add_argument("--speed", action="store_true", help="also time a 2 MB article")
    ap.add_argument("--news", action="store_true", help="FLORES: only the Wikinews documents")
    ap.add_argument("--join", choices=("paragraph", "run-on"), default="paragraph",
                    help="run-on: a line ending in a closing quote without a full stop runs into the next")
    args = ap.parse_args()
    global JOIN
    JOIN = args.join
    halves = ["dev", "test", "all"] if args.half == "all" else [args.half]
    news = " Wikinews" if args.news else ""
    for lang, code, other in (("ar", "arb_Arab", "eng_Latn"), ("en", "eng_Latn", "arb_Arab")):
        for half in halves:
            report_gold(f"FLORES-200 devtest{news} {lang} ({half} documents, {JOIN})",
                        read_docs(code, half, args.news), lang,
                        args.errors if half == halves[-1] else 0, read_docs(other, half, args.news))
        if not args.no_iwslt and (SHARED / "sacrebleu" / "iwslt17").is_dir():
            report_gold(f"IWSLT17 TED {lang}", read_iwslt(lang), lang, 0)
        if lang == "en" and (SHARED / "duc2004").is_dir():
            report_gold("held out: DUC 2004 human summaries en", read_duc_summaries(), lang, args.errors)
        if lang == "en" and (SHARED / "t17").is_dir():
            report_gold("held out: Timeline17 human timelines en", read_t17_timelines(), lang, args.errors)
    report_multidoc(120)
    if args.speed:
        report_speed()


if __name__ == "__main__":
    main()

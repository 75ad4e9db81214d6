"""The citation checker's edit checks on news it was not written on.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/verify_multidoc.py [-v]

Development data: the English articles of the five ../shared/multidoc
clusters (the edit checks were refined on what this script showed there).
Held out: the English side of FLORES-200 devtest (1012 sentences), run
only after the checks were settled. Prints

1. the extractive brief of each cluster (20 sentences): how many sentences
   the checker drops, and why (each shown sentence is a source sentence
   verbatim, so an edit check that fires there is a false alarm);
2. near pairs: each sentence against its closest sentence in another
   article of the cluster (similarity at least 0.75), as an LLM sentence
   citing that one sentence (strict=False): how often each edit check fires
   (-v lists them; these pairs are different wordings, so a hit may be real);
3. mechanical edits of the cluster sentences, each checked against the
   sentence it was made from (strict=False): a quantifier dropped or added,
   two numbers swapped, "X said Y" cut to "Y", two names swapped around a
   past-tense verb, half of one sentence joined to half of an unrelated one
   (citing both); how many the intended check catches, how many rewordings
   that keep the facts pass (the swap's passive, the two whole sentences
   joined), and how many unedited sentences fail against themselves (must
   be 0); the same edits on FLORES-200 devtest (-vv lists its misses).

Every check is the checker's as `verify_sentences` runs it with the fact
layer (`read`): the word checks, then the fact checks
(`toolkit.verify.facts`) on what passes them.
"""
from __future__ import annotations

import re
import sys
from collections import Counter

from common import SHARED, offline_model
from toolkit.embed import Embedder
from toolkit.ingest import load_articles
from toolkit.brief import build_brief
from toolkit.facts import read_sentences
from toolkit.verify.facts import fact_check
from toolkit.verify import (ATTRIBUTION_DROPPED, HEDGE_CHANGED, NUMBER_MOVED, ROLES_SWAPPED,
                            STITCHED, content_words, names, word_check)

EDIT_REASONS = (NUMBER_MOVED, HEDGE_CHANGED, ROLES_SWAPPED, ATTRIBUTION_DROPPED, STITCHED)
QUANT = re.compile(r"\b(more than|over|at least|nearly|almost|about|around|approximately|up to|fewer than|"
                   r"less than) (?=\d)", re.I)
BARE = re.compile(r"(?<![\w$.,:+])(\d[\d,]*)(?= [a-z])")
HEDGED = re.compile(r"(?:than|over|least|nearly|almost|about|around|approximately|to|some|under|below|above) $", re.I)
YEARISH = re.compile(r"^(1[89]|20)\d\d$")
MONTHS = re.compile(r"January|February|March|April|May|June|July|August|September|October|November|December")
SAID_FIRST = re.compile(r"^(?:[A-Z][\w'.-]*\s+){0,6}(?:said|says|told reporters|announced)\s+(?:that\s+)?(.{20,})$")
SAID_LAST = re.compile(r"^(.{20,}?),\s+(?:[\w'.-]+\s+){1,6}(?:said|says)(?:\s+on\s+\w+)?\.$")
NAME = r"(?:[A-Z][\w.-]+ ){0,2}[A-Z][\w.-]+"
ROLE = re.compile(rf"(?<![\w,] )\b({NAME}) ([a-z]{{3,}}ed) (?:the )?({NAME})\b")
SYMMETRIC = {"met", "joined", "signed", "talked", "clashed", "battled", "partnered"}
CALENDAR = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|" + MONTHS.pattern)


def edits(sentence: str) -> list[tuple[str, str]]:
    """(intended reason, edited sentence) made mechanically from one sentence."""
    out = []
    m = QUANT.search(sentence)
    if m:
        out.append((HEDGE_CHANGED, sentence[:m.start()] + sentence[m.end():]))
    for m in BARE.finditer(sentence):
        if (not YEARISH.match(m.group(1)) and not MONTHS.search(sentence[max(0, m.start() - 10):m.end() + 10])
                and not HEDGED.search(sentence[:m.start()])):
            out.append((HEDGE_CHANGED, sentence[:m.start()] + "more than " + sentence[m.start():]))
            break
    # Counts of things: digits followed by a lower-case word, no years or dates.
    nums = [m for m in BARE.finditer(sentence)
            if not YEARISH.match(m.group(1)) and not MONTHS.search(sentence[max(0, m.start() - 10):m.end() + 10])]
    # A range ("between 5 and 10", "5 to 10") is not two attachments.
    if (len(nums) >= 2 and nums[0].group() != nums[1].group()
            and not re.fullmatch(r"\s*\S*\s*(?:and|to|or|-)\s*\S*\s*", sentence[nums[0].end():nums[1].start()])):
        a, b = nums[0], nums[1]
        out.append((NUMBER_MOVED, sentence[:a.start()] + b.group() + sentence[a.end():b.start()] + a.group()
                    + sentence[b.end():]))
    m = SAID_FIRST.match(sentence)
    if m:
        rest = m.group(1)
        out.append((ATTRIBUTION_DROPPED, rest[0].upper() + rest[1:]))
    else:
        m = SAID_LAST.match(sentence)
        if m:
            out.append((ATTRIBUTION_DROPPED, m.group(1).strip() + "."))
    m = next((m for m in ROLE.finditer(sentence)
              if m.group(1) != m.group(3) and m.group(2) not in SYMMETRIC
              and not CALENDAR.search(m.group(1) + m.group(3))
              # both sides are names, not a capitalised "If" or "As"
              and all(names("x " + g.split()[0]) for g in (m.group(1), m.group(3)))), None)
    if m:
        out.append((ROLES_SWAPPED, sentence[:m.start()] + f"{m.group(3)} {m.group(2)} {m.group(1)}"
                    + sentence[m.end():]))
        # The same fact in the passive must pass.
        out.append(("", sentence[:m.start()] + f"{m.group(3)} was {m.group(2)} by {m.group(1)}"
                    + sentence[m.end():]))
    return out


class Tally:
    """Counts of the mechanical edits and stitches on one data set."""

    def __init__(self) -> None:
        self.made: Counter[str] = Counter()
        self.caught: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()
        self.other: Counter[str] = Counter()
        self.self_fail = 0
        self.sources = 0

    def add(self, want: str, kind: str, reason: str, text: str, verbose: bool) -> None:
        self.made[kind] += 1
        self.rejected[kind] += bool(reason)
        if reason == want:
            self.caught[kind] += 1
        else:
            self.other[f"{kind} -> {reason or 'supported'}"] += 1
            if verbose:
                print(f"  {kind} got {reason or 'supported'}: {text}")

    def report(self, title: str) -> None:
        print(f"{title}: mechanical edits of {self.sources} sentences (unedited sentence failing itself: "
              f"{self.self_fail})")
        for want in EDIT_REASONS:
            if self.made[want]:
                print(f"  {want:20} caught {self.caught[want]}/{self.made[want]} (rejected for any reason "
                      f"{self.rejected[want]}/{self.made[want]})")
        for kind in ("passive", "conjoined"):
            if self.made[kind]:
                print(f"  {kind + ' rewording':20} passed {self.caught[kind]}/{self.made[kind]}")
        if self.other:
            print(f"  not caught by the intended check: {dict(self.other)}")


def trials(english: dict[str, str], doc_of: dict[str, str], sim, tally: Tally, verbose: bool) -> None:
    """Mechanical edits of every sentence, and stitches of unrelated
    sentences from different documents, into `tally`."""
    ids = list(english)
    # Stitches: the first half of one sentence and the second half of an
    # unrelated one from another document (similarity below 0.3), citing
    # both; and the two whole sentences joined with "; and", which must pass.
    long = [k for k, i in enumerate(ids) if len(english[i].split()) >= 10]
    for k in long:
        far = [j for j in long if doc_of[ids[j]] != doc_of[ids[k]] and sim[k, j] < 0.3]
        if not far:
            continue
        j = far[(k * 7) % len(far)]
        a, b = english[ids[k]].split(), english[ids[j]].split()
        head, tail = " ".join(a[:len(a) // 2]), " ".join(b[len(b) // 2:])
        tries = [("", "conjoined", english[ids[k]].rstrip(".") + "; and " + english[ids[j]])]
        # Each half must bring three content words of its own, so that the
        # stitch is a claim and not a fragment glued to a sentence.
        if min(len(content_words(head) - content_words(tail)),
               len(content_words(tail) - content_words(head))) >= 3:
            tries.append((STITCHED, STITCHED, head + " " + tail))
        cited = [english[ids[k]], english[ids[j]]]
        for want, kind, text in tries:
            reason, _ = word_check(text, " ".join(cited), cited=cited, closest=cited[0], strict=False,
                                   similar=lambda x, y, c=(k, j): float(sim[c[x], c[y]]))
            tally.add(want, kind, reason, text, verbose)
    made = {text: edits(text) for text in english.values()}
    reading = readings([*made, *(edited for pairs in made.values() for _, edited in pairs)])
    for text, made_here in made.items():
        if not made_here:
            continue
        tally.sources += 1
        if checked(text, text, reading):
            tally.self_fail += 1
        for want, edited in made_here:
            tally.add(want, want or "passive", checked(edited, text, reading), f"{edited}\n      from {text}", verbose)


def readings(texts: list[str]) -> dict[str, object]:
    """The fact layer's reading of each text (cached by the toolkit)."""
    texts = list(dict.fromkeys(texts))
    return dict(zip(texts, read_sentences(texts)))


def checked(text: str, source: str, reading: dict[str, object]) -> str:
    """The checker's reason for `text` citing `source` alone (lenient), as
    `verify_sentences` with the fact layer decides once the similarity
    checks pass: the word checks, then the fact checks."""
    reason, _ = word_check(text, source, closest=source, cited=[source], strict=False)
    return reason or fact_check(reading[text], [reading[source]])[0]


def main() -> None:
    verbose = "-v" in sys.argv
    offline_model()
    embedder = Embedder()
    clusters = sorted(p for p in (SHARED / "multidoc").iterdir() if (p / "en").is_dir())
    dropped: Counter[str] = Counter()
    shown = 0
    pairs = 0
    fired: Counter[str] = Counter()
    tally = Tally()
    for cluster in clusters:
        articles = load_articles([str(p) for p in sorted((cluster / "en").glob("*.txt"))])
        english = {s.id: s.text for a in articles for s in a.sentences if s.kind != "heading"}
        brief = build_brief(articles, english, embedder=embedder, sentences=20)
        shown += len(brief.sentences)
        for d in brief.manifest.get("dropped", []):
            dropped[d["reason"]] += 1
            if verbose and d["reason"] in EDIT_REASONS:
                print(f"  brief drop {d['reason']}: {d['text']} ({d['detail']})")
        ids = list(english)
        vecs = embedder.encode([english[i] for i in ids])
        sim = vecs @ vecs.T
        for k, i in enumerate(ids):
            others = [j for j in range(len(ids)) if ids[j].split(".")[0] != i.split(".")[0]]
            if not others:
                continue
            j = max(others, key=lambda j: sim[k, j])
            if sim[k, j] < 0.75:
                continue
            pairs += 1
            reason, detail = word_check(english[i], english[ids[j]], closest=english[ids[j]],
                                        cited=[english[ids[j]]], strict=False)
            if not reason:
                both = readings([english[i], english[ids[j]]])
                reason, detail = fact_check(both[english[i]], [both[english[ids[j]]]])
            if reason in EDIT_REASONS:
                fired[reason] += 1
                if verbose:
                    print(f"  pair {reason}: {english[i]}\n      vs {english[ids[j]]}\n      ({detail})")
        trials(english, {i: i.split(".")[0] for i in english}, sim, tally, verbose)
    print(f"multidoc extractive briefs (5 clusters x 20): {shown} shown, dropped {sum(dropped.values())} "
          f"{dict(dropped)}")
    print(f"multidoc near pairs (similarity >= 0.75, other article): {pairs}; edit checks fired: {dict(fired)}")
    tally.report("multidoc")
    # FLORES-200 devtest English: sentences of 281 Wikinews/Wikivoyage/
    # Wikibooks documents, never looked at while writing the checks.
    flores = SHARED / "refdata" / "flores200-devtest"
    lines = (flores / "flores200-devtest.eng_Latn.txt").read_text(encoding="utf-8").splitlines()
    docs = [row.split("\t")[0] for row in
            (flores / "flores200-devtest.docids.tsv").read_text(encoding="utf-8").splitlines()]
    english = {str(n): line for n, line in enumerate(lines)}
    vecs = embedder.encode(lines)
    held = Tally()
    trials(english, {str(n): d for n, d in enumerate(docs)}, vecs @ vecs.T, held, "-vv" in sys.argv)
    held.report("FLORES-200 devtest English (held out)")


if __name__ == "__main__":
    main()

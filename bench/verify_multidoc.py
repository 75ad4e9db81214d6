"""The citation checker's edit checks on news it was not written on.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/verify_multidoc.py [-v]

Uses the English articles of the five ../shared/multidoc clusters (never
used to write or tune the checks). Prints

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
   past-tense verb; how many the intended check catches, and how many the
   unedited sentence fails against itself (must be 0).
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.embed import Embedder  # noqa: E402
from toolkit.ingest import load_articles  # noqa: E402
from toolkit.summarize import build_brief  # noqa: E402
from toolkit.verify import (ATTRIBUTION_DROPPED, HEDGE_CHANGED, NUMBER_MOVED, ROLES_SWAPPED,  # noqa: E402
                            STITCHED, word_check)

EDIT_REASONS = (NUMBER_MOVED, HEDGE_CHANGED, ROLES_SWAPPED, ATTRIBUTION_DROPPED, STITCHED)
QUANT = re.compile(r"\b(more than|over|at least|nearly|almost|about|around|approximately|up to|fewer than|"
                   r"less than) (?=\d)", re.I)
BARE = re.compile(r"(?<![\w$.,:+])(\d[\d,]*)(?= [a-z])")
HEDGED = re.compile(r"(?:than|over|least|nearly|almost|about|around|approximately|to|some|under|below|above) $", re.I)
YEARISH = re.compile(r"^(1[89]|20)\d\d$")
MONTHS = re.compile(r"January|February|March|April|May|June|July|August|September|October|November|December")
SAID_FIRST = re.compile(r"^(?:[A-Z][\w'.-]*\s+){0,6}(?:said|says|told reporters|announced)\s+(?:that\s+)?(.{20,})$")
SAID_LAST = re.compile(r"^(.{20,}?),\s+(?:[\w'.-]+\s+){1,6}(?:said|says)(?:\s+on\s+\w+)?\.$")
ROLE = re.compile(r"\b([A-Z][a-z]{2,}) ([a-z]{3,}ed) ([A-Z][a-z]{2,})\b")
SYMMETRIC = {"met", "joined", "signed", "talked", "clashed", "battled", "partnered"}


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
    m = ROLE.search(sentence)
    if m and m.group(1) != m.group(3) and m.group(2) not in SYMMETRIC:
        out.append((ROLES_SWAPPED, sentence[:m.start()] + f"{m.group(3)} {m.group(2)} {m.group(1)}"
                    + sentence[m.end():]))
    return out


def main() -> None:
    verbose = "-v" in sys.argv
    embedder = Embedder()
    clusters = sorted(p for p in (REPO.parent / "shared" / "multidoc").iterdir() if (p / "en").is_dir())
    dropped: Counter[str] = Counter()
    shown = 0
    pairs = 0
    fired: Counter[str] = Counter()
    made: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    other: Counter[str] = Counter()
    self_fail = 0
    sources = 0
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
            if reason in EDIT_REASONS:
                fired[reason] += 1
                if verbose:
                    print(f"  pair {reason}: {english[i]}\n      vs {english[ids[j]]}\n      ({detail})")
        for text in english.values():
            made_here = edits(text)
            if not made_here:
                continue
            sources += 1
            if word_check(text, text, closest=text, cited=[text], strict=False)[0]:
                self_fail += 1
            for want, edited in made_here:
                made[want] += 1
                reason, detail = word_check(edited, text, closest=text, cited=[text], strict=False)
                if reason == want:
                    caught[want] += 1
                else:
                    other[f"{want} -> {reason or 'supported'}"] += 1
                    if verbose:
                        print(f"  edit {want} got {reason or 'supported'}: {edited}\n      from {text}")
    print(f"extractive briefs (5 clusters x 20): {shown} shown, dropped {sum(dropped.values())} "
          f"{dict(dropped)}")
    print(f"near pairs (similarity >= 0.75, other article): {pairs}; edit checks fired: {dict(fired)}")
    print(f"mechanical edits of {sources} sentences (unedited sentence failing itself: {self_fail}):")
    for want in EDIT_REASONS:
        if made[want]:
            print(f"  {want:20} caught {caught[want]}/{made[want]}")
    if other:
        print(f"  not caught by the intended check: {dict(other)}")


if __name__ == "__main__":
    main()

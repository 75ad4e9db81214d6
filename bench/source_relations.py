"""Copies counted once and disagreements found: the brief's source relations
on the development clusters and the seed story.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 \\
        .venv/bin/python bench/source_relations.py [--clusters ../shared/multidoc] [--seeds ../shared/seeds]

Stories: each MultiLing 2011 cluster read as ten English sources (as
bench/brief_quality.py reads them), and the five Arabic seed articles with
the English of refs/. Every brief is at the default length.

(a) Copies. For each article of each story, the brief is made again with a
    verbatim copy of it added, and again with an edited copy (another
    headline, the first paragraph replaced, one word dropped from every
    fourth sentence); the table counts the briefs in which a sentence's
    count of independent sources, the number of sources, or the set of key
    points changed, and the copies not recognised. Copy recognition alone
    (no brief) is also run on the Arabic articles of the clusters, and
    every pair of original articles is checked for a false copy.
(b) Injected disagreements. In facts that two sources share (one sentence
    states the other's point), one source's sentence is changed: a number
    they both give (raised by a third), a day of the week they both give
    (the next day), or a name they both give after "in", "at", "from" or
    "to" (another name of the story). Up to --per-kind changes of each kind
    per story go into one brief, each in another pair of sentences. An
    injection is found when a "Sources differ" entry that the untouched
    brief lacks holds the changed sentence (against its partner or another
    sentence giving the old value); precision is the share of such new
    entries that hold a changed sentence.
(c) False disagreements: the "Sources differ" entries of the untouched
    briefs.
(b) and (c) read the articles with their dates removed: they measure
    contradictions, and with dates a count that a later source gives
    otherwise is an update, shown under the figures instead.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from decimal import Decimal
from pathlib import Path

from common import SHARED, cluster_dirs, english_articles, offline_model, seed_story

NEW_HEADLINE = {"en": "Latest: what we know so far", "ar": "آخر التطورات: ما نعرفه حتى الآن"}
# A first paragraph written for the edited copy, in each language (the
# English is what a translation of the Arabic would read).
NEW_LEAD = {"en": "Our correspondent sends this report on the latest developments of the story.",
            "ar": "يرسل مراسلنا هذا التقرير عن آخر تطورات القصة."}
NEW_LEAD_EN = "Our correspondent sends this report on the latest developments of the story."
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()


class MemoEmbedder:
    """The embedder, each text encoded once for the whole bench."""

    def __init__(self, inner):
        self.inner = inner
        self.memo: dict[str, object] = {}
        self.model = getattr(inner, "model", "")

    def encode(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            for t, v in zip(todo, self.inner.encode(todo)):
                self.memo[t] = np.asarray(v)
        return np.stack([self.memo[t] for t in texts]) if texts else np.zeros((0, 1))

    def __getattr__(self, name):
        return getattr(self.inner, name)


def stories(clusters: Path, seeds: Path):
    """(name, articles, english) of each story."""
    out = [(c.name, *english_articles(c / "en")) for c in cluster_dirs(clusters)]
    if seeds.is_dir():
        out.append(("seeds", *seed_story(seeds)))
    return out


def renumbered(article, number: int, texts: list[tuple[str, str, str]]):
    """A new article numbered `number` from (kind, text, English) rows, its
    text the rows joined by newlines; returns (article, English by ID)."""
    from toolkit.records import Sentence

    sentences, english, parts, at = [], {}, [], 0
    for k, (kind, text, en) in enumerate(texts, 1):
        sid = f"{number}.{k}"
        sentences.append(Sentence(sid, number, k, text, at, at + len(text), kind=kind))
        english[sid] = en
        parts.append(text)
        at += len(text) + 1
    art = dataclasses.replace(article, number=number, source=f"{article.source}.copy{number}",
                              text="\n".join(parts), sentences=tuple(sentences), copy_of=None)
    return art, english


def verbatim_copy(article, english, number):
    return renumbered(article, number, [(s.kind, s.text, english[s.id]) for s in article.sentences])


def edited_copy(article, english, number):
    from toolkit.records import HEADING, SENTENCE

    lang = article.language if article.language in NEW_LEAD else "en"
    rows = [(s.kind, s.text, english[s.id]) for s in article.sentences]
    if rows and rows[0][0] == HEADING:
        rows[0] = (HEADING, NEW_HEADLINE[lang], NEW_HEADLINE["en"])
    else:
        rows.insert(0, (HEADING, NEW_HEADLINE[lang], NEW_HEADLINE["en"]))
    first = next((k for k, r in enumerate(rows) if r[0] == SENTENCE), None)
    if first is not None:
        rows[first] = (SENTENCE, NEW_LEAD[lang], NEW_LEAD_EN)
    for k in range(first + 4 if first is not None else 4, len(rows), 4):
        kind, text, en = rows[k]
        words = text.split()
        if kind == SENTENCE and len(words) > 6:
            # The Arabic (or English) source loses a word; its English keeps
            # the translation, as a translator would smooth the edit over.
            rows[k] = (kind, " ".join(words[:2] + words[3:]), en if lang == "ar" else " ".join(
                en.split()[:2] + en.split()[3:]))
    return renumbered(article, number, rows)


def brief_facts(brief):
    """{key-point text}, {text: independent sources}, total sources."""
    keys = {b.text for b in brief.sentences if b.section == "key"}
    counts = {b.text: b.independent_sources for b in brief.sentences}
    return keys, counts, brief.total_sources


def copies_bench(stories_, embedder) -> list[tuple]:
    from toolkit.brief import build_brief

    rows = []
    for name, arts, english in stories_:
        base = brief_facts(build_brief(arts, english, embedder=embedder))
        tallies = {"verbatim": [0, 0, 0, 0, 0], "edited": [0, 0, 0, 0, 0]}
        for art in arts:
            for kind, make in (("verbatim", verbatim_copy), ("edited", edited_copy)):
                copy, eng = make(art, english, len(arts) + 1)
                brief = build_brief(arts + [copy], {**english, **eng}, embedder=embedder)
                keys, counts, total = brief_facts(brief)
                t = tallies[kind]
                t[0] += 1
                t[1] += any(counts.get(text, 0) > n for text, n in base[1].items()) or total > base[2]
                t[2] += keys != base[0]
                t[3] += str(copy.number) not in brief.manifest.get("copies", {})
                t[4] += total != base[2]
        for kind, t in tallies.items():
            rows.append((name, kind, *t))
    return rows


def detection_bench(clusters: Path, seeds: Path) -> list[tuple]:
    """Copy recognition without a brief: (story, articles, false copies
    among the originals, verbatim copies missed, edited copies missed)."""
    from toolkit.brief.copies import find_copies
    from toolkit.ingest import load_articles

    sets = [(f"{c.name}/{lang}", sorted((c / lang).glob("*.txt"))) for c in cluster_dirs(clusters)
            for lang in ("en", "ar")]
    sets.append(("seeds", sorted(seeds.glob("*.txt"))))
    rows = []
    for name, paths in sets:
        arts = load_articles([str(p) for p in paths])
        english = {s.id: s.text for a in arts for s in a.sentences}
        false = len(find_copies(arts, english))
        missed = {"verbatim": 0, "edited": 0}
        for art in arts:
            for kind, make in (("verbatim", verbatim_copy), ("edited", edited_copy)):
                copy, eng = make(art, english, len(arts) + 1)
                found = find_copies(arts + [copy], {**english, **eng})
                missed[kind] += found.get(copy.number) != art.number
        rows.append((name, len(arts), false, missed["verbatim"], missed["edited"]))
    return rows


def _numbers(text):
    from toolkit.text.numbers import TOKEN, number_spans

    found = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]
    spans = number_spans([("num" if f[0][:1].isdigit() else "word", f[0]) for f in found])
    return [(v, found[s][1], found[e - 1][2]) for v, s, e in spans if found[s][0][:1].isdigit()]


def _names(text):
    import re

    out = []
    for m in re.finditer(r"\b(in|at|from|to)\s+(?:the\s+)?([A-Z][a-z]+(?:\s+(?:de\s+)?[A-Z][a-z]+)*)", text):
        out.append((m.group(2), m.start(2), m.end(2)))
    return out


def inject(kind: str, mine: str, theirs: str, story_names: list[str]) -> str | None:
    """`theirs` with one value that `mine` also gives changed, or None."""
    if kind == "number":
        mine_values = {v for v, _, _ in _numbers(mine)}
        for v, s, e in _numbers(theirs):
            if v in mine_values and "." not in v and len(v) < 6:
                new = int(Decimal(v)) + max(1, int(Decimal(v)) // 3)
                return theirs[:s] + f"{new:,}" + theirs[e:]
        return None
    if kind == "day":
        low = mine.lower()
        for k, day in enumerate(WEEKDAYS):
            at = theirs.find(day.capitalize())
            if at >= 0 and day in low:
                return theirs[:at] + WEEKDAYS[(k + 1) % 7].capitalize() + theirs[at + len(day):]
        return None
    mine_names = {n for n, _, _ in _names(mine)}
    for n, s, e in _names(theirs):
        if n in mine_names:
            other = next((x for x in story_names if x not in mine and x not in theirs), None)
            if other:
                return theirs[:s] + other + theirs[e:]
    return None


def disagreement_bench(stories_, embedder, per_kind: int, show: bool = False) -> tuple[list[tuple], list[tuple]]:
    import numpy as np

    from toolkit.brief import brief_units, build_brief
    from toolkit.brief.points import point_matrix
    from toolkit.records import Published

    found_rows, false_rows = [], []
    for name, dated_arts, english in stories_:
        # Undated, as the section measures contradictions: with their dates a
        # later count that differs is an update (shown under the figures).
        arts = [dataclasses.replace(a, published=Published()) for a in dated_arts]
        base = build_brief(arts, english, embedder=embedder)
        false_rows.append((name, len(base.disagreements), [f.about for f in base.disagreements]))
        before = {_signature(f) for f in base.disagreements}
        units, _ = brief_units(arts, english)
        raw = np.asarray(embedder.encode([u.text for u in units]), dtype=np.float64)
        raw /= np.linalg.norm(raw, axis=1, keepdims=True)
        points = point_matrix(units, raw)
        story_names = sorted({n for u in units for n, _, _ in _names(u.text)})
        for kind in ("number", "day", "name"):
            changed: dict[str, str] = {}
            pairs: list[tuple[str, str]] = []
            used: set[int] = set()
            for i, j in zip(*np.nonzero(points)):
                i, j = int(i), int(j)
                if len(pairs) >= per_kind or i in used or j in used or units[i].article == units[j].article:
                    continue
                new = inject(kind, units[i].text, units[j].text, story_names)
                if new is not None and new != units[j].text:
                    changed[units[j].id] = new
                    pairs.append((units[i].id, units[j].id))
                    used.update((i, j))
            if not pairs:
                continue
            brief = build_brief(arts, {**english, **changed}, embedder=embedder)
            new_facts = [f for f in brief.disagreements if _signature(f) not in before]
            # Found: a new entry puts the changed sentence against another
            # source (its partner, or another sentence giving the old value).
            hits = sum(1 for _, b in pairs if any(_holds(f, b) for f in new_facts))
            if show:
                for a, b in pairs:
                    if not any(_holds(f, b) for f in new_facts):
                        print(f"missed {name} {kind}: {a} {english[a]!r}\n    {b} {changed[b]!r}")
                for f in new_facts:
                    if not any(_holds(f, b) for b in changed):
                        print(f"wrong {name} {kind}: {f.about!r} " + " | ".join(
                            f"{v.shown}: {v.citations}" for v in f.versions))
            right = sum(1 for f in new_facts if any(_holds(f, b) for b in changed))
            found_rows.append((name, kind, len(pairs), hits, len(new_facts), right))
    return found_rows, false_rows


def _signature(fact):
    return tuple(sorted(tuple(sorted(v.citations)) for v in fact.versions))


def _holds(fact, sid: str) -> bool:
    return any(sid in v.citations for v in fact.versions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=Path, default=SHARED / "multidoc")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    parser.add_argument("--per-kind", type=int, default=4, help="injected changes of each kind per story")
    parser.add_argument("--skip-copies", action="store_true", help="skip the briefs with copies added")
    parser.add_argument("--show", action="store_true", help="print each injected change that was not found")
    args = parser.parse_args()
    if not args.clusters.is_dir():
        sys.exit(f"{args.clusters} is missing")
    offline_model(cache=True)
    from toolkit.embed import Embedder

    embedder = MemoEmbedder(Embedder())
    stories_ = stories(args.clusters, args.seeds)

    print("Copy recognition (no brief)")
    print(f"{'story':10} {'articles':>8} {'false copies':>12} {'verbatim missed':>15} {'edited missed':>13}")
    for row in detection_bench(args.clusters, args.seeds):
        print(f"{row[0]:10} {row[1]:8d} {row[2]:12d} {row[3]:15d} {row[4]:13d}")

    found, false = disagreement_bench(stories_, embedder, args.per_kind, args.show)
    print("\n(c) False disagreements in untouched briefs")
    for name, n, abouts in false:
        print(f"{name:10} {n}")
        for a in abouts:
            print(f"           {a}")
    print("\n(b) Injected disagreements")
    print(f"{'story':10} {'kind':7} {'injected':>8} {'found':>5} {'new entries':>11} {'right':>5}")
    for row in found:
        print(f"{row[0]:10} {row[1]:7} {row[2]:8d} {row[3]:5d} {row[4]:11d} {row[5]:5d}")
    injected, hits = sum(r[2] for r in found), sum(r[3] for r in found)
    new, right = sum(r[4] for r in found), sum(r[5] for r in found)
    print(f"recall {hits}/{injected} = {hits / max(injected, 1):.3f}   "
          f"precision {right}/{new} = {right / max(new, 1):.3f}")
    for kind in ("number", "day", "name"):
        rows = [r for r in found if r[1] == kind]
        print(f"  {kind:7} recall {sum(r[3] for r in rows)}/{sum(r[2] for r in rows)}  "
              f"precision {sum(r[5] for r in rows)}/{sum(r[4] for r in rows)}")

    if not args.skip_copies:
        print("\n(a) Copies added (one brief per copy)")
        print(f"{'story':10} {'copy':8} {'briefs':>6} {'count raised':>12} {'key points changed':>18} "
              f"{'not recognised':>14} {'total changed':>13}")
        for row in copies_bench(stories_, embedder):
            print(f"{row[0]:10} {row[1]:8} {row[2]:6d} {row[3]:12d} {row[4]:18d} {row[5]:14d} {row[6]:13d}")


if __name__ == "__main__":
    main()

"""One brief across several articles about one story (see the package's
docstring for the steps)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..errors import InputError
from ..records import Article, Brief, BriefSentence, Flag
from .render import KEY, QUOTE, SINGLE, sources_table
from .english import candidates, clarity, is_clear
from .quotes import quote_of, speaker_of
from .salience import concept_weights, concepts, lead_units, reader_words, select_sentences
from .order import main_event
from .points import CITE_SIMILARITY, claim_rarity, point_matrix, supporters
from .copies import copy_groups, find_copies, independent_sources, shared_sentences
from .differ import DIFFER_SIMILARITY, conflict, conflicting_units, fact_versions
from .versions import DISAGREEMENT, UPDATE, original_of


DEFAULT_SENTENCES = 8


def brief_length(sentences: int | None, words: int | None) -> tuple[int | None, int | None]:
    """The brief's length (sentences, words) from what was asked: one of the
    two, or DEFAULT_SENTENCES; InputError for both or for less than 1."""
    if sentences is not None and words is not None:
        raise InputError("give --sentences or --words, not both")
    if sentences is not None and sentences < 1:
        raise InputError(f"--sentences must be at least 1, got {sentences}")
    if words is not None and words < 1:
        raise InputError(f"--words must be at least 1, got {words}")
    if sentences is None and words is None:
        sentences = DEFAULT_SENTENCES
    return sentences, words


def _section(sources: int, total: int, quote: str, speaker: str) -> str:
    if total == 1 or sources > 1:
        return KEY
    return QUOTE if quote and speaker else SINGLE


def build_brief(articles: Sequence[Article], english: Mapping[str, str], *,
                flags: Mapping[str, Sequence[Flag]] | None = None, sentences: int | None = None,
                words: int | None = None, embedder: Any = None,
                manifest: Mapping[str, Any] | None = None) -> Brief:
    """The extractive brief of `articles` from the English of their
    sentences (`english`: sentence ID -> English; `flags`: translation flags
    per ID). Length: `sentences` brief sentences or at most `words` words,
    counted with `reader_words`; by default DEFAULT_SENTENCES, and more
    where every fact that FORCE_SOURCES sources state and every article's
    lead claim need them (`select_sentences` with ``complete``).
    `embedder`: anything with ``encode(texts)`` (default
    `toolkit.embed.Embedder()`). `manifest` entries (for example how the
    English was made) are carried into the brief's manifest.

    Raises InputError when not one source sentence fits in `words`."""
    import numpy as np

    from ..embed import describe, get_embedder
    from ..verify import SUPPORT_THRESHOLD, verify_sentences

    if not articles:
        raise InputError("no articles to summarise")
    n_sent, n_words = brief_length(sentences, words)
    # Only a default-length brief grows to what the story needs; a length
    # the user asked for is a hard limit.
    complete = sentences is None and words is None
    empty = [a.source for a in articles if not a.sentences]
    if empty:
        raise InputError("article has no sentences", empty[0])
    # A copy (the same text republished) is cited beside its original but
    # never counted, weighted or chosen: adding one changes no count and no
    # key point.
    found = find_copies(articles, english)
    articles = [replace(a, copy_of=found[a.number]) if a.copy_of is None and a.number in found else a
                for a in articles]
    originals = original_of(articles)
    total = len(set(originals.values()))
    every, skipped = candidates(articles, english, flags)
    units = [u for u in every if originals[u.article] == u.article]
    copied = [u for u in every if originals[u.article] != u.article]
    warnings: list[str] = []
    info: dict[str, Any] = {
        "method": "extractive",
        **dict(manifest or {}),
        "budget": {"sentences": n_sent, "words": n_words},
        "sources": sources_table(articles, english),
        "candidates": len(units),
        "skipped": {k: v for k, v in skipped.items() if v},
    }
    if total == 1:
        warnings.append("only one source: no fact can be corroborated")
    emb = get_embedder(embedder)
    if not units:
        warnings.append("no complete sentences to summarise")
        info.update(embedder=describe(emb), dropped=[])
        return Brief((), total, info, tuple(warnings))
    if n_words is not None:
        shortest = min(reader_words(u.text) for u in units)
        if shortest > n_words:
            raise InputError(f"no source sentence fits in {n_words} words (the shortest has {shortest}); "
                             "raise --words")

    vectors = np.asarray(emb.encode([u.text for u in units + copied]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    raw_all = vectors / np.where(norms == 0, 1.0, norms)
    n = len(units)
    raw = raw_all[:n]
    concept_sets = [concepts(u.text) for u in units]
    weights = concept_weights(concept_sets, [u.article for u in units])
    points_all = point_matrix(units + copied, raw_all, claim_rarity([u.text for u in units]))
    points = points_all[:n, :n]
    groups = copy_groups(articles, shared_sentences(articles, english, [u.id for u in every]))
    facts = fact_versions(units, points, originals, {a.number: a.published.date for a in articles},
                          similar=raw @ raw.T >= DIFFER_SIMILARITY)
    contested = conflicting_units(facts)

    def support(i: int) -> list[int]:
        # A source that gives the fact another value does not corroborate it.
        return [j for j in supporters(units, points, i) if units[j].id not in contested.get(units[i].id, ())]

    def independent(cited: Sequence[Any]) -> int:
        return independent_sources([(c.id, c.article) for c in cited], originals, groups)

    counts = [independent([units[i]] + [units[j] for j in support(i)]) for i in range(n)]
    event = main_event(units, raw, points, lead_units(units))
    picked = select_sentences(units, concept_sets, weights, points, limit=n_sent, word_budget=n_words,
                              complete=complete, sources=counts, first=event)
    # The main event leads its section whatever the count of its sources.
    lead = picked[0] if picked and picked[0] in event else None
    if lead is not None:
        info["main_event"] = units[lead].id
    if complete:
        info["budget"]["added"] = max(0, len(picked) - n_sent)
    info.update(embedder=describe(emb), concepts=len(weights), cite_similarity=CITE_SIMILARITY,
                corroborated=sum(1 for i in range(len(units)) if supporters(units, points, i)),
                copies={str(a.number): a.copy_of for a in articles if a.copy_of is not None},
                shared_sentences=sum(1 for sid, root in groups.items() if sid != root))
    # What a copy says that its original does not (a new first paragraph)
    # is not summarised: said, never silently dropped.
    texts_of: dict[int, set[str]] = {}
    for u in units:
        texts_of.setdefault(u.article, set()).add(groups[u.id])
    own = {str(a): [u.id for u in copied if u.article == a and groups[u.id] not in texts_of.get(originals[a], ())]
           for a in sorted({u.article for u in copied})}
    own = {a: ids for a, ids in own.items() if ids}
    if own:
        info["copy_own_sentences"] = own
        warnings.append(f"{sum(map(len, own.values()))} sentence(s) of article(s) {', '.join(own)} that copy "
                        "another are not in their original and are not summarised (see manifest "
                        "'copy_own_sentences')")

    plan: list[tuple[str, str, tuple[str, ...], str, int, int]] = []
    # A clearer sentence shown for a point may be longer; a word limit
    # asked for still holds.
    spare = None if n_words is None else n_words - sum(reader_words(units[i].text) for i in picked)
    for rank, i in enumerate(picked):
        backing = support(i)
        if spare is not None:
            backing_fit = [j for j in backing
                           if reader_words(units[j].text) - reader_words(units[i].text) <= spare]
        else:
            backing_fit = backing
        # A sentence that also states another point of the brief would say
        # that twice.
        elsewhere = {j for k in picked if k != i for j in [k, *support(k)]}
        u = units[_clearest(units, raw, i, [j for j in backing_fit if j not in elsewhere and not any(
            points[k, j] or points[j, k] for k in picked if k != i)])]
        if spare is not None:
            spare -= reader_words(u.text) - reader_words(units[i].text)
        cited = [units[i]] + [units[j] for j in backing]
        if u is not units[i]:
            cited.append(u)
        # A copy's sentence stating the point is cited with its original.
        bases = {c.article for c in cited}
        cited += [copied[k] for k in points_all[i, n:].nonzero()[0]
                  if originals[copied[k].article] in bases and conflict(units[i].text, copied[k].text) is None]
        cited = list({c.id: c for c in cited}.values())
        ids = tuple(c.id for c in sorted(cited, key=lambda c: (c.article, c.order)))
        n_sources = independent(cited)
        quote = quote_of(u.text)
        who = ""
        if quote:
            prev = [english[s.id] for a in articles if a.number == u.article
                    for s in a.sentences[:u.order] if s.id in english]
            who = speaker_of(u.text, prev)
        # The main event is a key point however many sources word it alike.
        section = KEY if rank == 0 and lead is not None else _section(n_sources, total, quote, who)
        plan.append((section, u.text, ids, who, n_sources, rank))
    # Key points: the main event, then most sources first, then in order of
    # value; the other sections in order of value.
    order = {KEY: 0, QUOTE: 1, SINGLE: 2}
    plan.sort(key=lambda p: (order[p[0]], not (lead is not None and p[5] == 0), -p[4] if p[0] == KEY else 0, p[5]))
    articles_of = {u.id: u.article for u in every}
    checked = verify_sentences([(text, ids) for _, text, ids, _, _, _ in plan], english,
                               articles_of=articles_of, embedder=emb)
    out: list[BriefSentence] = []
    dropped: list[dict[str, Any]] = []
    for (section, _, _, who, _, _), verdict in zip(plan, checked):
        if not verdict.supported:
            dropped.append({"text": verdict.text, "ids": list(verdict.ids),
                            "reason": getattr(verdict, "reason", "unsupported"),
                            "detail": getattr(verdict, "detail", ""), "support": verdict.support})
            continue
        out.append(BriefSentence(verdict.text, verdict.citations, verdict.sources, True, section=section,
                                 speaker=who if section == QUOTE else "", support=verdict.support,
                                 independent_sources=independent(verdict.citations)))
    if dropped:
        warnings.append(f"{len(dropped)} brief sentence(s) failed the citation check and are not shown "
                        "(see manifest 'dropped')")
    info.update(support_threshold=SUPPORT_THRESHOLD, dropped=dropped)
    return Brief(tuple(out), total, info, tuple(warnings),
                 figures=tuple(f for f in facts if f.kind == UPDATE),
                 disagreements=tuple(f for f in facts if f.kind == DISAGREEMENT))


def _clearest(units: Sequence[Any], raw: Any, i: int, backing: Sequence[int]) -> int:
    """The sentence to show for the point of unit `i`: `i` itself when a
    reader can take it on its own (`is_clear`), else the clearest of the
    sentences of other sources that state its point, the closest to it
    among equals; `i` when none is clearer."""
    u = units[i]
    if is_clear(u.text, u.flags) or not backing:
        return i
    best = max(backing, key=lambda j: (is_clear(units[j].text, units[j].flags),
                                       clarity(units[j].text, units[j].flags), float(raw[i] @ raw[j])))
    if is_clear(units[best].text, units[best].flags):
        return best
    return i

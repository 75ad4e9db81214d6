"""One brief across several articles about one story (see the package's
docstring for the steps)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..errors import InputError
from ..records import Article, Brief, BriefSentence, FactVersions, Flag
from .render import KEY, QUOTE, SINGLE, sources_table
from .english import brief_units, clarity, is_clear
from .quotes import quote_of, speaker_of
from .salience import concept_weights, concepts, lead_units, reader_words, select_sentences
from .order import main_event
from .points import supporters
from .settings import DEFAULT_SETTINGS, BriefSettings
from .copies import copy_own_sentences
from .differ import conflict
from .versions import DISAGREEMENT, UPDATE
from .dates import timeline_dates
from .timeline import brief_timeline, changing_figures, developing, story_span
from .offtopic import off_topic_manifest
from .story import Story, read_sources, read_story, relate


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


@dataclass(frozen=True)
class PlannedSentence:
    """A brief sentence before the citation check: its `section`, the
    `text` shown, the sentence `ids` it cites, the `speaker` of its quote,
    how many independent `sources` state it and its `rank` in the choice
    (0: chosen first)."""

    section: str
    text: str
    ids: tuple[str, ...]
    speaker: str
    sources: int
    rank: int


def build_brief(articles: Sequence[Article], english: Mapping[str, str], *,
                flags: Mapping[str, Sequence[Flag]] | None = None, sentences: int | None = None,
                words: int | None = None, embedder: Any = None, dates: int | None = None,
                manifest: Mapping[str, Any] | None = None,
                settings: BriefSettings = DEFAULT_SETTINGS, keep_off_topic: bool = False) -> Brief:
    """The extractive brief of `articles` from the English of their
    sentences (`english`: sentence ID -> English; `flags`: translation flags
    per ID). Length: `sentences` brief sentences or at most `words` words,
    counted with `reader_words`; by default DEFAULT_SENTENCES, and more
    where every fact that FORCE_SOURCES sources state and every article's
    lead claim need them (`select_sentences` with ``complete``).
    `embedder`: anything with ``encode(texts)`` (default
    `toolkit.embed.Embedder()`). `manifest` entries (for example how the
    English was made) are carried into the brief's manifest. `settings`:
    the tuning settings (`BriefSettings`). An article that shares little
    with the others is left out and named (`offtopic`); `keep_off_topic`
    keeps it in, still named. `dates`: the timeline's days (default: what the story needs).

    Raises InputError when not one source sentence fits in `words`."""
    from ..embed import describe, get_embedder

    if not articles:
        raise InputError("no articles to summarise")
    n_sent, n_words = brief_length(sentences, words)
    timeline_dates(dates)
    # A default-length brief grows to what the story needs; an asked length is a hard limit.
    complete = sentences is None and words is None
    empty = [a.source for a in articles if not a.sentences]
    if empty:
        raise InputError("article has no sentences", empty[0])
    embedder = get_embedder(embedder)
    candidates = brief_units(articles, english, flags)
    articles, off_topic, warnings = read_sources(articles, english, candidates[0], embedder, keep_off_topic)
    story, skipped = read_story(articles, english, candidates, getattr(embedder, "progress", None))
    info: dict[str, Any] = {
        "method": "extractive",
        **dict(manifest or {}),
        "budget": {"sentences": n_sent, "words": n_words, "dates": dates},
        "sources": sources_table(story.articles, english),
        "candidates": len(story.units),
        "skipped": {k: v for k, v in skipped.items() if v},
        "off_topic": off_topic_manifest(off_topic, keep_off_topic),
    }
    if story.total == 1:
        warnings.append("only one source: no fact can be corroborated")
    emb = get_embedder(embedder)
    if not story.units:
        warnings.append("no complete sentences to summarise")
        info.update(embedder=describe(emb), dropped=[])
        return Brief((), story.total, info, tuple(warnings))
    if n_words is not None:
        shortest = min(reader_words(u.text) for u in story.units)
        if shortest > n_words:
            raise InputError(f"no source sentence fits in {n_words} words (the shortest has {shortest}); "
                             "raise --words")
    return _choose_and_check(story, emb, info, warnings, n_sent, n_words, complete, settings)


def _choose_and_check(story: Story, emb: Any, info: dict[str, Any], warnings: list[str],
                      n_sent: int | None, n_words: int | None, complete: bool, settings: BriefSettings) -> Brief:
    """Choose the brief's sentences, cite and check them, and put the
    brief together."""
    from ..embed import describe
    from ..verify import SUPPORT_THRESHOLD

    facts = relate(story, emb, settings)
    units, articles = story.units, story.articles
    concept_sets = [concepts(u.text) for u in units]
    weights = concept_weights(concept_sets, [u.article for u in units], settings)
    # A fact every follow-up restates is the story's background: it
    # ranks by the sources that reported it as news.
    counts = [story.reporting(i) for i in range(len(units))]
    event = main_event(units, story.raw, story.points, lead_units(units))
    # A developing story's developments are its timeline's: the key points
    # need not add every article's lead claim.
    picked = select_sentences(units, concept_sets, weights, story.points, limit=n_sent, word_budget=n_words,
                              complete=complete and not developing(articles), sources=counts, first=event,
                              settings=settings)
    # The main event leads its section whatever the count of its sources.
    lead = picked[0] if picked and picked[0] in event else None
    if lead is not None:
        info["main_event"] = units[lead].id
    if complete:
        info["budget"]["added"] = max(0, len(picked) - n_sent)
    info.update(embedder=describe(emb), concepts=len(weights), cite_similarity=settings.cite_similarity,
                corroborated=sum(1 for i in range(len(units)) if supporters(units, story.points, i)),
                copies={str(a.number): a.copy_of for a in articles if a.copy_of is not None},
                shared_sentences=sum(1 for sid, root in story.groups.items() if sid != root))
    own = copy_own_sentences(story.units, story.copied, story.originals, story.groups)
    if own:
        info["copy_own_sentences"] = own
        warnings.append(f"{sum(map(len, own.values()))} sentence(s) of article(s) {', '.join(own)} that copy "
                        "another are not in their original and are not summarised (see manifest "
                        "'copy_own_sentences')")
    plan = _order(_plan(story, picked, lead, n_words), lead)
    out, dropped = _checked(story, plan, emb)
    if dropped:
        warnings.append(f"{len(dropped)} brief sentence(s) failed the citation check and are not shown "
                        "(see manifest 'dropped')")
    info.update(support_threshold=SUPPORT_THRESHOLD, dropped=dropped)
    # A story told over days also gets its dated developments and changed
    # counts (toolkit.brief.timeline); other numbers later sources give
    # otherwise are shown as updates, never silently resolved.
    info["story"] = story_span(articles)
    return Brief(tuple(out), story.total, info, tuple(warnings),
                 timeline=brief_timeline(articles, units, story.points, story.facts[:len(units)], story.raw, out,
                                         info["budget"]["dates"]),
                 figures=_figures(articles, units, facts, info["story"]["developing"], story.facts),
                 disagreements=tuple(f for f in facts if f.kind == DISAGREEMENT))


def _figures(articles: Sequence[Article], units: Sequence[Any], facts: Sequence[FactVersions],
             developing: bool, read: Sequence[Any]) -> tuple[FactVersions, ...]:
    """The counts a developing story revised, then every other fact whose
    values follow one another in time that no such count already shows."""
    counts = changing_figures(articles, units, read[:len(units)]) if developing else ()
    shown = {c for f in counts for v in f.versions for c in v.citations}
    later = tuple(f for f in facts if f.kind == UPDATE
                  and not {c for v in f.versions for c in v.citations} <= shown)
    return tuple(counts) + later


def _plan(story: Story, picked: list[int], lead: int | None, n_words: int | None) -> list[PlannedSentence]:
    """The brief sentence for each picked unit, in the order picked."""
    units = story.units
    plan: list[PlannedSentence] = []
    # A clearer sentence shown for a point may be longer; a word limit
    # asked for still holds.
    spare = None if n_words is None else n_words - sum(reader_words(units[i].text) for i in picked)
    for rank, i in enumerate(picked):
        u = units[_shown(story, picked, i, spare)]
        if spare is not None:
            spare -= reader_words(u.text) - reader_words(units[i].text)
        cited = _cited(story, i, u)
        ids = tuple(c.id for c in sorted(cited, key=lambda c: (c.article, c.order)))
        n_sources = story.independent(cited)
        quote = quote_of(u.text)
        who = ""
        if quote:
            prev = [story.english[s.id] for a in story.articles if a.number == u.article
                    for s in a.sentences[:u.order] if s.id in story.english]
            who = speaker_of(u.text, prev)
        # The main event is a key point however many sources word it alike.
        section = KEY if rank == 0 and lead is not None else _section(n_sources, story.total, quote, who)
        plan.append(PlannedSentence(section, u.text, ids, who, n_sources, rank))
    return plan


def _shown(story: Story, picked: list[int], i: int, spare: int | None) -> int:
    """The unit shown for picked unit `i` (`_clearest`), among those that
    fit in `spare` more words."""
    units, points = story.units, story.points
    backing = story.support(i)
    if spare is not None:
        backing = [j for j in backing if reader_words(units[j].text) - reader_words(units[i].text) <= spare]
    # A sentence that also states another point of the brief would say
    # that twice.
    elsewhere = {j for k in picked if k != i for j in [k, *story.support(k)]}
    return _clearest(units, story.raw, i, [j for j in backing if j not in elsewhere and not any(
        points[k, j] or points[j, k] for k in picked if k != i)])


def _cited(story: Story, i: int, shown: Any) -> list[Any]:
    """The sentences a brief sentence for unit `i` cites: `i`, its
    supporters, the sentence shown, and copies' sentences stating it."""
    units, copied, n = story.units, story.copied, len(story.units)
    cited = [units[i]] + [units[j] for j in story.support(i)]
    if shown is not units[i]:
        cited.append(shown)
    # A copy's sentence stating the point is cited with its original.
    bases = {c.article for c in cited}
    cited += [copied[k] for k in story.points_all[i, n:].nonzero()[0]
              if story.originals[copied[k].article] in bases and conflict(units[i].text, copied[k].text) is None]
    return list({c.id: c for c in cited}.values())


def _order(plan: list[PlannedSentence], lead: int | None) -> list[PlannedSentence]:
    """Key points: the main event, then most sources first, then in order
    of value; the other sections in order of value."""
    order = {KEY: 0, QUOTE: 1, SINGLE: 2}
    return sorted(plan, key=lambda p: (order[p.section], not (lead is not None and p.rank == 0),
                                       -p.sources if p.section == KEY else 0, p.rank))


def _checked(story: Story, plan: list[PlannedSentence], emb: Any) -> tuple[list[BriefSentence], list[dict[str, Any]]]:
    """The planned sentences the citation check supports, as brief
    sentences, and what it dropped, with why."""
    from ..verify import verify_sentences

    articles_of = {u.id: u.article for u in story.every}
    checked = verify_sentences([(p.text, p.ids) for p in plan], story.english, articles_of=articles_of, embedder=emb)
    out: list[BriefSentence] = []
    dropped: list[dict[str, Any]] = []
    for p, verdict in zip(plan, checked):
        if not verdict.supported:
            dropped.append({"text": verdict.text, "ids": list(verdict.ids),
                            "reason": getattr(verdict, "reason", "unsupported"),
                            "detail": getattr(verdict, "detail", ""), "support": verdict.support})
            continue
        out.append(BriefSentence(verdict.text, verdict.citations, verdict.sources, True, section=p.section,
                                 speaker=p.speaker if p.section == QUOTE else "", support=verdict.support,
                                 independent_sources=story.independent(verdict.citations)))
    return out, dropped


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

"""Translating an archive as a stream of articles, in bounded memory.

    for result in translate_stream(archive_sources(["archive/"]), model="best"):
        if result.ok:
            result.english(), result.rows()

Articles are parsed one file at a time, when they are reached, and
translated in chunks of about `CHUNK_SENTENCES` sentences with one model
loaded for the whole stream; a result is yielded for every article, in
input order, as soon as its chunk is done. Memory is bounded by the chunk,
not the archive (what grows with the archive is one short record per
article: its path and number).

An article that cannot be read or translated is yielded as a failure
(``result.error``) and the stream goes on; only what would fail every
article (a bad option, a model that cannot be loaded) stops it. Translation
itself is `translate_articles`, so the cache, the glossary, the flags, the
English pass-through and the coverage check are the same as for a single
call; a re-run finds every finished sentence in the cache.

`toolkit.translations.ArchiveWriter` writes the per-article files of
``toolkit translate --out`` as results arrive and tells a re-run which
articles are already written (and still current).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..errors import InputError, ModelUnavailable, ToolkitError, first_line
from ..records import Article, Translation, article_name
from ..translations import JSONL_NAME, ArchiveWriter, article_rows
from .flags import ORIGINAL_ENGLISH
from .glossary import Glossary, load_glossary
from .run import TranslationRun, english_text, translate_articles

# Sentences per call of the model layer. Large enough that length-sorted
# batching has material (a GPU window is 4096 sentences), small enough that
# a chunk's articles, inputs and outputs are a few megabytes.
CHUNK_SENTENCES = 4096


@dataclass(frozen=True)
class Source:
    """One article file of an archive, not read yet. ``number`` is its
    1-based position among all the files, as `load_articles` numbers them."""

    number: int
    path: str

    @property
    def source(self) -> str:
        from ..ingest import STDIN, STDIN_NAME

        return STDIN_NAME if self.path == STDIN else self.path

    @property
    def name(self) -> str:
        return article_name(self.source)


def archive_sources(paths: Iterable[str]) -> list[Source]:
    """The article files under `paths` (directories expanded and sorted), numbered."""
    from ..ingest import expand_paths

    files = expand_paths(paths)
    if not files:
        raise InputError("no articles given")
    return [Source(n, p) for n, p in enumerate(files, 1)]


def out_names(sources: Iterable[Source | Article]) -> dict[int, str]:
    """Per-article English file names; the article number disambiguates
    articles whose files share a name."""
    from collections import Counter

    pairs = [(s.number, s.name if s.name not in ("", "-") else "stdin") for s in sources]
    counts = Counter(n for _, n in pairs)
    return {number: (f"{n}.en.txt" if counts[n] == 1 else f"{number:03d}-{n}.en.txt") for number, n in pairs}


DONE, SKIPPED, FAILED = "done", "skipped", "failed"


@dataclass
class ArticleResult:
    """What the stream yields for one article: ``status`` is "done" (with
    its translations), "skipped" (the caller's `skip` said it was already
    written; not read) or "failed" (``error`` says why)."""

    number: int
    source: str
    status: str
    article: Article | None = None
    translations: dict[str, Translation] = field(default_factory=dict)
    error: str | None = None
    glossary_report: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == DONE

    @property
    def sentences(self) -> int:
        return len(self.article.sentences) if self.article else 0

    def english(self) -> str:
        assert self.article is not None
        return english_text(self.article, self.translations)

    def rows(self) -> list[dict[str, Any]]:
        assert self.article is not None
        return article_rows(self.article, self.translations)


@dataclass
class StreamProgress:
    articles_total: int | None
    articles_done: int = 0
    sentences_done: int = 0
    failed: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-6)

    def rates(self) -> tuple[float, float, float | None]:
        """(articles/s, sentences/s, seconds left or None). Skipped
        articles cost nothing, so they count towards neither rate nor ETA."""
        worked = self.articles_done - self.skipped
        per_article = worked / self.elapsed
        eta = None
        if self.articles_total is not None and per_article > 0:
            eta = (self.articles_total - self.articles_done) / per_article
        return per_article, self.sentences_done / self.elapsed, eta


def translate_stream(items: Iterable[Source | Article], *, model: str | None = None, engine: str | None = None,
                     device: str | None = None, beam: int | None = None, batch_tokens: int | None = None,
                     threads: int | None = None, glossary: str | Path | Glossary | Mapping[str, str] | None = None,
                     use_cache: bool = True, translator: Any = None, chunk_sentences: int = CHUNK_SENTENCES,
                     stdin: bytes | None = None, language: str = "auto", max_tokens: int | None = None,
                     skip: Callable[[Source], bool] | None = None, total: int | None = None,
                     progress: Callable[[StreamProgress], None] | None = None) -> Iterator[ArticleResult]:
    """Translate `items` (`Source` files, parsed when reached, or Articles)
    and yield one `ArticleResult` per item, in order.

    Options are those of `translate_articles`. `skip(source)` true: the
    file is not read and a "skipped" result is yielded. `progress` gets a
    `StreamProgress` as sentences and articles complete; `total` is the
    number of items when the caller knows it (for the ETA).
    """
    options = dict(model=model, engine=engine, device=device, beam=beam, batch_tokens=batch_tokens,
                   threads=threads, glossary=load_glossary(glossary), use_cache=use_cache)
    stream = _Stream(options, translator, StreamProgress(total), progress)
    queued = 0
    for item in items:
        entry = stream.admit(item, skip, stdin, max_tokens, language)
        if not isinstance(entry, Article):
            continue
        queued += len(entry.sentences)
        if queued >= chunk_sentences:
            yield from stream.flush()
            queued = 0
    if stream.queue:
        yield from stream.flush()


class _Stream:
    """The state of one `translate_stream`: the loaded model, the queue of
    the chunk being gathered, and the progress so far."""

    def __init__(self, options: dict[str, Any], translator: Any, state: StreamProgress,
                 progress: Callable[[StreamProgress], None] | None) -> None:
        self.options = options
        self.loaded = translator
        self.state = state
        self.progress = progress
        self.queue: list[ArticleResult | Article] = []
        self.seen: set[int] = set()

    def admit(self, item: Source | Article, skip: Callable[[Source], bool] | None, stdin: bytes | None,
              max_tokens: int | None, language: str) -> ArticleResult | Article:
        """Queue one item: the parsed article, or the result it already has
        (a repeated number, skipped, unreadable)."""
        entry = self._entry(item, skip, stdin, max_tokens, language)
        self.queue.append(entry)
        return entry

    def _entry(self, item: Source | Article, skip: Callable[[Source], bool] | None, stdin: bytes | None,
               max_tokens: int | None, language: str) -> ArticleResult | Article:
        from ..ingest import parse, read_bytes

        if item.number in self.seen:
            return ArticleResult(item.number, getattr(item, "source", str(item)), FAILED,
                                 error=f"article number {item.number} occurs twice")
        self.seen.add(item.number)
        if not isinstance(item, Source):
            return item
        if skip is not None and skip(item):
            return ArticleResult(item.number, item.source, SKIPPED)
        try:
            return parse(read_bytes(item.path, stdin), item.source, item.number, max_tokens=max_tokens,
                         language=language)
        except InputError as exc:
            return ArticleResult(item.number, item.source, FAILED, error=first_line(exc, with_type=False))

    def run(self, articles: list[Article], base: int) -> TranslationRun:
        def forward(done: int, _total: int, _tokens: int) -> None:
            if self.progress:
                self.state.sentences_done = base + done
                self.progress(self.state)

        result = translate_articles(articles, translator=self.loaded, progress=forward, **self.options)
        self.loaded = result.translator or self.loaded
        return result

    def fatal(self, exc: Exception) -> bool:
        # What every article would hit: a bad option, or no model to load;
        # not an article in a language the model does not translate.
        from .routing import NotCovered

        return (isinstance(exc, InputError) and not isinstance(exc, NotCovered)) or (
            isinstance(exc, ModelUnavailable) and self.loaded is None)

    def translate(self, articles: list[Article], base: int) -> dict[int, ArticleResult]:
        """The queued articles translated as one chunk; when the chunk
        fails, one at a time, so only the article(s) at fault fail."""
        try:
            chunk = self.run(articles, base)
            return {a.number: _result_of(chunk, a) for a in articles}
        except Exception as exc:
            if self.fatal(exc):
                raise
        done: dict[int, ArticleResult] = {}
        if self.loaded is None:
            # The model loaded inside the failed call is gone with it: load
            # one for all the retries, not one each.
            opts = self.options
            self.loaded = _load_translator(opts["model"], opts["engine"], opts["device"], opts["threads"])
        # The others come from the cache or are translated again.
        for a in articles:
            try:
                done[a.number] = _result_of(self.run([a], self.state.sentences_done), a)
            except Exception as one:
                if self.fatal(one):
                    raise
                why = first_line(one, with_type=not isinstance(one, ToolkitError))
                done[a.number] = ArticleResult(a.number, a.source, FAILED, a, error=why)
            self.state.sentences_done = base + _sentences(done)
        return done

    def flush(self) -> Iterator[ArticleResult]:
        """Translate the queue and yield its results in input order."""
        state = self.state
        articles = [e for e in self.queue if isinstance(e, Article)]
        base = state.sentences_done
        done = self.translate(articles, base) if articles else {}
        for entry in self.queue:
            result = done[entry.number] if isinstance(entry, Article) else entry
            state.articles_done += 1
            state.failed += result.status == FAILED
            state.skipped += result.status == SKIPPED
            yield result
        state.sentences_done = base + _sentences(done)
        self.queue = []
        if self.progress:
            self.progress(state)


def _result_of(run: TranslationRun, article: Article) -> ArticleResult:
    ids = {s.id for s in article.sentences}
    return ArticleResult(article.number, article.source, DONE, article,
                         {i: run.translations[i] for i in (s.id for s in article.sentences)},
                         glossary_report=[v for v in run.glossary_report if v["id"] in ids],
                         manifest=run.manifest)


def _sentences(done: Mapping[int, ArticleResult]) -> int:
    return sum(r.sentences for r in done.values() if r.ok)


def _load_translator(model: str | None, engine: str | None, device: str | None, threads: int | None) -> Any:
    from .. import config
    from .run import _int_setting
    from .selection import get_translator

    return get_translator(config.get("model", model), str(config.get("engine", engine)),
                          str(config.get("device", device)), threads=_int_setting("threads", threads, 0))


def collect(results: Iterable[ArticleResult]) -> TranslationRun:
    """One `TranslationRun` of the finished articles among `results` (for
    whole-document formats, which hold everything): the manifest is that
    of a chunk that used a model, with counts over all of them."""
    translations: dict[str, Translation] = {}
    articles: list[Article] = []
    report: list[dict[str, Any]] = []
    manifest: dict[str, Any] | None = None
    for r in results:
        if not r.ok or r.article is None:
            continue
        articles.append(r.article)
        translations.update(r.translations)
        report.extend(r.glossary_report)
        m = r.manifest or {}
        if manifest is None or (manifest.get("model") is None and m.get("model") is not None):
            manifest = dict(m)
    # Counted from the translations, not summed over chunk manifests: an
    # article retried on its own has a manifest of its own.
    counts = {"sentences": len(translations), "cached": sum(1 for t in translations.values() if t.cached),
              "original_english": sum(1 for t in translations.values()
                                      if any(f.code == ORIGINAL_ENGLISH for f in t.flags))}
    manifest = {**(manifest or {}), **counts}
    return TranslationRun(translations, manifest, report, articles)


__all__ = ["translate_stream", "archive_sources", "Source", "ArticleResult", "StreamProgress", "ArchiveWriter",
           "article_rows", "out_names", "collect", "CHUNK_SENTENCES", "JSONL_NAME"]

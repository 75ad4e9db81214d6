"""`toolkit translate`."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from .. import config
from ..fileio import atomic_write_text
from ..errors import ToolkitError
from ..text.markdown import md_escape
from ..translate import DEVICES, ENGINE_CHOICES, PRESETS, TranslationRun, english_text, translate_articles
from ..translate.stream import FAILED, SKIPPED, ArchiveWriter, StreamProgress, archive_sources, article_rows, collect
from ..translate.stream import out_names as stream_out_names
from ..translate.stream import translate_stream
from . import main
from .common import (dumps_json, dumps_jsonl, emit, format_option, language_option, out_option, read_articles,
                     refuse_other_languages, stderr_console, stdout_console, warn)

FORMATS = ("rich", "md", "json", "jsonl", "txt")
_OUT_FILES = {"json": "translation.json", "jsonl": "translation.jsonl", "md": "translation.md"}


class _ProgressBar:
    """Rich progress on stderr (sentences, target tokens/s, ETA); nothing at
    all when stderr is not a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.progress: Any = None
        self.task: Any = None
        self.start = time.monotonic()

    def __enter__(self) -> "_ProgressBar":
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.progress = Progress(
                TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TextColumn("sentences"),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                TimeRemainingColumn(), console=stderr_console(), transient=True)
            self.progress.__enter__()
            self.task = self.progress.add_task("translate", total=None, rate="")
        return self

    def __call__(self, done: int, total: int, tokens: int) -> None:
        if not self.progress:
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = f"{tokens / elapsed:,.0f} tok/s" if tokens else ""
        self.progress.update(self.task, completed=done, total=total, rate=rate)

    def __exit__(self, *exc: Any) -> None:
        if self.progress:
            self.progress.__exit__(*exc)


class _ArchiveProgress:
    """Progress of a streamed run on stderr: articles (bar, ETA), sentences
    and their rate. A terminal gets a live bar; anything else (a log file
    of a long archive run) a plain line every `LOG_EVERY` seconds."""

    LOG_EVERY = 60.0

    def __init__(self, total: int) -> None:
        self.total = total
        self.tty = sys.stderr.isatty()
        self.progress: Any = None
        self.task: Any = None
        self.last_log = time.monotonic()

    def __enter__(self) -> "_ArchiveProgress":
        if self.tty:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=stderr_console(),
                transient=True)
            self.progress.__enter__()
            self.task = self.progress.add_task("translate", total=self.total, detail="")
        return self

    @staticmethod
    def line(p: StreamProgress) -> str:
        per_article, per_sentence, eta = p.rates()
        left = "" if eta is None else f", ETA {_clock(eta)}"
        extra = "".join(f", {n} {what}" for n, what in ((p.skipped, "already written"), (p.failed, "failed")) if n)
        return (f"{p.articles_done:,}/{p.articles_total or 0:,} articles, {p.sentences_done:,} sentences "
                f"({per_sentence:,.1f} sentences/s){left}{extra}")

    def __call__(self, p: StreamProgress) -> None:
        if self.progress:
            per_article, per_sentence, eta = p.rates()
            left = "" if eta is None else f"ETA {_clock(eta)}"
            self.progress.update(self.task, completed=p.articles_done,
                                 detail=f"{p.sentences_done:,} sentences  {per_sentence:,.1f}/s  {left}")
        elif time.monotonic() - self.last_log >= self.LOG_EVERY:
            self.last_log = time.monotonic()
            click.echo(f"progress: {self.line(p)}", err=True)

    def __exit__(self, *exc: Any) -> None:
        if self.progress:
            self.progress.__exit__(*exc)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def sentence_rows(run: TranslationRun) -> list[dict[str, Any]]:
    """The JSONL records: one per sentence ID, in article and sentence order."""
    return [row for article in run.articles for row in article_rows(article, run.translations)]


def as_json(run: TranslationRun) -> dict[str, Any]:
    rows = sentence_rows(run)
    articles = []
    for article in run.articles:
        articles.append({
            "number": article.number, "source_file": article.source, "name": article.name,
            "language": article.language, "text": english_text(article, run.translations),
            "sentences": [r for r in rows if r["article"] == article.number],
        })
    return {"manifest": run.manifest, "articles": articles, "glossary_report": run.glossary_report}


def _source_label(article: Any) -> str:
    from ..ingest.language import LANGUAGE_NAMES

    return "Original (English)" if article.language == "en" else LANGUAGE_NAMES.get(article.language, "Arabic")


def as_markdown(run: TranslationRun) -> str:
    rows = sentence_rows(run)
    m = run.manifest
    lines = [f"# Translation ({m['model']}, {m['engine']} {m['compute_type']}, beam {m['beam']})"
             if m["model"] else "# Translation (English articles only, no model used)", ""]
    for article in run.articles:
        lines += [f"## {article.name}", "", f"| ID | {_source_label(article)} | English | Flags |", "|---|---|---|---|"]
        for r in rows:
            if r["article"] == article.number:
                flags = "; ".join(f"{f['code']}: {f['detail']}" if f["detail"] else f["code"] for f in r["flags"])
                lines.append(f"| {r['id']} | {md_escape(r['source'])} | {md_escape(r['text'])} | {md_escape(flags)} |")
        lines.append("")
    if run.glossary_report:
        lines += ["## Glossary not honoured", "", "| ID | Term | Expected | Rendered |", "|---|---|---|---|"]
        for v in run.glossary_report:
            lines.append(f"| {v['id']} | {md_escape(v['term'])} | {md_escape(v['expected'])} | "
                         f"{v['found']} of {v['occurrences']} |")
        lines.append("")
    return "\n".join(lines)


def as_text(run: TranslationRun) -> str:
    parts = []
    for article in run.articles:
        body = english_text(article, run.translations)
        parts.append(f"# {article.name}\n\n{body}" if len(run.articles) > 1 else body)
    return "\n".join(parts)


def show_rich(run: TranslationRun) -> None:
    from rich.table import Table

    from ..ingest.language import ARABIC, SCRIPT_LANGUAGES

    console = stdout_console()
    rows = sentence_rows(run)
    for article in run.articles:
        table = Table(title=Text(f"{article.name}  ({article.source})"), show_lines=True, expand=True)
        table.add_column("ID", no_wrap=True, min_width=3)
        right = article.language in SCRIPT_LANGUAGES[ARABIC]  # Arabic script is read right to left
        table.add_column(_source_label(article), justify="right" if right else "left",
                         ratio=1, min_width=10, overflow="fold")
        table.add_column("English", ratio=1, min_width=10, overflow="fold")
        table.add_column("Flags", style="yellow", min_width=8, max_width=16, overflow="fold")
        for r in rows:
            if r["article"] == article.number:
                # Article and model text are data, never Rich markup.
                table.add_row(Text(r["id"]), Text(r["source"]), Text(r["text"]),
                              "\n".join(f["code"] for f in r["flags"]))
        console.print(table)
    m = run.manifest
    if m["model"] is None:
        console.print(f"no model used: all {m['sentences']} sentences are from English articles")
        return
    console.print(Text(f"{m['model']} @ {str(m['revision'])[:12]}, {m['engine']} {m['compute_type']} on "
                       f"{m['device']}, beam {m['beam']}; {m['cached']} of {m['sentences']} sentences from cache"))


def render(run: TranslationRun, fmt: str) -> str:
    if fmt == "json":
        return dumps_json(as_json(run)) + "\n"
    if fmt == "jsonl":
        return dumps_jsonl(sentence_rows(run))
    if fmt == "md":
        return as_markdown(run)
    return as_text(run)


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--model", default=None, metavar="PRESET|ID|DIR",
              help=f"Preset ({', '.join(PRESETS)}), Hugging Face id or local model directory; "
                   f"ID@REVISION pins a revision [default: {config.DEFAULTS['model']}].")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default=None,
              help="auto = CTranslate2 when installed, else transformers [default: auto].")
@click.option("--device", type=click.Choice(DEVICES), default=None,
              help="auto = CUDA when a GPU is there and a one-sentence trial on it works, else CPU "
                   "[default: auto].")
@click.option("--beam", type=click.IntRange(min=1), default=None,
              help=f"Beam size, 1 = greedy [default: {config.DEFAULTS['beam']}].")
@click.option("--batch-tokens", type=click.IntRange(min=1), default=None,
              help="Input tokens per batch, padding included [default: 2048 on CPU; on CUDA sized to the "
                   "GPU's free memory, the model and the beam].")
@click.option("--threads", type=click.IntRange(min=0), default=None, help="CPU threads, 0 = engine default.")
@click.option("--glossary", type=click.Path(dir_okay=False), default=None, metavar="FILE.tsv",
              help="Arabic term<TAB>required English rendering, one per line.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation and article caches.")
@format_option(FORMATS)
@out_option("Write one English file per article as it is finished (and the chosen json/jsonl/md file) "
            "into DIR, which is created (the directory it is in must exist); a re-run skips articles "
            "already written there.", directory=True)
@click.option("--ray", "use_ray", is_flag=True,
              help="Translate on a Ray cluster (pip install 'toolkit[ray]'); needs --out, writes "
                   "DIR/translation.jsonl and the English files.")
@click.option("--ray-address", default=None, metavar="ADDRESS",
              help="Ray cluster to join (e.g. auto, ray://head:10001) [default: RAY_ADDRESS, else a local Ray].")
@click.option("--ray-workers", type=click.IntRange(min=1), default=None,
              help="Model replicas (one per GPU on a GPU cluster) [default: one per GPU, else 1].")
@language_option
def translate(articles: tuple[str, ...], model: str | None, engine: str | None, device: str | None,
              beam: int | None, batch_tokens: int | None, threads: int | None, glossary: str | None,
              no_cache: bool, fmt: str, out: str | None, use_ray: bool, ray_address: str | None,
              ray_workers: int | None, language: str) -> None:
    """Translate Arabic news ARTICLES (files, directories, or - for stdin) to English.
    English articles (detected per article, or --language en) pass through
    untranslated, flagged original-english.

    Every sentence and heading gets exactly one translation, with flags for
    likely problems (loop, arabic-left, untranslated, length-ratio,
    numbers-missing, hit-limit, glossary). Results are cached: a second run
    over the same text does no model work.

    With --out, or --format jsonl, articles are read, translated and written
    one chunk at a time (an archive of any size); an article that fails is
    reported and skipped, and the command exits 1 at the end, naming it.
    """
    settings = dict(model=config.get("model", model), engine=config.get("engine", engine),
                    device=config.get("device", device), beam=config.get("beam", beam),
                    batch_tokens=config.get("batch_tokens", batch_tokens), threads=config.get("threads", threads),
                    glossary=glossary, use_cache=not no_cache)
    if (ray_address or ray_workers) and not use_ray:
        raise click.UsageError("--ray-address and --ray-workers go with --ray")
    if use_ray:
        if not out or fmt not in ("rich", "jsonl", "txt"):
            raise click.UsageError("--ray writes JSONL and English files: give --out DIR (and --format jsonl "
                                   "or leave --format out)")
        _translate_ray(articles, Path(out), settings, language, ray_address, ray_workers)
        return
    if out or fmt == "jsonl":
        _translate_streaming(articles, Path(out) if out else None, fmt, settings, language)
        return
    loaded = read_articles(articles, language=language, use_cache=not no_cache)
    refuse_other_languages(loaded, settings["model"])
    with _ProgressBar() as bar:
        run = translate_articles(loaded, **settings, progress=bar)
    if run.glossary_report:
        warn(f"{len(run.glossary_report)} sentence(s) do not render a glossary term as required "
             "(see the glossary flag)")
    if fmt == "rich":
        show_rich(run)
    else:
        emit(render(run, fmt))


def _translate_streaming(paths: tuple[str, ...], out: Path | None, fmt: str, settings: dict[str, Any],
                         language: str) -> None:
    from ..fileio import read_bounded
    from ..ingest import STDIN, STDIN_NAME

    sources = archive_sources(paths)
    stdin = read_bounded(sys.stdin.buffer, STDIN_NAME) if any(s.path == STDIN for s in sources) else None
    whole = fmt in _OUT_FILES and fmt != "jsonl"  # json and md are one document: collected
    writer = ArchiveWriter(out, stream_out_names(sources), jsonl=fmt == "jsonl", background=64,
                           sources={s.number: s for s in sources}) if out else None
    kept: list[Any] = []
    failed: list[Any] = []
    written = skipped = glossary_misses = 0
    try:
        with _ArchiveProgress(len(sources)) as bar:
            for r in translate_stream(sources, **settings, stdin=stdin, language=language,
                                      skip=writer.written if writer and not whole else None,
                                      total=len(sources), progress=bar):
                for w in (r.article.warnings if r.article else ()):
                    warn(f"{r.source}: {w}")
                if r.status == FAILED:
                    warn(f"{r.source}: not translated: {r.error}")
                    failed.append(r.source)
                    continue
                if r.status == SKIPPED:
                    skipped += 1
                    continue
                glossary_misses += len(r.glossary_report)
                if writer:
                    writer.write(r)
                    written += 1
                else:
                    emit(dumps_jsonl(r.rows()))
                if whole:
                    kept.append(r)
    finally:
        if writer:
            writer.close()
    if glossary_misses:
        warn(f"{glossary_misses} sentence(s) do not render a glossary term as required (see the glossary flag)")
    if out and whole:
        atomic_write_text(out / _OUT_FILES[fmt], render(collect(kept), fmt))
    if out:
        note = f" ({skipped} article(s) already written there)" if skipped else ""
        click.echo(f"wrote {written} article(s) to {out}{note}", err=True)
    if failed:
        shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
        raise ToolkitError(f"{len(failed)} of {len(sources)} article(s) not translated (see the warnings "
                           f"above): {shown}")


def _translate_ray(paths: tuple[str, ...], out: Path, settings: dict[str, Any], language: str,
                   address: str | None, workers: int | None) -> None:
    from ..translate.ray_data import translate_archive_ray

    report = translate_archive_ray(list(paths), out, address=address, concurrency=workers, language=language,
                                   **settings)
    for source, error in report.failed:
        warn(f"{source}: not translated: {error}")
    click.echo(f"wrote {report.articles} article(s), {report.sentences} sentence(s) to {out} "
               f"on Ray ({report.workers} worker(s), {report.gpus_per_worker:g} GPU each)", err=True)
    if report.failed:
        raise ToolkitError(f"{len(report.failed)} article(s) not translated (see the warnings above)")


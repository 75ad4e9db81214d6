"""`toolkit translate` and `toolkit models download|list`."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from .. import config
from ..fileio import atomic_write_text
from ..translate import DEVICES, ENGINE_CHOICES as ENGINES, PRESETS, TranslationRun, english_text, translate_articles
from . import main
from .common import (dumps_json, dumps_jsonl, emit, format_option, language_option, read_articles, stderr_console,
                     stdout_console, warn)

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


def sentence_rows(run: TranslationRun) -> list[dict[str, Any]]:
    """The JSONL records: one per sentence ID, in article and sentence order."""
    rows = []
    for article in run.articles:
        for s in article.sentences:
            t = run.translations[s.id]
            rows.append({
                "id": s.id, "article": article.number, "source_file": article.source,
                "language": article.language, "kind": s.kind,
                "index": s.index, "part": s.part, "paragraph": s.paragraph,
                "source": s.text, "text": t.text, "flags": [f.to_dict() for f in t.flags],
                "source_tokens": t.source_tokens, "target_tokens": t.target_tokens, "cached": t.cached,
            })
    return rows


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


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _source_label(article: Any) -> str:
    return "Original (English)" if article.language == "en" else "Arabic"


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
                lines.append(f"| {r['id']} | {_md_cell(r['source'])} | {_md_cell(r['text'])} | {_md_cell(flags)} |")
        lines.append("")
    if run.glossary_report:
        lines += ["## Glossary not honoured", "", "| ID | Term | Expected | Rendered |", "|---|---|---|---|"]
        for v in run.glossary_report:
            lines.append(f"| {v['id']} | {_md_cell(v['term'])} | {_md_cell(v['expected'])} | "
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

    console = stdout_console()
    rows = sentence_rows(run)
    for article in run.articles:
        table = Table(title=Text(f"{article.name}  ({article.source})"), show_lines=True, expand=True)
        table.add_column("ID", no_wrap=True, min_width=3)
        table.add_column(_source_label(article), justify="left" if article.language == "en" else "right",
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


def out_names(run: TranslationRun) -> dict[int, str]:
    """File names for per-article output; article numbers disambiguate
    articles whose files share a name."""
    from collections import Counter

    names = [a.name if a.name not in ("", "-") else "stdin" for a in run.articles]
    counts = Counter(names)
    return {a.number: (f"{n}.en.txt" if counts[n] == 1 else f"{a.number:03d}-{n}.en.txt")
            for a, n in zip(run.articles, names)}


def write_out(run: TranslationRun, out: Path, fmt: str) -> list[Path]:
    written = []
    names = out_names(run)
    for article in run.articles:
        name = names[article.number]
        written.append(atomic_write_text(out / name, english_text(article, run.translations)))
    if fmt in _OUT_FILES:
        written.append(atomic_write_text(out / _OUT_FILES[fmt], render(run, fmt)))
    return written


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
@click.option("--engine", type=click.Choice(ENGINES), default=None,
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
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")
@format_option(FORMATS)
@click.option("--out", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Write one English file per article (and the chosen json/jsonl/md file) into DIR.")
@language_option
def translate(articles: tuple[str, ...], model: str | None, engine: str | None, device: str | None,
              beam: int | None, batch_tokens: int | None, threads: int | None, glossary: str | None,
              no_cache: bool, fmt: str, out: str | None, language: str) -> None:
    """Translate Arabic news ARTICLES (files, directories, or - for stdin) to English.
    English articles (detected per article, or --language en) pass through
    untranslated, flagged original-english.

    Every sentence and heading gets exactly one translation, with flags for
    likely problems (loop, arabic-left, untranslated, length-ratio,
    numbers-missing, hit-limit, glossary). Results are cached: a second run
    over the same text does no model work.
    """
    loaded = read_articles(articles, language=language)
    with _ProgressBar() as bar:
        run = translate_articles(
            loaded, model=config.get("model", model), engine=config.get("engine", engine),
            device=config.get("device", device), beam=config.get("beam", beam),
            batch_tokens=config.get("batch_tokens", batch_tokens), threads=config.get("threads", threads),
            glossary=glossary, use_cache=not no_cache, progress=bar)
    if run.glossary_report:
        warn(f"{len(run.glossary_report)} sentence(s) do not render a glossary term as required "
             "(see the glossary flag)")
    if out:
        written = write_out(run, Path(out), fmt)
        click.echo(f"wrote {len(written)} file(s) to {out}", err=True)
        return
    if fmt == "rich":
        show_rich(run)
    else:
        emit(render(run, fmt))


@main.group()
def models() -> None:
    """Download and list translation models (Hugging Face cache)."""


@models.command("download")
@click.argument("names", nargs=-1)
def models_download(names: tuple[str, ...]) -> None:
    """Fetch presets or Hugging Face ids into the Hugging Face cache
    [default: best]."""
    from ..translate.models import download

    for ref in download(list(names)):
        click.echo(f"{ref.model_id} @ {ref.revision[:12]}: {ref.path}")


@models.command("list")
@format_option(("rich", "json"))
def models_list(fmt: str) -> None:
    """Cached models with size, revision and CTranslate2 conversions, and the
    presets not downloaded yet."""
    from ..hub import hub_cache
    from ..translate.models import list_models

    rows = list_models()
    cached = {r["model"] for r in rows}
    absent = [{"preset": p.name, "model": p.model_id} for p in PRESETS.values() if p.model_id not in cached]
    if fmt == "json":
        emit(dumps_json({"cache": str(hub_cache()), "models": rows, "presets_missing": absent}))
        return
    from rich.table import Table

    table = Table(title=Text(f"Hugging Face cache: {hub_cache()}"))
    for col in ("Model", "Preset", "Revision", "Size", "CTranslate2"):
        table.add_column(col)
    for r in rows:
        table.add_row(Text(r["model"]), r["preset"], Text(r["revision"][:12]), f"{r['size'] / 1e6:,.1f} MB",
                      ", ".join(r["ctranslate2"]) or "-")
    console = stdout_console()
    console.print(table)
    for a in absent:
        console.print(Text(f"preset {a['preset']} ({a['model']}) not downloaded: "
                           f"toolkit models download {a['preset']}"))

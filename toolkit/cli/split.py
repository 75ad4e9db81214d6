"""`toolkit split`: cleaned articles as sentences with IDs."""
from __future__ import annotations

import io
from typing import Sequence

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..text.segment import DEFAULT_MAX_TOKENS
from ..records import Article
from ..text.dates import published_label
from . import main
from .common import (date_option, dumps_json, dumps_jsonl, emit, format_option, language_option, out_option,
                     read_articles, safe_console, stdout_console)


def sentence_table(articles: Sequence[Article]) -> Table:
    table = Table(show_lines=False, expand=False)
    table.add_column("ID", style="bold cyan", no_wrap=True)
    table.add_column("kind", style="dim", no_wrap=True)
    table.add_column("text", justify="right", overflow="fold")
    for a in articles:
        for s in a.sentences:
            # English text reads left to right; the column is right-aligned for Arabic.
            text = Text(s.text, justify="left") if a.language == "en" else Text(s.text)
            table.add_row(s.id, s.kind, text, style="bold" if s.is_heading else None)
    return table


def removed_table(articles: Sequence[Article]) -> Table:
    table = Table(title="Removed")
    table.add_column("article", no_wrap=True)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("reason", style="yellow", no_wrap=True)
    table.add_column("text", overflow="fold")
    for a in articles:
        for r in a.removed:
            table.add_row(str(a.number), str(r.line) if r.line else "-", r.reason, Text(r.text))
    return table


def _tsv_field(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


@main.command()
@click.argument("articles", nargs=-1, required=True)
@format_option(("rich", "json", "jsonl", "tsv"))
@click.option("--show-removed", is_flag=True, help="List every removed boilerplate line with its reason.")
@click.option("--max-tokens", type=click.IntRange(8, None), default=DEFAULT_MAX_TOKENS, show_default=True,
              help="Token budget per sentence; longer sentences are cut at clause boundaries (IDs A.S.P).")
@out_option("Write to this file (atomically) instead of stdout.")
@language_option
@date_option
def split(articles: tuple[str, ...], fmt: str, show_removed: bool, max_tokens: int, out: str | None,
          language: str, dates: tuple[str, ...] = ()) -> None:
    """Clean ARTICLES (files, directories or - for stdin) and split them into
    sentences with stable IDs (2.7 = article 2, sentence 7)."""
    docs = read_articles(articles, max_tokens=max_tokens, language=language, dates=dates)
    if fmt in ("jsonl", "tsv"):
        # Those formats have no place per article: say how each was read here.
        for a in docs:
            for note in a.reading:
                click.echo(f"{a.source}: {note}", err=True)
    if fmt == "json":
        emit(dumps_json({"articles": [a.to_dict() for a in docs]}), out)
    elif fmt == "jsonl":
        rows = ({**s.to_dict(), "source_file": a.source, "language": a.language} for a in docs for s in a.sentences)
        emit(dumps_jsonl(rows), out)
    elif fmt == "tsv":
        lines = ["id\tkind\tsource_file\ttext"]
        lines += [f"{s.id}\t{s.kind}\t{_tsv_field(a.source)}\t{_tsv_field(s.text)}" for a in docs for s in a.sentences]
        if show_removed:
            lines += [f"removed:{a.number}:{r.line}\t{r.reason}\t{_tsv_field(a.source)}\t{_tsv_field(r.text)}"
                      for a in docs for r in a.removed]
        emit("\n".join(lines), out)
    else:
        buffer = io.StringIO() if out else None
        console = safe_console(Console(file=buffer, width=160)) if buffer else stdout_console()
        for a in docs:
            console.print(Text.assemble((str(a.number), "bold"), f" {a.source}  ({len(a.sentences)} sentences, "
                                        f"{len(a.removed)} removed, {a.encoding}, {a.fmt}, {a.language}, "
                                        f"{published_label(a.published)}"
                                        + "".join(f"; {note}" for note in a.reading) + ")"))
        console.print(sentence_table(docs))
        if show_removed:
            console.print(removed_table(docs))
        else:
            total = sum(len(a.removed) for a in docs)
            if total:
                console.print(f"[dim]{total} boilerplate line(s) removed; --show-removed lists them[/dim]")
        if buffer:
            emit(buffer.getvalue(), out)

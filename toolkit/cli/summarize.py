"""`toolkit summarize`: one brief across several articles, every sentence
citing the source sentence IDs it rests on."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Sequence

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from ..fileio import base_name
from ..llm import DEFAULT_PROMPT, DEFAULT_SEED
from ..brief import brief_length, build_brief, line_parts, load_english, render_text, section_title
from ..brief.render import off_topic_lines, source_date
from ..brief.dates import MAX_DATES, MIN_DATES, timeline_dates
from ..brief.timeline import story_sections
from ..translate.flags import ORIGINAL_ENGLISH
from ..records import Article, Brief
from ..text.dates import field_dates
from . import main
from .common import (date_option, dumps_json, emit, format_option, language_option, out_option, read_articles,
                     refuse_other_languages, safe_console, stdout_console, warn)
from .options import brief_inputs

FORMATS = ("rich", "md", "json", "txt")


def check_english_source(path: str, articles: Sequence[Article], option: str) -> None:
    """Input mistakes around a reference directory, each with its fix: a
    file of the directory given instead of the directory, or the article
    read from stdin, which has no file name to pair with a reference."""
    from ..ingest import STDIN_NAME

    p = Path(path)
    if p.is_file() and (p.parent / "manifest.tsv").is_file() and (p.name == "manifest.tsv"
                                                                   or p.name.endswith(".en.txt")):
        raise InputError(f"this is a file of a reference directory; give the directory: {option} {p.parent}/",
                         path)
    if p.is_dir() and any(a.source == STDIN_NAME for a in articles if a.language != "en"):
        raise InputError(f"references are paired with articles by file name, and an article read from stdin "
                         f"has none; give the article's file instead of -, or drop {option}", path)


def english_for(articles: Sequence[Article], translations: str | None, model: str | None, use_cache: bool
                ) -> tuple[list[Article], dict[str, str], dict[str, Any], dict[str, Any]]:
    """The articles (dated by the "published" fields of a --translations
    JSONL), their English, flags and a manifest entry: from --translations,
    else from the translation layer (its cache first). English articles are
    their own English either way; --translations need not contain them."""
    originals = [a for a in articles if a.language == "en"]
    arabic = [a for a in articles if a.language != "en"]
    if translations:
        check_english_source(translations, articles, "--translations")
    if translations and arabic:
        # A JSONL file is matched against every article, so that rows of an
        # English article are recognised as such even where an Arabic article
        # has the same file name; a reference directory need only hold the
        # Arabic ones.
        english, flags, source, published = load_english(translations, arabic if Path(translations).is_dir()
                                                         else articles)
        articles, notes = field_dates(articles, published, str(translations))
        for note in notes:
            warn(note)
    elif translations:
        english, flags, source = {}, {}, {"kind": "none", "path": str(translations)}
    else:
        from ..translate import translate_articles

        refuse_other_languages(articles, model)
        run = translate_articles(articles, model=model, use_cache=use_cache)
        english = {i: t.text for i, t in run.translations.items()}
        flags = {i: t.flags for i, t in run.translations.items()}
        source = {"kind": "translation", "translation": run.manifest}
    for a in originals:
        for s in a.sentences:
            english[s.id] = s.text
            # original-english marks where the English came from; it is not
            # a warning, and the brief prefers sentences with fewer warnings.
            flags[s.id] = tuple(f for f in flags.get(s.id, ()) if f.code != ORIGINAL_ENGLISH)
    if originals:
        source = {**source, "original_english": [a.number for a in originals]}
    return list(articles), english, flags, source


def mark_languages(brief: Brief, articles: Sequence[Article]) -> Brief:
    """The language of each source article in the brief's sources table."""
    language = {a.number: a.language for a in articles}
    for row in brief.manifest.get("sources") or []:
        if isinstance(row, dict) and row.get("id") in language:
            row["language"] = language[row["id"]]
    return brief


# Widest file column of the terminal sources table.
FILE_COLUMN = 24


def render_rich(brief: Brief, *, cite: bool, console: Console) -> None:
    # Article text goes through Text objects: brackets in it are not markup.
    from ..brief import sections
    from ..brief import DIFFER_TITLE, brief_heading, copies_of, differ_lines

    console.print(Text(brief_heading(brief), style="bold"))
    copies = copies_of(brief)

    for section, items in sections(brief):
        console.print()
        console.print(Text(section_title(section), style="bold underline"))
        for b in items:
            text, cites, note = line_parts(b, brief.total_sources, cite, copies)
            line = Text("• ")
            line.append(text)
            if cites:
                line.append(" ")
                line.append(cites, style="bold cyan")
            if note:
                line.append(" ")
                line.append(note, style="red" if not b.supported else "dim")
            console.print(line)
    if not brief.sentences:
        console.print(Text("(the brief is empty)", style="dim"))
    if brief.disagreements:
        console.print()
        console.print(Text(DIFFER_TITLE, style="bold underline"))
        for about, versions in differ_lines(brief):
            console.print(Text(f"• {about}"))
            for value, text, cites in versions:
                line = Text(f"    {value}: ", style="bold")
                line.append(text, style="")
                line.append(f" {cites}", style="bold cyan")
                console.print(line)
    # A developing story's note, timeline and latest figures, as in --format txt.
    for line in story_sections(brief, cite=cite):
        console.print(Text(line))
    _print_sources(brief, console)


def _print_sources(brief: Brief, console: Console) -> None:
    """The sources table, as wide as the terminal."""
    rows = brief.manifest.get("sources") or []
    if not rows:
        return
    console.print()
    # The title takes the width and wraps: titles of one story often
    # share their first words ("Russian President Vladimir Putin ..."),
    # and what tells them apart comes last. File names are cut to their
    # base name (the full path is in --format json).
    table = Table(title="Sources", title_justify="left", show_lines=False, expand=True)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("file", no_wrap=True, overflow="ellipsis", max_width=FILE_COLUMN)
    # Undated sources leave the title its room; a line below says so.
    dated = any(r.get("published") for r in rows)
    if dated:
        table.add_column("date", no_wrap=True)
    table.add_column("title or first line", overflow="fold", ratio=1)
    table.add_column("sentences", justify="right", no_wrap=True)
    for r in rows:
        copy = f"[copy of {r['copy_of']}] " if r.get("copy_of") else ""
        table.add_row(Text(str(r["id"])), Text(base_name(str(r["file"]))),
                      *([Text(source_date(r))] if dated else []), Text(copy + str(r["title"])),
                      Text(str(r["sentences"])))
    console.print(table)
    for line in off_topic_lines(brief):
        console.print(Text(line, style="yellow"))
    if not dated:
        console.print(Text("No source gives a publication date (--date FILE=YYYY-MM-DD gives one).", style="dim"))


@main.command()
@click.argument("articles", nargs=-1, type=click.Path())
@click.option("--cite", is_flag=True, help="Print the cited sentence IDs after each brief sentence, e.g. [1.9, 2.1].")
@brief_inputs
@click.option("--dates", "timeline_days", type=int, default=None, metavar="N",
              help="Days in a developing story's timeline [default: as many as the story needs, "
                   f"{MIN_DATES} to {MAX_DATES}].")
@click.option("--llm", "llm", default=None, metavar="MODEL",
              help="Write the brief with this instruction-tuned causal LM, run locally with transformers "
                   "(Hugging Face id or directory). Every sentence is still checked against its citations; "
                   "if too few pass, the extractive brief is shown with a warning.")
@click.option("--llm-endpoint", default=None, metavar="URL",
              help="Write the brief with an OpenAI-compatible chat-completions server (llama.cpp, Ollama, vLLM), "
                   "e.g. http://127.0.0.1:8080; checked the same way.")
@click.option("--llm-model", default=None, metavar="NAME",
              help="Model name for --llm-endpoint (default: the first model the server lists).")
@click.option("--prompt", default=None, metavar="NAME|FILE",
              help=f"Prompt template for --llm/--llm-endpoint: a name in prompts/ or a .toml file "
                   f"[default: {DEFAULT_PROMPT}].")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Seed for --llm/--llm-endpoint generation (decoding is greedy); recorded in the manifest.")
@format_option(FORMATS)
@out_option("Write to this file (atomically).")
@language_option
@date_option
def summarize(articles: tuple[str, ...], cite: bool, translations: str | None, model: str | None,
              sentences: int | None, words: int | None, embedder: str | None, no_cache: bool,
              keep_off_topic: bool, timeline_days: int | None, llm: str | None, llm_endpoint: str | None,
              llm_model: str | None, prompt: str | None, seed: int, fmt: str, out: str | None, language: str, dates: tuple[str, ...] = ()) -> None:
    """One English brief of ARTICLES (files, directories, or - for stdin):
    key points with how many sources agree, notable quotes, claims from one
    source only, and the sources. Every sentence is checked against the
    source sentences it cites; JSON always carries the citations.

    \b
    Examples:
      toolkit summarize --cite --translations examples/en/ examples/
      toolkit summarize --cite -t translated.jsonl -n 5 --format md articles/
      toolkit summarize --cite -t translated.jsonl --llm-endpoint http://127.0.0.1:8080 articles/
    """
    from ..embed import Embedder
    from .progress import StepProgress

    if not articles:
        raise InputError("no articles given; name the article files (or - for stdin)")
    brief_length(sentences, words)  # a usage error before any work
    timeline_dates(timeline_days)
    use_llm = bool(llm or llm_endpoint)
    if not use_llm and (llm_model or prompt):
        raise click.UsageError("--llm-model and --prompt need --llm or --llm-endpoint")
    if use_llm and words is not None:
        raise click.UsageError("--words does not apply to an LLM brief; use --sentences")
    chat = None
    if use_llm:
        from ..llm import load_prompt, open_chat_model

        # Checked before any translation or model loading, so a typo fails fast.
        chat = open_chat_model(model=llm, endpoint=llm_endpoint, endpoint_model=llm_model, seed=seed)
        template = load_prompt(prompt)
    progress = StepProgress()
    loaded = read_articles(articles, need_sentences="summarise", language=language, dates=dates, progress=progress,
                           use_cache=not no_cache)
    loaded, english, flags, source = english_for(loaded, translations, model, not no_cache)
    emb = Embedder(embedder, use_cache=not no_cache, progress=progress)
    if chat is not None:
        from ..llm import llm_brief

        brief = llm_brief(loaded, english, chat, prompt=template, sentences=sentences, embedder=emb, flags=flags,
                          manifest={"english": source})
    else:
        brief = build_brief(loaded, english, flags=flags, sentences=sentences, words=words, embedder=emb,
                            dates=timeline_days, manifest={"english": source}, keep_off_topic=keep_off_topic)
    mark_languages(brief, loaded)
    for w in brief.warnings:
        warn(w)
    if fmt == "json":
        emit(dumps_json(brief.to_dict()), out)
    elif fmt in ("md", "txt"):
        emit(render_text(brief, cite=cite, markdown=fmt == "md"), out)
    elif out:
        buf = io.StringIO()
        render_rich(brief, cite=cite, console=safe_console(Console(file=buf, width=100, color_system=None, soft_wrap=False)))
        emit(buf.getvalue(), out)
    else:
        render_rich(brief, cite=cite, console=stdout_console())

"""`toolkit report`: the brief beside its evidence, as one HTML file (or
Markdown for a CMS)."""
from __future__ import annotations

from typing import Any

import click

from ..brief import brief_length
from ..report import DEFAULT_FORMAT, FORMATS, build_report, render
from . import main
from .common import date_option, emit, language_option, out_option, read_articles, warn
from .options import brief_inputs
from .summarize import check_english_source, english_for, mark_languages

@main.command()
@click.argument("articles", nargs=-1, type=click.Path())
@brief_inputs
@language_option
@date_option
@click.option("--refs", "refs_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Human reference translations (a directory like refs/): adds BLEU, chrF, chrF++ and TER "
                   "of the English shown, per article and overall.")
@click.option("--format", "fmt", type=click.Choice(tuple(FORMATS)), default=DEFAULT_FORMAT, show_default=True,
              help="html: one self-contained page; md: Markdown for pasting into a CMS.")
@out_option("Write to FILE (atomically) instead of stdout, e.g. brief.html.")
def report(articles: tuple[str, ...], translations: str | None, model: str | None, sentences: int | None,
           words: int | None, embedder: str | None, no_cache: bool, keep_off_topic: bool, language: str,
           refs_dir: str | None,
           fmt: str, out: str | None, dates: tuple[str, ...] = ()) -> None:
    """A verification report for ARTICLES (files, directories, or - for
    stdin): the brief, each citation a link to the cited Arabic sentence
    beside its English; every article side by side with translation flags;
    the sources, removed boilerplate, scores with --refs, and the
    reproducibility manifest. The HTML file needs no network and runs no
    article content.

    \b
    Examples:
      toolkit report --translations examples/en/ --refs examples/en/ examples/ --out brief.html
      toolkit report -t translated.jsonl --refs refs/ --format md articles/ --out brief.md
    """
    from ..brief import build_brief
    from ..embed import Embedder
    from .progress import StepProgress

    brief_length(sentences, words)  # a usage error before any work
    progress = StepProgress()
    loaded = read_articles(articles, need_sentences="report on", language=language, dates=dates, progress=progress,
                           use_cache=not no_cache)
    references = None
    options: dict[str, Any] = {"format": fmt}
    if refs_dir:
        # Checked before any model work: a misaligned reference set stops here.
        from ..references import load_references

        # English articles are not translations: there is nothing to score.
        check_english_source(refs_dir, loaded, "--refs")
        references = load_references(refs_dir, [a for a in loaded if a.language != "en"])
        options["refs"] = refs_dir
    loaded, english, flags, source = english_for(loaded, translations, model, not no_cache)
    emb = Embedder(embedder, use_cache=not no_cache, progress=progress)
    brief = build_brief(loaded, english, flags=flags, sentences=sentences, words=words, embedder=emb,
                        manifest={"english": source}, keep_off_topic=keep_off_topic)
    mark_languages(brief, loaded)
    for w in brief.warnings:
        warn(w)
    result = build_report(loaded, english, brief, flags=flags, references=references,
                          manifest={"report": options})
    emit(render(result, fmt), out)
    if out:
        click.echo(f"wrote {out}", err=True)

"""`toolkit score` and `toolkit eval`: sacrebleu scores with signatures."""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, Sequence

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from ..score import (
    BOOTSTRAP_SAMPLES, DEFAULT_LANGPAIR, DEFAULT_METRICS, LOWER_IS_BETTER, PAIRED_TESTS, Document, ScoreReport,
    load_documents, metric_names, score_documents, testset_document,
)
from . import main
from .common import dumps_json, emit, format_option, out_option, safe_console, stdout_console

FORMATS = ("rich", "json", "text")
WORST_DEFAULT = 10


def notice(message: str) -> None:
    click.echo(f"notice: {message}", err=True)


def _metrics_option(f):
    return click.option(
        "--metrics", "metrics", default=",".join(DEFAULT_METRICS), show_default=True,
        help="Comma-separated sacrebleu metrics: bleu, chrf, chrf++ (chrF with word n-grams), ter.")(f)


def _common_options(f):
    for opt in reversed([
        _metrics_option,
        click.option("--worst", type=click.IntRange(0, None), default=WORST_DEFAULT, show_default=True,
                     help="List this many sentences with the lowest sentence-level chrF (0: none)."),
        click.option("--confidence", is_flag=True,
                     help="Add 95% confidence intervals by bootstrap resampling (sacrebleu's --confidence)."),
        click.option("--samples", type=click.IntRange(0, None), default=0,
                     help=f"Resamples for --confidence and paired tests (0: sacrebleu's default, {BOOTSTRAP_SAMPLES} "
                          "for bootstrap, 10000 for approximate randomization)."),
        click.option("--width", type=click.IntRange(0, 10), default=1, show_default=True,
                     help="Decimals shown, as sacrebleu's --width (JSON always has full precision)."),
        format_option(FORMATS),
        out_option("Write to this file (atomically)."),
    ]):
        f = opt(f)
    return f


@main.command()
@click.argument("hypothesis", type=click.Path())
@click.option("--ref", "-r", "ref", type=click.Path(),
              help="Reference file, or a directory of *.txt files paired with those of HYPOTHESIS by article name "
                   "(file name up to the first dot).")
@click.option("--testset", "-t", help="A sacrebleu test set instead of --ref, e.g. iwslt17 (uses $SACREBLEU).")
@click.option("--langpair", "-l", default=DEFAULT_LANGPAIR, show_default=True, help="Language pair of --testset.")
@click.option("--compare", type=click.Path(),
              help="A baseline system's output (same layout as HYPOTHESIS): paired significance test.")
@click.option("--paired", type=click.Choice(PAIRED_TESTS), default="bs", show_default=True,
              help="Paired test for --compare: bs = paired bootstrap, ar = approximate randomization.")
@click.option("--encoding", help="Encoding of files without a byte-order mark (default UTF-8).")
@_common_options
def score(hypothesis: str, ref: str | None, testset: str | None, langpair: str, compare: str | None, paired: str,
          encoding: str | None, metrics: str, worst: int, confidence: bool, samples: int, width: int, fmt: str,
          out: str | None) -> None:
    """Score HYPOTHESIS (a file or a directory of per-article files) against
    human references with sacrebleu: BLEU, chrF, chrF++ and TER with their
    signatures, corpus-level and per article.

    Lines are paired one to one; an article whose hypothesis and reference
    have different line counts is scored as a single document-level segment,
    with a notice. Exit codes: 0 scored, 2 bad input (missing, empty or
    undecodable file, unpaired hypothesis, unknown test set), 4 reference set
    out of alignment with its manifest.
    """
    names = metric_names(metrics)
    if (ref is None) == (testset is None):
        raise InputError("give exactly one of --ref REF or --testset NAME")
    if testset:
        docs = [testset_document(hypothesis, testset, langpair, encoding=encoding)]
        base = [testset_document(compare, testset, langpair, encoding=encoding)] if compare else None
        notices: list[str] = []
        ref_label = f"{testset} {langpair}"
    else:
        ids = _reference_ids(ref)
        docs, notices = load_documents(hypothesis, ref, encoding=encoding, ids=ids)
        base = None
        if compare:
            base, more = load_documents(compare, ref, encoding=encoding, ids=ids)
            notices += [m for m in more if m not in notices]
        ref_label = ref
    report = score_documents(
        docs, names, confidence=(samples or BOOTSTRAP_SAMPLES) if confidence else 0,
        worst=0 if fmt == "text" else worst,
        compare=base, paired=paired, paired_samples=samples, names=(hypothesis, compare or ""))
    _render(report, fmt, out, width, {"hypothesis": hypothesis, "reference": ref_label}, notices)


def _reference_ids(ref: str | None) -> dict[str, list[str]] | None:
    """Sentence labels from a reference set's manifest; also proves that its
    files still hold the lines the manifest recorded (IntegrityError if not)."""
    from ..references import has_manifest, reference_ids

    if ref and Path(ref).is_dir() and has_manifest(ref):
        return reference_ids(ref)
    return None


def _fmt(value: float | None, width: int) -> str:
    return "-" if value is None else f"{value:.{width}f}"


def _render(report: ScoreReport, fmt: str, out: str | None, width: int, inputs: dict[str, Any],
            notices: Sequence[str], manifest: dict[str, Any] | None = None) -> None:
    all_notices = list(notices) + report.notices
    for n in all_notices:
        notice(n)
    if fmt == "json":
        data = {**inputs, **report.to_dict()}
        data["notices"] = all_notices
        if manifest is not None:
            data["manifest"] = manifest
        emit(dumps_json(data), out)
        return
    if fmt == "text":
        # Exactly the lines the sacrebleu command line prints.
        emit("\n".join(m.line(width) for m in report.corpus.values()), out)
        return
    buffer = io.StringIO() if out else None
    console = safe_console(Console(file=buffer, width=160)) if buffer else stdout_console()
    if manifest is not None:
        console.print(_manifest_table(manifest))
    console.print(_corpus_table(report, width))
    if len(report.documents) > 1:
        console.print(_documents_table(report, width))
    if report.worst:
        console.print(_worst_table(report, width))
    if report.comparison:
        console.print(_comparison_table(report, width))
    console.print("[bold]Signatures[/bold] (as the sacrebleu command line prints them)")
    for m in report.corpus.values():
        console.print(m.line(width), markup=False, highlight=False, soft_wrap=True)
    if buffer:
        emit(buffer.getvalue(), out)


def _corpus_table(report: ScoreReport, width: int) -> Table:
    table = Table(title=f"Corpus ({report.segments} segments, {len(report.documents)} document(s))")
    table.add_column("metric", style="bold", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("95% CI", justify="right", no_wrap=True)
    table.add_column("detail", overflow="fold")
    for key, m in report.corpus.items():
        ci = f"μ {_fmt(m.mean, width)} ± {_fmt(m.ci, width)}" if m.ci is not None else "-"
        direction = " (lower is better)" if key in LOWER_IS_BETTER else ""
        table.add_row(m.name, _fmt(m.score, width), ci, m.verbose + direction)
    return table


def _documents_table(report: ScoreReport, width: int) -> Table:
    table = Table(title="Per article")
    table.add_column("article", style="cyan", overflow="fold")
    table.add_column("level", no_wrap=True, min_width=8)
    table.add_column("hyp/ref", justify="right", no_wrap=True)
    keys = list(report.corpus)
    for key in keys:
        table.add_column(report.corpus[key].name, justify="right", no_wrap=True, min_width=width + 4)
    for d in report.documents:
        table.add_row(Text(d.name), d.level if d.level == "sentence" else "[yellow]document[/yellow]",
                      f"{d.hyp_lines}/{d.ref_lines}", *(_fmt(d.scores[k].score, width) for k in keys))
    return table


def _worst_table(report: ScoreReport, width: int) -> Table:
    table = Table(title=f"Lowest sentence-level chrF ({len(report.worst)})", show_lines=True)
    table.add_column("ID", style="bold cyan", no_wrap=True)
    table.add_column("chrF", justify="right", no_wrap=True)
    table.add_column("hypothesis", overflow="fold")
    table.add_column("reference", overflow="fold")
    for s in report.worst:
        table.add_row(Text(s.id), _fmt(s.score, width), Text(s.hypothesis), Text(s.reference))
    return table


def _comparison_table(report: ScoreReport, width: int) -> Table:
    c = report.comparison
    assert c is not None
    label = "paired bootstrap" if c.test == "bs" else "approximate randomization"
    table = Table(title=f"Paired significance ({label}, {c.samples} samples)",
                  caption="p < 0.05: the difference is unlikely to be chance; with few sentences even large "
                          "differences may not be significant.")
    table.add_column("metric", style="bold", no_wrap=True)
    # File and system names are data, never Rich markup.
    table.add_column(Text(f"baseline: {c.baseline}"), justify="right", overflow="fold")
    table.add_column(Text(f"system: {c.system}"), justify="right", overflow="fold")
    table.add_column("p-value", justify="right", no_wrap=True)
    for key, s in c.system_scores.items():
        b = c.baseline_scores[key]
        p = c.p_values.get(key)
        sig = "" if p is None else (" *" if p < 0.05 else "")

        def cell(m):
            return _fmt(m.score, width) + (f" (μ {_fmt(m.mean, width)} ± {_fmt(m.ci, width)})" if m.ci is not None else "")

        table.add_row(s.name, cell(b), cell(s), ("-" if p is None else f"{p:.4f}") + sig)
    return table


def _manifest_table(manifest: dict[str, Any]) -> Table:
    table = Table(title="Model", show_header=False)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for k, v in manifest.items():
        table.add_row(Text(str(k)), Text(v if isinstance(v, str) else dumps_json(v)))
    return table


# -- eval --------------------------------------------------------------------------


def eval_documents(articles, translations: dict[str, Any], references: dict[str, str]) -> list[Document]:
    """One document per article: its sentences' translations against their
    references, in sentence order, labelled with sentence IDs."""
    from ..errors import IntegrityError

    docs = []
    for art in articles:
        hyp, ref, ids = [], [], []
        for s in art.sentences:
            t = translations.get(s.id)
            if t is None:
                raise IntegrityError(f"{art.source}: sentence {s.id} has no translation; nothing is scored "
                                     "with a missing line")
            hyp.append(" ".join(getattr(t, "text", t).split()))
            ref.append(references[s.id])
            ids.append(s.id)
        docs.append(Document(name=art.name, hypothesis=tuple(hyp), reference=tuple(ref), ids=tuple(ids),
                             hyp_source=art.source, ref_source=art.name))
    return docs


@main.command("eval")
@click.argument("articles", nargs=-1, required=True)
@click.option("--refs", "refs", type=click.Path(), required=True,
              help="Reference set directory (<article>.en.txt + manifest.tsv, see refs/README.md).")
@click.option("--model", help="Model id or alias (config: model).")
@click.option("--engine", type=click.Choice(("auto", "ctranslate2", "transformers")),
              help="Inference engine (config: engine).")
@click.option("--beam", type=click.IntRange(1, None), help="Beam size (config: beam).")
@click.option("--no-cache", is_flag=True, help="Translate again even when the cache has the sentence.")
@click.option("--max-tokens", type=click.IntRange(8, None), default=None,
              help="Token budget per sentence; must match the one the references were aligned with.")
@_common_options
def eval_(articles: tuple[str, ...], refs: str, model: str | None, engine: str | None, beam: int | None,
          no_cache: bool, max_tokens: int | None, metrics: str, worst: int, confidence: bool, samples: int,
          width: int, fmt: str, out: str | None) -> None:
    """Translate ARTICLES (through the translation cache) and score them
    against the reference set in --refs: per-article and total scores, the
    model manifest and the sacrebleu signatures.

    The references are checked against the current segmentation first;
    exit code 4 names the article and the first sentence out of alignment.
    """
    from ..references import load_references
    from .common import read_articles

    names = metric_names(metrics)
    docs_in = read_articles(articles, max_tokens=max_tokens)
    if not docs_in:
        raise InputError("no articles to evaluate")
    if not os.path.isdir(refs):
        raise InputError("not a directory", refs)
    references = load_references(refs, docs_in)
    from ..translate import translate_articles

    options = {k: v for k, v in (("model", model), ("engine", engine), ("beam", beam)) if v is not None}
    run = translate_articles(docs_in, use_cache=not no_cache, **options)
    docs = eval_documents(docs_in, run.translations, references)
    report = score_documents(docs, names, confidence=(samples or BOOTSTRAP_SAMPLES) if confidence else 0,
                             worst=worst)
    _render(report, fmt, out, width, {"articles": [a.source for a in docs_in], "references": refs}, [],
            manifest=dict(run.manifest))

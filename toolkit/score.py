"""Scoring translations against human references with sacrebleu.

Every number comes from sacrebleu's own Python API with the same defaults as
the ``sacrebleu`` command line, so a score printed here and one printed by
``sacrebleu REF -i HYP -m bleu chrf ter`` are the same number with the same
signature. ``METRICS`` is a registry in sacrebleu's style: ``METRICS[name]()``
returns a fresh metric object; keyword arguments go to the sacrebleu class.

Alignment is never guessed. A document whose hypothesis and reference have
the same number of lines is scored line by line; otherwise the whole
document becomes one segment on each side (document-level scoring) and a
notice says so, because pairing lines of differently segmented texts would
silently compare unrelated sentences.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .errors import InputError
from .fileio import read_lines

# -- metric registry ---------------------------------------------------------


def _bleu(**kw: Any):
    from sacrebleu.metrics import BLEU

    return BLEU(**kw)


def _chrf(**kw: Any):
    from sacrebleu.metrics import CHRF

    return CHRF(**kw)


def _chrf_pp(**kw: Any):
    from sacrebleu.metrics import CHRF

    # chrF++ is chrF with word unigrams and bigrams (Popović 2017); sacrebleu
    # names it by the word order it was built with.
    kw.setdefault("word_order", 2)
    return CHRF(**kw)


def _ter(**kw: Any):
    from sacrebleu.metrics import TER

    return TER(**kw)


METRICS: dict[str, Callable[..., Any]] = {
    "bleu": _bleu,
    "chrf": _chrf,
    "chrf++": _chrf_pp,
    "ter": _ter,
}
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "chrf++", "ter")
# TER's direction is the other way round: fewer edits is better.
LOWER_IS_BETTER = frozenset({"ter"})
WORST_METRIC = "chrf"
# sacrebleu's command-line defaults for resampling.
BOOTSTRAP_SAMPLES = 1000
PAIRED_TESTS = ("bs", "ar")
# Below this many segments a corpus score is dominated by a few sentences.
FEW_SEGMENTS = 100
DEFAULT_LANGPAIR = "ar-en"


def metric_names(spec: str | Sequence[str] | None) -> tuple[str, ...]:
    """Validate a metric list ("bleu,chrf" or a sequence); keeps the order."""
    if spec is None:
        return DEFAULT_METRICS
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        if name not in METRICS:
            raise InputError(f"unknown metric {item.strip()!r}; known: {', '.join(METRICS)}")
        if name not in names:
            names.append(name)
    if not names:
        raise InputError(f"no metric given; known: {', '.join(METRICS)}")
    return tuple(names)


# -- documents ----------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One article's hypothesis and reference lines. ``ids`` names each
    reference line (sentence IDs when known, else ``name:line``)."""

    name: str
    hypothesis: tuple[str, ...]
    reference: tuple[str, ...]
    ids: tuple[str, ...] = ()
    hyp_source: str = ""
    ref_source: str = ""

    @property
    def aligned(self) -> bool:
        return len(self.hypothesis) == len(self.reference)

    def line_ids(self) -> tuple[str, ...]:
        if len(self.ids) == len(self.reference):
            return self.ids
        return tuple(f"{self.name}:{i}" for i in range(1, len(self.reference) + 1))


def article_key(path: Path) -> str:
    """The article a file belongs to: its name up to the first dot, so
    ``000_x.txt``, ``000_x.en.txt`` and ``000_x.hyp.txt`` pair up."""
    return path.name.split(".", 1)[0]


def _text_files(directory: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for p in sorted(directory.iterdir()):
        if not p.is_file() or p.name.startswith(".") or not p.name.endswith(".txt"):
            continue
        key = article_key(p)
        if key in files:
            raise InputError(f"two files for article {key!r}: {files[key].name} and {p.name}", str(directory))
        files[key] = p
    return files


def pair_paths(hyp: str | os.PathLike[str], ref: str | os.PathLike[str]) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """Pair a hypothesis with a reference: two files, or two directories whose
    ``*.txt`` files are matched by article name. Returns (pairs, notices).

    A hypothesis without a reference is an error (it cannot be scored and
    leaving it out would change the total); references without a hypothesis
    are reported and left out."""
    hp, rp = Path(hyp), Path(ref)
    for p in (hp, rp):
        if not p.exists():
            raise InputError("no such file or directory", str(p))
    if not hp.is_dir() and not rp.is_dir():  # files, pipes or devices
        return [(article_key(rp), hp, rp)], []
    if hp.is_dir() != rp.is_dir():
        raise InputError(f"cannot pair a {'directory' if hp.is_dir() else 'file'} of hypotheses "
                         f"with a {'directory' if rp.is_dir() else 'file'} of references ({rp})", str(hp))
    hyps, refs = _text_files(hp), _text_files(rp)
    if not hyps:
        raise InputError("no *.txt hypothesis files in directory", str(hp))
    missing = [k for k in hyps if k not in refs]
    if missing:
        raise InputError(f"no reference in {rp} for {', '.join(hyps[k].name for k in missing)}", str(hp))
    notices = []
    unused = [refs[k].name for k in refs if k not in hyps]
    if unused:
        notices.append(f"no hypothesis for {len(unused)} reference file(s), not scored: {', '.join(unused)}")
    return [(k, hyps[k], refs[k]) for k in hyps], notices


# -- results -------------------------------------------------------------------


@dataclass
class MetricScore:
    """One metric's value with its sacrebleu signature. ``line`` is exactly
    what the sacrebleu command line prints for it at the given width."""

    metric: str
    name: str
    score: float
    signature: str
    verbose: str = ""
    mean: float | None = None
    ci: float | None = None

    def line(self, width: int = 1) -> str:
        text = f"{self.name}|{self.signature} = {self.score:.{width}f}"
        if self.mean is not None and self.ci is not None:
            text += f" (μ = {self.mean:.{width}f} ± {self.ci:.{width}f})"
        if self.verbose:
            text += f" {self.verbose}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "name": self.name, "score": self.score,
            "signature": f"{self.name}|{self.signature}", "verbose": self.verbose,
            "mean": self.mean, "ci": self.ci,
        }


@dataclass
class DocumentResult:
    name: str
    level: str  # "sentence" or "document"
    hyp_lines: int
    ref_lines: int
    scores: dict[str, MetricScore]
    hyp_source: str = ""
    ref_source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "level": self.level, "hypothesis": self.hyp_source,
            "reference": self.ref_source, "hyp_lines": self.hyp_lines, "ref_lines": self.ref_lines,
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
        }


@dataclass
class SentenceResult:
    id: str
    score: float
    hypothesis: str
    reference: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "chrf": self.score, "hypothesis": self.hypothesis, "reference": self.reference}


@dataclass
class Comparison:
    """A paired test of the scored system against a baseline."""

    test: str
    samples: int
    baseline: str
    system: str
    baseline_scores: dict[str, MetricScore]
    system_scores: dict[str, MetricScore]
    p_values: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test, "samples": self.samples, "baseline": self.baseline, "system": self.system,
            "metrics": {
                k: {"baseline": self.baseline_scores[k].to_dict(), "system": self.system_scores[k].to_dict(),
                    "p_value": self.p_values.get(k)}
                for k in self.system_scores
            },
        }


@dataclass
class ScoreReport:
    corpus: dict[str, MetricScore]
    documents: list[DocumentResult]
    segments: int
    worst: list[SentenceResult] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    comparison: Comparison | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": {k: v.to_dict() for k, v in self.corpus.items()},
            "segments": self.segments,
            "documents": [d.to_dict() for d in self.documents],
            "worst": [w.to_dict() for w in self.worst],
            "comparison": self.comparison.to_dict() if self.comparison else None,
            "notices": list(self.notices),
        }


# -- scoring -------------------------------------------------------------------


def _metric_score(key: str, metric: Any, score: Any) -> MetricScore:
    mean = ci = None
    if getattr(score, "_mean", -1.0) > 0:
        mean, ci = float(score._mean), float(score._ci)
    return MetricScore(
        metric=key, name=score.name, score=float(score.score),
        signature=metric.get_signature().format(), verbose=getattr(score, "_verbose", "") or "",
        mean=mean, ci=ci,
    )


def corpus_scores(hypotheses: Sequence[str], references: Sequence[str], metrics: Sequence[str] = DEFAULT_METRICS,
                  *, n_bootstrap: int = 1, metric_kwargs: Mapping[str, Mapping[str, Any]] | None = None
                  ) -> dict[str, MetricScore]:
    """Corpus-level scores of parallel segment lists (one reference each)."""
    if len(hypotheses) != len(references):
        raise InputError(f"{len(hypotheses)} hypothesis segments against {len(references)} reference segments")
    out = {}
    for key in metrics:
        metric = METRICS[key](**dict((metric_kwargs or {}).get(key, {})))
        score = metric.corpus_score(list(hypotheses), [list(references)], n_bootstrap=n_bootstrap)
        out[key] = _metric_score(key, metric, score)
    return out


def sentence_score(hypothesis: str, reference: str, metric: str = WORST_METRIC) -> float:
    return float(METRICS[metric]().sentence_score(hypothesis, [reference]).score)


def _segments(doc: Document, sentence_level: bool) -> tuple[list[str], list[str]]:
    if sentence_level:
        return list(doc.hypothesis), list(doc.reference)
    # Document level: one segment per side. Empty lines carry no words.
    return [" ".join(x for x in doc.hypothesis if x)], [" ".join(x for x in doc.reference if x)]


def score_documents(
    documents: Sequence[Document],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    confidence: int = 0,
    worst: int = 0,
    compare: Sequence[Document] | None = None,
    paired: str = "bs",
    paired_samples: int = 0,
    names: tuple[str, str] = ("system", "baseline"),
) -> ScoreReport:
    """Score documents corpus-wide and one by one.

    `confidence` > 1 adds bootstrap 95% confidence intervals with that many
    resamples; `worst` lists that many lowest sentence-level chrF segments;
    `compare` (the same documents translated by a baseline) runs sacrebleu's
    paired bootstrap (``bs``) or approximate randomization (``ar``) test.
    """
    if not documents:
        raise InputError("nothing to score")
    metrics = metric_names(metrics)
    if compare is not None:
        if [d.name for d in compare] != [d.name for d in documents]:
            raise InputError("the compared system must cover the same articles: "
                             f"{', '.join(d.name for d in documents)} vs {', '.join(d.name for d in compare)}")
        if paired not in PAIRED_TESTS:
            raise InputError(f"unknown paired test {paired!r}; known: {', '.join(PAIRED_TESTS)}")
    notices: list[str] = []
    hyps: list[str] = []
    refs: list[str] = []
    base: list[str] = []
    parts: list[tuple[Document, bool, list[str], list[str]]] = []
    sentences: list[SentenceResult] = []
    chrf = METRICS[WORST_METRIC]() if worst else None
    for i, doc in enumerate(documents):
        other = compare[i] if compare is not None else None
        level = doc.aligned and (other is None or other.aligned)
        if not doc.reference or not any(doc.reference):
            raise InputError(f"reference for {doc.name} is empty", doc.ref_source or None)
        if not doc.aligned:
            notices.append(
                f"{doc.name}: hypothesis has {len(doc.hypothesis)} lines, reference {len(doc.reference)}; "
                "scored as one document-level segment (lines are not paired)")
        elif not level:
            notices.append(f"{doc.name}: scored at document level because the compared system's line count differs")
        h, r = _segments(doc, level)
        hyps += h
        refs += r
        parts.append((doc, level, h, r))
        if other is not None:
            base += _segments(other, level)[0]
        if chrf is not None and doc.aligned:
            for sid, hl, rl in zip(doc.line_ids(), doc.hypothesis, doc.reference):
                sentences.append(SentenceResult(sid, float(chrf.sentence_score(hl, [rl]).score), hl, rl))
    n_boot = confidence if confidence > 1 else 1
    corpus = corpus_scores(hyps, refs, metrics, n_bootstrap=n_boot)
    results = []
    for doc, level, h, r in parts:
        # With one document its scores are the corpus scores; not computing
        # them twice halves the time on large test sets.
        scores = corpus_scores(h, r, metrics) if len(parts) > 1 or n_boot > 1 else dict(corpus)
        results.append(DocumentResult(
            name=doc.name, level="sentence" if level else "document", hyp_lines=len(doc.hypothesis),
            ref_lines=len(doc.reference), scores=scores, hyp_source=doc.hyp_source, ref_source=doc.ref_source))
    if len(hyps) < FEW_SEGMENTS and (n_boot > 1 or compare is not None):
        notices.append(f"only {len(hyps)} segment(s): corpus scores on so few sentences vary widely; "
                       "read the interval, not the point score")
    if compare is not None and base == hyps:
        # sacrebleu's paired tests report p = 1/(n+1) for a zero difference
        # (a system against itself is not "different by chance").
        notices.append("the two systems' outputs are identical; the paired test's p-value means nothing here")
    sentences.sort(key=lambda s: s.score)
    comparison = None
    if compare is not None:
        comparison = _paired(hyps, base, refs, metrics, paired, paired_samples, names)
    return ScoreReport(corpus=corpus, documents=results, segments=len(hyps), worst=sentences[:worst],
                       notices=notices, comparison=comparison)


def _paired(system: list[str], baseline: list[str], refs: list[str], metrics: Sequence[str], test: str,
            samples: int, names: tuple[str, str]) -> Comparison:
    from sacrebleu.significance import PairedTest

    objs = {key: METRICS[key](references=[refs]) for key in metrics}
    named = [(names[1], baseline), (names[0], system)]
    # PairedTest keys its results by the score's display name (BLEU, chrF2++).
    ps = PairedTest(named, objs, references=None, test_type=test, n_samples=samples,
                    n_ar_confidence=0 if test == "ar" else -1)
    sigs, scores = ps()
    base_scores: dict[str, MetricScore] = {}
    sys_scores: dict[str, MetricScore] = {}
    p_values: dict[str, float | None] = {}
    display = [k for k in scores if k != "System"]
    for key, disp in zip(metrics, display):
        sig = sigs[disp].format()
        b, s = scores[disp][0], scores[disp][1]
        base_scores[key] = MetricScore(key, disp, float(b.score), sig, mean=_f(b.mean), ci=_f(b.ci))
        sys_scores[key] = MetricScore(key, disp, float(s.score), sig, mean=_f(s.mean), ci=_f(s.ci))
        p_values[key] = _f(s.p_value)
    return Comparison(test=test, samples=ps.n_samples, baseline=names[1], system=names[0],
                      baseline_scores=base_scores, system_scores=sys_scores, p_values=p_values)


def _f(x: Any) -> float | None:
    return None if x is None else float(x)


# -- loading inputs --------------------------------------------------------------


def load_documents(hyp: str | os.PathLike[str], ref: str | os.PathLike[str], *, encoding: str | None = None,
                   ids: Mapping[str, Sequence[str]] | None = None) -> tuple[list[Document], list[str]]:
    """Read and pair hypothesis and reference files or directories.
    `ids` optionally maps an article name to the sentence ID of each line."""
    pairs, notices = pair_paths(hyp, ref)
    docs = []
    for name, hp, rp in pairs:
        h = read_lines(hp, encoding)
        r = read_lines(rp, encoding)
        if not any(h):
            raise InputError("hypothesis is empty", str(hp))
        if not any(r):
            raise InputError("reference is empty", str(rp))
        docs.append(Document(name=name, hypothesis=tuple(h), reference=tuple(r),
                             ids=tuple((ids or {}).get(name, ())), hyp_source=str(hp), ref_source=str(rp)))
    return docs, notices


def testset_references(testset: str, langpair: str = DEFAULT_LANGPAIR) -> tuple[list[str], str]:
    """The reference lines of a sacrebleu test set (from sacrebleu's cache,
    ``$SACREBLEU`` or ``~/.sacrebleu``, downloading it when online), and the
    file they came from. Only single-reference sets are supported.
    sacrebleu reads ``$SACREBLEU`` once, when it is first imported."""
    from sacrebleu.dataset import DATASETS
    from sacrebleu.utils import SACREBLEU_DIR

    if testset not in DATASETS:
        raise InputError(f"unknown sacrebleu test set {testset!r} (list them with: sacrebleu --list)")
    dataset = DATASETS[testset]
    if langpair not in dataset.langpairs:
        raise InputError(f"test set {testset} has no {langpair}; it has {', '.join(sorted(dataset.langpairs))}")
    try:
        files = dataset.get_reference_files(langpair)
    except (Exception, SystemExit) as exc:  # sacrebleu exits or raises URLError when offline
        where = SACREBLEU_DIR
        raise InputError(f"test set {testset} {langpair} is not in the sacrebleu cache at {where} and could not be "
                         f"downloaded ({type(exc).__name__}); set SACREBLEU to a cache that holds it") from None
    if len(files) != 1:
        raise InputError(f"test set {testset} {langpair} has {len(files)} references; only one is supported")
    return read_lines(files[0]), files[0]


def testset_document(hyp: str | os.PathLike[str], testset: str, langpair: str = DEFAULT_LANGPAIR,
                     *, encoding: str | None = None) -> Document:
    refs, ref_file = testset_references(testset, langpair)
    lines = read_lines(hyp, encoding)
    if not any(lines):
        raise InputError("hypothesis is empty", str(hyp))
    if len(lines) != len(refs):
        # A test set is aligned by definition; a different count means the
        # wrong file or a lost line, which document-level scoring would hide.
        raise InputError(f"{len(lines)} lines, but test set {testset} {langpair} has {len(refs)}", str(hyp))
    name = f"{testset}:{langpair}"
    return Document(name=name, hypothesis=tuple(lines), reference=tuple(refs),
                    hyp_source=str(hyp), ref_source=ref_file)

"""Scoring: corpus and sentence scores, documents one by one and together,
confidence intervals and paired tests, all through sacrebleu's API."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..errors import InputError
from .documents import Document
from .metrics import DEFAULT_METRICS, FEW_SEGMENTS, METRICS, PAIRED_TESTS, WORST_METRIC, metric_names
from .results import Comparison, DocumentResult, MetricScore, ScoreReport, SentenceResult

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
        _check_comparable(documents, compare, paired)
    seg = _segment_all(documents, compare, worst)
    n_boot = confidence if confidence > 1 else 1
    corpus = corpus_scores(seg.hyps, seg.refs, metrics, n_bootstrap=n_boot)
    results = [_document_result(doc, level, h, r, metrics, corpus, len(seg.parts) > 1 or n_boot > 1)
               for doc, level, h, r in seg.parts]
    if len(seg.hyps) < FEW_SEGMENTS and (n_boot > 1 or compare is not None):
        seg.notices.append(f"only {len(seg.hyps)} segment(s): corpus scores on so few sentences vary widely; "
                           "read the interval, not the point score")
    if compare is not None and seg.base == seg.hyps:
        # sacrebleu's paired tests report p = 1/(n+1) for a zero difference
        # (a system against itself is not "different by chance").
        seg.notices.append("the two systems' outputs are identical; the paired test's p-value means nothing here")
    seg.sentences.sort(key=lambda x: x.score)
    comparison = None
    if compare is not None:
        comparison = _paired(seg.hyps, seg.base, seg.refs, metrics, paired, paired_samples, names)
    return ScoreReport(corpus=corpus, documents=results, segments=len(seg.hyps), worst=seg.sentences[:worst],
                       notices=seg.notices, comparison=comparison)


def _check_comparable(documents: Sequence[Document], compare: Sequence[Document], paired: str) -> None:
    if [d.name for d in compare] != [d.name for d in documents]:
        raise InputError("the compared system must cover the same articles: "
                         f"{', '.join(d.name for d in documents)} vs {', '.join(d.name for d in compare)}")
    if paired not in PAIRED_TESTS:
        raise InputError(f"unknown paired test {paired!r}; known: {', '.join(PAIRED_TESTS)}")


@dataclass
class _Segments:
    """Every document's segments, in order, and what was noticed on the way."""

    hyps: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    base: list[str] = field(default_factory=list)  # the compared system's
    parts: list[tuple[Document, bool, list[str], list[str]]] = field(default_factory=list)
    sentences: list[SentenceResult] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _segment_all(documents: Sequence[Document], compare: Sequence[Document] | None, worst: int) -> _Segments:
    """Each document at sentence level when both systems' lines pair with
    the reference's, else as one segment; sentence chrF when `worst`."""
    seg = _Segments()
    chrf = METRICS[WORST_METRIC]() if worst else None
    for i, doc in enumerate(documents):
        other = compare[i] if compare is not None else None
        level = doc.aligned and (other is None or other.aligned)
        if not doc.reference or not any(doc.reference):
            raise InputError(f"reference for {doc.name} is empty", doc.ref_source or None)
        if not doc.aligned:
            seg.notices.append(
                f"{doc.name}: hypothesis has {len(doc.hypothesis)} lines, reference {len(doc.reference)}; "
                "scored as one document-level segment (lines are not paired)")
        elif not level:
            seg.notices.append(f"{doc.name}: scored at document level because the compared system's line count "
                               "differs")
        h, r = _segments(doc, level)
        seg.hyps += h
        seg.refs += r
        seg.parts.append((doc, level, h, r))
        if other is not None:
            seg.base += _segments(other, level)[0]
        if chrf is not None and doc.aligned:
            for sid, hl, rl in zip(doc.line_ids(), doc.hypothesis, doc.reference):
                seg.sentences.append(SentenceResult(sid, float(chrf.sentence_score(hl, [rl]).score), hl, rl))
    return seg


def _document_result(doc: Document, level: bool, h: list[str], r: list[str], metrics: Sequence[str],
                     corpus: dict[str, MetricScore], own: bool) -> DocumentResult:
    # With one document and no resampling its scores are the corpus scores;
    # not computing them twice halves the time on large test sets.
    scores = corpus_scores(h, r, metrics) if own else dict(corpus)
    return DocumentResult(name=doc.name, level="sentence" if level else "document", hyp_lines=len(doc.hypothesis),
                          ref_lines=len(doc.reference), scores=scores, hyp_source=doc.hyp_source,
                          ref_source=doc.ref_source)


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


__all__ = ["corpus_scores", "sentence_score", "score_documents"]

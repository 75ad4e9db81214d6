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

Modules: `metrics` (the registry), `documents` (what is scored), `results`
(the records) and `scoring`. This file only re-exports.
"""
from __future__ import annotations

from .documents import Document, article_key, load_documents, pair_paths, testset_document, testset_references
from .metrics import (BOOTSTRAP_SAMPLES, DEFAULT_LANGPAIR, DEFAULT_METRICS, FEW_SEGMENTS, LOWER_IS_BETTER, METRICS,
                      PAIRED_TESTS, WORST_METRIC, metric_names)
from .results import Comparison, DocumentResult, MetricScore, ScoreReport, SentenceResult
from .scoring import corpus_scores, score_documents, sentence_score

__all__ = ["METRICS", "DEFAULT_METRICS", "LOWER_IS_BETTER", "WORST_METRIC", "BOOTSTRAP_SAMPLES", "PAIRED_TESTS",
           "FEW_SEGMENTS", "DEFAULT_LANGPAIR", "metric_names", "Document", "article_key", "pair_paths",
           "load_documents", "testset_references", "testset_document", "MetricScore", "DocumentResult",
           "SentenceResult", "Comparison", "ScoreReport", "corpus_scores", "sentence_score", "score_documents"]

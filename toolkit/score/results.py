"""The scores as records: one metric's value with its sacrebleu signature,
per document, per sentence, a paired comparison, and the whole report."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


__all__ = ["MetricScore", "DocumentResult", "SentenceResult", "Comparison", "ScoreReport"]

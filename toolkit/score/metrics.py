"""The metric registry in sacrebleu's style: ``METRICS[name]()`` returns a
fresh metric object; keyword arguments go to the sacrebleu class. Add a
metric with one entry here."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..errors import InputError

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


__all__ = ["METRICS", "DEFAULT_METRICS", "LOWER_IS_BETTER", "WORST_METRIC", "BOOTSTRAP_SAMPLES", "PAIRED_TESTS",
           "FEW_SEGMENTS", "DEFAULT_LANGPAIR", "metric_names"]

"""bench/brief_learn.py's own pieces: its fast ROUGE-2 gives rouge-score's
figure, and its logistic fit recovers a model it was given. The held-out
figures live in the bench and the docs, not in tests."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from conftest import REPO

pytest.importorskip("rouge_score")
sys.path.insert(0, str(REPO / "bench"))

import brief_learn  # noqa: E402
from brief_quality import rouge  # noqa: E402


def test_fast_rouge2_is_rouge_scores_recall():
    texts = ["A storm hit the coastal city on Monday.", "The mayor said nobody died.",
             "Schools were closed on Monday and Tuesday.", "Winds reached 90 kilometres per hour."]
    refs = ["A strong storm hit the city on Monday, the mayor said nobody died.",
            "Schools closed as winds of 90 kilometres per hour hit the coastal city."]
    scorer = brief_learn.Rouge2(texts, refs)
    for picked in ([0], [1, 3], [2, 0, 3], [0, 1, 2, 3]):
        assert scorer(picked) == pytest.approx(rouge([texts[i] for i in picked], refs)["rouge2_r"])


def test_logistic_fit_recovers_the_coefficients_of_its_labels():
    rng = np.random.default_rng(0)
    truth = np.array([-1.0, 2.0, -0.5])
    blocks = []
    for _ in range(4):
        x = np.column_stack([np.ones(4000), rng.normal(size=(4000, 2))])
        blocks.append((x, 1.0 / (1.0 + np.exp(-(x @ truth)))))
    assert brief_learn.fit(blocks, l2=0.0) == pytest.approx(truth, abs=1e-4)

"""The story's sentence pairs held sparsely (`toolkit.brief.pairs`): the
same pairs and values as the dense similarity matrix, read the same way."""
from __future__ import annotations

import numpy as np

from toolkit.brief.pairs import BLOCK, PairMatrix, similar_pairs


def _vectors(n: int, dim: int = 8) -> np.ndarray:
    x = np.random.default_rng(1).standard_normal((n, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_similar_pairs_keep_the_pairs_at_or_above_the_floor_and_read_like_the_dense_matrix():
    x = _vectors(2 * BLOCK + 50)
    pairs = similar_pairs(x, 0.5)
    full = np.vstack([x[s:s + BLOCK] @ x.T for s in range(0, len(x), BLOCK)])
    np.fill_diagonal(full, -1.0)  # a sentence is no pair with itself
    dense = np.where(full >= 0.5, full, 0.0)
    assert np.array_equal(np.asarray(pairs), dense)
    assert np.array_equal(pairs[3], dense[3]) and np.array_equal(pairs[:, 5], dense[:, 5])
    assert pairs[3, 3] == 0 and all(pairs[i, j] == dense[i, j] for i, j in [(0, 1), (7, 400), (560, 2)])
    assert np.array_equal(np.asarray(pairs[:300, :200]), dense[:300, :200])
    assert np.array_equal(np.asarray(pairs.T), dense.T)
    close = pairs >= 0.7
    assert close.dtype == bool and np.array_equal(np.asarray(close), full >= 0.7)
    rows, cols = np.nonzero(close)
    want_rows, want_cols = np.nonzero(full >= 0.7)
    assert np.array_equal(rows, want_rows) and np.array_equal(cols, want_cols)


def test_a_pair_matrix_from_pairs_answers_rows_columns_and_entries():
    m = PairMatrix.from_pairs((3, 4), [2, 0, 0], [1, 3, 1])
    assert m.shape == (3, 4) and m[0, 1] and m[0, 3] and m[2, 1] and not m[1, 1]
    assert list(m[0].nonzero()[0]) == [1, 3] and list(m[:, 1].nonzero()[0]) == [0, 2]
    assert [list(a) for a in m.nonzero()] == [[0, 0, 2], [1, 3, 1]]
    assert list(m[0, 2:].nonzero()[0]) == [1]
    empty = similar_pairs(_vectors(5), 2.0)
    assert empty.shape == (5, 5) and not np.asarray(empty).any()

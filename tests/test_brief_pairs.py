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
    held = np.asarray(pairs)
    # Each pair's cosine is computed once and held for both orders: exactly
    # symmetric, and the dense product's to the last bits.
    assert np.array_equal(held, held.T) and np.allclose(held, dense, rtol=0, atol=1e-12)
    assert np.array_equal(held != 0, dense != 0)
    assert np.array_equal(pairs[3], held[3]) and np.array_equal(pairs[:, 5], held[:, 5])
    assert pairs[3, 3] == 0 and all(pairs[i, j] == held[i, j] for i, j in [(0, 1), (7, 400), (560, 2)])
    assert np.array_equal(np.asarray(pairs[:300, :200]), held[:300, :200])
    assert np.array_equal(np.asarray(pairs.T), held.T)
    close = pairs >= 0.7
    assert close.dtype == bool and np.array_equal(np.asarray(close), full >= 0.7)
    rows, cols = np.nonzero(close)
    want_rows, want_cols = np.nonzero(full >= 0.7)
    assert np.array_equal(rows, want_rows) and np.array_equal(cols, want_cols)


def test_similar_pairs_against_other_vectors_read_like_the_dense_product():
    x, y = _vectors(BLOCK + 30), _vectors(70)[::-1]
    pairs = similar_pairs(x, 0.3, columns=y)
    full = x @ y.T
    assert pairs.shape == (len(x), len(y))
    assert np.allclose(np.asarray(pairs), np.where(full >= 0.3, full, 0.0), rtol=0, atol=1e-12)
    assert np.array_equal(np.asarray(pairs) != 0, full >= 0.3)


def test_a_pair_matrix_from_pairs_answers_rows_columns_and_entries():
    m = PairMatrix.from_pairs((3, 4), [2, 0, 0], [1, 3, 1])
    assert m.shape == (3, 4) and m[0, 1] and m[0, 3] and m[2, 1] and not m[1, 1]
    assert list(m[0].nonzero()[0]) == [1, 3] and list(m[:, 1].nonzero()[0]) == [0, 2]
    assert [list(a) for a in m.nonzero()] == [[0, 0, 2], [1, 3, 1]]
    assert list(m[0, 2:].nonzero()[0]) == [1]
    empty = similar_pairs(_vectors(5), 2.0)
    assert empty.shape == (5, 5) and not np.asarray(empty).any()

"""The story's sentence pairs, held sparsely. A story of hundreds of
articles has tens of thousands of sentences: a full n × n similarity
matrix of them is gigabytes (float64) and its boolean point matrices a
gigabyte each, while the pairs any rule looks at (cosine at least 0.5) are
a few in a hundred. `similar_pairs` computes the cosines in row blocks and
keeps only those pairs; `PairMatrix` holds them and answers the indexing
the brief's steps use on a dense matrix (a row, a column, one entry,
``nonzero``), so they read the same on either."""
from __future__ import annotations

from typing import Any

# Rows of the similarity computed at once: a block is BLOCK × n float64
# (4 MB per 1,000 sentences), whatever the story's size.
BLOCK = 256


class PairMatrix:
    """An n × m matrix of which only some entries are held (a SciPy CSR
    matrix with sorted indices): booleans (pairs) or values (cosines of
    the pairs at or above a floor; an entry not held reads as 0)."""

    def __init__(self, matrix: Any) -> None:
        csr = matrix.tocsr()
        csr.eliminate_zeros()
        csr.sort_indices()
        self.csr = csr
        self._csc: Any = None

    @classmethod
    def from_pairs(cls, shape: tuple[int, int], rows: Any, cols: Any) -> PairMatrix:
        """The boolean matrix true at (rows[k], cols[k])."""
        import numpy as np
        from scipy.sparse import csr_matrix

        data = np.ones(len(rows), dtype=bool)
        return cls(csr_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                              shape=shape))

    @property
    def shape(self) -> tuple[int, int]:
        return self.csr.shape

    @property
    def dtype(self) -> Any:
        return self.csr.dtype

    @property
    def T(self) -> PairMatrix:  # noqa: N802 (numpy's name)
        return PairMatrix(self.csr.T)

    def row(self, i: int) -> tuple[Any, Any]:
        """(column indices, values) of the entries held in row `i`."""
        start, end = self.csr.indptr[i], self.csr.indptr[i + 1]
        return self.csr.indices[start:end], self.csr.data[start:end]

    def _dense_row(self, i: int) -> Any:
        import numpy as np

        out = np.zeros(self.shape[1], dtype=self.dtype)
        cols, values = self.row(i)
        out[cols] = values
        return out

    def _dense_col(self, j: int) -> Any:
        import numpy as np

        if self._csc is None:
            self._csc = self.csr.tocsc()
        csc = self._csc
        out = np.zeros(self.shape[0], dtype=self.dtype)
        start, end = csc.indptr[j], csc.indptr[j + 1]
        out[csc.indices[start:end]] = csc.data[start:end]
        return out

    def _entry(self, i: int, j: int) -> Any:
        import numpy as np

        cols, values = self.row(i)
        k = int(np.searchsorted(cols, j))
        if k < len(cols) and cols[k] == j:
            return values[k]
        return self.dtype.type(0)

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, tuple):
            return self._dense_row(int(key))
        a, b = key
        if isinstance(a, slice) and isinstance(b, slice):
            return PairMatrix(self.csr[a, b])
        if isinstance(a, slice):
            return self._dense_col(int(b))[a]
        if isinstance(b, slice):
            return self._dense_row(int(a))[b]
        return self._entry(int(a), int(b))

    def nonzero(self) -> tuple[Any, Any]:
        """Row and column indices of the entries held, row by row (numpy's
        order)."""
        coo = self.csr.tocoo()
        return coo.row.astype(int), coo.col.astype(int)

    def __ge__(self, floor: float) -> PairMatrix:
        """The pairs whose value is at least `floor` (`floor` above 0)."""
        return PairMatrix(self.csr >= floor)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        dense = self.csr.toarray()
        return dense if dtype is None else dense.astype(dtype)


def similar_pairs(raw: Any, floor: float, columns: Any = None) -> PairMatrix:
    """The cosine of every pair of rows of `raw` (unit-length vectors, one
    per sentence) at or above `floor` (above 0), a row with itself left
    out: ``m[i, j] = raw[i] @ raw[j]``. Computed BLOCK rows at a time, so
    memory grows with the pairs kept, not with the square of the rows.
    `columns` (default `raw`) compares the rows of `raw` with those
    vectors instead."""
    import numpy as np
    from scipy.sparse import csr_matrix

    cols = raw if columns is None else columns
    n, m = len(raw), len(cols)
    rows_out, cols_out, values = [], [], []
    for start in range(0, n, BLOCK):
        block = raw[start:start + BLOCK] @ cols.T
        if columns is None:
            k = np.arange(len(block))
            block[k, start + k] = -np.inf  # a sentence is no pair with itself
        r, c = np.nonzero(block >= floor)
        rows_out.append(r + start)
        cols_out.append(c)
        values.append(block[r, c])
    if not values:
        return PairMatrix(csr_matrix((n, m), dtype=np.float64))
    data = np.concatenate(values)
    return PairMatrix(csr_matrix((data, (np.concatenate(rows_out), np.concatenate(cols_out))), shape=(n, m)))

"""The story's sentence pairs, held sparsely. A story of hundreds of
articles has tens of thousands of sentences: a full n × n similarity
matrix of them is gigabytes (float64) and its boolean point matrices a
gigabyte each, while the pairs any rule looks at (cosine at least 0.5) are
a few in a hundred. `similar_pairs` computes the cosines in row blocks and
keeps only those pairs; `PairMatrix` holds them and answers the indexing
the brief's steps use on a dense matrix (a row, a column, one entry,
``nonzero``), so they read the same on either. `shared_counts` counts
what each two articles share (words, shingles) the same way, without a
set intersection per pair."""
from __future__ import annotations

from typing import Any, Callable, Collection, Hashable, Sequence

# Rows of the similarity computed at once: a block is BLOCK × n float64
# (4 MB per 1,000 sentences), whatever the story's size.
BLOCK = 256
# Members per block of the sets × members matrix of `shared_counts`: its
# memory stays a few MB per hundred sets however many members they have.
MEMBER_BLOCK = 4096
# Members held by at most this many sets are counted pair by pair (a few
# hundred thousand pairs for a story's shingles) rather than in the product.
FEW_HOLDERS = 32
# Holder pairs counted at once: some tens of MB however many there are.
PAIR_BLOCK = 1 << 20


class PairMatrix:
    """An n × m matrix of which only some entries are held, row by row
    (compressed sparse rows, numpy arrays): booleans (pairs) or values
    (cosines of the pairs at or above a floor; an entry not held reads as
    0). Plain numpy, so a small brief imports nothing more."""

    def __init__(self, shape: tuple[int, int], rows: Any, cols: Any, values: Any, *, ordered: bool = False) -> None:
        """`ordered`: the caller's entries are all non-zero and in row
        order already (a big story's millions of pairs are not copied and
        checked again)."""
        import numpy as np

        rows, cols, values = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.asarray(values)
        if not ordered:
            keep = values != 0
            rows, cols, values = rows[keep], cols[keep], values[keep]
            # Pairs found row block by row block come in order already,
            # which the stable sort would leave as it is.
            step_r, step_c = np.diff(rows), np.diff(cols)
            if not np.all((step_r > 0) | ((step_r == 0) & (step_c >= 0))):
                order = np.lexsort((cols, rows))
                rows, cols, values = rows[order], cols[order], values[order]
        self.rows, self.cols, self.values = rows, cols, values
        self._shape = (int(shape[0]), int(shape[1]))
        self.indptr = np.concatenate(([0], np.cumsum(np.bincount(self.rows, minlength=self._shape[0]))))
        self._transposed: PairMatrix | None = None

    @classmethod
    def from_pairs(cls, shape: tuple[int, int], rows: Any, cols: Any) -> PairMatrix:
        """The boolean matrix true at (rows[k], cols[k])."""
        import numpy as np

        return cls(shape, rows, cols, np.ones(len(rows), dtype=bool))

    @property
    def shape(self) -> tuple[int, int]:
        return self._shape

    @property
    def dtype(self) -> Any:
        return self.values.dtype

    @property
    def T(self) -> PairMatrix:  # noqa: N802 (numpy's name)
        if self._transposed is None:
            self._transposed = PairMatrix(self._shape[::-1], self.cols, self.rows, self.values)
        return self._transposed

    def row(self, i: int) -> tuple[Any, Any]:
        """(column indices, values) of the entries held in row `i`."""
        start, end = self.indptr[i], self.indptr[i + 1]
        return self.cols[start:end], self.values[start:end]

    def row_nonzero(self, i: int) -> Any:
        """The column indices of row `i`'s entries, ascending, as
        ``m[i].nonzero()[0]`` gives them, without the dense row."""
        import numpy as np

        return np.unique(self.row(i)[0])

    def _dense_row(self, i: int) -> Any:
        import numpy as np

        out = np.zeros(self._shape[1], dtype=self.dtype)
        cols, values = self.row(i)
        out[cols] = values
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
            return self._block(a, b)
        if isinstance(a, slice):
            return self.T._dense_row(int(b))[a]
        if isinstance(b, slice):
            return self._dense_row(int(a))[b]
        return self._entry(int(a), int(b))

    def _block(self, rows: slice, cols: slice) -> PairMatrix:
        """The entries of a range of rows and columns (steps of 1)."""
        r0, r1, _ = rows.indices(self._shape[0])
        c0, c1, _ = cols.indices(self._shape[1])
        keep = (self.rows >= r0) & (self.rows < r1) & (self.cols >= c0) & (self.cols < c1)
        return PairMatrix((max(0, r1 - r0), max(0, c1 - c0)), self.rows[keep] - r0, self.cols[keep] - c0,
                          self.values[keep])

    def nonzero(self) -> tuple[Any, Any]:
        """Row and column indices of the entries held, row by row (numpy's
        order)."""
        return self.rows.copy(), self.cols.copy()

    def __ge__(self, floor: float) -> PairMatrix:
        """The pairs whose value is at least `floor` (`floor` above 0)."""
        keep = self.values >= floor
        return PairMatrix.from_pairs(self._shape, self.rows[keep], self.cols[keep])

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        dense = np.zeros(self._shape, dtype=self.dtype if dtype is None else dtype)
        dense[self.rows, self.cols] = self.values
        return dense


def similar_pairs(raw: Any, floor: float, columns: Any = None,
                  progress: Callable[[int, int], None] | None = None) -> PairMatrix:
    """The cosine of every pair of rows of `raw` (unit-length vectors, one
    per sentence) at or above `floor` (above 0), a row with itself left
    out: ``m[i, j] = raw[i] @ raw[j]``. Computed BLOCK rows at a time, so
    memory grows with the pairs kept, not with the square of the rows.
    `columns` (default `raw`) compares the rows of `raw` with those
    vectors instead. `progress(done, total)` hears of the rows done."""
    import numpy as np

    if columns is None:
        return _similar_within(raw, floor, progress)
    rows, cols, values = _products(raw, columns, floor, progress, after_row=False)
    return PairMatrix((len(raw), len(columns)), rows, cols, values.astype(np.float64, copy=False))


def _products(raw: Any, columns: Any, floor: float, progress: Callable[[int, int], None] | None,
              after_row: bool) -> tuple[Any, Any, Any]:
    """(rows, columns, values) of the products of the rows of `raw` with
    `columns` at or above `floor`, BLOCK rows at a time, in row order;
    with `after_row` (`columns` is `raw`), only the columns after each row
    are computed."""
    import numpy as np

    n = len(raw)
    found = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=raw.dtype))]
    if progress is not None:
        progress(0, n)
    for start in range(0, n, BLOCK):
        first = start if after_row else 0
        block = raw[start:start + BLOCK] @ columns[first:].T
        if after_row:
            # A sentence is no pair with itself, and each pair is computed once.
            block[np.tril_indices(len(block), 0, block.shape[1])] = -np.inf
        r, c = np.nonzero(block >= floor)
        found.append((r + start, c + first, block[r, c]))
        if progress is not None:
            progress(min(start + BLOCK, n), n)
    rows, cols, values = (np.concatenate(part) for part in zip(*found))
    return rows, cols, values


def _similar_within(raw: Any, floor: float, progress: Callable[[int, int], None] | None) -> PairMatrix:
    """`similar_pairs` of the rows of `raw` with each other: each pair's
    cosine is computed once, for the row before the column, and held for
    both (half the product of every pair twice). The cosines are held as
    float64, which every threshold is compared in."""
    import numpy as np

    n = len(raw)
    upper_r, upper_c, upper_v = _products(raw, raw, floor, progress, after_row=True)
    # Row i holds the pairs (j, i) of the rows before it, then its own
    # (i, j), j > i: each part is in column order once the first is sorted
    # by column (stably, so by row within a column), and the two are laid
    # out row by row without sorting the whole. A big story has millions of
    # pairs: what is done with is let go at once.
    count_lower, count_upper = np.bincount(upper_c, minlength=n), np.bincount(upper_r, minlength=n)
    starts = np.concatenate(([0], np.cumsum(count_lower + count_upper)[:-1]))
    size = 2 * len(upper_r)
    rows, cols, held = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64), np.empty(size)
    at = starts[upper_r] + count_lower[upper_r] + _within(upper_r, count_upper)
    rows[at], cols[at], held[at] = upper_r, upper_c, upper_v
    order = np.argsort(upper_c, kind="stable")
    upper_r, upper_c, upper_v = upper_r[order], upper_c[order], upper_v[order]
    del order
    at = starts[upper_c] + _within(upper_c, count_lower)
    rows[at], cols[at], held[at] = upper_c, upper_r, upper_v
    return PairMatrix((n, n), rows, cols, held, ordered=True)


def _within(rows: Any, counts: Any) -> Any:
    """Each entry's place within its row, for entries in row order."""
    import numpy as np

    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return np.arange(len(rows)) - firsts[rows]


def shared_counts(sets: Sequence[Collection[Hashable]]) -> Any:
    """How many members each two of `sets` share (an n × n float64 matrix
    of exact counts), rather than a set intersection per pair: a story of
    hundreds of articles has tens of thousands of pairs. A member few sets
    hold (most shingles of a story) adds one to each two of its holders; the
    members many sets hold (its common words) are counted as a blocked
    matrix product of which set holds which (exact: its counts are far
    below float32's 2**24)."""
    import itertools

    import numpy as np

    listed = list(itertools.chain.from_iterable(sets))
    index = {w: k for k, w in enumerate(dict.fromkeys(listed))}
    n, m = len(sets), max(1, len(index))
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(members) for members in sets])
    cols = np.fromiter(map(index.__getitem__, listed), dtype=np.int64, count=len(listed))
    # A member listed twice in one collection is held once.
    entries = np.unique(rows * m + cols)
    rows_a, cols_a = entries // m, entries % m
    # A member of one set only adds to no count: most shingles of a story
    # are some article's own.
    holders = np.bincount(cols_a, minlength=m)[cols_a]
    rows_a, cols_a, holders = rows_a[holders > 1], cols_a[holders > 1], holders[holders > 1]
    few = holders <= FEW_HOLDERS
    counts = _pair_counts(rows_a[few], cols_a[few], n)
    many, cols_many = np.unique(cols_a[~few], return_inverse=True)
    rows_many = rows_a[~few]
    for start in range(0, len(many), MEMBER_BLOCK):
        keep = (cols_many >= start) & (cols_many < start + MEMBER_BLOCK)
        block = np.zeros((n, MEMBER_BLOCK), dtype=np.float32)
        block[rows_many[keep], cols_many[keep] - start] = 1.0
        counts += block @ block.T
    return counts


def _pair_counts(rows: Any, cols: Any, n: int) -> Any:
    """`shared_counts` of the entries (set `rows[k]` holds member
    `cols[k]`, each entry once): every two holders of a member, itself
    with itself included, counted in blocks of at most PAIR_BLOCK pairs."""
    import numpy as np

    order = np.argsort(cols, kind="stable")
    rows, cols = rows[order], cols[order]
    starts = np.flatnonzero(np.concatenate(([True], cols[1:] != cols[:-1]))) if len(cols) else np.zeros(0, np.int64)
    sizes = np.diff(np.concatenate((starts, [len(cols)])))
    counts = np.zeros(n * n, dtype=np.int64)
    # Groups (members) taken in runs whose pairs fit in one block.
    ends = np.cumsum(sizes * sizes)
    cut = 0
    while cut < len(starts):
        stop = max(cut + 1, int(np.searchsorted(ends, (ends[cut - 1] if cut else 0) + PAIR_BLOCK, side="right")))
        group_sizes, group_starts = sizes[cut:stop], starts[cut:stop]
        size_of, start_of = np.repeat(group_sizes, group_sizes), np.repeat(group_starts, group_sizes)
        entry = start_of + (np.arange(len(size_of)) - np.repeat(np.cumsum(group_sizes) - group_sizes, group_sizes))
        left = np.repeat(entry, size_of)
        right = np.repeat(start_of, size_of) + (np.arange(len(left)) - np.repeat(np.cumsum(size_of) - size_of, size_of))
        counts += np.bincount(rows[left] * n + rows[right], minlength=n * n)
        cut = stop
    return counts.reshape(n, n).astype(np.float64)

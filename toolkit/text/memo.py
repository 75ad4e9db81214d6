"""Results of pure per-text readers kept for the rest of a run. A story of
hundreds of articles reads the same ten thousand sentences again for every
pair its rules judge; each is read once and its result kept."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# Results kept per reader: every sentence of a story of a few hundred
# articles; bounded, so that translating an archive does not keep every
# sentence it met.
MEMO = 1 << 15


def memoised(maxsize: int = MEMO) -> Callable[[F], F]:
    """Keep a pure function's results by its positional arguments (which
    must be hashable), forgetting all of them once `maxsize` are kept.
    Unlike `functools.lru_cache`, an entry is one dict item, not a linked
    node more for the garbage collector to walk on every full collection.
    A call with keyword arguments is not kept."""

    def wrap(function: F) -> F:
        store: dict[Any, Any] = {}

        @functools.wraps(function)
        def reader(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                return function(*args, **kwargs)
            try:
                return store[args]
            except KeyError:
                pass
            if len(store) >= maxsize:
                store.clear()
            value = store[args] = function(*args)
            return value

        reader.cache_clear = store.clear  # type: ignore[attr-defined]
        return reader  # type: ignore[return-value]

    return wrap


__all__ = ["MEMO", "memoised"]

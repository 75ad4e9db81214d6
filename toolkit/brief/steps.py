"""The brief's steps that take seconds on a story of hundreds of articles,
told to a progress callback (`toolkit.embed.base.Progress`:
``progress(step, done, total)``), as the embedding and the parse are. The
library draws nothing; the command line names and draws each step."""
from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable, Iterator

# Step names, as the callback hears them.
COPIES = "copies"          # articles that copy another (`copies.find_copies`)
OFF_TOPIC = "off-topic"    # articles apart from the story (`offtopic.split_off_topic`)
SIMILAR = "similar"        # sentence vectors compared, rows done (`pairs.similar_pairs`)
POINTS = "points"          # sentence pairs judged (`points.point_matrix`)
SHARED = "shared"          # sentences shared word for word, rows done (`copies.shared_sentences`)
DIFFER = "differ"          # facts whose sources give other values (`differ.fact_versions`)
PARSE = "parse"            # new sentences read by the fact layer (`toolkit.facts.parse`)


@contextlib.contextmanager
def whole(progress: Any, step: str) -> Iterator[None]:
    """A step told as one piece of work: 0 of 1 before, 1 of 1 after (a
    step without a count of its own, like the embedder's conversion)."""
    if progress is not None:
        progress(step, 0, 1)
    yield
    if progress is not None:
        progress(step, 1, 1)


def counted(progress: Any, step: str) -> Callable[[int, int], None] | None:
    """The ``(done, total)`` callback of one step, for the functions that
    count their own work; None without `progress`."""
    return None if progress is None else functools.partial(progress, step)


# A counted step reports at most this often: the callback is the command
# line's, and a row or pair is microseconds of work.
EVERY = 1024


__all__ = ["COPIES", "OFF_TOPIC", "SIMILAR", "POINTS", "SHARED", "DIFFER", "PARSE", "EVERY", "whole", "counted"]

"""Options shared by the commands that make a brief (`summarize`, `report`):
one definition, so both accept the same inputs with the same help."""
from __future__ import annotations

from typing import Any, Callable

import click

from ..brief import DEFAULT_SENTENCES

_BRIEF_INPUTS = (
    click.option("--translations", "-t", type=click.Path(),
                 help="Use existing English instead of translating: the JSONL of `toolkit translate --format "
                      "jsonl`, or a reference directory like refs/ (one .en.txt per article and manifest.tsv)."),
    click.option("--model", "-m", default=None,
                 help="Translation model when --translations is not given (preset or Hugging Face id; "
                      "default: the 'model' setting)."),
    click.option("--sentences", "-n", type=int, default=None,
                 help=f"Length of the brief in sentences, at most [default: {DEFAULT_SENTENCES}; by default the "
                      "extractive brief adds sentences where needed to keep every fact three sources state and "
                      "each article's lead claim]."),
    click.option("--words", "-w", type=int, default=None,
                 help="Length of the brief in words, at most (instead of -n)."),
    click.option("--embedder", default=None,
                 help="sentence-transformers model (Hugging Face id or directory) for grouping and citation "
                      "checks (default: the 'embedder' setting, sentence-transformers/all-MiniLM-L6-v2)."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the translation, embedding and article caches."),
    click.option("--keep-off-topic", is_flag=True,
                 help="Keep in the brief an article that shares little with the others (it is still named in a "
                      "warning); by default such an article is left out of the brief and its counts."),
)


def brief_inputs(f: Callable[..., Any]) -> Callable[..., Any]:
    """--translations, --model, --sentences, --words, --embedder, --no-cache,
    --keep-off-topic."""
    for option in reversed(_BRIEF_INPUTS):
        f = option(f)
    return f


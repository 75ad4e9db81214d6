"""What every command shares: error handling at the CLI edge, consoles,
output formats and writing results."""
from __future__ import annotations

import json
import sys
from typing import Any, Iterable, Sequence

import click
from rich.console import Console

from ..errors import InputError, ToolkitError
from ..fileio import atomic_write_text
from ..types import Article


class CliError(click.ClickException):
    """A library error shown as one line, with the library's exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class ToolkitGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise CliError("interrupted; finished work is kept in the cache", 130) from None


def stdout_console() -> Console:
    return Console(file=sys.stdout, soft_wrap=False)


def stderr_console() -> Console:
    return Console(file=sys.stderr, stderr=True)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def emit(text: str, out: str | None = None) -> None:
    """Print `text`, or write it atomically to `out` when given."""
    if out:
        atomic_write_text(out, text if text.endswith("\n") else text + "\n")
    else:
        click.echo(text, nl=not text.endswith("\n"))


def dumps_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def dumps_jsonl(rows: Iterable[Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def format_option(choices: tuple[str, ...], default: str = "rich"):
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format: 'rich' for people in a terminal, the others for scripts.",
    )


def read_articles(paths: Sequence[str], *, max_tokens: int | None = None,
                  need_sentences: str | None = None) -> list[Article]:
    """Load articles for any command: '-' reads stdin, per-article warnings
    go to stderr. With `need_sentences` (what the command would do, e.g.
    "summarise"), an article left without sentences after cleaning is an
    input error naming the file."""
    from ..ingest import STDIN, STDIN_NAME, load_articles, read_bounded

    if not paths:
        raise InputError("no articles given; name the article files (or - for stdin)")
    stdin = read_bounded(sys.stdin.buffer, STDIN_NAME) if STDIN in paths else None
    articles = load_articles(list(paths), stdin=stdin, max_tokens=max_tokens)
    for a in articles:
        if need_sentences and not a.sentences:
            raise InputError(f"article has no sentences ({len(a.removed)} boilerplate line(s) removed, "
                             f"nothing left to {need_sentences})", a.source)
        for w in a.warnings:
            warn(f"{a.source}: {w}")
    return articles

"""Progress of the library's long steps (reading the files, converting the
embedding model, embedding and parsing new sentences, and the brief's steps
that take seconds on a big story: `toolkit.brief.steps`) on stderr. A
terminal gets a transient bar; anything else gets nothing, unless
``TOOLKIT_PROGRESS=1`` asks for plain lines (a start and an end line per
step). ``TOOLKIT_PROGRESS=0`` silences a terminal too."""
from __future__ import annotations

import os
import sys
import time
from typing import Any

import click

from .common import stderr_console

LABELS = {"read": "reading articles", "convert": "converting the embedding model", "embed": "embedding sentences",
          "parse": "parsing sentences", "copies": "finding copied articles",
          "off-topic": "finding off-topic articles", "similar": "comparing sentences",
          "points": "judging sentence pairs", "shared": "finding shared sentences",
          "differ": "comparing the sources' facts"}


def wanted() -> tuple[bool, bool]:
    """(report progress, as a live bar)."""
    tty = sys.stderr.isatty()
    mode = os.environ.get("TOOLKIT_PROGRESS", "").strip().lower()
    if mode in ("", "auto"):
        return tty, tty
    return mode in ("1", "true", "yes", "on"), tty


class StepProgress:
    """A `toolkit.embed.base.Progress` callback: `(step, done, total)`."""

    def __init__(self) -> None:
        self.on, self.live = wanted()
        self.bar: Any = None
        self.task: Any = None
        self.started: dict[str, float] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.on:
            return
        label = LABELS.get(step, step)
        if done == 0 or step not in self.started:
            self.started[step] = time.monotonic()
            self._start(label, total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
        if done >= total:
            self._finish(label, step, total)

    def _start(self, label: str, total: int) -> None:
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._stop_bar()
            self.bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=stderr_console(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(label, total=total)
        else:
            click.echo(f"progress: {label}: 0/{total:,}", err=True)

    def _finish(self, label: str, step: str, total: int) -> None:
        took = time.monotonic() - self.started.pop(step, time.monotonic())
        if self.live:
            self._stop_bar()
        else:
            click.echo(f"progress: {label}: {total:,}/{total:,} ({took:.1f} s)", err=True)

    def _stop_bar(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = self.task = None


__all__ = ["StepProgress"]

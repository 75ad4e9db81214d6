"""The `toolkit` command line. Only this package imports click or rich or
prints; each command lives in its own module and calls the library."""
from __future__ import annotations

import click

from .. import __version__
from .common import ToolkitGroup


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
def main() -> None:
    """Arabic to English news translation with evidence.

    Exit codes: 0 success, 1 failure, 2 bad input or usage, 3 model
    unavailable, 4 integrity check failed (coverage, alignment, citations).
    """


# Each module registers its commands on `main` when imported.
from . import split  # noqa: E402,F401
from . import score  # noqa: E402,F401
from . import translate  # noqa: E402,F401
from . import models  # noqa: E402,F401
from . import summarize  # noqa: E402,F401
from . import report  # noqa: E402,F401

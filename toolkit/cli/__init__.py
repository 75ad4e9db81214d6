"""The `toolkit` command line. Only this package imports click or rich or
prints; each command lives in its own module and calls the library."""
from __future__ import annotations

from importlib import import_module

import click

from .. import __version__
from .common import ToolkitGroup


# The module that registers each command. A command's module is imported
# only when that command runs or help lists it, so `toolkit summarize`
# does not load what `translate` or `score` need.
COMMANDS = {"eval": "score", "models": "models", "report": "report", "score": "score",
            "split": "split", "summarize": "summarize", "translate": "translate"}


class _LazyGroup(ToolkitGroup):
    group_class = ToolkitGroup  # `models` lists its own commands only

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import_module(f"{__name__}.{COMMANDS[cmd_name]}")  # registers itself on `main`
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
def main() -> None:
    """Arabic to English news translation with evidence.

    Exit codes: 0 success, 1 failure, 2 bad input or usage, 3 model
    unavailable, 4 integrity check failed (coverage, alignment, citations).
    """


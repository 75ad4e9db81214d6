"""What every command shares: error handling at the CLI edge, consoles,
output formats and writing results."""
from __future__ import annotations

import functools
import gc
import json
import re
import sys
import warnings
from typing import Any, Iterable, Sequence

import click
from rich.console import Console, RenderHook
from rich.segment import Segment

from ..errors import EXIT_FAILURE, InputError, ToolkitError, ToolkitWarning
from ..fileio import atomic_write_text
from ..records import Article


# Control characters other than tab and newline: in article or model text
# (or a file name) they would reach the terminal raw, where ESC sequences can
# recolour, move the cursor or retitle the window. Shown as visible symbols.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛, ␀, ...
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def terminal_safe(text: str) -> str:
    """`text` with terminal control characters made visible and inert; for
    output meant for a terminal only (JSON and files keep the text exactly)."""
    return _TERMINAL_UNSAFE.sub(_visible, text)


class _SafeSegments:
    """Renders another renderable with control characters in its text made
    inert; Rich's own control segments (styles, cursor moves) pass through."""

    def __init__(self, renderable: Any):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: Any):
        for seg in console.render(self.renderable, options):
            if seg.control or not _TERMINAL_UNSAFE.search(seg.text):
                yield seg
            else:
                yield Segment(terminal_safe(seg.text), seg.style, seg.control)


class _SafeHook(RenderHook):
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_SafeSegments(r) for r in renderables]


class CliError(click.ClickException):
    """A library error shown as one line, with the library's exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(terminal_safe(message))
        self.exit_code = exit_code


def _show_warning(message: Any, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None, *, fallback: Any = None) -> None:
    if issubclass(category, ToolkitWarning):
        warn(str(message))
    else:
        fallback(message, category, filename, lineno, file, line)


_DID_YOU_MEAN = re.compile(r"\s*\(?(Did you mean [^?]*\?|Possible options: [^)]*)\)?\s*$")
_IS_DIRECTORY = re.compile(r"File '(.*)' is a directory")


def one_line_usage(exc: click.UsageError) -> click.UsageError | CliError:
    """Click's usage error (usage line, hint, message over four lines) as
    one line that names the fix: the suggestion Click or difflib finds and
    the command whose --help lists what it accepts."""
    import difflib

    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        return exc  # a group called bare shows its help, as Click does
    ctx = exc.ctx
    message = " ".join(exc.format_message().split())
    hint = ""
    m = _DID_YOU_MEAN.search(message)
    if m:
        hint = m.group(1)[0].lower() + m.group(1)[1:]
        message = message[:m.start()]
    no_command = re.match(r"No such command '(.*)'\.?$", message)
    if no_command and ctx is not None and isinstance(ctx.command, click.Group):
        close = difflib.get_close_matches(no_command.group(1), ctx.command.list_commands(ctx), n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {close[0]}?"
    if message.startswith("Missing argument 'ARTICLES") or message.startswith("Missing argument 'HYPOTHESIS"):
        hint = "name the files or directories to read, or - for standard input"
    directory = _IS_DIRECTORY.search(message)
    if directory and "'--out'" in message:
        suffix = "html" if ctx is not None and ctx.info_name == "report" else "txt"
        hint = f"give a file name, e.g. --out {directory.group(1).rstrip('/')}/brief.{suffix}"
    message = message.rstrip(".")
    if hint:
        message += f" ({hint})"
    if ctx is not None:
        message += f"; see {ctx.command_path} --help"
    return CliError(message, exc.exit_code)


class ToolkitCommand(click.Command):
    def invoke(self, ctx: click.Context) -> Any:
        from .. import config

        # Every setting is checked before any command runs, whether or not
        # the command reads it; after parsing, so --help always works.
        config.check(setting_choices())
        # A command makes millions of small objects (tokens, word sets,
        # readings) that live to its end; at the default threshold the
        # collector walks them again and again, a tenth to a sixth of a
        # cached brief of a big story. Cycles are still collected, less
        # often; the caller's setting comes back afterwards.
        before = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *before[1:])
        try:
            return super().invoke(ctx)
        finally:
            gc.set_threshold(*before)


# Allocations between two young-generation collections while a command runs
# (CPython's default is 700): docs/benchmarks.md, "A developing story at scale".
GC_THRESHOLD = 50_000


def setting_choices() -> dict[str, tuple[str, ...]]:
    """The values the settings with a fixed set of them accept, from the
    registries that define them (config, a lower layer, cannot import them)."""
    from ..embed.base import ENGINE_CHOICES as EMBED_ENGINES
    from ..translate import DEVICES, ENGINE_CHOICES

    return {"engine": ENGINE_CHOICES, "device": DEVICES, "embed_engine": EMBED_ENGINES}


class ToolkitGroup(click.Group):
    command_class = ToolkitCommand
    group_class = type  # subgroups (`models`) are ToolkitGroups, their commands ToolkitCommands

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise one_line_usage(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        # The library warns with ToolkitWarning (a fallback, a rebuilt cache);
        # here each becomes one `warning:` line like every other CLI warning.
        with warnings.catch_warnings():
            warnings.showwarning = functools.partial(_show_warning, fallback=warnings.showwarning)
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise one_line_usage(exc) from None
        except ToolkitError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise CliError("interrupted; finished work is kept in the cache", 130) from None
        except MemoryError:
            # What did not fit is named by no traceback a reader can use.
            raise CliError("out of memory: the input is too large for the memory this process may use; "
                           "split it or run on a machine with more", EXIT_FAILURE) from None


def safe_console(console: Console) -> Console:
    console.push_render_hook(_SafeHook())
    return console


def stdout_console() -> Console:
    return safe_console(Console(file=sys.stdout, soft_wrap=False))


def stderr_console() -> Console:
    return safe_console(Console(file=sys.stderr, stderr=True))


def warn(message: str) -> None:
    click.echo(f"warning: {terminal_safe(message)}", err=True)


def emit(text: str, out: str | None = None) -> None:
    """Print `text`, or write it atomically to `out` when given. Text for a
    terminal has control characters made inert; a pipe or file gets it
    exactly (JSON escapes control characters itself)."""
    if out:
        atomic_write_text(out, text if text.endswith("\n") else text + "\n")
    else:
        if sys.stdout.isatty():
            text = terminal_safe(text)
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


def out_option(help: str, *, directory: bool = False, metavar: str | None = None):
    """Every command's ``--out``: a file (a directory for `translate`)
    whose parent directory must exist and be writable, checked before any
    work (`toolkit.fileio.check_output_path`)."""
    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from ..fileio import check_output_path

        if value is not None:
            check_output_path(value, directory=directory)
        return value

    kind = click.Path(file_okay=False) if directory else click.Path(dir_okay=False)
    return click.option("--out", type=kind, default=None, metavar=metavar or ("DIR" if directory else "FILE"),
                        help=help, callback=check)


def language_option(f):
    return click.option(
        "--language", type=click.Choice(("auto", "ar", "en")), default="auto", show_default=True,
        help="Language of the articles: auto = per article from its script (mostly Latin letters = English, "
             "passed through untranslated); ar or en = all articles.")(f)


def date_option(f):
    return click.option(
        "--date", "dates", multiple=True, metavar="FILE=YYYY-MM-DD",
        help="Publication date of an article (FILE as given, or its file name), for articles that print "
             "none or a wrong one; repeat for more articles.")(f)


def refuse_other_languages(articles: Sequence[Article], model: str | None = None) -> None:
    """InputError for the first article whose language the translation
    model does not translate, naming the file and the preset that would
    (`toolkit.translate.routing`). The model: `model`, else the running
    command's --model, else the model setting."""
    from .. import config
    from ..translate.routing import check_languages

    if model is None:
        context = click.get_current_context(silent=True)
        model = context.params.get("model") if context is not None else None
    check_languages(articles, str(config.get("model", model)))


def read_articles(paths: Sequence[str], *, max_tokens: int | None = None,
                  need_sentences: str | None = None, language: str = "auto",
                  dates: Sequence[str] = (), progress: Any = None, use_cache: bool = True) -> list[Article]:
    """Load articles for any command: '-' reads stdin, per-article warnings
    go to stderr. With `need_sentences` (what the command would do, e.g.
    "summarise"), an article left without sentences after cleaning is an
    input error naming the file. `language`: see `language_option`;
    `progress`: a `StepProgress`, told of the files read (step "read");
    `use_cache`: take files read before from the article cache."""
    from ..fileio import read_bounded
    from ..ingest import STDIN, STDIN_NAME, load_articles
    from ..text.dates import given_dates

    if not paths:
        raise InputError("no articles given; name the article files (or - for stdin)")
    stdin = read_bounded(sys.stdin.buffer, STDIN_NAME) if STDIN in paths else None
    read = None if progress is None else functools.partial(progress, "read")
    articles = load_articles(list(paths), stdin=stdin, max_tokens=max_tokens, language=language, progress=read,
                             use_cache=use_cache)
    # `--date FILE=YYYY-MM-DD` (`date_option`).
    articles, date_notes = given_dates(articles, dates)
    for note in date_notes:
        warn(note)
    for a in articles:
        if need_sentences and not a.sentences:
            raise InputError(f"article has no sentences ({len(a.removed)} boilerplate line(s) removed, "
                             f"nothing left to {need_sentences})", a.source)
        if need_sentences and all(s.is_heading for s in a.sentences):
            # Menus and link lists come through as short heading-like lines:
            # a brief of them would be empty, not a summary.
            raise InputError(f"article has only headings or menu lines ({len(a.sentences)}), no sentences "
                             f"to {need_sentences}; is it a navigation page?", a.source)
        for w in a.warnings:
            warn(f"{a.source}: {w}")
    return articles

"""Library errors. Each carries the process exit code the CLI uses for it;
the CLI turns them into one-line messages (see README, "Exit codes")."""
from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INPUT = 2
EXIT_MODEL = 3
EXIT_INTEGRITY = 4


class ToolkitError(Exception):
    """Base class: the message is one line and says what to do."""

    exit_code = EXIT_FAILURE


class InputError(ToolkitError):
    """Unreadable or unusable input; the message names the file (and line)."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line


class ModelUnavailable(ToolkitError):
    """A model could not be loaded (not cached while offline, bad id, ...)."""

    exit_code = EXIT_MODEL


class IntegrityError(ToolkitError):
    """A guarantee would be broken: a sentence without a translation, a
    reference out of alignment, a citation to an unknown ID."""

    exit_code = EXIT_INTEGRITY


class ToolkitWarning(UserWarning):
    """Something the user should know that did not stop the work (a cache
    rebuilt, a fallback taken). Library code never prints: it warns with a
    subclass of this, and the CLI shows each as one `warning:` line."""


class DeviceFallbackWarning(ToolkitWarning):
    """The engine or device asked for as `auto` could not run, and another
    was used; the message names the cause and the fix."""


class CacheWarning(ToolkitWarning):
    """A cache was damaged, busy or unusable; the work went on without it or
    with a rebuilt one, so results are right and only speed is lost."""


def first_line(exc: BaseException, *, with_type: bool = True) -> str:
    """An exception in one line for a one-line message: its type and the
    first line of its text (or only the text, or only the type)."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    if not line:
        return type(exc).__name__
    return f"{type(exc).__name__}: {line}" if with_type else line

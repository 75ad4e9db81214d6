"""Which files the paths given name, and their bytes: files as given,
directories as their article files, '-' as standard input."""
from __future__ import annotations

import os
import stat
import sys
import warnings
from pathlib import Path
from typing import Iterable

from ..errors import InputError, ToolkitWarning
from ..fileio import read_bounded, read_file_bounded

STDIN = "-"
STDIN_NAME = "<stdin>"
ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ""}
# Files that sit beside articles in a folder but describe it (README.md,
# notes.md, LICENSE): by their name without suffix, or its start.
NOT_ARTICLE_NAMES = {"readme", "license", "licence", "copying", "notice", "notes", "changelog", "changes",
                     "authors", "contributing", "todo"}
NOT_ARTICLE_PREFIXES = ("readme", "license", "licence")
# How many skipped names the note lists before it counts the rest.
SKIPPED_SHOWN = 10


def _stat(p: str) -> os.stat_result | None:
    try:
        return os.stat(p)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        raise InputError(f"cannot access ({exc.strerror})", p) from None


def _readable_kind(mode: int) -> bool:
    # Pipes and character devices: process substitution (<(cmd)) and /dev/stdin.
    return stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; directories replaced by their article files, sorted."""
    out: list[str] = []
    for p in paths:
        if p == STDIN:
            out.append(p)
            continue
        st = _stat(p)
        if st is None:
            raise InputError("no such file or directory", p)
        if stat.S_ISDIR(st.st_mode):
            try:
                entries = list(Path(p).iterdir())
            except OSError as exc:
                raise InputError(f"cannot read directory ({exc.strerror})", p) from None
            out.extend(_directory_articles(p, entries))
        elif _readable_kind(st.st_mode):
            out.append(p)
        else:
            raise InputError("not a regular file, pipe or directory", p)
    if out.count(STDIN) > 1:
        raise InputError("standard input ('-') can be given only once", STDIN_NAME)
    return out


def is_article_name(name: str) -> bool:
    """Whether a file in a directory is read as an article: not hidden,
    an article suffix (or none), and not a file that describes the folder."""
    path = Path(name)
    stem = path.stem.lower()
    return (not name.startswith(".") and path.suffix.lower() in ARTICLE_SUFFIXES
            and stem not in NOT_ARTICLE_NAMES and not stem.startswith(NOT_ARTICLE_PREFIXES))


def _directory_articles(directory: str, entries: list[Path]) -> list[str]:
    """The article files of a directory, sorted; the other files are
    skipped with one warning naming them (an article folder often holds a
    README or notes, which must not stop the run or be briefed)."""
    files = sorted(f for f in entries if _is_file(f))
    articles = [str(f) for f in files if is_article_name(f.name)]
    skipped = [f.name for f in files if not is_article_name(f.name)]
    if skipped:
        shown = ", ".join(skipped[:SKIPPED_SHOWN])
        more = f" and {len(skipped) - SKIPPED_SHOWN} more" if len(skipped) > SKIPPED_SHOWN else ""
        warnings.warn(f"{directory}: skipped {len(skipped)} file(s) that are not articles: {shown}{more}",
                      ToolkitWarning, stacklevel=2)
    if not articles:
        raise InputError("directory holds no article files (.txt, .text, .html, .htm, .md or no suffix; "
                         "README, notes and LICENSE files are not articles)", directory)
    return articles


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def read_bytes(path: str, stdin: bytes | None = None) -> bytes:
    if path == STDIN:
        return stdin if stdin is not None else read_bounded(sys.stdin.buffer, STDIN_NAME)
    return read_file_bounded(path)

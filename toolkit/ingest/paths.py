"""Which files the paths given name, and their bytes: files as given,
directories as their article files, '-' as standard input."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..fileio import read_bounded, read_file_bounded

STDIN = "-"
STDIN_NAME = "<stdin>"
ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ""}


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
            files = sorted(f for f in entries
                           if not f.name.startswith(".") and f.suffix.lower() in ARTICLE_SUFFIXES and _is_file(f))
            if not files:
                raise InputError("directory holds no article files (.txt, .html, .htm, .md)", p)
            out.extend(str(f) for f in files)
        elif _readable_kind(st.st_mode):
            out.append(p)
        else:
            raise InputError("not a regular file, pipe or directory", p)
    if out.count(STDIN) > 1:
        raise InputError("standard input ('-') can be given only once", STDIN_NAME)
    return out


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def read_bytes(path: str, stdin: bytes | None = None) -> bytes:
    if path == STDIN:
        return stdin if stdin is not None else read_bounded(sys.stdin.buffer, STDIN_NAME)
    return read_file_bounded(path)

"""Small file helpers shared by every stage that writes output."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import InputError


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` so that readers see the old file or the new one,
    never a half-written one (write to a temp file beside it, then rename)."""
    target = Path(path)
    try:
        if target.is_dir():
            raise InputError("cannot write: it is a directory", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        # mkstemp creates 0600; a report meant for a story ticket should get
        # the mode any new file gets (or keep the mode of the file it replaces).
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from None
        raise
    return target


def _write_error(target: Path, exc: OSError) -> InputError:
    """An output path that cannot be written is the user's to fix: one line,
    exit code 2 (parent is a file, read-only filesystem, no permission,
    disk full)."""
    where = f" at {exc.filename}" if exc.filename and str(exc.filename) != str(target) else ""
    return InputError(f"cannot write ({exc.strerror or exc}{where})", str(target))


def atomic_write_json(path: str | os.PathLike[str], data: Any) -> Path:
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

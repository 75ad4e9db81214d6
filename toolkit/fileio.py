"""Small file helpers shared by every stage that writes output."""
from __future__ import annotations

import codecs
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import InputError

MIB = 1024 * 1024


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def base_name(path: str) -> str:
    """The file name of a path written with either separator (a manifest
    may come from another system), for narrow table columns."""
    return str(path).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or str(path)


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


def check_output_path(path: str | os.PathLike[str], *, directory: bool = False) -> None:
    """An output path given by the user (``--out``) that can be written,
    checked before any work: the directory it goes into must exist, be a
    directory and be writable. Only the output itself is created: the file,
    or, for an output directory, that directory (never the ones above it: a
    mistyped path fails at once, naming it, instead of after the work and
    instead of creating a stray tree). InputError (exit 2) otherwise."""
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        above = next((p for p in (parent, *parent.parents) if p.exists()), None)
        if above is not None and not above.is_dir():
            raise InputError(f"cannot write: {above} is a file, not a directory", str(target))
        raise InputError(f"cannot write: directory {parent} does not exist (create it first; --out "
                         f"creates only the {'directory' if directory else 'file'} itself)", str(target))
    where = target if directory and target.is_dir() else parent
    if not os.access(where, os.W_OK | os.X_OK):
        raise InputError(f"cannot write: no permission to write in {where}", str(target))


def atomic_write_json(path: str | os.PathLike[str], data: Any) -> Path:
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- reading input with a bound ------------------------------------------------

def max_input_bytes() -> int:
    """The size limit for one article (file or stdin): setting max_input_mb."""
    from . import config

    mb = config.get("max_input_mb")
    try:
        mb = float(mb)
    except (TypeError, ValueError):
        raise InputError(f"setting max_input_mb must be a number, got {mb!r}") from None
    if mb <= 0:
        raise InputError(f"setting max_input_mb must be positive, got {mb}")
    return int(mb * MIB)


def _too_large(limit: int) -> str:
    return (f"larger than the input limit of {limit / MIB:.3g} MB; split it or raise the limit "
            "(TOOLKIT_MAX_INPUT_MB or max_input_mb in the config file)")


def read_bounded(fh, source: str, limit: int | None = None, what: str = "") -> bytes:
    """At most `limit` bytes from a binary stream; more is an input error
    (an endless stream stops at the limit instead of exhausting memory)."""
    limit = max_input_bytes() if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = fh.read(min(1 * MIB, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise InputError((f"{what}: " if what else "") + _too_large(limit), source)
    return b"".join(chunks)


def read_file_bounded(path: str | os.PathLike[str], what: str = "") -> bytes:
    """The bytes of a file, pipe or device, at most the input limit (an
    endless device such as /dev/zero stops there with an input error)."""
    import stat

    name = os.fspath(path)
    limit = max_input_bytes()
    prefix = f"{what}: " if what else ""
    try:
        st = os.stat(name)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{prefix}is a directory, expected a file", name)
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise InputError(prefix + _too_large(limit), name)
        with open(name, "rb") as fh:
            return read_bounded(fh, name, limit, what)
    except FileNotFoundError:
        raise InputError(f"cannot read {what} (no such file)" if what else "no such file", name) from None
    except OSError as exc:
        raise InputError(f"cannot read{' ' + what if what else ''} ({exc.strerror or exc})", name) from None


# -- reading text files ------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file: a byte-order mark wins, then `encoding`, then
    UTF-8. Returns (text, encoding used). Undecodable bytes are an error that
    names the line, never replaced silently."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, enc = data[len(bom):], name
            break
    else:
        enc = encoding or "utf-8"
    try:
        return data.decode(enc), enc
    except LookupError:
        raise InputError(f"unknown encoding {enc!r}", path) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "" if encoding else "; give its encoding with --encoding (for example cp1252)"
        raise InputError(f"not valid {enc} (byte {exc.start}){hint}", path, line) from None


def split_lines(text: str) -> list[str]:
    """Lines as the sacrebleu command line reads them: split at "\\n" only,
    trailing whitespace (and so a CR of CRLF) removed from each line, no
    extra empty line for a final newline."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def read_lines(path: str | os.PathLike[str], encoding: str | None = None) -> list[str]:
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", str(path))
    if p.is_dir():
        raise InputError("is a directory, expected a file", str(path))
    data = read_file_bounded(p)
    text, _ = decode_bytes(data, str(path), encoding)
    return split_lines(text)

"""Install a CTranslate2 conversion into the toolkit cache once, safely.

Translation models and the sentence embedder are both converted with
CTranslate2's own converter into ``<cache>/ct2/<model>/<revision>/<type>``.
This module owns what they share: a conversion is built in a temporary
directory beside its final place and renamed into place only when complete
(with a marker file written last), so an interrupted conversion is never
used; and concurrent processes never destroy each other's work. While one
process converts, others wanting the same conversion wait for it (an
advisory file lock) and then use it; without file locks (not POSIX) every
process converts and the first to finish wins, a later one discarding its
own copy instead of replacing the installed one.

Nothing here imports torch, transformers or ctranslate2; the caller passes
the function that converts.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

from .hub import safe_name  # noqa: F401 - conversions are named by it; kept importable here

MARKER = "toolkit-conversion.json"


def is_converted(path: Path) -> bool:
    """Whether `path` holds a complete conversion (weights and marker)."""
    return (path / "model.bin").is_file() and (path / MARKER).is_file()


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: the rename rules below still hold
        yield
        return
    with open(target.parent / f".{target.name}.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _install(tmp: Path, target: Path) -> None:
    """Rename the finished conversion `tmp` to `target`. A complete
    conversion already there (another process was faster) is kept and
    `tmp` discarded; only an incomplete leftover is replaced, and it is
    first renamed aside so that nothing is ever deleted in place."""
    for _ in range(5):
        try:
            os.replace(tmp, target)  # succeeds when target is absent (or an empty directory)
            return
        except OSError:
            pass
        if is_converted(target):  # checked again right before touching it
            shutil.rmtree(tmp, ignore_errors=True)
            return
        aside = target.with_name(f".{target.name}.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.replace(target, aside)
        except FileNotFoundError:
            continue
        if is_converted(aside):  # completed between the check and the rename: put it back
            try:
                os.replace(aside, target)
                shutil.rmtree(tmp, ignore_errors=True)
                return
            except OSError:
                pass
        shutil.rmtree(aside, ignore_errors=True)
    raise OSError(f"{target}: cannot install the conversion (the directory keeps changing)")


def install_once(target: Path, build: Callable[[Path], Any], meta: dict[str, Any]) -> Path:
    """`target`, converting it first when it is not complete: `build(tmp)`
    writes the conversion into the empty directory `tmp`; `meta` goes into
    the marker file. Exceptions from `build` propagate (after cleaning up),
    unless another process completed the same conversion meanwhile."""
    if is_converted(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock(target):
        if is_converted(target):  # converted by the process we waited for
            return target
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            build(tmp)
            (tmp / MARKER).write_text(json.dumps(meta, sort_keys=True) + "\n", encoding="utf-8")
            _install(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            if is_converted(target):
                return target
            raise
    return target


__all__ = ["MARKER", "install_once", "is_converted", "safe_name"]

"""The SQLite cache file shared by the toolkit's caches: it survives busy,
damaged and unusable files, and reads keys in bounded chunks."""
from __future__ import annotations

import json
import sqlite3
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

from .errors import CacheWarning

_T = TypeVar("_T")

# How long a cache in use by another process is waited on before this run
# goes on without it (reads become misses, writes are skipped with a notice).
BUSY_TIMEOUT_S = 30.0
# SQLite result codes (primary) used to tell a busy cache from a damaged one.
_BUSY = {5, 6}          # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGED = {11, 26}     # SQLITE_CORRUPT, SQLITE_NOTADB

# Keys per read: older SQLite builds allow 999 bound parameters.
_CHUNK = 500

def notice(message: str) -> None:
    """Warn about a cache (a `CacheWarning`; library code never prints)."""
    warnings.warn(message, CacheWarning, stacklevel=3)


def _kind(exc: sqlite3.Error) -> str:
    """'busy', 'damaged' or 'other' for an SQLite error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        code &= 0xFF
        if code in _BUSY:
            return "busy"
        if code in _DAMAGED:
            return "damaged"
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "busy"
    if "malformed" in text or "not a database" in text or "encrypted" in text or "disk image" in text:
        return "damaged"
    return "other"


class SqliteStore:
    """One SQLite cache file shared by any number of processes.

    * busy (another process holds the lock past ``BUSY_TIMEOUT_S``): the file
      is never touched; reads count as misses and writes are skipped, each
      with a notice, so results stay correct and only speed is lost;
    * damaged (not a database, or a damaged page met by any query): the file
      is moved aside for inspection (with its journal), a new one is built,
      and a notice says so; the write that met the damage is retried;
    * unusable (read-only filesystem, no permission, disk full): the run
      goes on without the cache, with a notice.
    """

    def __init__(self, path: Path, schema: str, table: str, label: str):
        self.path = path
        self.schema = schema
        self.table = table
        self.label = label
        self.recovered: str | None = None  # where a damaged file was moved
        self.disabled = False
        self.busy = False  # stayed locked by another process past the timeout
        self._con: sqlite3.Connection | None = None

    # -- connection --------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._con is not None or self.disabled or self.busy:
            return self._con
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(f"cannot create its directory ({exc.strerror or exc}); "
                          "set TOOLKIT_CACHE_DIR to a writable directory")
            return None
        return self._retry(self._open, None)

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S)
        try:
            con.execute(self.schema)
            con.execute(f"SELECT 1 FROM {self.table} LIMIT 1").fetchall()
            con.commit()
        except sqlite3.Error:
            con.close()
            raise
        self._con = con
        return con

    def _retry(self, op: Callable[[], _T], fallback: _T) -> _T:
        """`op()`; when it finds the file damaged, the file is moved aside and
        `op` tried once more on a new one; `fallback` when the cache is
        busy, damaged beyond that or unusable."""
        for attempt in range(2):
            try:
                return op()
            except sqlite3.Error as exc:
                kind = _kind(exc)
                if kind == "damaged" and attempt == 0 and self._rebuild():
                    continue
                if not self.disabled:
                    self._give_up(kind, exc)
                return fallback
        return fallback

    def _rebuild(self) -> bool:
        """Move a damaged file (and its rollback journal) aside."""
        self.close()
        aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
        try:
            self.path.replace(aside)
        except FileNotFoundError:
            pass  # another process already moved it
        except OSError as exc:
            self._disable(f"is damaged and cannot be moved aside ({exc.strerror or exc})")
            return False
        for suffix in ("-journal", "-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            try:
                side.replace(aside.with_name(aside.name + suffix))
            except OSError:
                pass
        self.recovered = str(aside)
        notice(f"the {self.label} cache {self.path} was damaged; it was moved to {aside} and a new one "
               "started (entries are recomputed)")
        return True

    def _disable(self, why: str) -> None:
        self.close()
        self.disabled = True
        notice(f"the {self.label} cache {self.path} {why}; running without it")

    def _give_up(self, kind: str, exc: sqlite3.Error) -> None:
        if kind == "busy":
            # Busy is not damage: the file is left alone for the process using
            # it, and this run stops waiting on it.
            self.close()
            self.busy = True
            notice(f"the {self.label} cache {self.path} stayed busy (in use by another process) for "
                   f"{BUSY_TIMEOUT_S:g} s; results not found in it are computed, and some may not be saved")
        else:
            self._disable(f"cannot be used ({exc})")

    # -- operations --------------------------------------------------------

    def _run(self, op: Callable[[sqlite3.Connection], _T], fallback: _T) -> _T:
        """`op` on the connection, with `_retry`'s handling of damage."""
        def attempt() -> _T:
            con = self._connect()
            return fallback if con is None else op(con)

        return self._retry(attempt, fallback)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read; nothing (a miss) when the cache is busy, damaged
        or unusable."""
        return self._run(lambda con: con.execute(sql, params).fetchall(), [])

    def select_in(self, columns: str, key_column: str, keys: Iterable[str]) -> list[tuple[Any, ...]]:
        """Rows of `self.table` whose `key_column` is one of `keys`, read in
        chunks that stay under SQLite's limit on bound parameters."""
        items = list(keys)
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(items), _CHUNK):
            chunk = items[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows.extend(self.query(f"SELECT {columns} FROM {self.table} WHERE {key_column} IN ({marks})", chunk))
        return rows

    def write_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> bool:
        """Run `sql` for every row in one transaction; False when the rows
        could not be saved (busy or unusable cache)."""
        if not rows:
            return True

        def write(con: sqlite3.Connection) -> bool:
            with con:
                con.executemany(sql, rows)
            return True

        return self._run(write, False)

    def close(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            except sqlite3.Error:
                pass
            self._con = None


class JsonTable:
    """A table of JSON values by key in one cache file: what the fact
    layer's readings and the articles read are kept in. Every call lets go
    of the file when it is done, so a long run never holds it; a busy,
    damaged or unusable file is handled as `SqliteStore` handles it."""

    def __init__(self, path: Path, table: str, column: str, label: str) -> None:
        self.path = path
        self._table, self._column = table, column
        schema = f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, {column} TEXT NOT NULL)"
        self._store = SqliteStore(path, schema, table, label)

    def lookup(self, keys: Sequence[str], read: Callable[[Any], _T]) -> dict[str, _T]:
        """`read` of the value of each of `keys` the table holds; a row
        that is not JSON or that `read` refuses (ValueError, KeyError,
        TypeError) is left out, to be made again."""
        if not self.path.is_file():
            return {}
        found: dict[str, _T] = {}
        try:
            for key, blob in self._store.select_in(f"key, {self._column}", "key", keys):
                try:
                    found[key] = read(json.loads(blob))
                except (ValueError, KeyError, TypeError):
                    continue
        finally:
            self._store.close()
        return found

    def present(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys` the table holds, their values left unread."""
        if not self.path.is_file():
            return set()
        try:
            return {key for (key,) in self._store.select_in("key", "key", keys)}
        finally:
            self._store.close()

    def write(self, rows: Mapping[str, Any]) -> None:
        """Each value of `rows` as JSON under its key, in one transaction."""
        data = [(key, json.dumps(value, ensure_ascii=False)) for key, value in rows.items()]
        try:
            self._store.write_many(f"INSERT OR REPLACE INTO {self._table} (key, {self._column}) VALUES (?, ?)",
                                   data)
        finally:
            self._store.close()

"""The archive translator on Ray Data (``pip install 'toolkit[ray]'``).

    report = translate_archive_ray(["archive/"], Path("en"), address="auto")

The driver lists the articles (files of directories, or the lines of a
JSONL file of articles) and hands Ray one small record per article: its
number and where to read it. `ArticleTranslator`, a callable class mapped
over batches of those records with ``map_batches``, loads the model once
per worker and runs the single-machine stream (`translate_stream`) on each
batch, so parsing, the cache, the glossary, the flags and the English
pass-through are those of ``toolkit translate``. The driver receives the
finished articles in input order and writes the same
``translation.jsonl`` and ``<article>.en.txt`` files as ``toolkit
translate --out``, skipping articles an earlier run already wrote.

Paths are read by the workers: on a cluster they must be on storage every
node sees. Each worker uses the translation cache of the machine it runs
on; a local Ray shares the driver's cache and settings.

A JSONL file of articles has one object per line: ``text`` (required),
``source`` (a name, which also names the output file; default ``FILE:LINE``) and ``language`` (ar, en or
auto; default the run's ``language``).
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from .. import config
from ..errors import InputError, ModelUnavailable
from ..records import article_name
from ..translations import dumps_rows

# Articles per map_batches call. A batch is translated in chunks of up to
# CHUNK_SENTENCES sentences, so this bounds a worker's memory too.
BATCH_ARTICLES = 64
# Settings and locations a local worker takes from the driver, so that it
# reads the same model files and cache.
_SHARED_ENV = ("TOOLKIT_", "HF_", "TRANSFORMERS_", "CT2_")


@dataclass(frozen=True)
class _Record:
    number: int
    source: str
    path: str
    offset: int = -1  # byte offset of the line in a JSONL file of articles; -1: a whole file

    @property
    def name(self) -> str:
        return article_name(self.source)


@dataclass
class RayReport:
    articles: int = 0
    sentences: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    workers: int = 1
    gpus_per_worker: float = 0.0


def _is_article_jsonl(path: str) -> bool:
    return path.lower().endswith((".jsonl", ".ndjson")) and os.path.isfile(path)


def list_articles(paths: Sequence[str]) -> list[_Record]:
    """One record per article, numbered from 1 in the order given: files
    (directories expanded and sorted, as `load_articles` does) and the
    lines of JSONL files of articles."""
    from ..ingest import STDIN, expand_paths

    records: list[_Record] = []
    for p in paths:
        if p == STDIN:
            raise InputError("--ray reads files, directories or JSONL files of articles, not standard input")
        if _is_article_jsonl(p):
            offset = 0
            try:
                with open(p, "rb") as fh:
                    for line_no, line in enumerate(fh, 1):
                        if line.strip():
                            records.append(_Record(len(records) + 1, _jsonl_source(line, f"{p}:{line_no}"), p,
                                                   offset))
                        offset += len(line)
            except OSError as exc:
                raise InputError(f"cannot read ({exc.strerror or exc})", p) from None
            continue
        for f in expand_paths([p]):
            records.append(_Record(len(records) + 1, f, f))
    if not records:
        raise InputError("no articles given")
    return records


def _jsonl_source(line: bytes, default: str) -> str:
    """The article's name in a JSONL line (its output file is named after
    it), read on the driver; a line that does not parse fails on the worker."""
    try:
        source = json.loads(line).get("source")
    except (ValueError, AttributeError):
        return default
    return source if isinstance(source, str) and source.strip() else default


def _read_jsonl_article(record: _Record, language: str) -> tuple[bytes, str, str]:
    """(text bytes, source name, language) of one line of a JSONL file."""
    with open(record.path, "rb") as fh:
        fh.seek(record.offset)
        line = fh.readline()
    try:
        obj = json.loads(line)
        text = obj["text"]
        if not isinstance(text, str):
            raise TypeError("text is not a string")
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not an article record ({exc}); each line needs a \"text\" string", record.source) \
            from None
    return text.encode("utf-8"), record.source, str(obj.get("language") or language)


class ArticleTranslator:
    """The per-worker callable of ``map_batches``: loads the model once, in
    the constructor, and translates each batch of article records into one
    output row per article (``number``, ``source``, ``rows`` as JSONL,
    ``english``, ``sentences``, ``error``)."""

    def __init__(self, settings: dict[str, Any], language: str = "auto", environ: dict[str, str] | None = None,
                 threads: int = 0) -> None:
        os.environ.update(environ or {})
        from .selection import get_translator

        self.settings = dict(settings)
        self.language = language
        self.translator = None
        try:
            self.translator = get_translator(self.settings["model"], self.settings["engine"],
                                             self.settings["device"], threads=int(self.settings["threads"]) or threads)
        except ModelUnavailable as exc:
            # Raised here, the message reaches the driver as the cause.
            raise ModelUnavailable(str(exc)) from None

    def _articles(self, batch: dict[str, Any]) -> Iterator[Any]:
        from ..ingest import parse, read_bytes
        from .stream import FAILED, ArticleResult

        for number, source, path, offset in zip(batch["number"], batch["source"], batch["path"],
                                                batch["offset"]):
            record = _Record(int(number), str(source), str(path), int(offset))
            try:
                if record.offset < 0:
                    data, name, language = read_bytes(record.path), record.source, self.language
                else:
                    data, name, language = _read_jsonl_article(record, self.language)
                yield parse(data, name, record.number, language=language)
            except InputError as exc:
                yield ArticleResult(record.number, record.source, FAILED, error=str(exc).splitlines()[0])

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        from ..records import Article
        from .stream import translate_stream

        items = list(self._articles(batch))
        parsed = [a for a in items if isinstance(a, Article)]
        settings = {k: v for k, v in self.settings.items() if k not in ("model", "engine", "device", "threads")}
        results = {r.number: r for r in translate_stream(parsed, translator=self.translator, **settings)}
        out: dict[str, list[Any]] = {k: [] for k in ("number", "source", "rows", "english", "sentences", "error")}
        for item in items:
            r = results[item.number] if isinstance(item, Article) else item
            out["number"].append(r.number)
            out["source"].append(r.source)
            out["sentences"].append(r.sentences)
            if r.ok:
                out["rows"].append(dumps_rows(r.rows()))
                out["english"].append(r.english())
                out["error"].append("")
            else:
                out["rows"].append("")
                out["english"].append("")
                out["error"].append(r.error or "failed")
        return {"number": np.array(out["number"], dtype=np.int64), "source": np.array(out["source"], dtype=object),
                "rows": np.array(out["rows"], dtype=object), "english": np.array(out["english"], dtype=object),
                "sentences": np.array(out["sentences"], dtype=np.int64),
                "error": np.array(out["error"], dtype=object)}


def _ray(module: str = "ray") -> Any:
    """Ray (or one of its modules), or the one-line fix. Ray Data (half a
    second of imports) is imported once connected, so that the worker Ray
    starts for the run boots meanwhile."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelUnavailable("--ray needs Ray Data: pip install 'toolkit[ray]' (or 'ray[data]')") from None


def translate_archive_ray(paths: Sequence[str], out: Path, *, address: str | None = None,
                          concurrency: int | None = None, num_gpus: float | None = None,
                          batch_articles: int = BATCH_ARTICLES, language: str = "auto", share_env: bool | None = None,
                          model: str | None = None, engine: str | None = None, device: str | None = None,
                          beam: int | None = None, batch_tokens: int | None = None, threads: int | None = None,
                          glossary: str | None = None, use_cache: bool = True) -> RayReport:
    """Translate the articles under `paths` on Ray and write `out` as
    ``toolkit translate --out OUT --format jsonl`` does.

    Joins the cluster at `address` (or RAY_ADDRESS), or uses the Ray this
    process already started, or starts a local one. `concurrency`: model
    replicas [default: one per GPU in the cluster, else 1]; `num_gpus`:
    GPUs per replica [default: 1 when the cluster has GPUs and `device` is
    not cpu]. `share_env` gives workers the driver's toolkit and Hugging
    Face settings (cache included) [default: when Ray is local].
    """
    from .stream import ArchiveWriter, out_names

    ray = _ray()
    settings = {"model": config.get("model", model), "engine": str(config.get("engine", engine)),
                "device": str(config.get("device", device)), "beam": config.get("beam", beam),
                "batch_tokens": config.get("batch_tokens", batch_tokens), "threads": config.get("threads", threads),
                "glossary": glossary, "use_cache": use_cache}
    records = list_articles(paths)
    writer = ArchiveWriter(out, out_names(records), jsonl=True, background=64,
                           sources={r.number: r for r in records})
    report = RayReport()
    todo = []
    for r in records:
        if writer.written(r):  # type: ignore[arg-type]
            report.skipped += 1
        else:
            todo.append(r)
    started = False
    try:
        if not ray.is_initialized():
            address = address or os.environ.get("RAY_ADDRESS") or None
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
            started = True
        data = _ray("ray.data")
        environ = _worker_env(address in (None, "", "local") if share_env is None else share_env)
        concurrency, num_gpus, cpu_threads = _placement(ray.cluster_resources(), str(settings["device"]),
                                                        concurrency, num_gpus)
        report.workers, report.gpus_per_worker = concurrency, num_gpus
        if todo:
            constructor = {"settings": settings, "language": language, "environ": environ, "threads": cpu_threads}
            batches = _translated_batches(data, todo, batch_articles, concurrency, num_gpus, constructor)
            _write_batches(batches, writer, report)
    except Exception as exc:
        cause = _ray_cause(exc)
        if cause is not None:
            raise cause from None
        raise
    finally:
        writer.close()
        if started:
            ray.shutdown()
    return report


def _worker_env(share_env: bool) -> dict[str, str]:
    """The driver's toolkit and Hugging Face settings (cache included) for
    the workers, or nothing."""
    if not share_env:
        return {}
    environ = {k: v for k, v in os.environ.items() if k.startswith(_SHARED_ENV)}
    environ["TOOLKIT_CACHE_DIR"] = str(config.cache_dir())
    return environ


def _placement(resources: dict[str, Any], device: str, concurrency: int | None,
               num_gpus: float | None) -> tuple[int, float, int]:
    """(replicas, GPUs per replica, engine threads per replica)."""
    gpus = float(resources.get("GPU", 0))
    if num_gpus is None:
        num_gpus = 1.0 if gpus >= 1 and device != "cpu" else 0.0
    if concurrency is None:
        concurrency = max(1, int(gpus // num_gpus)) if num_gpus else 1
    # Ray gives a CPU worker one thread; the engine may use the CPUs the
    # replicas share.
    cpu_threads = max(1, int(resources.get("CPU", 1)) // concurrency)
    return concurrency, num_gpus, cpu_threads


def _translated_batches(data: Any, todo: list[_Record], batch_articles: int, concurrency: int, num_gpus: float,
                        constructor: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The translated articles, in input order, a batch at a time."""
    ctx = data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    # A block per batch, up to Ray's default of 200 blocks: smaller
    # blocks made the actor translate a batch of 64 articles and a
    # remnant of 2 where 64 fitted; more blocks cost the driver a
    # put each (seconds for a million articles).
    ds = data.from_items([{"number": r.number, "source": r.source, "path": r.path, "offset": r.offset}
                          for r in todo], override_num_blocks=min(200, -(-len(todo) // batch_articles)))
    ds = ds.map_batches(ArticleTranslator, batch_size=batch_articles,
                        compute=data.ActorPoolStrategy(size=concurrency),
                        num_gpus=num_gpus or None, batch_format="numpy", fn_constructor_kwargs=constructor)
    return ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=1)


def _write_batches(batches: Iterator[dict[str, Any]], writer: Any, report: RayReport) -> None:
    for batch in batches:
        for number, source, rows, english, sentences, error in zip(
                batch["number"], batch["source"], batch["rows"], batch["english"], batch["sentences"],
                batch["error"]):
            if error:
                report.failed.append((str(source), str(error)))
                continue
            writer.write_serialised(int(number), str(rows), str(english), source=str(source))
            report.articles += 1
            report.sentences += int(sentences)


def _ray_cause(exc: BaseException) -> Exception | None:
    """The toolkit error inside a Ray task or actor failure, if there is one
    (a model that cannot load on the workers is exit 3, not a Ray traceback)."""
    from ..errors import ToolkitError

    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, ToolkitError):
            return current
        inner = getattr(current, "cause", None)
        current = inner if isinstance(inner, BaseException) else current.__cause__
        seen += 1
    text = str(exc)
    for kind in (ModelUnavailable, InputError):
        marker = f"{kind.__name__}: "
        if marker in text:
            return kind(text.split(marker, 1)[1].splitlines()[0])
    return None

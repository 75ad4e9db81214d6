"""Wall time of a brief of the five seed articles, in a fresh process each
time, for both embedding engines.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/summarize_speed.py [--runs 5]
        [--story FOLDER]

`--story` briefs a folder of English articles instead of the seed story
(e.g. ten new articles: a MultiLing cluster's ``en/``).

Per engine (``TOOLKIT_EMBED_ENGINE``: ctranslate2, sentence-transformers):

* first-ever: an empty toolkit cache (for CTranslate2 this includes
  converting the model);
* cold: articles never seen before, the model already converted (the
  embedding and parse caches are emptied before each run, the conversion
  kept): what a journalist sees on today's articles;
* cached: the same articles again, every vector in the embedding cache.

The English comes from refs/, or with `--model MODEL` from the translation
layer (translations are made once in a separate cache and reused by every
run, so only the brief is timed). Every run must print the same brief as
the engine's first-ever run. Beside wall time it reports the CPU time
(user + system) of the process: on a machine shared with other busy work
the wall time is inflated, and with one thread (``TOOLKIT_THREADS=1``) the
CPU time is about what an idle core would take.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, SHARED, offline_model
from toolkit import config
from toolkit.ct2convert import safe_name
from toolkit.facts.parse import CACHE_FILE as FACTS_CACHE

ENGINES = ("ctranslate2", "sentence-transformers")


CPU: list[float] = []  # CPU seconds (user + system) of each timed process


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if run.returncode != 0:
        sys.exit(run.stderr)
    return took, run.stdout


def stats(times: list[float], cpus: list[float]) -> str:
    cpu = statistics.median(cpus)
    return (f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, "
            f"{len(times)} runs); CPU time median {cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", help="translate with this model (preset, id or directory) instead of refs/")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated engines to time")
    parser.add_argument("--story", type=Path, help="a folder of English articles (*.txt) to brief instead of the seeds")
    args = parser.parse_args()
    folder = args.story or SHARED / "seeds"
    seeds = sorted(folder.glob("*.txt"))
    if not seeds:
        sys.exit(f"{folder} holds no articles")
    english = ["--model", args.model] if args.model else [] if args.story else ["--translations", str(REPO / "refs")]
    cmd = [sys.executable, "-m", "toolkit", "summarize", "--cite", "--format", "txt", *english, *map(str, seeds)]
    base = offline_model(dict(os.environ))
    source = f"the translation cache ({args.model})" if args.model else "the articles" if args.story else "refs/"
    print(f"brief of {len(seeds)} articles, English from {source}; "
          f"{os.cpu_count()} CPU cores")
    briefs = {}
    embedder = str(config.get("embedder"))
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory() as cache:
            env = {**base, "TOOLKIT_CACHE_DIR": cache, "TOOLKIT_EMBED_ENGINE": engine}
            if args.model:  # translations are made once; the embedder's work is then removed
                timed(cmd, env)
                (Path(cache) / "embeddings.sqlite3").unlink(missing_ok=True)
                shutil.rmtree(Path(cache) / "ct2" / safe_name(embedder), ignore_errors=True)
            first, brief = timed(cmd, env)
            first_cpu = CPU[-1]
            briefs[engine] = brief
            cold, cold_cpu = [], []
            for _ in range(args.runs):
                # New articles: neither their vectors nor their parses are cached.
                for name in ("embeddings.sqlite3", FACTS_CACHE):
                    (Path(cache) / name).unlink(missing_ok=True)
                took, out = timed(cmd, env)
                if out != brief:
                    sys.exit(f"{engine}: a cold run gave another brief")
                cold.append(took)
                cold_cpu.append(CPU[-1])
            cached, cached_cpu = [], []
            for _ in range(args.runs):
                took, out = timed(cmd, env)
                if out != brief:
                    sys.exit(f"{engine}: a cached run gave another brief")
                cached.append(took)
                cached_cpu.append(CPU[-1])
        print(f"{engine}:")
        label = "empty cache" + (", conversion included" if engine == "ctranslate2" else "")
        print(f"  first-ever ({label}): {first:.2f} s; CPU time {first_cpu:.2f} s")
        print(f"  cold (new articles, model ready): {stats(cold, cold_cpu)}")
        print(f"  cached: {stats(cached, cached_cpu)}")
    if len(briefs) == 2:
        print("same brief from both engines:", len(set(briefs.values())) == 1)


if __name__ == "__main__":
    main()

"""Two or more processes hammering one translation cache: nothing written is
lost and a busy cache is never moved aside.

    python bench/cache_hammer.py --seconds 60 --workers 2

Each worker writes batches of entries and reads back its own and the other
workers' entries; the parent then checks every entry every worker wrote is
in the cache and that no file was moved aside. Prints one JSON summary.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import child_env


def worker(path: Path, ident: int, seconds: float, rounds: int, batch: int) -> dict:
    import warnings

    from toolkit.errors import CacheWarning
    from toolkit.translate.base import Hypothesis
    from toolkit.translate.cache import TranslationCache, namespace_key

    ns = namespace_key({"bench": "hammer"})
    caught = warnings.catch_warnings(record=True)
    notices = caught.__enter__()
    warnings.simplefilter("always", CacheWarning)
    cache = TranslationCache(path)
    written = 0
    missing_own = 0
    start = time.monotonic()
    r = 0
    while (rounds and r < rounds) or (not rounds and time.monotonic() - start < seconds):
        texts = [f"w{ident}-r{r}-{j}" for j in range(batch)]
        cache.put_many(ns, [(t, Hypothesis(t.upper(), 3, 3)) for t in texts])
        written += len(texts)
        got = cache.get_many(ns, texts + [f"w{ident + 1}-r{r}-{j}" for j in range(batch)])
        missing_own += sum(1 for t in texts if t not in got or got[t].text != t.upper())
        r += 1
    cache.close()
    caught.__exit__(None, None, None)
    return {"worker": ident, "rounds": r, "written": written, "missing_own": missing_own,
            "notices": [str(w.message) for w in notices if issubclass(w.category, CacheWarning)]}


def run(workers: int, seconds: float, rounds: int, batch: int, directory: Path) -> dict:
    path = directory / "translations.sqlite"
    env = child_env()
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(i), "--path", str(path),
                               "--seconds", str(seconds), "--rounds", str(rounds), "--batch", str(batch)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for i in range(workers)]
    results = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"worker failed ({p.returncode}): {err.strip().splitlines()[-1:] or ''}")
        results.append(json.loads(out))

    from toolkit.translate.cache import TranslationCache, namespace_key

    ns = namespace_key({"bench": "hammer"})
    wanted = [f"w{res['worker']}-r{r}-{j}" for res in results for r in range(res["rounds"]) for j in range(batch)]
    cache = TranslationCache(path)
    found = cache.get_many(ns, wanted)
    cache.close()
    return {
        "workers": results,
        "written": len(wanted),
        "lost": sum(1 for t in wanted if t not in found),
        "moved_aside": sorted(p.name for p in directory.iterdir() if ".damaged" in p.name),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rounds", type=int, default=0, help="fixed rounds per worker instead of --seconds")
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--worker", type=int, default=None)
    ap.add_argument("--path", type=Path, default=None)
    args = ap.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.path, args.worker, args.seconds, args.rounds, args.batch)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        summary = run(args.workers, args.seconds, args.rounds, args.batch, Path(tmp))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

"""Wall time of a brief of the five seed articles from cached work, in a
fresh process each time (what a journalist sees on a second run).

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/summarize_speed.py [--runs 5]

The English comes from refs/, or with `--model MODEL` from the translation
layer (`toolkit summarize --model MODEL`, translations read from the
translation cache). The first run fills a private cache (translation, model
load, encoding; reported, not counted); then the same command runs `--runs`
times as a new process each and the wall times are reported.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", help="translate with this model (preset, id or directory) instead of refs/")
    args = parser.parse_args()
    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    if not seeds:
        sys.exit("../shared/seeds is missing")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "TOOLKIT_CACHE_DIR": cache}
        env.setdefault("HF_HUB_CACHE", str(REPO.parent / "shared" / "hf-cache" / "hub"))
        env.setdefault("HF_HUB_OFFLINE", "1")
        english = ["--model", args.model] if args.model else ["--translations", str(REPO / "refs")]
        cmd = [sys.executable, "-m", "toolkit", "summarize", "--cite", "--format", "txt", *english, *map(str, seeds)]
        start = time.perf_counter()
        first = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
        cold = time.perf_counter() - start
        if first.returncode != 0:
            sys.exit(first.stderr)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            run = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
            times.append(time.perf_counter() - start)
            if run.returncode != 0 or run.stdout != first.stdout:
                sys.exit("a cached run failed or gave another brief")
        lines = sum(1 for line in first.stdout.splitlines() if line.startswith("- "))
        print(f"brief of {len(seeds)} articles, {lines} sentences, English from "
              f"{'the translation cache (' + args.model + ')' if args.model else 'refs/'}")
        print(f"first run (model load + encoding): {cold:.2f} s")
        print(f"cached runs, fresh process each: median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()

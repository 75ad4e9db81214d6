"""A developing story of hundreds of articles: wall time and peak memory
of `toolkit summarize --cite --format json` at 30, 100, 300 and 1,000
Timeline17 articles, cold, cached and with only the spaCy readings cold.

Not a test; run by hand and copy the table into docs/benchmarks.md:

    python bench/brief_scale.py [--sizes 30,100,300,1000] [--parse-up-to 300] [--keep DIR]

Stories (symlinks under a temporary folder, so the toolkit dates each
article from its file name as it does in ../shared/t17): up to 293
articles, every k-th article of bpoil_bbc (the whole oil spill over nine
months); more, the first N of bpoil_bbc, bpoil_guardian, haiti_bbc and
MJ_bbc in turn (300: the BBC's oil spill and seven Guardian articles;
1,000: four stories, as a desk's folder of a season might be).

Each size runs three times, each as a fresh process under
``/usr/bin/time``: *cold* with an empty toolkit cache (every sentence
embedded and parsed), *cached* with that cache (nothing embedded or
parsed), and, up to --parse-up-to articles, *parse* with the embeddings
cached and the readings cache removed: parse - cached is what the spaCy
parse costs. A run that ends with a signal (a native crash: exit 139) is
reported as such.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import SHARED, child_env, offline_model

T17 = SHARED / "t17"
POOL = ("bpoil_bbc", "bpoil_guardian", "haiti_bbc", "MJ_bbc")


def story(size: int, root: Path) -> Path:
    """A folder of `size` article symlinks (see the module docstring)."""
    first = sorted((T17 / POOL[0] / "articles").glob("*.txt"))
    if size <= len(first):
        step = len(first) / size
        chosen = [(POOL[0], first[int(k * step)]) for k in range(size)]
    else:
        pool = [(c, p) for c in POOL for p in sorted((T17 / c / "articles").glob("*.txt"))]
        chosen = pool[:size]
    folder = root / f"story-{size}"
    folder.mkdir()
    for collection, path in chosen:
        # YYYY-MM-DD_<id>.txt: the date stays first; the collection keeps
        # ids of two collections apart.
        day, _, rest = path.name.partition("_")
        (folder / f"{day}_{collection.replace('_', '')}{rest}").symlink_to(path)
    return folder


def run(folder: Path, cache: Path) -> dict[str, object]:
    """One brief of `folder` with the toolkit cache `cache`: exit code,
    wall seconds, CPU seconds (user + system, the process and its
    children), peak RSS in MB (of the largest process), sentences in the
    story, the load average as it started."""
    env = offline_model(child_env({"TOOLKIT_CACHE_DIR": str(cache)}))
    timing = cache.parent / "time.txt"
    load = os.getloadavg()[0]
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timing), sys.executable, "-m", "toolkit", "summarize",
           "--cite", "--format", "json", str(folder)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall, user, system, rss = timing.read_text().split()[-4:]
    sentences = re.search(r'"candidates": (\d+)', done.stdout)
    return {"rc": done.returncode, "wall": float(wall), "cpu": float(user) + float(system),
            "rss_mb": int(rss) / 1024, "load": load, "brief": done.stdout,
            "candidates": int(sentences.group(1)) if sentences else None,
            "error": done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr.strip() else ""}


def measure(size: int, root: Path, parse: bool, keep: Path | None = None) -> dict[str, dict[str, object]]:
    folder = story(size, root)
    cache = root / f"cache-{size}" / "toolkit"
    cache.mkdir(parents=True)
    out = {"cold": run(folder, cache), "cached": run(folder, cache)}
    if parse:
        (cache / "facts.sqlite3").unlink(missing_ok=True)
        out["parse"] = run(folder, cache)
    if keep is not None:  # to compare the briefs of two versions of the code
        keep.mkdir(parents=True, exist_ok=True)
        for mode, r in out.items():
            (keep / f"{size}-{mode}.json").write_text(str(r["brief"]), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="30,100,300,1000")
    ap.add_argument("--parse-up-to", type=int, default=300, help="measure the parse alone up to this many articles")
    ap.add_argument("--keep", type=Path, help="write each brief into this folder")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="brief-scale-"))
    print(f"cores: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}", flush=True)
    print("| articles | candidates | cold s (CPU s, load) | cold MB | cached s (CPU s, load) | cached MB "
          "| spaCy parse s |")
    print("|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            r = measure(size, root, size <= args.parse_up_to, args.keep)
            cells = [str(size), str(r["cached"]["candidates"])]
            for mode in ("cold", "cached"):
                m = r[mode]
                cells += [f"{m['wall']:.1f} ({m['cpu']:.1f}, {m['load']:.1f})" if m["rc"] == 0
                          else f"exit {m['rc']}: {m['error']}",
                          f"{m['rss_mb']:.0f}"]
            p = r.get("parse")
            cells.append("" if p is None else f"{p['wall'] - r['cached']['wall']:.1f}" if p["rc"] == 0
                         else f"exit {p['rc']}")
            print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Archive scale: wall time and peak memory of `toolkit translate --out`
(the streamed single-machine path) and of the Ray Data path on a local Ray,
for corpora of 1k, 10k and 100k sentences.

Not a test; run by hand and copy the table into docs/archive.md:

    python bench/scale.py [--sizes 1000,10000,100000] [--no-ray] [--threads 2]

The corpus is generated from the sentences of the five seed articles in
../shared/seeds: sentence i is its serial number in Arabic-Indic digits
followed by seed sentence i mod n (a number after the full stop would be a
sentence of its own), so that no two sentences are the same (the
cache and the de-duplication of a chunk never help) and every size does
the same work per sentence. Articles are 20 sentences, one file each. The
model is the tiny random-weight Marian of the tests (real opus-mt-ar-en
tokenizer) with its end-of-sentence logit raised (--eos-bias), greedy, on
CPU, so the numbers measure the toolkit's own cost
per sentence (reading, segmenting, batching, cache writes, output), not a
real model's; a real model's per-sentence time is in README, Speed.

Each run is a fresh process with an empty translation cache (the converted
model is kept). Peak RSS: the process's own maximum for the single-machine
path; for Ray, the driver's and the largest Ray worker's (sampled from
/proc every 0.2 s), and the start-up of the local Ray is reported apart.
"net ms/sentence" leaves out the fixed start-up of a run (imports and model
load, measured by a 40-sentence run; for Ray, also the start of the local
Ray), so that cost per sentence can be compared across sizes.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", REPO.parent / "shared"))
SENTENCES_PER_ARTICLE = 20
DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def seed_sentences() -> list[str]:
    from toolkit.ingest import load_articles

    articles = load_articles([str(p) for p in sorted((SHARED / "seeds").glob("*.txt"))])
    return [s.text for a in articles for s in a.sentences if not s.is_heading]


def make_corpus(root: Path, n: int, seeds: list[str]) -> None:
    root.mkdir(parents=True)
    for start in range(0, n, SENTENCES_PER_ARTICLE):
        lines = [f"{str(i + 1).translate(DIGITS)} {seeds[i % len(seeds)]}"
                 for i in range(start, min(n, start + SENTENCES_PER_ARTICLE))]
        (root / f"{start // SENTENCES_PER_ARTICLE:06d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return kids


class TreeSampler(threading.Thread):
    """Largest RSS of any descendant process whose command line names a Ray worker."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_worker = 0
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            todo, seen = [os.getpid()], set()
            while todo:
                pid = todo.pop()
                for kid in _children(pid):
                    if kid not in seen:
                        seen.add(kid)
                        todo.append(kid)
            for pid in seen:
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if b"default_worker" in cmd or b"ray::" in cmd:
                    self.peak_worker = max(self.peak_worker, _rss_kib(pid))
            time.sleep(0.2)


def child(args: argparse.Namespace) -> None:
    out = Path(args.out)
    result: dict = {}
    if args.mode == "single":
        from toolkit.cli import main

        t0 = time.perf_counter()
        try:
            main(["translate", args.corpus, "--model", args.model, "--beam", "1", "--format", "jsonl",
                  "--out", str(out), "--threads", str(args.threads)], standalone_mode=False)
        finally:
            result["wall"] = time.perf_counter() - t0
    else:
        import ray

        from toolkit.translate.ray_data import translate_archive_ray

        sampler = TreeSampler()
        sampler.start()
        t0 = time.perf_counter()
        ray.init(num_cpus=args.threads, include_dashboard=False, log_to_driver=False,
                 _temp_dir=args.ray_tmp, _node_ip_address="127.0.0.1")
        result["startup"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        translate_archive_ray([args.corpus], out, model=args.model, beam=1, threads=args.threads)
        result["translate"] = time.perf_counter() - t1
        ray.shutdown()
        result["wall"] = time.perf_counter() - t0
        sampler.stop = True
        sampler.join()
        result["worker_rss_mib"] = sampler.peak_worker / 1024
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rows"] = sum(1 for _ in open(out / "translation.jsonl", encoding="utf-8"))
    print(json.dumps(result))


def run_child(mode: str, corpus: Path, out: Path, model: Path, cache: Path, threads: int, tmp: Path) -> dict:
    (cache / "translations.sqlite").unlink(missing_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "TOOLKIT_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1",
           "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    cmd = [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--out", str(out),
           "--model", str(model), "--threads", str(threads), "--ray-tmp", str(tmp / "ray")]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def set_eos_bias(model_dir: Path, value: float) -> None:
    import torch
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(str(model_dir)).eval()
    with torch.no_grad():
        model.final_logits_bias[0, model.config.eos_token_id] = value
    model.save_pretrained(str(model_dir))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--keep", default=None, help="work directory to use and keep")
    ap.add_argument("--eos-bias", type=float, default=8.0,
                    help="end-of-sentence logit of the random model: high ends output early, so the run "
                         "measures the toolkit's cost more than decoding [default: 8; the tests use 5]")
    ap.add_argument("--child", choices=("single", "ray"))
    ap.add_argument("--corpus")
    ap.add_argument("--out")
    ap.add_argument("--model")
    ap.add_argument("--ray-tmp")
    args = ap.parse_args()
    if args.child:
        args.mode = args.child
        child(args)
        return
    sys.path.insert(0, str(REPO))
    from tests.translate_fixtures import build_tiny_marian

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="scale-"))
    work.mkdir(parents=True, exist_ok=True)
    model = work / f"tiny-marian-eos{args.eos_bias:g}"
    if not model.exists():
        build_tiny_marian(model)
        set_eos_bias(model, args.eos_bias)
    cache = work / "cache"
    cache.mkdir(exist_ok=True)
    seeds = seed_sentences()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{len(seeds)} seed sentences; {os.cpu_count()} CPUs visible, threads {args.threads}; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    # Warm-up: the CTranslate2 conversion of the model, kept for every run.
    warm = work / "corpus-warm"
    if not warm.exists():
        make_corpus(warm, 40, seeds)
    run_child("single", warm, work / "out", model, cache, args.threads, work)
    # Start-up (imports, model load) is paid once per run: a 40-sentence run
    # measures it, and "net" per-sentence figures leave it out.
    startup = min(run_child("single", warm, work / "out", model, cache, args.threads, work)["wall"]
                  for _ in range(2))
    print(f"start-up (a 40-sentence run): {startup:.1f} s", flush=True)
    print("| sentences | path | wall s | ms/sentence | net ms/sentence | peak RSS MiB | notes |", flush=True)
    print("|---|---|---|---|---|---|---|", flush=True)
    for n in sizes:
        corpus = work / f"corpus-{n}"
        if not corpus.exists():
            make_corpus(corpus, n, seeds)
        single = run_child("single", corpus, work / "out", model, cache, args.threads, work)
        assert single["rows"] == n, single
        print(f"| {n:,} | single | {single['wall']:.1f} | {1000 * single['wall'] / n:.2f} | "
              f"{1000 * (single['wall'] - startup) / n:.2f} | {single['rss_mib']:.0f} | |", flush=True)
        if not args.no_ray:
            r = run_child("ray", corpus, work / "out-ray", model, cache, args.threads, work)
            assert r["rows"] == n, r
            over = 100 * (r["wall"] / single["wall"] - 1)
            print(f"| {n:,} | ray (local) | {r['wall']:.1f} | {1000 * r['wall'] / n:.2f} | "
                  f"{1000 * (r['translate'] - startup) / n:.2f} | driver {r['rss_mib']:.0f}, worker {r['worker_rss_mib']:.0f} | start-up {r['startup']:.1f} s; "
                  f"overhead {over:+.0f}% in all, {100 * (r['translate'] / single['wall'] - 1):+.0f}% after "
                  f"start-up |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

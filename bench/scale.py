"""Archive scale: wall time and peak memory of `toolkit translate --out`
(the streamed single-machine path) and of the Ray Data path on one
machine, for corpora of 1k, 10k and 100k sentences.

Not a test; run by hand and copy the table into docs/archive.md:

    python bench/scale.py [--sizes 1000,10000,100000] [--repeat 3] [--repeat-large 2] [--no-ray]
                          [--threads 2] [--engine auto] [--modes ray,ray-running,ray-running-2]

Three paths, each run as a fresh process with an empty translation cache
(the converted model is kept):

* single: `toolkit translate CORPUS --out OUT --format jsonl`;
* ray (per run): the process starts a local Ray with --threads CPUs, runs
  `translate_archive_ray` and shuts Ray down, as `--ray` without an
  address does;
* ray (running): `translate_archive_ray(address=...)` joins a Ray head
  started once before the timed runs (`ray start --head --block
  --num-cpus THREADS`, stopped at the end), as a newsroom's cluster is
  used. A 40-sentence run on it first, not counted, creates what Ray Data
  keeps on a cluster between runs. One model replica with THREADS
  threads, as the other paths;
* ray (running), 2 workers: the same with two replicas of THREADS / 2
  threads each (`--ray-workers 2`), which is not the same resources as
  the plain path's one process: the toolkit's own per-sentence work, in
  Python, runs on two cores instead of one.

"wall s" is the whole process, from the interpreter's start to its exit
(imports, Ray's start or joining, model load, translation, writes, Ray's
shutdown or leaving). Each size runs the paths in turn, --repeat times, so
that other load on the machine falls on all of them alike, and the table
gives each path's fastest run; the load average before each run is
reported. A 40-sentence run of each path measures its fixed cost, and "net
ms/sentence" leaves that out.

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
real model's; a real model's per-sentence time is in docs/benchmarks.md (Translation speed).

Peak RSS: the process's own maximum (the driver, for Ray), and for Ray the
model actor's, sampled from /proc every 0.2 s.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import SHARED, child_env

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


class ActorSampler(threading.Thread):
    """Largest RSS of the model actor (a Ray worker running
    ArticleTranslator) among the descendants of `root`."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            todo, seen = [self.root], set()
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
                if b"ArticleTranslator" in cmd:
                    self.peak = max(self.peak, _rss_kib(pid))
            time.sleep(0.2)


def child(args: argparse.Namespace) -> None:
    out = Path(args.out)
    result: dict = {}
    if args.mode == "single":
        from toolkit.cli import main

        try:
            main(["translate", args.corpus, "--model", args.model, "--beam", "1", "--format", "jsonl",
                  "--out", str(out), "--threads", str(args.threads), "--engine", args.engine], standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                raise
    else:
        import ray

        from toolkit.translate.ray_data import translate_archive_ray

        t0 = time.perf_counter()
        if args.mode == "ray":
            ray.init(num_cpus=args.threads, include_dashboard=False, log_to_driver=False,
                     _temp_dir=args.ray_tmp, _node_ip_address="127.0.0.1")
        else:  # as translate_archive_ray would, here to time joining and leaving apart
            ray.init(address=args.address, include_dashboard=False, log_to_driver=False, configure_logging=False)
        result["startup"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        workers = 2 if args.mode == "ray-running-2" else None
        translate_archive_ray([args.corpus], out, model=args.model, beam=1, address=args.address, engine=args.engine,
                              concurrency=workers, threads=args.threads // (workers or 1))
        t2 = time.perf_counter()
        result["translate"] = t2 - t1
        ray.shutdown()
        result["shutdown"] = time.perf_counter() - t2
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rows"] = sum(1 for _ in open(out / "translation.jsonl", encoding="utf-8"))
    print(json.dumps(result))


ENV = {"HF_HUB_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}


def run_child(mode: str, corpus: Path, out: Path, model: Path, cache: Path, threads: int, tmp: Path,
              head: "Head | None" = None, engine: str = "auto") -> dict:
    (cache / "translations.sqlite").unlink(missing_ok=True)
    shutil.rmtree(out, ignore_errors=True)
    env = child_env({**ENV, "TOOLKIT_CACHE_DIR": str(cache)})
    cmd = [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--out", str(out),
           "--model", str(model), "--threads", str(threads), "--ray-tmp", str(tmp / "ray"), "--engine", engine]
    if head:
        cmd += ["--address", head.address]
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = ActorSampler(head.proc.pid if head else proc.pid)
    if mode != "single":
        sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop = True
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall=wall, load=load, worker_rss_mib=sampler.peak / 1024)
    return result


class Head:
    """A Ray head on this machine for the runs to join: `ray start --head
    --block`, whose process stops the head's processes when terminated."""

    def __init__(self, work: Path, cache: Path, threads: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.address = f"127.0.0.1:{port}"
        temp = work / "ray-head"
        shutil.rmtree(temp, ignore_errors=True)
        env = child_env({**ENV, "TOOLKIT_CACHE_DIR": str(cache)})
        self.log = open(work / "ray-head.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block", f"--port={port}", f"--num-cpus={threads}",
             "--num-gpus=0", "--include-dashboard=false", f"--temp-dir={temp}", "--node-ip-address=127.0.0.1",
             "--disable-usage-stats"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not (temp / "ray_current_cluster").exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"ray start failed; see {work / 'ray-head.log'}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def set_eos_bias(model_dir: Path, value: float) -> None:
    import torch
    from transformers import MarianMTModel

    model = MarianMTModel.from_pretrained(str(model_dir)).eval()
    with torch.no_grad():
        model.final_logits_bias[0, model.config.eos_token_id] = value
    model.save_pretrained(str(model_dir))


PATHS = {"single": "single", "ray": "ray (per run)", "ray-running": "ray (running)",
         "ray-running-2": "ray (running), 2 workers"}


def row(n: int, mode: str, best: dict, fixed: dict, loads: list[float], base: dict | None) -> str:
    net = f"{1000 * (best['wall'] - fixed['wall']) / n:.2f}" if fixed is not best else ""
    rss = f"{best['rss_mib']:.0f}"
    notes = [f"load {min(loads):.1f}–{max(loads):.1f}"]
    if mode != "single":
        rss = f"driver {rss}, actor {best['worker_rss_mib']:.0f}"
        if mode == "ray":
            notes.append(f"Ray start {best['startup']:.1f} s, shutdown {best['shutdown']:.1f} s")
        else:
            notes.append(f"join {best['startup']:.2f} s, leave {best['shutdown']:.2f} s")
        if base:
            notes.append(f"{100 * (best['wall'] / base['wall'] - 1):+.0f}% against single")
    return (f"| {n:,} | {PATHS[mode]} | {best['wall']:.1f} | {1000 * best['wall'] / n:.2f} | {net} | {rss} | "
            f"{'; '.join(notes)} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each path per size; the fastest counts")
    ap.add_argument("--repeat-large", type=int, default=2, help="the same for sizes over 50k sentences")
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--engine", default="auto", help="translation engine for every path [default: auto]")
    ap.add_argument("--modes", default=None, help="comma-separated paths to run (single is always run) "
                    f"[default: all of {', '.join(PATHS)}]")
    ap.add_argument("--keep", default=None, help="work directory to use and keep")
    ap.add_argument("--eos-bias", type=float, default=8.0,
                    help="end-of-sentence logit of the random model: high ends output early, so the run "
                         "measures the toolkit's cost more than decoding [default: 8; the tests use 5]")
    ap.add_argument("--child", choices=tuple(PATHS))
    ap.add_argument("--corpus")
    ap.add_argument("--out")
    ap.add_argument("--model")
    ap.add_argument("--ray-tmp")
    ap.add_argument("--address")
    args = ap.parse_args()
    if args.child:
        args.mode = args.child
        child(args)
        return
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
    sizes = [40] + [int(s) for s in args.sizes.split(",")]
    modes = ["single"] if args.no_ray else list(PATHS)
    if args.modes and not args.no_ray:
        modes = ["single"] + [m for m in args.modes.split(",") if m in PATHS and m != "single"]
    print(f"{len(seeds)} seed sentences; {os.cpu_count()} CPUs visible, threads {args.threads}, engine {args.engine}; "
          f"load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
          flush=True)
    # Warm-up: the CTranslate2 conversion of the model, kept for every run.
    corpora = {}
    for n in sizes:
        corpora[n] = work / (f"corpus-{n}" if n != 40 else "corpus-warm")
        if not corpora[n].exists():
            make_corpus(corpora[n], n, seeds)
    run_child("single", corpora[40], work / "out", model, cache, args.threads, work, engine=args.engine)
    head = None
    if any(m.startswith("ray-running") for m in modes):
        head = Head(work, cache, args.threads)
    try:
        if head:
            run_child("ray-running", corpora[40], work / "out", model, cache, args.threads, work, head,
                      engine=args.engine)
        print("| sentences | path | wall s | ms/sentence | net ms/sentence | peak RSS MiB | notes |", flush=True)
        print("|---|---|---|---|---|---|---|", flush=True)
        fixed: dict[str, dict] = {}
        for n in sizes:
            runs: dict[str, list[dict]] = {m: [] for m in modes}
            for _ in range(args.repeat if n <= 50_000 else args.repeat_large):
                for mode in modes:
                    r = run_child(mode, corpora[n], work / f"out-{mode}", model, cache, args.threads, work,
                                  head if mode.startswith("ray-running") else None, engine=args.engine)
                    assert r["rows"] == n, r
                    runs[mode].append(r)
            best = {m: min(rs, key=lambda r: r["wall"]) for m, rs in runs.items()}
            if n == 40:
                fixed = best
            for mode in modes:
                print(row(n, mode, best[mode], fixed[mode], [r["load"] for r in runs[mode]],
                          best["single"] if mode != "single" else None), flush=True)
    finally:
        if head:
            head.stop()
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

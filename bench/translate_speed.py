"""Translation speed on CPU or CUDA: raw transformers, raw CTranslate2 and
the toolkit's default path (`translate_articles` with engine auto and the
device's default batch budget).

Not a test; run by hand and copy the table into docs/benchmarks.md:

    .venv/bin/python bench/translate_speed.py [--threads 2] [--output-tokens 40]
    .venv/bin/python bench/translate_speed.py --device cuda --input flores

The model is the real opus-mt-ar-en architecture (config and tokenizer from
../shared/models/opus-mt-ar-en-tokenizer) with random weights, so the text
is garbage but the work is real. The end-of-sentence logit is pushed down
and every engine is told to produce exactly N tokens per sentence, so all
do equal work. Input: every sentence of the five seed articles in
../shared/seeds, or the 1012 Arabic sentences of FLORES-200 devtest
(--input flores). Each configuration runs in a fresh process so that peak
RSS and load time (imports included) are its own.

On CPU the raw baselines are fp32 transformers and CTranslate2 int8 with
length-sorted batches of 2048 padded tokens (the toolkit's CPU default).
On CUDA they are fp16 transformers `generate()` over length-sorted batches
of 256 sentences and CTranslate2 float16 with batches of 256 sentences; a
configuration that cannot run (CTranslate2 without its CUDA 12 libraries,
say) is reported as failed with its error instead of stopping the bench.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import SHARED, child_env

TOKENIZER = SHARED / "models" / "opus-mt-ar-en-tokenizer"
SEEDS = SHARED / "seeds"
FLORES = SHARED / "refdata" / "flores200-devtest" / "flores200-devtest.arb_Arab.txt"
BATCH_TOKENS = 2048
# Sentences per batch of the raw baselines on a GPU.
CUDA_BATCH_SENTENCES = 256


def build_model(out: Path) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    torch.manual_seed(0)
    cfg = MarianConfig.from_pretrained(str(TOKENIZER))
    model = MarianMTModel(cfg).eval()
    with torch.no_grad():
        # Never end early: every engine then decodes exactly the tokens it is asked for.
        model.final_logits_bias[0, cfg.eos_token_id] = -1e4
    model.save_pretrained(str(out))
    MarianTokenizer.from_pretrained(str(TOKENIZER)).save_pretrained(str(out))


def sentences(source: str = "seeds") -> list[str]:
    if source == "flores":
        return [line.strip() for line in FLORES.read_text(encoding="utf-8").splitlines() if line.strip()]
    from toolkit.ingest import load_articles

    return [s.text for a in load_articles([str(p) for p in sorted(SEEDS.glob("*.txt"))]) for s in a.sentences]


def peak_rss_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: Linux
    carries ru_maxrss over from the parent across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batches_by_tokens(lengths: list[int], budget: int) -> list[list[int]]:
    """Length-sorted batches of at most `budget` padded tokens (what the
    toolkit does too, so the raw baselines get the same batching)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        if cur and max(lengths[j] for j in cur + [i]) * (len(cur) + 1) > budget:
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    return out


def batches_by_sentences(lengths: list[int], size: int) -> list[list[int]]:
    """Length-sorted batches of `size` sentences (the plain GPU loop)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[k:k + size] for k in range(0, len(order), size)]


def sync(device: str) -> None:
    """Wait for queued GPU work, so that a timing includes it."""
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def gpu_peak_mb(device: str) -> float | None:
    if device != "cuda" or "torch" not in sys.modules:
        return None
    import torch

    return torch.cuda.max_memory_allocated() / 2**20 if torch.cuda.is_initialized() else None


def run_raw_transformers(model_dir: str, texts: list[str], beam: int, n: int, threads: int,
                         device: str = "cpu") -> dict:
    t0 = time.perf_counter()
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    tok = MarianTokenizer.from_pretrained(model_dir)
    dtype = torch.float16 if device == "cuda" else torch.float32
    model = MarianMTModel.from_pretrained(model_dir, dtype=dtype).to(device).eval()
    sync(device)
    load = time.perf_counter() - t0

    def once() -> int:
        lengths = [len(tok(t)["input_ids"]) for t in texts]
        batches = (batches_by_sentences(lengths, CUDA_BATCH_SENTENCES) if device == "cuda"
                   else batches_by_tokens(lengths, BATCH_TOKENS))
        produced = 0
        with torch.inference_mode():
            for batch in batches:
                enc = tok([texts[i] for i in batch], return_tensors="pt", padding=True).to(device)
                out = model.generate(**enc, num_beams=beam, do_sample=False, max_new_tokens=n,
                                     min_new_tokens=n, forced_eos_token_id=None)
                produced += (out.shape[1] - 1) * out.shape[0]
        sync(device)
        return produced

    return {"load_s": load, **timed(once), "gpu_peak_mb": gpu_peak_mb(device)}


def run_raw_ctranslate2(model_dir: str, texts: list[str], beam: int, n: int, threads: int,
                        device: str = "cpu") -> dict:
    t0 = time.perf_counter()
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "source.spm"))
    compute = "float16" if device == "cuda" else "int8"
    if device == "cuda":
        # The toolkit's own fix for a machine without system CUDA 12 libraries
        # (the cuda12 extra); a no-op where it is not installed.
        from toolkit.translate.ct2 import load_cuda12_libraries

        load_cuda12_libraries()
    translator = ctranslate2.Translator(f"{model_dir}-ct2-{compute}", device=device, compute_type=compute,
                                        intra_threads=threads, inter_threads=1)
    load = time.perf_counter() - t0
    batching = ({"max_batch_size": CUDA_BATCH_SENTENCES, "batch_type": "examples"} if device == "cuda"
                else {"max_batch_size": BATCH_TOKENS, "batch_type": "tokens"})

    def once() -> int:
        tokens = [sp.encode(t, out_type=str) + ["</s>"] for t in texts]
        results = translator.translate_batch(tokens, beam_size=beam, max_decoding_length=n, min_decoding_length=n,
                                             **batching)
        return sum(len(r.hypotheses[0]) for r in results)

    return {"load_s": load, **timed(once)}


def bench_article(texts: list[str]):
    from toolkit.records import Article, Sentence

    sents = []
    text = ""
    for i, t in enumerate(texts, 1):
        sents.append(Sentence(f"1.{i}", 1, i, t, len(text), len(text) + len(t), "sentence", i))
        text += t + "\n"
    return Article(1, "bench", text, tuple(sents))


def run_toolkit(model_dir: str, texts: list[str], beam: int, n: int, threads: int, device: str = "cpu") -> dict:
    t0 = time.perf_counter()
    from toolkit.translate import get_translator, translate_articles

    translator = get_translator(model_dir, engine="auto", device=device, threads=threads)
    # The same fixed output length as the raw runs: a budget of exactly n tokens.
    translator.max_length_ratio, translator.max_length_offset = 0.0, n
    load = time.perf_counter() - t0
    article = bench_article(texts)
    manifest: dict = {}

    def once() -> int:
        # No batch_tokens: the device's default budget is what is measured.
        run = translate_articles([article], translator=translator, beam=beam, use_cache=False)
        manifest.update(run.manifest)
        return sum(t.target_tokens for t in run.translations.values())

    result = timed(once)
    budget = translator.batch_budget(beam)
    return {"load_s": load, **result, "engine": manifest["engine"], "compute_type": manifest["compute_type"],
            "device": manifest["device"], "budget": [budget.tokens, budget.sentences],
            "gpu_peak_mb": gpu_peak_mb(device)}


REPEAT = 3


def timed(once) -> dict:
    """The fastest of REPEAT runs (the machine is shared; the minimum is the
    least disturbed), after one untimed warm-up run."""
    produced = once()
    best = float("inf")
    for _ in range(REPEAT):
        t = time.perf_counter()
        produced = once()
        best = min(best, time.perf_counter() - t)
    return {"run_s": best, "target_tokens": produced}


def run_overhead(model_dir: str, texts: list[str], beam: int, n: int, threads: int, device: str = "cpu") -> dict:
    """Raw CTranslate2 and the toolkit path in one process, runs alternated,
    so that a neighbour's load on a shared machine hits both alike (CPU)."""
    import ctranslate2
    import sentencepiece as spm

    from toolkit.translate import get_translator, translate_articles

    sp = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "source.spm"))
    raw = ctranslate2.Translator(model_dir + "-ct2-int8", device="cpu", compute_type="int8", intra_threads=threads,
                                 inter_threads=1)
    ours = get_translator(model_dir, engine="auto", device="cpu", threads=threads)
    ours.max_length_ratio, ours.max_length_offset = 0.0, n
    article = bench_article(texts)

    def raw_once() -> None:
        tokens = [sp.encode(t, out_type=str) + ["</s>"] for t in texts]
        raw.translate_batch(tokens, beam_size=beam, max_batch_size=BATCH_TOKENS, batch_type="tokens",
                            max_decoding_length=n, min_decoding_length=n)

    def ours_once() -> None:
        translate_articles([article], translator=ours, beam=beam, use_cache=False)

    raw_once(), ours_once()
    best = {"raw": float("inf"), "ours": float("inf")}
    for _ in range(REPEAT):
        for name, fn in (("raw", raw_once), ("ours", ours_once)):
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return {"load_s": 0.0, "run_s": best["ours"], "raw_s": best["raw"], "target_tokens": n * len(texts)}


RUNNERS = {"transformers": run_raw_transformers, "ctranslate2": run_raw_ctranslate2, "toolkit": run_toolkit}


def row_name(key: str, device: str) -> str:
    if key == "transformers":
        return f"transformers {'fp16' if device == 'cuda' else 'fp32'} (raw)"
    if key == "ctranslate2":
        return f"CTranslate2 {'float16' if device == 'cuda' else 'int8'} (raw)"
    return "toolkit default path"


def child(args: argparse.Namespace) -> None:
    global REPEAT
    REPEAT = args.repeat
    texts = sentences(args.input)[:args.limit or None]
    runner = run_overhead if args.child == "overhead" else RUNNERS[args.child]
    result = runner(args.model_dir, texts, args.beam, args.output_tokens, args.threads, args.device)
    result.update(sentences=len(texts), peak_rss_mb=peak_rss_mb())
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument("--input", choices=("seeds", "flores"), default="seeds")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--output-tokens", type=int, default=40)
    ap.add_argument("--beams", default="4,1")
    ap.add_argument("--runners", default=",".join(RUNNERS), help="subset of " + ",".join(RUNNERS))
    ap.add_argument("--repeat", type=int, default=REPEAT)
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences (a quick trial)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", help=argparse.SUPPRESS)
    ap.add_argument("--beam", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    keys = [k for k in args.runners.split(",") if k]
    unknown = set(keys) - set(RUNNERS)
    if unknown:
        ap.error(f"unknown runner(s) {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "opus-mt-ar-en-random"
        build_model(model_dir)
        import ctranslate2.converters

        quantization = "float16" if args.device == "cuda" else "int8"
        ctranslate2.converters.TransformersConverter(str(model_dir)).convert(
            f"{model_dir}-ct2-{quantization}", quantization=quantization)
        env = child_env({"TOOLKIT_CACHE_DIR": str(Path(tmp) / "toolkit-cache"),
                         "OMP_NUM_THREADS": str(args.threads)})
        # Convert once for the toolkit outside the timed runs (it is reused afterwards).
        # A device that cannot run is reported per row below.
        subprocess.run([sys.executable, "-c", "from toolkit.translate import get_translator; "
                        "get_translator(%r, device=%r)" % (str(model_dir), args.device)],
                       env=env, check=False, capture_output=True)
        rows = []
        ab: dict[int, float] = {}
        common = ["--model-dir", str(model_dir), "--threads", str(args.threads), "--device", args.device,
                  "--input", args.input, "--output-tokens", str(args.output_tokens), "--repeat", str(args.repeat),
                  "--limit", str(args.limit)]
        for beam in [int(b) for b in args.beams.split(",")]:
            for key in keys:
                name = row_name(key, args.device)
                out = subprocess.run([sys.executable, __file__, "--child", key, "--beam", str(beam), *common],
                                     env=env, capture_output=True, text=True)
                if out.returncode != 0:
                    err = (out.stderr.strip().splitlines() or ["no output"])[-1]
                    rows.append({"name": name, "beam": beam, "failed": err[:200]})
                    print(f"{name:26s} beam {beam}: FAILED {err}", file=sys.stderr)
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                r.update(name=name, beam=beam)
                rows.append(r)
                print(f"{name:26s} beam {beam}: {r['sentences'] / r['run_s']:6.2f} sent/s "
                      f"{r['target_tokens'] / r['run_s']:8.1f} tok/s  {r['run_s']:.2f}s  load {r['load_s']:.2f}s  "
                      f"RSS {r['peak_rss_mb']:.0f} MB"
                      + (f"  [{r['engine']} {r['compute_type']} on {r['device']}, budget {r['budget']}]"
                         if "engine" in r else ""), file=sys.stderr)
            if args.device == "cpu" and {"ctranslate2", "toolkit"} <= set(keys):
                out = subprocess.run([sys.executable, __file__, "--child", "overhead", "--beam", str(beam), *common],
                                     env=env, check=True, capture_output=True, text=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                ab[beam] = r["run_s"] / r["raw_s"] - 1
                print(f"interleaved, beam {beam}: toolkit {r['run_s']:.2f}s vs raw CTranslate2 {r['raw_s']:.2f}s",
                      file=sys.stderr)
    ok = [r for r in rows if "failed" not in r]
    n_sent = ok[0]["sentences"] if ok else "?"
    batching = (f"raw baselines in length-sorted batches of {CUDA_BATCH_SENTENCES} sentences, the toolkit with its "
                "CUDA default budget" if args.device == "cuda" else f"batches of {BATCH_TOKENS} padded tokens")
    print(f"\n{n_sent} sentences ({args.input}), {args.output_tokens} output tokens each, {args.device}, "
          f"{args.threads} threads, {batching}, fastest of {args.repeat} runs after a warm-up\n")
    print("| engine | beam | time (s) | sentences/s | target tokens/s | peak RSS (MB) | peak GPU (MB) | load (s) "
          "| vs transformers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "failed" in r:
            print(f"| {r['name']} | {r['beam']} | failed: {r['failed']} | | | | | | |")
            continue
        base = next((x for x in ok if x["beam"] == r["beam"] and x["name"].startswith("transformers")), None)
        speedup = (f"{(r['target_tokens'] / r['run_s']) / (base['target_tokens'] / base['run_s']):.2f}x"
                   if base else "-")
        gpu = f"{r['gpu_peak_mb']:.0f}" if r.get("gpu_peak_mb") else "-"
        label = r["name"] + (f" ({r['engine']} {r['compute_type']}, budget {r['budget'][0]} tokens / "
                             f"{r['budget'][1]} sentences)" if "engine" in r and args.device == "cuda" else "")
        print(f"| {label} | {r['beam']} | {r['run_s']:.2f} | {r['sentences'] / r['run_s']:.2f} | "
              f"{r['target_tokens'] / r['run_s']:.1f} | {r['peak_rss_mb']:.0f} | {gpu} | {r['load_s']:.2f} | "
              f"{speedup} |")
    for beam in sorted({r["beam"] for r in ok}, reverse=True):
        ours = next((x for x in ok if x["beam"] == beam and x["name"].startswith("toolkit")), None)
        for other in ("transformers", "CTranslate2"):
            raw = next((x for x in ok if x["beam"] == beam and x["name"].startswith(other)), None)
            if ours and raw:
                print(f"\nbeam {beam}: toolkit time / raw {other} time = {ours['run_s'] / raw['run_s']:.2f}")
        if beam in ab:
            print(f"beam {beam}: toolkit over raw CTranslate2, one process, runs alternated: {ab[beam]:+.1%}")


if __name__ == "__main__":
    main()

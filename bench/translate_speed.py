"""Translation speed on CPU: raw transformers, raw CTranslate2 int8 and the
toolkit's default path (`translate_articles`, engine auto = CTranslate2).

Not a test; run by hand and copy the table into the README:

    .venv/bin/python bench/translate_speed.py [--threads 2] [--output-tokens 40]

The model is the real opus-mt-ar-en architecture (config and tokenizer from
../shared/models/opus-mt-ar-en-tokenizer) with random weights, so the text
is garbage but the work is real. The end-of-sentence logit is pushed down
and every engine is told to produce exactly N tokens per sentence, so all
do equal work. Input: every sentence of the five seed articles in
../shared/seeds. Each configuration runs in a fresh process so that peak RSS
and load time (imports included) are its own.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", REPO.parent / "shared"))
TOKENIZER = SHARED / "models" / "opus-mt-ar-en-tokenizer"
SEEDS = SHARED / "seeds"
BATCH_TOKENS = 2048


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


def sentences() -> list[str]:
    sys.path.insert(0, str(REPO))
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


def run_raw_transformers(model_dir: str, texts: list[str], beam: int, n: int, threads: int) -> dict:
    t0 = time.perf_counter()
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    tok = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    load = time.perf_counter() - t0
    def once() -> int:
        lengths = [len(tok(t)["input_ids"]) for t in texts]
        produced = 0
        with torch.inference_mode():
            for batch in batches_by_tokens(lengths, BATCH_TOKENS):
                enc = tok([texts[i] for i in batch], return_tensors="pt", padding=True)
                out = model.generate(**enc, num_beams=beam, do_sample=False, max_new_tokens=n,
                                     min_new_tokens=n, forced_eos_token_id=None)
                produced += (out.shape[1] - 1) * out.shape[0]
        return produced

    return {"load_s": load, **timed(once)}


def run_raw_ctranslate2(model_dir: str, texts: list[str], beam: int, n: int, threads: int) -> dict:
    t0 = time.perf_counter()
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "source.spm"))
    translator = ctranslate2.Translator(model_dir + "-ct2", device="cpu", compute_type="int8",
                                        intra_threads=threads, inter_threads=1)
    load = time.perf_counter() - t0

    def once() -> int:
        tokens = [sp.encode(t, out_type=str) + ["</s>"] for t in texts]
        results = translator.translate_batch(tokens, beam_size=beam, max_batch_size=BATCH_TOKENS,
                                             batch_type="tokens", max_decoding_length=n, min_decoding_length=n)
        return sum(len(r.hypotheses[0]) for r in results)

    return {"load_s": load, **timed(once)}


def run_toolkit(model_dir: str, texts: list[str], beam: int, n: int, threads: int) -> dict:
    t0 = time.perf_counter()
    sys.path.insert(0, str(REPO))
    from toolkit.translate import get_translator, translate_articles
    from toolkit.types import Article, Sentence

    translator = get_translator(model_dir, engine="auto", device="cpu", threads=threads)
    # The same fixed output length as the raw runs: a budget of exactly n tokens.
    translator.max_length_ratio, translator.max_length_offset = 0.0, n
    load = time.perf_counter() - t0
    sents = []
    text = ""
    for i, t in enumerate(texts, 1):
        sents.append(Sentence(f"1.{i}", 1, i, t, len(text), len(text) + len(t), "sentence", i))
        text += t + "\n"
    article = Article(1, "bench", text, tuple(sents))
    manifest: dict = {}

    def once() -> int:
        run = translate_articles([article], translator=translator, beam=beam, batch_tokens=BATCH_TOKENS,
                                 use_cache=False)
        manifest.update(run.manifest)
        return sum(t.target_tokens for t in run.translations.values())

    result = timed(once)
    return {"load_s": load, **result, "engine": manifest["engine"], "compute_type": manifest["compute_type"]}


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


def run_overhead(model_dir: str, texts: list[str], beam: int, n: int, threads: int) -> dict:
    """Raw CTranslate2 and the toolkit path in one process, runs alternated,
    so that a neighbour's load on a shared machine hits both alike."""
    import ctranslate2
    import sentencepiece as spm

    sys.path.insert(0, str(REPO))
    from toolkit.translate import get_translator, translate_articles
    from toolkit.types import Article, Sentence

    sp = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "source.spm"))
    raw = ctranslate2.Translator(model_dir + "-ct2", device="cpu", compute_type="int8", intra_threads=threads,
                                 inter_threads=1)
    ours = get_translator(model_dir, engine="auto", device="cpu", threads=threads)
    ours.max_length_ratio, ours.max_length_offset = 0.0, n
    sents, text = [], ""
    for i, t in enumerate(texts, 1):
        sents.append(Sentence(f"1.{i}", 1, i, t, len(text), len(text) + len(t), "sentence", i))
        text += t + "\n"
    article = Article(1, "bench", text, tuple(sents))

    def raw_once() -> None:
        tokens = [sp.encode(t, out_type=str) + ["</s>"] for t in texts]
        raw.translate_batch(tokens, beam_size=beam, max_batch_size=BATCH_TOKENS, batch_type="tokens",
                            max_decoding_length=n, min_decoding_length=n)

    def ours_once() -> None:
        translate_articles([article], translator=ours, beam=beam, batch_tokens=BATCH_TOKENS, use_cache=False)

    raw_once(), ours_once()
    best = {"raw": float("inf"), "ours": float("inf")}
    for _ in range(REPEAT):
        for name, fn in (("raw", raw_once), ("ours", ours_once)):
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return {"load_s": 0.0, "run_s": best["ours"], "raw_s": best["raw"], "target_tokens": n * len(texts)}


RUNNERS = {"transformers fp32 (raw)": run_raw_transformers, "CTranslate2 int8 (raw)": run_raw_ctranslate2,
           "toolkit default path": run_toolkit}


def child(args: argparse.Namespace) -> None:
    global REPEAT
    REPEAT = args.repeat
    texts = sentences()
    runner = run_overhead if args.child == "overhead" else RUNNERS[args.child]
    result = runner(args.model_dir, texts, args.beam, args.output_tokens, args.threads)
    result.update(sentences=len(texts), peak_rss_mb=peak_rss_mb())
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--output-tokens", type=int, default=40)
    ap.add_argument("--beams", default="4,1")
    ap.add_argument("--repeat", type=int, default=REPEAT)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", help=argparse.SUPPRESS)
    ap.add_argument("--beam", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "opus-mt-ar-en-random"
        build_model(model_dir)
        import ctranslate2.converters

        ctranslate2.converters.TransformersConverter(str(model_dir)).convert(str(model_dir) + "-ct2",
                                                                            quantization="int8")
        env = {**os.environ, "TOOLKIT_CACHE_DIR": str(Path(tmp) / "toolkit-cache"),
               "OMP_NUM_THREADS": str(args.threads)}
        # Convert once for the toolkit outside the timed runs (it is reused afterwards).
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); "
                        "from toolkit.translate import get_translator; get_translator(%r)" % (str(REPO),
                                                                                             str(model_dir))],
                       env=env, check=True)
        rows = []
        ab: dict[int, float] = {}
        for beam in [int(b) for b in args.beams.split(",")]:
            for name in RUNNERS:
                out = subprocess.run([sys.executable, __file__, "--child", name, "--model-dir", str(model_dir),
                                      "--beam", str(beam), "--threads", str(args.threads),
                                      "--output-tokens", str(args.output_tokens), "--repeat", str(args.repeat)],
                                     env=env, check=True, capture_output=True, text=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                r.update(name=name, beam=beam)
                rows.append(r)
                print(f"{name:26s} beam {beam}: {r['sentences'] / r['run_s']:6.2f} sent/s "
                      f"{r['target_tokens'] / r['run_s']:8.1f} tok/s  load {r['load_s']:.2f}s  "
                      f"RSS {r['peak_rss_mb']:.0f} MB", file=sys.stderr)
            out = subprocess.run([sys.executable, __file__, "--child", "overhead", "--model-dir", str(model_dir),
                                  "--beam", str(beam), "--threads", str(args.threads),
                                  "--output-tokens", str(args.output_tokens), "--repeat", str(args.repeat)],
                                 env=env, check=True, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            ab[beam] = r["run_s"] / r["raw_s"] - 1
            print(f"interleaved, beam {beam}: toolkit {r['run_s']:.2f}s vs raw CTranslate2 {r['raw_s']:.2f}s",
                  file=sys.stderr)
    print(f"\n{rows[0]['sentences']} sentences, {args.output_tokens} output tokens each, "
          f"{args.threads} threads, batches of {BATCH_TOKENS} padded tokens, fastest of {args.repeat} runs "
          "after a warm-up\n")
    print("| engine | beam | sentences/s | target tokens/s | peak RSS (MB) | load (s) | vs transformers |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        base = next(x for x in rows if x["beam"] == r["beam"] and x["name"].startswith("transformers"))
        speedup = (r["target_tokens"] / r["run_s"]) / (base["target_tokens"] / base["run_s"])
        print(f"| {r['name']} | {r['beam']} | {r['sentences'] / r['run_s']:.2f} | "
              f"{r['target_tokens'] / r['run_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['load_s']:.2f} | "
              f"{speedup:.2f}x |")
    for beam in sorted({r["beam"] for r in rows}, reverse=True):
        raw = next(x for x in rows if x["beam"] == beam and x["name"].startswith("CTranslate2"))
        ours = next(x for x in rows if x["beam"] == beam and x["name"].startswith("toolkit"))
        overhead = raw["target_tokens"] / raw["run_s"] / (ours["target_tokens"] / ours["run_s"]) - 1
        print(f"\nbeam {beam}: toolkit time over raw CTranslate2 = {overhead:+.1%} (separate processes), "
              f"{ab[beam]:+.1%} (one process, runs alternated)")


if __name__ == "__main__":
    main()

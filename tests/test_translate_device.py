"""Engine and device choice without a GPU: CUDA visibility, CUDA failures
(at load, or lazily at the first translation as with a CTranslate2 wheel
missing its CUDA 12 libraries, or out of memory) and device memory are all
simulated. Checked: the order of what is tried, the fallback and its one-line
warning, the one-line exit-3 error for an explicit device, the GPU batch
budget arithmetic, and splitting a batch that runs out of memory."""
from __future__ import annotations

import ctypes
import sys
import warnings
from pathlib import Path
from typing import Sequence

import pytest
from click.testing import CliRunner

from toolkit.translate import selection
from tests.translate_fixtures import ARABIC, make_article, tiny_marian  # noqa: F401
from toolkit.errors import EXIT_MODEL, DeviceFallbackWarning, ModelUnavailable
from toolkit.translate import ct2, device, get_translator, hf, resolve_engine, translate_articles
from toolkit.translate.base import DEFAULT_BATCH_TOKENS, READ_AHEAD, Hypothesis, Translator
from toolkit.translate.device import (MAX_CUDA_BATCH_TOKENS, MAX_CUDA_HYPOTHESES, MEMORY_SHARE,
                                      MIN_CUDA_BATCH_TOKENS, MIN_CUDA_SENTENCES, BatchBudget, Candidate,
                                      ModelDims, candidates, cuda_batch_budget)
from toolkit.translate.models import ModelRef

LIBCUBLAS = "Library libcublas.so.12 is not found or cannot be loaded"
# opus-mt-ar-en's sizes (Marian base).
OPUS = ModelDims(d_model=512, encoder_layers=6, decoder_layers=6, vocab=62834, ffn_dim=2048)
GB = 1_000_000_000


@pytest.fixture(autouse=True)
def _fresh_selector(monkeypatch):
    # The process-wide selector remembers failed CUDA paths; each test starts
    # with one that has seen none.
    monkeypatch.setattr(selection, "SELECTOR", selection.EngineSelector())


# --- the order of engine/device pairs ------------------------------------------------------------

def pairs(engine, dev, *, ct2_ok=True, visible=("ctranslate2", "transformers")):
    asked = []

    def cuda_visible(e):
        asked.append(e)
        return e in visible

    return [(c.engine, c.device) for c in candidates(engine, dev, ct2_ok=ct2_ok, cuda_visible=cuda_visible)], asked


def test_auto_tries_cuda_engines_first_then_cpu():
    got, _ = pairs("auto", "auto")
    assert got == [("ctranslate2", "cuda"), ("transformers", "cuda"), ("ctranslate2", "cpu"), ("transformers", "cpu")]
    got, _ = pairs("auto", "auto", visible=())
    assert got == [("ctranslate2", "cpu"), ("transformers", "cpu")]
    # a CPU-only PyTorch beside a CUDA CTranslate2
    got, _ = pairs("auto", "auto", visible=("ctranslate2",))
    assert got == [("ctranslate2", "cuda"), ("ctranslate2", "cpu"), ("transformers", "cpu")]
    got, _ = pairs("auto", "auto", ct2_ok=False)
    assert got == [("transformers", "cuda"), ("transformers", "cpu")]


def test_explicit_engine_or_device_is_never_swapped():
    assert pairs("ctranslate2", "auto")[0] == [("ctranslate2", "cuda"), ("ctranslate2", "cpu")]
    assert pairs("transformers", "cuda")[0] == [("transformers", "cuda")]
    assert pairs("auto", "cuda")[0] == [("ctranslate2", "cuda"), ("transformers", "cuda")]
    assert pairs("auto", "cpu")[0] == [("ctranslate2", "cpu"), ("transformers", "cpu")]
    assert pairs("ctranslate2", "cuda", visible=())[0] == []


def test_gpu_visibility_is_asked_lazily():
    # Only the first pair is needed to name a cache namespace: finding it
    # must not ask the second engine (which would import torch).
    asked: list[str] = []
    gen = candidates("auto", "auto", ct2_ok=True, cuda_visible=lambda e: asked.append(e) or True)
    assert next(gen) == Candidate("ctranslate2", "cuda")
    assert asked == ["ctranslate2"]


# --- budget arithmetic ---------------------------------------------------------------------------

def test_budget_grows_with_free_memory_until_its_bounds():
    small = cuda_batch_budget(2 * GB, OPUS, 4, 2)
    mid = cuda_batch_budget(8 * GB, OPUS, 4, 2)
    big = cuda_batch_budget(130 * GB, OPUS, 4, 2)
    assert small.tokens < mid.tokens <= big.tokens
    assert small.sentences <= mid.sentences <= big.sentences
    # a big GPU gets far more than the CPU default, within the bounds
    assert big.tokens > 8 * DEFAULT_BATCH_TOKENS and big.tokens <= MAX_CUDA_BATCH_TOKENS
    assert big.sentences == MAX_CUDA_HYPOTHESES // 4
    tiny = cuda_batch_budget(10_000_000, OPUS, 4, 2)
    assert (tiny.tokens, tiny.sentences) == (MIN_CUDA_BATCH_TOKENS, MIN_CUDA_SENTENCES)
    assert cuda_batch_budget(0, OPUS, 4, 2) == tiny
    huge = cuda_batch_budget(10**15, OPUS, 1, 2)
    assert (huge.tokens, huge.sentences) == (MAX_CUDA_BATCH_TOKENS, MAX_CUDA_HYPOTHESES)


def test_budget_shrinks_with_beam_precision_depth_and_vocabulary():
    free = 4 * GB
    b1, b4, b8 = (cuda_batch_budget(free, OPUS, beam, 2) for beam in (1, 4, 8))
    assert b1.tokens > b4.tokens > b8.tokens
    assert b1.sentences > b4.sentences > b8.sentences
    assert cuda_batch_budget(free, OPUS, 4, 4).tokens < b4.tokens
    deep = ModelDims(1024, 12, 12, 62834, 4096)  # opus-mt-tc-big size
    assert cuda_batch_budget(free, deep, 4, 2).tokens < b4.tokens
    wide_vocab = ModelDims(512, 6, 6, 256_000, 2048)  # NLLB's vocabulary
    assert cuda_batch_budget(free, wide_vocab, 4, 2).sentences < b4.sentences


def test_budget_leaves_the_logits_of_every_hypothesis_room():
    # Between the bounds, the float32 logits of all hypotheses of a batch
    # of the planned sentences fit in the planned share of free memory.
    for free in (1 * GB, 3 * GB, 6 * GB):
        for beam in (2, 4, 6):
            b = cuda_batch_budget(free, OPUS, beam, 2)
            if MIN_CUDA_SENTENCES < b.sentences < MAX_CUDA_HYPOTHESES // beam:
                logits = b.sentences * beam * OPUS.vocab * 4 * device.LOGIT_COPIES
                assert logits <= free * MEMORY_SHARE / 2
                assert (b.sentences + 1) * beam * OPUS.vocab * 4 * device.LOGIT_COPIES > free * MEMORY_SHARE / 2.2


def test_model_dims_from_configs():
    marian = {"d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "vocab_size": 62834,
              "decoder_ffn_dim": 2048}
    assert ModelDims.from_config(marian) == OPUS
    t5 = {"d_model": 768, "num_layers": 12, "num_decoder_layers": 12, "vocab_size": 32128, "d_ff": 3072}
    assert ModelDims.from_config(t5) == ModelDims(768, 12, 12, 32128, 3072)
    assert device.dtype_bytes("float16") == device.dtype_bytes("int8_float16") == 2
    assert device.dtype_bytes("float32") == device.dtype_bytes("int8") == 4


def test_fix_hints_name_the_fix():
    assert "toolkit[cuda12]" in device.fix_hint("ctranslate2", "cuda", RuntimeError(LIBCUBLAS))
    oom = RuntimeError("CUDA failed with error out of memory")
    assert device.is_out_of_memory(oom)
    assert "--batch-tokens" in device.fix_hint("transformers", "cuda", oom)
    assert "--device cpu" in device.fix_hint("transformers", "cuda", RuntimeError("no kernel image"))
    assert not device.is_out_of_memory(RuntimeError(LIBCUBLAS))


# --- batching on a (simulated) GPU ----------------------------------------------------------------

class Recorder(Translator):
    """Tokens are words; records every batch; on "cuda" reports `free`
    bytes free and runs out of memory above `fits` texts per batch."""

    engine = "fake"

    def __init__(self, device_name="cpu", free=None, fits=None, fail=None):
        self.device = device_name
        self.compute_type = "float16" if device_name == "cuda" else "float32"
        self.model_dims = OPUS
        self.free, self.fits, self.fail = free, fits, fail
        self.batches: list[list[str]] = []
        self.released = 0

    def tokenize(self, text: str) -> list[str]:
        return text.split() + ["</s>"]

    def free_memory(self):
        return self.free

    def release_memory(self):
        self.released += 1

    def translate_batch(self, texts: Sequence[str], *, beam: int = 4) -> list[Hypothesis]:
        if self.fail:
            raise self.fail
        if self.fits is not None and len(texts) > self.fits:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        self.batches.append(list(texts))
        return [Hypothesis(t.upper(), len(self.tokenize(t)), 1) for t in texts]


def texts(n):
    return [" ".join(["w"] * (1 + i % 7)) + f" {i}" for i in range(n)]


def test_cpu_keeps_the_default_budget():
    r = Recorder("cpu")
    assert r.batch_budget(4) == BatchBudget(DEFAULT_BATCH_TOKENS, None)
    out = list(r.translate_iterable(texts(600), beam=4))
    assert [h.text for h in out] == [t.upper() for t in texts(600)]
    # read ahead in windows of READ_AHEAD on CPU
    assert sum(len(b) for b in r.batches[:1]) <= READ_AHEAD


def test_cuda_budget_from_free_memory_caps_sentences_and_sorts_widely():
    r = Recorder("cuda", free=40 * GB)
    budget = r.batch_budget(4)
    assert budget == cuda_batch_budget(40 * GB, OPUS, 4, 2)
    done = []
    out = list(r.translate_iterable(texts(3000), beam=4, on_batch=done.append))
    assert [h.text for h in out] == [t.upper() for t in texts(3000)]
    assert max(len(b) for b in r.batches) == budget.sentences
    # one length order over all 3000: only the last batch of each length mixes lengths
    mixed = [b for b in r.batches if len({len(t.split()) for t in b}) > 1]
    assert len(mixed) <= 7
    # progress after every batch, each a small part of the whole
    assert len(done) == len(r.batches) and max(len(d) for d in done) <= budget.sentences
    # unknown free memory: a fixed, modest CUDA budget
    assert Recorder("cuda", free=None).batch_budget(4) == BatchBudget(*device.FALLBACK_CUDA_BUDGET)


def test_explicit_batch_tokens_win_over_the_device_budget():
    r = Recorder("cuda", free=40 * GB)
    list(r.translate_iterable(texts(100), beam=4, batch_tokens=40))
    assert all(max(len(t.split()) + 1 for t in b) * len(b) <= 40 or len(b) == 1 for b in r.batches)


def test_out_of_memory_splits_the_batch_and_lowers_the_budget():
    r = Recorder("cuda", free=40 * GB, fits=5)
    out = list(r.translate_iterable(texts(200), beam=4))
    assert [h.text for h in out] == [t.upper() for t in texts(200)]
    assert max(len(b) for b in r.batches) <= 5 and r.released >= 1
    # later batches respect what was learnt: no second failure on a full batch
    released = r.released
    list(r.translate_iterable(texts(200), beam=4))
    assert r.released == released
    # one sentence that does not fit, another error, or the CPU: raised as is
    with pytest.raises(RuntimeError, match="out of memory"):
        list(Recorder("cuda", free=GB, fits=0).translate_iterable(texts(3)))
    with pytest.raises(RuntimeError, match="libcublas"):
        list(Recorder("cuda", free=GB, fail=RuntimeError(LIBCUBLAS)).translate_iterable(texts(3)))
    with pytest.raises(RuntimeError, match="out of memory"):
        list(Recorder("cpu", fits=1).translate_iterable(texts(3)))


def test_a_device_failing_mid_run_is_one_line_exit_3():
    arts = [make_article(1, ARABIC[:3])]
    broken = Recorder("cuda", free=GB, fail=RuntimeError(LIBCUBLAS + "\nmore"))
    broken.engine = "ctranslate2"
    with pytest.raises(ModelUnavailable) as info:
        translate_articles(arts, translator=broken)
    msg = str(info.value)
    assert info.value.exit_code == 3 and "\n" not in msg
    assert LIBCUBLAS in msg and "toolkit[cuda12]" in msg and "kept in the cache" in msg


def test_translate_articles_default_batch_is_the_devices():
    arts = [make_article(1, [f"{ARABIC[i % len(ARABIC)]} {i}" for i in range(600)])]
    cpu = Recorder("cpu")
    translate_articles(arts, translator=cpu, use_cache=False)
    gpu = Recorder("cuda", free=40 * GB)
    translate_articles(arts, translator=gpu, use_cache=False)
    assert len(gpu.batches) < len(cpu.batches)
    assert max(len(b) for b in gpu.batches) == gpu.batch_budget(4).sentences
    pad = [max(len(cpu.tokenize(t)) for t in b) * len(b) for b in cpu.batches]
    assert DEFAULT_BATCH_TOKENS // 2 < max(pad) <= DEFAULT_BATCH_TOKENS


# --- probing and falling back ---------------------------------------------------------------------

def fake_ref(tmp_path) -> ModelRef:
    return ModelRef("test/model", tmp_path, "local-0", "marian")


def install_engines(monkeypatch, *, visible=("ctranslate2", "transformers"), ct2_cuda=None, hf_cuda=None,
                    ct2_cpu=None, at_load=False):
    """Fake engines: each (engine, device) raises the given error, at load
    when `at_load` else at its first translation (as the report's
    CTranslate2 did); `made` lists what was constructed."""
    made: list[tuple[str, str]] = []
    errors = {("ctranslate2", "cuda"): ct2_cuda, ("transformers", "cuda"): hf_cuda, ("ctranslate2", "cpu"): ct2_cpu}

    def fake(engine_name):
        class Fake(Recorder):
            engine = engine_name

            def __init__(self, ref, *, device="cpu", threads=0, compute_type=None):
                made.append((engine_name, device))
                err = errors.get((engine_name, device))
                if err is not None and at_load:
                    raise err
                super().__init__(device, free=GB, fail=err)

        return Fake

    monkeypatch.setattr(ct2, "CT2Translator", fake("ctranslate2"))
    monkeypatch.setattr(hf, "HFTranslator", fake("transformers"))
    monkeypatch.setattr(ct2, "available", lambda: True)
    monkeypatch.setattr(ct2, "default_compute_type", lambda d: "float16" if d == "cuda" else "int8")
    monkeypatch.setattr(selection, "SELECTOR", selection.EngineSelector(cuda_visible=lambda engine: engine in visible))
    return made


def test_auto_falls_back_from_lazy_ctranslate2_cuda_failure_with_one_warning(monkeypatch, tmp_path):
    made = install_engines(monkeypatch, ct2_cuda=RuntimeError(LIBCUBLAS))
    with pytest.warns(DeviceFallbackWarning) as caught:
        t = get_translator(ref=fake_ref(tmp_path))
    assert (t.engine, t.device) == ("transformers", "cuda")
    assert made == [("ctranslate2", "cuda"), ("transformers", "cuda")]
    [w] = caught.list
    msg = str(w.message)
    assert "\n" not in msg and LIBCUBLAS in msg and "toolkit[cuda12]" in msg and "using transformers on CUDA" in msg
    # the failed path is not loaded again in this process
    made.clear()
    with pytest.warns(DeviceFallbackWarning):
        get_translator(ref=fake_ref(tmp_path))
    assert made == [("transformers", "cuda")]


def test_auto_reaches_the_cpu_when_every_cuda_path_fails(monkeypatch, tmp_path):
    oom = RuntimeError("CUDA out of memory. Tried to allocate 20.00 MiB")
    made = install_engines(monkeypatch, ct2_cuda=RuntimeError(LIBCUBLAS), hf_cuda=oom, at_load=True)
    with pytest.warns(DeviceFallbackWarning, match="using ctranslate2 on CPU instead"):
        t = get_translator(ref=fake_ref(tmp_path))
    assert (t.engine, t.device) == ("ctranslate2", "cpu")
    assert made == [("ctranslate2", "cuda"), ("transformers", "cuda"), ("ctranslate2", "cpu")]


def test_auto_on_a_working_gpu_uses_it_without_a_warning(monkeypatch, tmp_path):
    install_engines(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = get_translator(ref=fake_ref(tmp_path))
    assert (t.engine, t.device) == ("ctranslate2", "cuda")
    assert resolve_engine(fake_ref(tmp_path)) == ("ctranslate2", "cuda", "float16")


def test_explicit_cuda_that_cannot_run_is_one_line_exit_3(monkeypatch, tmp_path):
    install_engines(monkeypatch, ct2_cuda=RuntimeError(LIBCUBLAS + "\n  at frame 1\n  at frame 2"))
    with pytest.raises(ModelUnavailable) as info:
        get_translator(ref=fake_ref(tmp_path), engine="ctranslate2", device="cuda")
    msg = str(info.value)
    assert info.value.exit_code == EXIT_MODEL == 3
    assert "\n" not in msg and LIBCUBLAS in msg and "toolkit[cuda12]" in msg and "frame" not in msg
    # no GPU at all
    install_engines(monkeypatch, visible=())
    with pytest.raises(ModelUnavailable, match="no CUDA device is visible.*--device cpu"):
        get_translator(ref=fake_ref(tmp_path), engine="transformers", device="cuda")
    with pytest.raises(ModelUnavailable, match="no CUDA device"):
        resolve_engine(fake_ref(tmp_path), "auto", "cuda")


def test_explicit_engine_with_auto_device_falls_back_to_its_cpu(monkeypatch, tmp_path):
    made = install_engines(monkeypatch, ct2_cuda=RuntimeError(LIBCUBLAS))
    with pytest.warns(DeviceFallbackWarning):
        t = get_translator(ref=fake_ref(tmp_path), engine="ctranslate2")
    assert (t.engine, t.device) == ("ctranslate2", "cpu")
    assert ("transformers", "cuda") not in made


def test_every_failure_is_named_when_nothing_runs(monkeypatch, tmp_path):
    install_engines(monkeypatch, visible=("ctranslate2",), ct2_cuda=RuntimeError(LIBCUBLAS),
                    ct2_cpu=ModelUnavailable("cannot convert test/model for CTranslate2; use --engine transformers"),
                    at_load=True)
    with pytest.raises(ModelUnavailable) as info:
        get_translator(ref=fake_ref(tmp_path), engine="ctranslate2")
    assert "libcublas" in str(info.value) and "cannot convert" in str(info.value)


def test_conversion_failure_under_auto_uses_transformers(monkeypatch, tmp_path):
    install_engines(monkeypatch, visible=(), at_load=True,
                    ct2_cpu=ModelUnavailable("cannot convert test/model for CTranslate2; use --engine transformers"))
    with pytest.warns(DeviceFallbackWarning, match="cannot convert"):
        t = get_translator(ref=fake_ref(tmp_path))
    assert (t.engine, t.device) == ("transformers", "cpu")


def test_compute_type_query_failure_is_not_a_crash(monkeypatch):
    import ctranslate2

    def broken(device):
        raise RuntimeError("CUDA failed with error CUDA driver version is insufficient for CUDA runtime version")

    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", broken)
    assert ct2.default_compute_type("cuda") == "float16"


def test_cuda12_libraries_are_found_in_the_wheel_layout(monkeypatch, tmp_path):
    import _ctypes

    lib = Path(_ctypes.__file__)
    if not lib.is_file():
        pytest.skip("no loadable shared library to stand in for cuBLAS")
    folder = tmp_path / "site" / "nvidia" / "cublas" / "lib"
    folder.mkdir(parents=True)
    for name in ("libcublasLt.so.12", "libcublas.so.12"):
        (folder / name).write_bytes(lib.read_bytes())
    monkeypatch.setattr(ct2, "_cuda12_loaded", None)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site")])
    loaded = ct2.load_cuda12_libraries()
    assert loaded == [str(folder / "libcublasLt.so.12"), str(folder / "libcublas.so.12")]
    assert ct2.load_cuda12_libraries() is loaded  # once per process
    # absent wheel: nothing loaded, nothing raised
    monkeypatch.setattr(ct2, "_cuda12_loaded", None)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "empty")])
    assert ct2.load_cuda12_libraries() == []
    assert ctypes  # the loader used is ctypes (imported here so the test fails if it is missing)


# --- the real engines on a tiny model: a lazily failing "GPU" CTranslate2 ----------------------------

def lazy_broken_ct2(monkeypatch):
    """CTranslate2 "on CUDA" that loads (really, on the CPU) and then fails
    at its first translation, like a CUDA 12 wheel on a CUDA 13 machine."""
    real = ct2.CT2Translator

    class LazyBroken(real):
        def __init__(self, ref, *, device="cpu", threads=0, compute_type=None):
            super().__init__(ref, device="cpu", threads=threads, compute_type="int8")
            if device == "cuda":
                self.device, self.compute_type = "cuda", "float16"

        def translate_batch(self, texts, *, beam=4):
            if self.device == "cuda":
                raise RuntimeError(LIBCUBLAS)
            return super().translate_batch(texts, beam=beam)

    monkeypatch.setattr(ct2, "CT2Translator", LazyBroken)
    monkeypatch.setattr(selection, "SELECTOR",
                        selection.EngineSelector(cuda_visible=lambda engine: engine == "ctranslate2"))
    real_compute = ct2.default_compute_type
    monkeypatch.setattr(ct2, "default_compute_type", lambda d: "float16" if d == "cuda" else real_compute(d))


@pytest.mark.slow
def test_translate_articles_falls_back_and_caches_under_what_ran(monkeypatch, tiny_marian):
    lazy_broken_ct2(monkeypatch)
    arts = [make_article(1, ARABIC[:4])]
    with pytest.warns(DeviceFallbackWarning, match="libcublas"):
        run = translate_articles(arts, model=str(tiny_marian), beam=1)
    m = run.manifest
    assert (m["engine"], m["device"], m["compute_type"]) == ("ctranslate2", "cpu", "int8")
    assert list(run.translations) == [s.id for s in arts[0].sentences]
    assert not any(t.cached for t in run.translations.values())
    # a later process: the fallback's results are found again, nothing is translated
    selection.SELECTOR.failed.clear()
    progress = []
    with pytest.warns(DeviceFallbackWarning):
        again = translate_articles(arts, model=str(tiny_marian), beam=1, progress=lambda *a: progress.append(a))
    assert all(t.cached for t in again.translations.values())
    assert [t.text for t in again.translations.values()] == [t.text for t in run.translations.values()]
    assert progress[-1][:2] == (4, 4)


@pytest.mark.slow
def test_cli_explicit_cuda_is_one_line_exit_3_and_auto_warns(monkeypatch, tiny_marian, tmp_path):
    from toolkit.cli import main

    lazy_broken_ct2(monkeypatch)
    article = tmp_path / "a.txt"
    article.write_text("\n".join(ARABIC[:3]) + "\n", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["translate", str(article), "--model", str(tiny_marian), "--engine", "ctranslate2",
                             "--device", "cuda", "--format", "txt"])
    assert r.exit_code == 3
    assert "Traceback" not in r.output + r.stderr
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("Error: ") and LIBCUBLAS in line and "toolkit[cuda12]" in line
    assert r.stdout == ""

    selection.SELECTOR.failed.clear()
    r = runner.invoke(main, ["translate", str(article), "--model", str(tiny_marian), "--format", "txt",
                             "--beam", "1"])
    assert r.exit_code == 0, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ctranslate2 on CUDA failed (RuntimeError: ")
    assert "toolkit[cuda12]" in lines[0] and lines[0].endswith("using ctranslate2 on CPU instead")
    assert len(r.stdout.strip().splitlines()) >= 1

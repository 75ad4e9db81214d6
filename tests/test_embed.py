"""The embedder's engines: CTranslate2 with the model's own pooling, the
sentence-transformers fallback, cache keys per engine, the GPU probe and
the offline errors. Most tests use a tiny random-weight BERT model built
here (any pooling configuration); agreement on real text uses the real
all-MiniLM-L6-v2 from ../shared."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import sample_story
from tests.model_fixtures import write_sentence_transformer_modules
from summarize_fixtures import MODEL_ID, STORY, snapshot_dir, use_shared_hub
from toolkit import embed as E
from toolkit.embed import Embedder
from toolkit.errors import DeviceFallbackWarning, ModelUnavailable, ToolkitWarning

REPO = Path(__file__).resolve().parent.parent
TEXTS = ["the council approved the budget on monday", "rain flooded the streets",
         "the mayor said the schools get money", "a new park opens in spring near the river"]
WORDS = sorted({w for t in TEXTS for w in t.split()} | {"probe", "new", "text", "here"})


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A random-weight BERT sentence-transformers model (mean pooling)."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-embedder")
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True).save_pretrained(root)
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=5 + len(WORDS), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=64,
                     position_embedding_type="absolute")
    BertModel(cfg).eval().save_pretrained(root)
    write_sentence_transformer_modules(root, 32, 32)
    return root


def variant(tiny: Path, dest: Path, pooling: dict | None = None, modules: list | None = None) -> Path:
    shutil.copytree(tiny, dest)
    if pooling is not None:
        (dest / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 32, **pooling}),
                                                        encoding="utf-8")
    if modules is not None:
        (dest / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    return dest


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_ct2_engine_matches_sentence_transformers_on_tiny_model(tiny_model, tmp_path):
    ct2 = Embedder(str(tiny_model), cache_dir=tmp_path)
    st = Embedder(str(tiny_model), cache_dir=tmp_path, engine="sentence-transformers")
    assert ct2.engine == "ctranslate2" and st.engine == "sentence-transformers"
    a, b = ct2.encode(TEXTS), st.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 32)
    assert cosines(a, b).min() > 0.9999
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert ct2.engine == "ctranslate2" and (ct2.conversion_dir() / "model.bin").is_file()
    assert ct2.describe()["engine"] == "ctranslate2" and ct2.device == "cpu"


@pytest.mark.parametrize("pooling", [
    {"pooling_mode_cls_token": True},
    {"pooling_mode": "max"},
    {"pooling_mode": ["cls", "mean"]},
    {"pooling_mode": "weightedmean"},
    {"pooling_mode": "lasttoken"},
])
def test_pooling_configuration_is_honoured(tiny_model, tmp_path, pooling):
    model = variant(tiny_model, tmp_path / "model", pooling=pooling)
    ct2 = Embedder(str(model), cache_dir=tmp_path / "cache")
    assert ct2.engine == "ctranslate2" and ct2.layout.pooling == E.pooling_modes(pooling)
    got = ct2.encode(TEXTS)
    want = Embedder(str(model), use_cache=False, engine="sentence-transformers").encode(TEXTS)
    assert got.shape == want.shape and cosines(got, want).min() > 0.9999
    mean = Embedder(str(tiny_model), cache_dir=tmp_path / "cache").encode(TEXTS)
    if got.shape == mean.shape:  # a different pooling gives different vectors
        assert cosines(got, mean).min() < 0.999


def test_layout_reads_lower_casing_length_and_missing_modules(tiny_model, tmp_path):
    layout = E.read_layout(tiny_model)
    assert layout.pooling == ("mean",) and layout.max_length == 32 and layout.unsupported is None
    plain = tmp_path / "plain"
    shutil.copytree(tiny_model, plain)
    (plain / "modules.json").unlink()
    (plain / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 7, "do_lower_case": True}))
    layout = E.read_layout(plain)
    assert layout.pooling == ("mean",) and layout.max_length == 7 and layout.lowercase


def test_unsupported_module_falls_back_with_a_note(tiny_model, tmp_path):
    modules = json.loads((tiny_model / "modules.json").read_text())
    modules.insert(2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
    modules[3]["idx"] = 3
    model = variant(tiny_model, tmp_path / "dense", modules=modules)
    emb = Embedder(str(model), cache_dir=tmp_path / "cache")
    assert emb.engine == "sentence-transformers"
    assert "Dense" in emb.describe()["note"]
    with pytest.raises(ModelUnavailable, match="Dense"):
        Embedder(str(model), cache_dir=tmp_path / "cache", engine="ctranslate2")


def test_failed_conversion_falls_back_and_is_remembered(tiny_model, tmp_path, monkeypatch):
    from ctranslate2.converters import TransformersConverter

    calls = []

    def broken(self, *args, **kwargs):
        calls.append(1)
        raise NotImplementedError("no converter for this model")

    monkeypatch.setattr(TransformersConverter, "convert", broken)
    monkeypatch.setattr(E.base, "_LOADED", {})
    model = variant(tiny_model, tmp_path / "model")
    emb = Embedder(str(model), cache_dir=tmp_path / "cache")
    assert emb.engine == "ctranslate2"
    with pytest.warns(ToolkitWarning, match="using sentence-transformers"):
        vecs = emb.encode(TEXTS)
    assert calls == [1] and emb.engine == "sentence-transformers"
    assert "conversion failed" in emb.describe()["note"] and vecs.shape == (len(TEXTS), 32)
    assert not E.is_converted(emb.conversion_dir("float32"))
    again = Embedder(str(model), cache_dir=tmp_path / "cache")  # chosen up front, nothing retried
    assert again.engine == "sentence-transformers" and "conversion failed" in again.describe()["note"]
    assert np.allclose(again.encode(TEXTS), vecs) and again.hits == len(TEXTS) and calls == [1]


def test_cache_keys_separate_engines_and_compute_types(tiny_model, tmp_path):
    cache = tmp_path / "cache"
    runs = [Embedder(str(tiny_model), cache_dir=cache),
            Embedder(str(tiny_model), cache_dir=cache, engine="sentence-transformers"),
            Embedder(str(tiny_model), cache_dir=cache, compute_type="int8")]
    for emb in runs:
        emb.encode(TEXTS)
        assert emb.misses == len(TEXTS) and emb.hits == 0  # nothing reused from another engine
    assert len({r._key(TEXTS[0]) for r in runs}) == 3
    with sqlite3.connect(cache / E.CACHE_FILE) as con:
        assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] == 3 * len(TEXTS)
    again = Embedder(str(tiny_model), cache_dir=cache, compute_type="int8")
    again.encode(TEXTS)
    assert again.hits == len(TEXTS) and not again.loaded


def test_gpu_that_fails_to_load_falls_back_to_cpu(tiny_model, tmp_path, monkeypatch):
    import ctranslate2

    real = ctranslate2.Encoder
    devices = []

    def encoder(path, device="cpu", **kwargs):
        devices.append(device)
        if device == "cuda":
            raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")
        return real(path, device=device, **kwargs)

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ctranslate2, "Encoder", encoder)
    monkeypatch.setattr(E.base, "_LOADED", {})
    emb = Embedder(str(tiny_model), cache_dir=tmp_path)
    with pytest.warns(DeviceFallbackWarning) as caught:
        vecs = emb.encode(TEXTS)
    assert devices == ["cuda", "cpu"] and emb.device == "cpu" and vecs.shape == (len(TEXTS), 32)
    fallbacks = [str(w.message) for w in caught if issubclass(w.category, DeviceFallbackWarning)]
    assert len(fallbacks) == 1 and "libcublas.so.12" in fallbacks[0] and "using the CPU" in fallbacks[0]
    assert "GPU unusable" in emb.device_note and "note" not in emb.describe()
    monkeypatch.setattr(E.base, "_LOADED", {})
    with pytest.raises(ModelUnavailable, match="GPU"):  # asked for the GPU by name: no silent CPU
        Embedder(str(tiny_model), cache_dir=tmp_path, device="cuda", use_cache=False).encode(TEXTS)


def test_gpu_probe_failure_during_first_encode_falls_back(tiny_model, tmp_path, monkeypatch):
    import ctranslate2

    real = ctranslate2.Encoder

    class LazyCuda:  # loads, but the CUDA libraries fail at the first encode
        def __init__(self, path, device="cpu", **kwargs):
            self.device = device
            self.inner = real(path, device="cpu", **kwargs)

        def forward_batch(self, *args, **kwargs):
            if self.device == "cuda":
                raise RuntimeError("Library libcublas.so.12 is not found")
            return self.inner.forward_batch(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ctranslate2, "Encoder", LazyCuda)
    monkeypatch.setattr(E.base, "_LOADED", {})
    emb = Embedder(str(tiny_model), cache_dir=tmp_path)
    with pytest.warns(DeviceFallbackWarning, match="libcublas.so.12"):
        assert emb.encode(TEXTS).shape == (len(TEXTS), 32) and emb.device == "cpu"


def test_missing_directory_and_offline_model_fail_with_one_line(tmp_path, monkeypatch):
    with pytest.raises(ModelUnavailable, match=r"directory /missing/dir does not exist") as exc:
        Embedder("/missing/dir")
    assert "hf download" not in str(exc.value)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    with pytest.raises(ModelUnavailable) as exc:
        Embedder("someone/not-cached")
    assert "someone/not-cached" in str(exc.value) and "hf download someone/not-cached" in str(exc.value)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("offline", ["1", None])
@pytest.mark.parametrize("embedder", ["someone/not-cached", "/missing/dir"])
def test_cli_without_network_fails_fast_with_exit_3(tmp_path, offline, embedder):
    seeds, refs = sample_story()
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    # No hub reachable: an endpoint nobody listens on refuses at once.
    env.update(HF_HUB_CACHE=str(tmp_path / "empty-hub"), HF_ENDPOINT="http://127.0.0.1:9",
               PYTHONPATH=str(REPO))
    if offline:
        env["HF_HUB_OFFLINE"] = offline
    run = subprocess.run([sys.executable, "-m", "toolkit", "summarize", "--translations", str(refs),
                          "--embedder", embedder, *map(str, seeds)],
                         env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 3, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and embedder in lines[0], run.stderr
    if embedder.startswith("/"):
        assert "does not exist" in lines[0] and "hf download" not in lines[0]
    else:
        assert f"hf download {embedder}" in lines[0]


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("real-embed")


def test_ct2_agrees_with_sentence_transformers_on_real_model(real_cache, monkeypatch):
    use_shared_hub(monkeypatch)
    snapshot_dir()
    texts = [t for sents in STORY.values() for t in sents]
    ct2 = Embedder(MODEL_ID, cache_dir=real_cache)
    st = Embedder(MODEL_ID, cache_dir=real_cache, engine="sentence-transformers")
    assert ct2.engine == "ctranslate2" and ct2.compute_type == E.COMPUTE_TYPE
    sims = cosines(ct2.encode(texts), st.encode(texts))
    assert sims.min() > 0.9999, sims


def test_new_text_with_converted_model_imports_no_torch(real_cache, monkeypatch):
    # The conversion exists (made above, or here); the texts are new to the cache.
    # Models loaded by earlier tests are forgotten, so the warm-up converts
    # into this cache directory if nothing has yet.
    hub = use_shared_hub(monkeypatch)
    snapshot_dir()
    monkeypatch.setattr(E.base, "_LOADED", {})
    Embedder(MODEL_ID, cache_dir=real_cache).encode(["warm-up sentence"])
    seeds, refs = sample_story()
    code = (
        "import sys, json\n"
        "from toolkit.ingest import load_articles\nfrom toolkit.references import load_references\n"
        "from toolkit.brief import build_brief\nfrom toolkit.embed import Embedder\n"
        f"arts = load_articles({[str(p) for p in seeds]!r})\n"
        f"emb = Embedder(cache_dir={str(real_cache)!r})\n"
        f"b = build_brief(arts, load_references({str(refs)!r}, arts), embedder=emb)\n"
        "print(json.dumps({'n': len(b.sentences), 'misses': emb.misses, 'engine': emb.engine,\n"
        "  'heavy': sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules)}))\n"
    )
    env = {**os.environ, "HF_HUB_CACHE": str(hub), "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=REPO,
                         timeout=240)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.splitlines()[-1])
    assert out["n"] > 0 and out["misses"] > 0 and out["engine"] == "ctranslate2" and out["heavy"] == []


def test_cached_hub_model_is_used_without_the_network(real_cache, monkeypatch):
    use_shared_hub(monkeypatch)
    dim = json.loads((snapshot_dir() / "1_Pooling" / "config.json").read_text())["word_embedding_dimension"]
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # any hub request would fail
    emb = Embedder(MODEL_ID, cache_dir=real_cache)
    assert emb.encode(["The council met."]).shape == (1, dim) and emb.revision


def test_description_is_the_same_cold_and_cached(tiny_model, tmp_path, monkeypatch):
    # The manifest records what decides the vectors, not whether a run had
    # to load the model; where it ran stays on the object.
    monkeypatch.setattr(E.base, "_LOADED", {})
    cold = Embedder(str(tiny_model), cache_dir=tmp_path)
    cold.encode(TEXTS)
    warm = Embedder(str(tiny_model), cache_dir=tmp_path)
    warm.encode(TEXTS)
    assert cold.loaded and not warm.loaded
    assert cold.describe() == warm.describe()
    assert cold.device == "cpu" and warm.device is None


def test_progress_reports_conversion_and_new_texts_only(tiny_model, tmp_path, monkeypatch):
    monkeypatch.setattr(E.base, "_LOADED", {})
    seen: list[tuple[str, int, int]] = []
    texts = [f"{t} {w}" for t in TEXTS for w in WORDS]  # more than one batch
    emb = Embedder(str(tiny_model), cache_dir=tmp_path, progress=lambda *event: seen.append(event))
    emb.encode(texts)
    assert seen[:2] == [("convert", 0, 1), ("convert", 1, 1)]
    embed = [e for e in seen if e[0] == "embed"]
    assert embed[0] == ("embed", 0, len(texts)) and embed[-1] == ("embed", len(texts), len(texts))
    assert len(embed) == 1 + -(-len(texts) // E.BATCH_SIZE)
    assert [d for _, d, _ in embed] == sorted(d for _, d, _ in embed)
    seen.clear()
    again = Embedder(str(tiny_model), cache_dir=tmp_path, progress=lambda *event: seen.append(event))
    again.encode(texts + ["new text here"])  # converted already; one new text
    assert seen == [("embed", 0, 1), ("embed", 1, 1)]


def test_sentence_transformers_engine_reports_progress(tiny_model, tmp_path):
    seen: list[tuple[str, int, int]] = []
    emb = Embedder(str(tiny_model), cache_dir=tmp_path, engine="sentence-transformers",
                   progress=lambda *event: seen.append(event))
    emb.encode(TEXTS)
    assert seen == [("embed", 0, len(TEXTS)), ("embed", len(TEXTS), len(TEXTS))]


@pytest.mark.parametrize("name", ["not-cached-model", "owner/name/extra"])
def test_embedder_id_needs_an_owner(tmp_path, monkeypatch, name):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from toolkit.errors import InputError

    with pytest.raises(InputError, match="owner/name"):
        Embedder(name)


def test_vectors_met_in_a_run_are_not_read_from_the_cache_file_again(tiny_model, tmp_path, monkeypatch):
    emb = Embedder(str(tiny_model), cache_dir=tmp_path / "cache")
    first = emb.encode(TEXTS)
    reads = []
    real = E.VectorCache.lookup
    monkeypatch.setattr(E.VectorCache, "lookup", lambda self, keys: reads.append(len(keys)) or real(self, keys))
    again = emb.encode(list(reversed(TEXTS)) + ["a sentence not met before"])
    # Only the new sentence is looked up; the rest are the vectors first given.
    assert reads == [1] and np.array_equal(again[:len(TEXTS)], first[::-1])
    assert emb.hits == len(TEXTS) and emb.misses == len(TEXTS) + 1
    fresh = Embedder(str(tiny_model), cache_dir=tmp_path / "cache")
    assert np.allclose(fresh.encode(TEXTS), first) and reads[-1] == len(TEXTS)

"""Model revisions: resolved from the local Hugging Face cache without any
network call, pinnable (ID@REVISION or the model_revision setting), recorded
in the manifest and part of the translation cache key with the engine
library versions."""
from __future__ import annotations

import json

import pytest

from toolkit.errors import InputError, ModelUnavailable
from toolkit.translate import engine_versions
from toolkit.translate.models import resolve, split_revision

A = "a" * 40
B = "b" * 40


@pytest.fixture
def hub(tmp_path, monkeypatch):
    repo = tmp_path / "hub" / "models--owner--tiny"
    for rev in (A, B):
        snap = repo / "snapshots" / rev
        snap.mkdir(parents=True)
        (snap / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(A)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # online: the cache alone must still be enough
    calls = []
    import huggingface_hub

    real = huggingface_hub.snapshot_download

    def guarded(*args, **kwargs):
        calls.append(kwargs.get("local_files_only"))
        if not kwargs.get("local_files_only"):
            raise AssertionError("network call for a cached model")
        return real(*args, **kwargs)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", guarded)
    return calls


def test_cached_model_resolves_without_network(hub):
    ref = resolve("owner/tiny")
    assert ref.revision == A and hub == [True]


def test_revision_pin_by_suffix_and_setting(hub, monkeypatch):
    assert resolve(f"owner/tiny@{B}").revision == B
    monkeypatch.setenv("TOOLKIT_MODEL_REVISION", B)
    assert resolve("owner/tiny").revision == B
    assert resolve(f"owner/tiny@{A}").revision == A  # the explicit pin wins


def test_unknown_pinned_revision_offline_names_the_model(hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable, match="owner/tiny"):
        resolve("owner/tiny@" + "c" * 40)


@pytest.mark.parametrize("name", ["owner/tiny@", "owner/tiny@../../etc", "owner/tiny@a b"])
def test_malformed_revision_is_an_input_error(name):
    with pytest.raises(InputError, match="revision"):
        split_revision(name)


def test_engine_versions_come_from_package_metadata():
    versions = engine_versions("transformers")
    assert set(versions) == {"transformers", "torch", "sentencepiece"}
    assert all(isinstance(v, str) and v for v in versions.values())

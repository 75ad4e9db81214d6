"""The engine registry: every engine is found by name, "auto" tries them
in registry order, and an unknown name is a usage error."""
from __future__ import annotations

import pytest

from toolkit.errors import InputError
from toolkit.translate import ENGINE_CHOICES, ENGINES, translate_articles
from toolkit.translate.device import candidates
from toolkit.translate.engines import Engine


def test_registry_names_and_choices():
    assert list(ENGINES) == ["ctranslate2", "transformers"]
    assert all(isinstance(e, Engine) and e.name == name for name, e in ENGINES.items())
    assert ENGINE_CHOICES == ("auto", *ENGINES)
    assert ENGINES["transformers"].compute_type("cpu") == "float32"
    assert ENGINES["transformers"].compute_type("cuda") == "float16"


def test_auto_follows_the_registry_order():
    on_cpu = [(c.engine, c.device) for c in candidates("auto", "cpu", ct2_ok=True, cuda_visible=lambda e: False)]
    assert on_cpu == [(name, "cpu") for name in ENGINES]
    without_ct2 = [c.engine for c in candidates("auto", "cpu", ct2_ok=False, cuda_visible=lambda e: False)]
    assert without_ct2 == [name for name in ENGINES if name != "ctranslate2"]


def test_unknown_engine_is_a_usage_error():
    with pytest.raises(InputError, match="unknown engine 'marian'; choose one of auto, ctranslate2, transformers"):
        translate_articles([], engine="marian")

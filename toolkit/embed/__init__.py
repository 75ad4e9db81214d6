"""Sentence embeddings for grouping facts and checking citations.

The model is a sentence-transformers model named by Hugging Face id (read
from the standard Hugging Face cache, downloaded once when online) or a
local directory; the default is the ``embedder`` setting
(`toolkit.config`). Vectors are L2-normalised, so a dot product is the
cosine similarity.

Modules, lowest first:

* `base`: the `Encoder` interface every engine implements, the progress
  callback and the models loaded in this process;
* `layout`: what a model directory says about pooling, length and case;
* `locate`: a local directory or a hub id, as files and a revision;
* `cache`: the SQLite vector cache;
* `device`: GPU or CPU for the CTranslate2 engine, with the fallback;
* `ct2`: the CTranslate2 engine (preferred; converts the model once);
* `st`: the sentence-transformers engine (the fallback, noted in
  ``describe()``; ``TOOLKIT_EMBED_ENGINE`` or the ``embed_engine`` setting
  forces one engine);
* `embedder`: `Embedder`, which puts them together.
"""
from __future__ import annotations

from ..ct2convert import is_converted
from ..hub import hub_cache
from .base import BATCH_SIZE, CT2, ENGINE_CHOICES, ST, Encoder, Progress
from .cache import CACHE_FILE, SCHEMA, VectorCache
from .ct2 import FAILED_SUFFIX, CT2Encoder
from .embedder import COMPUTE_TYPE, Embedder, describe, get_embedder
from .layout import CT2_ENCODERS, POOLING_MODES, Layout, pool, pooling_modes, read_layout
from .locate import hub_snapshot
from .st import STEncoder

__all__ = ["Embedder", "get_embedder", "describe", "hub_snapshot", "hub_cache", "read_layout", "pool",
           "pooling_modes", "Layout", "CACHE_FILE", "COMPUTE_TYPE", "SCHEMA", "VectorCache", "Encoder", "Progress",
           "CT2Encoder", "STEncoder", "CT2", "ST", "ENGINE_CHOICES", "BATCH_SIZE", "FAILED_SUFFIX", "CT2_ENCODERS",
           "POOLING_MODES", "is_converted"]

"""What the bench scripts share: where the repository and the development
data are, the import path to the package, and the environment that loads
the real embedding model offline.

    from common import REPO, SHARED, offline_model

Importing this module puts the repository first on ``sys.path``, so a
script run as ``python bench/<name>.py`` imports this checkout's
``toolkit``. ``SHARED`` is ``$TOOLKIT_SHARED`` when set, else ``../shared``
beside the repository, as in the tests.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Mapping

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", REPO.parent / "shared"))
HF_HUB_CACHE = SHARED / "hf-cache" / "hub"
# The real spaCy English pipeline, as a model directory.
NLP_MODEL = SHARED / "models" / "spacy-en_core_web_sm-3.8.0"
# A translation and embedding cache that outlives one run, so repeated runs
# measure the same thing, and that never touches the user's own cache.
BENCH_CACHE = Path(tempfile.gettempdir()) / "toolkit-bench-cache"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def offline_model(env: dict[str, str] | None = None, *, cache: bool = False) -> dict[str, str]:
    """`env` (default: this process's environment, changed in place) set up
    to load the real all-MiniLM-L6-v2 from ``SHARED/hf-cache`` and the real
    spaCy pipeline from ``SHARED/models`` without the network; with `cache`, the bench's own toolkit cache too. What the
    caller already set wins."""
    target: Any = os.environ if env is None else env
    target.setdefault("HF_HUB_CACHE", str(HF_HUB_CACHE))
    target.setdefault("HF_HUB_OFFLINE", "1")
    target.setdefault("TOOLKIT_NLP_MODEL", str(NLP_MODEL))
    if cache:
        target.setdefault("TOOLKIT_CACHE_DIR", str(BENCH_CACHE))
    return target


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child Python process that imports this
    checkout's ``toolkit``: ours, the repository first on PYTHONPATH, then
    `extra`."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def cluster_dirs(root: Path) -> list[Path]:
    """The MultiLing-layout clusters under `root`: folders with ``en/``
    articles and ``summaries/``."""
    return sorted(p for p in root.iterdir() if (p / "en").is_dir() and (p / "summaries").is_dir())


def duc_clusters(root: Path) -> list[Path]:
    """The DUC 2004 Task 2 clusters under `root`: folders with ``docs/``
    articles, ``refs/`` human summaries and ``peers/`` published systems'
    summaries."""
    return sorted(p for p in root.iterdir() if all((p / d).is_dir() for d in ("docs", "refs", "peers")))


def story_sources(cluster: Path) -> tuple[Path, list[str]]:
    """The folder of a cluster's English articles and its human summaries'
    texts, for the MultiLing layout (``en/``, ``summaries/en_*.txt``) and
    the DUC 2004 one (``docs/``, ``refs/*.txt``)."""
    if (cluster / "docs").is_dir():
        return cluster / "docs", [p.read_text(encoding="utf-8") for p in sorted((cluster / "refs").glob("*.txt"))]
    return cluster / "en", [p.read_text(encoding="utf-8")
                            for p in sorted((cluster / "summaries").glob("en_*.txt"))]


def seed_story(folder: Path | None = None) -> tuple[list, dict[str, str]]:
    """The seed articles (``SHARED/seeds`` unless `folder` names another copy)
    and their English from refs/."""
    from toolkit.ingest import load_articles
    from toolkit.references import load_references

    folder = SHARED / "seeds" if folder is None else folder
    articles = load_articles([str(p) for p in sorted(folder.glob("*.txt"))])
    return articles, load_references(REPO / "refs", articles)


def english_articles(folder: Path) -> tuple[list, dict[str, str]]:
    """The ``*.txt`` articles of `folder`, read as English sources: the
    articles and their sentences as the English of each ID."""
    from toolkit.ingest import load_articles

    articles = load_articles([str(p) for p in sorted(folder.glob("*.txt"))])
    english = {s.id: s.text for a in articles for s in a.sentences}
    return articles, english

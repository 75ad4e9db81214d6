"""Shared pieces of the summarize/verify tests: the embedding model (the
real one from ../shared/hf-cache, read-only, loaded from its snapshot
directory so nothing is written there; else a tiny one built in the test
session), and a small invented story written for these
tests, as articles whose sentences carry IDs plus the English per ID."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import pytest

from conftest import embedding_hub, real_embedding_hub  # noqa: F401  (re-exported)
from toolkit.records import Article, Sentence

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"

# article number -> English sentences (our own text, an invented story).
STORY = {
    1: [
        "The city council approved the new budget on Monday.",
        "The mayor said the budget includes funding for two new schools.",
        "Heavy rain flooded several streets in the old town on Sunday night.",
    ],
    2: [
        "On Monday the city council voted to approve the new budget.",
        "According to the mayor, money for two new schools is part of the budget.",
        "Opposition members criticised the plan as far too expensive.",
    ],
    3: [
        "The new municipal budget was approved by the council on Monday.",
        "Bus fares in the city will rise by ten percent next year.",
    ],
    4: [
        "Council members passed the city's new budget at Monday's session.",
        "A new park will open near the river in the spring.",
    ],
}
# The same facts, grouped by hand: a paraphrase set per fact.
SAME_FACT = [("1.1", "2.1", "3.1", "4.1"), ("1.2", "2.2")]


def hub_dir() -> Path:
    return embedding_hub()


def snapshot_dir() -> Path:
    snaps = sorted((hub_dir() / ("models--" + MODEL_ID.replace("/", "--")) / "snapshots").glob("*"))
    if not snaps:
        pytest.fail(f"no {MODEL_ID} snapshot in {hub_dir()}")
    return snaps[0]


def use_shared_hub(monkeypatch) -> Path:
    """Point the Hugging Face cache at the embedding model's hub, offline."""
    hub = hub_dir()
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return hub


def make_articles(by_article: dict[int, Sequence[str]] = STORY, *, headings: Sequence[str] = ()
                  ) -> tuple[list[Article], dict[str, str]]:
    """Articles whose sentences carry the IDs, and the English per ID (the
    summarizer only reads IDs and English, so the article text is the
    English itself). IDs in `headings` become headings."""
    articles, english = [], {}
    for number, lines in by_article.items():
        text, sents = "", []
        for index, line in enumerate(lines, 1):
            sid = f"{number}.{index}"
            start = len(text)
            text += line
            kind = "heading" if sid in headings else "sentence"
            sents.append(Sentence(sid, number, index, line, start, len(text), kind=kind))
            english[sid] = line
            text += "\n"
        articles.append(Article(number, f"story/article{number}.txt", text.rstrip("\n"), tuple(sents)))
    return articles, english


def write_jsonl(path: Path, english: dict[str, str], source_files: dict[int, str] | None = None,
                flags: dict[str, list[str]] | None = None) -> Path:
    rows = []
    for sid, text in english.items():
        row = {"id": sid, "text": text, "flags": (flags or {}).get(sid, [])}
        if source_files:
            row["source_file"] = source_files[int(sid.split(".")[0])]
        rows.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path

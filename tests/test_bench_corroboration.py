"""bench/corroboration.py runs on the labelled development pairs, and a label
whose sentence segmentation has moved stops it with exit 2 instead of being
scored against another sentence. The figures live in the bench and the docs."""
from __future__ import annotations

import csv
import os
import subprocess
import sys

from conftest import REPO, need_shared

BENCH = REPO / "bench" / "corroboration.py"


def run_bench(*args):
    multidoc = need_shared("multidoc")
    hub = need_shared("hf-cache", "hub")
    env = {**os.environ, "HF_HUB_CACHE": str(hub), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, str(BENCH), "--clusters", str(multidoc), *args],
                          env=env, capture_output=True, text=True, timeout=600)


def test_every_label_names_a_current_sentence_and_the_bench_scores_them():
    out = run_bench()
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line for line in out.stdout.splitlines() if line[:1] in "Ma"}
    with (REPO / "bench" / "data" / "corroboration_labels.tsv").open(encoding="utf-8") as f:
        clusters = {row["cluster"] for row in csv.DictReader(f, delimiter="\t")}
    assert clusters <= set(rows), out.stdout
    figures = [float(x) for x in rows["all"].replace("|", " ").split()[2:]]
    assert len(figures) == 12 and all(0.0 <= x <= 1.0 for x in figures)


def test_a_label_on_a_sentence_whose_text_changed_stops_the_bench(tmp_path):
    src = REPO / "bench" / "data" / "corroboration_labels.tsv"
    with src.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    stale = dict(rows[0], text_a="0000000000")
    labels = tmp_path / "labels.tsv"
    with labels.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t")
        w.writeheader()
        w.writerow(stale)
    out = run_bench("--labels", str(labels))
    assert out.returncode == 2
    assert f"sentence {stale['id_a']} is missing or its text changed" in out.stderr

"""bench/brief_quality.py runs end to end on one development cluster: the
figures themselves live in the bench and the docs, not in tests."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO, need_shared


def test_brief_quality_bench_runs_on_one_cluster(tmp_path):
    cluster = need_shared("multidoc", "M004")
    hub = need_shared("hf-cache", "hub")
    root = tmp_path / "clusters"
    root.mkdir()
    (root / cluster.name).symlink_to(cluster, target_is_directory=True)
    env = {**os.environ, "HF_HUB_CACHE": str(hub), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, str(REPO / "bench" / "brief_quality.py"), "--clusters", str(root)],
                         env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines() if line.startswith(cluster.name)]
    assert len(rows) == 1
    words, dropped = int(rows[0][1]), int(rows[0][2])
    scores = [float(x) for x in rows[0][4:8] + rows[0][9:11]]
    assert 0 < words <= 250 and dropped == 0 and all(0 < s < 1 for s in scores)

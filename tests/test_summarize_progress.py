"""Progress of the steps of `toolkit summarize` that take seconds on a story
of hundreds of articles (reading the files, copies, off-topic articles,
the sentence similarities, the pair rules, shared sentences, "Sources
differ"): named on stderr with TOOLKIT_PROGRESS=1, with the same output
on stdout, byte for byte, as without it. The library side: each step's
callback hears a start and an end."""
from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from summarize_fixtures import STORY, make_articles, use_shared_hub
from toolkit.brief import brief_units
from toolkit.brief.pairs import BLOCK, similar_pairs
from toolkit.brief.points import point_matrix
from toolkit.brief.steps import counted, whole
from toolkit.cli import main
from toolkit.ingest import load_articles

# The brief's own steps, in the order they run, as the command line names them.
BRIEF_STEPS = ["reading articles", "finding copied articles", "finding off-topic articles", "comparing sentences",
               "judging sentence pairs", "finding shared sentences", "comparing the sources' facts"]


@pytest.fixture
def story_files(tmp_path, monkeypatch):
    """The invented story of summarize_fixtures as English article files."""
    use_shared_hub(monkeypatch)
    folder = tmp_path / "story"
    folder.mkdir()
    for number, lines in STORY.items():
        (folder / f"article{number}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


def summarize(monkeypatch, folder, fmt: str, progress: str | None):
    if progress is None:
        monkeypatch.delenv("TOOLKIT_PROGRESS", raising=False)
    else:
        monkeypatch.setenv("TOOLKIT_PROGRESS", progress)
    run = CliRunner().invoke(main, ["summarize", "--cite", "--format", fmt, str(folder)])
    assert run.exit_code == 0, run.stderr
    return run


def steps_named(stderr: str) -> list[str]:
    return [line.split(":")[1].strip() for line in stderr.splitlines() if line.startswith("progress:")]


@pytest.mark.parametrize("fmt", ["json", "txt"])
def test_every_brief_step_is_named_and_the_output_is_the_same(story_files, monkeypatch, fmt):
    cold = summarize(monkeypatch, story_files, fmt, "1")  # fills the cache: embeds and parses too
    asked = summarize(monkeypatch, story_files, fmt, "1")
    quiet = summarize(monkeypatch, story_files, fmt, None)
    assert steps_named(quiet.stderr) == []
    # A start line and an end line per step, in order; nothing left to embed or parse.
    assert steps_named(asked.stderr) == [name for name in BRIEF_STEPS for _ in range(2)]
    assert all(step in steps_named(cold.stderr) for step in BRIEF_STEPS)
    ends = [line for line in asked.stderr.splitlines() if line.startswith("progress:")][1::2]
    assert all(line.endswith(" s)") for line in ends)
    assert asked.stdout_bytes == quiet.stdout_bytes == cold.stdout_bytes
    assert "progress:" not in asked.stdout


def test_reading_reports_each_file(tmp_path):
    for k in range(3):
        (tmp_path / f"a{k}.txt").write_text(f"Sentence number {k} of a short article.\n", encoding="utf-8")
    heard: list[tuple[int, int]] = []
    articles = load_articles([str(tmp_path)], progress=lambda done, total: heard.append((done, total)))
    assert len(articles) == 3 and heard == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_similarities_report_rows_by_block_and_judged_pairs_to_the_end():
    x = np.random.default_rng(2).standard_normal((BLOCK + 10, 6))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    heard: list[tuple[int, int]] = []
    quiet = similar_pairs(x, 0.5)
    told = similar_pairs(x, 0.5, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(0, BLOCK + 10), (BLOCK, BLOCK + 10), (BLOCK + 10, BLOCK + 10)]
    assert np.array_equal(np.asarray(told), np.asarray(quiet))
    articles, english = make_articles()
    units, _ = brief_units(articles, english)
    vectors = np.random.default_rng(3).standard_normal((len(units), 6)) + 4.0  # all close: every pair is judged
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs: list[tuple[int, int]] = []
    points = point_matrix(units, vectors, progress=lambda done, total: pairs.append((done, total)))
    assert pairs[0][0] == 0 and pairs[-1][0] == pairs[-1][1] > 0
    assert np.array_equal(np.asarray(points), np.asarray(point_matrix(units, vectors)))


def test_a_step_without_a_count_is_one_piece_of_work():
    heard: list[tuple[str, int, int]] = []
    with whole(lambda *a: heard.append(a), "differ"):
        heard.append(("inside", 0, 0))
    assert heard == [("differ", 0, 1), ("inside", 0, 0), ("differ", 1, 1)]
    with whole(None, "differ"):
        pass
    assert counted(None, "similar") is None
    told = counted(lambda *a: heard.append(a), "similar")
    assert told is not None
    told(2, 5)
    assert heard[-1] == ("similar", 2, 5)

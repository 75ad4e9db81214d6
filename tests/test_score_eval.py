"""`toolkit eval`: translate seed articles with a tiny random-weight model
through the real translation layer, then score against refs/. Random
weights give garbage English, so the tests check structure and that the
numbers are sacrebleu's on exactly the translations produced."""
from __future__ import annotations

import json

import pytest
import sacrebleu
from click.testing import CliRunner

from tests.conftest import sample_story
from tests.translate_fixtures import tiny_marian  # noqa: F401  (session fixture)
from toolkit.cli import main
from toolkit.cli.score import eval_documents
from toolkit.errors import IntegrityError
from toolkit.ingest import load_articles
from toolkit.references import load_references
from toolkit.score import score_documents
from toolkit.translate import translate_articles
from toolkit.records import Translation

# The seed articles and refs/ with ../shared, else the bundled examples.
STORY, REFS = sample_story()


@pytest.fixture
def seed():
    return STORY[0]


def test_eval_translates_and_scores(seed, tiny_marian):  # noqa: F811
    args = ["eval", str(seed), "--refs", str(REFS), "--model", str(tiny_marian), "--engine", "transformers",
            "--beam", "1", "--format", "json", "--worst", "3"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    articles = load_articles([str(seed)])
    ids = [s.id for s in articles[0].sentences]
    assert data["manifest"]["model"] == str(tiny_marian.resolve())
    assert data["manifest"]["sentences"] == len(ids)
    assert [d["name"] for d in data["documents"]] == [articles[0].name]
    assert data["documents"][0]["level"] == "sentence" and data["segments"] == len(ids)
    assert [w["id"] for w in data["worst"]] and all(w["id"] in ids for w in data["worst"])
    assert data["corpus"]["bleu"]["signature"].startswith("BLEU|nrefs:1|")

    # The same run again comes from the cache, and the scores are sacrebleu's
    # on exactly those translations against the references.
    run = translate_articles(articles, model=str(tiny_marian), engine="transformers", beam=1)
    assert run.manifest["cached"] == len(ids)
    refs = load_references(REFS, articles)
    hyps = [" ".join(run.translations[i].text.split()) for i in ids]
    assert data["corpus"]["chrf"]["score"] == sacrebleu.corpus_chrf(hyps, [[refs[i] for i in ids]]).score
    assert data["corpus"]["bleu"]["score"] == sacrebleu.corpus_bleu(hyps, [[refs[i] for i in ids]]).score

    rich = CliRunner().invoke(main, args[:-4] + ["--format", "rich"])
    assert rich.exit_code == 0
    assert "Model" in rich.stdout and "Signatures" in rich.stdout


def test_eval_scoring_half_with_injected_translations():
    """Perfect translations score 100 per article and overall; a missing
    translation is an integrity error, never a silently shorter corpus."""
    articles = load_articles([str(p) for p in STORY[:2]])
    refs = load_references(REFS, articles)
    perfect = {i: Translation(i, "", text) for i, text in refs.items()}
    report = score_documents(eval_documents(articles, perfect, refs), ["bleu", "chrf"], worst=2)
    assert [d.name for d in report.documents] == [a.name for a in articles]
    assert all(d.scores["chrf"].score == pytest.approx(100.0) for d in report.documents)
    assert report.worst[0].id in refs
    missing = dict(perfect)
    missing.pop(articles[1].sentences[3].id)
    with pytest.raises(IntegrityError, match=f"sentence {articles[1].sentences[3].id} has no translation"):
        eval_documents(articles, missing, refs)

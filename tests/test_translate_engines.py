"""Both engines on tiny random-weight models loaded through the real code
path (local directory, Hugging Face cache layout, CTranslate2 conversion
into the toolkit cache). Random weights give garbage English: these tests
check plumbing, ordering, coverage, batch independence, no truncation, the
cache and its resumption, never translation quality."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.translate_fixtures import ARABIC, make_article, tiny_marian, tiny_nllb  # noqa: F401
from toolkit import config
from toolkit.translate import get_translator, resolve_engine, translate_articles
from toolkit.translate import ct2 as ct2_module
from toolkit.translate.models import list_models, resolve

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
ENGINES = ["ctranslate2", "transformers"]


@pytest.fixture(scope="module")
def marian_translators(tiny_marian, tmp_path_factory):
    """One loaded translator per engine for the tests that only need the
    batch call (conversion goes to a module-level cache dir)."""
    old = os.environ.get("TOOLKIT_CACHE_DIR")
    os.environ["TOOLKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("ct2-cache"))
    try:
        return {e: get_translator(str(tiny_marian), engine=e, device="cpu") for e in ENGINES}
    finally:
        if old is None:
            os.environ.pop("TOOLKIT_CACHE_DIR", None)
        else:
            os.environ["TOOLKIT_CACHE_DIR"] = old


def two_articles():
    return [
        make_article(1, ARABIC[7:8] + ARABIC[:3], headings=(1,)),
        make_article(2, ARABIC[3:7], parts={2: 2}),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_id_in_order_with_headings_and_pieces(tiny_marian, engine):
    arts = two_articles()
    seen = []
    run = translate_articles(arts, model=str(tiny_marian), engine=engine, device="cpu", beam=2,
                             progress=lambda d, t, k: seen.append((d, t, k)))
    ids = [s.id for a in arts for s in a.sentences]
    assert list(run.translations) == ids
    assert ids[0] == "1.1" and arts[0].sentences[0].is_heading  # headings are translated too
    assert "2.2.1" in ids and "2.2.2" in ids
    for a in arts:
        for s in a.sentences:
            t = run.translations[s.id]
            assert t.id == s.id and t.source == s.text and not t.cached
            assert t.source_tokens >= 2 and t.target_tokens >= 0
            # every hypothesis either ended or is flagged as having hit the limit
            assert ("hit-limit" in [f.code for f in t.flags]) == (t.target_tokens >= 2 * t.source_tokens + 10)
    # the pieces of 2.2 are joined into one line of the article text
    text = run.english(arts[1])
    assert run.translations["2.2.1"].text in text and run.translations["2.2.2"].text in text
    assert len(text.strip().split("\n\n")) == 4
    m = run.manifest
    assert (m["model"], m["engine"], m["device"], m["beam"]) == (str(tiny_marian), engine, "cpu", 2)
    assert m["compute_type"] == ("int8" if engine == "ctranslate2" else "float32")
    assert m["revision"].startswith("local-") and m["toolkit_version"] and m["glossary_sha256"] is None
    assert seen[0] == (0, len(ids), 0) and seen[-1][:2] == (len(ids), len(ids))
    assert seen[-1][2] == sum(t.target_tokens for t in run.translations.values())


@pytest.mark.parametrize("engine", ENGINES)
def test_greedy_output_does_not_depend_on_batch_mates(marian_translators, engine):
    tr = marian_translators[engine]
    texts = ARABIC + [" ".join(ARABIC[:4])]
    alone = [tr.translate_batch([t], beam=1)[0] for t in texts]
    together = tr.translate_batch(texts, beam=1)
    reversed_ = tr.translate_batch(texts[::-1], beam=1)[::-1]
    assert together == alone and reversed_ == alone
    # the test means something only if outputs differ between inputs and
    # some end before their budget while others hit it
    assert len({h.text for h in alone}) > len(texts) // 2
    assert {h.hit_limit for h in alone} == {True, False}
    # and through the streaming layer with any batch budget
    assert list(tr.translate_iterable(texts, beam=1, batch_tokens=1)) == alone
    assert list(tr.translate_iterable(texts, beam=1, batch_tokens=100_000)) == alone


def test_engines_agree_in_float32(marian_translators, tiny_marian):
    """Same checkpoint, same greedy search: CTranslate2 without quantisation
    reproduces transformers token for token."""
    ref = resolve(str(tiny_marian))
    exact = ct2_module.CT2Translator(ref, compute_type="float32")
    hf = marian_translators["transformers"]
    assert exact.translate_batch(ARABIC, beam=1) == hf.translate_batch(ARABIC, beam=1)


def test_a_2000_token_sentence_is_cut_not_truncated(marian_translators):
    tr = marian_translators["ctranslate2"]
    words = " ".join(ARABIC[:7]).split()
    sentence = " ".join(words[i % len(words)] for i in range(1700))
    assert tr.count_tokens(sentence) >= 2000
    art = make_article(1, [sentence])
    calls = []
    real = tr.translate_batch

    def spy(texts, beam=4):
        calls.extend(texts)
        return real(texts, beam=beam)

    tr.translate_batch = spy
    try:
        run = translate_articles([art], translator=tr, beam=1, use_cache=False)
    finally:
        del tr.translate_batch
    assert len(calls) >= 4
    assert all(tr.count_tokens(piece) <= tr.max_input_tokens for piece in calls)
    # every word reached the model exactly once, in pieces cut from the sentence
    assert all(piece in sentence for piece in calls)
    assert sorted(" ".join(calls).split()) == sorted(sentence.split())
    t = run.translations["1.1"]
    # source_tokens counts every piece's tokens (each with its own </s>)
    assert t.source_tokens == sum(tr.count_tokens(p) for p in calls) >= 2000
    assert list(run.translations) == ["1.1"]


@pytest.mark.parametrize("engine", ENGINES)
def test_second_run_is_served_from_cache_without_a_model(tiny_marian, engine, monkeypatch):
    from toolkit.translate import selection

    arts = two_articles()
    first = translate_articles(arts, model=str(tiny_marian), engine=engine, device="cpu", beam=1)

    class NoModel(selection.EngineSelector):
        def translator(self, *args, **kwargs):
            raise AssertionError("a fully cached run must not load a model")

    monkeypatch.setattr(selection, "SELECTOR", NoModel())
    second = translate_articles(arts, model=str(tiny_marian), engine=engine, device="cpu", beam=1)
    assert all(t.cached for t in second.translations.values())
    assert [t.text for t in second.translations.values()] == [t.text for t in first.translations.values()]
    assert [t.flags for t in second.translations.values()] == [t.flags for t in first.translations.values()]
    assert second.manifest["cached"] == len(second.translations)
    # other decoding options are other cache entries
    with pytest.raises(AssertionError, match="must not load"):
        translate_articles(arts, model=str(tiny_marian), engine=engine, device="cpu", beam=3)
    # and --no-cache never reads it
    with pytest.raises(AssertionError, match="must not load"):
        translate_articles(arts, model=str(tiny_marian), engine=engine, device="cpu", beam=1, use_cache=False)


def test_interrupted_run_resumes_and_damaged_entries_are_recomputed(marian_translators):
    tr = marian_translators["ctranslate2"]
    arts = [make_article(1, ARABIC)]
    calls: list[str] = []
    real = tr.translate_batch

    def interrupt_after_two_batches(texts, beam=4):
        if len(calls) >= 2:
            raise KeyboardInterrupt
        calls.append(texts)
        return real(texts, beam=beam)

    tr.translate_batch = interrupt_after_two_batches
    try:
        with pytest.raises(KeyboardInterrupt):
            translate_articles(arts, translator=tr, beam=1, batch_tokens=1)
    finally:
        del tr.translate_batch
    done_before = [t for batch in calls for t in batch]
    assert len(done_before) == 2

    # damage one finished entry: it must be recomputed, the other reused
    import sqlite3

    db = sqlite3.connect(config.cache_dir() / "translations.sqlite")
    key = db.execute("SELECT key FROM entries LIMIT 1").fetchone()[0]
    db.execute("UPDATE entries SET value = '{\"sum\": \"0\", \"hyp\": \"{}\"}' WHERE key = ?", (key,))
    db.commit()
    db.close()

    sent: list[str] = []

    def count(texts, beam=4):
        sent.extend(texts)
        return real(texts, beam=beam)

    tr.translate_batch = count
    try:
        run = translate_articles(arts, translator=tr, beam=1, batch_tokens=1)
    finally:
        del tr.translate_batch
    assert len(sent) == len(ARABIC) - 1  # one entry survived the damage
    assert sum(t.cached for t in run.translations.values()) == 1
    assert list(run.translations) == [s.id for s in arts[0].sentences]
    alone = {t: tr.translate_batch([t], beam=1)[0].text for t in ARABIC}
    assert [t.text for t in run.translations.values()] == [alone[t] for t in ARABIC]


def test_ctranslate2_conversion_is_made_once_and_reused(tiny_marian, monkeypatch):
    ref = resolve(str(tiny_marian))
    first = get_translator(ref=ref, engine="ctranslate2", device="cpu")
    target = first.model_dir
    assert target.parent.name == ref.revision and target.name == "int8"
    assert str(target).startswith(str(config.cache_dir()))
    stamp = (target / "model.bin").stat().st_mtime_ns

    import ctranslate2.converters

    class Refuse:
        def __init__(self, *a, **kw):
            raise AssertionError("converted twice")

    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", Refuse)
    second = get_translator(ref=ref, engine="ctranslate2", device="cpu")
    assert second.model_dir == target and (target / "model.bin").stat().st_mtime_ns == stamp
    assert second.translate_batch(ARABIC[:2], beam=1) == first.translate_batch(ARABIC[:2], beam=1)
    monkeypatch.undo()

    # a conversion without its completion marker (interrupted) is redone
    (target / ct2_module.MARKER).unlink()
    third = get_translator(ref=ref, engine="ctranslate2", device="cpu")
    assert (third.model_dir / ct2_module.MARKER).is_file()
    assert third.translate_batch(ARABIC[:2], beam=1) == first.translate_batch(ARABIC[:2], beam=1)


def test_default_engine_is_ctranslate2_and_auto_device_is_cpu_here(tiny_marian):
    ref = resolve(str(tiny_marian))
    assert resolve_engine(ref) == ("ctranslate2", "cpu", "int8")
    assert resolve_engine(ref, "transformers", "cpu") == ("transformers", "cpu", "float32")


@pytest.mark.parametrize("engine", ENGINES)
def test_nllb_forces_english_and_agrees_across_batching(tiny_nllb, engine):
    ref = resolve(str(tiny_nllb))
    assert (ref.model_type, ref.src_lang, ref.tgt_lang) == ("m2m_100", "arb_Arab", "eng_Latn")
    tr = get_translator(ref=ref, engine=engine, device="cpu")
    assert tr.tokenize(ARABIC[0])[0] == "arb_Arab" and tr.tokenize(ARABIC[0])[-1] == "</s>"
    alone = [tr.translate_batch([t], beam=1)[0] for t in ARABIC]
    assert tr.translate_batch(ARABIC, beam=1) == alone
    assert not any("eng_Latn" in h.text or "arb_Arab" in h.text for h in alone)
    run = translate_articles(two_articles(), translator=tr, beam=2)
    assert run.manifest["src_lang"] == "arb_Arab" and run.manifest["tgt_lang"] == "eng_Latn"
    assert len(run.translations) == 9


def test_nllb_engines_agree_in_float32(tiny_nllb):
    ref = resolve(str(tiny_nllb))
    hf = get_translator(ref=ref, engine="transformers", device="cpu")
    exact = ct2_module.CT2Translator(ref, compute_type="float32")
    assert exact.translate_batch(ARABIC, beam=1) == hf.translate_batch(ARABIC, beam=1)


def hub_copy(model_dir: Path, hub: Path, repo: str, commit: str = "0123456789abcdef0123456789abcdef01234567"):
    """Lay a model out as the Hugging Face hub cache stores it."""
    base = hub / ("models--" + repo.replace("/", "--"))
    shutil.copytree(model_dir, base / "snapshots" / commit)
    (base / "refs").mkdir(parents=True)
    (base / "refs" / "main").write_text(commit)
    return commit


def test_hub_id_resolves_from_the_hf_cache_offline_and_is_listed(tiny_marian, tmp_path, monkeypatch):
    hub = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    commit = hub_copy(tiny_marian, hub, "Helsinki-NLP/opus-mt-ar-en")
    ref = resolve("fast")
    assert (ref.model_id, ref.revision, ref.preset) == ("Helsinki-NLP/opus-mt-ar-en", commit, "fast")
    run = translate_articles([make_article(1, ARABIC[:2])], model="fast", beam=1)
    assert run.manifest["revision"] == commit and run.manifest["preset"] == "fast"
    rows = list_models()
    assert [(r["model"], r["preset"], r["revision"], r["ctranslate2"]) for r in rows] == [
        ("Helsinki-NLP/opus-mt-ar-en", "fast", commit, ["int8"])]
    assert rows[0]["size"] > 0


def test_fully_cached_run_imports_neither_torch_nor_transformers(tiny_marian, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("\n".join(ARABIC[:4]) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    script = (
        "import json, sys\n"
        "from toolkit.ingest import load_articles\n"
        "from toolkit.translate import translate_articles\n"
        f"run = translate_articles(load_articles([{str(article)!r}]), model={str(tiny_marian)!r}, beam=1)\n"
        "print(json.dumps({'cached': run.manifest['cached'], 'n': len(run.translations),\n"
        "  'heavy': sorted(m for m in ('torch', 'transformers') if m in sys.modules)}))\n"
    )
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=240)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout.splitlines()[-1])["heavy"] == ["torch", "transformers"]
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    result = json.loads(second.stdout.splitlines()[-1])
    assert result["n"] >= 4 and result["cached"] == result["n"]
    assert result["heavy"] == []


def test_glossary_terms_reach_the_model_as_the_same_english(marian_translators):
    tr = marian_translators["ctranslate2"]
    arts = [make_article(1, ["وصل الوفد إلى بيونغ يانغ أمس."]),
            make_article(2, ["وصل الوفد إلى بيونج يانج أمس.", "والتقى كيم جونج أون بالوفد."])]
    seen: list[str] = []
    real = tr.translate_batch

    def spy(texts, beam=4):
        seen.extend(texts)
        return real(texts, beam=beam)

    tr.translate_batch = spy
    try:
        run = translate_articles(arts, translator=tr, beam=1, use_cache=False,
                                 glossary={"بيونغ يانغ": "Pyongyang", "بيونج يانج": "Pyongyang",
                                           "كيم جونغ أون|كيم جونج أون": "Kim Jong Un"})
    finally:
        del tr.translate_batch
    # both spellings became one model input: the same English everywhere
    assert sorted(seen) == ["والتقى Kim Jong Un بالوفد.", "وصل الوفد إلى Pyongyang أمس."]
    # the report lists every sentence whose output lacks the rendering
    expected = {(i, e) for i, e in [("1.1", "Pyongyang"), ("2.1", "Pyongyang"), ("2.2", "Kim Jong Un")]
                if e not in run.translations[i].text}
    assert {(v["id"], v["expected"]) for v in run.glossary_report} == expected
    assert run.translations["1.1"].source == "وصل الوفد إلى بيونغ يانغ أمس."  # the source stays as written

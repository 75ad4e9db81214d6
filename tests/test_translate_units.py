"""Translation pieces that need no model: flags on crafted hypotheses, the
glossary, the cache's damage handling, model resolution through the Hugging
Face cache and the offline error, the streaming layer's bookkeeping, and the
coverage check."""
from __future__ import annotations

import sqlite3

import pytest

from tests.translate_fixtures import make_article
from toolkit.errors import InputError, IntegrityError, ModelUnavailable
from toolkit.translate import PRESETS, english_text
from toolkit.translate import _coverage as coverage
from toolkit.translate.base import Hypothesis, Translator
from toolkit.translate.cache import TranslationCache, decode, encode, namespace_key
from toolkit.text.numbers import numbers_in
from toolkit.translate.flags import compute_flags, find_loop, missing_numbers
from toolkit.translate.glossary import Glossary, count_rendering
from toolkit.translate.models import resolve, safe_name
from toolkit.records import Translation

SRC = "وقال المتحدث إن المحادثات بين الجانبين كانت مثمرة وبناءة."


def codes(source: str, output: str, **kw) -> list[str]:
    return [f.code for f in compute_flags(source, output, **kw)]


@pytest.mark.parametrize("source, output, expected", [
    (SRC, "The spokesman said the talks between the two sides were fruitful and constructive.", []),
    # a decoding loop: one word, a bigram, a long phrase
    (SRC, "The spokesman said said said said the talks were fruitful and constructive.", ["loop"]),
    (SRC, "The talks were the talks were the talks were fruitful and useful, he said.", ["loop"]),
    (SRC, "Agreement reached on trade and agreement reached on trade and more words.", ["loop"]),
    # glued sentencepiece pieces repeating inside one token
    (SRC, "The spokesman said the talks agendaagendaagendaagenda were fruitful.", ["loop"]),
    # "very, very" is style, not a loop
    (SRC, "The spokesman said the talks were very, very fruitful and constructive.", []),
    # Arabic script left in an otherwise English output
    (SRC, "The spokesman said the talks between الجانبين were fruitful and constructive.", ["arabic-left"]),
    # output copied from the source, or mostly Arabic
    (SRC, SRC, ["untranslated"]),
    (SRC, "وقال المتحدث إن المحادثات كانت مثمرة jointly", ["untranslated"]),
    # suspicious length ratio, both ways
    (SRC, "Talks.", ["length-ratio"]),
    (SRC, "The spokesman said " + " ".join(f"topic{i}" for i in range(40)) + " ended.", ["length-ratio"]),
    # an empty output on a real sentence
    (SRC, "", ["length-ratio"]),
    # short sources are exempt from the ratio check
    ("زيارة تاريخية", "A historic visit to the capital city of the country, he said", []),
])
def test_flags_on_crafted_hypotheses(source, output, expected):
    assert codes(source, output) == expected


@pytest.mark.parametrize("source, output, missing", [
    # Arabic-Indic digits are normalised before comparing
    ("بلغ عدد الزوار ١٢٣ زائرا.", "The number of visitors reached 123.", []),
    ("بلغ عدد الزوار ١٢٣ زائرا.", "The number of visitors reached 132.", ["123"]),
    ("بلغ عدد الزوار ۱۲۳ زائرا.", "Visitors: 123.", []),  # Extended Arabic-Indic
    # decimals: the Arabic decimal separator and a decimal point are the same number
    ("ارتفعت الأسعار بنسبة ٣٫٥ في المئة عام ٢٠٢٤.", "Prices rose 3.5 percent in 2024.", []),
    ("ارتفعت الأسعار بنسبة 3.5 في المئة عام 2024.", "Prices rose by 35 percent in 2024.", ["3.5"]),
    # thousands separators in either text
    ("حضر 1.000 شخص و٢٬٥٠٠ ضيف.", "1,000 people and 2500 guests attended.", []),
    # small numbers may be spelled out
    ("وصل ٣ وزراء.", "Three ministers arrived.", []),
    ("وصل ٣ وزراء و٤ سفراء.", "Three ministers arrived.", ["4"]),
])
def test_numbers_missing(source, output, missing):
    assert missing_numbers(source, output) == missing
    assert ("numbers-missing" in codes(source, output)) == bool(missing)


@pytest.mark.parametrize("token, canonical", [
    ("١٢٣", "123"), ("3.50", "3.5"), ("1,000", "1000"), ("1.000.000", "1000000"), ("٣٫٥", "3.5"),
    ("٢٬٥٠٠", "2500"), ("7", "7"), ("2.0", "2"),
])
def test_canonical_number(token, canonical):
    assert numbers_in(token, arabic=True) == [canonical]


def test_hit_limit_flag_comes_from_the_engine_report():
    assert "hit-limit" in codes(SRC, "The spokesman said the talks were fruitful.", hit_limit=True)
    assert "hit-limit" not in codes(SRC, "The spokesman said the talks were fruitful.", hit_limit=False)


def test_find_loop_reports_the_phrase():
    assert find_loop("we will we will we will rock") == "we will"
    assert find_loop("nothing repeats here at all") is None


GLOSSARY_TSV = (
    "# names MT spells several ways\n"
    "بيونغ يانغ\tPyongyang\n"
    "بيونج يانج\tPyongyang\n"
    "كيم جونغ أون|كيم جونج أون\tKim Jong Un\n"
    "\n"
)


def test_glossary_parse_load_and_hash(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(GLOSSARY_TSV, encoding="utf-8")
    g = Glossary.load(path)
    assert len(g.entries) == 4
    assert set(g.entries.values()) == {"Pyongyang", "Kim Jong Un"}
    assert len(g.sha256) == 64
    path.write_text(GLOSSARY_TSV + "موسكو\tMoscow\n", encoding="utf-8")
    assert Glossary.load(path).sha256 != g.sha256


@pytest.mark.parametrize("text, line, message", [
    ("بيونغ يانغ Pyongyang\n", 1, "expected 'Arabic term<TAB>English rendering'"),
    ("# c\nبيونغ يانغ\t\n", 2, "empty English rendering"),
    ("\tPyongyang\n", 1, "empty Arabic term"),
    ("بيونغ يانغ\tPyongyang\nبيونغ يانغ\tPyongYang\n", 2, "already rendered as 'Pyongyang'"),
    ("a\tb\tc\n", 1, "found 3 columns"),
])
def test_glossary_errors_name_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Glossary.load(path)
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert message in str(err.value)


def test_glossary_matches_variants_normalised_and_with_prefixes():
    g = Glossary.parse(GLOSSARY_TSV)
    text = "التقى كيم جونغ اون الرئيس في بيونج يانج، ثم عاد إلى بيونغ يانغ وقال لكيم جونج أون."
    found = g.find(text)
    assert [(m.term, m.english, m.clitic) for m in found] == [
        ("كيم جونغ اون", "Kim Jong Un", ""),  # bare alef matches the hamza spelling in the file
        ("بيونج يانج", "Pyongyang", ""),
        ("بيونغ يانغ", "Pyongyang", ""),
        ("كيم جونج أون", "Kim Jong Un", "ل"),
    ]
    assert all(text[m.start:m.end] == m.term for m in found)
    assert g.apply(text) == "التقى Kim Jong Un الرئيس في Pyongyang، ثم عاد إلى Pyongyang وقال ل Kim Jong Un."
    # a term inside a longer word is not a match
    assert g.find("بيونغ يانغية") == []


def test_glossary_check_reports_every_unhonoured_occurrence():
    g = Glossary.parse(GLOSSARY_TSV)
    src = "وصل كيم جونغ أون إلى بيونغ يانغ ثم غادر بيونج يانج."
    assert g.check("1.2", src, "Kim Jong Un arrived in Pyongyang and then left Pyongyang.") == []
    problems = g.check("1.2", src, "Kim Jong-un arrived in Pyongyang and left Pyong Yang.")
    assert [(p.id, p.expected, p.occurrences, p.found) for p in problems] == [
        ("1.2", "Kim Jong Un", 1, 0), ("1.2", "Pyongyang", 2, 1)]
    assert problems[1].term == "بيونغ يانغ / بيونج يانج"


@pytest.mark.parametrize("output, n", [
    ("Pyongyang", 1), ("Pyongyang's streets", 1), ("in Pyongyang and Pyongyang", 2),
    ("PyongyangX", 0), ("pyongyang", 0), ("Pyong yang", 0),
])
def test_count_rendering(output, n):
    assert count_rendering(output, "Pyongyang") == n


def test_cache_round_trip_and_damaged_entries_are_misses(tmp_path):
    cache = TranslationCache(tmp_path / "t.sqlite")
    ns = namespace_key({"model": "m", "beam": 4})
    hyp = Hypothesis("Hello.", 5, 2, False, 1)
    cache.put_many(ns, [("مرحبا", hyp), ("اهلا", hyp)])
    assert cache.get_many(ns, ["مرحبا", "اهلا", "غير"]) == {"مرحبا": hyp, "اهلا": hyp}
    # other decoding options never see these entries
    assert cache.get_many(namespace_key({"model": "m", "beam": 1}), ["مرحبا"]) == {}
    cache.close()
    db = sqlite3.connect(tmp_path / "t.sqlite")
    db.execute("UPDATE entries SET value = substr(value, 1, 20)")  # a torn write
    db.commit()
    db.close()
    assert TranslationCache(tmp_path / "t.sqlite").get_many(ns, ["مرحبا", "اهلا"]) == {}


@pytest.mark.parametrize("value", [
    "", "not json", "{}", '{"sum": "x", "hyp": "{}"}',
    encode(Hypothesis("Hi.", 3, 1)).replace("Hi.", "Ho."),  # content changed, checksum not
])
def test_cache_decode_rejects_damage(value):
    assert decode(value) is None


def test_cache_file_that_is_not_a_database_is_moved_aside(tmp_path):
    path = tmp_path / "t.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    cache = TranslationCache(path)
    ns = namespace_key({"m": 1})
    assert cache.get_many(ns, ["a"]) == {}
    cache.put_many(ns, [("a", Hypothesis("A", 1, 1))])
    assert cache.get_many(ns, ["a"])["a"].text == "A"
    assert cache.recovered and (tmp_path / cache.recovered.rsplit("/", 1)[-1]).exists()


def test_presets_table():
    assert PRESETS["best"].model_id == "Helsinki-NLP/opus-mt-tc-big-ar-en"
    assert (PRESETS["best"].bleu, PRESETS["best"].chrf) == (42.8, 67.2)
    assert (PRESETS["fast"].model_id, PRESETS["fast"].bleu, PRESETS["fast"].chrf) == (
        "Helsinki-NLP/opus-mt-ar-en", 33.9, 61.0)
    nllb = PRESETS["nllb"]
    assert (nllb.model_id, nllb.src_lang, nllb.tgt_lang) == ("facebook/nllb-200-distilled-600M", "arb_Arab",
                                                             "eng_Latn")
    assert (nllb.bleu, nllb.chrf) == (37.6, 62.7)


@pytest.mark.parametrize("name, model_id, hint", [
    ("best", "Helsinki-NLP/opus-mt-tc-big-ar-en", "toolkit models download best"),
    ("nllb", "facebook/nllb-200-distilled-600M", "toolkit models download nllb"),
    ("someone/some-model", "someone/some-model", "toolkit models download someone/some-model"),
])
def test_offline_without_cached_model_names_model_and_fix(tmp_path, monkeypatch, name, model_id, hint):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(ModelUnavailable) as err:
        resolve(name)
    message = str(err.value)
    assert "\n" not in message
    assert model_id in message and "HF_HUB_OFFLINE=1" in message
    assert f"`{hint}`" in message and f"`hf download {model_id}`" in message


@pytest.mark.parametrize("name", ["not a model", "best-ever", "a/b/c"])
def test_unknown_model_names_are_input_errors(name):
    with pytest.raises(InputError, match="unknown model"):
        resolve(name)


def test_missing_local_directory(tmp_path):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        resolve(str(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelUnavailable, match="no config.json"):
        resolve(str(tmp_path / "empty"))


def test_safe_name():
    assert safe_name("Helsinki-NLP/opus-mt-ar-en") == "Helsinki-NLP--opus-mt-ar-en"
    assert "/" not in safe_name("/tmp/some/model") and safe_name("/a/b") != safe_name("/a/c")


class _Echo(Translator):
    """A translator for the streaming layer's bookkeeping: one "token" per
    word, output = the input upper-cased, so order and joins are checkable.
    Engines are tested for real in test_translate_engines.py."""

    engine = "echo"
    max_input_tokens = 12

    def __init__(self):
        self.batches: list[list[str]] = []

    def tokenize(self, text):
        return text.split() + ["</s>"]

    def translate_batch(self, texts, *, beam=4):
        self.batches.append(list(texts))
        return [Hypothesis(t.upper(), self.count_tokens(t), len(t.split())) for t in texts]


def test_streaming_keeps_order_sorts_batches_and_cuts_long_input():
    tr = _Echo()
    long = " ".join(f"w{i}" for i in range(40))
    texts = ["a b c", long, "d", "e f g h i j", "k l"]
    out = list(tr.translate_iterable(texts, batch_tokens=16))
    assert [h.text for h in out[:1] + out[2:]] == ["A B C", "D", "E F G H I J", "K L"]
    assert out[1].text == long.upper() and out[1].pieces > 1
    assert all(tr.count_tokens(t) <= tr.max_input_tokens - 2 for b in tr.batches for t in b)
    # padded batch size stays within the budget unless one input alone is larger
    for b in tr.batches:
        assert len(b) == 1 or max(map(tr.count_tokens, b)) * len(b) <= 16
    # sorted by length: batch lengths never decrease
    lengths = [tr.count_tokens(t) for b in tr.batches for t in b]
    assert lengths == sorted(lengths)


def test_output_limit_scales_with_input_and_is_capped():
    tr = _Echo()
    tr.max_output_tokens = 100
    assert tr.output_limit(5) < tr.output_limit(20) < tr.output_limit(40) == 90
    assert tr.output_limit(400) == 100


def test_english_text_joins_pieces_and_paragraphs():
    art = make_article(3, ["عنوان", "جملة أولى طويلة جدا هنا", "جملة"], headings=(1,), parts={2: 2})
    assert [s.id for s in art.sentences] == ["3.1", "3.2.1", "3.2.2", "3.3"]
    tr = {s.id: Translation(s.id, s.text, f"<{s.id}>") for s in art.sentences}
    assert english_text(art, tr) == "<3.1>\n\n<3.2.1> <3.2.2>\n\n<3.3>\n"


def test_coverage_check_raises_on_missing_or_extra():
    art = make_article(1, ["أ", "ب"])
    units = [(art, s) for s in art.sentences]
    ok = {s.id: Translation(s.id, s.text, "x") for s in art.sentences}
    coverage(units, ok)
    with pytest.raises(IntegrityError, match="no translation for 1.2"):
        coverage(units, {"1.1": ok["1.1"]})
    with pytest.raises(IntegrityError, match="unexpected IDs 9.9"):
        coverage(units, {**ok, "9.9": ok["1.1"]})


def test_duplicate_sentence_ids_are_an_integrity_error():
    from toolkit.translate import translate_articles

    a = make_article(1, ["أ", "ب"])
    with pytest.raises(IntegrityError, match="1.1 occurs twice"):
        translate_articles([a, a], model="best")


@pytest.mark.parametrize("name, ok", [("Helsinki-NLP/opus-mt-ar-en", True), ("owner/name.v2", True),
                                      ("opus-mt-ar-en", False), ("owner/name/extra", False), ("/abs/path", False),
                                      ("owner/", False), ("-owner/name", False)])
def test_one_hub_id_rule_for_translation_models_and_the_embedder(name, ok, tmp_path, monkeypatch):
    from toolkit.embed import Embedder
    from toolkit.hub import is_hub_id

    assert is_hub_id(name) is ok
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # A well-formed id is looked up (and is not cached here); anything else
    # is refused as a name before the hub is considered.
    expected = ModelUnavailable if ok else (ModelUnavailable, InputError)
    for load in (lambda: resolve(name), lambda: Embedder(name)):
        with pytest.raises(expected) as exc:
            load()
        if not ok and not name.startswith("/"):
            assert isinstance(exc.value, InputError)


def test_safe_name_is_one_function():
    from toolkit import ct2convert, hub
    from toolkit.translate import models

    assert ct2convert.safe_name is hub.safe_name is models.safe_name

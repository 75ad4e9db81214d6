"""Work a big brief did again and again, now done once: the per-text
readers called on the same sentences for every pair are memoised (they
answer as before, and every caller still gets a container of its own), and
the character counts of reading a file judge each distinct character once
(the same counts as judging every character)."""
from __future__ import annotations

import unicodedata

from toolkit.ingest import boilerplate, script_shares
from toolkit.ingest.language import ARABIC_CHAR, _LATIN_SCRIPT
from toolkit.text import arabic, mojibake, numbers
from toolkit.text.boundaries import _Quotes
from toolkit.verify import claims

SENTENCE = "At least 11 workers, twenty-five in all, didn't return to the BP rig in May; 1,200 left."


def test_tokens_and_numbers_are_fresh_lists_with_the_same_contents():
    first = numbers.tokens(SENTENCE)
    first.append(("word", "extra"))
    again = numbers.tokens(SENTENCE)
    assert again == list(numbers._tokens.__wrapped__(SENTENCE)) and ("word", "extra") not in again
    values = numbers.numbers_in(SENTENCE)
    values.clear()
    assert numbers.numbers_in(SENTENCE) == ["11", "25", "1200"]
    spans = numbers.number_spans(again)
    assert spans == list(numbers._number_spans.__wrapped__(tuple(again), False))
    # Tokens given as lists cannot key the memo and are read all the same.
    assert numbers.number_spans([list(t) for t in again]) == spans


def test_claim_words_are_read_as_before():
    words = claims.content_words(SENTENCE)
    words.add("extra")
    assert claims.content_words(SENTENCE) == {k for k in map(claims.content_key, claims._words(SENTENCE)) if k}
    assert "extra" not in claims.content_words(SENTENCE)
    # Only whether a word is its sentence's first tells a name apart.
    assert claims.name_key("May", 0) is None and claims.name_key("May", 7) == claims.name_key("May", 1) == "may"
    assert claims.name_key("Workers", 0) == claims.name_key("Workers", 3) == claims._name_key.__wrapped__("Workers", 1)
    assert claims.stem_word("stopped") == claims.stem_word.__wrapped__("stopped") == "stop"


TEXTS = ["Plain ASCII, 12 words: \"quoted\" and (bracketed).", "Curly “quotes” — and café, naïve, Æsir.",
         "قال الرئيس إن ٣ آلاف شخص غادروا المدينة.", "Mixed العربية and English ½ ² ① ﻻ ـــ", "", "  \t\n "]


def test_character_counts_are_the_counts_of_every_character():
    for text in TEXTS:
        letters = [c for c in text if c.isalpha()]
        arabic_letters = sum(1 for c in letters if ARABIC_CHAR.match(c))
        latin = sum(1 for c in letters if not ARABIC_CHAR.match(c) and _LATIN_SCRIPT.match(c))
        n = len(letters)
        assert script_shares(text) == ((n, arabic_letters / n, latin / n) if n else (0, 0.0, 0.0))
        assert mojibake._letters(text) == n


def test_ascii_needs_no_arabic_normalisation():
    for text in TEXTS[:1] + ["  two  spaces\tand a tab  ", "digits 0123456789"]:
        slow = arabic._SPACES.sub(" ", arabic.to_ascii_digits(arabic._DIACRITICS.sub(
            "", unicodedata.normalize("NFKC", text).replace(arabic.TATWEEL, "")).translate(arabic._LETTERS))).strip()
        assert arabic.normalize_arabic(text) == slow


def test_quote_positions_and_line_reasons_are_found_as_before():
    for text in TEXTS:
        assert _Quotes(text).at == {kinds: [k for k, c in enumerate(text) if c in kinds] for kinds in ('"', "“”")}
    line = "Read also: http://example.com/story"
    assert boilerplate._line_reason(line, False) == boilerplate._line_reason.__wrapped__(line, False) == "read-also"


def test_held_pairs_read_the_same_sorted_or_not_and_row_by_row():
    import numpy as np

    from toolkit.brief.pairs import PairMatrix

    rows, cols = [0, 0, 1, 2, 2, 2], [1, 3, 0, 0, 2, 2]  # in order, with one pair twice
    shuffled = PairMatrix.from_pairs((3, 4), rows[::-1], cols[::-1])
    ordered = PairMatrix.from_pairs((3, 4), rows, cols)
    assert np.array_equal(ordered.rows, shuffled.rows) and np.array_equal(ordered.cols, shuffled.cols)
    for m in (ordered, shuffled):
        for i in range(3):
            assert np.array_equal(m.row_nonzero(i), m[i].nonzero()[0])


def test_lead_agreement_lists_the_other_leads_once_per_article():
    import numpy as np

    from summarize_fixtures import make_articles
    from toolkit.brief import brief_units
    from toolkit.brief.order import lead_agreement

    units, _ = brief_units(*make_articles())
    raw = np.random.default_rng(4).standard_normal((len(units), 5))
    leads = [0, 3, 6, 8]
    sims = raw @ raw[leads].T
    lead_articles = [units[i].article for i in leads]
    want = [float(sims[k, [c for c, a in enumerate(lead_articles) if a != u.article]].mean())
            for k, u in enumerate(units)]
    assert lead_agreement(units, raw, leads) == want


def test_shared_counts_pair_by_pair_and_in_the_product_are_the_intersections(monkeypatch):
    import random

    import numpy as np

    from toolkit.brief import pairs

    rng = random.Random(5)
    sets = [{rng.randint(0, 60) for _ in range(rng.randint(0, 40))} for _ in range(25)] + [set(), {999}]
    # A set shares with itself only the members another set holds too.
    want = np.array([[len(a & b) if i != j else sum(1 for w in a if any(w in c for c in sets if c is not a))
                      for j, b in enumerate(sets)] for i, a in enumerate(sets)], dtype=np.float64)
    for few, block in [(32, 1 << 20), (0, 1 << 20), (1000, 1), (4, 7)]:
        monkeypatch.setattr(pairs, "FEW_HOLDERS", few)
        monkeypatch.setattr(pairs, "PAIR_BLOCK", block)
        got = pairs.shared_counts(sets)
        assert got.dtype == np.float64 and np.array_equal(got, want)
        # A member listed twice in one collection is held once by it.
        others = ~np.eye(len(sets), dtype=bool)
        assert np.array_equal(pairs.shared_counts([list(s) * 2 for s in sets])[others], want[others])
    assert pairs.shared_counts([]).shape == (0, 0)


def test_a_memoised_reader_reads_each_argument_once_and_forgets_all_when_full():
    from toolkit.text.memo import memoised

    calls: list[str] = []

    @memoised(2)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert [upper("a"), upper("a"), upper("b"), upper("a")] == ["A", "A", "B", "A"] and calls == ["a", "b"]
    assert upper("c") == "C" and upper("a") == "A" and calls == ["a", "b", "c", "a"]  # full: forgot a and b
    assert upper(text="a") == "A" and calls[-1] == "a"  # keyword arguments are not kept
    assert upper.__wrapped__("d") == "D"


def test_detokenizing_skips_only_rules_that_cannot_match():
    from toolkit.text import ptb

    lines = ["He said : `` We do n't know . '' -LRB- AP -RRB-", "The parents ' cars cost $ 5 and 45,000-50 ,000 .",
             "Plain text with no marks at all", "It 's { odd } [ yes ] ( no ) ... # 3 ; ok ! ? 10 %", ""]
    for line in lines:
        slow = ptb._ESCAPE.sub(lambda m: ptb._ESCAPES.get(m.group(0), m.group(0)), line)
        for pattern, replacement, _ in ptb._RULES:
            slow = pattern.sub(replacement, slow)
        assert ptb.detokenize_line(line) == slow.strip()


def test_the_written_language_counts_each_languages_function_words():
    from toolkit.ingest import language

    for text in ["Le chat est dans la maison et il dort", "The cat is in the house and it sleeps",
                 "Der Hund ist nicht in dem Haus", "في البيت قال إن هذا", "است را از با این که"]:
        for script in ("en", "ar"):
            words = language._WORD.findall(text.lower().translate(language._FOLD))
            counts = {lang: sum(w in language._SETS[lang] for w in words) for lang in language.SCRIPT_LANGUAGES[script]}
            best = max(counts, key=lambda lang: (counts[lang], lang == script))
            assert language.written_language(text, script) == (best if counts[best] > counts[script] else script)

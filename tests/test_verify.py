"""The citation checker with the real all-MiniLM-L6-v2: supported
paraphrases, and each way a brief sentence can fail (no citation, unknown
ID, unrelated claim, unrelated extra citation, missing number, changed
facts), plus the inline citation parser. The word checks (numbers in any
form, names, reversing and event words, added content words) are also
driven directly through `word_check`, which needs no model."""
from __future__ import annotations

import pytest

from summarize_fixtures import make_articles, real_embedding_hub, snapshot_dir
from toolkit.embed import Embedder
from toolkit.text.numbers import numbers_in
from toolkit.verify import (EVENT_CHANGED, HEDGE_CHANGED, LOW_SIMILARITY, MAX_NEW_WORDS, NAMES_MISSING, NO_CITATION,
                            NUMBERS_MISSING, REVERSAL, UNKNOWN_ID, UNRELATED_CITATION, WORDS_MISSING, CheckedSentence,
                            content_words, format_citations, names, new_words, parse_citations,
                            verify_sentences, word_check)


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    return Embedder(str(snapshot_dir()), cache_dir=tmp_path_factory.mktemp("emb"))


@pytest.fixture(scope="module")
def english():
    return make_articles()[1]


@pytest.mark.parametrize("text, clean, ids", [
    ("The council approved the budget [1.1].", "The council approved the budget.", ("1.1",)),
    ("The council approved the budget [1.1, 2.1,3.1].", "The council approved the budget.", ("1.1", "2.1", "3.1")),
    ("Approved [1.1] and praised [2.3; 1.1].", "Approved and praised.", ("1.1", "2.3")),
    ("A piece [4.2.1].", "A piece.", ("4.2.1",)),
    ("Ad marker [[ad:x]] stays [see below].", "Ad marker [[ad:x]] stays [see below].", ()),
    ("No citation at all.", "No citation at all.", ()),
])
def test_parse_citations(text, clean, ids):
    assert parse_citations(text) == (clean, ids)
    if ids:
        assert parse_citations(f"x {format_citations(ids)}")[1] == ids


def test_supported_sentences_carry_measured_citations(embedder, english):
    real_embedding_hub("tests/test_tiny_models.py::test_checker_measures_citations_on_the_tiny_embedder")
    out = verify_sentences([
        ("The city council approved the new budget on Monday.", ["1.1", "2.1", "3.1"]),
        ("On Monday the council approved the budget, which funds two new schools, the mayor said.", ["2.1", "1.2"]),
    ], english, embedder=embedder)
    assert [s.supported for s in out] == [True, True]
    first = out[0]
    assert isinstance(first, CheckedSentence) and first.reason == ""
    assert first.ids == ("1.1", "2.1", "3.1") and first.sources == 3
    assert first.citations[0].similarity == pytest.approx(1.0, abs=1e-3)
    assert all(0.6 < c.similarity <= 1.0 for c in first.citations)
    assert out[1].sources == 2 and out[1].support >= 0.6


@pytest.mark.parametrize("text, ids, reason", [
    ("The city council approved the new budget on Monday.", [], NO_CITATION),
    ("The city council approved the new budget on Monday.", ["1.1", "9.9"], UNKNOWN_ID),
    ("Oil prices rose sharply in London after the central bank raised rates.", ["1.1"], LOW_SIMILARITY),
    ("The city council approved the new budget on Monday.", ["1.1", "4.2"], UNRELATED_CITATION),
    ("The city council approved the new budget on Monday by 31 votes.", ["1.1"], NUMBERS_MISSING),
    ("The city council approved the new budget on Monday by thirty votes.", ["1.1"], NUMBERS_MISSING),
    ("The city council approved the new budget on Friday.", ["1.1"], NAMES_MISSING),
    ("The city council did not approve the new budget on Monday.", ["1.1"], REVERSAL),
    ("The city council rejected the new budget on Monday.", ["1.1"], REVERSAL),
    ("The city council approved the new budget despite stormy protests and angry shouting.", ["1.1"],
     WORDS_MISSING),
])
def test_failures_are_unsupported_with_reason(embedder, english, text, ids, reason):
    if reason in (UNRELATED_CITATION, WORDS_MISSING):  # similarities only the real model measures
        real_embedding_hub("tests/test_tiny_models.py::test_checker_measures_citations_on_the_tiny_embedder")
    (out,) = verify_sentences([(text, ids)], english, embedder=embedder)
    assert out.supported is False
    assert out.reason == reason and out.detail
    assert out.ids == tuple(ids)
    assert out.to_dict()["reason"] == reason


def test_order_articles_of_and_threshold(embedder, english):
    cands = [("Bus fares in the city will rise by ten percent next year.", ["3.2"]),
             ("The mayor said the budget includes funding for two new schools.", ["1.2", "2.2"])]
    out = verify_sentences(cands, english, embedder=embedder, articles_of={"3.2": 7, "1.2": 7, "2.2": 8})
    assert [s.text for s in out] == [c[0] for c in cands]
    assert [s.supported for s in out] == [True, True]
    assert [c.article for c in out[1].citations] == [7, 8] and out[1].sources == 2
    strict = verify_sentences(cands, english, embedder=embedder, threshold=1.01)
    assert [s.supported for s in strict] == [False, False]
    assert {s.reason for s in strict} == {LOW_SIMILARITY}


@pytest.mark.parametrize("text, nums", [
    ("Twelve soldiers and 15 medics", {"12", "15"}),
    ("It cost 1,200 dollars over two days", {"1200", "2"}),
    ("No numbers here", set()),
    ("1.2 million fled", {"1200000"}),
    ("1,200,000 fled", {"1200000"}),
    ("one point two", {"1", "2"}),
    ("one thousand two hundred people", {"1200"}),
    ("two hundred and fifty people", {"250"}),
    ("twenty-five people", {"25"}),
    ("a dozen soldiers", {"12"}),
    ("two dozen soldiers", {"24"}),
    ("a hundred homes and a thousand cars", {"100", "1000"}),
    ("$5 billion", {"5000000000"}),
    ("$5bn and 3.5 mln", {"5000000000", "3500000"}),
    ("a 50km convoy at 5pm", {"50", "5"}),
    ("the 24th summit", {"24"}),
    ("the twenty-fourth summit", {"24"}),
    ("the first visit", {"1"}),
    ("prices rose 10%", {"10"}),
    ("thousands fled and dozens died", {"thousands", "dozens"}),
    ("visited twice", {"2"}),
    ("seven eight", {"7", "8"}),  # two numbers, not fifteen
    ("between five and ten", {"5", "10"}),
    ("12,15 and 3.0", {"12", "15", "3"}),
])
def test_numbers_in_digits_and_words(text, nums):
    assert set(numbers_in(text)) == nums


@pytest.mark.parametrize("text, found", [
    ("Army spokesman Karim Haddad said twelve soldiers were wounded.", {"army", "karim", "haddad"}),
    ("The army said twelve soldiers were wounded.", set()),
    ("Iranian drones hit the base.", {"iranian"}),
    ("Twelve soldiers were wounded, officials said on Friday.", {"friday"}),
    ("US and UN officials met in Kim Jong-un's office.", {"us", "un", "kim", "jong"}),
    ("The talks may resume in May.", {"may"}),
    ("He said: \"The talks resumed.\"", set()),
])
def test_names(text, found):
    assert names(text) == found


@pytest.mark.parametrize("word, same", [
    ("hoped", "hopes"), ("hoping", "hope"), ("stopped", "stops"), ("countries", "country"), ("meetings", "met"),
    ("injured", "wounded"), ("killed", "died"), ("deal", "agreement"), ("negotiations", "talks"),
])
def test_content_word_forms_meet(word, same):
    assert content_words(word) == content_words(same) != set()


@pytest.mark.parametrize("text", ["said according told reportedly about also the took place", "twelve 12 dozen"])
def test_words_that_carry_no_checked_content(text):
    assert content_words(text) == set()


CLASH = "Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash."
BUDGET = "The city council approved a budget of 1.2 million dollars on Monday, up 10% on last year."

# (claim, evidence, reason in strict mode, reason with strict=False); "" = supported.
WORD_CASES = [
    # The two reported gaps and their near variants.
    ("Army spokesman Karim Haddad said thirty soldiers were killed in the border clash.", CLASH,
     NUMBERS_MISSING, NUMBERS_MISSING),
    ("Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash with Iranian drones.",
     CLASH, NAMES_MISSING, NAMES_MISSING),
    ("Army spokesman Karim Haddad said twelve soldiers were killed in the border clash.", CLASH,
     EVENT_CHANGED, EVENT_CHANGED),
    ("Army spokesman Karim Haddad said twelve soldiers died in the border clash.", CLASH,
     EVENT_CHANGED, EVENT_CHANGED),
    ("Army spokesman Karim Haddad said twelve soldiers were captured in the border clash.", CLASH,
     EVENT_CHANGED, EVENT_CHANGED),
    ("Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash with drones.", CLASH,
     WORDS_MISSING, ""),
    ("Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash by iranian drones.", CLASH,
     WORDS_MISSING, ""),
    ("Army spokesman Karim Haddad said twelve civilians were wounded in the border clash.", CLASH,
     WORDS_MISSING, ""),
    ("Army spokesman Karim Haddad said twelve soldiers were seriously wounded in the border clash.", CLASH,
     WORDS_MISSING, ""),
    ("Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash when enemy drones "
     "struck their convoy.", CLASH, WORDS_MISSING, WORDS_MISSING),
    ("Iranian drones wounded twelve soldiers in the border clash, army spokesman Karim Haddad said.", CLASH,
     NAMES_MISSING, NAMES_MISSING),
    ("Army spokesman Karim Nasser said twelve soldiers were wounded in the border clash.", CLASH,
     NAMES_MISSING, NAMES_MISSING),
    ("Army spokesman Karim Haddad said twelve soldiers were not wounded in the border clash.", CLASH,
     REVERSAL, REVERSAL),
    ("Army spokesman Karim Haddad denied that twelve soldiers were wounded in the border clash.", CLASH,
     REVERSAL, REVERSAL),
    ("Army spokesman Karim Haddad said two soldiers were wounded in the border clash.", CLASH,
     NUMBERS_MISSING, NUMBERS_MISSING),
    ("Army spokesman Karim Haddad said dozens of soldiers were wounded in the border clash.", CLASH,
     NUMBERS_MISSING, NUMBERS_MISSING),
    # True paraphrases: numbers in another form, synonyms, reordering, attribution and hedges.
    ("Army spokesman Karim Haddad said 12 soldiers were wounded in the border clash.", CLASH, "", ""),
    ("Army spokesman Karim Haddad said a dozen soldiers were wounded in the border clash.", CLASH, "", ""),
    ("Army spokesman Karim Haddad said twelve soldiers were injured in the border clash.", CLASH, "", ""),
    ("Twelve soldiers were wounded in the border clash, according to army spokesman Karim Haddad.", CLASH, "", ""),
    ("Twelve soldiers were reportedly wounded in the border clash, an army spokesman said.", CLASH, "", ""),
    # "about" before a number the source states exactly is a hedge the source lacks.
    ("Karim Haddad said about twelve soldiers were wounded in the border clash.", CLASH,
     HEDGE_CHANGED, HEDGE_CHANGED),
    ("On Monday the council approved a budget of 1,200,000 dollars.", BUDGET, "", ""),
    ("The council approved a 1.2 million dollar budget, up 10 per cent on last year.", BUDGET, "", ""),
    ("The budget was up 10 percent on last year.", BUDGET, "", ""),
    ("The minister hopes the negotiations will take place in Doha.",
     "The minister said she hoped the talks would be held in Doha.", "", ""),
    ("The twenty-fourth summit will be held in June.", "The 24th summit takes place in June.", "", ""),
    # Numbers, names and event words in other forms that change the fact.
    ("The council approved a budget of 1.2 billion dollars.", BUDGET, NUMBERS_MISSING, NUMBERS_MISSING),
    ("The council approved a budget of 120,000 dollars.", BUDGET, NUMBERS_MISSING, NUMBERS_MISSING),
    ("The council approved a budget of 1.2 million dollars on Friday.", BUDGET, NAMES_MISSING, NAMES_MISSING),
    ("The budget fell 10% on last year.", BUDGET, EVENT_CHANGED, EVENT_CHANGED),
    ("The US imposed new sanctions.", "The UK imposed new sanctions.", NAMES_MISSING, NAMES_MISSING),
    ("Thousands fled the city.", "Hundreds fled the city.", NUMBERS_MISSING, NUMBERS_MISSING),
]


@pytest.mark.parametrize("claim, evidence, strict_reason, lenient_reason", WORD_CASES)
def test_word_checks(claim, evidence, strict_reason, lenient_reason):
    assert word_check(claim, evidence) == word_check(claim, evidence, strict=True)
    for strict, want in ((True, strict_reason), (False, lenient_reason)):
        reason, detail = word_check(claim, evidence, strict=strict)
        assert reason == want, (strict, detail)
        assert bool(detail) == bool(want)


def test_details_name_what_is_missing():
    assert word_check("Thirty soldiers were killed in the clash.", CLASH)[1] == \
        "number(s) 30 not in the cited sentences"
    reason, detail = word_check("Army spokesman Karim Haddad said twelve soldiers were killed in the border clash.",
                                CLASH)
    assert reason == EVENT_CHANGED and "'killed' (death)" in detail and "wounded" in detail
    assert word_check("Twelve soldiers were wounded in the border clash with drones.", CLASH)[1] == \
        "word(s) drones not in the cited sentences"
    assert new_words("Twelve civilians and soldiers were hurt by drones, officials said.", CLASH) == \
        ["civilians", "drones", "officials"]


def test_lenient_mode_limits_new_words():
    base = "Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash"
    extra = ["drones", "artillery", "militia", "convoy"]
    for n in range(len(extra) + 1):
        claim = base + (" with " + " and ".join(extra[:n]) if n else "") + "."
        assert len(new_words(claim, CLASH)) == n
        assert (word_check(claim, CLASH, strict=False)[0] == "") is (n <= MAX_NEW_WORDS)
        assert (word_check(claim, CLASH)[0] == "") is (n == 0)


def test_dropped_negation_of_the_closest_sentence():
    refused = "The council did not approve the budget on Monday."
    other = "The council met on Monday."
    claim = "The council approved the budget on Monday."
    assert word_check(claim, refused + " " + other, closest=refused)[0] == REVERSAL
    # A negation elsewhere in the evidence is not the claim's to carry.
    assert word_check(other, refused + " " + other, closest=other) == ("", "")
    assert word_check("The council did not approve the budget.", refused, closest=refused) == ("", "")


# The same reported cases through the whole checker with the real embedder:
# each reaches the similarity threshold, so only the word checks stop it.
@pytest.mark.parametrize("claim, reason", [
    ("Army spokesman Karim Haddad said thirty soldiers were killed in the border clash.", NUMBERS_MISSING),
    ("Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash with Iranian drones.",
     NAMES_MISSING),
    ("Army spokesman Karim Haddad said twelve soldiers were killed in the border clash.", EVENT_CHANGED),
    ("Army spokesman Karim Haddad said twelve soldiers were wounded in the border clash with drones.",
     WORDS_MISSING),
    ("Army spokesman Karim Haddad said twelve civilians were wounded in the border clash.", WORDS_MISSING),
    ("Army spokesman Karim Haddad said 12 soldiers were wounded in the border clash.", ""),
    ("Twelve soldiers were injured in the border clash, according to army spokesman Karim Haddad.", ""),
])
def test_reported_cases_end_to_end(embedder, claim, reason):
    (out,) = verify_sentences([(claim, ["7.3"])], {"7.3": CLASH}, embedder=embedder)
    assert out.support >= 0.6
    assert (out.supported, out.reason) == (reason == "", reason)
    (lenient,) = verify_sentences([(claim, ["7.3"])], {"7.3": CLASH}, embedder=embedder, strict=False)
    assert lenient.support == out.support
    assert lenient.supported is (reason in ("", WORDS_MISSING))


def test_empty_input_needs_no_model(english):
    assert verify_sentences([], english, embedder=object()) == []
    (out,) = verify_sentences([("x y z", ["5.5"])], english, embedder=object())
    assert out.reason == UNKNOWN_ID

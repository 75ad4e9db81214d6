"""The citation checker's edit checks: what a careless editor misses when
every word of a sentence is in its sources. Roles swapped between subject
and object, numbers moved between nouns, hedges and quantifiers added or
dropped, attribution dropped, and a claim stitched from cited sentences
that say different things. Each table holds sentences that must fail with
the check's reason and rewordings that must pass, driven through
`word_check` (no model needed) in strict and lenient mode; a few go
through the whole checker with the real embedder."""
from __future__ import annotations

import pytest

from summarize_fixtures import real_embedding_hub, snapshot_dir
from toolkit.embed import Embedder
from toolkit.verify import (ATTRIBUTION_DROPPED, HEDGE_CHANGED, NUMBER_MOVED, ROLES_SWAPPED, STITCHED,
                            content_words, coverage, verify_sentences, word_check)


def check(text, cited, *, strict=True, similar=None):
    # As the checker does, the closest cited sentence carries the negations
    # (here by shared words instead of embeddings).
    closest = max(cited, key=lambda c: (coverage(text, c), coverage(c, text)))
    return word_check(text, " ".join(cited), closest=closest, strict=strict, cited=cited, similar=similar)


CASUALTIES = "Twelve people were killed and 30 were wounded in the attack on the market."
STORM = "The storm destroyed 40 homes and damaged 300 schools."
ARRESTS = "Police arrested 8 men and 5 women after the protest."

NUMBER_CASES = [
    # must fail: the numbers trade nouns or events
    ("Thirty people were killed and 12 were wounded in the attack on the market.", [CASUALTIES], NUMBER_MOVED),
    ("The storm destroyed 300 homes and damaged 40 schools.", [STORM], NUMBER_MOVED),
    ("Police arrested 5 men and 8 women after the protest.", [ARRESTS], NUMBER_MOVED),
    ("Twelve people were killed and 12 were wounded in the attack on the market.", [CASUALTIES], NUMBER_MOVED),
    # must pass: the same pairs in another order or wording
    ("Thirty people were wounded and twelve were killed in the attack on the market.", [CASUALTIES], ""),
    ("The attack on the market killed 12 people and wounded 30.", [CASUALTIES], ""),
    ("The storm damaged 300 schools and destroyed 40 homes.", [STORM], ""),
    ("After the protest, police arrested five women and eight men.", [ARRESTS], ""),
]

FLOODS = "Nearly 300 people were killed in the floods."
TREATY = "The two sides could sign the treaty next month."
RESIGN = "The minister will resign next week."

HEDGE_CASES = [
    # must fail: a hedge or quantifier dropped or added
    ("300 people were killed in the floods.", [FLOODS], HEDGE_CHANGED),
    ("More than 300 people were killed in the floods.", ["300 people were killed in the floods."], HEDGE_CHANGED),
    ("About 300 people were killed in the floods.", [FLOODS], HEDGE_CHANGED),
    ("The two sides signed the treaty next month.", [TREATY], HEDGE_CHANGED),
    ("The minister may resign next week.", [RESIGN], HEDGE_CHANGED),
    ("The minister will reportedly resign next week.", [RESIGN], HEDGE_CHANGED),
    # must pass: the same hedge in other words, or a cited sentence stating it flatly
    ("Almost 300 people were killed in the floods.", [FLOODS], ""),
    ("Over 300 people died in the floods.", ["More than 300 people were killed in the floods."], ""),
    ("The two sides might sign the treaty next month.", [TREATY], ""),
    ("300 people were killed in the floods.", [FLOODS, "300 people were killed in the floods, officials said."],
     ""),
    ("The minister will reportedly resign next week.", ["The minister will resign next week, aides said."], ""),
    # a hedge on a part the sentence leaves out is not dropped
    ("The two sides signed the treaty.", ["The two sides signed the treaty, which could reshape trade."], ""),
]

FINAL = "Argentina defeated Brazil in the final."
ACCUSED = "Ukraine accused Russia of shelling the plant."

ROLE_CASES = [
    # must fail: who did what to whom is reversed
    ("Brazil defeated Argentina in the final.", [FINAL], ROLES_SWAPPED),
    ("Argentina was defeated by Brazil in the final.", [FINAL], ROLES_SWAPPED),
    ("Russia accused Ukraine of shelling the plant.", [ACCUSED], ROLES_SWAPPED),
    ("Brazil defeated Argentina in the final.", ["Brazil was defeated by Argentina in the final."], ROLES_SWAPPED),
    # must pass: the passive, another clause order, a symmetric verb
    ("Brazil was defeated by Argentina in the final.", [FINAL], ""),
    ("Argentina defeated Brazil in the final.", ["Brazil was defeated by Argentina in the final."], ""),
    ("In the final, Argentina defeated Brazil.", [FINAL], ""),
    ("Russia was accused by Ukraine of shelling the plant.", [ACCUSED], ""),
    ("Scholz met Macron in Berlin.", ["Macron met Scholz in Berlin."], ""),
]

DAM = "The governor said the dam was sabotaged."

ATTRIBUTION_CASES = [
    # must fail: a reported claim becomes the brief's own voice
    ("The dam was sabotaged.", [DAM], ATTRIBUTION_DROPPED),
    ("The company hid the losses from investors.",
     ["According to the regulator, the company hid the losses from investors."], ATTRIBUTION_DROPPED),
    ("The ceasefire was violated overnight.", ["The ceasefire was violated overnight, the rebels said."],
     ATTRIBUTION_DROPPED),
    ("Russia supplied the rebels with weapons.", ["Western governments accuse Russia of supplying the rebels "
                                                  "with weapons."], ATTRIBUTION_DROPPED),
    # must pass: the speaker or a reporting word kept, or a plain statement cited
    ("The dam was sabotaged, according to the governor.", [DAM], ""),
    ("The dam was sabotaged, the governor said.", [DAM], ""),
    ("The dam was reportedly sabotaged.", [DAM], ""),
    ("The dam burst on Tuesday.", ["The governor said the dam burst on Tuesday.",
                                   "The dam burst on Tuesday, flooding two villages."], ""),
    # reporting words outside the reported part do not count
    ("The dam burst on Tuesday.", ["The dam burst on Tuesday, and the governor said repairs would take months."],
     ""),
]

SEIZED = "Rebels seized the airport on Tuesday."
TALKS = "Talks between the army and the unions collapsed last week."
KILLED = "Twelve soldiers were killed in Gaza on Monday."
MARKET = "An explosion damaged a market in Rafah."

STITCH_CASES = [
    # must fail: no cited sentence carries most of it, the pieces are unrelated
    ("Rebels seized the airport after talks with the army collapsed.", [SEIZED, TALKS], STITCHED),
    ("Twelve soldiers were killed in an explosion at a market in Rafah.", [KILLED, MARKET], STITCHED),
    ("The minister resigned after the bridge collapsed.", ["The minister resigned on Friday.",
                                                           "A bridge collapsed in the north last month."], STITCHED),
    # must pass: two statements joined, each carried by one cited sentence
    ("Rebels seized the airport on Tuesday, and talks between the army and the unions collapsed.",
     [SEIZED, TALKS], ""),
    ("Twelve soldiers were killed in Gaza on Monday, while an explosion damaged a market in Rafah.",
     [KILLED, MARKET], ""),
    # one cited sentence carries the core, another adds a detail
    ("Twelve soldiers were killed in Gaza on Monday in an explosion.", [KILLED, MARKET], ""),
]


@pytest.mark.parametrize("text, cited, reason", NUMBER_CASES + HEDGE_CASES + ROLE_CASES + ATTRIBUTION_CASES
                         + STITCH_CASES)
def test_edit_checks(text, cited, reason):
    for strict in (True, False):
        got, detail = check(text, cited, strict=strict)
        assert got == reason, (strict, detail)
        assert bool(detail) == bool(reason)


def test_pieces_of_one_statement_are_not_stitched():
    # The stitched example above passes when the cited sentences are two
    # wordings of one statement: only the similarity between them differs.
    text, cited = STITCH_CASES[1][:2]
    assert check(text, cited, similar=lambda i, j: 0.2)[0] == STITCHED
    assert check(text, cited, similar=lambda i, j: 0.9) == ("", "")


def test_details_say_what_changed():
    assert check("300 people were killed in the floods.", [FLOODS])[1] == \
        "states 300 flatly; the cited sentences say 'nearly' 300"
    assert check("Brazil defeated Argentina in the final.", [FINAL])[1] == \
        "'brazil' and 'argentina' trade places around 'defeated' compared with the cited sentences"
    assert "governor" in check("The dam was sabotaged.", [DAM])[1]
    assert "30" in check("Thirty people were killed and 12 were wounded in the attack on the market.",
                         [CASUALTIES])[1]


EVERY_SOURCE = sorted({c for _, cited, _ in NUMBER_CASES + HEDGE_CASES + ROLE_CASES + ATTRIBUTION_CASES
                       + STITCH_CASES for c in cited})


@pytest.mark.parametrize("sentence", EVERY_SOURCE)
def test_a_source_sentence_checked_against_itself_always_passes(sentence):
    # The extractive brief shows a source sentence verbatim and cites it
    # with other sources' sentences: no edit check may reject it.
    others = [s for s in EVERY_SOURCE if s != sentence][:3]
    for strict in (True, False):
        assert check(sentence, [sentence], strict=strict) == ("", "")
        for other in others:
            assert check(sentence, [sentence, other], strict=strict) == ("", ""), other
            assert check(sentence, [other, sentence], strict=strict) == ("", ""), other


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    return Embedder(str(snapshot_dir()), cache_dir=tmp_path_factory.mktemp("emb"))


# Each is close enough to its evidence for the embedding (support above the
# threshold), so only the edit checks can stop it.
@pytest.mark.parametrize("text, cited, reason", [
    ("Brazil defeated Argentina in the final.", [FINAL], ROLES_SWAPPED),
    ("Thirty people were killed and 12 were wounded in the attack on the market.", [CASUALTIES], NUMBER_MOVED),
    ("300 people were killed in the floods.", [FLOODS], HEDGE_CHANGED),
    ("The dam was sabotaged.", [DAM], ATTRIBUTION_DROPPED),
    ("Brazil was defeated by Argentina in the final.", [FINAL], ""),
    ("Thirty people were wounded and twelve were killed in the attack on the market.", [CASUALTIES], ""),
])
def test_edit_checks_end_to_end(embedder, text, cited, reason):
    english = {f"1.{k}": s for k, s in enumerate(cited, 1)}
    (out,) = verify_sentences([(text, list(english))], english, embedder=embedder)
    assert out.support >= 0.6
    assert (out.supported, out.reason) == (reason == "", reason)


def test_stitched_end_to_end(embedder):
    real_embedding_hub("tests/test_tiny_models.py::test_checker_measures_citations_on_the_tiny_embedder")
    english = {"1.1": KILLED, "2.1": MARKET}
    text = "Twelve soldiers were killed in an explosion at a market in Rafah."
    (out,) = verify_sentences([(text, ["1.1", "2.1"])], english, embedder=embedder)
    assert out.reason == STITCHED and not out.supported
    # Two sources wording one fact: the verbatim sentence with both cited passes.
    english["2.1"] = "Twelve soldiers died in Gaza on Monday, the army said."
    (out,) = verify_sentences([(KILLED, ["1.1", "2.1"])], english, embedder=embedder)
    assert out.supported, out.detail


def _ref_sentences():
    from pathlib import Path
    return [line.strip() for p in sorted((Path(__file__).resolve().parent.parent / "refs").glob("*.en.txt"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.slow
def test_every_reference_sentence_confirms_itself():
    # The seed story's English, as the extractive brief shows it: each
    # sentence cited alone, and with the sentence sharing most content
    # words from the rest of the story (as another source's wording), in
    # either order.
    sentences = _ref_sentences()
    assert len(sentences) > 50
    words = [content_words(s) for s in sentences]
    failures = []
    for k, sentence in enumerate(sentences):
        other = max((j for j in range(len(sentences)) if j != k), key=lambda j: len(words[j] & words[k]))
        for cited in ([sentence], [sentence, sentences[other]], [sentences[other], sentence]):
            for strict in (True, False):
                got = check(sentence, cited, strict=strict)
                if got != ("", ""):
                    failures.append((sentence, got))
    assert failures == []

"""The per-text readers a big brief calls again and again on the same
sentences are memoised: they answer as before, and every caller still gets
a container of its own."""
from __future__ import annotations

from toolkit.text import numbers
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

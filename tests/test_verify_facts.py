"""The citation checker's fact checks (`toolkit.verify.facts`), on
readings written out as the fact layer gives them, and through
`verify_sentences` with a `read` that returns them: a count given to
another counted thing, an event denied, a deed the sources only plan.
Each check is also driven with a cited reading that confirms the sentence,
which must pass."""
from __future__ import annotations

import numpy as np
import pytest

from toolkit.facts.model import COUNT, DONE, PLANNED, Quantity, Reading
from toolkit.verify import HEDGE_CHANGED, NUMBER_MOVED, REVERSAL, verify_sentences
from toolkit.verify.facts import count_moved, event_denied, event_planned


def _count(value: str, role: str = "", counts: str = "people", bound: str = "") -> Quantity:
    return Quantity(value, value, COUNT, counts=counts, role=role, event="kill", bound=bound)


SOURCE = Reading("12 were killed and 30 wounded.", event="kill", mode=DONE,
                 quantities=(_count("12", "dead"), _count("30", "injured")))
SWAPPED = Reading("30 were killed and 12 wounded.", event="kill", mode=DONE,
                  quantities=(_count("30", "dead"), _count("12", "injured")))
OTHER_SOURCE = Reading("30 people died.", event="die", mode=DONE, quantities=(_count("30", "dead"),))
SIGNED = Reading("They signed the deal.", event="sign", mode=DONE)
WILL_SIGN = Reading("They will sign the deal.", event="sign", mode=PLANNED)
NOT_SIGNED = Reading("They did not sign the deal.", event="sign", mode=DONE, negated=True)


@pytest.mark.parametrize("claim, cited, caught", [
    (SWAPPED, [SOURCE], True),
    (SOURCE, [SOURCE], False),
    # Another cited sentence gives the dead as 30: confirmed.
    (OTHER_SOURCE, [SOURCE, OTHER_SOURCE], False),
    (OTHER_SOURCE, [SOURCE], True),
    # A count the sources do not give its thing at all is for the word checks.
    (Reading("30 houses burned.", quantities=(_count("30", counts="house"),)), [SOURCE], False),
    # A count only expected, or added to another, gives no value to compare.
    (Reading("Deaths could rise to 40.", quantities=(_count("40", "dead", bound="speculated"),)), [SOURCE], False),
    (Reading("Three more died.", quantities=(_count("3", "dead", bound="increment"),)), [SOURCE], False),
])
def test_count_moved(claim, cited, caught):
    detail = count_moved(claim, cited)
    assert bool(detail) is caught
    if caught:
        assert detail.startswith("30 is given to 'dead'") and detail.endswith("give 12")


@pytest.mark.parametrize("check, claim, cited, caught", [
    (event_denied, SIGNED, [NOT_SIGNED], True),
    (event_denied, NOT_SIGNED, [SIGNED], True),
    (event_denied, SIGNED, [NOT_SIGNED, SIGNED], False),
    (event_denied, SIGNED, [WILL_SIGN], False),
    (event_planned, SIGNED, [WILL_SIGN], True),
    (event_planned, SIGNED, [WILL_SIGN, SIGNED], False),
    (event_planned, WILL_SIGN, [WILL_SIGN], False),
    # A sentence about another event is not compared.
    (event_planned, SIGNED, [Reading("They will meet.", event="meet", mode=PLANNED)], False),
])
def test_event_checks(check, claim, cited, caught):
    assert bool(check(claim, cited)) is caught


class _Same:
    """Every text the same vector: every similarity check passes, so only
    the word and fact checks decide."""

    def encode(self, texts):
        return np.ones((len(texts), 4)) / 2.0


def test_verify_sentences_reads_facts():
    english = {"1.1": "Officials said 12 were killed and 30 wounded.", "2.1": "They will sign the deal."}
    readings = {english["1.1"]: SOURCE, english["2.1"]: WILL_SIGN,
                "Officials said 30 were killed and 12 wounded.": SWAPPED, "They signed the deal.": SIGNED}
    claims = [("Officials said 30 were killed and 12 wounded.", ["1.1"]), ("They signed the deal.", ["2.1"]),
              (english["1.1"], ["1.1"])]
    asked: list[list[str]] = []

    def read(texts):
        asked.append(list(texts))
        return [readings[t] for t in texts]

    plain = verify_sentences(claims, english, embedder=_Same(), strict=False)
    checked = verify_sentences(claims, english, embedder=_Same(), strict=False, read=read)
    assert len(asked) == 1
    assert [c.reason for c in checked] == [NUMBER_MOVED, HEDGE_CHANGED, ""]
    assert [c.supported for c in checked] == [False, False, True]
    # Without `read` the fact checks do not run; what the words decide stays.
    assert plain[2].supported and plain[2].reason == ""
    assert REVERSAL not in {c.reason for c in checked}

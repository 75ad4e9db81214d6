"""The checks the citation checker asks of the fact layer: what a sentence
states, read by the parser (`toolkit.facts.Reading`), against what each
cited sentence states. Word checks see that every number, name and word
is in the evidence; these see whether they are put together as the
evidence puts them:

- a count given to another thing: the sentence gives a counted thing (the
  dead, the injured, "houses") a value, and the cited sentences count that
  thing with other values only ("12 killed and 30 wounded" for "30 killed
  and 12 wounded", however the words around the numbers read);
- an event turned around: the sentence's main event is one a cited
  sentence denies, or one the cited sentences only plan or expect ("signed"
  for "will sign") while none states it done.

A check fails only when no cited sentence confirms the sentence on that
point, so a source sentence cited beside other wordings always passes.
"""
from __future__ import annotations

from typing import Sequence

from .codes import HEDGE_CHANGED, NUMBER_MOVED, OK, REVERSAL
from ..facts.model import COUNT, DONE, MONEY, NO_FIGURE, PLANNED, POSSIBLE, STATE, Quantity, Reading


def _slot(q: Quantity) -> str:
    """What a count counts, as the check compares it: the role of people
    ("dead") where the parser read one, else the counted noun."""
    # A count its verb only allows, one added to an earlier count or another
    # event's says no value of the thing: "could rise to 100" does not
    # contradict "40 dead".
    if q.kind not in (COUNT, MONEY) or q.bound in NO_FIGURE:
        return ""
    return f"role:{q.role}" if q.role else (f"{q.kind}:{q.counts}" if q.counts else "")


def count_moved(claim: Reading, cited: Sequence[Reading]) -> str:
    """The first count of `claim` that the cited readings give its counted
    thing only other values for, as a one-line detail; "" when none."""
    given: dict[str, set[str]] = {}
    for reading in cited:
        for q in reading.quantities:
            if slot := _slot(q):
                given.setdefault(slot, set()).add(q.value)
    for q in claim.quantities:
        slot = _slot(q)
        if slot and slot in given and q.value not in given[slot]:
            what = slot.split(":", 1)[1]
            values = ", ".join(sorted(given[slot], key=lambda v: float(v)))
            return f"{q.shown or q.value} is given to '{what}', which the cited sentences give {values}"
    return ""


def _same_event(claim: Reading, cited: Sequence[Reading]) -> list[Reading]:
    """The cited readings of the claim's main event, or none when some of
    them holds it as the claim does (that one confirms it) or the claim
    asserts nothing (a plan, a possibility, a question)."""
    if not claim.event or claim.mode not in (DONE, STATE):
        return []
    same = [r for r in cited if r.event == claim.event]
    if any(r.negated == claim.negated and r.mode in (DONE, STATE) for r in same):
        return []
    return same


def event_denied(claim: Reading, cited: Sequence[Reading]) -> str:
    """A one-line detail when `claim` asserts an event that a cited
    reading denies, or denies one it asserts, and none confirms; else ""."""
    if any(r.negated != claim.negated for r in _same_event(claim, cited)):
        return f"'{claim.event}' is {'stated' if claim.negated else 'denied'} in the cited sentences"
    return ""


def event_planned(claim: Reading, cited: Sequence[Reading]) -> str:
    """A one-line detail when `claim` tells as done an event that the cited
    readings only plan or expect ("signed" for "will sign"); else ""."""
    same = _same_event(claim, cited)
    if claim.mode == DONE and same and all(r.mode in (PLANNED, POSSIBLE) and r.negated == claim.negated
                                           for r in same):
        return f"'{claim.event}' is only planned or possible in the cited sentences"
    return ""


def fact_check(claim: Reading, cited: Sequence[Reading]) -> tuple[str, str]:
    """The checks of the module docstring in order: ``(reason, detail)`` of
    the first that fails, or ``(OK, "")``."""
    for reason, check in ((NUMBER_MOVED, count_moved), (REVERSAL, event_denied), (HEDGE_CHANGED, event_planned)):
        detail = check(claim, cited)
        if detail:
            return reason, detail
    return OK, ""

"""What each English sentence states, read once: the event (predicate,
negation, whether it happened or is planned, possible or only said), who
took part (people, organisations, places), the quantities with what they
count, when (the event's date, resolved against the article's) and where.
The brief and the citation checker ask these facts whether two sentences
state the same fact, which numbers can be compared and which date an
event has, instead of reading the words themselves.

Modules: `nlp` (the spaCy pipeline), more to come.
"""
from __future__ import annotations

from .nlp import SPACY_MODEL

__all__ = ["SPACY_MODEL"]

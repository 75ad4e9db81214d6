"""Parses written out, so the fact layer's reading of a parse is tested
without a trained pipeline: each sentence as en_core_web_sm 3.8 parses it
(the sentences are the project's own), one token a field group
``text|lemma|POS|dep|head|entity`` (IOB, with the type), ``|nospace`` when no
space follows. The real pipeline, where ../shared has it, is checked to give
the same readings (tests/test_timeline.py)."""
from __future__ import annotations

from typing import Any


def parsed(spec: str) -> Any:
    """The spaCy `Doc` a spec string describes."""
    import spacy
    from spacy.tokens import Doc

    rows = [token.split("|") for token in spec.split(" ")]
    doc = Doc(spacy.blank("en").vocab, words=[r[0] for r in rows], spaces=[len(r) < 7 for r in rows],
              lemmas=[r[1] for r in rows], pos=[r[2] for r in rows], deps=[r[3] for r in rows],
              heads=[int(r[4]) for r in rows], ents=[r[5] for r in rows])
    return doc


PARSES = {
    'At least 12 people were killed and 40 were injured.':
        'At|at|ADV|advmod|1|B-CARDINAL least|least|ADJ|advmod|2|I-CARDINAL 12|12|NUM|nummod|3|I-CARDINAL people|people|NOUN|nsubjpass|5|O were|be|AUX|auxpass|5|O killed|kill|VERB|ROOT|5|O and|and|CCONJ|cc|5|O 40|40|NUM|nsubjpass|9|B-CARDINAL were|be|AUX|auxpass|9|O injured|injure|VERB|conj|5|O|nospace .|.|PUNCT|punct|9|O|nospace',
    'The death toll rose to 310 as more bodies were found.':
        'The|the|DET|det|2|O death|death|NOUN|compound|2|O toll|toll|NOUN|nsubj|3|O rose|rise|VERB|ROOT|3|O to|to|ADP|prep|3|O 310|310|NUM|pobj|4|B-CARDINAL as|as|ADV|advmod|7|O more|more|ADJ|amod|8|O bodies|body|NOUN|nsubjpass|10|O were|be|AUX|auxpass|10|O found|find|VERB|relcl|5|O|nospace .|.|PUNCT|punct|3|O|nospace',
    'The UN reported 222,570 deaths and 869 missing.':
        'The|the|DET|det|1|O UN|UN|PROPN|nsubj|2|B-ORG reported|report|VERB|ROOT|2|O 222,570|222,570|NUM|nummod|4|B-CARDINAL deaths|death|NOUN|dobj|2|O and|and|CCONJ|cc|4|O 869|869|NUM|nummod|7|B-CARDINAL missing|miss|VERB|conj|4|O|nospace .|.|PUNCT|punct|2|O|nospace',
    "Donors pledged $45 million for the 1,204 victims' families.":
        "Donors|donor|NOUN|nsubj|1|O pledged|pledge|VERB|ROOT|1|O $|$|SYM|quantmod|4|B-MONEY|nospace 45|45|NUM|compound|4|I-MONEY million|million|NUM|dobj|1|I-MONEY for|for|ADP|prep|1|O the|the|DET|det|8|O 1,204|1,204|NUM|nummod|8|B-CARDINAL victims|victim|NOUN|poss|10|O|nospace '|'|PART|case|8|O families|family|NOUN|pobj|5|O|nospace .|.|PUNCT|punct|1|O|nospace",
    "Romanians raised 395,000 euro for the tsunami's victims.":
        "Romanians|romanian|NOUN|nsubj|1|B-ORG raised|raise|VERB|ROOT|1|O 395,000|395,000|NUM|nummod|3|B-CARDINAL euro|euro|NOUN|dobj|1|O for|for|ADP|prep|1|O the|the|DET|det|6|O tsunami|tsunami|NOUN|poss|8|O|nospace 's|'s|PART|case|6|O victims|victim|NOUN|pobj|4|O|nospace .|.|PUNCT|punct|1|O|nospace",
    'The 7.0 magnitude quake killed thousands.':
        'The|the|DET|det|3|O 7.0|7.0|NUM|nummod|3|B-CARDINAL magnitude|magnitude|NOUN|compound|3|O quake|quake|NOUN|nsubj|4|O killed|kill|VERB|ROOT|4|O thousands|thousand|NOUN|dobj|4|B-CARDINAL|nospace .|.|PUNCT|punct|4|O|nospace',
    'The quake struck at 8:00 AM local time, 40 km from the city, and displaced 600 residents.':
        'The|the|DET|det|1|O quake|quake|NOUN|nsubj|2|O struck|strike|VERB|ROOT|2|O at|at|ADP|prep|2|O 8:00|8:00|NUM|nummod|5|B-TIME AM|am|NOUN|pobj|3|I-TIME local|local|ADJ|amod|7|O time|time|NOUN|npadvmod|5|O|nospace ,|,|PUNCT|punct|2|O 40|40|NUM|nummod|10|B-QUANTITY km|km|NOUN|npadvmod|11|I-QUANTITY from|from|ADP|prep|2|O the|the|DET|det|13|O city|city|NOUN|pobj|11|O|nospace ,|,|PUNCT|punct|2|O and|and|CCONJ|cc|2|O displaced|displace|VERB|conj|2|O 600|600|NUM|nummod|18|B-CARDINAL residents|resident|NOUN|dobj|16|O|nospace .|.|PUNCT|punct|2|O|nospace',
    'About 5 percent of the 2,000 homes were destroyed on 27 February 2010.':
        'About|about|ADV|advmod|1|B-PERCENT 5|5|NUM|nummod|2|I-PERCENT percent|percent|NOUN|nsubjpass|8|I-PERCENT of|of|ADP|prep|2|O the|the|DET|det|6|O 2,000|2,000|NUM|nummod|6|B-CARDINAL homes|home|NOUN|pobj|3|O were|be|AUX|auxpass|8|O destroyed|destroy|VERB|ROOT|8|O on|on|ADP|prep|8|O 27|27|NUM|nummod|11|B-DATE February|February|PROPN|pobj|9|I-DATE 2010|2010|NUM|nummod|11|I-DATE|nospace .|.|PUNCT|punct|8|O|nospace',
}

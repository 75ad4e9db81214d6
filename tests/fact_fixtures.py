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
    'The 15 sailors who were arrested will be put on trial.':
        'The|the|DET|det|2|O 15|15|NUM|nummod|2|B-CARDINAL sailors|sailor|NOUN|nsubjpass|8|O who|who|PRON|nsubjpass|5|O were|be|AUX|auxpass|5|O arrested|arrest|VERB|relcl|2|O will|will|AUX|aux|8|O be|be|AUX|auxpass|8|O put|put|VERB|ROOT|8|O on|on|ADP|prep|8|O trial|trial|NOUN|pobj|9|O|nospace .|.|PUNCT|punct|8|O|nospace',
    'The death toll could rise to 100,000.':
        'The|the|DET|det|2|O death|death|NOUN|compound|2|O toll|toll|NOUN|nsubj|4|O could|could|AUX|aux|4|O rise|rise|VERB|ROOT|4|O to|to|ADP|prep|4|O 100,000|100,000|NUM|pobj|5|B-CARDINAL|nospace .|.|PUNCT|punct|4|O|nospace',
    'Officials said 12 people may have died.':
        'Officials|official|NOUN|nsubj|1|O said|say|VERB|ROOT|1|O 12|12|NUM|nummod|3|B-CARDINAL people|people|NOUN|nsubj|6|O may|may|AUX|aux|6|O have|have|AUX|aux|6|O died|die|VERB|ccomp|1|O|nospace .|.|PUNCT|punct|1|O|nospace',
    'The new cases include 13 children at the school.':
        'The|the|DET|det|2|O new|new|ADJ|amod|2|O cases|case|NOUN|nsubj|3|O include|include|VERB|ROOT|3|O 13|13|NUM|nummod|5|B-CARDINAL children|child|NOUN|dobj|3|O at|at|ADP|prep|5|O the|the|DET|det|8|O school|school|NOUN|pobj|6|O|nospace .|.|PUNCT|punct|3|O|nospace',
    'The new budget of 15 million dollars was approved.':
        'The|the|DET|det|2|O new|new|ADJ|amod|2|O budget|budget|NOUN|nsubjpass|8|O of|of|ADP|prep|2|O 15|15|NUM|compound|5|B-MONEY million|million|NUM|nummod|6|I-MONEY dollars|dollar|NOUN|pobj|3|I-MONEY was|be|AUX|auxpass|8|O approved|approve|VERB|ROOT|8|O|nospace .|.|PUNCT|punct|8|O|nospace',
    'Experts compare it with the Spanish flu pandemic of 1918-1919, which killed 20 million people.':
        'Experts|expert|NOUN|nsubj|1|O compare|compare|VERB|ROOT|1|O it|it|PRON|dobj|1|O with|with|ADP|prep|1|O the|the|DET|det|7|O Spanish|spanish|ADJ|amod|7|B-NORP flu|flu|NOUN|compound|7|O pandemic|pandemic|NOUN|pobj|3|O of|of|ADP|prep|7|O 1918|1918|NUM|pobj|8|B-DATE|nospace -|-|SYM|punct|11|I-DATE|nospace 1919|1919|NUM|prep|9|I-DATE|nospace ,|,|PUNCT|punct|7|O which|which|PRON|nsubj|14|O killed|kill|VERB|relcl|7|O 20|20|NUM|compound|16|B-CARDINAL million|million|NUM|nummod|17|I-CARDINAL people|people|NOUN|dobj|14|O|nospace .|.|PUNCT|punct|1|O|nospace',
    'Week 42: 17-23 October 2009 Transmission details are not updated.':
        'Week|week|NOUN|npadvmod|12|B-DATE 42|42|NUM|nummod|0|I-DATE|nospace :|:|PUNCT|punct|0|O 17|17|NUM|nummod|0|B-CARDINAL|nospace -|-|SYM|punct|5|O|nospace 23|23|NUM|prep|3|O October|October|PROPN|npadvmod|3|B-DATE 2009|2009|NUM|nummod|6|I-DATE Transmission|Transmission|PROPN|compound|9|O details|detail|NOUN|nsubjpass|12|O are|be|AUX|auxpass|12|O not|not|PART|neg|12|O updated|update|VERB|ROOT|12|O|nospace .|.|PUNCT|punct|12|O|nospace',
    'Week 9: 27 February-5 March Transmission details are not updated.':
        'Week|week|NOUN|npadvmod|10|B-DATE 9|9|NUM|nummod|0|I-DATE|nospace :|:|SYM|punct|10|O 27|27|NUM|nummod|7|B-CARDINAL February-5|February-5|PROPN|compound|6|O March|March|PROPN|compound|6|O Transmission|Transmission|PROPN|compound|7|O details|detail|NOUN|nsubjpass|10|O are|be|AUX|auxpass|10|O not|not|PART|neg|10|O updated|update|VERB|ROOT|10|O|nospace .|.|PUNCT|punct|10|O|nospace',
    'Its main part will take place on June 19.':
        'Its|its|PRON|poss|2|O main|main|ADJ|amod|2|O part|part|NOUN|nsubj|4|O will|will|AUX|aux|4|O take|take|VERB|ROOT|4|O place|place|NOUN|dobj|4|O on|on|ADP|prep|4|O June|June|PROPN|pobj|6|B-DATE 19|19|NUM|nummod|7|I-DATE|nospace .|.|PUNCT|punct|4|O|nospace',
    'Officials said: "They are talking about three million people being killed, injured or homeless.':
        'Officials|official|NOUN|nsubj|1|O said|say|VERB|ROOT|1|O|nospace :|:|PUNCT|punct|1|O "|"|PUNCT|punct|1|O|nospace They|they|PRON|nsubj|6|O are|be|AUX|aux|6|O talking|talk|VERB|ccomp|1|O about|about|ADP|advmod|9|B-CARDINAL three|three|NUM|compound|9|I-CARDINAL million|million|NUM|nummod|10|I-CARDINAL people|people|NOUN|nsubjpass|12|O being|be|AUX|auxpass|12|O killed|kill|VERB|advcl|6|O|nospace ,|,|PUNCT|punct|12|O injured|injure|VERB|conj|12|O or|or|CCONJ|cc|14|O homeless|homeless|ADJ|conj|14|O|nospace .|.|PUNCT|punct|1|O|nospace',
    'Donors help the estimated three million injured and made homeless by the disaster.':
        'Donors|donor|NOUN|nsubj|1|O help|help|VERB|ROOT|1|O the|the|DET|det|5|B-CARDINAL estimated|estimate|VERB|amod|5|I-CARDINAL three|three|NUM|compound|5|I-CARDINAL million|million|NUM|nsubj|6|I-CARDINAL injured|injure|VERB|ccomp|1|O and|and|CCONJ|cc|1|O made|make|VERB|conj|1|O homeless|homeless|ADJ|oprd|8|O by|by|ADP|agent|8|O the|the|DET|det|12|O disaster|disaster|NOUN|pobj|10|O|nospace .|.|PUNCT|punct|1|O|nospace',
    'The quake killed 200 and injured 1,000 people.':
        'The|the|DET|det|1|O quake|quake|NOUN|nsubj|2|O killed|kill|VERB|ROOT|2|O 200|200|NUM|dobj|2|B-CARDINAL and|and|CCONJ|cc|2|O injured|injure|VERB|conj|2|O 1,000|1,000|NUM|nummod|7|B-CARDINAL people|people|NOUN|dobj|5|O|nospace .|.|PUNCT|punct|2|O|nospace',
    'About 20,000 people were left homeless by the storm.':
        'About|about|ADV|advmod|1|B-CARDINAL 20,000|20,000|NUM|nummod|2|I-CARDINAL people|people|NOUN|nsubjpass|4|O were|be|AUX|auxpass|4|O left|leave|VERB|ROOT|4|O homeless|homeless|ADJ|oprd|4|O by|by|ADP|agent|4|O the|the|DET|det|8|O storm|storm|NOUN|pobj|6|O|nospace .|.|PUNCT|punct|4|O|nospace',
    'Officials think two million people have been affected by the floods.':
        'Officials|official|NOUN|nsubj|1|O think|think|VERB|ROOT|1|O two|two|NUM|compound|3|B-CARDINAL million|million|NUM|nummod|4|I-CARDINAL people|people|NOUN|nsubjpass|7|O have|have|AUX|aux|7|O been|be|AUX|auxpass|7|O affected|affect|VERB|ccomp|1|O by|by|ADP|agent|7|O the|the|DET|det|10|O floods|flood|NOUN|pobj|8|O|nospace .|.|PUNCT|punct|1|O|nospace',
    'Critics compared the spill with a fire in which almost 300 people died.':
        'Critics|critic|NOUN|nsubj|1|O compared|compare|VERB|ROOT|1|O the|the|DET|det|3|O spill|spill|NOUN|dobj|1|O with|with|ADP|prep|1|O a|a|DET|det|6|O fire|fire|NOUN|pobj|4|O in|in|ADP|prep|12|O which|which|PRON|pobj|7|O almost|almost|ADV|advmod|10|B-CARDINAL 300|300|NUM|nummod|11|I-CARDINAL people|people|NOUN|nsubj|12|O died|die|VERB|relcl|6|O|nospace .|.|PUNCT|punct|1|O|nospace',
    'Fewer than five guards were found dead.':
        'Fewer|few|ADJ|amod|2|B-CARDINAL than|than|ADP|quantmod|2|I-CARDINAL five|five|NUM|nummod|3|I-CARDINAL guards|guard|NOUN|nsubjpass|5|O were|be|AUX|auxpass|5|O found|find|VERB|ROOT|5|O dead|dead|ADJ|oprd|5|O|nospace .|.|PUNCT|punct|5|O|nospace',
    'Nine other guards died and 30 were injured.':
        'Nine|nine|NUM|nummod|2|B-CARDINAL other|other|ADJ|amod|2|O guards|guard|NOUN|nsubj|3|O died|die|VERB|ROOT|3|O and|and|CCONJ|cc|3|O 30|30|NUM|nsubjpass|7|B-CARDINAL were|be|AUX|auxpass|7|O injured|injure|VERB|conj|3|O|nospace .|.|PUNCT|punct|7|O|nospace',
    'A possible half-million people are now without power.':
        'A|a|DET|det|5|O possible|possible|ADJ|amod|5|O half|half|ADJ|compound|4|B-CARDINAL|nospace -|-|PUNCT|punct|4|I-CARDINAL|nospace million|million|NUM|nummod|5|I-CARDINAL people|people|NOUN|nsubj|6|O are|be|AUX|ROOT|6|O now|now|ADV|advmod|6|O without|without|ADP|prep|6|O power|power|NOUN|pobj|8|O|nospace .|.|PUNCT|punct|6|O|nospace',
}

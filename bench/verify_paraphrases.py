"""Paraphrase tolerance and false-claim rejection of the citation checker.

    HF_HUB_CACHE=../shared/hf-cache/hub HF_HUB_OFFLINE=1 .venv/bin/python bench/verify_paraphrases.py [-v]

Hand-written claims about the seed story (English from refs/), each citing
real sentence IDs of the seed articles: true paraphrases an LLM might write,
false claims that change one fact (a number, a name, an event word, an
added detail), and edits that keep every word but swap roles, move a number,
change a hedge, drop the attribution or stitch two sentences, with rewordings
that keep them. Prints how many of each the checker accepts, strict (the
default, used for LLM sentences) and with strict=False; -v lists the misses.
The checker reads facts as it does for an LLM brief (`read`: the fact
layer's readings, with the real spaCy pipeline).
"""
from __future__ import annotations

import sys

from common import offline_model, seed_story
from toolkit.embed import Embedder
from toolkit.facts import read_sentences
from toolkit.verify import verify_sentences

TRUE = [
    ("Putin and Kim signed a strategic partnership agreement on Wednesday.", ["5.1", "1.10"]),
    ("Putin hopes his next meeting with Kim will take place in Moscow.", ["3.7", "5.11"]),
    ("Putin's visit is the first by a Russian president in 24 years.", ["2.26", "5.3"]),
    ("Kim said relations between the two countries are entering a new era of prosperity.", ["3.12", "4.3"]),
    ("The talks between Putin and Kim lasted about two hours.", ["5.2"]),
    ("Putin arrived in North Korea on an official visit, his first in 24 years.", ["2.26"]),
    ("Putin said Russia will always support North Korea in defending its sovereignty.", ["3.3"]),
    ("Putin previously visited North Korea in 2000.", ["3.15"]),
    ("The US government said Putin's visit to North Korea raises great concern.", ["3.17"]),
    ("Pentagon spokesman Pat Ryder said deepening cooperation between Russia and North Korea should "
     "be a cause for concern.", ["3.18"]),
    ("The agreement provides for assistance if either party is subjected to aggression.", ["2.2", "2.3"]),
    ("Western allies of Ukraine accuse North Korea of supplying Russia with weapons and ammunition.", ["3.23"]),
    ("Kim described Russia as the most sincere and honest friend and ally.", ["1.7"]),
    ("According to Ushakov, the substantive part of the visit was scheduled for June 19.", ["5.15"]),
    ("Putin and Kim attended a grand ceremony in Pyongyang's main square on Wednesday before their summit.", ["3.13"]),
    ("Putin met Kim Jong Un in Pyongyang on Wednesday.", ["2.14"]),
    ("White House spokeswoman Karine Jean-Pierre said arms deliveries from North Korea have helped "
     "Russia wage its war in Ukraine.", ["3.20"]),
    ("Putin held talks with Kim at the Kumsusan guest house in Pyongyang on Wednesday.", ["3.1"]),
    ("Putin said the new basic document would form the basis of relations between Russia and North "
     "Korea for many years.", ["5.8"]),
    ("Putin called for reconsidering the UN Security Council sanctions regime on North Korea.", ["1.2"]),
]
FALSE = [
    ("Putin and Kim cancelled the partnership agreement on Wednesday.", ["5.1"]),
    ("The agreement was signed in Moscow on Friday.", ["5.1"]),
    ("The talks between Putin and Kim lasted five days.", ["5.2"]),
    ("The talks between Putin and Kim lasted about twelve hours.", ["5.2"]),
    ("Putin's visit is the first by a Russian president in 40 years.", ["2.26", "5.3"]),
    ("Kim said relations with the United States are entering a new era of prosperity.", ["3.12"]),
    ("Putin previously visited North Korea in 2001.", ["3.15"]),
    ("Putin said Russia will always support North Korea with nuclear weapons.", ["3.3"]),
    ("Putin said Russia will always support North Korea in defending its sovereignty against Japan.", ["3.3"]),
    ("Putin said Russia will always support North Korea in defending its borders.", ["3.3"]),
    ("Pentagon spokesman Pat Ryder said deepening military cooperation between Russia and North "
     "Korea should be a cause for alarm.", ["3.18"]),
    ("Western allies of Ukraine accuse North Korea of supplying Russia with missiles.", ["3.23"]),
    ("Western allies of Ukraine accuse China of supplying Russia with weapons and ammunition.", ["3.23"]),
    ("The US government said Putin's visit to North Korea raises no concern.", ["3.17"]),
    ("Putin held secret talks with Kim at the Kumsusan guest house in Pyongyang on Wednesday.", ["3.1"]),
    ("Putin and Kim attended a grand military parade in Pyongyang's main square on Wednesday.", ["3.13"]),
    ("Putin arrived in North Korea on an official visit, his second in 24 years.", ["2.26"]),
    ("White House spokeswoman Karine Jean-Pierre said arms deliveries from North Korea killed "
     "civilians in Ukraine.", ["3.20"]),
]

# Edits a careless editor misses, each with the check meant to catch it:
# every word is in the cited sentences, but roles, number attachments,
# hedges, attribution or the grouping of facts changed.
EDITS = [
    ("roles-swapped", "North Korea accuses Ukraine's Western allies of supplying Russia with weapons and "
                      "ammunition.", ["3.23"]),
    ("roles-swapped", "Putin said that North Korea will always support Russia in defending its sovereignty.",
     ["3.3"]),
    ("number-moved", "Ushakov said that on June 19 Putin will travel to Pyongyang late in the evening, and the "
                     "entire substantive part will take place on June 18.", ["5.16"]),
    ("number-moved", "Putin's visit to North Korea is the first visit by a Russian president, as the second "
                     "visit was 24 years ago.", ["5.3"]),
    ("hedge-changed", "The talks between Putin and Kim lasted two hours.", ["5.2"]),
    ("hedge-changed", "The talks between Putin and Kim lasted more than two hours.", ["5.2"]),
    ("hedge-changed", "The agreement could provide for assistance if either party is subjected to aggression.",
     ["2.2", "2.3"]),
    ("attribution-dropped", "Russia will always support North Korea in defending its sovereignty.", ["3.3"]),
    ("attribution-dropped", "Deepening cooperation between Russia and the DPRK should be a cause for concern.",
     ["3.18"]),
    ("attribution-dropped", "North Korea supplies Russia with weapons and ammunition.", ["3.23"]),
    ("attribution-dropped", "Arms deliveries from North Korea have helped strengthen Russia's ability to wage "
                            "its war in Ukraine.", ["3.20"]),
    ("stitched", "Putin previously visited North Korea in 2000 to sign the comprehensive strategic partnership "
                 "agreement.", ["3.15", "5.1"]),
    ("stitched", "Pentagon spokesman Pat Ryder said the agreement was signed after talks lasting about two hours.",
     ["3.18", "5.2"]),
    ("stitched", "The grand ceremony in the main square of Pyongyang lasted about two hours.", ["3.13", "5.2"]),
]
# Rewordings of the same sentences that keep roles, numbers, hedges and
# attribution: the edit checks must let them through.
EDIT_TRUE = [
    ("North Korea is accused by Ukraine's Western allies of supplying Russia with weapons and ammunition.",
     ["3.23"]),
    ("Putin said that North Korea will always be supported by Russia in defending its sovereignty.", ["3.3"]),
    ("Ushakov said the entire substantive part of the visit will take place on June 19.", ["5.16"]),
    ("The talks between Putin and Kim, which lasted about two hours, ended before the agreement was signed.",
     ["5.2"]),
    ("According to Putin, Russia will always support North Korea in defending its sovereignty.", ["3.3"]),
    ("The agreement provides for assistance if either party is subjected to aggression.", ["2.2", "2.3"]),
    ("Putin arrived in North Korea on an official visit, his first in 24 years, and signed the comprehensive "
     "strategic partnership agreement with Kim.", ["2.26", "5.1"]),
]


def main() -> None:
    offline_model()
    _, english = seed_story()
    embedder = Embedder()
    for strict in (True, False):
        kept = verify_sentences(TRUE, english, embedder=embedder, strict=strict, read=read_sentences)
        passed = verify_sentences(FALSE, english, embedder=embedder, strict=strict, read=read_sentences)
        print(f"strict={strict!s:5}  true paraphrases kept {sum(v.supported for v in kept)}/{len(kept)}  "
              f"false claims passed {sum(v.supported for v in passed)}/{len(passed)}")
        caught = verify_sentences([(t, ids) for _, t, ids in EDITS], english, embedder=embedder, strict=strict,
                                  read=read_sentences)
        kept_edit = verify_sentences(EDIT_TRUE, english, embedder=embedder, strict=strict, read=read_sentences)
        right = sum(v.reason == want for (want, _, _), v in zip(EDITS, caught))
        print(f"              edits passed {sum(v.supported for v in caught)}/{len(caught)} (caught by the "
              f"intended check {right}/{len(caught)})  rewordings kept "
              f"{sum(v.supported for v in kept_edit)}/{len(kept_edit)}")
        if "-v" in sys.argv:
            for (want, _, _), v in zip(EDITS, caught):
                if v.reason != want:
                    print(f"    edit ({want}) got {v.reason or 'supported'}: {v.text}")
            for v in kept_edit:
                if not v.supported:
                    print(f"    rewording rejected ({v.reason}: {v.detail}): {v.text}")
            for v in kept:
                if not v.supported:
                    print(f"    true claim rejected ({v.reason}: {v.detail}): {v.text}")
            for v in passed:
                if v.supported:
                    print(f"    false claim passed: {v.text}")


if __name__ == "__main__":
    main()

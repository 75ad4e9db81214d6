"""Word lists of the citation checker, in classes (see the package docstring
for how each is used). English only."""
from __future__ import annotations


# Words that turn a statement into its opposite; a claim may not add them.
REVERSAL_WORDS = frozenset("""
not no never without cancel cancelled canceled cancels deny denied denies refuse refused refuses reject rejected
rejects fail failed fails suspend suspended suspends withdraw withdrew withdrawn halt halted collapse collapsed
postpone postponed delay delayed end ended ending stop stopped oppose opposed opposes against
""".split())
# Of those, the ones that negate: a claim may not drop them either.
NEGATIONS = frozenset("not no never without".split())

# Event words in classes whose members exclude each other: a claim using one
# needs a word of the same class in the evidence. Inside a class the words
# count as the same word ("injured" for "wounded").
EVENT_CLASSES = {
    "death": "kill killed killing killings kills dead die died dies dying death deaths fatal fatalities fatality "
             "slain slay perish perished",
    "injury": "wound wounded wounding wounds injure injured injuring injures injury injuries hurt",
    "arrest": "arrest arrested arresting arrests detain detained detaining detains detention detainee detainees "
              "custody",
    "abduction": "kidnap kidnapped kidnapping kidnaps abduct abducted abduction abductions hostage hostages "
                 "captive captives capture captured capturing",
    "release": "release released releasing releases freed freeing",
    "missing": "missing disappeared disappearance",
    "rise": "rise rises rose risen rising increase increased increases increasing grow grew grown growing "
            "climb climbed climbing jump jumped surge surged soar soared",
    "fall": "fall falls fell fallen falling decrease decreased decreases decreasing decline declined declines "
            "declining drop dropped dropping plunge plunged slump slumped shrink shrank",
    "resignation": "resign resigned resigns resigning resignation quit quits",
}
EVENT_OF = {w: c for c, words in EVENT_CLASSES.items() for w in words.split()}
# Plain synonyms a paraphrase swaps freely (word -> the word it stands for).
SYNONYMS = {
    "deal": "agreement", "accord": "agreement", "accords": "agreement", "pact": "agreement", "negotiation": "talk",
    "negotiations": "talk", "cent": "percent", "nation": "country", "nations": "country", "met": "meet",
}
IRREGULAR = {
    "took": "take", "taken": "take", "held": "hold", "made": "make", "gave": "give", "given": "give",
    "went": "go", "gone": "go", "came": "come", "got": "get", "won": "win", "lost": "lose", "began": "begin",
    "begun": "begin", "left": "leave", "led": "lead", "sent": "send", "spent": "spend", "fled": "flee",
    "fought": "fight", "brought": "bring", "bought": "buy", "built": "build", "struck": "strike",
    "shot": "shoot", "sought": "seek", "thought": "think", "kept": "keep", "found": "find", "chose": "choose",
    "chosen": "choose", "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak",
    "broke": "break", "broken": "break", "ran": "run", "saw": "see", "seen": "see", "knew": "know",
    "known": "know", "drove": "drive", "driven": "drive", "stood": "stand", "became": "become", "paid": "pay",
    "sold": "sell", "hid": "hide", "hidden": "hide", "flew": "fly", "flown": "fly",
    "threw": "throw", "thrown": "throw", "bore": "bear", "borne": "bear", "laid": "lay", "meant": "mean",
}
STOP = frozenset("""
a an the of to in on at by for from with into onto over under about after before during between among
and or but nor so yet as if than then that this these those there here which who whom whose what when where why
how while is are was were be been being am has have had having do does did will would shall should can could may
might must not no never its it his her their them they he she we our us you your i me my mine itself himself herself
themselves also both all any each other such very more most own same just only even still again further
via per upon within across around toward towards amid amidst despite through throughout
""".split())
# Attribution and reporting verbs: who said it is checked through names.
ATTRIBUTION = frozenset("""
say says said saying tell tells told telling add adds added adding stress stresses stressed note notes noted
announce announces announced announcing according report reports reported reportedly state stated explain
explained explains mention mentioned remark remarked
""".split())
# Hedges, discourse words and light verbs a faithful paraphrase adds.
LIGHT = frozenset("""
about around approximately nearly almost some roughly least at meanwhile however moreover additionally separately
further furthermore take make get give go come hold place thing things part
""".split())
IGNORED = STOP | ATTRIBUTION | LIGHT


# Edits a careless editor misses: the words are all there, but roles,
# number attachments, hedges, attribution or the grouping of facts changed.
# These compare the sentence with each cited sentence on its own (the
# joined evidence cannot say which noun a number belonged to), and a
# conflict with one cited sentence fails only when no other cited sentence
# confirms the sentence on that point: the extractive brief shows one
# source sentence verbatim and cites other sources' wordings of the same
# fact, and the verbatim sentence always confirms itself.

# Clause boundaries for roles and attribution: a subordinate or relative
# clause has its own subject and object.
CLAUSE_WORDS = frozenset("that which who whom whose where while whereas because although though but when if "
                          "since unless".split())
# Number attachment stops at a conjunction too: "12 killed and 30 wounded".
LIST_WORDS = frozenset("and or nor".split()) | CLAUSE_WORDS
BE = frozenset("is are was were be been being am".split())
MONTHS = frozenset("january february march april may june july august september october november december jan feb "
                    "mar apr jun jul aug sep sept oct nov dec".split())
# Hedges on a statement, in classes: a paraphrase may swap words inside a
# class ("may" / "could") but not add, drop or change the class.
HEDGES = {
    "possible": "may might could possibly perhaps maybe potentially",
    "likely": "likely probably expected",
    "unlikely": "unlikely",
    "reported": "reportedly allegedly purportedly apparently alleged suspected",
}
HEDGE_OF = {w: c for c, words in HEDGES.items() for w in words.split()}
# Quantifiers directly before a number, in classes ("over 300" = "more
# than 300"; "nearly 300" is not "about 300", nor "300").
QUANTIFIERS = {
    "more": ("more than", "over", "above", "upwards of", "in excess of", "exceeding"),
    "least": ("at least", "no fewer than", "no less than"),
    "nearly": ("nearly", "almost", "close to", "just under"),
    "about": ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated", "circa"),
    "most": ("up to", "as many as", "at most", "no more than"),
    "less": ("fewer than", "less than", "under", "below"),
}
QUANT_OF = sorted(((tuple(p.split()), c) for c, ps in QUANTIFIERS.items() for p in ps), key=lambda x: -len(x[0]))
DETERMINERS = frozenset("the a an its their his her our this that these those".split())
# Where a report ends: what follows "while" is the next statement.
REPORT_END = frozenset("while whereas".split())

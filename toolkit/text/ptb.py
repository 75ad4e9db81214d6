"""Penn Treebank tokenized English read back as ordinary text.

Corpora prepared for NLP (Timeline17, the Stanford and NLTK tokenizers)
print brackets as `-LRB-` `-RRB-`, quotes as ``` `` ``` and `''`, and set
punctuation and clitics off by spaces (`Cairo 's`, `do n't`, `said .`).
Wire copy set in ASCII (AP, NYT) writes its quotation marks the same way
without the spaces: `wire_quotes` reads those alone.
Shown as they are, those sentences read badly and their quotes and brackets
confuse the segmenter. An article is taken as tokenized only when most of
its lines carry the tokenizer's marks, so ordinary text ("a 'quote'", a
spaced dash) is never touched. Detokenizing works line by line, so line
numbers stay those of the input.
"""
from __future__ import annotations

import re

from .arabic import ARABIC_LETTER

_ESCAPES = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_ESCAPE = re.compile(r"-[LR][RSC]B-")
# Marks that only a tokenizer leaves: an escape, a clitic or a
# punctuation mark set off by a space after a word.
_MARK = re.compile(r"-[LR][RSC]B-|(?<=\w) (?:n't|'s|'re|'ve|'ll|'d|'m|[,.;:?!%])(?= |$)", re.I)
_ARABIC = re.compile(ARABIC_LETTER)
_LATIN = re.compile("[A-Za-z]")
# Fewest marks in the article (one in an article of one line of at least
# MIN_WORDS words), and the share of those lines that carry one, for it to
# be read as tokenized.
MIN_MARKS = 2
LINE_SHARE = 0.5
MIN_WORDS = 4

# (pattern, replacement, text one of which the pattern needs to match)
_RULES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    # Slashes and asterisks escaped by the tokenizer ("MEXICO CITY\/GENEVA").
    (re.compile(r"\\([/*])"), r"\1", ("\\/", "\\*")),
    (re.compile(r"``\s*"), '"', ("``",)),
    (re.compile(r"\s*''"), '"', ("''",)),
    # Single quotes: ` opens, a lone ' after a word closes (also a plural's
    # possessive: "parents '" -> "parents'").
    (re.compile(r"`\s*"), "'", ("`",)),
    (re.compile(r"(?<=\S) (n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1", ("'",)),
    (re.compile(r"(?<=\w) '(?= |$)"), "'", (" '",)),
    (re.compile(r"([(\[{]) "), r"\1", tuple("([{")),
    (re.compile(r" ([)\]}])"), r"\1", tuple(")]}")),
    (re.compile(r" ([,.;:?!%]|\.\.\.)(?= |$|[\"')\]}])"), r"\1", tuple(",.;:?!%")),
    (re.compile(r"(^| )([$#]) (?=\d)"), r"\1\2", tuple("$#")),
    # A thousands group split from its number ("45,000-50 ,000"): a comma
    # with a space before it and three digits after is never punctuation.
    (re.compile(r"(?<=\d) ,(?=\d{3}\b)"), ",", (" ,",)),
]


def is_tokenized(text: str) -> bool:
    """Whether most lines of `text` carry Penn Treebank tokenizer marks."""
    # Arabic typed with a space before its punctuation is not tokenized English.
    if len(_ARABIC.findall(text)) >= len(_LATIN.findall(text)):
        return False
    lines = [line for line in text.split("\n") if len(line.split()) >= MIN_WORDS]
    marked = sum(1 for line in lines if _MARK.search(line))
    # A one-line article (a headline, a caption) has room for one mark only.
    return len(_MARK.findall(text)) >= min(MIN_MARKS, len(lines)) and marked >= LINE_SHARE * len(lines) > 0


def detokenize_line(line: str) -> str:
    """One tokenized line as ordinary text."""
    line = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(0), m.group(0)), line) if "B-" in line else line
    # A rule whose pattern needs text the line lacks (one of `needs`)
    # cannot change it: an article has thousands of lines and most need few
    # of the rules.
    for pattern, replacement, needs in _RULES:
        if any(n in line for n in needs):
            line = pattern.sub(replacement, line)
    return line.strip()


def detokenize(text: str) -> str:
    """`text` with every line detokenized; the number of lines is kept."""
    return "\n".join(detokenize_line(line) for line in text.split("\n"))


def wire_quotes(text: str) -> tuple[str, int]:
    """`text` with the quotation marks of ASCII wire copy (``` ``It is,''
    he said ```) as plain double quotes, and how many were read. Only in
    a text that opens a quotation with ``` `` ```, a mark nothing else
    writes: there a doubled apostrophe closes one. Without this a quotation
    in such copy names no speaker and is no quotation to the brief."""
    if "``" not in text:
        return text, 0
    count = text.count("``") + text.count("''")
    return text.replace("``", '"').replace("''", '"'), count

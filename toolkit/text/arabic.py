"""Arabic script: what counts as a letter, and normalisation for matching
and hashing only.

The text that is shown and translated always keeps its original characters;
these functions produce keys so that spelling variants of the same words
(أ/إ/آ/ا, ى/ي, ة/ه, tatweel, short-vowel marks, ٣ vs 3) compare equal.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

# The one definition of an Arabic letter (a regex class): the Arabic block's
# letters and its Supplement, Extended-A and presentation forms; digits,
# punctuation, tatweel and vowel marks are not letters.
ARABIC_LETTER = ("[\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff"
                 "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]")
# Any character of the Arabic script: letters, digits, punctuation, marks.
ARABIC_SCRIPT = "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"

TATWEEL = "\u0640"
# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_LETTERS = str.maketrans({
    "\u0622": "\u0627",  # آ -> ا
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a",  # ئ -> ي
})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Extended Arabic-Indic digits to 0-9."""
    return text.translate(_DIGITS)


def normalize_arabic(text: str) -> str:
    if text.isascii():
        # NFKC, tatweel, the marks, letters and digits all leave ASCII as it is.
        return _SPACES.sub(" ", text).strip()
    text = unicodedata.normalize("NFKC", text)
    text = text.replace(TATWEEL, "")
    text = _DIACRITICS.sub("", text)
    text = text.translate(_LETTERS)
    text = to_ascii_digits(text)
    return _SPACES.sub(" ", text).strip()


def text_hash(text: str, length: int = 16) -> str:
    """A short hash of the normalised text, stable across spelling variants."""
    return hashlib.sha256(normalize_arabic(text).encode("utf-8")).hexdigest()[:length]

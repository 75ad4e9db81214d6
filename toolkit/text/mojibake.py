"""Arabic text that was decoded with the wrong code page ("mojibake") and
saved again: "Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©" for "العربية".

The usual ways it happens, each undone by encoding the text back to the
bytes it was read from and decoding them as they were written:

* UTF-8 read as Latin-1 or Windows-1252 ("Ø§Ù„...");
* Windows-1256 read as Latin-1 or Windows-1252 ("ÇáÚÑÈíÉ");
* UTF-8 read as Windows-1256 ("ط§ظ„...").

A repair is made only when it is unambiguous: the bytes decode strictly
(UTF-8 is checked before Windows-1256: by chance, a long text's high
bytes almost never form valid UTF-8 sequences, while every byte is some
Windows-1256 character) and the result is mostly Arabic letters. Text that
looks mis-decoded but has no such repair gets a warning instead.
"""
from __future__ import annotations

import re
from collections import Counter

# Latin-1 letters among the letters: Arabic read as Latin-1 or Windows-1252
# is almost all such letters; a European text has a few.
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
# The ten commonest Arabic letters make well over half of the letters of
# running Arabic text.
_COMMON_ARABIC = re.compile("[اأإآليىمونهرتبة]")
COMMON_SHARE = 0.4
MIN_LETTERS = 10
SIGNATURE_SHARE = 0.5
REPAIRED_ARABIC_SHARE = 0.6

# The characters Windows-1252 gives bytes 0x80-0x9F; everything else below
# U+0100 is its own byte (Latin-1, and the C1 controls that Windows-1252
# leaves undefined and lenient decoders pass through).
_CP1252_HIGH = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _as_western_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x100:
            out.append(o)
        elif ch in _CP1252_HIGH:
            out.append(_CP1252_HIGH[ch])
        else:
            return None
    return bytes(out)


def _letters(text: str) -> int:
    # Each distinct character judged once, not each of thousands.
    return sum(k for c, k in Counter(text).items() if c.isalpha())


def _arabic_share(text: str) -> float:
    letters = _letters(text)
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def _decodes_to_arabic(data: bytes, encoding: str) -> str | None:
    try:
        out = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    letters = _letters(out)
    if letters < MIN_LETTERS or _arabic_share(out) < REPAIRED_ARABIC_SHARE:
        return None
    # Any bytes are some Windows-1256 letters; Arabic words are made mostly
    # of its commonest letters (alef, lam, yeh, meem, waw, noon...), which
    # text decoded by chance is not.
    return out if len(_COMMON_ARABIC.findall(out)) >= COMMON_SHARE * letters else None


def looks_western_misread(text: str) -> bool:
    """Almost no Arabic letters and most letters Latin-1 accented ones: the
    look of Arabic read as Latin-1 or Windows-1252."""
    letters = _letters(text)
    return (letters >= MIN_LETTERS and len(_LATIN1_LETTER.findall(text)) >= SIGNATURE_SHARE * letters
            and _arabic_share(text) < 0.1)


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """(text, warning): the text repaired when it is unambiguous mojibake of
    Arabic, with a warning saying so; unchanged with a warning when it only
    looks mis-decoded; unchanged with None otherwise."""
    if looks_western_misread(text):
        data = _as_western_bytes(text)
        if data is not None:
            for encoding, name in (("utf-8", "UTF-8"), ("cp1256", "Windows-1256")):
                fixed = _decodes_to_arabic(data, encoding)
                if fixed is not None:
                    return fixed, (f"repaired mis-decoded Arabic: {name} text that had been read as Latin-1 or "
                                   "Windows-1252 and saved again (mojibake); check it against the original")
        return text, ("almost no Arabic letters and mostly accented Latin ones: likely Arabic decoded with the "
                      "wrong encoding (mojibake) that cannot be repaired unambiguously; save the original "
                      "as UTF-8 and give that file")
    if _arabic_share(text) >= 0.3 and "ظ" in text:
        try:
            data = text.encode("cp1256")
        except UnicodeEncodeError:
            return text, None
        fixed = _decodes_to_arabic(data, "utf-8")
        if fixed is not None and fixed != text:
            return fixed, ("repaired mis-decoded Arabic: UTF-8 text that had been read as Windows-1256 and saved "
                           "again (mojibake); check it against the original")
    return text, None


__all__ = ["repair_mojibake", "looks_western_misread"]

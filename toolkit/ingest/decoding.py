"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM and
Windows-1256; invalid bytes, terminal escapes and control characters are
replaced or removed with a warning."""
from __future__ import annotations

import codecs
import re
import threading

from ..errors import InputError
from ..fileio import MIB
from ..text.mojibake import repair_mojibake
from .language import ARABIC_CHAR

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Terminal escape sequences (CSI, OSC, other ESC sequences) and the control
# characters left after them: never article text, and harmful when echoed to
# a terminal. Vertical tab and form feed are line breaks in word-processor
# exports and become newlines.
_ESCAPE_SEQ = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_STRAY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Bytes that are not valid UTF-8 are replaced (with a warning) only when the
# file is clearly UTF-8 otherwise: more valid multi-byte characters than bad
# bytes. Windows-1256 Arabic almost never forms valid multi-byte sequences.
_MAX_REPORTED_BYTES = 5
_NON_ASCII = re.compile("[^\x00-\x7f]")


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Bytes → (text, encoding name). Raises InputError naming `source`."""
    text, encoding, _ = decode_with_warnings(data, source)
    return text, encoding


_bad_bytes = threading.local()


def _record_bad_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _bad_bytes.positions.extend(range(exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("toolkit-record-bad-bytes", _record_bad_bytes)


def _utf8_with_replacements(data: bytes) -> tuple[str, list[int]]:
    """Decode UTF-8 in one linear pass, replacing each invalid byte with
    U+FFFD; also the byte offsets that were replaced."""
    _bad_bytes.positions = []
    try:
        text = data.decode("utf-8", "toolkit-record-bad-bytes")
        return text, _bad_bytes.positions
    finally:
        _bad_bytes.positions = []


def _neutralise_controls(text: str) -> tuple[str, list[str]]:
    warnings = []
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    escapes = len(_ESCAPE_SEQ.findall(text))
    if escapes:
        text = _ESCAPE_SEQ.sub("", text)
    controls = len(_STRAY_CONTROL.findall(text))
    if controls:
        text = _STRAY_CONTROL.sub("", text)
    if escapes or controls:
        warnings.append(f"removed {escapes} terminal escape sequence(s) and {controls} control character(s)")
    return text, warnings


def decode_with_warnings(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Bytes → (text, encoding name, warnings). UTF-8 with a few invalid
    bytes is decoded with those bytes replaced (the warning gives their
    offsets); terminal escapes and control characters are removed with a
    warning. Raises InputError naming `source` for binary or undecodable
    data."""
    if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04") or data.startswith(b"\x7fELF"):
        raise InputError("binary file (PDF, archive or program), not an article; give the text or HTML", source)
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise InputError("cannot decode: binary data (NUL bytes), not UTF-8, UTF-16 with BOM "
                             "or Windows-1256 text", source)
        candidates = ["utf-8", "cp1256"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8-sig" or (encoding == "utf-8" and _mostly_utf8(data)):
                text, bad = _utf8_with_replacements(data[3:] if encoding == "utf-8-sig" else data)
                shown = ", ".join(str(b) for b in bad[:_MAX_REPORTED_BYTES])
                more = f" and {len(bad) - _MAX_REPORTED_BYTES} more" if len(bad) > _MAX_REPORTED_BYTES else ""
                warnings.append(f"{len(bad)} byte(s) are not valid UTF-8 and were replaced by U+FFFD "
                                f"(byte offset(s) {shown}{more})")
            else:
                continue
        if encoding == "cp1256":
            if _CONTROL.search(text):
                continue  # control bytes: binary, not a Windows-1256 article
            if not _mostly_arabic(text):
                continue  # high bytes that are not Arabic: some other code page
        if "\x00" in text:
            raise InputError("cannot decode: binary data (NUL characters)", source)
        if encoding != "cp1256":
            # Before the controls go: mis-decoded UTF-8 holds C1 controls
            # that are half of its Arabic letters.
            text, note = repair_mojibake(text)
            if note:
                warnings.append(note)
        text, more = _neutralise_controls(text)
        return text, encoding, warnings + more
    raise InputError("cannot decode: not UTF-8, UTF-16 with BOM or Windows-1256 text", source)


def _mostly_arabic(text: str) -> bool:
    """Whether the non-ASCII characters of a Windows-1256 decoding are
    mostly Arabic: text in another 8-bit code page (Shift-JIS, Latin-1)
    decodes to a scatter of Arabic letters among symbols and accents."""
    high = len(_NON_ASCII.findall(text))
    return high > 0 and len(ARABIC_CHAR.findall(text)) >= 0.6 * high


def _mostly_utf8(data: bytes) -> bool:
    chunk = data[:1 * MIB]
    valid = chunk.decode("utf-8", "ignore")
    bad = len(chunk) - len(valid.encode("utf-8"))  # bytes the decoder had to skip
    return bad == 0 or len(_NON_ASCII.findall(valid)) > bad

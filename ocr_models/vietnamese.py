"""Vietnamese text tools: NFC, one tone-placement style, and diacritic folding.

Shared by the pipeline (post-correction), the indexer and the query builder so that text
and queries are always canonicalised the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (dấu thanh): grave, acute, hook above, tilde, dot below.
GRAVE, ACUTE, HOOK, TILDE, DOT_BELOW = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONE_MARKS = {GRAVE, ACUTE, HOOK, TILDE, DOT_BELOW}
_VOWELS = set("aăâeêioôơuưy")
# Vowels that carry a shape diacritic take the tone in any multi-vowel nucleus.
_MARKED_VOWELS = set("ăâêôơư")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def nfc(text: str) -> str:
    """Unicode NFC, the form everything is stored and compared in."""
    return unicodedata.normalize("NFC", text)


def tone_mark(syllable: str) -> str | None:
    """The syllable's tone mark (its first, in NFD), or None for the level tone."""
    return next((c for c in unicodedata.normalize("NFD", syllable) if c in TONE_MARKS), None)


def _split_tone(word: str) -> tuple[str, str | None]:
    """Return the word without its tone mark (NFC) and the tone mark, if any."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = None
    kept = []
    for ch in decomposed:
        if ch in TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _tone_position(base: str) -> int | None:
    """Index of the vowel that carries the tone in `base` (old style: hòa, thủy, ủy)."""
    low = base.lower()
    start = 0
    if (
        low.startswith("qu")
        and len(low) > 2
        and low[2] in _VOWELS
        or low.startswith("gi")
        and len(low) > 2
        and low[2] in _VOWELS
    ):
        start = 2
    else:
        while start < len(low) and low[start] not in _VOWELS:
            start += 1
    end = start
    while end < len(low) and low[end] in _VOWELS:
        end += 1
    if start >= len(low) or end == start:
        # "gi" alone or with a consonant ("gìn"): the i is the vowel.
        if low.startswith("gi"):
            return 1
        return None
    if end < len(low) and not low[end:].isalpha():
        return None
    nucleus = low[start:end]
    if any(c in _MARKED_VOWELS for c in nucleus):
        # "ươ" puts the tone on ơ; otherwise the (last) marked vowel.
        idx = max(i for i, c in enumerate(nucleus) if c in _MARKED_VOWELS)
        return start + idx
    has_final = end < len(low)
    if len(nucleus) == 1:
        return start
    if has_final:
        return end - 1
    if len(nucleus) == 2:
        return start
    return start + 1


@lru_cache(maxsize=1 << 15)  # ~7,000 Vietnamese syllables: most calls repeat one
def canonical_tone(word: str) -> str:
    """Move the tone mark of one syllable to its canonical vowel (old style, as in DOMAIN)."""
    base, tone = _split_tone(word)
    if tone is None:
        return nfc(word)
    pos = _tone_position(base)
    if pos is None:
        return nfc(word)
    out = base[: pos + 1] + tone + base[pos + 1 :]
    return nfc(out)


def canonicalize(text: str) -> str:
    """NFC plus one tone-placement style for every Vietnamese syllable in `text`."""
    text = nfc(text)
    return _WORD.sub(lambda m: canonical_tone(m.group(0)), text)


def fold(text: str) -> str:
    """Strip all diacritics (đ→d, Đ→D): used for recall, never as the stored value.

    Text in the Latin, Greek, Cyrillic and punctuation blocks goes through one table
    (`str.translate`, about twice as fast on OCR'd forms); anything else (other scripts)
    takes the long way. Both give the same result (tests/test_vietnamese.py).
    """
    if text.isascii():
        return text
    if _FOLD_SAFE.fullmatch(text):
        return text.translate(_FOLD_TABLE)
    return _fold_slowly(text)


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def _fold_table(first: int, last: int) -> dict[int, str]:
    """Code point → what folding makes of it, for each one it changes in first..last."""
    table = {}
    for cp in range(first, last + 1):
        ch = chr(cp)
        folded = _fold_slowly(ch)  # "" for a combining mark
        if folded != ch:
            table[cp] = folded
    return table


# Up to U+04FF (Latin-1, Latin Extended-A/B, IPA, Greek, Cyrillic), the Latin Extended
# Additional block (U+1E00–U+1EFF: most Vietnamese letters) and General Punctuation
# (quotes, dashes, the ellipsis; two spaces there decompose to others). Combining marks
# map to nothing, as in the long way.
_FOLD_TABLE = _fold_table(0x80, 0x04FF) | _fold_table(0x1E00, 0x1EFF) | _fold_table(0x2000, 0x206F)
_FOLD_SAFE = re.compile(r"[\x00-\u04ff\u1e00-\u1eff\u2000-\u206f]*")


def same_case(word: str, like: str) -> str:
    """`word` written in the case style of `like` (UPPER, Title or lower)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def normalize_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return " ".join(text.split())


def has_diacritics(text: str) -> bool:
    """True when folding would change the text (the user typed accents)."""
    return fold(text) != nfc(text)

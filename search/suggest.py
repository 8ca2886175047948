"""Regional and historical variants of Vietnamese name syllables, offered as suggestions.

Southern usage and old naming taboos (kiêng húy) split some names in two: Hoàng/Huỳnh
(taboo of Lord Nguyễn Hoàng), Vũ/Võ, Phúc/Phước, Hoa/Huê, Chính/Chánh, Bảo/Bửu,
Cảnh/Kiểng, Kính/Kiếng. The same family may be registered under either form, but they are
different names on paper, so variants are never mixed into the hits: the search result
lists them as `suggestions` with their own hit counts and the officer decides.
"""

from __future__ import annotations

from collections.abc import Iterator

from ocr_models.vietnamese import same_case
from search.folding import canonicalize, fold

VARIANT_PAIRS: tuple[tuple[str, str], ...] = (
    ("Hoàng", "Huỳnh"), ("Vũ", "Võ"), ("Phúc", "Phước"), ("Hoa", "Huê"),
    ("Chính", "Chánh"), ("Bảo", "Bửu"), ("Cảnh", "Kiểng"), ("Kính", "Kiếng"),
)  # fmt: skip
MAX_SUGGESTIONS = 3
_EDGE = ".,;:!?()[]{}<>\"'`*~^+|&=\\"


def _variant_table() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Accented (lowercase) and folded maps from a syllable to its variants."""
    accented: dict[str, list[str]] = {}
    folded: dict[str, list[str]] = {}
    for a, b in VARIANT_PAIRS:
        a, b = canonicalize(a).lower(), canonicalize(b).lower()
        for x, y in ((a, b), (b, a)):
            accented.setdefault(x, []).append(y)
            folded.setdefault(fold(x), []).append(fold(y))
    return accented, folded


_ACCENTED, _FOLDED = _variant_table()


def _alternatives(token: str) -> list[str]:
    """Variant spellings of one query token (empty when it has none)."""
    core = token.strip(_EDGE)
    if not core:
        return []
    low = core.lower()
    variants = _ACCENTED.get(low) or (_FOLDED.get(low, []) if fold(low) == low else [])
    return [token.replace(core, same_case(v, core)) for v in variants]


def variant_queries(query: str) -> Iterator[tuple[str, str]]:
    """(alternative query, reason) for each name syllable that has a regional variant."""
    tokens = canonicalize(query or "").split()[:32]
    seen: set[str] = set()
    for i, token in enumerate(tokens):
        for alt in _alternatives(token):
            candidate = " ".join([*tokens[:i], alt, *tokens[i + 1 :]])
            if candidate not in seen:
                seen.add(candidate)
                yield candidate, f"{alt.strip(_EDGE)} is a regional variant of {token.strip(_EDGE)}"
            if len(seen) >= MAX_SUGGESTIONS:
                return

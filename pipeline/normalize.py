"""Value normalisers: printed dates, names, numbers and codes into DOMAIN formats."""

from __future__ import annotations

import re
from datetime import date

from ocr_models.vietnamese import canonicalize, fold, normalize_spaces

_DATE_WORDS = re.compile(
    r"ng[aà]y\s*(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})", re.IGNORECASE
)
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_LEADERS = re.compile(r"^[\s:;.,…_\-–|]+|[\s:;.,…_\-–|]+$")


def parse_date(text: str) -> str | None:
    """First date in `text` as ISO `YYYY-MM-DD` (ngày 05 tháng 3 năm 2020, 05/03/2020 …)."""
    folded = fold(text)
    for pattern, order in ((_DATE_WORDS, "dmy"), (_DATE_NUMERIC, "dmy"), (_DATE_ISO, "ymd")):
        m = pattern.search(folded)
        if not m:
            continue
        a, b, c = (int(g) for g in m.groups())
        y, mo, d = (c, b, a) if order == "dmy" else (a, b, c)
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def clean_value(text: str) -> str:
    """Trim dotted leaders, colons and stray punctuation around a printed value."""
    text = normalize_spaces(canonicalize(text))
    text = re.sub(r"[.…_]{2,}", " ", text)
    return normalize_spaces(_LEADERS.sub("", text))


def normalize_name(text: str) -> str | None:
    """A person's name as printed: NFC, single spaces, letters only (case kept)."""
    text = clean_value(text)
    text = re.split(r"\s*(?:/|\(|\d)", text)[0]
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    words = [w.strip(".,;:") for w in words]
    if not 2 <= len(words) <= 7:
        return None
    return " ".join(words)


def normalize_digits(text: str, lengths: tuple[int, ...]) -> str | None:
    """The first run of digits (spaces allowed inside) whose length is one of `lengths`."""
    for m in re.finditer(r"\d(?:[\d ]*\d)?", text):
        digits = m.group(0).replace(" ", "")
        if len(digits) in lengths:
            return digits
    return None


def normalize_gender(text: str) -> str | None:
    """`Nam` or `Nữ` from a printed gender (Nam/Nữ, Male/Female)."""
    f = fold(text).lower()
    if re.search(r"\bnu\b|female", f):
        return "Nữ"
    if re.search(r"\bnam\b|\bmale\b", f):
        return "Nam"
    return None


def normalize_area(text: str) -> str | None:
    """Land area in m² as a decimal with a dot: `123,5 m2` → `123.5`."""
    m = re.search(r"(\d[\d.]*)(?:,(\d+))?\s*(?:m2|m²|m\b)", text)
    if not m:
        m = re.search(r"(\d[\d.]*)(?:,(\d+))?", text)
    if not m:
        return None
    whole = m.group(1)
    if m.group(2) is None and whole.count(".") == 1 and len(whole.split(".")[1]) != 3:
        return whole
    whole = whole.replace(".", "")
    return f"{whole}.{m.group(2)}" if m.group(2) else whole


def normalize_doc_number(text: str) -> str | None:
    """A document number: `732/QĐ-UBND`, `45/2020/NĐ-CP` or a plain civil-status number."""
    m = re.search(r"\d+(?:\s*/\s*[\w\-Đđ]+)+", text)
    if m:
        return re.sub(r"\s+", "", m.group(0))
    m = re.search(r"\d+", text)
    return m.group(0) if m else None

"""Classify a paper into the DOMAIN `doc_type` vocabulary from its text.

Strong rules first: the title in capitals (GIẤY KHAI SINH, QUYẾT ĐỊNH …) weighs most, then
body cues and number symbols. Matching runs on folded, upper-cased text so missing or
misread diacritics still match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr_models.vietnamese import fold

# (doc_type, pattern on folded upper text, weight). Title lines count twice.
_CUES: tuple[tuple[str, str, float], ...] = (
    ("citizen_id_card", r"CAN CUOC", 3.0),
    ("citizen_id_card", r"CHUNG MINH NHAN DAN", 3.0),
    ("citizen_id_card", r"FULL NAME|DATE OF BIRTH|PLACE OF ORIGIN|IDENTITY CARD", 1.5),
    ("citizen_id_card", r"SOCIALIST REPUBLIC", 1.0),
    ("birth_certificate", r"GIAY KHAI SINH|TRICH LUC KHAI SINH", 4.0),
    ("birth_certificate", r"NGUOI CHA|NGUOI ME", 1.0),
    ("marriage_certificate", r"CHUNG NHAN KET HON", 4.0),
    ("marriage_certificate", r"\bCHONG\b.*\bVO\b|BEN CHONG|BEN VO", 1.0),
    ("marital_status_certificate", r"TINH TRANG HON NHAN", 4.0),
    ("death_extract", r"KHAI TU", 4.0),
    ("residence_confirmation", r"THONG TIN VE CU TRU", 4.0),
    ("residence_confirmation", r"\bCT0?7\b", 1.5),
    ("household_book", r"SO HO KHAU|SO TAM TRU", 4.0),
    ("household_book", r"CHU HO|QUAN HE VOI CHU HO", 1.5),
    ("land_use_certificate", r"QUYEN SU DUNG DAT", 3.0),
    ("land_use_certificate", r"THUA DAT SO|TO BAN DO SO", 2.0),
    ("business_registration", r"DANG KY (DOANH NGHIEP|HO KINH DOANH|KINH DOANH)", 3.0),
    ("business_registration", r"MA SO DOANH NGHIEP|DANG KY LAN DAU", 2.0),
    ("administrative_decision", r"^QUYET DINH\b", 3.5),
    ("administrative_decision", r"/QD-", 1.5),
    ("administrative_decision", r"\bDIEU 1\b", 1.0),
    ("official_letter", r"^(THONG BAO|CONG VAN|TO TRINH|BAO CAO|GIAY MOI|KE HOACH)\b", 3.0),
    ("official_letter", r"\bV/V\b", 2.0),
    ("official_letter", r"/(TB|TTR|BC|KH|GM|CV)-|/[A-Z]{2,6}-[A-Z]{2,6}\b", 0.8),
    ("application_form", r"^(DON|TO KHAI)\b", 3.5),
    ("application_form", r"TOI LAM DON NAY|TOI XIN CAM DOAN|DE NGHI", 1.0),
    ("application_form", r"KINH GUI", 0.8),
    ("power_of_attorney", r"UY QUYEN", 3.0),
    ("power_of_attorney", r"BEN (DUOC )?UY QUYEN", 1.5),
    ("dossier_receipt", r"TIEP NHAN HO SO|HEN TRA KET QUA", 3.0),
    ("dossier_receipt", r"MA HO SO", 2.0),
)
_COMPILED = tuple((t, re.compile(p, re.MULTILINE), w) for t, p, w in _CUES)
_HEADER = re.compile(r"CONG HOA|DOC LAP|TU DO|HANH PHUC|SOCIALIST|INDEPENDENCE")
_MIN_SCORE = 2.0


@dataclass(frozen=True)
class Classification:
    """A type with a confidence 0–1 and the scores behind it (for review and training)."""

    doc_type: str
    confidence: float
    scores: dict[str, float]


def title_lines(folded_upper: str, limit: int = 14) -> list[str]:
    """Upper-case lines near the top that are not the national motto header."""
    out = []
    for line in folded_upper.splitlines()[:40]:
        s = line.strip()
        if len(s) >= 3 and not _HEADER.search(s) and _mostly_upper(s):
            out.append(s)
        if len(out) >= limit:
            break
    return out


def _mostly_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def classify(text: str) -> Classification:
    """Best doc_type for a document's text; `other` when no rule is convincing."""
    folded = fold(text)
    upper = folded.upper()
    titles = "\n".join(title_lines(folded))
    scores: dict[str, float] = {}
    for doc_type, pattern, weight in _COMPILED:
        hit = 0.0
        if pattern.search(titles):
            hit = 2 * weight
        elif pattern.search(upper):
            hit = weight
        if hit:
            scores[doc_type] = scores.get(doc_type, 0.0) + hit
    if not scores:
        return Classification("other", 0.5, {})
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < _MIN_SCORE:
        return Classification("other", 0.4, scores)
    margin = (top - second) / top
    confidence = min(0.99, 0.5 + 0.5 * margin * min(1.0, top / 8.0) + 0.1 * (top >= 8))
    return Classification(best, round(confidence, 3), scores)

"""Classify a paper into the DOMAIN `doc_type` vocabulary, with a calibrated confidence.

Two voices, combined by log-linear pooling:

- **Rules** from the legal forms: the type name printed as the title under the Decree-30
  header (GIẤY KHAI SINH, QUYẾT ĐỊNH …) weighs most, then the number symbol (`/QĐ-`,
  `/TB-`), body cues (`Thửa đất số`, `Mã hồ sơ`), the features of an ID-card back, and a
  decoded QR code, which proves its type.
- **A trained model** (`ocr_models.classifier`, TF-IDF n-grams + logistic regression),
  the safety net for titles OCR mangled. Absent model: rules alone.

Matching runs on folded, upper-cased text so missing or misread diacritics still match.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ocr_models.classifier import TextClassifier, load_default
from ocr_models.vietnamese import fold
from pipeline.models import DOC_TYPES
from pipeline.qr import qr_doc_type

log = logging.getLogger(__name__)

# The type name as printed as a title (start of a title line, folded upper case).
_TITLES: tuple[tuple[str, str], ...] = (
    (
        "citizen_id_card",
        r"(THE )?CAN CUOC( CONG DAN)?\b|(GIAY )?CHUNG MINH NHAN DAN|CITIZEN IDENTITY",
    ),
    ("birth_certificate", r"(BAN SAO )?(GIAY KHAI SINH|TRICH LUC KHAI SINH)"),
    ("marriage_certificate", r"GIAY CHUNG NHAN KET HON|TRICH LUC (DANG KY )?KET HON"),
    ("marital_status_certificate", r"(GIAY )?XAC NHAN TINH TRANG HON NHAN"),
    ("death_extract", r"TRICH LUC (DANG KY )?KHAI TU|GIAY CHUNG TU"),
    ("residence_confirmation", r"(GIAY )?XAC NHAN THONG TIN VE CU TRU|THONG TIN VE CU TRU"),
    ("household_book", r"SO (HO KHAU|TAM TRU)"),
    (
        "land_use_certificate",
        r"GIAY CHUNG NHAN\b.{0,40}QUYEN (SU DUNG DAT|SO HUU NHA)|QUYEN SU DUNG DAT",
    ),
    (
        "business_registration",
        r"GIAY CHUNG NHAN DANG KY (DOANH NGHIEP|HO KINH DOANH|KINH DOANH|HOAT DONG CHI NHANH"
        r"|HOAT DONG VAN PHONG DAI DIEN|DIA DIEM KINH DOANH)",
    ),
    ("administrative_decision", r"QUYET DINH\b"),
    (
        "official_letter",
        r"(THONG BAO|CONG VAN|TO TRINH|BAO CAO|GIAY MOI|KE HOACH|GIAY GIOI THIEU)\b",
    ),
    ("application_form", r"(DON(?! VI\b)|TO KHAI|PHIEU DE NGHI|BAN KHAI)\b"),
    ("power_of_attorney", r"(GIAY|HOP DONG|VAN BAN) UY QUYEN"),
    ("dossier_receipt", r"(GIAY|PHIEU) (TIEP NHAN|BIEN NHAN)( HO SO| VA HEN)|PHIEU HEN TRA"),
)


def _spaced(pattern: str) -> str:
    """Let every space in a pattern go missing: OCR often glues words (SỔHỘKHẨU)."""
    return pattern.replace(" ", r"\s?")


_TITLE_RES = tuple((t, re.compile(r"^[^A-Z0-9]{0,6}(" + _spaced(p) + ")")) for t, p in _TITLES)
# Type names as printed, for titles OCR misread a letter or two of (CĂN GUỐC CÔNG ÂN).
_TITLE_NAMES: tuple[tuple[str, str], ...] = (
    ("citizen_id_card", "CAN CUOC CONG DAN"),
    ("citizen_id_card", "CHUNG MINH NHAN DAN"),
    ("citizen_id_card", "GIAY CHUNG MINH NHAN DAN"),
    ("birth_certificate", "GIAY KHAI SINH"),
    ("birth_certificate", "TRICH LUC KHAI SINH"),
    ("marriage_certificate", "GIAY CHUNG NHAN KET HON"),
    ("marital_status_certificate", "XAC NHAN TINH TRANG HON NHAN"),
    ("death_extract", "TRICH LUC KHAI TU"),
    ("residence_confirmation", "XAC NHAN THONG TIN VE CU TRU"),
    ("land_use_certificate", "GIAY CHUNG NHAN QUYEN SU DUNG DAT"),
    ("business_registration", "GIAY CHUNG NHAN DANG KY DOANH NGHIEP"),
    ("business_registration", "GIAY CHUNG NHAN DANG KY HO KINH DOANH"),
    ("administrative_decision", "QUYET DINH"),
    ("power_of_attorney", "GIAY UY QUYEN"),
    ("power_of_attorney", "HOP DONG UY QUYEN"),
    ("dossier_receipt", "GIAY TIEP NHAN HO SO"),
)
_FUZZY_TITLE_MIN = 85.0
_FUZZY_TITLE_WEIGHT = 5.0
_FIRST_TITLE_WEIGHT = 8.0
_OTHER_TITLE_WEIGHT = 2.0

# (doc_type, pattern anywhere in folded upper text, weight); each cue counts once.
_CUES: tuple[tuple[str, str, float], ...] = (
    ("citizen_id_card", r"FULL NAME|DATE OF BIRTH|PLACE OF ORIGIN|IDENTITY CARD", 2.0),
    ("citizen_id_card", r"PLACE OF RESIDENCE|DATE OF EXPIRY|NATIONALITY|/ ?SEX\b", 1.0),
    ("citizen_id_card", r"CAN CUOC|CHUNG MINH NHAN DAN", 2.0),
    ("birth_certificate", r"NGUOI CHA|NGUOI ME|HO, CHU DEM, TEN (NGUOI )?(CHA|ME)", 1.5),
    ("birth_certificate", r"GIAY KHAI SINH|BANG CHU", 1.0),
    ("marriage_certificate", r"TEN CHONG|TEN VO|BEN CHONG|BEN VO", 2.0),
    ("marriage_certificate", r"KET HON", 1.0),
    ("marital_status_certificate", r"TINH TRANG HON NHAN", 3.0),
    ("marital_status_certificate", r"GIAY NAY CO GIA TRI|MUC DICH SU DUNG", 1.0),
    ("death_extract", r"KHAI TU|DA CHET|NGAY CHET|NOI CHET|NGUYEN NHAN CHET", 2.5),
    ("residence_confirmation", r"THONG TIN VE CU TRU", 3.0),
    ("residence_confirmation", r"\bCT0?7\b|THOI HAN CU TRU|THUONG TRU TAI", 1.0),
    ("household_book", r"SO HO KHAU|SO TAM TRU", 3.0),
    ("household_book", r"HO VA TEN CHU HO|QUAN HE VOI CHU HO|NHUNG NGUOI TRONG HO", 2.5),
    ("land_use_certificate", r"THUA DAT SO|TO BAN DO SO", 2.5),
    ("land_use_certificate", r"QUYEN SU DUNG DAT|TAI SAN GAN LIEN|MUC DICH SU DUNG DAT", 1.5),
    ("business_registration", r"MA SO DOANH NGHIEP|DANG KY LAN DAU|VON DIEU LE", 2.5),
    ("business_registration", r"NGUOI DAI DIEN THEO PHAP LUAT|TEN CONG TY", 1.0),
    ("administrative_decision", r"\bDIEU 1\b", 1.5),
    ("administrative_decision", r"CAN CU", 0.5),
    ("official_letter", r"\bV\s?/\s?V\b|(^|\n)\W{0,3}(V\s?[/|]|VW)\s", 2.0),
    ("official_letter", r"KINH GUI|NOI NHAN", 0.5),
    ("application_form", r"TOI LAM DON NAY|TOI XIN CAM DOAN|TOI CAM DOAN|NGUOI LAM DON", 1.5),
    ("application_form", r"KINH GUI|DE NGHI|NGUOI VIET DON|NGUOI KHAI", 1.0),
    ("power_of_attorney", r"BEN (DUOC )?UY QUYEN|NGUOI (DUOC )?UY QUYEN", 2.5),
    ("power_of_attorney", r"UY QUYEN", 1.0),
    ("dossier_receipt", r"HEN TRA KET QUA|NGUOI TIEP NHAN HO SO", 2.0),
    ("dossier_receipt", r"MA HO SO", 2.0),
    ("dossier_receipt", r"TIEP NHAN HO SO|MOT CUA", 0.5),
)
_CUE_RES = tuple((t, re.compile(_spaced(p)), w) for t, p, w in _CUES)

# Number symbols of Decree 30: `123/QĐ-UBND`, `45/2020/TB-STTT` …
_SYMBOL = re.compile(r"\bSO\W{0,3}\d{1,5}\s?/\s?(?:\d{4}\s?/\s?)?([A-Z]{1,5})\s?-\s?[A-Z]")
_SYMBOL_TYPES = {
    "QD": "administrative_decision",
    "GUQ": "power_of_attorney",
    "UQ": "power_of_attorney",
    **dict.fromkeys(
        ("TB", "CV", "BC", "TTR", "KH", "GM", "GGT", "GT", "HD", "CT"), "official_letter"
    ),
}
_SYMBOL_WEIGHT = 2.5
# Letters whose symbol is `number/BODY-UNIT` (686/STTT-CNTT): no type abbreviation.
_LETTER_SYMBOL = re.compile(r"\bSO\W{0,3}\d{1,5}\s?/\s?[A-Z]{2,8}\s?-\s?[A-Z]{2,8}\b")

# The back of an ID card: fingerprints, identifying marks, machine-readable zone.
CARD_BACK = re.compile(
    r"DAC DIEM NHAN DANG|PERSONAL IDENTIFICATION|NGON TRO (TRAI|PHAI)|IDVNM|"
    r"DATE OF EXPIRY|MINISTRY OF PUBLIC SECURITY|DAU VET RIENG|LEFT INDEX FINGER"
)
_CARD_BACK_WEIGHT = 3.0
_QR_WEIGHT = 10.0

_LOWER = re.compile(r"[a-z]")
_HEADER = re.compile(r"CONG HOA|DOC LAP|TU DO|HANH PHUC|SOCIALIST|INDEPENDENCE")
# Below this best rule score, the rules vote `other`.
_OTHER_SCORE = 2.5
_OTHER_MAX_CONFIDENCE = 0.5
# Rule scores → probabilities: softmax(score / temperature).
_RULE_TEMPERATURE = 1.5


@dataclass(frozen=True)
class Classification:
    """A type with a confidence 0–1 and the scores behind it (for review and training)."""

    doc_type: str
    confidence: float
    scores: dict[str, float]


def title_lines(folded: str, limit: int = 14) -> list[str]:
    """Upper-case lines (or line openings) near the top, other than the national motto.

    A line read across both header columns (`GIẤY KHAI SINH Hà Nội, ngày …`) keeps its
    upper-case opening.
    """
    out = []
    for line in folded.splitlines()[:40]:
        s = line.strip()
        if not _mostly_upper(s):
            s = _LOWER.split(s, maxsplit=1)[0]
            # Drop the capital that opens the first lower-case word ("SINH Hà" → "SINH").
            s = s[:-1].rstrip() if len(s) > 1 and s[-1].isalpha() and s[-2] == " " else s.strip()
        if sum(c.isalpha() for c in s) >= 3 and not _HEADER.search(s):
            out.append(s)
        if len(out) >= limit:
            break
    return out


def _mostly_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def title_type(text: str) -> str | None:
    """The doc_type named by the first title line of `text`, if any."""
    folded = fold(text)
    lines = title_lines(folded)
    for i, line in enumerate(lines):
        joined = _joined(line, lines[i + 1] if i + 1 < len(lines) else "")
        for doc_type, pattern in _TITLE_RES:
            if pattern.search(joined):
                return doc_type
    return None


def _joined(line: str, following: str) -> str:
    """A title line with the next one: titles often break (GIẤY XÁC NHẬN / TÌNH TRẠNG …)."""
    return re.sub(r"\s+", " ", f"{line} {following}".upper())


def _fuzzy_title(lines: list[str]) -> str | None:
    """The type whose printed name a title line nearly spells (letters only, ≥ 85% alike)."""
    for line in lines[:8]:
        letters = re.sub(r"[^A-Z]", "", line.upper())
        for doc_type, name in _TITLE_NAMES:
            target = name.replace(" ", "")
            if len(letters) < 0.8 * len(target):
                continue
            if fuzz.ratio(letters[: len(target) + 1], target) >= _FUZZY_TITLE_MIN:
                return doc_type
    return None


def rule_scores(text: str, qr_codes: list[str] | None = None) -> dict[str, float]:
    """Evidence per doc_type from titles, symbols, body cues, card-back cues and QR codes."""
    folded = fold(text)
    upper = re.sub(r"[ \t]+", " ", folded.upper())
    scores: dict[str, float] = {}

    def add(doc_type: str, weight: float) -> None:
        scores[doc_type] = scores.get(doc_type, 0.0) + weight

    first = True
    lines = title_lines(folded)
    for i, line in enumerate(lines):
        joined = _joined(line, lines[i + 1] if i + 1 < len(lines) else "")
        for doc_type, pattern in _TITLE_RES:
            if pattern.search(joined):
                add(doc_type, _FIRST_TITLE_WEIGHT if first else _OTHER_TITLE_WEIGHT)
                first = False
                break
    if first:  # no title read cleanly: accept a near miss
        fuzzy = _fuzzy_title(lines)
        if fuzzy:
            add(fuzzy, _FUZZY_TITLE_WEIGHT)
    for doc_type, pattern, weight in _CUE_RES:
        if pattern.search(upper):
            add(doc_type, weight)
    symbol = _SYMBOL.search(upper)
    if symbol and symbol.group(1) in _SYMBOL_TYPES:
        add(_SYMBOL_TYPES[symbol.group(1)], _SYMBOL_WEIGHT)
    elif _LETTER_SYMBOL.search(upper):
        add("official_letter", _SYMBOL_WEIGHT)
    if CARD_BACK.search(upper):
        add("citizen_id_card", _CARD_BACK_WEIGHT)
    proved = qr_doc_type(qr_codes or [])
    if proved:
        add(proved, _QR_WEIGHT)
    return scores


def rule_log_probs(scores: dict[str, float]) -> dict[str, float]:
    """Rule scores as log-probabilities over DOC_TYPES (`other` holds a fixed baseline)."""
    logits = {t: scores.get(t, 0.0) / _RULE_TEMPERATURE for t in DOC_TYPES}
    logits["other"] = _OTHER_SCORE / _RULE_TEMPERATURE
    return _log_softmax(logits)


def _log_softmax(logits: dict[str, float]) -> dict[str, float]:
    top = max(logits.values())
    total = math.log(sum(math.exp(v - top) for v in logits.values())) + top
    return {t: v - total for t, v in logits.items()}


@lru_cache(maxsize=1)
def _default_model() -> TextClassifier | None:
    return load_default()


def classify(
    text: str,
    qr_codes: list[str] | None = None,
    *,
    model: TextClassifier | None = None,
    use_model: bool = True,
) -> Classification:
    """Best doc_type for a document's text (and its pages' QR codes), with a confidence.

    The model (the checked-in one unless `model` is given) is pooled with the rules using
    the weights and temperature fitted when it was trained; without one, rules alone.
    """
    scores = rule_scores(text, qr_codes)
    combined = rule_log_probs(scores)
    if use_model:
        model = model or _default_model()
    if model is not None and use_model and text.strip():
        model_lp = model.log_probs(text, DOC_TYPES)
        pooled = {
            t: model.rule_weight * combined[t] + model.model_weight * model_lp[t] for t in DOC_TYPES
        }
        combined = _log_softmax({t: v / model.temperature for t, v in pooled.items()})
    best = max(combined, key=lambda t: combined[t])
    confidence = math.exp(combined[best])
    if best == "other":
        # `other` means no type was recognised: never sure enough to skip an officer's look.
        confidence = min(confidence, _OTHER_MAX_CONFIDENCE)
    return Classification(best, round(min(confidence, 0.999), 3), scores)

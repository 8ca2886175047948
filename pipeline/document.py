"""Build one document from its pages: classify, extract fields, validate, flag for review."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein

from ocr_models.mrz import zone_fields, zone_name
from ocr_models.vietnamese import fold
from pipeline.classify import classify
from pipeline.extract import extract_fields, fields_allowed
from pipeline.models import DocumentResult, FieldValue, PageText
from pipeline.validate import field_problems

QrReader = Callable[[list[str]], dict[str, str]]
fields_from_qr: QrReader | None
try:  # the QR stage's module; documents are still built when it is missing
    from pipeline.qr import fields_from_qr
except ImportError:  # pragma: no cover - depends on the checkout
    fields_from_qr = None

_REVIEW_OCR_CONF = 0.6
_REVIEW_TYPE_CONF = 0.6
_QR_CONFIDENCE = 0.98  # printed by the issuing system, decoded with error correction
_ZONE_CONFIDENCE = 0.95  # OCR'd, but vouched for by the zone's own check digits
_FAILED_CONFIDENCE = 0.3


def build_document(pages: list[PageText]) -> DocumentResult:
    """Classify and extract one paper from its pages, then validate what was found."""
    text = "\n\n".join(p.text for p in pages if p.text)
    result = classify(text, [code for p in pages for code in p.qr_codes])
    fields = extract_fields(result.doc_type, text, pages)
    _prefer_zone(result.doc_type, text, fields)
    _prefer_qr(result.doc_type, pages, fields)
    content = [p for p in pages if p.source in ("ocr", "text-layer")]
    ocr_conf = sum(p.confidence for p in content) / len(content) if content else 0.0
    doc = DocumentResult(
        result.doc_type, result.confidence, pages[0].number, pages[-1].number, text,
        ocr_conf, fields,
    )  # fmt: skip
    for p in pages:
        doc.warnings.extend(p.warnings)
    _validate(doc)
    if (
        doc.warnings
        or ocr_conf < _REVIEW_OCR_CONF
        or result.confidence < _REVIEW_TYPE_CONF
        or not text.strip()
    ):
        doc.needs_review = True
    return doc


def _prefer_zone(doc_type: str, text: str, fields: dict[str, FieldValue]) -> None:
    """Values a chip card's machine-readable zone vouches for replace the front's OCR.

    See `ocr_models.mrz.zone_fields`: only what the zone's check digits confirm. A QR code,
    applied after, still wins.
    """
    if doc_type != "citizen_id_card":
        return
    for name, value in zone_fields(text).items():
        fields[name] = FieldValue(value, _ZONE_CONFIDENCE, "mrz")
    face = _name_on_face(text, zone_name(text))
    if face and fold(fields["full_name"].value if "full_name" in fields else "") != fold(face):
        fields["full_name"] = FieldValue(face, _ZONE_NAME_CONFIDENCE, "mrz")


# The name in capitals on the card's face, found by the zone's spelling of it: its label
# lost (`và tên / £uØ nan:`) or the line read under another label. One letter off at most
# in all (`HO<<HAI1<TRANG`), and only one line may fit.
_ZONE_NAME_CONFIDENCE = 0.85
_FACE_NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){1,5}$")


def _name_on_face(text: str, spelled: str | None) -> str | None:
    if not spelled:
        return None
    found = set()
    for line in text.split("\n"):
        line = line.strip(" .,:;-")
        capitals = _FACE_NAME.match(line) and line.isupper() and "<" not in line
        if capitals and Levenshtein.distance(fold(line).upper(), spelled) <= 1:
            found.add(line)
    return found.pop() if len(found) == 1 else None


def _prefer_qr(doc_type: str, pages: list[PageText], fields: dict[str, FieldValue]) -> None:
    """QR values replace OCR'd ones: the issuing system printed them (fields of this type only)."""
    codes = [c for p in pages for c in p.qr_codes]
    if not codes or fields_from_qr is None:
        return
    allowed = fields_allowed(doc_type)
    for name, value in fields_from_qr(codes).items():
        if name in allowed and value:
            fields[name] = FieldValue(value, _QR_CONFIDENCE, "qr")


def _validate(doc: DocumentResult) -> None:
    """Check IDs, tax codes and dates; a failing field keeps its value at low confidence."""
    values = {k: v.value for k, v in doc.fields.items()}
    for name, msgs in field_problems(values).items():
        if name in doc.fields:
            old = doc.fields[name]
            doc.fields[name] = FieldValue(
                old.value, min(old.confidence, _FAILED_CONFIDENCE), old.source, msgs[0]
            )
        doc.warnings.extend(msgs)

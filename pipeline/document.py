"""Build one document from its pages: classify, extract fields, validate, flag for review."""

from __future__ import annotations

from pipeline.classify import classify
from pipeline.extract import extract_fields
from pipeline.models import DocumentResult, PageText
from pipeline.validate import date_order_problems, personal_id_problems, tax_code_valid

_REVIEW_OCR_CONF = 0.6
_REVIEW_TYPE_CONF = 0.6


def build_document(pages: list[PageText]) -> DocumentResult:
    """Classify and extract one paper from its pages, then validate what was found."""
    text = "\n\n".join(p.text for p in pages if p.text)
    result = classify(text)
    fields = extract_fields(result.doc_type, text)
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


def _validate(doc: DocumentResult) -> None:
    """Check IDs, tax codes and dates; a failing field keeps its value at low confidence."""
    values = {k: v.value for k, v in doc.fields.items()}
    problems: dict[str, list[str]] = {}
    if "id_number" in values:
        p = personal_id_problems(
            values["id_number"], values.get("date_of_birth"), values.get("gender")
        )
        if p:
            problems["id_number"] = p
    if "business_code" in values and not tax_code_valid(values["business_code"]):
        problems["business_code"] = [f"tax code {values['business_code']} fails its check digit"]
    for msg in date_order_problems(values):
        problems.setdefault("issue_date" if "issue" in msg else "date_of_birth", []).append(msg)
    for name, msgs in problems.items():
        if name in doc.fields:
            old = doc.fields[name]
            doc.fields[name] = type(old)(old.value, min(old.confidence, 0.3), old.source, msgs[0])
        doc.warnings.extend(msgs)

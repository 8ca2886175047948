"""Field extraction: label-anchored values per doc_type, normalised to DOMAIN formats.

Labels are matched on folded, lower-cased lines so OCR that drops diacritics still finds
them; values are cut from the original (accented) line at the same offsets. An absent
label gives no field: nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ocr_models.vietnamese import fold
from pipeline.models import FieldValue
from pipeline.normalize import (
    clean_value,
    normalize_area,
    normalize_digits,
    normalize_doc_number,
    normalize_gender,
    normalize_name,
    parse_date,
)

Normaliser = Callable[[str], "str | None"]


def _text(value: str) -> str | None:
    cleaned = clean_value(value)
    return cleaned if len(cleaned) >= 2 else None


def _digits(*lengths: int) -> Normaliser:
    return lambda v: normalize_digits(v, lengths)


def _tax_code(value: str) -> str | None:
    m = re.search(r"\d{10}(?:\s*-\s*\d{3})?", value.replace(" ", ""))
    return m.group(0).replace(" ", "") if m else None


def _serial(value: str) -> str | None:
    m = re.search(r"\b([A-Z]{2})\s*[-:]?\s*(\d{6,8})\b", value)
    return f"{m.group(1)} {m.group(2)}" if m else None


def _dossier_code(value: str) -> str | None:
    m = re.search(r"[A-Z0-9][A-Z0-9.\-]{8,}[0-9]", value.replace(" ", ""))
    return m.group(0) if m else None


def _book_number(value: str) -> str | None:
    m = re.search(r"\d+(?:/\d{2,4})?", value)
    return m.group(0) if m else None


KIND: dict[str, Normaliser] = {
    "name": normalize_name,
    "date": parse_date,
    "text": _text,
    "id": _digits(12, 9),
    "gender": normalize_gender,
    "area": normalize_area,
    "docnum": normalize_doc_number,
    "digits": _digits(*range(1, 8)),
    "tax": _tax_code,
    "serial": _serial,
    "dossier": _dossier_code,
    "book": _book_number,
}


@dataclass(frozen=True)
class Label:
    """A printed label (regex on folded lower text) and the field its value fills."""

    field: str
    pattern: str
    kind: str


_PERSON = (
    Label("full_name", r"ho,? chu dem,? (va )?ten(?! (nguoi )?(cha|me|chong|vo))", "name"),
    Label("full_name", r"ho (va )?ten(?! (nguoi )?(cha|me|chong|vo))(\s*/\s*full name)?", "name"),
    Label("full_name", r"ten toi la|toi ten la", "name"),
    Label("date_of_birth", r"ngay,? thang,? nam sinh|ngay sinh|sinh ngay", "date"),
    Label("date_of_birth", r"date of birth", "date"),
    Label("gender", r"gioi tinh(\s*/\s*sex)?", "gender"),
    Label("id_number", r"so dinh danh ca nhan|so (cccd|can cuoc cong dan|cmnd|cmt)", "id"),
    Label("id_number", r"(giay to tuy than|so giay to)[^:]{0,30}", "id"),
    Label("nationality", r"quoc tich(\s*/\s*nationality)?", "text"),
    Label("ethnicity", r"dan toc", "text"),
    Label("place_of_origin", r"que quan(\s*/\s*place of origin)?", "text"),
    Label(
        "place_of_residence",
        r"(noi thuong tru|noi cu tru|dia chi thuong tru|noi o hien (tai|nay))"
        r"(\s*/\s*place of residence)?",
        "text",
    ),
    Label("place_of_birth", r"noi sinh", "text"),
)
_HEADER = (
    Label("document_number", r"^so(?=\s*[:.]?\s*\d)", "docnum"),
    Label("book_number", r"quyen so", "book"),
    Label("issue_date", r"ngay cap|ngay dang ky|date of issue", "date"),
    Label("expiry_date", r"co gia tri (den|toi)( ngay)?|ngay het han|date of expiry", "date"),
)
_PARENTS = (
    Label("father_name", r"(ho,? chu dem,? ten|ho (va )?ten) (nguoi )?cha|^cha\b", "name"),
    Label("mother_name", r"(ho,? chu dem,? ten|ho (va )?ten) (nguoi )?me|^me\b", "name"),
)
_SPOUSES = (
    Label("husband_name", r"(ho,? chu dem,? ten|ho (va )?ten) (ben )?chong|^chong\b", "name"),
    Label("wife_name", r"(ho,? chu dem,? ten|ho (va )?ten) (ben )?vo|^vo\b", "name"),
)
_ID_CARD = (
    Label("id_number", r"^so\s*/\s*no\.?|so\s*/\s*no\b|personal identification number", "id"),
    Label("full_name", r"full name", "name"),
    Label("expiry_date", r"co gia tri den|date of expiry", "date"),
)
_LAND = (
    Label("certificate_serial", r"so phat hanh|so seri|so serial", "serial"),
    Label("land_parcel_number", r"thua dat so", "digits"),
    Label("map_sheet_number", r"to ban do so", "digits"),
    Label("land_area_m2", r"dien tich", "area"),
    Label("land_address", r"dia chi( thua dat)?(?! thuong tru| tru so)", "text"),
)
_BUSINESS = (
    Label("business_code", r"ma so (doanh nghiep|thue|ho kinh doanh)", "tax"),
    Label(
        "business_name", r"ten (cong ty|doanh nghiep|ho kinh doanh) (viet )?bang tieng viet", "text"
    ),
    Label("head_office_address", r"dia chi (tru so chinh|tru so|dia diem kinh doanh)", "text"),
    Label("first_registration_date", r"dang ky lan dau", "date"),
)
_RECEIPT = (
    Label("dossier_code", r"ma (so )?ho so", "dossier"),
    Label("procedure_name", r"noi dung yeu cau giai quyet|ten thu tuc|thu tuc", "text"),
    Label("received_date", r"thoi gian nhan ho so|ngay nhan ho so|ngay tiep nhan", "date"),
    Label("appointment_date", r"thoi gian tra ket qua|ngay hen tra|hen tra ket qua", "date"),
)
_CIVIL = _PERSON + _HEADER
TYPE_LABELS: dict[str, tuple[Label, ...]] = {
    "citizen_id_card": _ID_CARD + _PERSON + _HEADER[2:],
    "birth_certificate": _PARENTS + _CIVIL,
    "marriage_certificate": _SPOUSES + _CIVIL,
    "marital_status_certificate": _CIVIL
    + (Label("marital_status", r"tinh trang hon nhan", "text"),),
    "death_extract": _CIVIL,
    "residence_confirmation": _CIVIL,
    "household_book": _CIVIL,
    "land_use_certificate": _LAND + _PERSON + _HEADER,
    "business_registration": _BUSINESS + _PERSON + _HEADER,
    "administrative_decision": _HEADER,
    "official_letter": _HEADER,
    "application_form": _PERSON + _HEADER,
    "power_of_attorney": _PERSON + _HEADER,
    "dossier_receipt": _RECEIPT + _PERSON + _HEADER,
    "other": _PERSON + _HEADER,
}
_COMPILED: dict[str, list[tuple[Label, re.Pattern[str]]]] = {
    t: [(lab, re.compile(lab.pattern)) for lab in labels] for t, labels in TYPE_LABELS.items()
}
_ENGLISH_LABEL = re.compile(r"^\s*/\s*[A-Za-z][A-Za-z .']{1,40}(?=:)")
_PLACE_DATE = re.compile(r",\s*ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}")
_SUBJECT = re.compile(r"^\s*(v/v|ve viec)\b[:.]?\s*", re.IGNORECASE)


def fold_aligned(text: str) -> str:
    """Folded lower-case copy with the same length, so offsets map back to the original."""
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f.lower() if len(f) == 1 else ch.lower())
    return "".join(out)


def _matches(
    line: str, labels: list[tuple[Label, re.Pattern[str]]]
) -> list[tuple[int, int, Label]]:
    """Non-overlapping label hits in one folded line, longest first, in line order."""
    hits: list[tuple[int, int, Label]] = []
    for lab, pat in labels:
        for m in pat.finditer(line):
            if m.end() > m.start():
                hits.append((m.start(), m.end(), lab))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    chosen: list[tuple[int, int, Label]] = []
    for h in hits:
        if all(h[1] <= c[0] or h[0] >= c[1] for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h[0])


def extract_fields(doc_type: str, text: str) -> dict[str, FieldValue]:
    """Label-anchored fields of one document, first occurrence of each label wins."""
    labels = _COMPILED.get(doc_type, _COMPILED["other"])
    lines = [ln for ln in text.splitlines() if ln.strip()]
    folded = [fold_aligned(ln) for ln in lines]
    fields: dict[str, FieldValue] = {}
    for i, (line, fline) in enumerate(zip(lines, folded, strict=True)):
        hits = _matches(fline, labels)
        for j, (_start, end, lab) in enumerate(hits):
            if lab.field in fields:
                continue
            stop = hits[j + 1][0] if j + 1 < len(hits) else len(line)
            raw = _ENGLISH_LABEL.sub("", line[end:stop])
            if not clean_value(raw) and i + 1 < len(lines) and not _matches(folded[i + 1], labels):
                raw = lines[i + 1]  # label on its own line, value below (ID cards)
            value = KIND[lab.kind](raw)
            if value:
                fields[lab.field] = FieldValue(value, 0.85)
    _header_fields(doc_type, lines, folded, fields)
    return fields


def _header_fields(
    doc_type: str, lines: list[str], folded: list[str], fields: dict[str, FieldValue]
) -> None:
    """Decree-30 header: place-and-date line as issue date; `V/v …` subject."""
    if "issue_date" not in fields:
        for line, fline in zip(lines, folded, strict=True):
            m = _PLACE_DATE.search(fline)
            if m:
                value = parse_date(line[m.start() :])
                if value:
                    fields["issue_date"] = FieldValue(value, 0.8)
                    break
    if doc_type in ("administrative_decision", "official_letter") and "subject" not in fields:
        for line, fline in zip(lines, folded, strict=True):
            m = _SUBJECT.match(fline)
            if m:
                value = _text(line[m.end() :])
                if value:
                    fields["subject"] = FieldValue(value, 0.75)
                    break

"""Field extraction: one extractor per doc_type, registered in `EXTRACTORS`.

An extractor reads printed labels (`extract_labels`) and Decree-30 layout (`extract_header`)
and normalises values to DOMAIN formats. Each type declares the fields its paper carries;
an absent label gives no field, and nothing outside that list is ever reported.
Confidence comes from evidence: how well the label matched, the OCR confidence of the
value's words, and how sure the layout rule is (validation lowers it later).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ocr_models.vietnamese import fold
from pipeline import extract_header as layout
from pipeline.extract_labels import (
    APPLICANT,
    BIRTH,
    BUSINESS,
    CARRIED_ID,
    CIVIL_REGISTRATION,
    HOUSEHOLD,
    ID_CARD,
    LAND,
    MARITAL,
    NAME,
    OWN_CARD,
    PERSON,
    PERSONAL_ID,
    RECEIPT,
    RESIDENCE,
    SPOUSES,
    STOPS,
    Label,
)
from pipeline.extract_values import Context, label_values
from pipeline.models import FieldValue, PageText
from pipeline.normalize import (
    FAMILY_NAMES,
    clean_value,
    normalize_doc_number,
    normalize_name,
    parse_date,
)


class Extractor(Protocol):
    """Turns one classified document's text into normalised fields."""

    def __call__(self, ctx: Context) -> dict[str, FieldValue]:
        """Fields found in the document; an absent label gives no field."""
        ...


LayoutRule = Callable[[Context, dict[str, FieldValue]], None]


@dataclass(frozen=True)
class TypeExtractor:
    """Label table plus layout rules for one doc_type, limited to the fields it carries."""

    labels: tuple[Label, ...]
    fields: frozenset[str]
    rules: tuple[LayoutRule, ...] = ()

    def __call__(self, ctx: Context) -> dict[str, FieldValue]:
        """Labels first (first occurrence wins), then layout rules fill what is missing."""
        found: dict[str, FieldValue] = {}
        label_values(ctx, self.labels + STOPS, self.fields, found)
        for rule in self.rules:
            rule(ctx, found)
        return {k: v for k, v in found.items() if k in self.fields}


# ---------------------------------------------------------------- layout rules


def _put(ctx: Context, found: dict[str, FieldValue], name: str, hit: layout.Found | None) -> None:
    if hit and name not in found:
        found[name] = FieldValue(hit.value, ctx.confidence(hit.value, hit.score))


def issue_from_place_date(ctx: Context, found: dict[str, FieldValue]) -> None:
    """Issue date from the `Hà Nội, ngày … tháng … năm …` line."""
    _put(ctx, found, "issue_date", layout.place_date(ctx.lines, ctx.folded))


def issuing_authority(ctx: Context, found: dict[str, FieldValue]) -> None:
    """Issuing body from the header's left column, else from the signature block."""
    hit = layout.header_authority(ctx.lines, ctx.folded)
    _put(ctx, found, "issuing_authority", hit or layout.signature_authority(ctx.lines, ctx.folded))


def signer_name(ctx: Context, found: dict[str, FieldValue]) -> None:
    """Name under the last signature block (spouses who also sign are not the signer)."""
    spouses = [found[k].value for k in ("husband_name", "wife_name") if k in found]
    _put(ctx, found, "signer_name", layout.signer(ctx.lines, ctx.folded, exclude=spouses))


# A card's number alone on its line (`079093483107`, an old CMND's `SỐ 266212294`).
_CARD_NUMBER = re.compile(r"[\W_]*(?:S[ỐOÔ]\W*)?(\d{12}|\d{9})[\W_]*")


def card_name(ctx: Context, found: dict[str, FieldValue]) -> None:
    """A card holder's name in capitals on its own line, one to four lines below the number.

    A card prints the name label in two languages, wrapped over one or two lines, and the
    name below it in bold capitals. On a fax or a copy the label's small print comes out
    as debris (`Ca Hợ, chữ đệm và tên khai { Suưname, miìddle and gen` / `Tế, Hữme:`) and
    the label is not found; the name itself is large and reads well. Taken only when the
    line is nothing but a name whose first word is a family name.
    """
    if "full_name" in found:
        return
    start = next((i for i, ln in enumerate(ctx.lines) if _CARD_NUMBER.fullmatch(ln.strip())), None)
    if start is None:
        return
    for i in range(start + 1, min(start + 5, len(ctx.lines))):
        line = clean_value(ctx.lines[i]).strip(" '\"`.,;:-")
        name = normalize_name(line)
        if (
            name
            and name == line
            and name.isupper()
            and fold(name.split()[0]).lower() in FAMILY_NAMES
        ):
            _put(ctx, found, "full_name", layout.Found(name, i, 0.8))
            return


# What a card's back prints over its signer: the issuing officer's title (`CỤC TRƯỞNG
# CỤC CẢNH SÁT …`, the old CMND's `GIÁM ĐỐC CA …`), the fingerprint boxes, the issue date.
_CARD_SIGN_AREA = re.compile(r"truong|giam doc|\bdoc ca\b|canh sat|ngon tro|date, month")


def card_signer(ctx: Context, found: dict[str, FieldValue]) -> None:
    """A card's signer when the title over the name was lost or the name came with debris.

    The name is what ends a line after the card's signing area (`“=„x~”, Trần Duy Dũng`,
    `- Nguyễn Công Hoàng`, and the old CMND's `NGÓN TRỎ TRÁI NGÓN TRỎ PHẢI Hoàng Thu Dung`,
    its fingerprint boxes read across to the name beside them): three to five words in
    Title case, the first a family name, within eight lines and before the zone. The
    holder's name and addresses (`Số 12 Trần Hưng Đạo`) come before that area.
    """
    if "signer_name" in found:
        return
    area = [i for i, f in enumerate(ctx.folded) if _CARD_SIGN_AREA.search(f)]
    if not area:
        return
    for i in range(area[-1], min(area[-1] + 9, len(ctx.lines))):
        if "<<" in ctx.lines[i]:
            return
        words = re.sub(r"[“”„«»\"]", " ", ctx.lines[i]).split()
        tail: list[str] = []
        for word in reversed(words):
            if not layout.name_word(word):
                break
            tail.insert(0, word)
        while tail and fold(tail[0]).lower() not in FAMILY_NAMES:
            tail.pop(0)
        name = normalize_name(" ".join(tail)) if 3 <= len(tail) <= 5 else None
        if name:
            _put(ctx, found, "signer_name", layout.Found(name, i, 0.6))
            return


# `Quốc tịch / Nationality: Việt Nam` with its English half garbled and no colon left
# (`Quốc tích Naưonofify- Việt Nam`, `Quốc tịch / Ngtonglity Việt Nam`), mid-line after a
# gender label read as debris: the label is then no label to `label_values`.
_CARD_NATIONALITY = re.compile(r"\bquoc ti?ch\b.{0,25}?\bviet nam\b")


def card_nationality(ctx: Context, found: dict[str, FieldValue]) -> None:
    """`Việt Nam` where a card's nationality label is followed by it on its line."""
    if "nationality" in found:
        return
    for i, folded in enumerate(ctx.folded):
        if _CARD_NATIONALITY.search(folded):
            _put(ctx, found, "nationality", layout.Found("Việt Nam", i, 0.7))
            return


def land_serial(ctx: Context, found: dict[str, FieldValue]) -> None:
    """The red serial (`CS 123456`) printed alone on a line of a land certificate."""
    for i, line in enumerate(ctx.lines):
        # the series is two Latin capitals: `©S` is a bold C, `CHÍ` a mark from the seal
        line = re.sub(r"^([\W_]*)©", r"\1C", line.strip())
        m = re.fullmatch(r"[\W_]*([A-Z]{2})[^\W\d_A-Za-z]?[\s.,]{0,2}(\d{6})[\W_]*", line)
        if m and "certificate_serial" not in found:
            value = f"{m.group(1)} {m.group(2)}"
            _put(ctx, found, "certificate_serial", layout.Found(value, i, 0.85))


def trich_yeu(ctx: Context, found: dict[str, FieldValue]) -> None:
    """Subject (`Về việc …`, `V/v …`) of a decision or letter; a person named in it."""
    hit = layout.subject(ctx.lines, ctx.folded)
    _put(ctx, found, "subject", hit)
    if hit and "full_name" not in found:
        who = layout.subject_person(hit.value)
        if who:
            found["full_name"] = FieldValue(who, ctx.confidence(who, 0.7))


def document_number_anywhere(ctx: Context, found: dict[str, FieldValue]) -> None:
    """`Số: 732/QĐ-UBND` when OCR put header text before it on the same line."""
    if "document_number" in found:
        return
    for i, fline in enumerate(ctx.folded[:8]):
        m = re.search(r"(?<![a-z])so\s*[:.,]\s*(?=\d)", fline)
        rest = ctx.lines[i][m.end() :] if m else ""
        # An address (`Số 136 đường …`) is not a number symbol: need `/` or nothing after.
        if m and re.match(r"\s*\d+\s*(/|[A-ZĐ]{2}|$|[\W_]*$)", rest):
            value = normalize_doc_number(rest)
            if value:
                found["document_number"] = FieldValue(value, ctx.confidence(value, 0.8))
                return


def requested_procedure(ctx: Context, found: dict[str, FieldValue]) -> None:
    """What an application asks for: its `V/v …` or `Đề nghị …` subtitle."""
    hit = layout.subject(ctx.lines, ctx.folded)
    if hit is None:
        for i, fline in enumerate(ctx.folded[:12]):
            if re.match(r"^[\W_]*de nghi\s+\w", fline):
                value = clean_value(ctx.lines[i][fline.index("de nghi") + 7 :])
                hit = layout.Found(value, i, 0.75) if len(value) > 3 else None
                break
    if hit:
        _put(ctx, found, "procedure_name", layout.Found(hit.value, hit.line, hit.score))


def attorney_date(ctx: Context, found: dict[str, FieldValue]) -> None:
    """`Hôm nay, ngày …` opening a power of attorney, else its place-and-date line."""
    for i, fline in enumerate(ctx.folded):
        if re.search(r"h\wm nay|^[\W_]*h\w{1,2}m \w{2,4}\s*,\s*ngay", fline):
            value = parse_date(ctx.lines[i])
            if value:
                _put(ctx, found, "issue_date", layout.Found(value, i, 0.85))
                return
    issue_from_place_date(ctx, found)


def latest_registration(ctx: Context, found: dict[str, FieldValue]) -> None:
    """A business certificate is issued on its last registration (`Đăng ký thay đổi …`)."""
    for i, fline in enumerate(ctx.folded[:20]):
        if re.search(r"dang ky thay\W*doi", fline):
            value = parse_date(ctx.lines[i])
            if value:
                _put(ctx, found, "issue_date", layout.Found(value, i, 0.85))
            return  # changed since: the first registration is not the issue date
    first = found.get("first_registration_date")
    if first and "issue_date" not in found:
        found["issue_date"] = FieldValue(first.value, first.confidence * 0.9)


_DECREE30 = (document_number_anywhere, issue_from_place_date, issuing_authority, signer_name)
_BASE = frozenset(
    {"document_number", "book_number", "issue_date", "issuing_authority", "signer_name"}
)
_PEOPLE = frozenset({"full_name", "date_of_birth", "gender", "ethnicity", "nationality"})


def _fields(*groups: Iterable[str]) -> frozenset[str]:
    return frozenset(f for g in groups for f in g)


EXTRACTORS: dict[str, Extractor] = {
    "citizen_id_card": TypeExtractor(
        ID_CARD + PERSONAL_ID + PERSON,
        _fields(_PEOPLE, {"id_number", "place_of_origin", "place_of_residence",
                          "place_of_birth", "expiry_date", "issue_date", "signer_name"}),
        # issue date: an old CMND's back
        (issue_from_place_date, signer_name, card_signer, card_name, card_nationality),
    ),
    "birth_certificate": TypeExtractor(
        BIRTH + CIVIL_REGISTRATION + PERSONAL_ID + PERSON,
        _fields(_PEOPLE, _BASE, {"place_of_birth", "place_of_origin", "id_number",
                                 "father_name", "mother_name"}),
        _DECREE30,
    ),
    "marriage_certificate": TypeExtractor(
        SPOUSES + CIVIL_REGISTRATION, _fields(_BASE, {"husband_name", "wife_name"}), _DECREE30
    ),
    "marital_status_certificate": TypeExtractor(
        MARITAL + CIVIL_REGISTRATION + CARRIED_ID + PERSONAL_ID + OWN_CARD + PERSON,
        _fields(_PEOPLE, _BASE, {"id_number", "place_of_residence", "marital_status",
                                 "expiry_date"}),
        _DECREE30,
    ),
    "death_extract": TypeExtractor(
        CIVIL_REGISTRATION + CARRIED_ID + PERSONAL_ID + OWN_CARD + PERSON,
        _fields(_PEOPLE, _BASE, {"id_number"}),
        _DECREE30,
    ),
    "residence_confirmation": TypeExtractor(
        RESIDENCE + PERSONAL_ID + PERSON,
        _fields(_PEOPLE, _BASE - {"book_number"}, {"id_number", "place_of_origin",
                                                   "place_of_residence", "expiry_date"}),
        _DECREE30,
    ),
    "household_book": TypeExtractor(
        HOUSEHOLD + PERSON,
        frozenset({"full_name", "place_of_residence", "document_number", "issue_date",
                   "issuing_authority", "signer_name"}),
        _DECREE30,
    ),
    "land_use_certificate": TypeExtractor(
        LAND + NAME + OWN_CARD,
        frozenset({"full_name", "id_number", "place_of_residence", "certificate_serial",
                   "land_parcel_number", "map_sheet_number", "land_area_m2", "land_address",
                   "issue_date", "issuing_authority", "signer_name"}),
        (issue_from_place_date, issuing_authority, signer_name, land_serial),
    ),
    "business_registration": TypeExtractor(
        BUSINESS + PERSONAL_ID + NAME + PERSON[3:5],
        frozenset({"business_code", "business_name", "head_office_address",
                   "first_registration_date", "full_name", "date_of_birth", "gender",
                   "id_number", "issue_date", "issuing_authority", "signer_name"}),
        (latest_registration, issuing_authority, signer_name),
    ),
    "administrative_decision": TypeExtractor(
        (), frozenset({"document_number", "issue_date", "issuing_authority", "signer_name",
                       "subject", "full_name"}),
        (*_DECREE30, trich_yeu),
    ),
    "official_letter": TypeExtractor(
        (), frozenset({"document_number", "issue_date", "issuing_authority", "signer_name",
                       "subject"}),
        (*_DECREE30, trich_yeu),
    ),
    "application_form": TypeExtractor(
        APPLICANT + PERSONAL_ID + OWN_CARD + PERSON,
        _fields(_PEOPLE, {"id_number", "place_of_residence", "procedure_name", "issue_date",
                          "signer_name"}),
        (requested_procedure, issue_from_place_date, signer_name),
    ),
    "power_of_attorney": TypeExtractor(
        APPLICANT + PERSONAL_ID + OWN_CARD + PERSON,
        _fields(_PEOPLE, {"id_number", "place_of_residence", "issue_date"}),
        (attorney_date,),
    ),
    "dossier_receipt": TypeExtractor(
        RECEIPT, frozenset({"dossier_code", "full_name", "procedure_name", "received_date",
                            "appointment_date"}),
    ),
    "other": TypeExtractor(
        PERSONAL_ID + PERSON + CIVIL_REGISTRATION[:1],
        _fields(_PEOPLE, {"id_number", "place_of_residence", "document_number", "issue_date"}),
        (issue_from_place_date,),
    ),
}  # fmt: skip


def fields_allowed(doc_type: str) -> frozenset[str]:
    """The fields a paper of this type can carry (QR values are limited to these too)."""
    extractor = EXTRACTORS.get(doc_type, EXTRACTORS["other"])
    return extractor.fields if isinstance(extractor, TypeExtractor) else frozenset()


def extract_fields(
    doc_type: str, text: str, pages: Iterable[PageText] = ()
) -> dict[str, FieldValue]:
    """Fields of one classified document, with evidence-based confidences."""
    extractor = EXTRACTORS.get(doc_type, EXTRACTORS["other"])
    return extractor(Context.build(text, pages))

"""Typed values that flow between stages, and the sidecar record they become."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DOC_TYPES: tuple[str, ...] = (
    "citizen_id_card",
    "birth_certificate",
    "marriage_certificate",
    "marital_status_certificate",
    "death_extract",
    "residence_confirmation",
    "household_book",
    "land_use_certificate",
    "business_registration",
    "administrative_decision",
    "official_letter",
    "application_form",
    "power_of_attorney",
    "dossier_receipt",
    "other",
)

FIELD_NAMES: tuple[str, ...] = (
    "full_name", "date_of_birth", "gender", "id_number", "nationality", "ethnicity",
    "place_of_origin", "place_of_residence", "place_of_birth", "father_name", "mother_name",
    "husband_name", "wife_name", "marital_status", "document_number", "book_number",
    "issue_date", "expiry_date", "issuing_authority", "subject", "signer_name",
    "business_code", "business_name", "head_office_address", "first_registration_date",
    "certificate_serial", "land_parcel_number", "map_sheet_number", "land_area_m2",
    "land_address", "dossier_code", "procedure_name", "received_date", "appointment_date",
)  # fmt: skip

DATE_FIELDS = frozenset(
    {"date_of_birth", "issue_date", "expiry_date", "first_registration_date",
     "received_date", "appointment_date"}
)  # fmt: skip

RECORD_SCHEMA_VERSION = 1

PageSource = Literal["ocr", "text-layer", "blank", "failed"]


@dataclass(frozen=True)
class Word:
    """One recognised word with its box (pixels, page image) and confidence 0–1."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float


@dataclass
class PageText:
    """Text of one page, from OCR or a PDF text layer, with a reason when degraded."""

    number: int
    text: str
    confidence: float
    source: PageSource
    words: list[Word] = field(default_factory=list)
    width: int = 0
    height: int = 0
    warnings: list[str] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        """True for a page with no content (dropped from documents)."""
        return self.source == "blank"


@dataclass(frozen=True)
class FieldValue:
    """An extracted field: normalised value, confidence 0–1 and where it came from."""

    value: str
    confidence: float
    source: str = "text"
    warning: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The `{"value", "confidence"}` shape of the CLI contract (plus source)."""
        out: dict[str, Any] = {"value": self.value, "confidence": round(self.confidence, 3)}
        if self.source != "text":
            out["source"] = self.source
        return out


@dataclass
class DocumentResult:
    """One paper found in a file: its pages, type, text and fields."""

    doc_type: str
    doc_type_confidence: float
    page_start: int
    page_end: int
    text: str
    ocr_confidence: float
    fields: dict[str, FieldValue] = field(default_factory=dict)
    needs_review: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The per-document object of the `dossier process --json` contract."""
        return {
            "doc_type": self.doc_type,
            "doc_type_confidence": round(self.doc_type_confidence, 3),
            "page_start": self.page_start,
            "page_end": self.page_end,
            "text": self.text,
            "ocr_confidence": round(self.ocr_confidence, 3),
            "fields": {k: v.as_json() for k, v in self.fields.items()},
            "needs_review": self.needs_review,
            "warnings": list(self.warnings),
        }


@dataclass
class FileResult:
    """Everything the pipeline learned about one input file."""

    file: str
    sha256: str
    size: int
    media_type: str
    page_count: int
    documents: list[DocumentResult]
    pages: list[PageText] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """One line of the `dossier process --json` contract."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "documents": [d.as_json() for d in self.documents],
        }


def to_plain(obj: Any) -> Any:
    """Dataclass → plain JSON-able dict (for sidecars)."""
    return asdict(obj)

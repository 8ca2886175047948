"""Run the stages on one file: intake → decode → ocr → split → classify → extract → validate."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable

from ocr_models.engines import OcrEngine, TesseractEngine
from pipeline.classify import classify
from pipeline.config import Settings
from pipeline.decode import iter_pages
from pipeline.errors import ConfigError, DependencyError
from pipeline.extract import extract_fields
from pipeline.intake import InputFile
from pipeline.models import DocumentResult, FileResult, PageText
from pipeline.validate import date_order_problems, personal_id_problems, tax_code_valid

log = logging.getLogger(__name__)

# A page whose own title scores this high starts a new document in a multi-paper scan.
_NEW_DOC_SCORE = 6.0
_REVIEW_OCR_CONF = 0.6
_REVIEW_TYPE_CONF = 0.6

PageCallback = Callable[[PageText], None]


def make_engine(settings: Settings) -> OcrEngine:
    """The configured OCR engine, after checking that Tesseract and its language exist."""
    if shutil.which("tesseract") is None:
        raise DependencyError(
            "tesseract is not installed", hint="run `make setup` (installs tesseract-ocr-vie)"
        )
    try:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.split()
    except (subprocess.SubprocessError, OSError) as e:
        raise DependencyError(f"tesseract does not run: {e}") from e
    for lang in settings.ocr_lang.split("+"):
        if lang not in langs:
            raise ConfigError(
                f"Tesseract language data {lang!r} is missing",
                hint="apt-get install tesseract-ocr-vie, or set DOSSIER_OCR_LANG",
            )
    return TesseractEngine(settings.ocr_lang, settings.ocr_page_timeout_s)


def process_file(
    item: InputFile,
    settings: Settings,
    engine: OcrEngine,
    on_page: PageCallback | None = None,
) -> FileResult:
    """All documents found in one input file. Raises InputError for unreadable input."""
    from pipeline.ocr import ocr_page

    pages: list[PageText] = []
    for page in iter_pages(item, settings):
        text = ocr_page(page, engine, short=item.short)
        pages.append(text)
        if on_page:
            on_page(text)
    documents = [build_document(group) for group in split_documents(pages)]
    log.info("%s: %d pages, %d documents", item.short, len(pages), len(documents))
    return FileResult(
        item.given, item.sha256, item.size, item.media_type, len(pages), documents, pages
    )


def split_documents(pages: list[PageText]) -> list[list[PageText]]:
    """Group consecutive pages into papers, dropping blank pages.

    A page with a strong title of another type starts a new paper; an all-blank file gives
    one empty paper so that it is still recorded.
    """
    groups: list[list[PageText]] = []
    current_type: str | None = None
    for page in pages:
        if page.blank:
            continue
        result = classify(page.text)
        strong = result.scores.get(result.doc_type, 0.0) >= _NEW_DOC_SCORE
        if groups and not (strong and result.doc_type != current_type):
            groups[-1].append(page)
            continue
        groups.append([page])
        current_type = result.doc_type
    if not groups and pages:
        groups.append(pages[:1])
    return groups


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

"""Run the stages on one file: intake → decode → ocr → split → classify → extract → validate."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

from ocr_models.engines import OcrEngine, TesseractEngine, TesserocrEngine, tesserocr_available
from pipeline.config import Settings
from pipeline.decode import close_opened, iter_pages
from pipeline.document import build_document
from pipeline.errors import ConfigError, DependencyError
from pipeline.intake import InputFile
from pipeline.models import FileResult, PageText
from pipeline.pagepool import EngineSpec, default_workers, shared_pool
from pipeline.split import split_documents

log = logging.getLogger(__name__)

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
    if tesserocr_available():
        return TesserocrEngine(settings.ocr_lang, settings.ocr_page_timeout_s)
    return TesseractEngine(settings.ocr_lang, settings.ocr_page_timeout_s)


def _ocr_pages(
    item: InputFile, settings: Settings, engine: OcrEngine, keep: Path | None
) -> Iterator[PageText]:
    """Page texts in order: across worker processes for multi-page files, else in-process."""
    from pipeline.ocr import ocr_page

    # Pages are checked here and decoded where they are OCRed (a worker, or here).
    pages = iter_pages(item, settings, lazy=True)
    first = next(pages, None)
    if first is None:
        return
    second = next(pages, None)
    spec = EngineSpec.of(engine)
    workers = default_workers()
    if second is None or spec is None or workers < 2:
        try:
            for page in (first,) if second is None else chain((first, second), pages):
                yield ocr_page(page, engine, short=item.short, keep=keep)
        finally:
            close_opened()
        return
    yield from shared_pool(spec, workers).map(chain((first, second), pages), item.short, keep)


def process_file(
    item: InputFile,
    settings: Settings,
    engine: OcrEngine,
    on_page: PageCallback | None = None,
    keep: Path | None = None,
) -> FileResult:
    """All documents found in one input file. Raises InputError for unreadable input.

    With `keep`, each corrected page image is saved in that folder (for searchable PDFs).
    """
    pages: list[PageText] = []

    def read() -> Iterator[PageText]:
        for text in _ocr_pages(item, settings, engine, keep):
            pages.append(text)
            if on_page:
                on_page(text)
            yield text

    # Each paper is built as soon as the next one opens, while workers read later pages.
    documents = [build_document(group) for group in split_documents(read())]
    log.info("%s: %d pages, %d documents", item.short, len(pages), len(documents))
    return FileResult(
        item.given, item.sha256, item.size, item.media_type, len(pages), documents, pages
    )

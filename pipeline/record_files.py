"""Files beside a record's sidecars: searchable PDFs, the OCR output and page thumbnails.

OCR workers save each corrected page image (the one the word boxes refer to) into a work
folder as pages stream through (`keep_page_image`), so no page image stays in memory; the
archive then assembles `doc-N.pdf`, `ocr-pages.json` and `pages/page-N.jpg` from those files.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from pipeline.atomic import atomic_path
from pipeline.models import PageText
from pipeline.searchable_pdf import PdfPage, write_searchable_pdf

log = logging.getLogger(__name__)

OCR_OUTPUT = "ocr-pages.json"
THUMB_DIR = "pages"
THUMB_WIDTH_PX = 300
_PAGE_JPEG_QUALITY = 70
_THUMB_JPEG_QUALITY = 70


def keep_page_image(folder: Path, number: int, gray: np.ndarray, dpi: int) -> Path:
    """Save a corrected page image for later assembly: PNG when bilevel, else gray JPEG."""
    image = Image.fromarray(gray)
    bilevel = bool(np.isin(gray, (0, 255)).all())
    path = folder / f"page-{number}.{'png' if bilevel else 'jpg'}"
    tmp = path.with_name(f".{path.name}.tmp")
    if bilevel:
        image.convert("1").save(tmp, format="PNG", dpi=(dpi, dpi))
    else:
        image.save(tmp, format="JPEG", quality=_PAGE_JPEG_QUALITY, dpi=(dpi, dpi))
    tmp.replace(path)
    return path


def kept_page_image(folder: Path, number: int) -> Path | None:
    """The saved corrected image of a page, or None (text-layer page, crashed worker)."""
    for suffix in ("png", "jpg"):
        path = folder / f"page-{number}.{suffix}"
        if path.is_file():
            return path
    return None


def ocr_output(sha256: str, pages: Sequence[PageText]) -> dict[str, Any]:
    """The OCR result of every page with word boxes (pixels of the corrected page image)."""
    return {
        "sha256": sha256,
        "pages": [
            {
                "number": p.number,
                "source": p.source,
                "confidence": round(p.confidence, 3),
                "width": p.width,
                "height": p.height,
                "words": [
                    [w.text, w.left, w.top, w.width, w.height, round(w.confidence, 3)]
                    for w in p.words
                ],
            }
            for p in pages
        ],
    }


def write_thumbnail(record_dir: Path, number: int, image: Image.Image) -> str:
    """Write `pages/page-N.jpg` (THUMB_WIDTH_PX wide); returns its path relative to the folder."""
    rel = f"{THUMB_DIR}/page-{number}.jpg"
    thumb = image.convert("L") if image.mode in ("1", "L") else image.convert("RGB")
    height = max(1, round(thumb.height * THUMB_WIDTH_PX / max(1, thumb.width)))
    thumb = thumb.resize((THUMB_WIDTH_PX, height), Image.Resampling.LANCZOS)
    with atomic_path(record_dir / rel) as tmp:
        thumb.save(tmp, format="JPEG", quality=_THUMB_JPEG_QUALITY)
    return rel


def write_thumbnails(
    record_dir: Path, pages: Sequence[PageText], work: Path, original: Path | None
) -> dict[int, str]:
    """Thumbnails of every page with an image (kept scan, or rendered text-layer PDF page)."""
    out: dict[int, str] = {}
    for page in pages:
        kept = kept_page_image(work, page.number)
        if kept is not None:
            with Image.open(kept) as image:
                out[page.number] = write_thumbnail(record_dir, page.number, image)
        elif page.source == "text-layer" and original is not None:
            rendered = _render_pdf_page(original, page.number, THUMB_WIDTH_PX)
            out[page.number] = write_thumbnail(record_dir, page.number, rendered)
    return out


def write_document_pdf(
    path: Path, pages: Sequence[PageText], work: Path, original: Path | None
) -> bool:
    """Write one document's searchable PDF; False when none of its pages has an image.

    Scanned pages are the kept corrected images with the OCR words as invisible text;
    text-layer pages are copied from the original PDF as they are.
    """
    scanned = [p for p in pages if kept_page_image(work, p.number) is not None]
    scanned_numbers = {p.number for p in scanned}
    reused = [] if original is None else [
        p.number for p in pages if p.number not in scanned_numbers and p.source == "text-layer"
    ]  # fmt: skip
    if not scanned and not reused:
        return False
    with atomic_path(path) as tmp:
        if original is None or not reused:
            write_searchable_pdf(_pdf_pages(scanned, work), tmp)
            return True
        scans = tmp.with_name(f"{tmp.name}.scans")
        try:
            if scanned:
                write_searchable_pdf(_pdf_pages(scanned, work), scans)
            order = [p.number for p in pages if p.number in scanned_numbers or p.number in reused]
            _merge(tmp, order, [p.number for p in scanned], scans, original)
        finally:
            with contextlib.suppress(OSError):
                scans.unlink()
    return True


def _pdf_pages(pages: Sequence[PageText], work: Path) -> Iterator[PdfPage]:
    """One PdfPage per kept image file, embedded from the file (never all pages decoded)."""
    for page in pages:
        kept = kept_page_image(work, page.number)
        assert kept is not None
        with Image.open(kept) as image:
            dpi = round(float(image.info.get("dpi", (300, 300))[0])) or 300
        yield PdfPage(kept, dpi, page.words)


def _merge(out: Path, order: list[int], scanned: list[int], scans: Path, original: Path) -> None:
    """Interleave scanned pages (from `scans`) and original text-layer pages, in page order."""
    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    src = pdfium.PdfDocument(str(original))
    scan_pdf = pdfium.PdfDocument(str(scans)) if scanned else None
    try:
        for index, number in enumerate(order):
            if number in scanned:
                assert scan_pdf is not None
                dest.import_pages(scan_pdf, [scanned.index(number)], index)
            else:
                dest.import_pages(src, [number - 1], index)
        dest.save(str(out))
    finally:
        for pdf in (dest, src, scan_pdf):
            if pdf is not None:
                pdf.close()


def _render_pdf_page(path: Path, number: int, width_px: int) -> Image.Image:
    """One page of a PDF rendered about `width_px` wide."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number - 1]
        scale = width_px / max(1.0, page.get_width())
        return page.render(scale=scale).to_pil()
    finally:
        pdf.close()

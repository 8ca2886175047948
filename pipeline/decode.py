"""Decode a scan into pages, one at a time: images (multi-page TIFF too) and PDFs.

A PDF page with a good text layer is read with pdfplumber; a page without one is rendered
with pdfium for OCR. Pages are yielded lazily so memory does not grow with page count.

With `lazy=True` the file is only checked (opens, page count, limits) and each page says
where it is (`PageSource`); the process that OCRs it decodes it (`load_page`). Worker
processes then decode and parse pages in parallel, and no page's pixels travel through a
pipe: the main process decoded every page before, on the cores the workers needed.
"""

from __future__ import annotations

import logging
import re
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.errors import InputError
from pipeline.intake import InputFile

if TYPE_CHECKING:  # OCR workers import this module; the settings module costs them ~50 ms
    from pipeline.config import Settings

log = logging.getLogger(__name__)

A4_WIDTH_IN = 8.27
_MIN_TEXT_CHARS = 40
_CID = re.compile(r"\(cid:\d+\)")
_MIN_SCAN_DPI = 100  # a page image coarser than this is rendered at the OCR resolution


@dataclass(frozen=True)
class PageSource:
    """Where one page of a checked file is, for the process that OCRs it to decode."""

    path: Path
    given: str
    short: str
    pdf: bool
    index: int  # frame or page, from 0
    ocr_dpi: int
    max_image_pixels: int


@dataclass
class PageInput:
    """One page: an image to OCR (gray or RGB) and/or a usable PDF text layer.

    A page with a `source` is not decoded yet: `load_page` decodes it.
    """

    number: int
    image: np.ndarray | None
    dpi: int
    text_layer: str | None = None
    source: PageSource | None = None


class _Named(Protocol):
    @property
    def given(self) -> str: ...

    @property
    def short(self) -> str: ...


class _Limits(Protocol):
    @property
    def ocr_dpi(self) -> int: ...

    @property
    def max_image_pixels(self) -> int: ...


# No paper at the counter is wider than A3's long side (16.5 in). A DPI that makes the image
# wider is a default written by the encoder: 72 dpi on a 300 dpi scan made it a 34 in
# page, upscaled 4x (2.3 GB, 21 s, and text no one could read).
_MAX_PAPER_IN = 17.0


def sane_dpi(reported: float | None, width_px: int, fallback: int = 300) -> int:
    """A plausible DPI: the reported one when sane, else guessed from an A4 width.

    Sane: 70-1200 dpi, and no paper wider than A3 at that resolution.
    """
    if reported and 70 <= reported <= 1200 and width_px / reported <= _MAX_PAPER_IN:
        return round(reported)
    guess = width_px / A4_WIDTH_IN
    if 70 <= guess <= 1200:
        return round(guess)
    return fallback


def iter_pages(item: InputFile, settings: Settings, *, lazy: bool = False) -> Iterator[PageInput]:
    """Yield the pages of a file in order; raise InputError for unreadable files.

    Lazy pages are checked but not decoded: `load_page` decodes them (and may raise
    InputError for a page that is damaged inside a file that opens).
    """
    if item.media_type == "application/pdf":
        yield from _pdf_pages(item, settings, lazy)
    else:
        yield from _image_pages(item, settings, lazy)


def load_page(page: PageInput) -> PageInput:
    """The page decoded: pixels and/or text layer (a decoded page comes back as it is)."""
    src = page.source
    if src is None:
        return page
    if src.pdf:
        pdf, plumb = _opened(src, _open_pdf)
        return _pdf_page(src, pdf, plumb, src.index + 1, src)
    img = _opened(src, _open_image)[0]
    try:
        img.seek(src.index)
    except (OSError, EOFError, ValueError) as e:
        raise InputError(
            f"{src.given}: page {src.index + 1} is truncated or corrupt: {e}", reason="corrupt"
        ) from e
    return _frame_to_page(src, img, src.index + 1, src)


# The file a thread decodes pages of, keyed by (path, size, mtime), with its open handles:
# pages of one file come one after another, so one slot is enough and the next file closes
# the last. Per thread: a flow OCRs several files at once from threads.
_open = threading.local()


def _opened(src: PageSource, opener: Any) -> tuple[Any, ...]:
    stat = src.path.stat()
    key = (src.path, stat.st_size, stat.st_mtime_ns)
    if getattr(_open, "key", None) != key:
        close_opened()
        _open.handles = opener(src)
        _open.key = key
    handles: tuple[Any, ...] = _open.handles
    return handles


def close_opened() -> None:
    """Close the file `load_page` keeps open in this thread, if any."""
    for handle in getattr(_open, "handles", ()):
        handle.close()
    _open.key, _open.handles = None, ()


def _open_image(src: PageSource) -> tuple[Image.Image]:
    try:
        return (Image.open(src.path),)
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, ValueError) as e:
        raise InputError(f"{src.given}: cannot decode image: {e}", reason="corrupt") from e


def _open_pdf(src: PageSource) -> tuple[Any, Any]:
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(src.path))
    except pdfium.PdfiumError as e:
        raise InputError(f"{src.given}: cannot open PDF", reason="corrupt") from e
    return pdf, pdfplumber.open(str(src.path))


def _image_pages(item: InputFile, settings: Settings, lazy: bool) -> Iterator[PageInput]:
    try:
        img = Image.open(item.path)
    except Image.DecompressionBombError as e:
        raise InputError(
            f"{item.given}: image dimensions are over the pixel limit (decompression bomb?)",
            reason="too-many-pixels",
        ) from e
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise InputError(f"{item.given}: cannot decode image: {e}", reason="corrupt") from e
    with img:
        frames = getattr(img, "n_frames", 1)
        if frames < 1:
            raise InputError(f"{item.given}: image has no frames", reason="corrupt")
        if frames > settings.max_pages:
            raise InputError(
                f"{item.given}: {frames} frames, over the {settings.max_pages}-page limit",
                reason="too-many-pages",
                hint="split the file or raise DOSSIER_MAX_PAGES",
            )
        if lazy:
            for index in range(frames):
                yield PageInput(index + 1, None, 0, source=_source(item, settings, False, index))
            return
        for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
            yield _frame_to_page(item, frame, n, settings)


def _source(item: InputFile, settings: Settings, pdf: bool, index: int) -> PageSource:
    return PageSource(
        item.path, item.given, item.short, pdf, index, settings.ocr_dpi, settings.max_image_pixels
    )


def _frame_to_page(item: _Named, frame: Image.Image, n: int, settings: _Limits) -> PageInput:
    w, h = frame.size
    if w * h > settings.max_image_pixels:
        raise InputError(
            f"{item.given}: page {n} is {w}×{h} pixels, over the "
            f"{settings.max_image_pixels:,}-pixel limit (decompression bomb?)",
            reason="too-many-pixels",
            hint="rescan at 300 dpi or raise DOSSIER_MAX_IMAGE_PIXELS",
        )
    try:
        frame.load()
        frame = _exif_upright(frame)
        arr = _to_array(frame)
    except (OSError, ValueError, SyntaxError) as e:
        raise InputError(
            f"{item.given}: page {n} is truncated or corrupt: {e}", reason="corrupt"
        ) from e
    dpi_info = frame.info.get("dpi")
    reported = float(dpi_info[0]) if dpi_info else None
    return PageInput(n, arr, sane_dpi(reported, frame.size[0], settings.ocr_dpi))


def _exif_upright(frame: Image.Image) -> Image.Image:
    """The pixels turned as a viewer shows them, as far as the EXIF block says.

    A phone stores its sensor's rows and an EXIF orientation; a broken block is ignored.
    """
    try:
        return ImageOps.exif_transpose(frame) or frame
    except (OSError, ValueError, SyntaxError, KeyError, TypeError, struct.error):
        return frame


def _to_array(frame: Image.Image) -> np.ndarray:
    """PIL image → uint8 array: RGB for colour, 2-D for gray and bilevel.

    A 16-bit or float scan is scaled down, not clipped (Pillow's own conversion clips
    everything over 255 to white: a blank page); a transparent ground is white paper, not
    the black Pillow leaves under it.
    """
    if frame.mode.startswith("I;16") or frame.mode in ("I", "F"):
        return _deep_to_gray(np.asarray(frame))
    if frame.mode in ("1", "L"):
        return np.asarray(frame.convert("L"))
    if frame.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in frame.info:
        paper = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        paper.alpha_composite(frame.convert("RGBA"))
        frame = paper
    return np.asarray(frame.convert("RGB"))


def _deep_to_gray(values: np.ndarray) -> np.ndarray:
    """A 16-bit, 32-bit or float gray image as 8 bits.

    Values within 0-255 stay, within 0-65535 are scaled by that range, others stretched.
    """
    values = values.astype(np.float32)
    low, high = float(values.min()), float(values.max())
    if low >= 0 and high <= 255:
        return values.astype(np.uint8)
    if low >= 0 and high <= 65535:
        values = values * (255.0 / 65535.0)
    else:
        values = (values - low) * (255.0 / max(high - low, 1e-6))
    gray: np.ndarray = np.clip(values + 0.5, 0, 255).astype(np.uint8)
    return gray


def _pdf_pages(item: InputFile, settings: Settings, lazy: bool) -> Iterator[PageInput]:
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(item.path))
    except pdfium.PdfiumError as e:
        reason = "encrypted" if "password" in _pdfium_error_kind(e) else "corrupt"
        raise InputError(
            f"{item.given}: cannot open PDF ({reason})",
            reason=reason,
            hint="remove the password" if reason == "encrypted" else "rescan or re-export it",
        ) from e
    try:
        count = len(pdf)
        if count == 0:
            raise InputError(f"{item.given}: PDF has no pages", reason="empty")
        if count > settings.max_pages:
            raise InputError(
                f"{item.given}: {count} pages, over the {settings.max_pages}-page limit",
                reason="too-many-pages",
                hint="split the file or raise DOSSIER_MAX_PAGES",
            )
        if lazy:
            for index in range(count):
                yield PageInput(index + 1, None, 0, source=_source(item, settings, True, index))
            return
        with pdfplumber.open(str(item.path)) as plumb:
            for n in range(1, count + 1):
                yield _pdf_page(item, pdf, plumb, n, settings)
    finally:
        pdf.close()


def _pdfium_error_kind(err: Exception) -> str:
    """Pdfium reports a password error as error code 4 (FPDF_ERR_PASSWORD)."""
    code = getattr(err, "err_code", None)
    return "password" if code == 4 else "other"


def _pdf_page(item: _Named, pdf: object, plumb: object, n: int, settings: _Limits) -> PageInput:
    plumb_page = plumb.pages[n - 1]  # type: ignore[attr-defined]
    try:
        layer = _text_layer(item, plumb_page, n)
        if layer is not None:
            return PageInput(n, None, settings.ocr_dpi, text_layer=layer)
    finally:
        # pdfplumber keeps every parsed page's objects until closed: memory would grow with
        # the page count (200 born-digital pages: 90 → 793 MB without this, 75 MB with it).
        plumb_page.close()
    page = pdf[n - 1]  # type: ignore[index]
    w_pt, h_pt = page.get_size()
    dpi = min(settings.ocr_dpi, _scan_dpi(page, w_pt, h_pt) or settings.ocr_dpi)
    scale = dpi / 72
    if w_pt * h_pt * scale * scale > settings.max_image_pixels:
        raise InputError(
            f"{item.given}: page {n} would render over the pixel limit", reason="too-many-pixels"
        )
    bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, no alpha
    image = np.array(bitmap.to_numpy())  # own the pixels: the bitmap's buffer goes with it
    bitmap.close()
    page.close()
    return PageInput(n, image, dpi)


def _scan_dpi(page: Any, w_pt: float, h_pt: float) -> int | None:
    """The resolution of a page that is one scanned image, to render it at (not above).

    Rendering a 200 dpi scan at 300 dpi only interpolates, at 2.25× the pixels to hold and
    ship to a worker; the worker brings every page to the OCR resolution anyway.
    """
    import pypdfium2.raw as pdfium_c

    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_bounds()
    if (right - left) * (top - bottom) < 0.9 * w_pt * h_pt:
        return None  # an image on a page of other content: render it all at full resolution
    px_w, _px_h = images[0].get_px_size()
    dpi = round(px_w * 72 / (right - left))
    return dpi if dpi >= _MIN_SCAN_DPI else None


def _text_layer(item: _Named, page: Any, n: int) -> str | None:
    """The page's text layer in reading order (as OCR reads the image), or None if no good.

    Words and rules come from one layout of the page (`pdfcontent.read_objects`); whether
    the layer is good is judged on the words, whose letters are the page's own.
    """
    from pipeline.layout import order_words
    from pipeline.pdfcontent import read_objects

    try:
        read_objects(page)
        words = page.extract_words()
        rules = [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges]
    except Exception as e:  # pdfminer raises many unrelated types on damaged pages
        log.warning("%s: page %d text layer unreadable (%s); will OCR", item.short, n, e)
        return None
    if not text_layer_is_good(" ".join(w["text"] for w in words)):
        return None
    boxes = [(w["x0"], w["top"], w["x1"], w["bottom"], w["text"]) for w in words]
    return order_words(boxes, float(page.width), float(page.height), rules)


def text_layer_is_good(text: str) -> bool:
    """True when a PDF text layer is real text rather than missing or junk (cid codes)."""
    stripped = "".join(text.split())
    if len(stripped) < _MIN_TEXT_CHARS:
        return False
    if len(_CID.findall(text)) * 6 > len(stripped) * 0.05:
        return False
    good = sum(ch.isalnum() or ch in ".,;:-/()'\"%" for ch in stripped)
    letters = sum(ch.isalpha() for ch in stripped)
    return good / len(stripped) > 0.9 and letters / len(stripped) > 0.5

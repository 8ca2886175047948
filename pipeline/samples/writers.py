"""Write scans in the formats offices produce: PNG, JPEG, TIFF (G4, multi-page), PDF."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.samples.render import (
    BASE_DPI,
    DotsOp,
    FontFace,
    ImageOp,
    LineOp,
    Page,
    RectOp,
    TextOp,
)

# A fixed timestamp keeps PDFs byte-identical for a seed.
PDF_DATE = datetime(2025, 1, 1, tzinfo=UTC)


def to_image(arr: np.ndarray) -> Image.Image:
    """Numpy (H, W) or (H, W, 3) uint8 to a PIL image."""
    return Image.fromarray(arr, "L" if arr.ndim == 2 else "RGB")


def write_png(arr: np.ndarray, path: Path, dpi: int) -> None:
    """Lossless PNG with its resolution recorded."""
    to_image(arr).save(path, "PNG", dpi=(dpi, dpi), optimize=False, compress_level=6)


def write_jpeg(arr: np.ndarray, path: Path, quality: int, dpi: int | None) -> None:
    """Baseline JPEG, 4:2:0; phones write no resolution (and we write no EXIF at all)."""
    options: dict[str, object] = {"quality": quality, "subsampling": 2}
    if dpi:
        options["dpi"] = (dpi, dpi)
    to_image(arr).save(path, "JPEG", **options)


def _bilevel(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(arr >= 128)


def write_tiff(pages: list[np.ndarray], path: Path, dpi: int, *, bilevel: bool) -> None:
    """Single or multi-page TIFF: CCITT group 4 when bilevel, else LZW greyscale."""
    images = [_bilevel(p) if bilevel else to_image(p) for p in pages]
    compression = "group4" if bilevel else "tiff_lzw"
    images[0].save(
        path,
        "TIFF",
        save_all=len(images) > 1,
        append_images=images[1:],
        compression=compression,
        dpi=(dpi, dpi),
    )


def write_pdf_images(pages: list[np.ndarray], path: Path, dpi: int, quality: int) -> None:
    """An image-only PDF as scanners make: one JPEG per page at the scan resolution."""
    images = [to_image(p).convert("RGB") for p in pages]
    stamp = PDF_DATE.timetuple()
    images[0].save(
        path,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(dpi),
        quality=quality,
        creationDate=stamp,
        modDate=stamp,
        title="Scan",
        producer="Scanner",
    )


@functools.lru_cache(maxsize=64)
def _register(face_name: str, style: str, font_path: str) -> str:
    name = f"{face_name.replace(' ', '')}-{style}"
    pdfmetrics.registerFont(TTFont(name, font_path))
    return name


def _font(face: FontFace, style: str) -> str:
    return _register(face.name, style, str(face.files[style]))


def write_pdf_text(pages: list[Page], path: Path) -> None:
    """A born-digital PDF: real text in embedded TrueType fonts, seals and signatures as images."""
    k = 72 / BASE_DPI
    width, height = pages[0].size[0] * k, pages[0].size[1] * k
    pdf = canvas.Canvas(str(path), pagesize=(width, height), invariant=1, pageCompression=1)
    pdf.setTitle("Văn bản")
    pdf.setCreator("dossier sample generator")
    for page in pages:
        for op in page.ops:
            _draw(pdf, op, k, height)
        pdf.showPage()
    pdf.save()


def _rgb(color: tuple[int, int, int]) -> tuple[float, float, float]:
    return color[0] / 255, color[1] / 255, color[2] / 255


def _draw(pdf: canvas.Canvas, op: object, k: float, height: float) -> None:
    if isinstance(op, TextOp):
        pdf.setFont(_font(op.face, op.style), round(op.size) * k)
        pdf.setFillColorRGB(*_rgb(op.color))
        pdf.drawString(op.x * k, height - op.y * k, op.text)
    elif isinstance(op, LineOp):
        pdf.setStrokeColorRGB(*_rgb(op.color))
        pdf.setLineWidth(op.width * k)
        pdf.line(op.x0 * k, height - op.y0 * k, op.x1 * k, height - op.y1 * k)
    elif isinstance(op, DotsOp):
        pdf.setFillColorRGB(*_rgb(op.color))
        x = op.x0
        while x <= op.x1:
            pdf.circle(x * k, height - op.y * k, op.radius * k, stroke=0, fill=1)
            x += op.pitch
    elif isinstance(op, RectOp):
        if op.outline:
            pdf.setStrokeColorRGB(*_rgb(op.outline))
        if op.fill:
            pdf.setFillColorRGB(*_rgb(op.fill))
        pdf.setLineWidth(op.width * k)
        pdf.rect(
            op.x0 * k,
            height - op.y1 * k,
            (op.x1 - op.x0) * k,
            (op.y1 - op.y0) * k,
            stroke=1 if op.outline else 0,
            fill=1 if op.fill else 0,
        )
    elif isinstance(op, ImageOp):
        if op.multiply:
            pdf.saveState()
            pdf.setBlendMode("Multiply")
        pdf.drawImage(
            ImageReader(op.image.convert("RGBA")),
            op.x * k,
            height - (op.y + op.h) * k,
            op.w * k,
            op.h * k,
            mask="auto",
        )
        if op.multiply:
            pdf.restoreState()

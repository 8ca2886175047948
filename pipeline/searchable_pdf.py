"""Searchable PDF of a document: each page image with an invisible text layer on top.

The text layer (PDF text render mode 3) holds every OCR word at its box, stretched to the
box width, so viewers can search and select text while showing the scan itself.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.errors import ConfigError
from pipeline.models import Word

# Fonts with every precomposed Vietnamese letter (Debian: fonts-liberation2, fonts-noto-core).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
_FONT_NAME = "DossierText"
_INVISIBLE = 3


@dataclass(frozen=True)
class PdfPage:
    """One page to write: its image (gray or RGB), resolution and OCR words in pixels.

    The image may be a JPEG or PNG file instead of an array: a JPEG file is embedded as it
    is, without decoding, so a long document costs its compressed size in memory.
    """

    image: np.ndarray | Path
    dpi: int
    words: Sequence[Word]


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return _FONT_NAME
    for path in FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(_FONT_NAME, str(path)))
            return _FONT_NAME
    raise ConfigError(
        "no font with Vietnamese letters for the PDF text layer",
        hint="apt-get install fonts-liberation2",
    )


def write_searchable_pdf(pages: Iterable[PdfPage], out_path: Path) -> Path:
    """Write the pages as one PDF (JPEG page images, invisible text) and return its path."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    font = _register_font()
    canvas = Canvas(str(out_path), pageCompression=1)
    canvas.setTitle(out_path.stem)
    for page in pages:
        if isinstance(page.image, Path):
            with Image.open(page.image) as header:  # reads the size, not the pixels
                w_px, h_px = header.size
            source: str | ImageReader = str(page.image)
        else:
            h_px, w_px = page.image.shape[:2]
            source = ImageReader(_jpeg(page.image))
        pt = 72.0 / page.dpi
        canvas.setPageSize((w_px * pt, h_px * pt))
        canvas.drawImage(source, 0, 0, width=w_px * pt, height=h_px * pt)
        for word in page.words:
            if not word.text.strip() or word.width <= 0 or word.height <= 0:
                continue
            size = max(1.0, word.height * pt * 0.85)
            natural = stringWidth(word.text, font, size)
            text = canvas.beginText()
            text.setTextRenderMode(_INVISIBLE)
            text.setFont(font, size)
            if natural > 0:
                text.setHorizScale(100.0 * word.width * pt / natural)
            # Baseline near the bottom of the box (descenders are a small share of a line).
            text.setTextOrigin(word.left * pt, (h_px - word.top - word.height * 0.85) * pt)
            text.textOut(word.text)
            canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return out_path


def _jpeg(image: np.ndarray) -> io.BytesIO:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=80)
    buf.seek(0)
    return buf

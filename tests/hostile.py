"""Builders for hostile and edge-case inputs, generated at test time (nothing checked in)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def text_image(lines: list[str], size: tuple[int, int] = (1240, 900)) -> Image.Image:
    """A white page with black text lines (150 dpi-ish)."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 36)
    for i, line in enumerate(lines):
        draw.text((80, 80 + i * 60), line, font=font, fill=0)
    return img


def png_bomb(path: Path, width: int = 30000, height: int = 30000) -> Path:
    """A tiny PNG whose header claims a huge image (decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def truncated_jpeg(path: Path) -> Path:
    """A JPEG cut off after its first few hundred bytes."""
    buf = io.BytesIO()
    text_image(["Giấy khai sinh"]).save(buf, "JPEG", quality=80)
    path.write_bytes(buf.getvalue()[:300])
    return path


def text_pdf(path: Path, lines: list[str], *, password: str | None = None) -> Path:
    """A born-digital PDF with a real text layer (reportlab, Vietnamese-capable TTF)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = canvas.Canvas(str(path), encrypt=password)
    c.setFont("LiberationSerif", 12)
    for i, line in enumerate(lines):
        c.drawString(72, 770 - 18 * i, line)
    c.showPage()
    c.save()
    return path


def image_pdf(path: Path, pages: list[Image.Image], dpi: int = 150) -> Path:
    """A scanned PDF: page images only, no text layer."""
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return path

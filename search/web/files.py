"""Records and their files for the web app: sidecar look-up, originals, page images, names."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from PIL import Image

from pipeline.archive import Archive
from pipeline.errors import InputError

MAX_PAGE_PIXELS_SIDE = 1800
PAGE_RENDER_DPI = 110
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


class NotFound(InputError):
    """No such record, page or file (the API answers 404)."""

    code = "not-found"


def safe_filename(name: str, default: str = "upload") -> str:
    """A plain file name: no directories, control characters or leading dots; ≤120 chars."""
    base = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > 120:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[:110] + dot + suffix[:9]) if dot else base[:120]
    return base or default


def load_record(archive: Archive, record_id: str) -> tuple[dict[str, Any], bytes]:
    """A sidecar (parsed, and its bytes for the ETag); NotFound for unknown or bad ids."""
    path = archive.sidecar_path(record_id)
    if path is None or not path.is_file():
        raise NotFound(f"no record {record_id!r}", reason="not-found")
    raw = path.read_bytes()
    return json.loads(raw), raw


def original_file(archive: Archive, record: dict[str, Any]) -> Path:
    """The archived original of a record (content-addressed, read-only)."""
    path = (archive.root / str(record.get("original_path", ""))).resolve()
    if archive.root.resolve() not in path.parents or not path.is_file():
        raise NotFound(f"the original of {record.get('id')} is missing", reason="not-found")
    return path


def searchable_pdf(archive: Archive, record: dict[str, Any]) -> Path | None:
    """The searchable PDF of a record, when the pipeline has written one."""
    folder = archive.record_dir(str(record.get("sha256", "")))
    for name in (f"doc-{record.get('doc_index', 1)}.pdf", "searchable.pdf"):
        if (folder / name).is_file():
            return folder / name
    return None


def page_numbers(record: dict[str, Any]) -> list[int]:
    """File page numbers of this document."""
    start = int(record.get("page_start") or 1)
    end = int(record.get("page_end") or start)
    return list(range(start, max(start, end) + 1))


def render_page(path: Path, media_type: str, number: int) -> bytes:
    """One page of an original as a JPEG no larger than MAX_PAGE_PIXELS_SIDE on a side."""
    if media_type == "application/pdf":
        image = _pdf_page(path, number)
    else:
        with Image.open(path) as img:
            try:
                img.seek(number - 1)
            except EOFError as e:
                raise NotFound(f"no page {number}", reason="not-found") from e
            image = img.convert("RGB")
    image.thumbnail((MAX_PAGE_PIXELS_SIDE, MAX_PAGE_PIXELS_SIDE))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _pdf_page(path: Path, number: int) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= number <= len(pdf):
            raise NotFound(f"no page {number}", reason="not-found")
        page = pdf[number - 1]
        image: Image.Image = page.render(scale=PAGE_RENDER_DPI / 72).to_pil().convert("RGB")
        return image
    finally:
        pdf.close()

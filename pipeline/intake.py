"""Intake: find input files, hash them, and recognise their type by content, not name."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"})
MEDIA_SUFFIX = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
    "image/webp": ".webp",
}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    """A file accepted for processing: where it is, what it is, and its content hash."""

    path: Path
    given: str
    sha256: str
    size: int
    media_type: str

    @property
    def short(self) -> str:
        """Short hash used on every log line about this file."""
        return self.sha256[:12]


def display_name(text: str) -> str:
    """A printable, UTF-8-safe form of a file name as given.

    Names with undecodable bytes (surrogate escapes) or control characters are shown with
    backslash escapes, so they can be logged, stored in JSON and printed; the real path is
    kept separately for opening the file.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a raw byte that was not valid UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or unicodedata.category(ch) in ("Cc", "Cf"):
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def sniff_media_type(head: bytes) -> str | None:
    """Media type from the first bytes of a file, or None when unsupported."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image/tiff"
    if head.startswith(b"BM"):
        return "image/bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_input(path: Path, *, given: str | None = None, max_bytes: int) -> InputFile:
    """Check one path and describe it; raise InputError naming the file and what to do."""
    name = display_name(given if given is not None else str(path))
    if path.is_symlink() and not path.exists():
        raise InputError(f"{name}: broken symbolic link", reason="missing")
    if not path.exists():
        raise InputError(f"{name}: no such file", reason="missing", hint="check the path")
    if not path.is_file():
        raise InputError(f"{name}: not a regular file", reason="unsupported")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(2048)
    except PermissionError as e:
        raise InputError(
            f"{name}: permission denied", reason="unreadable", hint="fix the file's permissions"
        ) from e
    if size == 0:
        raise InputError(f"{name}: empty file (0 bytes)", reason="empty", hint="rescan the paper")
    if size > max_bytes:
        raise InputError(
            f"{name}: file is {size / 2**20:.0f} MiB, over the {max_bytes / 2**20:.0f} MiB limit",
            reason="too-large",
            hint="split the scan or raise DOSSIER_MAX_FILE_BYTES",
        )
    media_type = sniff_media_type(head)
    if media_type is None:
        raise InputError(
            f"{name}: not a supported scan (PDF, JPEG, PNG, TIFF, BMP or WebP)",
            reason="unsupported",
            hint="convert it to PDF or an image",
        )
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES and MEDIA_SUFFIX[media_type] != _canonical_suffix(suffix):
        log.warning(
            "%s: extension %s but content is %s; using the content", name, suffix, media_type
        )
    return InputFile(path, name, sha256_file(path), size, media_type)


def _canonical_suffix(suffix: str) -> str:
    return {".jpeg": ".jpg", ".tiff": ".tif"}.get(suffix, suffix)


def collect_paths(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, str]], list[InputError]]:
    """Expand the given paths (files or directories) into (path, name as given) pairs.

    Directories are walked recursively for supported suffixes; hidden files are skipped.
    A directory with no scans gives an InputError in the second list; missing files are
    passed through so that they fail, alone, when opened.
    """
    out: list[tuple[Path, str]] = []
    errors: list[InputError] = []
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            out.append((p, display_name(str(raw))))
            continue
        found = sorted(
            f
            for f in p.rglob("*")
            if f.is_file()
            and f.suffix.lower() in SUPPORTED_SUFFIXES
            and not any(part.startswith(".") for part in f.relative_to(p).parts)
        )
        if not found:
            errors.append(
                InputError(
                    f"{display_name(str(raw))}: directory holds no supported scans",
                    reason="empty-directory",
                    hint="expected .pdf, .jpg, .png, .tif, .bmp or .webp files",
                )
            )
        out.extend((f, display_name(str(f))) for f in found)
    return out, errors

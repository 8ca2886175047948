from pathlib import Path

import pytest
from PIL import Image

from pipeline.errors import InputError
from pipeline.intake import collect_paths, open_input, sniff_media_type

LIMIT = 10 * 2**20


def _png(path: Path) -> Path:
    Image.new("L", (40, 30), 255).save(path)
    return path


def test_type_comes_from_content_not_extension(tmp_path: Path) -> None:
    disguised = _png(tmp_path / "scan.png").rename(tmp_path / "scan.pdf")
    item = open_input(disguised, max_bytes=LIMIT)
    assert item.media_type == "image/png"
    assert len(item.sha256) == 64


@pytest.mark.parametrize(
    ("head", "media"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"II*\x00", "image/tiff"),
        (b"MM\x00*", "image/tiff"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"BM\x00\x00", "image/bmp"),
        (b"PK\x03\x04", None),
    ],
)
def test_sniff(head: bytes, media: str | None) -> None:
    assert sniff_media_type(head) == media


def test_empty_missing_unsupported_and_too_large(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as e:
        open_input(empty, max_bytes=LIMIT)
    assert e.value.reason == "empty" and "empty.jpg" in str(e.value)

    with pytest.raises(InputError) as e:
        open_input(tmp_path / "nope.pdf", max_bytes=LIMIT)
    assert e.value.reason == "missing"

    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04 not a scan")
    with pytest.raises(InputError) as e:
        open_input(doc, max_bytes=LIMIT)
    assert e.value.reason == "unsupported"

    big = _png(tmp_path / "big.png")
    with pytest.raises(InputError) as e:
        open_input(big, max_bytes=10)
    assert e.value.reason == "too-large"


def test_collect_paths_walks_folders_and_reports_empty_ones(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    (scans / "sub").mkdir(parents=True)
    _png(scans / "b.png")
    _png(scans / "sub" / "a.png")
    (scans / "b.png.truth.json").write_text("{}")
    (scans / ".hidden.png").write_bytes(b"x")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    pairs, errors = collect_paths([scans, nothing, tmp_path / "missing.pdf"])
    names = [Path(p).name for p, _ in pairs]
    assert names == ["b.png", "a.png", "missing.pdf"]
    assert len(errors) == 1 and errors[0].reason == "empty-directory"

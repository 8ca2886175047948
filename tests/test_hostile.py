"""Hostile and broken inputs: each is rejected or processed safely, with a typed reason.

The corpus is generated here (nothing downloaded); see tests/data/README.md.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hostile import text_image, text_pdf
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image
from test_cli import dossier

from pipeline.config import Settings
from pipeline.decode import close_opened, iter_pages, load_page
from pipeline.errors import InputError
from pipeline.intake import display_name, open_input

SETTINGS = Settings(home=Path("/nonexistent"))
MAGIC = [b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*",
         b"BM", b"RIFF\x00\x00\x00\x00WEBPVP8 "]  # fmt: skip


_LAZY = False


@pytest.fixture(autouse=True, params=["in-order", "lazy"])
def _decode_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: pages decoded as listed, and checked first then decoded one by one
    (as the OCR workers do)."""
    monkeypatch.setattr(sys.modules[__name__], "_LAZY", request.param == "lazy")


def _decode_all(path: Path, settings: Settings = SETTINGS) -> list:
    item = open_input(path, max_bytes=settings.max_file_bytes)
    try:
        return [load_page(p) for p in iter_pages(item, settings, lazy=_LAZY)]
    finally:
        close_opened()


def minimal_pdf(
    pages: int, extra_catalog: bytes = b"", extra_objects: list[bytes] | None = None
) -> bytes:
    """A hand-built PDF with `pages` blank pages and optional catalog entries."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>"]
    kids = b" ".join(f"{i + 3} 0 R".encode() for i in range(pages))
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>")
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    objs += extra_objects or []
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n")
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    out.writelines(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_pdf_with_thousands_of_pages_is_refused_before_rendering(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    path.write_bytes(minimal_pdf(5000))
    with pytest.raises(InputError) as e:
        _decode_all(path)
    assert e.value.reason == "too-many-pages" and "5000 pages" in str(e.value)


def test_pdf_with_javascript_and_embedded_file_is_only_rendered(tmp_path: Path) -> None:
    js = b"/OpenAction << /S /JavaScript /JS (app.alert('x');) >> "
    embedded = b"/Names << /EmbeddedFiles << /Names [(evil.exe) 4 0 R] >> >> "
    spec = b"<< /Type /Filespec /F (evil.exe) >>"
    path = tmp_path / "active.pdf"
    path.write_bytes(minimal_pdf(1, js + embedded, [spec]))
    pages = _decode_all(path)
    assert len(pages) == 1 and pages[0].image is not None  # rendered, nothing executed
    assert not (tmp_path / "evil.exe").exists()


def test_junk_text_layer_falls_back_to_ocr(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "junk.pdf", ["~#|^ ~#|^ ~#|^ @@@ ### $$$ %%% ^^^ &&& *** ((("] * 8)
    [page] = _decode_all(path)
    assert page.text_layer is None and page.image is not None


def test_tiff_with_no_frames_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.tif"
    path.write_bytes(b"II*\x00\x00\x00\x00\x00" + b"\x00" * 32)  # first IFD offset 0: no image
    with pytest.raises(InputError) as e:
        _decode_all(path)
    assert e.value.reason == "corrupt"


def test_huge_dimensions_are_refused(tmp_path: Path) -> None:
    img = Image.new("1", (30000, 30000), 1)  # 112 MB as bits, tiny as PNG
    path = tmp_path / "huge.png"
    img.save(path, optimize=True)
    with pytest.raises(InputError) as e:
        _decode_all(path)
    assert e.value.reason == "too-many-pixels"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("bad\udcff\udcfename.pdf", "bad\\xff\\xfename.pdf"),
        ("ctrl\x07\x1bname.png", "ctrl\\x07\\x1bname.png"),
        ("rtl\u202eexe.png", "rtl\\u202eexe.png"),
        ("Giấy khai sinh.pdf", "Giấy khai sinh.pdf"),
    ],
)
def test_display_name_is_printable_utf8(raw: str, shown: str) -> None:
    assert display_name(raw) == shown
    display_name(raw).encode("utf-8")


def test_hostile_names_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "..evil\x1b[31m.png"
    text_image(["GIẤY KHAI SINH", "Họ, chữ đệm, tên: Lê Văn An"]).save(good)
    (folder / "bad\udcff.pdf").write_bytes(b"%PDF-1.4 broken")  # byte 0xff in the name
    res = dossier("process", str(good), str(folder / "bad\udcff.pdf"), "--json")
    assert res.returncode == 2
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert lines[0]["file"].endswith("..evil\\x1b[31m.png") and "documents" in lines[0]
    assert lines[1]["file"].endswith("bad\\xff.pdf") and lines[1]["error"]["code"] == "corrupt"
    assert "\x1b" not in res.stdout


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(magic=st.sampled_from(MAGIC), body=st.binary(min_size=0, max_size=4096))
def test_fuzz_decoders_only_raise_input_errors(tmp_path: Path, magic: bytes, body: bytes) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(magic + body)
    try:
        for page in _decode_all(path, Settings(home=Path("/nonexistent"), max_pages=5)):
            assert page.image is not None or page.text_layer is not None
    except InputError as e:
        assert e.reason and "fuzz.bin" in str(e)

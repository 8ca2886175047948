import sys
from pathlib import Path

import numpy as np
import pytest
from hostile import image_pdf, png_bomb, text_image, text_pdf, truncated_jpeg
from PIL import Image

from pipeline.config import Settings
from pipeline.decode import close_opened, iter_pages, load_page, sane_dpi, text_layer_is_good
from pipeline.errors import InputError
from pipeline.intake import open_input

SETTINGS = Settings(home=Path("/nonexistent"))
LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "QUYẾT ĐỊNH",
    "Về việc công nhận kết quả trúng tuyển viên chức năm 2020",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
]


_LAZY = False


@pytest.fixture(autouse=True, params=["in-order", "lazy"])
def _decode_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: pages decoded as listed, and checked first then decoded one by one
    (as the OCR workers do)."""
    monkeypatch.setattr(sys.modules[__name__], "_LAZY", request.param == "lazy")


def _pages(path: Path, settings: Settings = SETTINGS) -> list:
    item = open_input(path, max_bytes=settings.max_file_bytes)
    try:
        return [load_page(p) for p in iter_pages(item, settings, lazy=_LAZY)]
    finally:
        close_opened()


def test_multipage_group4_tiff_gives_each_frame(tmp_path: Path) -> None:
    frames = [text_image([f"Trang {i}"]).convert("1") for i in range(3)]
    path = tmp_path / "fax.tif"
    frames[0].save(
        path, save_all=True, append_images=frames[1:], compression="group4", dpi=(200, 200)
    )
    pages = _pages(path)
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(p.image is not None and p.image.ndim == 2 and p.dpi == 200 for p in pages)


def test_pdf_text_layer_is_used_when_good(tmp_path: Path) -> None:
    pages = _pages(text_pdf(tmp_path / "born-digital.pdf", LINES))
    assert len(pages) == 1
    assert pages[0].image is None
    assert "QUYẾT ĐỊNH" in pages[0].text_layer


def test_scanned_pdf_pages_are_rendered_for_ocr(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "scan.pdf", [text_image(LINES), text_image(["trang 2"])])
    pages = _pages(pdf)
    assert [p.number for p in pages] == [1, 2]
    assert all(p.text_layer is None and p.image is not None for p in pages)


@pytest.mark.parametrize("dpi", [150, 200, 600])
def test_a_scanned_page_is_rendered_at_its_own_resolution_not_above(
    tmp_path: Path, dpi: int
) -> None:
    image = text_image(LINES)
    pages = _pages(image_pdf(tmp_path / "scan.pdf", [image], dpi=dpi))
    rendered = min(dpi, SETTINGS.ocr_dpi)  # a 600 dpi scan is brought down, never up
    assert pages[0].dpi == rendered
    assert abs(pages[0].image.shape[1] - image.width * rendered / dpi) <= 1
    assert pages[0].image.shape[2] == 3  # colour kept: seals and ink are separated later


def test_encrypted_pdf_is_a_typed_error(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "secret.pdf", LINES, password="123")
    with pytest.raises(InputError) as e:
        _pages(pdf)
    assert e.value.reason == "encrypted"
    assert "secret.pdf" in str(e.value)


def test_damaged_pdf_is_corrupt(tmp_path: Path) -> None:
    good = text_pdf(tmp_path / "good.pdf", LINES).read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(good[: len(good) // 3])
    with pytest.raises(InputError) as e:
        _pages(bad)
    assert e.value.reason in {"corrupt", "empty"}


def test_truncated_jpeg_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        _pages(truncated_jpeg(tmp_path / "cut.jpg"))
    assert e.value.reason == "corrupt"


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        _pages(png_bomb(tmp_path / "bomb.png"))
    assert e.value.reason == "too-many-pixels"


def test_page_limit(tmp_path: Path) -> None:
    pdf = image_pdf(tmp_path / "many.pdf", [text_image(["x"], (100, 100))] * 5)
    with pytest.raises(InputError) as e:
        _pages(pdf, Settings(home=Path("/nonexistent"), max_pages=3))
    assert e.value.reason == "too-many-pages"


def test_dpi_sanity() -> None:
    assert sane_dpi(200, 1654) == 200
    assert sane_dpi(1, 2480) == 300  # bogus header: guessed from A4 width
    assert sane_dpi(None, 1240) == 150
    # The encoder's default 72 dpi on a 300 dpi A4 scan would make it a 34 in page.
    assert sane_dpi(72, 2480) == 300
    assert sane_dpi(72, 600) == 72  # a small image that may well be 72 dpi stays so
    assert sane_dpi(150, 2480) == 150  # A3 at 150 dpi: 16.5 in, plausible


def test_text_layer_quality() -> None:
    assert text_layer_is_good("\n".join(LINES))
    assert not text_layer_is_good("")
    assert not text_layer_is_good("(cid:12)(cid:44)(cid:3)" * 20)
    assert not text_layer_is_good("~~~ ### ||| ### " * 10)


def test_image_frames_are_streamed(tmp_path: Path) -> None:
    frames = [text_image([f"p{i}"], (200, 200)) for i in range(4)]
    path = tmp_path / "multi.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    it = iter_pages(open_input(path, max_bytes=10**8), SETTINGS)
    first = next(it)  # a generator: pages are decoded one at a time
    assert first.number == 1
    assert isinstance(Image.fromarray(first.image), Image.Image)


def _two_column_pdf(path: Path) -> Path:
    from hostile import FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = canvas.Canvas(str(path))
    c.setFont("LiberationSerif", 12)
    for i, line in enumerate(["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "Số: 05/QĐ-UBND"]):
        c.drawString(72, 780 - 16 * i, line)
    for i, line in enumerate(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]):
        c.drawString(300, 780 - 16 * i, line)
    c.drawCentredString(297, 716, LINES[1])  # the title is centred, as Decree 30 sets it
    for i, line in enumerate(LINES[2:]):
        c.drawString(72, 700 - 16 * i, line)
    c.showPage()
    c.save()
    return path


def test_text_layer_is_read_in_column_order(tmp_path: Path) -> None:
    text = _pages(_two_column_pdf(tmp_path / "decision.pdf"))[0].text_layer
    assert text.index("Số: 05/QĐ-UBND") < text.index("CỘNG HÒA")  # left column first
    assert text.index("Hạnh phúc") < text.index("QUYẾT ĐỊNH")  # then the body


def _long_text_pdf(path: Path, pages: int) -> Path:
    from hostile import FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.setFont("LiberationSerif", 11)
        for i in range(45):
            c.drawString(60, 790 - 16 * i, f"Trang {n} dòng {i}: " + LINES[i % len(LINES)])
        c.showPage()
    c.save()
    return path


def test_text_layer_memory_does_not_grow_with_page_count(tmp_path: Path) -> None:
    import tracemalloc

    def peak(pages: int) -> int:
        path = _long_text_pdf(tmp_path / f"{pages}.pdf", pages)
        tracemalloc.start()
        for page in iter_pages(open_input(path, max_bytes=10**8), SETTINGS):
            assert page.text_layer  # every page read from its text layer
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    few, many = peak(3), peak(15)
    # pdfplumber keeps parsed pages unless each is closed: 5x the pages was ~5x the memory.
    assert many < 2 * few, (few, many)


def test_threads_decode_their_own_files_at_once(tmp_path: Path) -> None:
    # A flow OCRs several files at once from threads: each keeps its own file open.
    from concurrent.futures import ThreadPoolExecutor

    files = []
    for name in "abcd":
        frames = [text_image([f"{name}{i}"], (300, 200)) for i in range(3)]
        frames[0].save(tmp_path / f"{name}.tif", save_all=True, append_images=frames[1:])
        files.append(tmp_path / f"{name}.tif")

    def decode(path: Path) -> list[tuple[int, ...]]:
        shapes = []
        for _ in range(10):
            lazy = list(iter_pages(open_input(path, max_bytes=10**8), SETTINGS, lazy=True))
            shapes += [load_page(page).image.shape for page in lazy]
        close_opened()
        return shapes

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(decode, files))
    assert all(r == [(200, 300)] * 30 for r in results)


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_a_phone_photo_is_turned_as_its_exif_orientation_says(
    tmp_path: Path, orientation: int
) -> None:
    page = text_image(["Họ và tên: Nguyễn Văn An"] * 6, size=(800, 1100)).convert("RGB")
    # The phone stores its sensor's rows; the tag tells a viewer how to turn them.
    stored = {
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "photo.jpg"
    page.transpose(stored).save(path, exif=exif, dpi=(150, 150), quality=95)
    (decoded,) = _pages(path)
    assert decoded.image.shape[:2] == (1100, 800)
    upright = np.asarray(page.convert("L"), dtype=np.int16)
    assert np.abs(decoded.image.mean(axis=2) - upright).mean() < 4  # same pixels, upright


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")  # Pillow says so, and goes on
def test_a_broken_exif_block_leaves_the_pixels_as_stored(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    text_image(["Số: 05/QĐ-UBND"], size=(600, 400)).convert("RGB").save(
        path, exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff", quality=95
    )
    (decoded,) = _pages(path)
    assert decoded.image.shape[:2] == (400, 600)


def test_a_16_bit_scan_is_scaled_not_clipped_to_white(tmp_path: Path) -> None:
    page = np.asarray(text_image(["Số: 05/QĐ-UBND"] * 4, size=(700, 500)))
    path = tmp_path / "archive16.tif"
    Image.fromarray(page.astype(np.uint16) * 257).save(path)  # mode I;16
    (decoded,) = _pages(path)
    assert np.abs(decoded.image.astype(np.int16) - page).max() <= 1


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_a_transparent_ground_is_white_paper(tmp_path: Path, mode: str) -> None:
    # Black text on a transparent ground: the colour under the transparency is black.
    page = np.asarray(text_image(["Số: 05/QĐ-UBND"] * 4, size=(700, 500)))
    layers = np.zeros(page.shape + (4,), np.uint8)
    layers[..., 3] = 255 - page
    path = tmp_path / "export.png"
    Image.fromarray(layers, "RGBA").convert(mode).save(path)
    (decoded,) = _pages(path)
    gray = decoded.image if decoded.image.ndim == 2 else decoded.image.mean(axis=2)
    assert np.abs(gray - page).mean() < 2

"""Seal and signature ink lifted before binarisation (pipeline/seals.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from hostile import FONT, text_image
from PIL import Image, ImageDraw, ImageFont

from ocr_models.engines import TesserocrEngine
from pipeline import seals
from pipeline.config import Settings
from pipeline.decode import PageInput, iter_pages
from pipeline.evaluate import word_recall
from pipeline.intake import open_input
from pipeline.ocr import ocr_page
from pipeline.samples import generate
from pipeline.seals import drop_colour_ink, drop_gray_seals, drop_ink

PAPER, TEXT, SEAL = 240, 15, 100  # gray tones as a gray scanner gives red seal ink
FONT_34 = ImageFont.truetype(FONT, 34)


def test_red_seal_is_washed_out_and_black_text_kept() -> None:
    img = text_image(["Ủy ban nhân dân tỉnh Bắc Ninh"] * 3, size=(1240, 700)).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.ellipse((300, 40, 700, 440), outline=(220, 30, 40), width=14)
    draw.text((80, 600), "Nguyễn Văn An", font=ImageFont.truetype(FONT, 36), fill=(20, 40, 170))
    rgb = np.asarray(img)
    gray = drop_colour_ink(rgb, 200)
    assert gray[40:60, 480:520].min() > 200  # top of the ring
    assert gray[70:130, 80:1100].min() < 80  # the black body text stays
    assert gray[600:650, 80:400].min() > 150  # blue signature ink gone


def test_red_title_text_is_kept() -> None:
    img = Image.new("RGB", (1240, 600), "white")
    draw = ImageDraw.Draw(img)
    draw.text((300, 100), "GIẤY CHỨNG NHẬN", font=ImageFont.truetype(FONT, 60), fill=(200, 30, 40))
    gray = drop_colour_ink(np.asarray(img), 200)
    assert gray[100:170, 300:900].min() < 120


def test_red_title_text_inside_a_red_frame_is_kept() -> None:
    # A land certificate: a red frame round the whole page is a "round" red blob (as wide
    # as tall within 0.6-1.6) but no seal; lifting every red inside it lost the title.
    lines = ["Ủy ban nhân dân tỉnh Bắc Ninh, Số: 05/QĐ-UBND, ngày 12 tháng 3"] * 12
    img = text_image(lines, size=(1240, 1754)).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 1220, 1734), outline=(200, 30, 40), width=6)
    title = ImageFont.truetype(FONT, 60)
    draw.text((250, 900), "GIẤY CHỨNG NHẬN", font=title, fill=(200, 30, 40))
    gray = drop_colour_ink(np.asarray(img), 150)
    assert gray[900:970, 250:850].min() < 120  # the title stays
    assert gray[20:30, 600:700].min() > 200  # the frame goes, as before


@pytest.mark.parametrize("ink", [(0, 0, 128), (30, 60, 170), (150, 20, 20)])
def test_a_page_printed_in_a_colour_keeps_its_print(ink: tuple[int, int, int]) -> None:
    # Typed in navy or red, or black photographed under a blue cast: the colour is the
    # print, not a signature or seal on it. Lifted, it left the page blank.
    lines = ["Ủy ban nhân dân tỉnh Bắc Ninh", "Số: 05/QĐ-UBND", "Căn cứ Luật Tổ chức"] * 4
    img = text_image(lines, size=(1240, 900)).convert("RGB")
    rgb = np.asarray(img).copy()
    rgb[np.asarray(img.convert("L")) < 128] = ink
    gray = drop_colour_ink(rgb, 200)
    print_ink = np.asarray(img.convert("L")) < 128
    assert (gray[print_ink] < 128).mean() > 0.99


def test_a_page_typed_in_navy_is_read() -> None:
    lines = ["Ủy ban nhân dân tỉnh Bắc Ninh", "Số: 05/QĐ-UBND", "Căn cứ Luật Tổ chức"] * 3
    img = text_image(lines, size=(1240, 900))
    rgb = np.asarray(img.convert("RGB")).copy()
    rgb[np.asarray(img) < 128] = (0, 0, 128)
    page = ocr_page(PageInput(1, rgb, 150), TesserocrEngine())
    assert word_recall(page.text, "\n".join(lines)) > 0.9


def test_a_blue_signature_on_a_photo_on_a_blue_table_is_still_lifted() -> None:
    # The table is a big blue area, not strokes: it does not make blue the page's print.
    img = text_image(["Ủy ban nhân dân tỉnh Bắc Ninh"] * 4, size=(1240, 700)).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.text((80, 600), "Nguyễn Văn An", font=ImageFont.truetype(FONT, 36), fill=(20, 40, 170))
    photo = np.zeros((1100, 1700, 3), np.uint8)
    photo[:] = (34, 44, 62)  # a dark blue desk around the page
    photo[200:900, 230:1470] = np.asarray(img)
    gray = drop_colour_ink(photo, 200)
    assert gray[800:850, 310:630].min() > 150  # the signature is gone
    assert gray[270:330, 310:1300].min() < 80  # the black print stays


def _signature_block(seal_tone: int = SEAL, text_tone: int = TEXT) -> np.ndarray:
    """A 200 dpi gray signature block: a title in black, a round seal stamped over it."""
    img = Image.new("L", (1000, 700), PAPER)
    draw = ImageDraw.Draw(img)
    bold = ImageFont.truetype(FONT.replace("Regular", "Bold"), 34)
    draw.text((330, 120), "TM. ỦY BAN NHÂN DÂN", font=bold, fill=text_tone)
    draw.text((420, 175), "CHỦ TỊCH", font=bold, fill=text_tone)
    # The seal, stamped on its own layer and darkening the page where it lies (ink on ink
    # stays the darker): two rings, letters round the rim and a star, under the title.
    seal = Image.new("L", img.size, 255)
    draw = ImageDraw.Draw(seal)
    cx, cy = 420, 330
    draw.ellipse((cx - 140, cy - 140, cx + 140, cy + 140), outline=seal_tone, width=7)
    draw.ellipse((cx - 90, cy - 90, cx + 90, cy + 90), outline=seal_tone, width=3)
    small = ImageFont.truetype(FONT, 22)
    for k in range(10):
        a = np.pi * (0.1 + 0.18 * k) + np.pi
        draw.text((cx + 112 * np.cos(a) - 8, cy + 112 * np.sin(a) - 10), "ỦBAN"[k % 4],
                  font=small, fill=seal_tone)  # fmt: skip
    draw.regular_polygon((cx, cy, 35), 5, fill=seal_tone)
    return np.minimum(np.asarray(img), np.asarray(seal))


def _stamped_card_title() -> tuple[np.ndarray, np.ndarray]:
    """A 200 dpi colour JPEG: a black title on a card's gray, a red seal stamped over its
    start (the ink multiplies: print under it stays dark, its edges turn red), with a pale
    inner ring where the ink ran thin. Also the title's own ink, drawn alone."""
    card = (222, 224, 226)
    title = Image.new("L", (1000, 560), 255)
    bold = ImageFont.truetype(FONT.replace("Regular", "Bold"), 30)
    ImageDraw.Draw(title).text((200, 120), "CỤC TRƯỞNG CỤC CẢNH SÁT", font=bold, fill=0)
    ImageDraw.Draw(title).text((120, 170), "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ", font=bold, fill=0)
    for y in (440, 490):  # the card's other print: a seal is no page's only ink
        ImageDraw.Draw(title).text((40, y), "IDVNM0843588190075084358819<<<", font=bold, fill=0)
    seal = Image.new("RGB", title.size, "white")
    draw = ImageDraw.Draw(seal)
    cx, cy = 230, 290
    draw.ellipse((cx - 130, cy - 130, cx + 130, cy + 130), outline=(205, 40, 45), width=9)
    draw.ellipse((cx - 95, cy - 95, cx + 95, cy + 95), outline=(232, 178, 178), width=5)
    draw.regular_polygon((cx, cy, 30), 5, fill=(170, 25, 30))
    page = np.asarray(title.convert("RGB")).astype(np.float32) / 255
    page = page * np.array(card, np.float32) * (np.asarray(seal, np.float32) / 255)
    buf = io.BytesIO()
    Image.fromarray(page.astype(np.uint8)).save(buf, "JPEG", quality=75)
    return np.asarray(Image.open(buf).convert("RGB")), np.asarray(title) < 100


def test_a_colour_seal_over_a_title_goes_and_the_title_stays() -> None:
    page, print_ink = _stamped_card_title()
    out = drop_colour_ink(page, 200)
    yy, xx = np.ogrid[: page.shape[0], : page.shape[1]]
    d = np.hypot(xx - 230, yy - 290)
    under = print_ink & (d > 120) & (d < 140)  # the title's strokes under the outer ring
    assert under.sum() > 150
    assert (out[under] < 110).mean() > 0.98  # they stay dark
    pale = (d > 90) & (d < 95) & (yy > 240)  # the thin inner ring, away from the title
    assert (out[pale] > 180).mean() > 0.95
    assert out[d < 15].min() > 180  # and the star


def test_the_office_and_signer_under_a_card_seal_are_read(tmp_path: Path) -> None:
    # The back of a generated chip ID card, scanned at 200 dpi in colour: the red seal sits
    # over the issuing office's title and the signer's name. With the seal's saturated red
    # alone lifted, the ink left and the letters cut read 0.59 of these words (`3: TRƯỞNG
    # CỤC CẢNH SÁT`, `tú —`); with the whole seal, 0.88.
    scan = generate(tmp_path, 1, 3, kinds=["citizen_id_card", "scan200"])[0]
    documents = json.loads(Path(f"{scan}.truth.json").read_text(encoding="utf-8"))["documents"]
    lines = documents[0]["text"].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("CỤC TRƯỞNG"))
    (page,) = iter_pages(open_input(scan, max_bytes=10**9), Settings(home=tmp_path))
    text = ocr_page(page, TesserocrEngine()).text
    assert word_recall(text, "\n".join(lines[first : first + 3])) >= 0.85


def test_gray_seal_is_lifted_and_black_text_kept() -> None:
    page = _signature_block()
    out = drop_gray_seals(page, 200)
    ring = np.zeros(page.shape, bool)
    yy, xx = np.ogrid[: page.shape[0], : page.shape[1]]
    d = np.hypot(xx - 420, yy - 330)
    ring[(d > 133) & (d < 147)] = True
    away = ring & (np.abs(page.astype(int) - SEAL) < 10) & (yy > 260)  # ring below the title
    assert away.sum() > 1000
    assert out[away].min() >= PAPER - 5  # the seal's ring is gone
    assert out[(d < 30)].min() >= PAPER - 5  # and its star
    text = page <= TEXT + 5
    assert np.array_equal(out[text], page[text])  # every dark pixel of the title stays


@pytest.mark.parametrize(
    ("name", "page"),
    [
        # Faint print: the text itself is as light as a seal, so nothing tells them apart.
        ("faint print", _signature_block(seal_tone=110, text_tone=110)),
        # A bilevel (fax) page has no gray to go by.
        ("bilevel", np.where(_signature_block() < 170, 0, 255).astype(np.uint8)),
    ],
)
def test_pages_without_a_gray_seal_are_left_alone(name: str, page: np.ndarray) -> None:
    assert drop_gray_seals(page, 200) is page, name


def test_ring_on_a_gray_pattern_is_no_seal() -> None:
    # A citizen ID card's guilloche: gray waves all over, with a round emblem in them.
    page = _signature_block()
    img = Image.fromarray(page.copy())
    draw = ImageDraw.Draw(img)
    for y in range(200, 700, 9):
        draw.line([(x, y + 4 * np.sin(x / 11)) for x in range(0, 1000, 4)], fill=SEAL, width=2)
    patterned = np.asarray(img)
    assert np.array_equal(drop_gray_seals(patterned, 200), patterned)


def test_drop_ink_picks_the_gray_or_the_colour_way() -> None:
    page = _signature_block()
    assert np.array_equal(drop_ink(page, 200), drop_gray_seals(page, 200))
    rgb = np.dstack([page] * 3)
    assert np.array_equal(drop_ink(rgb, 200), drop_colour_ink(rgb, 200))


def test_title_under_a_gray_seal_is_read() -> None:
    page = PageInput(1, _signature_block(), 200)
    text = ocr_page(page, TesserocrEngine()).text
    assert "CHỦ TỊCH" in text
    assert "ỦY BAN NHÂN DÂN" in text


def test_many_concentric_rings_are_searched_within_bounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A target of rings from 1 to 2.1 cm, and the circle search finding the innermost: the
    # widening to the outermost ring and the look at the paper around it stay in bounds.
    img = Image.new("L", (1200, 1300), PAPER)
    draw = ImageDraw.Draw(img)
    for y in range(40, 360, 50):  # a page's worth of print, so the text tone is known
        draw.text((40, y), "ỦY BAN NHÂN DÂN TỈNH BẮC NINH " * 2, font=FONT_34, fill=TEXT)
    for r in range(80, 172, 9):
        draw.ellipse((600 - r, 700 - r, 600 + r, 700 + r), outline=SEAL, width=4)
    page = np.asarray(img)
    scale = seals.SEAL_DPI / 200
    innermost = np.array([[[600 * scale, 700 * scale, 80 * scale]]], np.float32)
    monkeypatch.setattr(seals.cv2, "HoughCircles", lambda *a, **k: innermost)
    out = drop_gray_seals(page, 200)
    assert out[700, 600 + 80 : 600 + 170].min() > SEAL  # the rings went as a seal

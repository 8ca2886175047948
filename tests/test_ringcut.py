"""A seal's ring traced along its line and cut out (pipeline/ringcut.py)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr_models.engines import OcrOutput, OcrWord, TesserocrEngine
from pipeline.lostlines import recover_lines
from pipeline.marklines import MARGIN_PX, padded
from pipeline.ocr import read_region
from pipeline.ringcut import cut_rings, drop_seal_lettering, fitted_band, rings_near, trace

BOLD = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
# A stamped ring that is not a true circle on the page: a 6 px line, its radius 198 to 208
# (the band between the fitted radii is ~16 px wide, as on a fax page of seed 8383).
CENTRE, AXES, THICK = (560, 460), (208, 198), 6


def _oval_ring(page: np.ndarray) -> None:
    cv2.ellipse(page, CENTRE, AXES, 0, 0, 360, 0, THICK)


def test_the_trace_follows_a_ring_that_is_not_a_circle() -> None:
    page = np.full((1000, 1200), 255, np.uint8)
    _oval_ring(page)
    cv2.line(page, (560, 200), (560, 300), 0, 10)  # a stem across the ring's top
    ring = rings_near([(300, 200, 900, 260)], page, 300)
    assert len(ring) == 1
    line, band = trace(page, ring[0]), fitted_band(ring[0])
    ring_ink = np.full_like(page, 255)
    _oval_ring(ring_ink)
    # The band between the fitted circle's radii is far wider than the ring's line ...
    black = np.zeros_like(page)
    band_area = (cut_rings(black, 0, 0, [band], mend=False) == 255).sum()
    traced_area = (cut_rings(black, 0, 0, [line], mend=False) == 255).sum()
    assert band_area > 1.3 * traced_area
    assert traced_area < 2 * (ring_ink == 0).sum()
    # ... the trace takes nearly all of the ring ...
    traced = cut_rings(page, 0, 0, [line], mend=False)
    on_ring = (page == 0) & (ring_ink == 0)
    assert (traced[on_ring] == 255).mean() > 0.97
    # ... and a sliver of the stem, where the band took half as much again.
    stem = page[200:300, 555:566] == 0
    lost_traced = stem.sum() - (traced[200:300, 555:566] == 0)[stem].sum()
    banded = cut_rings(page, 0, 0, [band], mend=False)
    lost_banded = stem.sum() - (banded[200:300, 555:566] == 0)[stem].sum()
    assert 0 < lost_traced < 12 * 11  # ~ the ring's width, with a pixel's slack
    assert lost_banded > 1.4 * lost_traced


def test_a_stroke_across_the_ring_is_mended() -> None:
    page = np.full((1000, 1200), 255, np.uint8)
    _oval_ring(page)
    cv2.line(page, (560, 200), (560, 300), 0, 10)  # a stem across the ring's top
    cv2.rectangle(page, (600, 230), (630, 266), 0, -1)  # a letter's foot on the ring's line
    line = trace(page, rings_near([(300, 200, 900, 260)], page, 300)[0])
    mended = cut_rings(page, 0, 0, [line])
    assert (mended[200:300, 556:565] == 0).all()  # the stem is whole
    ring_ink = np.full_like(page, 255)
    _oval_ring(ring_ink)
    away = (ring_ink == 0).copy()
    away[:, 540:580] = False
    assert (mended[away] == 255).mean() > 0.97  # the ring is gone elsewhere
    assert (mended[230:259, 600:631] == 0).all()  # the foot is kept above the line
    under = away.copy()
    under[:, :600] = under[:, 631:] = False
    assert (mended[under] == 255).all()  # the ring under it is not


def test_a_broken_ring_is_traced_from_what_is_left() -> None:
    page = np.full((1000, 1200), 255, np.uint8)
    _oval_ring(page)
    page[:, 550:570] = 255  # a fax's dropouts: the ring broken in four places
    page[450:470] = 255
    ring = rings_near([(300, 200, 900, 260)], page, 300)
    assert len(ring) == 1
    cut = cut_rings(page, 0, 0, [trace(page, ring[0])])
    assert (cut == 0).sum() < 0.03 * (page == 0).sum()


def test_no_clear_ring_leaves_the_fitted_band() -> None:
    page = np.full((600, 600), 255, np.uint8)
    ring = (300.0, 300.0, 188.0, 200.0)  # nothing drawn: no direction shows the ring
    line = trace(page, ring)
    assert line.half == 6.0 and np.allclose(line.radius, 194.0)


def test_the_band_cut_takes_the_band_and_leaves_the_rest() -> None:
    page = np.full((600, 600), 255, np.uint8)
    cv2.circle(page, (300, 300), 194, 0, 12)  # the ring: radii 188-200
    cv2.line(page, (300, 400), (300, 560), 0, 6)  # a stem crossing its bottom
    cut = cut_rings(page, 0, 0, [fitted_band((300.0, 300.0, 188.0, 200.0))])
    assert not (cut[100:120, 295:305] < 255).any()  # the ring's top: gone
    assert not (cut[295:305, 100:120] < 255).any()  # and its left
    assert (cut[520:560, 298:302] == 0).all()  # the stem below the band: kept
    assert (cut[400:480, 298:302] == 0).all()  # and inside the ring


def test_seal_lettering_inside_the_ring_goes_and_the_line_s_letters_stay() -> None:
    page = np.full((1000, 1200), 255, np.uint8)
    ring = (560.0, 460.0, 190.0, 200.0)
    cv2.rectangle(page, (500, 300), (515, 318), 0, -1)  # seal lettering: small, inside
    cv2.rectangle(page, (560, 300), (590, 350), 0, -1)  # a title letter inside: line-tall
    cv2.rectangle(page, (1000, 300), (1012, 318), 0, -1)  # a small mark outside the ring
    cv2.rectangle(page, (700, 270), (712, 300), 0, -1)  # small, but reaching past the ring
    out = drop_seal_lettering(page, page, 0, 0, [ring], line_height=60)
    assert (out[300:319, 500:516] == 255).all()
    assert (out[300:351, 560:591] == 0).all()
    assert (out[300:319, 1000:1013] == 0).all()
    assert (out[270:301, 700:713] == 0).all()
    # Offsets: the same crop cut from further right and down finds the same ink.
    crop = page[250:400, 450:1100]
    moved = drop_seal_lettering(crop, crop, 450, 250, [ring], line_height=60)
    assert (moved == out[250:400, 450:1100]).all()


def test_a_piece_of_a_letter_the_ring_was_cut_from_stays() -> None:
    before = np.full((1000, 1200), 255, np.uint8)
    ring = (560.0, 460.0, 190.0, 200.0)
    cv2.rectangle(before, (640, 260), (650, 300), 0, -1)  # a stem down into the ring's band
    cut = before.copy()
    cut[260:290, 630:660] = 255  # the cut took the ring and the stem's top
    out = drop_seal_lettering(cut, before, 0, 0, [ring], line_height=60)
    assert (out[290:301, 640:651] == 0).all()  # small and inside, but the ring ran into it


def _signature_block() -> np.ndarray:
    """A fax-like signature block: the title's first letter under a black oval ring,
    the seal's own name round inside the ring in small letters."""
    img = Image.new("L", (1300, 1000), 255)
    draw = ImageDraw.Draw(img)
    draw.text((600, 240), "CHỦ TỊCH", font=ImageFont.truetype(BOLD, 56), fill=0)
    small = ImageFont.truetype(BOLD, 26)
    for (x, y), letter in zip(((500, 292), (532, 284), (564, 280)), "ĐÂN", strict=True):
        draw.text((x, y), letter, font=small, fill=0)
    page = np.asarray(img).copy()
    _oval_ring(page)
    return page


def test_a_title_the_ring_runs_through_is_read_with_the_ring_cut_out() -> None:
    engine = TesserocrEngine()
    page = _signature_block()
    nothing = OcrOutput("", [], 0.0)  # the region read as a picture: no line at all
    out = recover_lines(nothing, padded(page), 300, engine, read_region)
    assert out.text == "CHỦ TỊCH"
    chu = out.words[0]
    assert 590 < chu.left - MARGIN_PX < 630 and 220 < chu.top - MARGIN_PX < 280


def _junk_over_title(confidence: float) -> OcrOutput:
    """The block as Tesseract read it: one "word" over the ring and the title."""
    junk = OcrWord("&sJ)", 500 + MARGIN_PX, 230 + MARGIN_PX, 420, 260, confidence, (1, 1, 1))
    return OcrOutput(junk.text, [junk], confidence)


def test_junk_read_over_a_ring_is_looked_under_and_replaced() -> None:
    engine = TesserocrEngine()
    out = recover_lines(_junk_over_title(0.0), padded(_signature_block()), 300, engine, read_region)
    assert out.text == "CHỦ TỊCH"


def test_a_word_read_well_enough_over_a_ring_is_not_looked_under() -> None:
    engine = TesserocrEngine()
    read = _junk_over_title(0.6)
    out = recover_lines(read, padded(_signature_block()), 300, engine, read_region)
    assert out.text == read.text

import cv2
import numpy as np
import pytest
from hostile import FONT, text_image
from PIL import Image, ImageDraw, ImageFont

from pipeline.layout import text_regions
from pipeline.preprocess import (
    clear_border,
    component_mask,
    components,
    densest_band,
    estimate_skew,
    even_illumination,
    find_rules,
    flatten_page,
    line_direction_score,
    marks_above_ratio,
    normalize_resolution,
    page_quad,
    remove_rules,
    thin_rules,
    upright_at_resolution,
)

BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ;",
    "Theo đề nghị của Trưởng phòng Nội vụ tại Tờ trình số 880/TTr-UBND;",
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận hồ sơ.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này.",
]


def _page() -> np.ndarray:
    return np.asarray(text_image(BODY, size=(1240, 700)))


def _rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, m, (w, h), borderValue=255)


@pytest.mark.parametrize("degrees", [-3.0, 2.0, 8.4, -10.0, 13.0])
def test_skewed_page_comes_back_straight(degrees: float) -> None:
    skewed = _rotate(_page(), degrees)
    assert estimate_skew(skewed) == pytest.approx(-degrees, abs=0.5)
    assert abs(estimate_skew(upright_at_resolution(skewed, 300)[0])) <= 0.5


def test_straight_page_is_left_alone() -> None:
    page = _page()
    assert upright_at_resolution(page, 300)[0] is page


def test_sideways_page_is_detected() -> None:
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(BODY * 3):  # 12 pt at 150 dpi, 1.5 line spacing
        draw.text((80, 100 + i * 75), line, font=ImageFont.truetype(FONT, 25), fill=0)
    page = np.asarray(img)
    assert line_direction_score(page) > 1.0
    assert line_direction_score(cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)) < 0.8


def test_photographed_page_is_cropped_and_flattened() -> None:
    page = _page()
    h, w = page.shape
    frame = np.full((1400, 1800), 60, np.uint8)  # dark table
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    seen = np.float32([[300, 250], [1540, 300], [1500, 980], [280, 950]])
    m = cv2.getPerspectiveTransform(corners, seen)
    cv2.warpPerspective(page, m, (1800, 1400), frame, borderMode=cv2.BORDER_TRANSPARENT)
    flat = flatten_page(frame)
    assert flat.shape != frame.shape
    assert flat.shape[1] / flat.shape[0] == pytest.approx(w / h, rel=0.1)
    border = np.concatenate([flat[:5].ravel(), flat[-5:].ravel()])
    assert border.mean() > 200  # the table is gone
    assert abs(estimate_skew(flat)) <= 0.5


def _photo(page: np.ndarray, seen: np.ndarray, table: int) -> np.ndarray:
    """`page` photographed on a mottled table of tone `table`, its corners at `seen`."""
    h, w = page.shape
    rng = np.random.default_rng(5)
    mottle = cv2.GaussianBlur(rng.normal(0, 1, (1400, 1800)).astype(np.float32), (0, 0), 25)
    frame = np.clip(table + mottle / mottle.std() * 15, 0, 255).astype(np.uint8)
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(corners, seen)
    cv2.warpPerspective(page, m, (1800, 1400), frame, borderMode=cv2.BORDER_TRANSPARENT)
    return frame


def test_a_photo_whose_light_falls_off_across_the_sheet_is_flattened() -> None:
    # A lamp at the lower left: the far corner of the sheet is darker than the table near
    # the lamp, so one threshold cuts a bite out of the sheet; its edges still show.
    seen = np.float32([[300, 250], [1540, 300], [1500, 980], [280, 950]])
    frame = _photo(_page(), seen, table=130).astype(np.float32)
    ys, xs = np.mgrid[0:1400, 0:1800].astype(np.float32)
    light = np.clip(1.25 - np.hypot(xs - 200, ys - 1300) / 1500, 0.3, 1.0)
    frame = (frame * light).astype(np.uint8)
    assert frame[300, 1500] < frame[1300, 200]  # the sheet's far corner under the table
    quad = page_quad(frame)
    assert quad is not None
    found = sorted(map(tuple, quad.round()))
    for (x, y), (tx, ty) in zip(found, sorted(map(tuple, seen)), strict=True):
        assert abs(x - tx) < 20 and abs(y - ty) < 20


def test_a_text_block_is_not_taken_for_a_sheet() -> None:
    # A scan with a thumb over its edge: the paper's bright part is no quadrilateral, and
    # the ruled box around the text inside it is no sheet's edge either.
    page = cv2.copyMakeBorder(_page(), 300, 300, 300, 300, cv2.BORDER_CONSTANT, value=255)
    cv2.rectangle(page, (250, 250), (page.shape[1] - 250, page.shape[0] - 250), 0, 3)
    cv2.circle(page, (0, page.shape[0] // 2), 450, 70, -1)
    assert page_quad(page) is None


def test_scan_that_fills_the_frame_is_not_cropped() -> None:
    page = _page()
    assert flatten_page(page) is page


def test_shadow_is_evened_out() -> None:
    page = _page().astype(np.float32)
    shade = np.linspace(0.45, 1.0, page.shape[1], dtype=np.float32)[None, :]
    shadowed = (page * shade).astype(np.uint8)
    fixed = even_illumination(shadowed)
    paper = fixed[-60:, :]  # an empty strip at the bottom
    assert paper.mean() > 230 and paper.std() < 10


def test_two_column_header_is_read_left_column_first() -> None:
    img = Image.new("L", (1240, 900), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 28)
    for i, line in enumerate(["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "Số: 05/QĐ-UBND"]):
        draw.text((80, 60 + i * 50), line, font=font, fill=0)
    for i, line in enumerate(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do"]):
        draw.text((560, 70 + i * 50), line, font=font, fill=0)
    for i, line in enumerate(BODY):
        draw.text((80, 300 + i * 50), line, font=font, fill=0)
    regions = text_regions(np.asarray(img))
    assert len(regions) == 3
    left, right, body = regions
    assert left.right <= 560 < right.right and left.top == right.top
    assert body.top >= left.bottom - 20 and body.left == 0 and body.right == 1240


def test_single_column_page_is_one_region() -> None:
    assert len(text_regions(_page())) == 1


def test_low_resolution_page_is_straightened_and_upscaled_in_one_warp() -> None:
    skewed = _rotate(_page(), 2.0)  # drawn at about 150 dpi
    out, dpi = upright_at_resolution(skewed, 150)
    assert dpi == 300
    assert out.shape == (skewed.shape[0] * 2, skewed.shape[1] * 2)
    assert abs(estimate_skew(out)) <= 0.5


def test_straight_page_at_300_dpi_is_not_resampled() -> None:
    page = _page()
    out, dpi = upright_at_resolution(page, 300)
    assert out is page and dpi == 300


def test_tone_marks_tell_upright_from_upside_down() -> None:
    page = np.asarray(text_image(BODY * 2, size=(1800, 900)))
    assert marks_above_ratio(page) > 2
    assert marks_above_ratio(cv2.rotate(page, cv2.ROTATE_180)) < 0.5


def test_densest_band_is_the_text_block() -> None:
    page = np.full((1600, 1200), 255, np.uint8)
    page[1000:1400] = np.asarray(text_image(BODY, size=(1200, 400)))  # text low on the page
    band = densest_band(page, 1 / 8)
    assert band.shape == (200, 1200)
    rows = np.flatnonzero((page < 128).any(axis=1))
    top = next(y for y in range(page.shape[0]) if np.array_equal(page[y : y + 200], band))
    assert rows.min() - 20 <= top and top + 200 <= rows.max() + 20


def test_copier_edge_is_cleared_and_text_kept() -> None:
    page = _page().copy()
    page[:, :25] = 30  # a photocopy's dark edge down the whole left side
    page[:40, 600:700] = 40  # a scanner shadow in the top margin
    out = clear_border(page)
    assert out[:, :25].min() > 200 and out[:40, 600:700].min() > 200
    text = _page() < 128
    assert (out[text] < 128).mean() > 0.999  # no letter touches the edge: all kept


def test_table_rules_are_found_and_removed_but_text_in_cells_kept() -> None:
    img = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(img)
    for y in (100, 250, 400):  # a 2-row table at 300 dpi: 3 rules, 3 borders
        draw.line((60, y, 1180, y), fill=0, width=3)
    for x in (60, 500, 1180):
        draw.line((x, 100, x, 400), fill=0, width=3)
    draw.text((90, 150), "Họ và tên", font=ImageFont.truetype(FONT, 40), fill=0)
    draw.text((530, 150), "Trần Thị Hoa", font=ImageFont.truetype(FONT, 40), fill=0)
    gray = np.asarray(img)
    horizontal, vertical = find_rules(gray, 300)
    assert horizontal[100, 300] and horizontal[400, 900] and not horizontal[170, 120]
    assert vertical[300, 500] and not vertical[170, 600]
    out = remove_rules(gray, (horizontal, vertical))
    assert out[95:106, 60:1180].min() > 200 and out[100:400, 495:506].min() > 200
    assert out[150:200, 90:300].min() < 80 and out[150:200, 530:800].min() < 80


@pytest.mark.parametrize(("dpi", "scale"), [(150, 2.0), (200, 1.5), (300, 1.0), (600, 0.5)])
def test_resolution_is_brought_to_about_300_dpi(dpi: int, scale: float) -> None:
    page = _page()
    out, new_dpi = normalize_resolution(page, dpi)
    assert new_dpi == (dpi if scale == 1.0 else 300)
    assert out.shape == (round(page.shape[0] * scale), round(page.shape[1] * scale))


def test_grana_labelling_gives_opencvs_default_components() -> None:
    rng = np.random.default_rng(3)
    bw = np.where(rng.random((300, 400)) < 0.3, 255, 0).astype(np.uint8)
    n, labels, stats, _ = components(bw)
    m, expected, expected_stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    assert n == m and np.array_equal(labels, expected) and np.array_equal(stats, expected_stats)


def test_more_components_than_16_bit_labels_hold_are_labelled_in_32_bits() -> None:
    bw = np.zeros((1200, 1200), np.uint8)
    bw[::3, ::3] = 255  # 160,000 lone dots: a salted page beyond 65,535 components
    n, labels, stats, _ = components(bw)
    assert n == 400 * 400 + 1
    assert labels.dtype == np.int32 and labels[-3, -3] == n - 1
    assert (stats[1:, cv2.CC_STAT_AREA] == 1).all()


def test_component_mask_marks_the_chosen_components_only() -> None:
    rng = np.random.default_rng(5)
    bw = np.where(rng.random((200, 300)) < 0.3, 255, 0).astype(np.uint8)
    n, labels, _, _ = components(bw)
    chosen = rng.random(n) < 0.5
    chosen[0] = False
    mask = component_mask(labels, chosen)
    assert mask.dtype == np.uint8 and mask.shape == bw.shape
    assert np.array_equal(mask > 0, chosen[labels])
    assert set(np.unique(mask)) == {0, 255}
    # Every 4th row of the labels (a strided view), as the speck step's stroke count uses.
    assert np.array_equal(component_mask(labels[::4], chosen) > 0, chosen[labels[::4]])


def _dotted_table() -> np.ndarray:
    """A 300 dpi table whose thin rules a fax broke into dots, with a leader line below."""
    img = Image.new("L", (1240, 1000), 255)
    draw = ImageDraw.Draw(img)
    for y in range(100, 701, 120):
        for x in range(60, 1180, 7):  # a 1 px rule, 6 of every 7 pixels left
            draw.line((x, y, x + 5, y), fill=0)
    for x0 in (60, 500, 1180):
        for y in range(100, 700, 7):
            draw.line((x0, y, x0, y + 5), fill=0)
    font = ImageFont.truetype(FONT, 40)
    draw.text((90, 140), "Ngày, tháng, năm sinh", font=font, fill=0)
    draw.text((530, 140), "11/11/1971", font=font, fill=0)
    draw.text((90, 800), "Họ và tên:", font=font, fill=0)
    for x in range(330, 1150, 12):  # dotted leader: not a rule
        draw.rectangle((x, 832, x + 3, 835), fill=0)
    return np.asarray(img)


def test_rules_broken_into_dots_are_found_and_removed() -> None:
    page = _dotted_table()
    horizontal, vertical = find_rules(page, 300)
    on_rule = (page[100, 60:1180] < 128).mean()  # 6 of every 7 pixels
    assert (horizontal[100, 60:1180] > 0).mean() > on_rule - 0.005  # all but an end pixel
    assert (horizontal[700, 60:1180] > 0).mean() > on_rule - 0.005
    assert (vertical[100:700, 500] > 0).mean() > 0.8
    out = remove_rules(page, (horizontal, vertical))
    assert out[98:103, 60:1180].min() > 200 and out[100:700, 498:503].min() > 200
    for cell in (np.s_[130:200, 90:480], np.s_[130:200, 530:900]):  # the cells' text stays
        assert (out[cell][page[cell] < 128] < 128).mean() > 0.99
    assert np.array_equal(out[780:860], page[780:860])  # so do the label and its leader


def test_a_page_of_text_has_no_thin_rules() -> None:
    page = np.asarray(text_image(BODY * 3, size=(2480, 1300)))
    _, ink = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    assert not thin_rules(ink, 0).any() and not thin_rules(ink, 1).any()


def _text_line_rows(page: np.ndarray, top: int, bottom: int) -> np.ndarray:
    return np.flatnonzero((page[top:bottom] < 128).any(axis=1)) + top


def _strokes_across(letters: np.ndarray, line: np.ndarray, vertical: bool) -> np.ndarray:
    """Pixels of a 3 px line where a letter has ink just outside it on both sides."""
    one, other = np.zeros_like(letters), np.zeros_like(letters)
    if vertical:
        one[:, 3:], other[:, :-3] = letters[:, :-3], letters[:, 3:]
    else:
        one[3:], other[:-3] = letters[:-3], letters[3:]
    return line & letters & one & other


@pytest.mark.parametrize("vertical", [False, True])
def test_a_fold_or_streak_to_the_edge_goes_and_the_letters_it_crosses_stay(
    vertical: bool,
) -> None:
    page = _page()
    letters = page < 128
    marked = page.copy()
    line = np.zeros_like(letters)
    if vertical:  # ADF streaks down the whole page, through every line
        for x in (300, 400, 500, 600):
            line[:, x : x + 3] = True
    else:  # a fold from edge to edge through the top of the second line's letters
        rows = _text_line_rows(page, 130, 200)
        y = int(rows[0] + 0.4 * (rows[-1] - rows[0]))
        line[y : y + 3, :] = True
    marked[line] = 40
    out = clear_border(marked)
    # Every letter stays (before, the letters touching the line went with it) ...
    near = cv2.dilate(line.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert (out[letters & ~near] < 128).mean() > 0.99
    # ... with its strokes across the line, while the line goes where it crosses nothing.
    crossed = cv2.dilate(letters.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert (out[line & ~crossed] > 200).mean() > 0.95
    across = _strokes_across(letters, line, vertical)  # (painted over before: none kept)
    assert across.sum() > 20 and (out[across] < 128).mean() > 0.7  # (antialiased rims go)


def test_a_copier_edge_line_a_few_pixels_in_is_cleared() -> None:
    page = _page().copy()
    page[:, 2:8] = 35  # the paper's edge, a thin line standing just in from the image edge
    page[:20, 0:8] = 35  # joined to the edge at the top
    out = clear_border(page)
    assert out[:, 2:8].min() > 200
    assert (out[_page() < 128] < 128).mean() > 0.999


def test_an_underline_through_descenders_goes_and_the_descenders_stay() -> None:
    img = Image.new("L", (1240, 300), 255)
    draw = ImageDraw.Draw(img)
    draw.text((80, 80), "gạo giấy quy gập", font=ImageFont.truetype(FONT, 60), fill=0)
    letters = np.asarray(img) < 128
    y = _text_line_rows(np.asarray(img), 60, 200)[-1] - 8  # through the tails of g, y, q, p
    draw.line((60, y, 1180, y), fill=0, width=3)
    gray = np.asarray(img)
    out = remove_rules(gray, find_rules(gray, 300))
    rule = np.zeros_like(letters)
    rule[y - 1 : y + 2, 60:1180] = True
    across = _strokes_across(letters, rule, False)
    assert across.sum() > 20 and (out[across] < 128).mean() > 0.9  # the tails stay whole
    assert (out[rule & ~letters] > 200).mean() > 0.9  # (a rule inside a tail's loop stays)

import numpy as np
from hostile import FONT
from PIL import Image, ImageDraw, ImageFont

from pipeline.specks import despeckle, remove_dot_leaders, stroke_width


def test_dot_leaders_are_removed_but_text_kept() -> None:
    img = Image.new("L", (1240, 200), 255)
    draw = ImageDraw.Draw(img)
    draw.text((80, 60), "Họ và tên: Lê Thị Bích", font=ImageFont.truetype(FONT, 36), fill=0)
    for x in range(520, 1150, 12):  # a 12 pt "......" at 300 dpi
        draw.rectangle((x, 92, x + 3, 95), fill=0)
    gray = np.asarray(img)
    out = remove_dot_leaders(gray, dpi=300)
    assert out[85:100, 520:1150].min() > 200
    assert np.array_equal(out[:, :500], gray[:, :500])  # the dot of "i" and "ị" survive


def test_stroke_width_is_the_common_stem() -> None:
    bars = np.zeros((200, 400), np.uint8)
    for x in range(10, 390, 20):
        bars[20:180, x : x + 5] = 255
    assert stroke_width(bars) == 5


def _line(text: str) -> np.ndarray:
    img = Image.new("L", (1400, 160), 255)
    ImageDraw.Draw(img).text((40, 40), text, font=ImageFont.truetype(FONT, 60), fill=0)
    return np.asarray(img).copy()


def test_specks_thinner_than_strokes_go_but_full_stops_and_tone_dots_stay() -> None:
    clean = _line("Việt Nam. Hà Nội, ngày tại")
    noisy = clean.copy()
    specks = [(80, 291), (75, 378), (70, 496), (85, 630)]  # in the gaps between words
    for y, x in specks:
        assert (clean[y - 3 : y + 4, x - 3 : x + 4] == 255).all()
        noisy[y : y + 2, x : x + 2] = 0
    out = despeckle(noisy)
    for y, x in specks:
        assert (out[y : y + 2, x : x + 2] > 128).all(), f"speck at {(y, x)} kept"
    # Every mark of the print (full stop, comma, the dots under "ệ", "ộ", "ạ") is untouched.
    ink = clean < 128
    assert (out[ink] < 128).mean() > 0.999


def test_a_page_salted_with_specks_still_has_its_stems_measured() -> None:
    # An archive TIFF salted all over: the specks' 2-3 px runs outnumber the stems. They
    # must not pass for the print's stem width, or no speck is thinner than "the stems".
    clean = _line("Việt Nam. Hà Nội, ngày tại")
    noisy = clean.copy()
    rng = np.random.default_rng(7)
    specks = []
    while len(specks) < 600:
        y, x = int(rng.integers(4, 154)), int(rng.integers(4, 1394))
        if (clean[y - 4 : y + 6, x - 4 : x + 6] == 255).all():
            noisy[y : y + 2, x : x + 2] = 0
            specks.append((y, x))
    out = despeckle(noisy)
    gone = sum(bool((out[y : y + 2, x : x + 2] > 128).all()) for y, x in specks)
    assert gone > 0.8 * len(specks)
    ink = clean < 128
    assert (out[ink] < 128).mean() > 0.999  # full stop, comma and tone dots stay


def test_toner_specks_far_from_the_print_go_and_the_print_stays() -> None:
    # Blobs as thick as the strokes (the first pass keeps them) but far from any letter,
    # none touching the page's edge: toner in the margins of a photocopy.
    page = np.full((1400, 1000), 255, np.uint8)
    page[500:620] = _line("Việt Nam. Hà Nội")[:120, :1000]
    toner = [(100, 100), (150, 800), (1200, 300), (1300, 900), (900, 500)]
    for y, x in toner:
        page[y : y + 7, x : x + 7] = 0
    out = despeckle(page)
    for y, x in toner:
        assert out[y : y + 7, x : x + 7].min() > 128, f"toner at {(y, x)} kept"
    ink = page[500:620] < 128
    assert (out[500:620][ink] < 128).mean() > 0.999  # the full stop and tone dots stay


def test_a_line_of_print_broken_into_bits_is_not_taken_for_toner() -> None:
    # Pale small print (an ID card copy's labels) falls apart under the threshold into bits
    # each as small as a speck, with no whole letter near: in a row, they are print. Toner
    # specks standing alone far from the print still go.
    page = np.full((1400, 1400), 255, np.uint8)
    page[100:260] = _line("Việt Nam. Hà Nội")[:160]
    rng = np.random.default_rng(11)
    bits, x = [], 150
    while x < 1150:  # one line of bits, rising and falling with the letters it was
        w, h, top = int(rng.integers(6, 10)), int(rng.integers(6, 10)), int(rng.integers(700, 708))
        page[top : top + h, x : x + w] = 0
        bits.append((top, x, h, w))
        x += w + int(rng.integers(3, 9))
    toner = [(1250, 120), (1300, 1200), (500, 1250)]
    for y, x in toner:
        page[y : y + 7, x : x + 7] = 0
    out = despeckle(page, 300)
    kept = sum(bool((out[t : t + h, x : x + w] < 128).any()) for t, x, h, w in bits)
    assert kept > 0.8 * len(bits)  # all went before
    for y, x in toner:
        assert out[y : y + 7, x : x + 7].min() > 128, f"toner at {(y, x)} kept"


def test_a_row_of_broken_print_is_not_a_dot_leader() -> None:
    # Bits of letters rise and fall with the letters and lie unevenly; a leader's dots
    # sit on one line, evenly spaced.
    rng = np.random.default_rng(3)
    page = np.full((200, 1400), 255, np.uint8)
    x = 100
    while x < 1200:
        w, h, top = int(rng.integers(2, 5)), int(rng.integers(2, 6)), int(rng.integers(88, 100))
        page[top : top + h, x : x + w] = 0
        x += w + int(rng.integers(2, 10))
    for x in range(200, 1100, 12):  # and below it, a leader of 3 px dots
        page[160:163, x : x + 3] = 0
    out = remove_dot_leaders(page, 300)
    assert np.array_equal(out[:150], page[:150])
    assert out[150:].min() > 200


PLAIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _form(labels: list[str], values: list[str], size: int = 42) -> np.ndarray:
    """Lines of a form at 300 dpi: a plain label, then its value in bold capitals."""
    img = Image.new("L", (2000, 90 * len(labels) + 60), 255)
    draw = ImageDraw.Draw(img)
    plain, bold = ImageFont.truetype(PLAIN, size), ImageFont.truetype(BOLD, size)
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 40 + 90 * n
        draw.text((60, y), label, font=plain, fill=0)
        draw.text((80 + draw.textlength(label, font=plain), y), value, font=bold, fill=0)
    return np.asarray(img).copy()


_LABELS = [
    "Họ, chữ đệm, tên người mẹ:",
    "Ngày, tháng, năm đăng ký:",
    "Nơi đăng ký khai sinh:",
    "Giấy tờ tùy thân:",
    "Quê quán:",
]
_VALUES = [
    "NGUYỄN THỊ BÍCH PHƯƠNG",
    "NGÀY 11 THÁNG 05 NĂM 2004",
    "ỦY BAN NHÂN DÂN THỊ TRẤN VÔI",
    "CMND SỐ 153578203 CẤP NĂM 2010",
    "THỊ TRẤN THẮNG, HIỆP HÒA, BẮC GIANG",
]


def test_the_stem_of_a_form_full_of_bold_values_is_its_plain_print() -> None:
    # Bold values with stems twice as thick outnumber the plain labels' stems: the common
    # run is the bold one, but the plain print's stem is what a full stop is as thick as.
    page = _form(_LABELS, _VALUES)
    bold_only = _form([""] * len(_VALUES), _VALUES)
    plain_only = _form(_LABELS, [""] * len(_LABELS))
    bold_stem, plain_stem = stroke_width(bold_only < 128), stroke_width(plain_only < 128)
    assert bold_stem >= 1.5 * plain_stem
    assert stroke_width(page < 128) == plain_stem


def test_a_form_full_of_bold_values_keeps_its_labels_colons() -> None:
    page = _form(_LABELS, _VALUES)
    out = despeckle(page, 300)
    ink = page < 128
    assert (out[ink] < 128).mean() > 0.999  # the colons (and every tone dot) stay


def test_fax_broken_print_is_no_thinner_stem() -> None:
    # Short runs of print broken by a fax threshold rise as a shoulder beside the stems,
    # not as a peak of their own: the stem stays the common run.
    rows = np.zeros((1, 4000), np.uint8)
    x = 0
    for width, count in [(1, 500), (2, 1550), (3, 1440), (4, 1860), (5, 2710), (6, 1290)]:
        for _ in range(count // 10):
            rows[0, x : x + width] = 1
            x += width + 1
    assert stroke_width(np.repeat(rows, 10, axis=0)) == 5

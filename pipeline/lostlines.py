"""Lines Tesseract's layout analysis left out of a region, found in the ink and read alone.

Tesseract takes a block with a seal or a signature in it for a picture and can drop every
line of it, clear ones too: the signer's name under a seal ("Trần Minh Hưng" on a 150 dpi
JPEG), a card's small print beside its emblem. Ink of line size that no word box covers is
read again as one line (psm 7); the reading is kept only when it is confident, so seals,
signatures and photos, which read as junk, stay out. Where a black seal ring (fax, bilevel
copy) runs into a line, its letters join the ring and are no line: the ring is cut out
(`ringcut`) and the lines looked for again, under the junk read over the ring too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from ocr_models.engines import (
    EngineFailure,
    EngineTimeout,
    OcrEngine,
    OcrOutput,
    OcrWord,
    join_words,
    moved,
    word_lines,
)
from ocr_models.vietnamese import fold
from pipeline.marklines import MARGIN_PX
from pipeline.preprocess import component_mask, components
from pipeline.ringcut import Ring, cut_rings, drop_seal_lettering, rings_near, touches, trace
from pipeline.wordcheck import alnum_count

log = logging.getLogger(__name__)

# (crop, dpi, engine, psm) → reading, word boxes in the crop padded by MARGIN_PX
ReadRegion = Callable[[np.ndarray, int, OcrEngine, int], OcrOutput]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1

_LINE_PSM = 7
# Ink within this share of a word's height around its box belongs to the word (its marks).
_WORD_REACH = 0.35
# Letters of one line are joined across gaps up to this share of an inch.
_JOIN_IN = 0.15
# A lost line is this tall (share of an inch: ~6 to ~22 pt text with its marks) ...
_LINE_HEIGHT_IN = (0.06, 0.3)
# ... and at least this many times as wide as tall (a word or more, not a mark or a stamp).
_MIN_ASPECT = 2.5
# Print covers at least this share of a line's box.
_MIN_FILL = 0.15
# Joined letters up to this many line heights tall are cut into lines at nearly empty rows
# (under this share of the fullest row's ink).
_TALL = 3
_GAP_SHARE = 0.08
# A line's box reaches this share of its height above its letters: the tone marks.
_MARKS_ZONE = 0.3
# Specks under this share of the line height's square are not letters.
_SPECK_SHARE = 0.02
# A line read alone is kept at this confidence or more, with this many letters or digits.
_KEEP_CONF = 0.80
_KEEP_CHARS = 4
# Words of a kept line read below this are dropped (a letter cut by a seal ring).
_WORD_CONF = 0.5
# A line read below _KEEP_CONF keeps its words read at this or more, when it has two.
_SURE_CONF = 0.9
_SURE_WORDS = 2
# A word read again over this share of a word already read is that word.
_SAME_WORD = 0.5
# A lost line this close to a seal's ring (share of its height) is read with the ring and
# the seal's lettering cut out.
_RING_NEAR = 0.5
# A found line sharing this share of its rows with a line read, and this many of its
# heights from its words or less, belongs to that line.
_SAME_ROWS = 0.5
_BESIDE = 2.0
# A line skipped inside a paragraph: two lines read (of 3+ words each) this many times
# the paragraph's line pitch apart ...
_SKIPPED_PITCH = (1.7, 2.4)
_PARAGRAPH_WORDS = 3
# ... with print over this share of the band halfway between them.
_SKIPPED_INK = 0.04
# A word box this many times the words' median height has taken in more than its line.
_TALLER = 1.4
# The band read reaches this many word heights above and below its middle (marks, tails).
_BAND_ABOVE, _BAND_BELOW = 0.85, 0.75


def recover_lines(
    out: OcrOutput,
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    read: ReadRegion,
    ink: np.ndarray | None = None,
) -> OcrOutput:
    """The region's reading with lost lines read alone and put in place.

    `image` is the padded region the word boxes refer to; `read(crop, dpi, engine, psm)`
    reads one crop as `read_region` does (word boxes refer to the crop padded by MARGIN_PX).
    `ink` is the region's print at half resolution when the page's was found at once
    (`page_ink`, `region_ink`); it is drawn on.
    """
    boxes = lost_line_boxes(image, out.words, dpi, ink)
    # A word read poorly and taller than a line is a seal or a signature read as one.
    tall = [
        _box(w)
        for w in out.words
        if w.confidence < _WORD_CONF and w.height > _LINE_HEIGHT_IN[1] * dpi
    ]
    if not boxes and not tall:
        return out
    rings = rings_near(boxes + tall, image, dpi)
    freed, read_before = image, out.words
    if rings:
        # Letters the ring ran into were no part of the lines: look again without it, and
        # under the junk read over the seal (one "word" can take in the ring and two lines).
        freed = cut_rings(image, 0, 0, [trace(image, ring) for ring in rings])
        read_before = [w for w in out.words if not _junk_by_ring(w, rings)]
        boxes = lost_line_boxes(freed, read_before, dpi)
    found: list[list[OcrWord]] = []
    for box in boxes:
        x0, y0, x1, y1 = box
        crop = image[y0:y1, x0:x1]
        near = [ring for ring in rings if touches(box, ring, _RING_NEAR)]
        if near:
            crop = drop_seal_lettering(freed[y0:y1, x0:x1], crop, x0, y0, near, y1 - y0)
        try:
            words = _kept_words(read(crop, dpi, engine, _LINE_PSM))
        except (EngineTimeout, EngineFailure) as e:
            log.info("reading a lost line failed: %s", e)
            continue
        if not words:
            continue
        # The crop takes in the line's words that were read (their box is the line's).
        new = [
            w
            for w in moved(words, x0 - MARGIN_PX, y0 - MARGIN_PX)
            if not any(word_overlap(w, r) > _SAME_WORD for r in read_before)
        ]
        if new:
            found.append(new)
    if not found:
        return out
    if read_before is not out.words:  # junk over a line found under it goes
        sure = {id(w) for w in read_before}
        kept = [w for w in out.words if id(w) in sure or not _covers(w, found)]
        out = OcrOutput(out.text, kept, out.confidence)
    return _merged(out, found)


def recover_skipped_lines(
    out: OcrOutput, image: np.ndarray, dpi: int, engine: OcrEngine, read: ReadRegion
) -> OcrOutput:
    """The region's reading with a line Tesseract skipped inside a paragraph read alone.

    Tesseract can leave out a whole line between two it read, its ink taken into the boxes
    of the words over and under it ("2. Không yêu cầu tổ chức, cá nhân …" on a fax: the
    boxes of "năm 2022." above reached down over it), so that `recover_lines` finds only
    pieces of it. Where two lines of a paragraph lie two line pitches apart with print
    between them, the band between is read as one line and kept when confident.
    """
    lines = word_lines(out.words)
    found: dict[int, list[OcrWord]] = {}  # line index → the line skipped after it
    junk: set[int] = set()
    for n, (above, below, box) in enumerate(_skipped_line_boxes(lines, image), start=1):
        x0, y0, x1, y1 = box
        try:
            words = _kept_words(read(image[y0:y1, x0:x1], dpi, engine, _LINE_PSM))
        except (EngineTimeout, EngineFailure) as e:
            log.info("reading a skipped line failed: %s", e)
            continue
        key = (lines[above][0].line[0], -1, -n)
        # A word read already is left out; a box that took in this line too is no word of it.
        new = [
            w
            for w in moved(words, x0 - MARGIN_PX, y0 - MARGIN_PX, key)
            if not any(_same_box(w, r) for r in out.words)
        ]
        if new:
            found[above] = new
            # A short line read between the two from the same ink ("ChứcdanhTônggamđôcGo O"
            # for "Chức danh: Tổng giám đốc") was this line read badly: it goes, all of it.
            junk |= {
                id(w)
                for line in lines[above + 1 : below]
                if any(word_overlap(w, f) > _SAME_WORD for w in line for f in new)
                for w in line
            }
    if not found:
        return out
    return join_words(
        [w for i, line in enumerate(lines) for w in (*line, *found.get(i, [])) if id(w) not in junk]
    )


def _same_box(a: OcrWord, b: OcrWord) -> bool:
    """True when two word boxes mostly cover each other (share of the larger box)."""
    return _shared_area(a, b) > _SAME_WORD * max(a.width * a.height, b.width * b.height)


def _skipped_line_boxes(
    all_lines: list[list[OcrWord]], image: np.ndarray
) -> list[tuple[int, int, Box]]:
    """Bands halfway between two lines of a paragraph read two pitches apart, inked.

    Each with the indexes of the lines above and below it in `all_lines`.
    """
    index = [n for n, line in enumerate(all_lines) if len(line) >= _PARAGRAPH_WORDS]
    lines = [all_lines[n] for n in index]
    if len(lines) < 3:
        return []  # no two pairs of lines to tell a pitch from
    # Where a line is, from its words of a line's height: the boxes of some words over a
    # skipped line may reach down over it, or of some under it up.
    h = float(np.median([w.height for line in lines for w in line]))
    plain = [[w for w in line if w.height <= _TALLER * h] or line for line in lines]
    middle = [float(np.median([w.top + w.height / 2 for w in ws])) for ws in plain]
    pairs = [
        (i, middle[i + 1] - middle[i])
        for i in range(len(lines) - 1)
        if lines[i][0].line[0] == lines[i + 1][0].line[0] and middle[i + 1] > middle[i]
    ]
    if len(pairs) < 2:
        return []
    pitch = float(np.median([gap for _i, gap in pairs]))
    threshold = ink_threshold(image)
    boxes: list[tuple[int, int, Box]] = []
    for i, gap in pairs:
        if not _SKIPPED_PITCH[0] * pitch <= gap <= _SKIPPED_PITCH[1] * pitch:
            continue
        mid = (middle[i] + middle[i + 1]) / 2
        x0 = min(w.left for w in (*lines[i], *lines[i + 1]))
        x1 = max(w.left + w.width for w in (*lines[i], *lines[i + 1]))
        core = image[max(0, int(mid - h / 4)) : int(mid + h / 4), x0:x1]
        if not core.size or np.count_nonzero(core < threshold) < _SKIPPED_INK * core.size:
            continue  # the space between two paragraphs
        y0, y1 = int(mid - _BAND_ABOVE * h), int(mid + _BAND_BELOW * h)
        box = (max(0, x0 - int(h / 2)), max(0, y0), min(image.shape[1], x1), y1)
        boxes.append((index[i], index[i + 1], box))
    return boxes


def _junk_by_ring(word: OcrWord, rings: list[Ring]) -> bool:
    """A word read poorly where a seal's ring runs: the ring and letters read as one."""
    return word.confidence < _WORD_CONF and any(touches(_box(word), ring, 0.0) for ring in rings)


def _box(word: OcrWord) -> Box:
    return word.left, word.top, word.left + word.width, word.top + word.height


# A page number: administrative papers number their pages from the second, centred in
# the top margin (Decree 30/2020/NĐ-CP, Appendix I). Tesseract's layout analysis takes a
# lone number for noise and leaves it out (psm 6 reads it at 0.97).
_FOLIO_BAND = 0.12  # the number lies this share of the page's height from its top ...
_FOLIO_CENTRE = 0.08  # ... its middle this share of the page's width from the middle
_FOLIO_WIDE = 4  # at most this many times as wide as tall (three digits and dashes)
_FOLIO = re.compile(r"-?\d{1,3}-?")
_FOLIO_CONF = 0.9


def page_number(
    words: list[OcrWord],
    ink: np.ndarray,
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    read: ReadRegion,
) -> OcrWord | None:
    """The page number centred in the top margin that no word read covers, or None.

    `ink` is the page's print at half resolution (`page_ink`), `image` the page the word
    boxes refer to. Ink of a line's height, no wider than a few digits, is read alone and
    taken only as one number of up to three digits read at 0.9 or more. On the twelve
    eval sets, 9 files gained their `2`, none read worse (docs/QUALITY.md, "The whole of
    a colour seal, and page numbers").
    """
    band = _uncovered(ink[: int(_FOLIO_BAND * ink.shape[0])].copy(), words)
    lo, hi = (round(dpi * share / 2) for share in _LINE_HEIGHT_IN)
    join = max(2, round(dpi * _JOIN_IN / 2))
    joined = cv2.dilate(band, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 1)))
    _n, _labels, stats, _ = components(joined)
    middle = ink.shape[1] / 2
    for x, y, bw, bh, _a in stats[1:].tolist():
        if not (lo <= bh <= hi and bw <= _FOLIO_WIDE * bh):
            continue
        if abs(x + bw / 2 - middle) > _FOLIO_CENTRE * ink.shape[1]:
            continue
        pad = bh // 2
        x0, y0 = max(0, 2 * (x - pad)), max(0, 2 * (y - pad))
        x1, y1 = min(image.shape[1], 2 * (x + bw + pad)), min(image.shape[0], 2 * (y + bh + pad))
        try:
            found = read(image[y0:y1, x0:x1], dpi, engine, _LINE_PSM).words
        except (EngineTimeout, EngineFailure) as e:
            log.info("reading a page number failed: %s", e)
            continue
        if (
            len(found) == 1
            and _FOLIO.fullmatch(found[0].text)
            and found[0].confidence >= _FOLIO_CONF
        ):
            return moved(found, x0 - MARGIN_PX, y0 - MARGIN_PX, (0, 0, 0))[0]
    return None


def _covers(junk: OcrWord, found: list[list[OcrWord]]) -> bool:
    return any(word_overlap(w, junk) > _SAME_WORD for line in found for w in line)


def page_ink(gray: np.ndarray) -> np.ndarray:
    """A page's print at half resolution (~150 dpi), where lost lines are looked for.

    Lines stand out as well as at full resolution, at a quarter of the work; found once
    for the page, not for each region.
    """
    return _dark_ink(cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))


def region_ink(ink: np.ndarray, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """The page's print (`page_ink`) over one region, with the region's white margin."""
    m = MARGIN_PX // 2
    crop = ink[top // 2 : bottom // 2, left // 2 : right // 2]
    return cv2.copyMakeBorder(crop, m, m, m, m, cv2.BORDER_CONSTANT, value=0)


def lost_line_boxes(
    image: np.ndarray, words: list[OcrWord], dpi: int, ink: np.ndarray | None = None
) -> list[Box]:
    """Boxes of line-sized ink no word box covers, top to bottom (`ink`: see recover_lines)."""
    ink = _uncovered(page_ink(image) if ink is None else ink, words)
    lo, hi = (round(dpi * share / 2) for share in _LINE_HEIGHT_IN)
    if cv2.countNonZero(ink) < _MIN_ASPECT * lo * lo * _MIN_FILL:
        return []  # not the ink of one short line left: the reading took in every line
    letters = _letters_only(ink, lo, hi)
    if not cv2.countNonZero(letters):
        return []
    join = max(2, round(dpi * _JOIN_IN / 2))
    joined = cv2.dilate(letters, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 1)))
    _n, _labels, stats, _ = components(joined)
    # Plain ints: the word boxes built on these go into the record's JSON.
    found = [
        (int(x), int(y), int(x + bw), int(y + bh))
        for x, y, bw, bh, _a in stats[1:]
        if bh <= _TALL * hi
    ]
    lines = _same_lines([band for box in found for band in _rows_apart(letters, box, lo)], join)
    pad = max(1, lo // 3)
    h_img, w_img = image.shape
    # The band over a line's letters takes in its tone marks, which stand apart from them.
    boxes = [
        (max(0, 2 * (x0 - pad)), max(0, 2 * (y0 - pad - int(_MARKS_ZONE * (y1 - y0)))),
         min(w_img, 2 * (x1 + pad)), min(h_img, 2 * (y1 + pad)))
        for x0, y0, x1, y1 in lines
        if lo <= y1 - y0 <= hi and x1 - x0 >= _MIN_ASPECT * (y1 - y0)
    ]  # fmt: skip
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _uncovered(ink: np.ndarray, words: list[OcrWord]) -> np.ndarray:
    """Half-resolution print (drawn on) with the ink of the words read, marks too, erased."""
    for w in words:
        r = int(w.height * _WORD_REACH) + 2
        x0, y0 = (w.left - r) // 2, (w.top - r) // 2
        x1, y1 = (w.left + w.width + r) // 2, (w.top + w.height + r) // 2
        cv2.rectangle(ink, (x0, y0), (x1, y1), 0, -1)
    return ink


def _rows_apart(letters: np.ndarray, box: Box, lo: int) -> list[Box]:
    """A joined box cut into lines where its rows run nearly empty.

    Seal lettering just over a name joins the two into one box too tall for a line. (A thin
    band of tone marks alone is no line; the box of the line under it takes it in.)
    """
    x0, y0, x1, y1 = box
    if y1 - y0 < 2 * lo:
        return [box]  # no room for two lines
    rows = np.count_nonzero(letters[y0:y1, x0:x1], axis=1)
    full = [*(rows > _GAP_SHARE * rows.max()), False]
    bands: list[tuple[int, int]] = []
    start = None
    for y, on in enumerate(full):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append((start, y))
            start = None
    return [(x0, y0 + top, x1, y0 + bottom) for top, bottom in bands]


def _letters_only(ink: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The ink of letter size, to be joined into lines.

    Specks go, and what is taller than a line (seal rings, signatures, photos) or far wider
    (a rule).
    """
    _n, labels, stats, _ = components(ink)
    area = stats[:, cv2.CC_STAT_AREA]
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    keep = (area >= max(3, int(_SPECK_SHARE * lo * lo))) & (height <= hi) & (width <= 2 * hi)
    keep[0] = False
    return component_mask(labels, keep)


def _same_lines(boxes: list[Box], gap: int) -> list[Box]:
    """Boxes of one line merged: mostly the same rows, at most `gap` apart side by side.

    Letters a seal ring runs through are left out, and split the line they are on.
    """
    merged: list[Box] = []
    for box in sorted(boxes):
        for i, m in enumerate(merged):
            rows = min(box[3], m[3]) - max(box[1], m[1])
            if rows >= 0.5 * min(box[3] - box[1], m[3] - m[1]) and box[0] - m[2] <= gap:
                merged[i] = (m[0], min(m[1], box[1]), max(m[2], box[2]), max(m[3], box[3]))
                break
        else:
            merged.append(box)
    return merged


def _dark_ink(image: np.ndarray) -> np.ndarray:
    """Print (255) on paper (0): darker than `ink_threshold`."""
    threshold = ink_threshold(image)
    if threshold <= 0:
        return np.zeros_like(image)
    _, ink = cv2.threshold(image, threshold, 255, cv2.THRESH_BINARY_INV)
    return ink


def ink_threshold(image: np.ndarray) -> float:
    """The gray level print is darker than: halfway between Otsu's threshold and the ink.

    A gray seal over a signature block is lighter than print, and Otsu alone joins its
    ring to the letters it touches. 0 when the image holds no ink.
    """
    t, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    counts = np.cumsum(cv2.calcHist([image], [0], None, [256], [0, 256]).ravel()[: int(t)])
    if not counts.size or counts[-1] == 0:
        return 0.0
    darkest = int(np.searchsorted(counts, 0.1 * counts[-1]))  # 10th percentile of the ink
    return (darkest + t) / 2


def _kept_words(line: OcrOutput) -> list[OcrWord]:
    """The words of a line read alone worth keeping; none when it read as junk.

    A confident line keeps its words but the ones read poorly (a letter cut by a seal ring);
    a line read poorly keeps only its sure words, when it has two or more, unless it reads
    as a signer's position (`signer_position`).
    """
    chars = sum(alnum_count(w.text) for w in line.words)
    if line.confidence >= _KEEP_CONF and chars >= _KEEP_CHARS:
        return [w for w in line.words if w.confidence >= _WORD_CONF]
    sure = [w for w in line.words if w.confidence >= _SURE_CONF and alnum_count(w.text) >= 2]
    return sure if len(sure) >= _SURE_WORDS else signer_position(line.words)


# The signer's position heads the name in a signature block (DOMAIN.md: TM., KT., Q., TL. +
# position + name), right where the seal is stamped: its ring cuts a letter or two and the
# line reads poorly (`CHL' TỊCH`, `GIẢ ĐỐC`, `CHỦ` sure and `TỊCH` at 0.02), though its
# letters all but spell it. The positions of Decree 30's signature blocks, as printed.
# Signing for another (`KT.`, `TM.` …): a speck one letter from one before a position is none.
_PREFIXES = ("KT.", "TM.", "Q.", "TL.", "TUQ.")
_POSITIONS = tuple(
    (*prefix, *position.split())
    for prefix in ((), *((p,) for p in _PREFIXES))
    for position in (
        "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TRƯỞNG PHÒNG",
        "PHÓ TRƯỞNG PHÒNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
        "CHÁNH VĂN PHÒNG", "TRƯỞNG CÔNG AN", "PHÓ TRƯỞNG CÔNG AN", "BỘ TRƯỞNG", "THỨ TRƯỞNG",
        "TỔNG GIÁM ĐỐC", "HIỆU TRƯỞNG", "CHI CỤC TRƯỞNG", "GIÁM ĐỐC SỞ",
    )
)  # fmt: skip


def _letters(word: str) -> str:
    """A word's letters, marks and case aside: `TỊCH` and `tịch` → `TICH`, `KT.` → `KT`."""
    return re.sub(r"[^A-Z]", "", fold(word).upper())


# Each position with its words' letters, worked out once.
_POSITION_LETTERS = tuple((p, [_letters(word) for word in p]) for p in _POSITIONS)


# Letters the reading may be off by, all words together; one word at least read right.
_POSITION_EDITS = 1


def signer_position(words: list[OcrWord]) -> list[OcrWord]:
    """The words of a line that reads as a signer's position, spelled as the position.

    One letter may be off over the line (a letter the ring took), each word must be there
    and one at least read letter for letter (marks aside), a `KT.` or `TM.` before it
    exactly (`S PHÓ CHỦ TỊCH` is no `Q. PHÓ CHỦ TỊCH`); the case of each word as read
    (`Phó Chủ tịch` on a civil-status extract). Anything else: no words.
    """
    read = [_letters(w.text) for w in words]
    if not all(read):
        return []
    best = []
    for position, letters in _POSITION_LETTERS:
        if (
            len(letters) == len(read)
            and any(a == b for a, b in zip(letters, read, strict=True))
            and (position[0] not in _PREFIXES or letters[0] == read[0])
            and Levenshtein.distance(" ".join(letters), " ".join(read)) <= _POSITION_EDITS
        ):
            best.append(position)
    if len(best) != 1:
        return []
    return [
        replace(w, text=_as_cased(word, w.text)) for w, word in zip(words, best[0], strict=True)
    ]


def _as_cased(word: str, like: str) -> str:
    """`word` (capitals) in the case of `like`: CHỦ, Chủ or chủ."""
    letters = [c for c in like if c.isalpha()]
    if sum(c.isupper() for c in letters) > len(letters) / 2:
        return word
    return word.capitalize() if letters and letters[0].isupper() else word.lower()


def word_overlap(a: OcrWord, b: OcrWord) -> float:
    """Share of the smaller of two word boxes that the other covers."""
    return _shared_area(a, b) / max(1, min(a.width * a.height, b.width * b.height))


def _shared_area(a: OcrWord, b: OcrWord) -> int:
    """Area of two word boxes' overlap; 0 when they do not meet."""
    w = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    h = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return w * h if w > 0 and h > 0 else 0


def _merged(out: OcrOutput, found: list[list[OcrWord]]) -> OcrOutput:
    """Words of the region with each found line put in place.

    Words found beside a line that was read (on its rows, within _BESIDE of its heights)
    join it in left-to-right order (a family name the ring hid before the rest of the name);
    a line on its own goes before the first line below it.
    """
    lines = word_lines(out.words)
    for n, line in enumerate(found, start=1):
        beside = _line_beside(line, lines)
        if beside is not None:
            key = lines[beside][0].line
            lines[beside] = sorted([*lines[beside], *moved(line, 0, 0, key)], key=lambda w: w.left)
            continue
        mid = (min(w.top for w in line) + max(w.top + w.height for w in line)) / 2
        at = next((i for i, ws in enumerate(lines) if min(w.top for w in ws) > mid), len(lines))
        block = lines[at - 1][0].line[0] if at else (lines[0][0].line[0] if lines else 0)
        lines.insert(at, moved(line, 0, 0, (block, -1, -n)))
    return join_words([w for ws in lines for w in ws])


def _line_beside(line: list[OcrWord], lines: list[list[OcrWord]]) -> int | None:
    """Index of the line read whose rows the found line shares and which it comes close to."""
    top = min(w.top for w in line)
    bottom = max(w.top + w.height for w in line)
    left, right = min(w.left for w in line), max(w.left + w.width for w in line)
    for i, other in enumerate(lines):
        o_top = min(w.top for w in other)
        o_bottom = max(w.top + w.height for w in other)
        rows = min(bottom, o_bottom) - max(top, o_top)
        if rows < _SAME_ROWS * min(bottom - top, o_bottom - o_top):
            continue
        gap = max(min(w.left for w in other) - right, left - max(w.left + w.width for w in other))
        if 0 <= gap <= _BESIDE * (bottom - top):  # beside it, not over it
            return i
    return None

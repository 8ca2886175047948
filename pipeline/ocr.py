"""OCR stage: one decoded page in, its text with words and confidence out.

A degraded page is a result, not an exception: a timeout or engine crash gives a page with
source "failed" and a warning, and the document flows on to review.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from ocr_models.cardwords import on_id_card
from ocr_models.engines import (
    EngineFailure,
    EngineTimeout,
    OcrEngine,
    OcrOutput,
    OcrWord,
    join_words,
)
from ocr_models.postcorrect import default_corrector, postcorrect
from ocr_models.vietnamese import canonicalize, fold
from pipeline.decode import PageInput, load_page, sane_dpi
from pipeline.dewarp import straighten_lines
from pipeline.gluedwords import split_glued
from pipeline.layout import text_regions
from pipeline.linestarts import recover_line_starts
from pipeline.lostlines import (
    page_ink,
    page_number,
    recover_lines,
    recover_skipped_lines,
    region_ink,
)
from pipeline.marklines import MARGIN_PX, capitals_in_lower_case, padded, put_marks_back
from pipeline.models import PageText, Word
from pipeline.negative import is_negative
from pipeline.numberwords import reread_numbers
from pipeline.preprocess import (
    clear_border,
    densest_band,
    even_illumination,
    find_rules,
    flatten_page,
    is_blank,
    line_direction_score,
    marks_above_ratio,
    normalize_resolution,
    remove_rules,
    rotate_upright,
    to_gray,
    upright_at_resolution,
)
from pipeline.qr import decode_qr, worth_decoding
from pipeline.record_files import keep_page_image
from pipeline.sealines import reread_near_seals
from pipeline.seals import drop_ink
from pipeline.specks import despeckle, remove_dot_leaders
from pipeline.tablecells import reread_cells
from pipeline.wordcheck import (
    dots_read_as_hooks,
    drop_specks,
    drop_unseen_stops,
    readable_weight,
    recount_numerals,
    speck_hyphens,
)

log = logging.getLogger(__name__)

# Fully automatic segmentation inside each region: measured better than psm 6 (which
# loses lines on photocopies and photos) once columns are cut apart by the layout step.
_BLOCK_PSM = 3
_TABLE_PSM = 6
# A ruled table read below this confidence (speckled gray archive scans: spaces lost,
# specks read as letters) is read again as a column of lines (psm 4) and the more
# confident reading kept. On 224 forms (eight seeds) word recall 0.9679 → 0.9686, gray
# TIFFs +0.5 point; a fallback only, because psm 4 everywhere was no better overall.
_TABLE_RETRY_CONF = 0.80
_TABLE_RETRY_PSM = 4
_EMPTY_RETRY_WORDS = 2
_EMPTY_RETRY_CONF = 0.70
_MIN_REGION_PX = 24
# Row/column ink alternation below this: text lines run vertically, ask OSD.
_SIDEWAYS_SCORE = 0.8
# Below this mean word confidence a page may be sideways or upside down: ask OSD.
_ORIENTATION_RETRY_CONF = 0.70
# Below this, and OSD unsure, the page is read upside down too and the better kept.
_UNSURE_UPSIDE_DOWN_CONF = 0.55
# Marks above/below the text lines under this: the page may be upside down, read a strip
# of it both ways first (5 of 5 upside-down pages and 3 of 95 upright ones were under it).
_UPRIGHT_MARKS = 1.0
_PROBE_SHARE = 1 / 16
# A page is turned a quarter only when its strip reads this many times more real words so
# than either way up (plus one word).
_SIDEWAYS_GAIN = 2.0
_PROBE_MARGIN = 0.15


def ocr_page(
    page: PageInput, engine: OcrEngine, *, short: str = "-", keep: Path | None = None
) -> PageText:
    """Text of one page: its PDF text layer when good, else OCR of its image.

    A lazy page is decoded here (InputError when it is damaged). With `keep`, the corrected
    page image (the one the word boxes refer to) is saved there for the searchable PDF, so
    it need not travel back from a worker process.
    """
    page = load_page(page)
    if page.text_layer is not None:
        text = canonicalize(page.text_layer)
        return PageText(page.number, text, 1.0, "text-layer")
    assert page.image is not None
    outline = to_gray(page.image)  # where a photo's paper edge is found (`prepare`)
    gray = drop_ink(page.image, page.dpi, outline)
    if is_negative(gray):
        log.info("%s: page %d is a negative: read inverted", short, page.number)
        gray, outline = cv2.bitwise_not(gray), cv2.bitwise_not(outline)
    if is_blank(gray):
        log.info("%s: page %d is blank", short, page.number)
        _keep(keep, page.number, gray, page.dpi)
        return PageText(page.number, "", 1.0, "blank", width=gray.shape[1], height=gray.shape[0])
    try:
        prepared, dpi = prepare(gray, page.dpi, engine, outline=outline)
        out, gray = _recognize_upright(prepared, dpi, engine, short, page.number)
    except (EngineTimeout, EngineFailure) as e:
        log.warning("%s: page %d OCR failed: %s", short, page.number, e)
        _keep(keep, page.number, gray, page.dpi)
        return PageText(
            page.number, "", 0.0, "failed", width=gray.shape[1], height=gray.shape[0],
            warnings=[f"page {page.number}: {e}"],
        )  # fmt: skip
    _keep(keep, page.number, gray, dpi)
    text = postcorrect(out.text)
    card = on_id_card(text)  # a word box gets its page's English card words back too
    words = [
        Word(
            postcorrect(w.text, context=False, card=card),
            w.left, w.top, w.width, w.height, w.confidence,
        )
        for w in out.words
    ]  # fmt: skip
    search_qr = worth_decoding(fold(text).lower(), len(words), out.confidence)
    return PageText(
        page.number, text, out.confidence, "ocr", words,
        width=gray.shape[1], height=gray.shape[0],
        qr_codes=decode_qr(page.image) if search_qr else [],
    )  # fmt: skip


def _keep(folder: Path | None, number: int, gray: np.ndarray, dpi: int) -> None:
    if folder is not None:
        keep_page_image(folder, number, gray, dpi)


def prepare(
    gray: np.ndarray, dpi: int, engine: OcrEngine, outline: np.ndarray | None = None
) -> tuple[np.ndarray, int]:
    """The page made ready to read: flat, ~300 dpi, upright, straight, clean.

    A photo is flattened, a sideways page turned, the skew taken out; then light is
    evened, marks at the edges and specks go, curled lines are levelled and dot leaders
    removed. `outline` is the page before its ink was dropped, where a photo's paper edge is found.
    """
    flat = flatten_page(gray, outline)
    if flat.shape != gray.shape:  # a photo: its DPI is the paper's (A4) width in pixels
        dpi = sane_dpi(None, flat.shape[1], dpi)
    if line_direction_score(flat) < _SIDEWAYS_SCORE:
        rotate = engine.orientation(flat)
        if rotate is None:
            rotate = _sideways_probe(flat, dpi, engine)
        if rotate in (90, 270):
            flat = rotate_upright(flat, rotate)
    gray, dpi = upright_at_resolution(flat, dpi)
    gray = straighten_lines(despeckle(clear_border(even_illumination(gray)), dpi))
    return remove_dot_leaders(gray, dpi), dpi


def _sideways_probe(gray: np.ndarray, dpi: int, engine: OcrEngine) -> int:
    """0, 90 or 270: the turn under which a strip of the page reads clearly best.

    For a page whose lines seem to run down it when OSD cannot tell (a card copy laid
    sideways on an A4 sheet: little text, much speckle). The strip is read as one block of
    level lines (psm 6; psm 3's own layout finds vertical lines and reads them turned) and
    each reading is weighed by its real words (`readable_weight`): a card's machine-readable
    zone read across its lines comes out as a few confident capitals and digits. A page
    that reads best level, either way up, is left to `_upside_down`.

    The strip is read at ~300 dpi, as the page will be: this runs before the page is
    resampled, and a card's 6-point print on a 150 dpi scan (x-height ~4 px) reads as
    junk every way round, so a card copy laid sideways stayed sideways and lost all its text.
    """
    clean = clear_border(even_illumination(gray))  # a copy's dark edge is no text band
    weights = {}
    for rotate in (0, 90, 180, 270):
        band, band_dpi = normalize_resolution(
            densest_band(rotate_upright(clean, rotate), _PROBE_SHARE), dpi
        )
        words = engine.recognize(padded(band), dpi=band_dpi, psm=6).words
        weights[rotate] = readable_weight(words)
    best = max((90, 270), key=lambda r: weights[r])
    level = max(weights[0], weights[180])  # upright or upside down: not sideways
    return best if weights[best] > _SIDEWAYS_GAIN * level + 1 else 0


def _recognize_upright(
    gray: np.ndarray, dpi: int, engine: OcrEngine, short: str, number: int
) -> tuple[OcrOutput, np.ndarray]:
    """OCR; when confidence is low, try the orientation OSD suggests and keep the better.

    Returns the output with the image its word boxes refer to.
    """
    if _upside_down(gray, dpi, engine):
        log.info("%s: page %d is upside down", short, number)
        gray = rotate_upright(gray, 180)
    out = recognize_blocks(gray, dpi, engine)
    if out.confidence >= _ORIENTATION_RETRY_CONF and len(out.words) > 20:
        return out, gray
    rotate = engine.orientation(gray)
    if rotate is None and out.confidence < _UNSURE_UPSIDE_DOWN_CONF:
        rotate = 180  # OSD cannot tell on fax-like pages; the confidences will
    if not rotate:
        return out, gray
    upright = rotate_upright(gray, rotate)
    turned = recognize_blocks(upright, dpi, engine)
    readable, readable_turned = readable_weight(out.words), readable_weight(turned.words)
    if readable_turned < readable or (
        readable_turned == readable and turned.confidence <= out.confidence
    ):
        return out, gray
    log.info("%s: page %d rotated %d° for OCR", short, number, rotate)
    return turned, upright


def _upside_down(gray: np.ndarray, dpi: int, engine: OcrEngine) -> bool:
    """True when a strip of the page reads clearly better turned over.

    Only asked when the tone marks sit below the lines, or too few lines stand apart to
    tell; reading the whole page the wrong way round first, then asking OSD, cost ~2x the
    OCR of the page.
    """
    marks = marks_above_ratio(gray)
    if marks is not None and marks >= _UPRIGHT_MARKS:
        return False
    strip = padded(densest_band(gray, _PROBE_SHARE))
    as_is = engine.recognize(strip, dpi=dpi, psm=_BLOCK_PSM).confidence
    if as_is >= _ORIENTATION_RETRY_CONF:
        return False
    turned = engine.recognize(rotate_upright(strip, 180), dpi=dpi, psm=_BLOCK_PSM).confidence
    return turned > as_is + _PROBE_MARGIN


def recognize_blocks(
    gray: np.ndarray, dpi: int, engine: OcrEngine, psm: int = _BLOCK_PSM
) -> OcrOutput:
    """OCR each layout region as one block; words in page coordinates, regions in order."""
    texts: list[str] = []
    words: list[OcrWord] = []
    weighted = 0.0
    # Layout sees the table rules (a ruled table stays one block, read row by row);
    # Tesseract does not (a border read as "|" or "_" is noise).
    regions = text_regions(gray)
    rules = find_rules(gray, dpi)
    clean = remove_rules(gray, rules)
    dark = page_ink(clean)  # where lines Tesseract left out are looked for
    for n, r in enumerate(regions, start=1):
        box = np.s_[r.top : r.bottom, r.left : r.right]
        # Inside a ruled table, read straight across rows (psm 6), not column by column.
        ruled = cv2.countNonZero(rules[1][box]) > 0
        crop = clean[box]
        if min(crop.shape) < _MIN_REGION_PX:
            continue  # a rule or a speck row: Tesseract only complains about it
        out = _read_with_fallback(crop, dpi, engine, _TABLE_PSM if ruled else psm)
        if ruled:
            out = reread_cells(out, crop, rules[0][box] | rules[1][box], dpi, engine, read_region)
        ink = region_ink(dark, r.top, r.bottom, r.left, r.right)
        image = padded(crop)
        out = recover_line_starts(out, image, dpi, engine, read_region)
        out = recover_skipped_lines(out, image, dpi, engine, read_region)
        out = recover_lines(out, image, dpi, engine, read_region, ink)
        out = reread_numbers(out, image, dpi, engine, read_region)
        if out.text.strip():
            texts.append(out.text)
        weighted += out.confidence * len(out.words)
        dx, dy = r.left - MARGIN_PX, r.top - MARGIN_PX
        words.extend(
            OcrWord(w.text, w.left + dx, w.top + dy, w.width, w.height, w.confidence,
                    (n * 1000 + w.line[0], w.line[1], w.line[2]))
            for w in out.words
        )  # fmt: skip
    number = page_number(words, dark, clean, dpi, engine, read_region)
    if number is not None:
        texts.insert(0, number.text)
        words.insert(0, number)
        weighted += number.confidence
    if words:
        again = reread_near_seals(words, clean, dpi, engine, read_region)
        if again is not words:
            return join_words(again)
    conf = weighted / len(words) if words else 0.0
    return OcrOutput("\n\n".join(texts), words, conf)


def _read_with_fallback(crop: np.ndarray, dpi: int, engine: OcrEngine, psm: int) -> OcrOutput:
    """A region's reading, with a second try in another mode when the first went wrong.

    When the engine fails on the second try, the first reading stands.
    """
    out = read_region(crop, dpi, engine, psm)
    try:
        if psm == _TABLE_PSM and out.confidence < _TABLE_RETRY_CONF:
            again = read_region(crop, dpi, engine, _TABLE_RETRY_PSM)
            return again if again.confidence > out.confidence else out
        if psm == _BLOCK_PSM and not out.words:
            # Tesseract's own layout analysis can find no text at all in a clear block
            # (taken for a picture: two form lines of a phone photo, seed 7070). Read as
            # one block, it is kept when it reads as text: 2+ words at 0.70 or more
            # (signatures, seals and photos read as junk below that). 3 files of 224
            # gained, none lost.
            again = read_region(crop, dpi, engine, _TABLE_PSM)
            if len(again.words) >= _EMPTY_RETRY_WORDS and again.confidence >= _EMPTY_RETRY_CONF:
                return again
    except (EngineTimeout, EngineFailure) as e:
        log.info("reading a region again (psm %d) failed: %s", psm, e)
    return out


def read_region(crop: np.ndarray, dpi: int, engine: OcrEngine, psm: int) -> OcrOutput:
    """OCR one layout region: specks dropped, marks put back, run-together words split.

    Word boxes refer to the crop padded by `MARGIN_PX`.
    """
    image = padded(crop)
    out = engine.recognize(image, dpi=dpi, psm=psm)
    words = recount_numerals(drop_unseen_stops(drop_specks(out.words), image), image)
    words = dots_read_as_hooks(put_marks_back(words, image, dpi, engine), image)
    words = capitals_in_lower_case(words, image, dpi, engine)
    corrector = default_corrector()
    if corrector.syllables:  # without the syllable list a glued reading cannot be told
        words = speck_hyphens(words, image, corrector.is_valid)
        words = split_glued(words, image, dpi, engine, corrector.is_valid)
    return out if words == out.words else join_words(words)

"""Cells of a ruled table read again one by one where the table's reading is doubtful.

A ruled table is read straight across its rows (psm 6, rules painted out first). On
bilevel archive TIFFs and faxes, specks left where the rules were make Tesseract run a
row's cells together ("PhạmThị Phương, —— Wg ' 20071951"), lose a cell's word spaces
("NguyễnCôngBình") or read a speck as a word. Read alone, the same cell reads "Phạm Thị
Phương" and "20/07/1951". Every cell is closed by rules on four sides, so the rules
themselves show where the cells are. A cell whose words read with confidence is left as
it is; a doubtful one is read again alone and its new reading kept when more confident.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import cv2
import numpy as np

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
from pipeline.lostlines import ReadRegion
from pipeline.marklines import MARGIN_PX
from pipeline.numberwords import real_date
from pipeline.preprocess import component_mask, components, paint_paper

log = logging.getLogger(__name__)

_CELL_PSM = 6
_LINE_PSM = 7
# A cell is left as read when each of its words is this confident ...
_SURE = 0.8
# ... and none reaches past the cell by more than this share of its own width (a word
# run across two cells).
_OVERHANG = 0.25
# Rules are grown by this many px (at 300 dpi) before the cells between them are found:
# a cell's crop keeps clear of a rule's ragged edge.
_RULE_CLEARANCE_300 = 3
# A cell is at least this tall and wide (px at 300 dpi): 2 mm, under any text line.
_MIN_CELL_300 = 24
# A space enclosed by rules over this share of the region is no cell (a box around text).
_MAX_CELL_SHARE = 0.5
# A cell with fewer ink pixels than this (at 300 dpi) holds specks only.
_MIN_INK_300 = 40
_INK_LEVEL = 128
# A reading with a date that is none ("13/99/1997" for the "13/09/1997" a fax's table read
# "13991997") is not taken: the doubtful number is then read again alone.
_DATES = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
# A reading of this many letters or digits or fewer is kept only when this confident.
_GLYPHS = 2
_SURE_GLYPH = 0.9
# A word of up to this many characters standing on a rule was read from the rule.
_WALL_WORD = 2
# Two lines of a reading sharing more than this share of the lower one's height are one
# line cut in pieces.
_LINE_OVERLAP = 0.5
# A blob this long (inches) is a letter or part of one; smaller ones are marks, stops or
# specks: 10 px at 300 dpi, where fax salt is 3-4 px and a dot below a letter 5-6.
_LETTER_MIN_IN = 1 / 30
# A small blob is a letter's mark when it lies this share of the letters' height above or
# below one, a full stop or comma when this share beside one.
_MARK_REACH = 0.7
_STOP_REACH = 0.25


@dataclass(frozen=True, eq=False)
class Cell:
    """A table cell's inside, in the region's coordinates (the crop, not padded).

    Its box, and which pixels of the box are the cell's: two rows whose rule is broken
    make one cell, whose box then takes in the cell beside them.
    """

    left: int
    top: int
    right: int
    bottom: int
    inside: np.ndarray  # bool, the box's shape


def table_cells(rules: np.ndarray, dpi: int) -> list[Cell]:
    """Spaces closed on all four sides by rules in a region's rule mask, top-down."""
    return _cells_within(_walls(rules, dpi), dpi)


def _cells_within(walls: np.ndarray, dpi: int) -> list[Cell]:
    """`table_cells`, from the rules already grown (`_walls`)."""
    h, w = walls.shape
    free = np.where(walls > 0, 0, 255).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
    least = _MIN_CELL_300 * dpi / 300
    cells = []
    for i, (x, y, cw, ch, _area) in enumerate(stats[1:], start=1):
        if x == 0 or y == 0 or x + cw >= w or y + ch >= h:
            continue  # open to the region's edge: outside the table
        if cw < least or ch < least or cw * ch > _MAX_CELL_SHARE * w * h:
            continue
        inside = labels[y : y + ch, x : x + cw] == i
        cells.append(Cell(int(x), int(y), int(x + cw), int(y + ch), inside))
    return sorted(cells, key=lambda c: (c.top, c.left))


def _walls(rules: np.ndarray, dpi: int) -> np.ndarray:
    grow = max(1, round(_RULE_CLEARANCE_300 * dpi / 300))
    return cv2.dilate(rules, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))


def reread_cells(
    out: OcrOutput,
    crop: np.ndarray,
    rules: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    read: ReadRegion,
) -> OcrOutput:
    """A ruled region's reading with its doubtful cells read again alone.

    Boxes in `out` refer to the padded crop; `crop` is the region with its rules painted
    out, `rules` its rule mask.
    """
    if not out.words:
        return out
    walls = _walls(rules, dpi)
    cells = _cells_within(walls, dpi)
    if len(cells) < 2:
        return out
    words = [w for w in out.words if not _on_wall(w, walls)]
    changed = len(words) < len(out.words)
    fresh = max(w.line[2] for w in out.words) + 1  # line numbers for words on no line read
    for cell in cells:
        inside = [w for w in words if _centre_in(w, cell)]
        trust = [_trust(w, cell) for w in inside]
        if inside and min(trust) >= _SURE:
            continue
        image = crop[cell.top : cell.bottom, cell.left : cell.right]
        image = paint_paper(image, np.where(cell.inside, 0, 255).astype(np.uint8))
        if not inside and np.count_nonzero(image < _INK_LEVEL) < _MIN_INK_300 * dpi / 300:
            continue
        new = _read_cell(image, dpi, engine, read)
        old_conf = float(np.mean(trust)) if inside else 0.0
        log.debug(
            "cell %s: %r (%.2f) -> %r (%.2f)",
            cell, " ".join(w.text for w in inside), old_conf, new.text, new.confidence,
        )  # fmt: skip
        if (
            not new.words
            or new.confidence <= old_conf
            or _unsure_glyph(new)
            or any(not real_date(d) for d in _DATES.findall(new.text))
        ):
            continue
        placed = moved(_without_bars(new.words), cell.left, cell.top)
        gone = {id(w) for w in inside}
        words = [w for w in words if id(w) not in gone]
        placed, fresh = _on_lines(placed, words or list(out.words), fresh)
        words.extend(placed)
        changed = True
    return join_words(_reading_order(words)) if changed else out


def _read_cell(image: np.ndarray, dpi: int, engine: OcrEngine, read: ReadRegion) -> OcrOutput:
    """A cell read as a block, or as one line when the block reading fails.

    Specks away from its letters are whitened first: a few letters among fax salt read
    as nothing at all ("Con", "Nữ" in a household book's table read ""). Salt right
    under a word can still make Tesseract find no text; the cell's letters alone, without
    any small mark, are then read as a last resort and kept only when confident.
    """
    cleared, letters = _clear_specks(image, dpi)
    best = OcrOutput("")
    for picture, psm in ((cleared, _CELL_PSM), (cleared, _LINE_PSM), (letters, _LINE_PSM)):
        if best.words and (best.confidence >= _SURE or picture is letters):
            break
        try:
            got = read(picture, dpi, engine, psm)
        except (EngineTimeout, EngineFailure) as e:
            log.info("reading a table cell again (psm %d) failed: %s", psm, e)
            continue
        if (picture is letters and got.confidence < _SURE) or not _stacked(got):
            continue
        if got.words and (not best.words or got.confidence > best.confidence):
            best = got
    return best


def _stacked(out: OcrOutput) -> bool:
    """True when the reading's lines lie one under the other, as a cell's lines do.

    A rule's remnant at a cell's edge can make Tesseract cut one line into several side
    by side ("iây ủy quyền / lấy ủy / 2 |G" for "2 |Giấy ủy quyền" on a fax).
    """
    spans = [(min(w.top for w in line), max(w.top + w.height for w in line))
             for line in word_lines(out.words)]  # fmt: skip
    for (top0, bottom0), (top1, bottom1) in zip(spans, spans[1:], strict=False):
        shared = min(bottom0, bottom1) - max(top0, top1)
        if shared > _LINE_OVERLAP * min(bottom0 - top0, bottom1 - top1):
            return False
    return True


def _clear_specks(image: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """The cell without its specks, and the cell with its letters only.

    Small blobs go unless a letter is right beside them; for the second image, all go.

    A tone mark sits above or below its letter, a full stop or comma right after it; fax
    salt lies anywhere. The page's own despeckling judges specks against the stems of the
    whole page's print and leaves the salt of a bilevel scan, whose grains are as wide.
    """
    _, bw = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = components(bw)
    size = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    letter = size >= dpi * _LETTER_MIN_IN
    letter[0] = False
    if not letter.any():
        return image, image
    height = float(np.median(stats[letter, cv2.CC_STAT_HEIGHT]))
    ry, rx = round(_MARK_REACH * height), round(_STOP_REACH * height)
    near = cv2.dilate(component_mask(labels, letter), np.ones((2 * ry + 1, 2 * rx + 1), np.uint8))
    beside = np.zeros(n, bool)
    beside[np.unique(labels[near > 0])] = True
    small = ~letter
    small[0] = False
    grow = np.ones((3, 3), np.uint8)
    cleared = paint_paper(image, cv2.dilate(component_mask(labels, small & ~beside), grow))
    return cleared, paint_paper(image, cv2.dilate(component_mask(labels, small), grow))


def _unsure_glyph(new: OcrOutput) -> bool:
    """One or two letters or digits read alone without great confidence.

    Alone, a row number's "4" came out "1" (0.81), a "5" "3" (0.59); the row's own reading
    had them right.
    """
    return sum(c.isalnum() for c in new.text) <= _GLYPHS and new.confidence < _SURE_GLYPH


def _without_bars(words: list[OcrWord]) -> list[OcrWord]:
    """The words without the rule beside the cell read at their edges.

    A bar, or an "l" before a capital ("|Lê Văn Cường", "lỦy"): no paper prints either,
    and the name extractor took "|Lê" for debris and lost the family name.
    """
    bare = (replace(w, text=_bare(w.text)) for w in words)
    return [w for w in bare if w.text]


def _bare(text: str) -> str:
    text = text.strip("|")
    return text[1:] if text[:1] == "l" and text[1:2].isupper() else text


def _on_wall(w: OcrWord, walls: np.ndarray) -> bool:
    """A mark or two read from what is left of a rule (the "l"s of "l TT l")."""
    x, y = _centre(w)
    x, y = min(max(0, x), walls.shape[1] - 1), min(max(0, y), walls.shape[0] - 1)
    return len(w.text) <= _WALL_WORD and bool(walls[y, x])


def _centre(w: OcrWord) -> tuple[int, int]:
    """The middle of a word's box in the region (its box refers to the padded region)."""
    return w.left - MARGIN_PX + w.width // 2, w.top - MARGIN_PX + w.height // 2


def _centre_in(w: OcrWord, cell: Cell) -> bool:
    x, y = _centre(w)
    if not (cell.left <= x < cell.right and cell.top <= y < cell.bottom):
        return False
    return bool(cell.inside[y - cell.top, x - cell.left])


def _trust(w: OcrWord, cell: Cell) -> float:
    """The word's confidence, or none for two words run together or one past its cell.

    Tesseract is as sure of "PhạmThị" as of any word.
    """
    left, right = w.left - MARGIN_PX, w.left - MARGIN_PX + w.width
    if _run_together(w.text) or max(cell.left - left, right - cell.right) > _OVERHANG * w.width:
        return 0.0
    return w.confidence


def _run_together(text: str) -> bool:
    """A capital right after a small letter: two words read as one ("PhạmThị")."""
    return any(a.islower() and b.isupper() for a, b in zip(text, text[1:], strict=False))


def _on_lines(new: list[OcrWord], others: list[OcrWord], fresh: int) -> tuple[list[OcrWord], int]:
    """The cell's new lines, each on the line key of the table's line beside it.

    A line with no line of the table at its height gets a key of its own, numbered from
    `fresh` on; the next free number is returned with the words.
    """
    placed: list[OcrWord] = []
    for line in word_lines(new):
        centre = float(np.median([w.top + w.height / 2 for w in line]))
        height = float(np.median([w.height for w in line]))
        near = min(others, key=lambda o: abs(o.top + o.height / 2 - centre))
        if abs(near.top + near.height / 2 - centre) <= height / 2:
            key = near.line
        else:
            key, fresh = (near.line[0], near.line[1], fresh), fresh + 1
        placed.extend(replace(w, line=key) for w in line)
    return placed, fresh


def _reading_order(words: list[OcrWord]) -> list[OcrWord]:
    """Lines top-down by their middle, words in a line left to right."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    middle = {k: float(np.median([w.top + w.height / 2 for w in v])) for k, v in lines.items()}
    ordered = []
    for key in sorted(lines, key=lambda k: middle[k]):
        ordered.extend(sorted(lines[key], key=lambda w: w.left))
    return ordered

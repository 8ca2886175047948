"""Negative scans: light print on a dark ground (microfilm copies, an inverted scan).

Tesseract's layout analysis finds no text on them: four clean forms, inverted, read 0.03 to
0.16 of their words. A negative is told by the shape of its light pixels, not by how dark
it is overall: on a page, the light class is the paper, one piece holding most of it; on a
negative it is the letters, many small pieces. A photo of a page on a dark table has a
large dark piece too, but its paper is still one light piece, so it is no negative.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess import components

# On a negative the largest light piece holds under this share of the light pixels (a
# letter, a rule), and the largest dark piece over _DARK_GROUND of the dark ones.
_LIGHT_PIECE = 0.2
_DARK_GROUND = 0.5
_SIDE = 600  # judged on a copy this many pixels on its long side


def is_negative(gray: np.ndarray) -> bool:
    """True for light print on a dark ground."""
    scale = min(1.0, _SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if int(small.max()) - int(small.min()) < 40:
        return False  # one tone: blank, nothing to tell
    _, light = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return _largest_share(light) < _LIGHT_PIECE and _largest_share(255 - light) > _DARK_GROUND


def _largest_share(mask: np.ndarray) -> float:
    """Share of the mask's pixels in its largest 8-connected piece (0 when empty)."""
    n, _, stats, _ = components(mask)
    if n < 2:
        return 0.0
    areas = stats[1:, cv2.CC_STAT_AREA]
    return float(areas.max()) / float(areas.sum())

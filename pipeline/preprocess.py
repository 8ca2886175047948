"""Page preprocessing with OpenCV: gray, resolution, blank detection, orientation."""

from __future__ import annotations

import cv2
import numpy as np

# Tesseract's LSTM models were trained on ~300 dpi text; x-heights far off that hurt.
TARGET_DPI = 300
_BLANK_INK_RATIO = 0.0015


def to_gray(image: np.ndarray) -> np.ndarray:
    """Gray uint8 image from RGB or gray input."""
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def normalize_resolution(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """Resample to about 300 dpi (upscale low-res scans, downscale huge ones)."""
    if 270 <= dpi <= 400:
        return gray, dpi
    scale = TARGET_DPI / dpi
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    out = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)
    return out, TARGET_DPI


def ink_ratio(gray: np.ndarray) -> float:
    """Fraction of dark pixels after Otsu, ignoring a 3% border (scanner edges)."""
    h, w = gray.shape
    my, mx = max(1, h * 3 // 100), max(1, w * 3 // 100)
    inner = gray[my : h - my, mx : w - mx]
    if inner.size == 0:
        return 0.0
    blur = cv2.GaussianBlur(inner, (3, 3), 0)
    if int(blur.max()) - int(blur.min()) < 40:
        return 0.0
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    opened = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return float(np.count_nonzero(opened)) / opened.size


def is_blank(gray: np.ndarray) -> bool:
    """True for a page with (almost) no ink: blank backs from a duplex feeder."""
    return ink_ratio(gray) < _BLANK_INK_RATIO


def rotate_upright(gray: np.ndarray, rotate_cw: int) -> np.ndarray:
    """Rotate clockwise by 0/90/180/270 degrees."""
    codes = {
        90: cv2.ROTATE_90_CLOCKWISE,
        180: cv2.ROTATE_180,
        270: cv2.ROTATE_90_COUNTERCLOCKWISE,
    }
    code = codes.get(rotate_cw % 360)
    return gray if code is None else cv2.rotate(gray, code)

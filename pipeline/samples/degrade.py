"""Make clean renders look like real captures: scanner, fax, photocopier, phone camera."""

from __future__ import annotations

import cv2
import numpy as np

Rng = np.random.Generator


def resample(img: np.ndarray, src_dpi: float, dst_dpi: float) -> np.ndarray:
    """Area-average to another resolution, as a scanner's optics do."""
    if src_dpi == dst_dpi:
        return img
    k = dst_dpi / src_dpi
    size = (max(1, round(img.shape[1] * k)), max(1, round(img.shape[0] * k)))
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC
    return cv2.resize(img, size, interpolation=interp)


def tint(img: np.ndarray, rng: Rng) -> np.ndarray:
    """Off-white paper: multiply by a warm paper colour."""
    paper = np.array([rng.uniform(0.96, 1.0), rng.uniform(0.95, 0.99), rng.uniform(0.9, 0.96)])
    if img.ndim == 2:
        paper = paper.mean(keepdims=True)[0]
    return (img.astype(np.float32) * paper).clip(0, 255).astype(np.uint8)


def skew(img: np.ndarray, degrees: float, fill: int | tuple[int, ...] = 255) -> np.ndarray:
    """Rotate about the centre keeping the size, filling the corners like a scanner lid."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    if img.ndim == 3 and isinstance(fill, int):
        fill = (fill, fill, fill)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian defocus."""
    return cv2.GaussianBlur(img, (0, 0), sigma) if sigma > 0 else img


def noise(img: np.ndarray, sigma: float, rng: Rng) -> np.ndarray:
    """Additive sensor noise."""
    n = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(sigma)
    return (img.astype(np.float32) + n).clip(0, 255).astype(np.uint8)


def gray(img: np.ndarray) -> np.ndarray:
    """RGB to luminance."""
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img


def _paper_fill(img: np.ndarray) -> tuple[int, ...]:
    corner = img[:20, :20].reshape(-1, img.shape[2] if img.ndim == 3 else 1).mean(axis=0)
    return tuple(int(v) for v in corner)


def scan200(img: np.ndarray, rng: Rng, dpi: int = 200) -> np.ndarray:
    """A flatbed or feeder scan: 200 dpi colour, off-white, a little skewed, soft and noisy."""
    out = tint(resample(img, 300, dpi), rng)
    out = skew(out, float(rng.uniform(-1.5, 1.5)), _paper_fill(out))
    out = blur(out, float(rng.uniform(0.35, 0.7)))
    return noise(out, float(rng.uniform(1.5, 3.5)), rng)


def fax(img: np.ndarray, rng: Rng) -> np.ndarray:
    """Fine-mode fax: 200 dpi bilevel with speckle and the odd streak; returns 0/255 gray."""
    g = resample(gray(img), 300, 200)
    g = skew(g, float(rng.uniform(-1.0, 1.0)), 255)
    g = blur(g, float(rng.uniform(0.5, 0.8)))
    g = noise(g, 12.0, rng)
    bw = np.where(g < rng.uniform(135, 170), 0, 255).astype(np.uint8)
    h, w = bw.shape
    specks = rng.random((h, w)) < rng.uniform(2e-4, 8e-4)
    specks = cv2.dilate(specks.astype(np.uint8), np.ones((2, 2), np.uint8)) > 0
    bw[specks] = 0
    for _ in range(int(rng.integers(0, 3))):  # a dropped scan line turned into a dashed streak
        y = int(rng.integers(0, h))
        dashes = rng.random(w) < 0.3
        bw[y, dashes] = 0
    return bw


def photocopy(img: np.ndarray, rng: Rng) -> np.ndarray:
    """A grey photocopy: darker, grey background, toner specks, sometimes a black lid edge."""
    g = gray(img).astype(np.float32) / 255.0
    g = g ** rng.uniform(1.3, 1.8) * rng.uniform(0.86, 0.94)
    h, w = g.shape
    mottle = cv2.resize(
        rng.normal(0, 0.012, (h // 180 + 2, w // 180 + 2)).astype(np.float32),
        (w, h),
        interpolation=cv2.INTER_CUBIC,
    )
    g = (g + mottle).clip(0, 1) * 255
    out = g.astype(np.uint8)
    specks = (rng.random((h, w)) < rng.uniform(3e-5, 1.5e-4)).astype(np.uint8)
    grown = cv2.dilate(specks, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (4, 4))) > 0
    out[grown] = rng.integers(20, 90)
    if rng.random() < 0.6:
        band = int(rng.integers(25, 110))
        ramp = np.linspace(0.1, 1.0, band, dtype=np.float32)
        side = int(rng.integers(0, 4))
        view = np.rot90(out, side)  # a view: writing to it edits `out`
        view[:, :band] = (view[:, :band].astype(np.float32) * ramp[None, :]).astype(np.uint8)
    out = skew(
        out, float(rng.uniform(-1.0, 1.0)), int(np.median(out[:50, w // 2 - 50 : w // 2 + 50]))
    )
    return blur(out, float(rng.uniform(0.5, 0.9)))


def lowres(img: np.ndarray, rng: Rng) -> np.ndarray:
    """A cheap 150 dpi capture, blurred; greyscale half the time."""
    out = tint(resample(img, 300, 150), rng)
    out = blur(out, float(rng.uniform(0.6, 1.0)))
    if rng.random() < 0.5:
        out = gray(out)
    return noise(out, float(rng.uniform(2.0, 4.0)), rng)


BACKGROUNDS = ((92, 66, 46), (58, 58, 62), (120, 108, 96), (34, 44, 62), (150, 140, 125))


def phone(
    img: np.ndarray,
    src_dpi: float,
    target_dpi: float,
    rng: Rng,
    margin: tuple[float, float] = (1.15, 1.35),
    alpha: np.ndarray | None = None,
) -> np.ndarray:
    """A handheld photo: perspective, a table around the page, uneven light, soft focus.

    `alpha` (0–1, same size as `img`) cuts the object out, e.g. a card's rounded corners.
    """
    page = resample(img, src_dpi, target_dpi)
    ph, pw = page.shape[:2]
    cw, ch = (
        int(pw * rng.uniform(*margin)),
        int(ph * rng.uniform(margin[0] - 0.05, margin[1] - 0.1)),
    )
    base = np.array(BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))], dtype=np.float32)
    texture = cv2.resize(
        rng.normal(1.0, 0.08, (ch // 40 + 1, cw // 40 + 1)).astype(np.float32),
        (cw, ch),
        interpolation=cv2.INTER_CUBIC,
    )
    canvas = base[None, None, :] * texture[..., None]
    ox, oy = (cw - pw) / 2, (ch - ph) / 2
    jitter = np.array([pw, ph], dtype=np.float32) * 0.05
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    dst = (
        src
        + np.array([ox, oy], dtype=np.float32)
        + rng.uniform(-1, 1, (4, 2)).astype(np.float32) * jitter
    )
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(page, m, (cw, ch), flags=cv2.INTER_LINEAR).astype(np.float32)
    cut = np.ones((ph, pw), np.float32) if alpha is None else resample(alpha, src_dpi, target_dpi)
    mask = cv2.warpPerspective(cut.astype(np.float32), m, (cw, ch), flags=cv2.INTER_LINEAR)
    shifted = np.roll(mask, (int(ch * 0.01), int(cw * 0.01)), (0, 1))
    canvas *= (1 - 0.45 * _smooth(shifted, cw * 0.01))[..., None]
    out = canvas * (1 - mask[..., None]) + warped * mask[..., None]
    out *= _illumination(rng, ch, cw)[..., None]
    out *= np.array([1.0, rng.uniform(0.95, 0.99), rng.uniform(0.86, 0.95)], dtype=np.float32)
    out = blur(out.clip(0, 255).astype(np.uint8), float(rng.uniform(0.5, 1.0)))
    return noise(out, float(rng.uniform(2.5, 5.0)), rng)


def _smooth(field: np.ndarray, sigma: float, factor: int = 8) -> np.ndarray:
    """A wide Gaussian blur done at 1/factor size (big kernels are slow at full size)."""
    h, w = field.shape
    small = cv2.resize(field, (w // factor + 1, h // factor + 1), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / factor))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _illumination(rng: Rng, h: int, w: int) -> np.ndarray:
    """Light falling off across the page, a vignette and sometimes a hand's soft shadow."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * xs / w + np.sin(angle) * ys / h
    ramp = (ramp - ramp.min()) / max(1e-6, float(np.ptp(ramp)))
    light = 1.0 - ramp * rng.uniform(0.2, 0.4)
    r = np.hypot(xs / w - 0.5, ys / h - 0.5)
    light *= 1.0 - 0.25 * r**2
    if rng.random() < 0.5:
        blob = np.zeros((h, w), np.float32)
        center = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        axes = (int(w * rng.uniform(0.2, 0.4)), int(h * rng.uniform(0.15, 0.3)))
        cv2.ellipse(blob, center, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
        soft = _smooth(blob, w * 0.06)
        light *= 1.0 - rng.uniform(0.15, 0.3) * soft
    return (light * rng.uniform(0.95, 1.08)).astype(np.float32)


def blank_back(shape: tuple[int, ...], rng: Rng, front: np.ndarray | None = None) -> np.ndarray:
    """The empty back of a sheet from a duplex feeder, with faint show-through of the front."""
    page = np.full(shape, 255, np.uint8)
    if front is not None and front.shape == shape:
        mirrored = blur(front[:, ::-1], 2.0).astype(np.float32)
        page = (255 - (255 - mirrored) * rng.uniform(0.04, 0.08)).astype(np.uint8)
    return page


def quarter_turns(img: np.ndarray, turns: int) -> np.ndarray:
    """Rotate by multiples of 90° (pages fed sideways or upside down)."""
    return np.ascontiguousarray(np.rot90(img, turns)) if turns % 4 else img

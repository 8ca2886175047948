"""Rasters that sit on top of the text: red seals, blue signatures, QR codes, emblem, ID photo."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from pipeline.samples.render import BLUE, RED, Color, FontFace


def seal(
    rng: random.Random, face: FontFace, ring_text: str, center_text: str = "", diameter: int = 420
) -> Image.Image:
    """A round red seal: double ring, the body's name around it, a star or a word inside."""
    d = diameter
    img = Image.new("L", (d, d), 0)
    draw = ImageDraw.Draw(img)
    draw.ellipse([4, 4, d - 5, d - 5], outline=255, width=max(6, d // 45))
    inner = d * 0.17
    draw.ellipse([inner, inner, d - inner, d - inner], outline=255, width=max(3, d // 110))
    _arc_text(img, face, ring_text.upper(), d / 2, d / 2, d * 0.415, size=d * 0.085)
    cx = cy = d / 2
    if center_text:
        font = face.font("bold", d * 0.08)
        draw.text((cx, cy + d * 0.13), center_text.upper(), font=font, fill=255, anchor="mm")
    _star(draw, cx, cy - (d * 0.03 if center_text else 0), d * 0.12, 255)
    return _inked(img, RED, rng, strength=rng.uniform(0.9, 1.0))


def _arc_text(
    img: Image.Image, face: FontFace, text: str, cx: float, cy: float, radius: float, size: float
) -> None:
    span = math.radians(295)  # the name runs almost all the way round
    font = face.font("bold", size)
    total = sum(font.getlength(ch) for ch in text) * 1.08
    if total / radius > span:  # too long: shrink the letters rather than overlap them
        size *= span / (total / radius)
        font = face.font("bold", size)
    widths = [font.getlength(ch) for ch in text]
    spacing = size * 0.08
    total = sum(widths) + spacing * (len(text) - 1)
    scale = span / (total / radius)
    theta = -span / 2
    for ch, w in zip(text, widths, strict=True):
        step = (w + spacing) * scale / radius
        mid = theta + step / 2
        if ch.strip():
            tile = Image.new("L", (int(size * 2), int(size * 2)), 0)
            ImageDraw.Draw(tile).text((size, size), ch, font=font, fill=255, anchor="mm")
            tile = tile.rotate(-math.degrees(mid), resample=Image.Resampling.BICUBIC)
            x = cx + radius * math.sin(mid) - size
            y = cy - radius * math.cos(mid) - size
            img.paste(255, (int(x), int(y)), tile)
        theta += step


def _star(
    draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: int | tuple[int, ...]
) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _inked(mask: Image.Image, color: Color, rng: random.Random, strength: float) -> Image.Image:
    """Turn a coverage mask into RGBA ink with uneven pressure and a slightly soft edge."""
    np_rng = np.random.default_rng(rng.randrange(2**32))
    m = np.asarray(mask.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.float32) / 255.0
    h, w = m.shape
    low = cv2.resize(
        np_rng.uniform(0.7, 1.0, (6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    grain = np_rng.uniform(0.85, 1.0, (h, w)).astype(np.float32)
    alpha = (m * low * grain * strength).clip(0, 1)
    out = np.zeros((h, w, 4), dtype=np.uint8)
    out[..., :3] = color
    out[..., 3] = (alpha * 255).astype(np.uint8)
    return Image.fromarray(out, "RGBA")


def signature(
    rng: random.Random, width: int = 520, height: int = 210, color: Color = BLUE
) -> Image.Image:
    """A blue ballpoint scribble: a looped initial, a flowing stroke and an underline flick."""
    scale = 3  # draw large and shrink for smooth strokes
    img = Image.new("L", (width * scale, height * scale), 0)
    draw = ImageDraw.Draw(img)
    pen = rng.uniform(3.0, 5.0) * scale
    # A tall looped initial, then a run of tight waves, then a flick back under it all.
    x, y = width * 0.1, height * 0.75
    top = height * rng.uniform(0.05, 0.2)
    points = _bezier(
        (x, y),
        (x + width * 0.25, top - 40),
        (x - width * 0.05, top),
        (x + width * 0.12, height * 0.6),
    )
    x, y = points[-1]
    for _ in range(rng.randint(5, 9)):
        nx = x + rng.uniform(0.05, 0.11) * width
        ny = height * rng.uniform(0.35, 0.7)
        c1 = (x + rng.uniform(0.0, 0.1) * width, height * rng.uniform(0.05, 0.45))
        c2 = (nx - rng.uniform(0.0, 0.08) * width, height * rng.uniform(0.55, 0.95))
        points.extend(_bezier((x, y), c1, c2, (nx, ny), steps=16))
        x, y = nx, ny
    draw.line(
        [(px * scale, py * scale) for px, py in points], fill=255, width=int(pen), joint="curve"
    )
    img = img.resize((width, height), Image.Resampling.LANCZOS)
    return _inked(img, color, rng, strength=0.9)


def _bezier(
    p0: tuple[float, float],
    p1: tuple[float, float],
    p2: tuple[float, float],
    p3: tuple[float, float],
    steps: int = 30,
) -> list[tuple[float, float]]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        out.append(
            (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
        )
    return out


def qr_code(payload: str, module_px: int = 8) -> Image.Image | None:
    """A black-on-white QR code (UTF-8 byte mode), or None if this OpenCV cannot encode."""
    encoder_cls = getattr(cv2, "QRCodeEncoder", None)
    if encoder_cls is None:
        return None
    try:
        matrix = encoder_cls.create().encode(payload)
    except cv2.error:
        return None
    # OpenCV leaves a 2-module margin; the standard asks for a 4-module quiet zone.
    matrix = cv2.copyMakeBorder(matrix, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=255)
    big = cv2.resize(matrix, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)
    return Image.fromarray(big).convert("RGBA")


def emblem(size: int = 240) -> Image.Image:
    """A simplified national emblem: gold ring, red disc, yellow star."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse([2, 2, size - 3, size - 3], fill=(214, 170, 40, 255))
    pad = size * 0.12
    draw.ellipse([pad, pad, size - pad, size - pad], fill=(205, 35, 40, 255))
    _star(draw, size / 2, size * 0.47, size * 0.27, (250, 215, 40, 255))
    draw.rectangle([size * 0.3, size * 0.68, size * 0.7, size * 0.74], fill=(214, 170, 40, 255))
    return img


def portrait(rng: random.Random, size: tuple[int, int] = (240, 320)) -> Image.Image:
    """A pale-blue ID photo with a head-and-shoulders silhouette."""
    w, h = size
    img = Image.new("RGBA", size, (205, 222, 238, 255))
    draw = ImageDraw.Draw(img)
    tone = rng.randint(150, 200)
    skin = (tone + 40, tone + 10, tone - 20, 255)
    draw.ellipse([w * 0.08, h * 0.62, w * 0.92, h * 1.4], fill=(40, 45, 60, 255))
    draw.rectangle([w * 0.4, h * 0.5, w * 0.6, h * 0.7], fill=skin)
    draw.ellipse([w * 0.27, h * 0.16, w * 0.73, h * 0.6], fill=skin)
    draw.chord([w * 0.25, h * 0.1, w * 0.75, h * 0.45], 180, 360, fill=(25, 25, 30, 255))
    return img


def card_background(rng: random.Random, size: tuple[int, int], tint: Color) -> Image.Image:
    """A pale security-print background: colour gradient, guilloche waves, rounded corners."""
    w, h = size
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    base = np.array(tint, dtype=np.float32)
    mix = (0.6 + 0.4 * xs) * (0.85 + 0.15 * ys)
    rgb = (255 - (255 - base) * mix[..., None]).clip(0, 255).astype(np.uint8)
    img = Image.fromarray(rgb, "RGB")
    draw = ImageDraw.Draw(img)
    phase = rng.uniform(0, 6.28)
    line_color = tuple(max(0, c - 25) for c in tint)
    for k in range(0, h, 22):
        pts = [(x, k + 9 * math.sin(x / 37 + phase + k / 50)) for x in range(0, w, 6)]
        draw.line(pts, fill=line_color, width=1)
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, w - 1, h - 1], radius=int(h * 0.06), fill=255)
    out = img.convert("RGBA")
    out.putalpha(mask)
    return out

"""Pages as display lists (text, rules, dots, images): rasterised with PIL, replayed into PDF."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import ConfigError

BASE_DPI = 300
A4 = (2480, 3508)  # 210 × 297 mm at 300 dpi
CARD = (1011, 638)  # 85.6 × 54 mm at 300 dpi
FONT_DIRS = (
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
)
STYLES = ("regular", "bold", "italic", "bolditalic")

Color = tuple[int, int, int]
BLACK: Color = (20, 20, 22)
RED: Color = (200, 30, 35)
BLUE: Color = (25, 45, 150)


@dataclass(frozen=True)
class FontFace:
    """One family with a file per style; `name` is what the truth JSON reports."""

    name: str
    files: dict[str, Path]

    def font(self, style: str, size: float) -> ImageFont.FreeTypeFont:
        """The PIL font for a style at a pixel size (rounded; PDF output uses the same size)."""
        return _load_font(self.files[style], round(size))

    def width(self, text: str, style: str, size: float) -> float:
        """Advance width of `text` in pixels at 300 dpi."""
        return self.font(style, size).getlength(text)


@functools.lru_cache(maxsize=256)
def _load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


# File stems per family; every one of these covers the Vietnamese alphabet.
_FAMILIES: dict[str, dict[str, str]] = {
    "Liberation Serif": {
        "regular": "LiberationSerif-Regular",
        "bold": "LiberationSerif-Bold",
        "italic": "LiberationSerif-Italic",
        "bolditalic": "LiberationSerif-BoldItalic",
    },
    "Liberation Sans": {
        "regular": "LiberationSans-Regular",
        "bold": "LiberationSans-Bold",
        "italic": "LiberationSans-Italic",
        "bolditalic": "LiberationSans-BoldItalic",
    },
    "Noto Serif": {
        "regular": "NotoSerif-Regular",
        "bold": "NotoSerif-Bold",
        "italic": "NotoSerif-Italic",
        "bolditalic": "NotoSerif-BoldItalic",
    },
    "Noto Sans": {
        "regular": "NotoSans-Regular",
        "bold": "NotoSans-Bold",
        "italic": "NotoSans-Italic",
        "bolditalic": "NotoSans-BoldItalic",
    },
    "DejaVu Serif": {
        "regular": "DejaVuSerif",
        "bold": "DejaVuSerif-Bold",
        "italic": "DejaVuSerif-Italic",
        "bolditalic": "DejaVuSerif-BoldItalic",
    },
    "DejaVu Sans": {
        "regular": "DejaVuSans",
        "bold": "DejaVuSans-Bold",
        "italic": "DejaVuSans-Oblique",
        "bolditalic": "DejaVuSans-BoldOblique",
    },
}
_MONO = {
    "Liberation Mono": {
        "regular": "LiberationMono-Regular",
        "bold": "LiberationMono-Bold",
        "italic": "LiberationMono-Italic",
        "bolditalic": "LiberationMono-BoldItalic",
    },
    "DejaVu Sans Mono": {
        "regular": "DejaVuSansMono",
        "bold": "DejaVuSansMono-Bold",
        "italic": "DejaVuSansMono-Oblique",
        "bolditalic": "DejaVuSansMono-BoldOblique",
    },
}
# How often each family is picked: Times-like serif dominates real administrative papers.
FACE_WEIGHTS = {
    "Liberation Serif": 5,
    "Noto Serif": 3,
    "DejaVu Serif": 1,
    "Liberation Sans": 1.5,
    "Noto Sans": 1.5,
    "DejaVu Sans": 1,
}


@functools.lru_cache(maxsize=1)
def _font_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in FONT_DIRS:
        if root.is_dir():
            for path in sorted(root.rglob("*.ttf")):
                found.setdefault(path.stem, path)
    return found


def _faces(families: dict[str, dict[str, str]]) -> tuple[FontFace, ...]:
    found = _font_files()
    return tuple(
        FontFace(name, {style: found[stem] for style, stem in stems.items()})
        for name, stems in families.items()
        if all(stem in found for stem in stems.values())
    )


@functools.lru_cache(maxsize=1)
def available_faces() -> tuple[FontFace, ...]:
    """Font families installed here with all four styles, in a fixed order."""
    faces = _faces(_FAMILIES)
    if not faces:
        raise RuntimeError(
            "no TrueType font with Vietnamese coverage found; install fonts-liberation2"
        )
    return faces


# Families with Vietnamese coverage that samples never use unless named (`faces_named`,
# `dossier samples --font`): a check of how reading holds up on type the generator's
# usual faces do not show (a typewriter-like monospace with a dotted zero, condensed and
# display cuts). Same file-stem pattern per style as above.
_HELD_OUT: dict[str, dict[str, str]] = {
    name: dict(zip(STYLES, stems, strict=True))
    for name, stems in {
        "Liberation Mono": ("LiberationMono-Regular", "LiberationMono-Bold",
                            "LiberationMono-Italic", "LiberationMono-BoldItalic"),
        "DejaVu Sans Condensed": ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold",
                                  "DejaVuSansCondensed-Oblique",
                                  "DejaVuSansCondensed-BoldOblique"),
        "DejaVu Serif Condensed": ("DejaVuSerifCondensed", "DejaVuSerifCondensed-Bold",
                                   "DejaVuSerifCondensed-Italic",
                                   "DejaVuSerifCondensed-BoldItalic"),
        "Noto Sans Display": ("NotoSansDisplay-Regular", "NotoSansDisplay-Bold",
                              "NotoSansDisplay-Italic", "NotoSansDisplay-BoldItalic"),
        "Noto Serif Display": ("NotoSerifDisplay-Regular", "NotoSerifDisplay-Bold",
                               "NotoSerifDisplay-Italic", "NotoSerifDisplay-BoldItalic"),
    }.items()
}  # fmt: skip


def faces_named(names: Iterable[str]) -> tuple[FontFace, ...]:
    """The installed families called `names` (the usual ones or `_HELD_OUT`), in order.

    Raises ConfigError naming the families to choose from when one is unknown or not
    installed here.
    """
    installed = {f.name: f for f in _faces(_FAMILIES | _HELD_OUT)}
    wanted = list(dict.fromkeys(names))
    missing = [n for n in wanted if n not in installed]
    if missing:
        raise ConfigError(
            f"font families not installed with all four styles: {missing}",
            hint=f"choose from {sorted(installed)}",
        )
    return tuple(installed[n] for n in wanted)


@functools.lru_cache(maxsize=1)
def mono_face() -> FontFace | None:
    """A monospaced face for machine-readable zones, if one is installed."""
    faces = _faces(_MONO)
    return faces[0] if faces else None


# ------------------------------------------------------------------------------ display list


@dataclass(frozen=True)
class TextOp:
    """A run of text; (x, y) is the left end of its baseline in 300-dpi pixels."""

    x: float
    y: float
    text: str
    face: FontFace
    style: str
    size: float
    color: Color = BLACK


@dataclass(frozen=True)
class LineOp:
    """A straight rule."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 3.0
    color: Color = BLACK


@dataclass(frozen=True)
class DotsOp:
    """A dotted leader on a baseline, as printed forms have after labels."""

    x0: float
    x1: float
    y: float
    pitch: float = 14.0
    radius: float = 2.2
    color: Color = BLACK


@dataclass(frozen=True)
class RectOp:
    """An outlined or filled rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float
    outline: Color | None = BLACK
    fill: Color | None = None
    width: float = 3.0


@dataclass(frozen=True)
class ImageOp:
    """A raster (RGBA) placed at (x, y) with size (w, h); `multiply` blends like ink."""

    x: float
    y: float
    w: float
    h: float
    image: Image.Image
    multiply: bool = False


Op = TextOp | LineOp | DotsOp | RectOp | ImageOp


@dataclass
class Page:
    """One side of paper: drawing operations plus the lines a reader would read, in order."""

    size: tuple[int, int] = A4
    ops: list[Op] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    blank: bool = False

    @property
    def text(self) -> str:
        """The page text, lines joined by newlines."""
        return "\n".join(self.lines)

    def place(self, other: Page, dx: float, dy: float) -> None:
        """Copy another page's operations (e.g. an ID card) onto this one at an offset."""
        for op in other.ops:
            self.ops.append(_shift(op, dx, dy))
        self.lines.extend(other.lines)


def _shift(op: Op, dx: float, dy: float) -> Op:
    if isinstance(op, TextOp):
        return TextOp(op.x + dx, op.y + dy, op.text, op.face, op.style, op.size, op.color)
    if isinstance(op, LineOp):
        return LineOp(op.x0 + dx, op.y0 + dy, op.x1 + dx, op.y1 + dy, op.width, op.color)
    if isinstance(op, DotsOp):
        return DotsOp(op.x0 + dx, op.x1 + dx, op.y + dy, op.pitch, op.radius, op.color)
    if isinstance(op, RectOp):
        return RectOp(op.x0 + dx, op.y0 + dy, op.x1 + dx, op.y1 + dy, op.outline, op.fill, op.width)
    return ImageOp(op.x + dx, op.y + dy, op.w, op.h, op.image, op.multiply)


def rasterize(page: Page, dpi: int = BASE_DPI, paper: Color = (255, 255, 255)) -> Image.Image:
    """Draw a page into an RGB image at `dpi` (layout units are 300-dpi pixels)."""
    k = dpi / BASE_DPI
    img = Image.new("RGB", (round(page.size[0] * k), round(page.size[1] * k)), paper)
    draw = ImageDraw.Draw(img)
    for op in page.ops:
        if isinstance(op, TextOp):
            font = op.face.font(op.style, op.size * k)
            draw.text((op.x * k, op.y * k), op.text, font=font, fill=op.color, anchor="ls")
        elif isinstance(op, LineOp):
            draw.line(
                [(op.x0 * k, op.y0 * k), (op.x1 * k, op.y1 * k)],
                fill=op.color,
                width=max(1, round(op.width * k)),
            )
        elif isinstance(op, DotsOp):
            r = max(0.8, op.radius * k)
            x = op.x0 * k
            while x <= op.x1 * k:
                draw.ellipse([x - r, op.y * k - r, x + r, op.y * k + r], fill=op.color)
                x += op.pitch * k
        elif isinstance(op, RectOp):
            draw.rectangle(
                [op.x0 * k, op.y0 * k, op.x1 * k, op.y1 * k],
                outline=op.outline,
                fill=op.fill,
                width=max(1, round(op.width * k)),
            )
        else:
            _draw_image(img, op, k)
    return img


def _draw_image(img: Image.Image, op: ImageOp, k: float) -> None:
    w, h = max(1, round(op.w * k)), max(1, round(op.h * k))
    x, y = round(op.x * k), round(op.y * k)
    src = op.image.convert("RGBA")
    if src.size != (w, h):
        src = src.resize((w, h), Image.Resampling.LANCZOS)
    if not op.multiply:
        img.paste(src, (x, y), src)
        return
    box = (max(0, x), max(0, y), min(img.width, x + w), min(img.height, y + h))
    if box[0] >= box[2] or box[1] >= box[3]:
        return
    part = np.asarray(src.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y)), dtype=np.float32)
    alpha = part[..., 3:4] / 255.0
    base = np.asarray(img.crop(box), dtype=np.float32)
    out = base * (1.0 - alpha * (1.0 - part[..., :3] / 255.0))
    img.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), box[:2])

"""Text flow for paper layouts: wrapped paragraphs, form fields, side-by-side columns."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.samples.render import (
    A4,
    BLACK,
    Color,
    DotsOp,
    FontFace,
    LineOp,
    Page,
    TextOp,
)

MM = 300 / 25.4  # pixels per millimetre at 300 dpi
Seg = tuple[str, str] | tuple[str, str, Color]  # (text, style[, colour])


@dataclass(frozen=True)
class Style:
    """Per-sample typography and form habits."""

    face: FontFace
    size: float  # body size in 300-dpi pixels
    leading: float  # line pitch as a multiple of size
    margins: tuple[float, float, float, float]  # left, top, right, bottom
    leaders: bool  # dotted leaders after form values
    bold_values: bool  # values on forms in bold
    date_style: str  # "long", "slash0" or "slash"
    indent: float  # first-line indent of body paragraphs
    boxed_fields: bool = False  # form fields as a ruled label | value table


def random_style(rng: random.Random, face: FontFace) -> Style:
    """Margins, size and habits within Decree 30's ranges (13–14 pt, left margin 30–35 mm)."""
    pt = rng.choice((12.5, 13, 13, 13.5, 14))
    return Style(
        face=face,
        size=pt * 300 / 72,
        leading=rng.uniform(1.2, 1.45),
        margins=(
            rng.uniform(28, 35) * MM,
            rng.uniform(18, 25) * MM,
            rng.uniform(15, 20) * MM,
            rng.uniform(18, 25) * MM,
        ),
        leaders=rng.random() < 0.6,
        bold_values=rng.random() < 0.35,
        date_style=rng.choice(("long", "slash0", "slash0", "slash")),
        indent=rng.uniform(10, 13) * MM,
        boxed_fields=rng.random() < 0.2,
    )


class Composer:
    """Flows text down one or more pages, recording each printed line for the ground truth."""

    def __init__(self, style: Style, rng: random.Random, size: tuple[int, int] = A4) -> None:
        self.s = style
        self.rng = rng
        self.size = size
        self.pages: list[Page] = [Page(size)]
        self.x0 = style.margins[0]
        self.x1 = size[0] - style.margins[2]
        self.y = style.margins[1]

    @property
    def page(self) -> Page:
        """The page being written."""
        return self.pages[-1]

    @property
    def bottom(self) -> float:
        """Lowest y a line may reach."""
        return self.size[1] - self.s.margins[3]

    def pitch(self, size: float | None = None) -> float:
        """Line pitch for a font size."""
        return (size or self.s.size) * self.s.leading

    def gap(self, lines: float = 0.5) -> None:
        """Vertical space measured in body lines."""
        self.y += self.pitch() * lines

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` pixels still fit."""
        if self.y + height > self.bottom:
            self.new_page()

    def new_page(self) -> None:
        """Next sheet; from page 2 the number is printed at the top centre (Decree 30)."""
        self.pages.append(Page(self.size))
        self.y = self.s.margins[1] * 0.6
        number = str(len(self.pages))
        self.centered([(number, "regular")], x0=0, x1=self.size[0])
        self.gap(0.5)

    def width(self, text: str, style: str = "regular", size: float | None = None) -> float:
        """Printed width of a run."""
        return self.s.face.width(text, style, size or self.s.size)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        style: str = "regular",
        size: float | None = None,
        color: Color = BLACK,
    ) -> float:
        """Draw one run at an absolute position (no truth line); returns its right end."""
        size = size or self.s.size
        self.page.ops.append(TextOp(x, baseline, text, self.s.face, style, size, color))
        return x + self.width(text, style, size)

    def rule(self, x0: float, y: float, x1: float, width: float = 3.0) -> None:
        """A horizontal rule."""
        self.page.ops.append(LineOp(x0, y, x1, y, width))

    # ------------------------------------------------------------------ flowing text

    def flow(
        self,
        segs: Sequence[Seg],
        *,
        align: str = "left",
        indent: float = 0.0,
        hang: float = 0.0,
        leaders: bool = False,
        size: float | None = None,
        x0: float | None = None,
        x1: float | None = None,
        record: bool = True,
    ) -> list[str]:
        """Wrap styled segments into lines between x0 and x1; returns the printed lines."""
        size = size or self.s.size
        left = self.x0 if x0 is None else x0
        right = self.x1 if x1 is None else x1
        words = [
            (w, seg[1], seg[2] if len(seg) > 2 else BLACK) for seg in segs for w in seg[0].split()
        ]
        lines = self._wrap(words, right - left - indent, right - left - hang, size)
        printed = []
        for i, line in enumerate(lines):
            self.ensure(self.pitch(size))
            start = left + (indent if i == 0 else hang)
            last = i == len(lines) - 1
            end_x = self._draw_line(
                line, start, right, align if not (last and align == "justify") else "left", size
            )
            if leaders and last and right - end_x > size:
                self.page.ops.append(DotsOp(end_x + size * 0.3, right, self.y + size * 0.85))
            self.y += self.pitch(size)
            printed.append(" ".join(w for w, _, _ in line))
        if record:
            self.page.lines.extend(printed)
        return printed

    def _wrap(
        self, words: list[tuple[str, str, Color]], first_width: float, width: float, size: float
    ) -> list[list[tuple[str, str, Color]]]:
        lines: list[list[tuple[str, str, Color]]] = [[]]
        used = 0.0
        limit = first_width
        for word in words:
            w = self.width(word[0], word[1], size)
            space = self.width(" ", word[1], size) if lines[-1] else 0.0
            if lines[-1] and used + space + w > limit:
                lines.append([])
                used, space, limit = 0.0, 0.0, width
            lines[-1].append(word)
            used += space + w
        return [line for line in lines if line]

    def _draw_line(
        self, line: list[tuple[str, str, Color]], left: float, right: float, align: str, size: float
    ) -> float:
        widths = [self.width(w, st, size) for w, st, _ in line]
        spaces = [self.width(" ", st, size) for _, st, _ in line[:-1]]
        natural = sum(widths) + sum(spaces)
        x = left
        if align == "center":
            x = left + (right - left - natural) / 2
        elif align == "right":
            x = right - natural
        elif align == "justify" and len(line) > 1:
            extra = (right - left - natural) / (len(line) - 1)
            spaces = [s + extra for s in spaces]
        baseline = self.y + size * 0.85
        for i, (word, style, color) in enumerate(line):
            # The trailing space is invisible in the raster but gives the PDF text layer a real
            # space character, so extractors do not glue words together.
            last = i == len(line) - 1
            self.text(x, baseline, word if last else f"{word} ", style, size, color)
            x += widths[i] + (0.0 if last else spaces[i])
        return x

    def para(
        self,
        text: str,
        *,
        style: str = "regular",
        justify: bool = True,
        indent: float | None = None,
        size: float | None = None,
    ) -> None:
        """A body paragraph, justified with a first-line indent."""
        self.flow(
            [(text, style)],
            align="justify" if justify else "left",
            indent=self.s.indent if indent is None else indent,
            size=size,
        )

    def centered(
        self,
        segs: Sequence[Seg],
        *,
        size: float | None = None,
        x0: float | None = None,
        x1: float | None = None,
    ) -> list[str]:
        """Centred, wrapped lines (titles, header lines)."""
        return self.flow(segs, align="center", size=size, x0=x0, x1=x1)

    def field(
        self, label: str, value: str, *, leaders: bool | None = None, indent: float = 0.0
    ) -> None:
        """A form line `Label: value ……` with the sample's value style and leaders."""
        value_style = "bold" if self.s.bold_values else "regular"
        if self.s.boxed_fields and not indent:
            self._boxed(label, value, value_style)
            return
        self.flow(
            [(label, "regular"), (value, value_style)],
            indent=indent,
            leaders=self.s.leaders if leaders is None else leaders,
        )

    def fields_row(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Several short fields on one line in equal columns, wrapping if they do not fit."""
        value_style = "bold" if self.s.bold_values else "regular"
        if self.s.boxed_fields:
            for label, value in pairs:
                self._boxed(label, value, value_style)
            return
        col = (self.x1 - self.x0) / len(pairs)
        widths = [
            self.width(f"{lab} ", "regular") + self.width(val, value_style) for lab, val in pairs
        ]
        if max(widths) > col * 0.95:
            self.flow(
                [seg for lab, val in pairs for seg in ((lab, "regular"), (val + " ", value_style))]
            )
            return
        self.ensure(self.pitch())
        base = self.y + self.s.size * 0.85
        for i, (lab, val) in enumerate(pairs):
            x = self.text(self.x0 + i * col, base, f"{lab} ", "regular")
            x = self.text(x, base, val, value_style)
            if self.s.leaders:
                self.page.ops.append(
                    DotsOp(x + self.s.size * 0.3, self.x0 + (i + 1) * col - 20, base)
                )
        self.page.lines.append(" ".join(f"{lab} {val}" for lab, val in pairs))
        self.y += self.pitch()

    def _boxed(self, label: str, value: str, value_style: str) -> None:
        """One row of a ruled label | value table; consecutive rows share their rules."""
        label = label.strip().rstrip(":")
        split = self.x0 + (self.x1 - self.x0) * 0.36
        pad = self.s.size * 0.25
        self.ensure(self.pitch() * 1.6)
        top = self.y
        self.y = top + pad
        self.flow([(label, "regular")], x0=self.x0 + pad, x1=split - pad, record=False)
        end = self.y
        self.y = top + pad
        self.flow([(value, value_style)], x0=split + pad, x1=self.x1 - pad, record=False)
        self.y = max(end, self.y) + pad
        self.rule(self.x0, top, self.x1, 2.5)
        self.rule(self.x0, self.y, self.x1, 2.5)
        for x in (self.x0, split, self.x1):
            self.page.ops.append(LineOp(x, top, x, self.y, 2.5))
        self.page.lines.append(f"{label} {value}")

    # ------------------------------------------------------------------ blocks

    def columns(self, blocks: Sequence[tuple[float, float, Callable[[Composer], None]]]) -> None:
        """Draw blocks side by side (fractions of the width); truth reads them left to right."""
        top, saved = self.y, (self.x0, self.x1)
        full = saved[1] - saved[0]
        ends = []
        for f0, f1, draw in blocks:
            self.x0, self.x1 = saved[0] + f0 * full, saved[0] + f1 * full
            self.y = top
            draw(self)
            ends.append(self.y)
        self.x0, self.x1 = saved
        self.y = max(ends)

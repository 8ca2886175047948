"""Text flow for paper layouts: wrapped paragraphs, form fields, Decree 30 header, tables, signatures."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.samples import stamps
from pipeline.samples.render import A4, BLACK, Color, DotsOp, FontFace, ImageOp, LineOp, Page, TextOp

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


def random_style(rng: random.Random, face: FontFace) -> Style:
    """Margins, size and habits within Decree 30's ranges (13–14 pt, left margin 30–35 mm)."""
    pt = rng.choice((12.5, 13, 13, 13.5, 14))
    return Style(
        face=face,
        size=pt * 300 / 72,
        leading=rng.uniform(1.2, 1.45),
        margins=(rng.uniform(28, 35) * MM, rng.uniform(18, 25) * MM,
                 rng.uniform(15, 20) * MM, rng.uniform(18, 25) * MM),
        leaders=rng.random() < 0.6,
        bold_values=rng.random() < 0.35,
        date_style=rng.choice(("long", "slash0", "slash0", "slash")),
        indent=rng.uniform(10, 13) * MM,
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

    def text(self, x: float, baseline: float, text: str, style: str = "regular",
             size: float | None = None, color: Color = BLACK) -> float:
        """Draw one run at an absolute position (no truth line); returns its right end."""
        size = size or self.s.size
        self.page.ops.append(TextOp(x, baseline, text, self.s.face, style, size, color))
        return x + self.width(text, style, size)

    def rule(self, x0: float, y: float, x1: float, width: float = 3.0) -> None:
        """A horizontal rule."""
        self.page.ops.append(LineOp(x0, y, x1, y, width))

    # ------------------------------------------------------------------ flowing text

    def flow(self, segs: Sequence[Seg], *, align: str = "left", indent: float = 0.0,
             hang: float = 0.0, leaders: bool = False, size: float | None = None,
             x0: float | None = None, x1: float | None = None, record: bool = True) -> list[str]:
        """Wrap styled segments into lines between x0 and x1; returns the printed lines."""
        size = size or self.s.size
        left = self.x0 if x0 is None else x0
        right = self.x1 if x1 is None else x1
        words = [(w, seg[1], seg[2] if len(seg) > 2 else BLACK)  # type: ignore[misc]
                 for seg in segs for w in seg[0].split()]
        lines = self._wrap(words, right - left - indent, right - left - hang, size)
        printed = []
        for i, line in enumerate(lines):
            self.ensure(self.pitch(size))
            start = left + (indent if i == 0 else hang)
            last = i == len(lines) - 1
            end_x = self._draw_line(line, start, right, align if not (last and align == "justify")
                                    else "left", size)
            if leaders and last and right - end_x > size:
                self.page.ops.append(DotsOp(end_x + size * 0.3, right, self.y + size * 0.85))
            self.y += self.pitch(size)
            printed.append(" ".join(w for w, _, _ in line))
        if record:
            self.page.lines.extend(printed)
        return printed

    def _wrap(self, words: list[tuple[str, str, Color]], first_width: float, width: float,
              size: float) -> list[list[tuple[str, str, Color]]]:
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

    def _draw_line(self, line: list[tuple[str, str, Color]], left: float, right: float,
                   align: str, size: float) -> float:
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
            self.text(x, baseline, word, style, size, color)
            x += widths[i] + (spaces[i] if i < len(spaces) else 0.0)
        return x

    def para(self, text: str, *, style: str = "regular", justify: bool = True,
             indent: float | None = None, size: float | None = None) -> None:
        """A body paragraph, justified with a first-line indent."""
        self.flow([(text, style)], align="justify" if justify else "left",
                  indent=self.s.indent if indent is None else indent, size=size)

    def centered(self, segs: Sequence[Seg], *, size: float | None = None,
                 x0: float | None = None, x1: float | None = None) -> list[str]:
        """Centred, wrapped lines (titles, header lines)."""
        return self.flow(segs, align="center", size=size, x0=x0, x1=x1)

    def field(self, label: str, value: str, *, leaders: bool | None = None,
              indent: float = 0.0) -> None:
        """A form line `Label: value ……` with the sample's value style and leaders."""
        value_style = "bold" if self.s.bold_values else "regular"
        self.flow([(label, "regular"), (value, value_style)], indent=indent,
                  leaders=self.s.leaders if leaders is None else leaders)

    def fields_row(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Several short fields on one line in equal columns, wrapping if they do not fit."""
        value_style = "bold" if self.s.bold_values else "regular"
        col = (self.x1 - self.x0) / len(pairs)
        widths = [self.width(f"{lab} ", "regular") + self.width(val, value_style) for lab, val in pairs]
        if max(widths) > col * 0.95:
            self.flow([seg for lab, val in pairs for seg in ((lab, "regular"), (val + " ", value_style))])
            return
        self.ensure(self.pitch())
        base = self.y + self.s.size * 0.85
        for i, (lab, val) in enumerate(pairs):
            x = self.text(self.x0 + i * col, base, lab, "regular")
            x = self.text(x + self.width(" "), base, val, value_style)
            if self.s.leaders:
                self.page.ops.append(DotsOp(x + self.s.size * 0.3, self.x0 + (i + 1) * col - 20, base))
        self.page.lines.append(" ".join(f"{lab} {val}" for lab, val in pairs))
        self.y += self.pitch()

    # ------------------------------------------------------------------ blocks

    def columns(self, blocks: Sequence[tuple[float, float, Callable[[Composer], None]]]) -> None:
        """Draw blocks side by side (fractions of the text width); truth reads them left to right."""
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

    def header(self, parent: str | None, body: Sequence[str], number: str | None,
               place_date: str | None,
               *, vv: str | None = None, split: float | None = None) -> None:
        """Decree 30 header: issuing body and number left, national motto and date right."""
        split = split or self.rng.uniform(0.4, 0.45)
        size = self.s.size * 0.96
        full = self.x1 - self.x0
        lx0, lx1 = self.x0 - 0.06 * full, self.x0 + split * full
        rx0, rx1 = lx1, self.x1 + 0.02 * full

        def centred(text: str, style: str, x0: float, x1: float, k: float = 1.0) -> list[str]:
            return self.flow([(text, style)], align="center", size=size * k, x0=x0, x1=x1,
                             record=False)

        top = self.y
        left = centred(parent, "regular", lx0, lx1) if parent else []
        body_lines = [out for line in body for out in centred(line, "bold", lx0, lx1)]
        left += body_lines
        mid = (lx0 + lx1) / 2
        line_w = min(self.width(body_lines[-1], "bold", size), (lx1 - lx0) * 0.4)
        self.rule(mid - line_w / 2, self.y + 4, mid + line_w / 2, 2.5)
        left_end = self.y
        self.y = top
        nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        k = min(1.0, (rx1 - rx0) / (self.width(nation, "bold", size) * 1.04))
        right = centred(nation, "bold", rx0, rx1, k)
        right += centred("Độc lập - Tự do - Hạnh phúc", "bold", rx0, rx1, 1.04)
        rmid, mw = (rx0 + rx1) / 2, self.width(right[-1], "bold", size * 1.04)
        self.rule(rmid - mw / 2, self.y + 4, rmid + mw / 2, 2.5)
        row = max(left_end, self.y) + self.pitch() * 0.35
        self.y = row
        if number:
            left += centred(f"Số: {number}", "regular", lx0, lx1)
        if vv:
            left += centred(vv, "regular", lx0, lx1, 0.92)
        left_end = self.y
        self.y = row
        if place_date:
            right += centred(place_date, "italic", rx0, rx1)
        # A reader takes the whole left column first, then the right one.
        self.page.lines.extend(left + right)
        self.y = max(left_end, self.y) + self.pitch() * 0.6

    def title(self, title: str, subtitle: str | None = None, *, underline: bool = False) -> None:
        """Bold capital type name and optional trích yếu under it."""
        self.gap(0.4)
        self.centered([(title, "bold")], size=self.s.size * 1.12)
        if subtitle:
            lines = self.centered([(subtitle, "bold")])
            if underline:
                w = self.width(lines[-1], "bold") * 0.35
                mid = (self.x0 + self.x1) / 2
                self.rule(mid - w / 2, self.y + 2, mid + w / 2, 2.5)
        self.gap(0.5)

    def signature(self, titles: Sequence[str], name: str, *, seal_text: str | None = None,
                  note: str | None = None, seal_center: str = "", after: str | None = None) -> None:
        """Signature block in the current frame: titles, signature, optional seal, name."""
        for t in titles:
            self.centered([(t, "bold")])
        if note:
            self.centered([(note, "italic")], size=self.s.size * 0.9)
        mid = (self.x0 + self.x1) / 2
        sig = stamps.signature(self.rng, width=int(min(520, 0.85 * (self.x1 - self.x0))))
        sx = mid - sig.width / 2 + self.rng.uniform(-60, 60)
        sy = self.y + self.rng.uniform(0, 40)
        self.page.ops.append(ImageOp(sx, sy, sig.width, sig.height, sig, multiply=True))
        if seal_text:
            d = self.rng.randint(400, 450)
            seal = stamps.seal(self.rng, self.s.face, seal_text, seal_center, d)
            cx = mid - self.rng.uniform(0.3, 0.45) * d
            cy = self.y - self.rng.uniform(0.0, 0.15) * d
            self.page.ops.append(ImageOp(cx - d / 2, cy - d / 2, d, d, seal, multiply=True))
        self.y += max(sig.height + 40, self.pitch() * 4)
        self.centered([(name, "bold")])
        if after:
            self.centered([(after, "regular")])

    def closing(self, titles: Sequence[str], name: str, *, recipients: Sequence[str] | None = None,
                seal_text: str | None = None, note: str | None = None, seal_center: str = "",
                after: str | None = None) -> None:
        """`Nơi nhận:` on the left and the signature block on the right."""
        self.ensure(self.pitch() * (len(titles) + 7))
        self.gap(0.3)

        def left(c: Composer) -> None:
            if recipients:
                size = self.s.size * 0.85
                c.flow([("Nơi nhận:", "bolditalic")], size=size)
                for r in recipients:
                    c.flow([(r, "regular")], size=size * 0.95, hang=20)

        def right(c: Composer) -> None:
            c.signature(titles, name, seal_text=seal_text, note=note, seal_center=seal_center,
                        after=after)

        self.columns([(0.0, 0.45, left), (0.42, 1.0, right)])

    def table(self, fracs: Sequence[float], rows: Sequence[Sequence[str]], *, head: int = 1,
              size: float | None = None) -> None:
        """A ruled table; each row becomes one truth line, cells joined by spaces."""
        size = size or self.s.size * 0.92
        edges = [self.x0]
        for f in fracs:
            edges.append(edges[-1] + f * (self.x1 - self.x0))
        pad = size * 0.25
        self.ensure(self.pitch(size) * 2)
        self.rule(edges[0], self.y, edges[-1], 2.5)
        for r, row in enumerate(rows):
            top = self.y
            if top + self.pitch(size) * 1.5 > self.bottom:
                self.new_page()
                top = self.y
                self.rule(edges[0], top, edges[-1], 2.5)
            ends, texts = [], []
            for c, cell in enumerate(row):
                self.y = top + pad
                style = "bold" if r < head else "regular"
                align = "center" if r < head or len(cell) < 12 else "left"
                out = self.flow([(cell, style)], align=align, size=size, x0=edges[c] + pad,
                                x1=edges[c + 1] - pad, record=False)
                ends.append(self.y)
                texts.append(" ".join(out))
            self.y = max(ends) + pad
            for x in edges:
                self.page.ops.append(LineOp(x, top, x, self.y, 2.5))
            self.rule(edges[0], self.y, edges[-1], 2.5)
            self.page.lines.append(" ".join(t for t in texts if t))
        self.gap(0.4)

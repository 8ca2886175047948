"""Decree 30 building blocks: two-column header, title, signature with seal, tables."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.samples import stamps
from pipeline.samples.compose import Composer
from pipeline.samples.render import ImageOp, LineOp


def header(
    c: Composer,
    parent: str | None,
    body: Sequence[str],
    number: str | None,
    place_date: str | None,
    *,
    vv: str | None = None,
    split: float | None = None,
) -> None:
    """Decree 30 header: issuing body and number left, national motto and date right."""
    split = split or c.rng.uniform(0.4, 0.45)
    size = c.s.size * 0.96
    full = c.x1 - c.x0
    lx0, lx1 = c.x0 - 0.06 * full, c.x0 + split * full
    rx0, rx1 = lx1, c.x1 + 0.02 * full

    def centred(text: str, style: str, x0: float, x1: float, k: float = 1.0) -> list[str]:
        # Offices squeeze a long name a little before breaking it over two lines.
        k *= max(0.86, min(1.0, (x1 - x0) / (c.width(text, style, size * k) * 1.02)))
        return c.flow([(text, style)], align="center", size=size * k, x0=x0, x1=x1, record=False)

    top = c.y
    left = centred(parent, "regular", lx0, lx1) if parent else []
    body_lines = [out for line in body for out in centred(line, "bold", lx0, lx1)]
    left += body_lines
    mid = (lx0 + lx1) / 2
    line_w = min(c.width(body_lines[-1], "bold", size), (lx1 - lx0) * 0.4)
    c.rule(mid - line_w / 2, c.y + 4, mid + line_w / 2, 2.5)
    left_end = c.y
    c.y = top
    nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    k = min(1.0, (rx1 - rx0) / (c.width(nation, "bold", size) * 1.04))
    right = centred(nation, "bold", rx0, rx1, k)
    right += centred("Độc lập - Tự do - Hạnh phúc", "bold", rx0, rx1, 1.04)
    rmid, mw = (rx0 + rx1) / 2, c.width(right[-1], "bold", size * 1.04)
    c.rule(rmid - mw / 2, c.y + 4, rmid + mw / 2, 2.5)
    row = max(left_end, c.y) + c.pitch() * 0.35
    c.y = row
    if number:
        left += centred(f"Số: {number}", "regular", lx0, lx1)
    if vv:
        left += centred(vv, "regular", lx0, lx1, 0.92)
    left_end = c.y
    c.y = row
    if place_date:
        fit = min(1.0, (rx1 - rx0) / (c.width(place_date, "italic", size) * 1.03))
        right += centred(place_date, "italic", rx0, rx1, fit)
    # A reader takes the whole left column first, then the right one.
    c.page.lines.extend(left + right)
    c.y = max(left_end, c.y) + c.pitch() * 0.6


def title(c: Composer, title: str, subtitle: str | None = None, *, underline: bool = False) -> None:
    """Bold capital type name and optional trích yếu under it."""
    c.gap(0.4)
    c.centered([(title, "bold")], size=c.s.size * 1.12)
    if subtitle:
        lines = c.centered([(subtitle, "bold")])
        if underline:
            w = c.width(lines[-1], "bold") * 0.35
            mid = (c.x0 + c.x1) / 2
            c.rule(mid - w / 2, c.y + c.s.size * 0.15, mid + w / 2, 2.5)
            c.gap(0.2)
    c.gap(0.5)


def signature(
    c: Composer,
    titles: Sequence[str],
    name: str,
    *,
    seal_text: str | None = None,
    note: str | None = None,
    seal_center: str = "",
    after: str | None = None,
) -> None:
    """Signature block in the current frame: titles, signature, optional seal, name."""
    for t in titles:
        c.centered([(t, "bold")])
    if note:
        c.centered([(note, "italic")], size=c.s.size * 0.9)
    mid = (c.x0 + c.x1) / 2
    sig = stamps.signature(c.rng, width=int(min(520, 0.85 * (c.x1 - c.x0))))
    sx = mid - sig.width / 2 + c.rng.uniform(-60, 60)
    sy = c.y + c.rng.uniform(0, 40)
    c.page.ops.append(ImageOp(sx, sy, sig.width, sig.height, sig, multiply=True))
    if seal_text:
        d = c.rng.randint(400, 450)
        seal = stamps.seal(c.rng, c.s.face, seal_text, seal_center, d)
        # Seals sit on the left third of the signature and bite into the title above it.
        cx = mid - c.rng.uniform(0.3, 0.45) * d
        cy = c.y + c.rng.uniform(0.15, 0.3) * d
        c.page.ops.append(ImageOp(cx - d / 2, cy - d / 2, d, d, seal, multiply=True))
    c.y += max(sig.height + 40, c.pitch() * 4)
    c.centered([(name, "bold")])
    if after:
        c.centered([(after, "regular")])


def closing(
    c: Composer,
    titles: Sequence[str],
    name: str,
    *,
    recipients: Sequence[str] | None = None,
    seal_text: str | None = None,
    note: str | None = None,
    seal_center: str = "",
    after: str | None = None,
) -> None:
    """`Nơi nhận:` on the left and the signature block on the right."""
    c.ensure(c.pitch() * (len(titles) + 7))
    c.gap(0.3)

    def left(c: Composer) -> None:
        if recipients:
            size = c.s.size * 0.85
            c.flow([("Nơi nhận:", "bolditalic")], size=size)
            for r in recipients:
                c.flow([(r, "regular")], size=size * 0.95, hang=20)

    def right(c: Composer) -> None:
        signature(
            c, titles, name, seal_text=seal_text, note=note, seal_center=seal_center, after=after
        )

    c.columns([(0.0, 0.45, left), (0.42, 1.0, right)])


def table(
    c: Composer,
    fracs: Sequence[float],
    rows: Sequence[Sequence[str]],
    *,
    head: int = 1,
    size: float | None = None,
) -> None:
    """A ruled table; each row becomes one truth line, cells joined by spaces."""
    size = size or c.s.size * 0.92
    edges = [c.x0]
    for f in fracs:
        edges.append(edges[-1] + f * (c.x1 - c.x0))
    pad = size * 0.25
    c.ensure(c.pitch(size) * 2)
    c.rule(edges[0], c.y, edges[-1], 2.5)
    for r, row in enumerate(rows):
        top = c.y
        if top + c.pitch(size) * 1.5 > c.bottom:
            c.new_page()
            top = c.y
            c.rule(edges[0], top, edges[-1], 2.5)
        ends, texts = [], []
        for col, cell in enumerate(row):
            c.y = top + pad
            style = "bold" if r < head else "regular"
            align = "center" if r < head or len(cell) < 12 else "left"
            out = c.flow(
                [(cell, style)],
                align=align,
                size=size,
                x0=edges[col] + pad,
                x1=edges[col + 1] - pad,
                record=False,
            )
            ends.append(c.y)
            texts.append(" ".join(out))
        c.y = max(ends) + pad
        for x in edges:
            c.page.ops.append(LineOp(x, top, x, c.y, 2.5))
        c.rule(edges[0], c.y, edges[-1], 2.5)
        c.page.lines.append(" ".join(t for t in texts if t))
    c.gap(0.4)

"""Small inline SVG charts (no JavaScript, no CDN): vertical and horizontal bar charts."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

BAR = "#1f6feb"


def _label(text: object) -> str:
    return escape(str(text), quote=True)


def columns(
    points: list[tuple[str, int]], *, title: str, width: int = 640, height: int = 220
) -> Markup:
    """A column chart (e.g. papers per day); labels under at most ~12 columns."""
    if not points:
        return Markup(f'<p class="empty">{_label(title)}: chưa có dữ liệu</p>')
    top, bottom, left = 16, 40, 36
    plot_h, plot_w = height - top - bottom, width - left - 8
    peak = max(n for _, n in points) or 1
    step = min(plot_w / len(points), 64.0)
    every = max(1, len(points) // 12)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_label(title)}"><title>{_label(title)}</title>',
        f'<text x="4" y="{top + 4}" class="axis">{peak}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" '
        'class="grid"/>',
    ]
    for i, (label, n) in enumerate(points):
        h = plot_h * n / peak
        x = left + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{_label(label)}: {n}</title></rect>'
        )
        if n and len(points) <= 31:
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{top + plot_h - h - 4:.1f}" class="num" '
                f'text-anchor="middle">{n}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" class="axis" '
                f'text-anchor="middle">{_label(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(points: list[tuple[str, int]], *, title: str, width: int = 640) -> Markup:
    """A horizontal bar chart with the label left and the count right of each bar."""
    if not points:
        return Markup(f'<p class="empty">{_label(title)}: chưa có dữ liệu</p>')
    row, label_w, count_w = 24, 210, 48
    height = row * len(points) + 8
    peak = max(n for _, n in points) or 1
    plot_w = width - label_w - count_w
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_label(title)}"><title>{_label(title)}</title>'
    ]
    for i, (label, n) in enumerate(points):
        y = 4 + i * row
        w = max(1.0, plot_w * n / peak)
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="lbl">'
            f"<title>{_label(label)}</title>{_label(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="num">{n}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))

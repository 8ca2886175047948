"""Running prose: a news article set like a printed page, for OCR quality on plain text.

Administrative papers are mostly short lines, labels and tables; prose is where a reader
notices every wrong letter. The articles in `data/articles.txt` were written for this
project. Each page is one article: bold title, bold or italic lead, justified body with
first-line indents or block paragraphs, sometimes a rule under the title and a byline.
Its truth is `doc_type` "other" with no fields.
"""

from __future__ import annotations

import functools
import random
from importlib import resources

from pipeline.samples.compose import MM, Composer, Style
from pipeline.samples.papers import Document

KIND = "news_article"


@functools.lru_cache(maxsize=1)
def articles() -> tuple[tuple[str, ...], ...]:
    """The shipped articles: (title, lead, paragraph, …) each."""
    text = resources.files("pipeline.samples").joinpath("data/articles.txt").read_text("utf-8")
    blocks = []
    for block in text.split("\n%%\n")[1:]:
        lines = tuple(line.strip() for line in block.strip().splitlines() if line.strip())
        blocks.append(lines)
    return tuple(blocks)


BYLINES = ("Minh Anh", "Thu Hà", "Quốc Bảo", "Ngọc Lan", "Hoàng Long", "Phương Thảo")


def news_article(rng: random.Random, style: Style) -> Document:
    """One article on one or more pages, typeset with this sample's face and size."""
    title, lead, *body = rng.choice(articles())
    c = Composer(style, rng)
    c.flow([(title, "bold")], align=rng.choice(("left", "center")), size=style.size * 1.45)
    if rng.random() < 0.4:
        c.gap(0.2)
        c.rule(c.x0, c.y, c.x1, 2.5)
    c.gap(0.5)
    c.flow([(lead, rng.choice(("bold", "italic")))], align="justify")
    c.gap(0.4)
    indent = style.indent if rng.random() < 0.7 else 0.0
    spacing = 0.0 if indent else 0.45
    for paragraph in body:
        c.flow([(paragraph, "regular")], align="justify", indent=indent)
        c.gap(spacing)
    if rng.random() < 0.6:
        c.gap(0.3)
        c.flow([(rng.choice(BYLINES), "bold")], align="right", x0=c.x1 - 80 * MM)
    return Document("other", c.pages)

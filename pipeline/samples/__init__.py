"""Synthetic Vietnamese administrative papers, degraded like real captures, with ground truth.

`generate()` renders scans into a folder and writes `<scan file name>.truth.json` beside each
one: the documents in the file with their page ranges, the fields printed on them and their
text in reading order. Everything is derived from the seed; nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import ConfigError
from pipeline.samples.capture import DEGRADATIONS, SINGLE_IMAGE, capture, extension
from pipeline.samples.compose import Style, random_style
from pipeline.samples.idcard import citizen_id_card
from pipeline.samples.layouts import DOC_TYPES, LAYOUTS
from pipeline.samples.papers import Document
from pipeline.samples.prose import KIND as PROSE
from pipeline.samples.prose import news_article
from pipeline.samples.render import FACE_WEIGHTS, FontFace, Page, available_faces, faces_named

__all__ = ["DEGRADATIONS", "DOC_TYPES", "EXTRA_KINDS", "generate"]

log = logging.getLogger(__name__)

# Samples only made when asked for by name: running prose (`news_article`), whose truth is
# doc_type "other" and whose page is an OCR-quality test rather than a paper to classify.
EXTRA_KINDS = {PROSE: news_article}


def generate(
    out_dir: Path,
    count: int = 12,
    seed: int = 0,
    *,
    kinds: Sequence[str] | None = None,
    fonts: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Render `count` sample scans into out_dir; returns the paths of the scan files written.

    `kinds` restricts the samples: names from DOC_TYPES (or EXTRA_KINDS, only made when named)
    limit the main document type, names from DEGRADATIONS limit the capture kinds; either
    group left out means all of it. Both
    run in shuffled rounds that hold each item once, so `count >= 9` covers every
    degradation and `count >= 14` every document type, and pairs vary from round to round.
    `fonts` names the font families to set every paper in (`render.faces_named`, which
    include families the default mix never uses); left out, the usual weighted mix.
    """
    doc_types, degradations = _split_kinds(kinds)
    faces = faces_named(fonts) if fonts else None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        doc_type = _cycled(doc_types, i, f"{seed}:doc")
        degradation = _cycled(degradations, i, f"{seed}:degradation")
        written.append(_sample(out_dir, i, seed, doc_type, degradation, doc_types, faces))
        if progress:
            progress(i + 1, count)
    return written


def _cycled(items: tuple[str, ...], i: int, salt: str) -> str:
    """Item i of a series of shuffled rounds, each holding every item once."""
    round_no, index = divmod(i, len(items))
    order = list(items)
    random.Random(f"{salt}:{round_no}").shuffle(order)
    return order[index]


def _split_kinds(kinds: Sequence[str] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    chosen = list(kinds or ())
    papers = DOC_TYPES + tuple(EXTRA_KINDS)
    unknown = [k for k in chosen if k not in papers and k not in DEGRADATIONS]
    if unknown:
        raise ConfigError(
            f"unknown sample kinds {unknown}",
            hint=f"choose doc types from {papers} and degradations from {DEGRADATIONS}",
        )
    doc_types = tuple(k for k in papers if k in chosen) or DOC_TYPES
    degradations = tuple(k for k in DEGRADATIONS if k in chosen) or DEGRADATIONS
    return doc_types, degradations


def _pick_face(rng: random.Random, faces: tuple[FontFace, ...] | None = None) -> FontFace:
    """One family: from `faces` evenly when given, else the installed mix by FACE_WEIGHTS.

    Either way one draw from `rng`, so the papers of a seed are the same in any font.
    """
    if faces:
        return rng.choices(faces)[0]
    faces = available_faces()
    return rng.choices(faces, weights=[FACE_WEIGHTS.get(f.name, 1.0) for f in faces])[0]


def _build(
    doc_type: str, rng: random.Random, style: Style, *, one_page: bool, photo: bool = False
) -> Document:
    """Build a paper; for single-image captures tighten the type until it fits one sheet."""
    if photo:
        return citizen_id_card(rng, style, photo=True)
    state = rng.getstate()
    for _ in range(8):
        rng.setstate(state)
        doc = (LAYOUTS.get(doc_type) or EXTRA_KINDS[doc_type])(rng, style)
        if not one_page or len(doc.pages) == 1:
            return doc
        left, top, right, bottom = style.margins
        style = replace(
            style,
            size=style.size * 0.93,
            leading=max(1.1, style.leading - 0.06),
            margins=(left, top * 0.85, right, bottom * 0.85),
        )
    raise RuntimeError(f"{doc_type} does not fit one page even in small type")


def _sample(
    out_dir: Path,
    i: int,
    seed: int,
    doc_type: str,
    degradation: str,
    pool: tuple[str, ...],
    faces: tuple[FontFace, ...] | None = None,
) -> Path:
    """Build the papers for sample i, capture them and write the truth beside the scan."""
    rng = random.Random(f"{seed}:sample:{i}")
    np_rng = np.random.default_rng(rng.getrandbits(64))
    face = _pick_face(rng, faces)
    one_page = degradation in SINGLE_IMAGE
    photo = degradation == "phone" and doc_type == "citizen_id_card"
    docs = [_build(doc_type, rng, random_style(rng, face), one_page=one_page, photo=photo)]
    extra = {"pdf_scan": rng.randint(1, 2), "tiff_multi": 1}.get(degradation, 0)
    # Companions come from the requested types when there are enough of them.
    others = [t for t in pool if t != doc_type] or [t for t in DOC_TYPES if t != doc_type]
    for other in rng.sample(others, min(extra, len(others))):
        docs.append(_build(other, rng, random_style(rng, face), one_page=False))
    pages, ranges = _paginate(docs, rng, blank_back=degradation == "pdf_scan")
    name = f"{i:03d}-{doc_type}-{degradation}.{extension(degradation, rng)}"
    path = out_dir / name
    dpi = capture(degradation, pages, path, rng, np_rng)
    truth = {
        "file": name,
        "degradation": degradation,
        "sample": doc_type,
        "dpi": dpi,
        "font": face.name,
        "documents": [_doc_truth(d, r) for d, r in zip(docs, ranges, strict=True)],
        "pages": [{"number": n, "blank": p.blank} for n, p in enumerate(pages, 1)],
    }
    truth_path = out_dir / f"{name}.truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log.debug("sample %s: %d document(s), %d page(s)", name, len(docs), len(pages))
    return path


def _paginate(
    docs: list[Document], rng: random.Random, *, blank_back: bool
) -> tuple[list[Page], list[tuple[int, int]]]:
    """Concatenate documents; duplex feeders add a blank back after some document."""
    blank_after = rng.randrange(len(docs)) if blank_back and rng.random() < 0.75 else -1
    pages: list[Page] = []
    ranges = []
    for k, doc in enumerate(docs):
        start = len(pages) + 1
        pages.extend(doc.pages)
        ranges.append((start, len(pages)))
        if k == blank_after:
            pages.append(Page(doc.pages[-1].size, blank=True))
    return pages, ranges


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _doc_truth(doc: Document, pages: tuple[int, int]) -> dict[str, Any]:
    return {
        "doc_type": doc.doc_type,
        "page_start": pages[0],
        "page_end": pages[1],
        "fields": {k: _nfc(v) for k, v in doc.fields.items()},
        "text": unicodedata.normalize("NFC", doc.text),
    }

"""Split a multi-paper scan into documents: a whole dossier often arrives as one PDF.

A page starts a new document when it opens like one: a Decree-30 header with a title, a
title naming another type, a receipt's QR code, or the page after a separator sheet. An
ID-card back (QR, fingerprints, identifying marks) stays with the card before it; other
pages, and near-empty ones (a last line, a seal), continue the document before them. Blank
pages and separator sheets are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ocr_models.vietnamese import fold
from pipeline.classify import CARD_BACK, classify, title_type
from pipeline.models import PageText
from pipeline.qr import qr_doc_type

# The national motto header that opens every Decree-30 paper (either line, OCR-tolerant).
_MOTTO = re.compile(r"CONG HOA XA HOI|XA HOI CHU NGHIA|DOC LAP\W{0,3}TU DO|TU DO\W{0,3}HANH PHUC")
_SEPARATOR = re.compile(r"\b(TRANG|TO) (PHAN CACH|NGAN CACH|TACH)\b|\bSEPARATOR SHEET\b|PATCH ?T")
# A page with fewer letters than this cannot say what it is: it joins the paper before it.
_MIN_LETTERS = 25
# The motto must sit in the first lines of a page to open a new paper.
_HEAD_LINES = 8
# How sure the classifier must be that an untitled page belongs to another type.
_SURE = 0.75
_ISSUER = re.compile(
    r"\b(BO|SO|CUC|CONG\s?AN|UY\s?BAN|UBND|PHONG|BO\s?PHAN|CHI\s?CUC|VAN\s?PHONG)\b"
)


@dataclass(frozen=True)
class PageRole:
    """What a page is for splitting: its own type guess and whether it opens a paper."""

    kind: str  # "content", "empty", "separator", "card_back"
    doc_type: str | None
    starts: bool


def page_role(page: PageText) -> PageRole:
    """How one page behaves in a batch: opener, continuation, card back, separator, empty."""
    if page.blank:
        return PageRole("empty", None, False)
    upper = fold(page.text).upper()
    letters = sum(c.isalpha() for c in upper)
    proved = qr_doc_type(page.qr_codes)
    if proved == "citizen_id_card" or (proved is None and CARD_BACK.search(upper)):
        front = title_type(page.text) == "citizen_id_card"
        return PageRole("content" if front else "card_back", "citizen_id_card", front)
    if proved == "dossier_receipt":
        return PageRole("content", proved, True)
    if letters < 200 and _SEPARATOR.search(upper):
        return PageRole("separator", None, False)
    if letters < _MIN_LETTERS and page.source != "failed":
        return PageRole("empty", None, False)
    head = "\n".join(upper.splitlines()[:_HEAD_LINES])
    titled = title_type(page.text)
    opens = bool(_MOTTO.search(head)) or titled == "citizen_id_card"
    return PageRole("content", titled, opens)


def split_documents(pages: Iterable[PageText]) -> Iterator[list[PageText]]:
    """Group consecutive pages into papers, dropping blank pages and separator sheets.

    Each paper is yielded as soon as the page opening the next one (or the end) is seen, so
    a caller can build it while later pages are still being read. An all-blank file gives
    one paper holding its first page so that it is still recorded.
    """
    group: list[PageText] = []
    doc_type: str | None = None
    first: PageText | None = None
    after_separator = False
    for page in pages:
        first = first or page
        role = page_role(page)
        if role.kind == "empty" and not page.blank and group and not after_separator:
            # A signature or seal page, a last line: not blank to the eye, so kept.
            group.append(page)
            continue
        if role.kind in ("empty", "separator"):
            after_separator = after_separator or role.kind == "separator"
            continue
        if role.kind == "card_back":
            new = doc_type != "citizen_id_card" or _has_back(group)
        elif role.starts:
            new = True
        elif role.doc_type is not None and doc_type is not None:
            new = role.doc_type != doc_type and _differs(role.doc_type, page)
        else:
            new = _looks_new(doc_type, page)
        if not group or new or after_separator:
            if group:
                yield group
            group = [page]
            doc_type = role.doc_type or classify(page.text, page.qr_codes).doc_type
        else:
            group.append(page)
            if doc_type is None:
                doc_type = role.doc_type
        after_separator = False
    if group:
        yield group
    elif first is not None:
        yield [first]


def _has_back(group: list[PageText]) -> bool:
    return any(page_role(p).kind == "card_back" for p in group[1:])


def _differs(doc_type: str, page: PageText) -> bool:
    """A titled page without the motto opens a paper only when its text agrees with its title."""
    return classify(page.text, page.qr_codes).doc_type == doc_type


def _looks_new(current: str | None, page: PageText) -> bool:
    """An untitled page opens a paper when it is surely of another type and starts like one.

    Starting like one: an upper-case issuer line (BỘ CÔNG AN, ỦY BAN NHÂN DÂN …) among
    its first lines, where a continuation page starts with body text or a page number.
    """
    if current is None:
        return False
    result = classify(page.text, page.qr_codes)
    if result.doc_type in (current, "other") or result.confidence < _SURE:
        return False
    first = [ln for ln in fold(page.text).splitlines() if sum(c.isalpha() for c in ln) >= 6][:3]
    return any(_ISSUER.search(ln.upper()) for ln in first)

"""Split a multi-paper scan into documents: a whole dossier often arrives as one PDF."""

from __future__ import annotations

from pipeline.classify import classify
from pipeline.models import PageText

# A page whose own title scores this high starts a new document in a multi-paper scan.
_NEW_DOC_SCORE = 6.0


def split_documents(pages: list[PageText]) -> list[list[PageText]]:
    """Group consecutive pages into papers, dropping blank pages.

    A page with a strong title of another type starts a new paper; an all-blank file gives
    one empty paper so that it is still recorded.
    """
    groups: list[list[PageText]] = []
    current_type: str | None = None
    for page in pages:
        if page.blank:
            continue
        result = classify(page.text)
        strong = result.scores.get(result.doc_type, 0.0) >= _NEW_DOC_SCORE
        if groups and not (strong and result.doc_type != current_type):
            groups[-1].append(page)
            continue
        groups.append([page])
        current_type = result.doc_type
    if not groups and pages:
        groups.append(pages[:1])
    return groups

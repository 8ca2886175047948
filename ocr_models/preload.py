"""Post-correction's word lists, built on import: for the OCR workers' forkserver.

`pipeline.pagepool` has the forkserver import this before it forks a worker, so every
worker starts with the syllable list, the tone context and the rest of post-correction's
lazily loaded parts already built (~0.085 s each, which every worker otherwise spent on
its first page) and shares their memory with the server until written to.
"""

from ocr_models.postcorrect import default_corrector, postcorrect

default_corrector()
# One line through every step (names, terms, provinces, the card zone's check) loads the
# modules and tables they keep for later pages.
postcorrect("Họ và tên: NGUYÊN VĂN AN, tỉnh Bac Ninh\nIDVNM0123456789<<<<")

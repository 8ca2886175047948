"""Post-correction's word lists, built on import: for the OCR workers' forkserver.

`pipeline.pagepool` has the forkserver import this before it forks a worker, so every
worker starts with the syllable list and the tone context already built (~0.075 s each,
which every worker otherwise spent on its first page) and shares their memory with the
server until written to.
"""

from ocr_models.postcorrect import default_corrector

default_corrector()

"""A page task for the page-pool tests that kills its worker on page 2 (importable by workers)."""

import os
import time
from pathlib import Path

from pipeline.decode import PageInput
from pipeline.models import PageText


def die_on_page_two(page: PageInput, short: str, keep: Path | None) -> PageText:
    if page.number == 2:
        time.sleep(0.5)  # let page 1 finish first, so the test is not a race
        os._exit(139)  # what a segfaulting Tesseract looks like from outside
    return PageText(page.number, "trang", 1.0, "ocr")

"""Page tasks for the page-pool tests (importable by workers): one kills its worker on page 2."""

import gc
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


def gc_state(page: PageInput, short: str, keep: Path | None) -> PageText:
    """The worker's cycle collector settings, as the page's text."""
    frozen = gc.get_freeze_count() > 0
    return PageText(page.number, f"{gc.get_threshold()[0]} {frozen}", 1.0, "ocr")


def worker_ids(page: PageInput, short: str, keep: Path | None) -> PageText:
    """The worker's process id and its parent's (the forkserver), as the page's text."""
    return PageText(page.number, f"{os.getpid()} {os.getppid()}", 1.0, "ocr")


def context_state(page: PageInput, short: str, keep: Path | None) -> PageText:
    """Whether the worker found the post-correction's tone context built, as the page's text."""
    from ocr_models.context import default_context

    return PageText(page.number, str(default_context.cache_info().currsize), 1.0, "ocr")

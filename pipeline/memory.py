"""Hand freed page buffers back to the system between pages (glibc malloc).

A page image is 10–35 MB and every cleaning step makes a few. glibc serves blocks that big
with mmap, but after the first one is freed it raises its mmap threshold to that size, so
later page buffers come from the heap, which it seldom shrinks: a worker's resident memory
creeps up page after page (a 100-page scan peaked at 1258 MB summed RSS untuned).

Two fixes were measured (docs/BENCHMARKS.md). Fixing the mmap threshold low keeps every
big buffer mapped and returned on free, but each new buffer is then faulted in afresh:
a page cost 14 % more CPU. Leaving the thresholds alone and trimming the heap once a page
is done (`release_freed`) keeps the buffers reused within a page and returns them between
pages, for ~1 % CPU. Both cap the arenas (worker threads of Prefect or the web app would
each get one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger(__name__)

_M_ARENA_MAX = -8
_ARENAS = 2

_libc: ctypes.CDLL | None = None
_tuned = False


def _glibc() -> ctypes.CDLL | None:
    global _libc
    if _libc is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc only
        except (OSError, AttributeError):
            return None  # not glibc (musl, macOS): nothing to tune
        _libc = libc
    return _libc


def tune_malloc() -> bool:
    """Cap glibc's arenas; False where not glibc."""
    global _tuned
    libc = _glibc()
    if libc is None:
        return False
    if not _tuned:
        _tuned = libc.mallopt(_M_ARENA_MAX, _ARENAS) == 1
        if not _tuned:
            log.debug("mallopt refused M_ARENA_MAX; malloc left as it is")
    return _tuned


def release_freed() -> bool:
    """Return the heap's free memory to the system (after a page); False where not glibc."""
    libc = _glibc()
    return libc is not None and libc.malloc_trim(0) in (0, 1)


# A page worker allocates hundreds of thousands of small objects a page (a PDF text layer:
# pdfminer's tokens, characters and their dicts). At Python's default threshold (700) the
# collector ran every ~700 of them and scanned the worker's loaded modules again and again:
# ~13 % of a worker's CPU on born-digital pages (docs/BENCHMARKS.md).
_GC_YOUNG = 5000


def tune_gc() -> None:
    """Collect cycles less often in a page worker, never rescanning what it loaded at start."""
    gc.freeze()  # the imported code and the engine stay: leave them out of every collection
    gc.set_threshold(_GC_YOUNG, *gc.get_threshold()[1:])

"""OCR the pages of a file across cores: one process per core, one loaded model each.

Pages stream through a bounded window, so memory does not grow with page count, and come
back in page order. A worker that dies (a Tesseract crash) costs its page, which is
recorded as failed, not the document.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from ocr_models.engines import OcrEngine, TesseractEngine, TesserocrEngine
from pipeline.decode import PageInput, close_opened
from pipeline.memory import release_freed, tune_gc, tune_malloc
from pipeline.models import PageText

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSpec:
    """What a worker needs to build its own engine (live engines do not pickle)."""

    kind: str
    lang: str
    timeout_s: float

    @classmethod
    def of(cls, engine: OcrEngine) -> EngineSpec | None:
        """The spec of a real engine; None for anything else (fakes run in-process)."""
        if isinstance(engine, TesserocrEngine | TesseractEngine):
            return cls(engine.name, engine.lang, engine.timeout_s)
        return None

    def build(self) -> OcrEngine:
        """A fresh engine of this kind."""
        cls = TesserocrEngine if self.kind == "tesserocr" else TesseractEngine
        return cls(self.lang, self.timeout_s)


_worker_engine: OcrEngine | None = None

# What the forkserver imports before it forks a worker: the time to a pool's first page.
# `ocr_models.preload` builds the post-correction's word lists there, once for all workers.
WORKER_MODULES = ("pipeline.ocr", "ocr_models.engines", "ocr_models.preload")


def _exit_with(parent: int) -> None:
    """End this worker when the process that started the pool ends, however it ends.

    A worker holds its own end of the task queue, so it never sees the queue close; and
    the forkserver lives while any worker does. Without this, a `dossier` job killed by a
    scheduler (SIGTERM or SIGKILL: no atexit) left its forkserver and workers running.
    """
    try:
        handle = os.pidfd_open(parent)  # readable once the process has ended
    except ProcessLookupError:
        os._exit(0)
    except OSError:  # no pidfd (old kernel, seccomp): look every second instead
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _alive(parent):
                time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        pass
    return True


def _init_worker(spec: EngineSpec, parent: int) -> None:
    global _worker_engine
    _exit_with(parent)
    # One thread per worker: OpenMP threads fight each other (DOMAIN: ~6× slower), and
    # OpenCV's own pool would start one thread per core in every worker.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    tune_malloc()
    import cv2

    cv2.setNumThreads(1)
    _worker_engine = spec.build()
    tune_gc()


def _ocr_in_worker(page: PageInput, short: str, keep: Path | None) -> PageText:
    from pipeline.ocr import ocr_page

    assert _worker_engine is not None
    try:
        return ocr_page(page, _worker_engine, short=short, keep=keep)
    finally:
        release_freed()


# (page, document short hash, folder to keep the corrected page image in) → page text
PageTask = Callable[[PageInput, str, Path | None], PageText]


def _ping() -> bool:
    return True


class PagePool:
    """A reusable pool of OCR worker processes for one engine spec.

    Workers come from a forkserver: forking the caller itself could copy a lock held by
    another thread (Prefect, a progress bar) and hang the worker. A forkserver child
    imports the caller's main module, so a script without an `if __name__ == "__main__"`
    guard cannot start workers; the pool then OCRs in-process instead of failing pages.
    """

    def __init__(self, spec: EngineSpec, workers: int, task: PageTask | None = None) -> None:
        self.spec = spec
        self.workers = workers
        self.task = task or _ocr_in_worker
        self._pool: ProcessPoolExecutor | None = None
        self._usable: bool | None = None
        self._pings: list[Future[bool]] = []
        self._local: OcrEngine | None = None
        self._lock = threading.Lock()  # flows may OCR several files from threads at once

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("forkserver")
                # Workers fork from a server that has imported OpenCV, NumPy and the OCR
                # code once: a pool starts ~0.2 s sooner (the server holds ~55 MB more).
                # Only heeded before the first forkserver pool of the process starts.
                ctx.set_forkserver_preload(list(WORKER_MODULES))
                self._pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=ctx,
                    initializer=_init_worker,
                    initargs=(self.spec, os.getpid()),
                )
            return self._pool

    def start(self) -> None:
        """Start the workers without waiting for them (once; `usable` waits)."""
        if self._usable is None and not self._pings:
            try:
                # One ping per worker starts them all at once (the executor starts one per
                # task it cannot place).
                self._pings = [self._executor().submit(_ping) for _ in range(self.workers)]
            except (BrokenProcessPool, OSError, RuntimeError) as e:
                self._unusable(e)

    def usable(self) -> bool:
        """True when worker processes start (checked once)."""
        self.start()
        if self._usable is None:
            try:
                self._usable = bool(self._pings[0].result(timeout=120))  # the first will do
            except (BrokenProcessPool, TimeoutError, OSError, RuntimeError) as e:
                self._unusable(e)
        return bool(self._usable)

    def _unusable(self, error: BaseException) -> None:
        log.warning("OCR worker processes do not start (%s); OCR runs in-process", error)
        self.close()
        self._usable = False

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def map(
        self, pages: Iterable[PageInput], short: str, keep: Path | None = None
    ) -> Iterator[PageText]:
        """OCR pages in parallel; results in page order, at most 2 pages per worker queued.

        With `keep`, workers save each corrected page image there (see `ocr_page`). The
        first pages are read (decoded) while the workers start.
        """
        self.start()
        pages = iter(pages)
        first = list(islice(pages, 2 * self.workers))
        pages = chain(first, pages)
        if not self.usable():
            from pipeline.ocr import ocr_page

            self._local = self._local or self.spec.build()
            try:
                for page in pages:
                    yield ocr_page(page, self._local, short=short, keep=keep)
                    release_freed()
            finally:
                close_opened()
            return
        window: deque[tuple[PageInput, Future[PageText]]] = deque()
        for page in pages:
            window.append((page, self._executor().submit(self.task, page, short, keep)))
            if len(window) >= 2 * self.workers:
                yield self._result(*window.popleft(), short)
        while window:
            yield self._result(*window.popleft(), short)

    def _result(self, page: PageInput, future: Future[PageText], short: str) -> PageText:
        release_freed()  # the pages handed back before this one are gone by now
        try:
            return future.result()
        except BrokenProcessPool:
            log.warning("%s: page %d: OCR worker died; page marked failed", short, page.number)
            self.close()
            shape = page.image.shape if page.image is not None else (0, 0)
            return PageText(
                page.number, "", 0.0, "failed", width=shape[1], height=shape[0],
                warnings=[f"page {page.number}: OCR worker crashed"],
            )  # fmt: skip


_POOLS: dict[tuple[EngineSpec, int], PagePool] = {}


def shared_pool(spec: EngineSpec, workers: int) -> PagePool:
    """The process-wide pool for this engine spec, started on first use."""
    key = (spec, workers)
    tune_malloc()  # this process holds the pages in flight
    if key not in _POOLS:
        _POOLS[key] = PagePool(spec, workers)
    return _POOLS[key]


@atexit.register
def _close_pools() -> None:
    for pool in _POOLS.values():
        pool.close()


def default_workers() -> int:
    """One worker per core this process may use (`DOSSIER_PAGE_WORKERS` overrides it)."""
    override = os.environ.get("DOSSIER_PAGE_WORKERS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    return max(1, len(os.sched_getaffinity(0)))

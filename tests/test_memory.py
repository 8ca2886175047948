import subprocess
import sys

import pytest

from pipeline.memory import tune_malloc

# A child process frees a page-sized buffer after a smaller one was freed first: untuned
# glibc raises its mmap threshold and keeps the later buffer's pages on the heap.
_CHILD = """
import ctypes, sys
from pipeline.memory import tune_malloc
if sys.argv[1] == "tuned":
    assert tune_malloc()
import numpy as np, psutil
proc = psutil.Process()
for size in (8, 24, 24, 24):
    block = np.ones(size * 2**20, np.uint8)
    small = [np.ones(2**14, np.uint8) for _ in range(64)]  # keeps the heap top in use
    del block
print(proc.memory_info().rss // 2**20)
"""


def _rss_after(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc only")
def test_tuned_malloc_returns_freed_page_buffers() -> None:
    assert tune_malloc() and tune_malloc()  # idempotent
    assert _rss_after("tuned") < _rss_after("untuned")

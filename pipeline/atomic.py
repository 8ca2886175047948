"""Atomic writes: a temp file beside the target, fsync, then rename; never a half file."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import TransientError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same directory, fsync and rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except OSError as e:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise TransientError(f"cannot write {path}: {e}", hint="check free disk space") from e


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temp path beside `path`, renamed onto it (after fsync) when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as e:
        raise TransientError(f"cannot write {path}: {e}", hint="check free disk space") from e
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def atomic_write_json(path: Path, obj: Any) -> None:
    """Atomically write pretty JSON (UTF-8, unescaped Vietnamese)."""
    atomic_write_bytes(path, json.dumps(obj, ensure_ascii=False, indent=2).encode() + b"\n")

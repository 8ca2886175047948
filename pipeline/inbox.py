"""The inbox: which files are complete (stable) and safe to take, and how they leave it.

A file is taken only when its size and modification time have not changed for a settle
delay, so a scan still being copied or uploaded is never read half-written.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.intake import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """Size and modification time of one file when it was looked at."""

    path: Path
    size: int
    mtime_ns: int


def snapshot(path: Path) -> Snapshot | None:
    """Current size and mtime, or None when the file vanished or cannot be stat'ed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return Snapshot(path, st.st_size, st.st_mtime_ns)


def _candidates(inbox: Path) -> list[Path]:
    """Regular files with a scan suffix, not hidden (partial uploads often start with a dot)."""
    if not inbox.is_dir():
        return []
    return sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(inbox).parts)
    )


def stable_files(inbox: Path, settle_s: float, *, now: float | None = None) -> list[Snapshot]:
    """Files untouched for at least `settle_s` seconds, with the snapshot to re-check later."""
    now = time.time() if now is None else now
    out = []
    for path in _candidates(inbox):
        snap = snapshot(path)
        if snap is None:
            continue
        if now - snap.mtime_ns / 1e9 >= settle_s:
            out.append(snap)
        else:
            log.info(
                "inbox: %s changed %.0f s ago; waiting for it to settle",
                path,
                now - snap.mtime_ns / 1e9,
            )
    return out


def unchanged(snap: Snapshot) -> bool:
    """True when the file still has the size and mtime it had when it was picked."""
    current = snapshot(snap.path)
    return current is not None and (current.size, current.mtime_ns) == (snap.size, snap.mtime_ns)


def symlinks_outside(inbox: Path) -> list[Path]:
    """Symbolic links in the inbox; they are never followed (they may point anywhere)."""
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.rglob("*") if p.is_symlink())


def release(snap: Snapshot, archived_copy: Path | None) -> str:
    """Remove an inbox file once a verified copy of it is in the archive.

    Returns what happened, for the run report. A file that changed since it was picked, or
    whose copy is missing or differs in size, stays in the inbox for the next run.
    """
    if archived_copy is None or not archived_copy.is_file():
        return "kept: no archived copy"
    if not unchanged(snap):
        return "kept: changed while processing"
    if archived_copy.stat().st_size != snap.size:
        return "kept: archived copy differs"
    try:
        snap.path.unlink()
    except OSError as e:
        return f"kept: {e.strerror or e}"
    return "moved to archive"

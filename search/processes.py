"""Process helpers shared by the local services: status record, pidfiles, stop, log tails."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

log = logging.getLogger(__name__)


@dataclass
class ServiceStatus:
    """What one local service looks like right now."""

    name: str
    running: bool
    url: str
    health: str | None = None
    version: str | None = None
    pid: int | None = None
    detail: str | None = None
    ready: bool = False

    def as_json(self) -> dict[str, object]:
        """Plain JSON form, as printed by `dossier services status --json`."""
        return asdict(self)


def alive_pid(pidfile: Path, marker: str) -> int | None:
    """The pid in `pidfile` if that process is alive and its command line contains `marker`."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = " ".join(psutil.Process(pid).cmdline())
    except (OSError, ValueError, psutil.Error):
        return None
    return pid if marker in cmdline else None


def stop_processes(procs: list[psutil.Process], timeout_s: float) -> None:
    """SIGTERM the processes, wait up to `timeout_s`, then SIGKILL what is left."""
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _, alive = psutil.wait_procs(procs, timeout=timeout_s)
    for proc in alive:
        log.warning("pid %d ignored SIGTERM for %.0f s; killing it", proc.pid, timeout_s)
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=10)


def tail_lines(path: Path, n: int = 20) -> str:
    """The last `n` lines of a log file, or a note that it is empty or missing."""
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 16384))
            lines = f.read().decode("utf-8", "replace").splitlines()[-n:]
    except OSError:
        return "(no log written)"
    return "\n".join(lines) if lines else "(log is empty)"

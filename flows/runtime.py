"""Point Prefect at the local server when it is up; otherwise it runs embedded.

Must run before `prefect` is imported: Prefect reads these settings at import time.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from pipeline.config import Settings

EMBEDDED_STARTUP_TIMEOUT_S = 180


def prefect_server_up(settings: Settings, timeout_s: float = 1.5) -> bool:
    """True when the local Prefect server answers its health check."""
    try:
        with urllib.request.urlopen(f"{settings.prefect_api_url}/health", timeout=timeout_s) as r:
            return bool(json.loads(r.read() or b"false"))
    except (OSError, urllib.error.URLError, ValueError):
        return False


def configure_prefect(settings: Settings, *, quiet: bool = True) -> str:
    """Set Prefect's environment for this process; returns "server" or "embedded"."""
    os.environ.setdefault("PREFECT_HOME", str(settings.home_path / "prefect"))
    # Embedded mode keeps its SQLite database there; Prefect does not create the folder.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # Embedded mode starts a temporary server that first migrates a fresh SQLite database:
    # 25 s on a busy 2-core machine, past Prefect's 20 s default, and the run then failed.
    os.environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(EMBEDDED_STARTUP_TIMEOUT_S)
    )
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if "PREFECT_API_URL" not in os.environ and prefect_server_up(settings):
        os.environ["PREFECT_API_URL"] = settings.prefect_api_url
    return "server" if os.environ.get("PREFECT_API_URL") else "embedded"

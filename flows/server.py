"""The local Prefect server (SQLite) behind `dossier services`: start detached, check, stop."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from pipeline.config import Settings
from pipeline.errors import DependencyError
from search.processes import ServiceStatus, alive_pid, stop_processes, tail_lines

log = logging.getLogger(__name__)

# Status probes must answer fast even when the port drops packets.
PROBE_TIMEOUT_S = 2.0
SERVER_MARKER = "prefect"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def prefect_dir(settings: Settings) -> Path:
    """`$DOSSIER_HOME/prefect`: the server's database, log, pidfile and PREFECT_HOME."""
    return settings.home_path / "prefect"


def _get_json(url: str) -> object:
    with _OPENER.open(url, timeout=PROBE_TIMEOUT_S) as response:
        return json.loads(response.read())


def prefect_status(settings: Settings) -> ServiceStatus:
    """Ask the server at `settings.prefect_api_url` for its health and version."""
    api = settings.prefect_api_url
    pid = alive_pid(prefect_dir(settings) / "server.pid", SERVER_MARKER)
    try:
        healthy = _get_json(f"{api}/health") is True
        version = _get_json(f"{api}/admin/version")
    except (OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        detail = (
            f"process {pid} is up, HTTP not yet: {reason}" if pid else f"not reachable: {reason}"
        )
        return ServiceStatus("prefect", False, api, pid=pid, detail=detail)
    owner = f"managed, files in {prefect_dir(settings)}" if pid else "not started by dossier"
    return ServiceStatus(
        "prefect",
        True,
        api,
        health="healthy" if healthy else "unhealthy",
        version=str(version),
        pid=pid,
        detail=owner,
        ready=healthy,
    )


def _server_command(settings: Settings) -> list[str]:
    """`<venv>/bin/prefect server start …`, or `python -m prefect` without the script."""
    script = Path(sys.executable).parent / "prefect"
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "prefect"]
    host, port = settings.prefect_host, str(settings.prefect_port)
    return [*base, "server", "start", "--host", host, "--port", port, "--analytics-off"]


def _server_env(settings: Settings) -> dict[str, str]:
    """The caller's environment without its PREFECT_* settings, plus the server's own."""
    home = prefect_dir(settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
    )
    return env


def prefect_start(settings: Settings, timeout_s: float = 120.0) -> ServiceStatus:
    """Start the server detached (idempotent) and wait until `/api/health` answers."""
    status = prefect_status(settings)
    if status.running and (status.ready or status.pid is None):
        return status
    home = prefect_dir(settings)
    home.mkdir(parents=True, exist_ok=True)
    proc: subprocess.Popen[bytes] | None = None
    if status.pid is None:  # else ours and still starting (a concurrent `up`): just wait
        log.info("starting the Prefect server at %s (files in %s)", settings.prefect_api_url, home)
        with (home / "server.log").open("wb") as out:
            proc = subprocess.Popen(
                _server_command(settings),
                cwd=home,
                env=_server_env(settings),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        (home / "server.pid").write_text(f"{proc.pid}\n")
    return _wait_ready(settings, proc, timeout_s)


def _wait_ready(
    settings: Settings, proc: subprocess.Popen[bytes] | None, timeout_s: float
) -> ServiceStatus:
    """Poll until healthy; on exit or timeout stop what was started and point at the log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = prefect_status(settings)
        if status.ready:
            log.info("Prefect server %s is up at %s", status.version, status.url)
            return status
        if proc is not None and proc.poll() is not None:
            raise _start_failed(settings, f"the server exited with code {proc.returncode}")
        time.sleep(0.5)
    prefect_stop(settings, timeout_s=10)
    raise _start_failed(settings, f"not healthy after {timeout_s:.0f} s, so it was stopped")


def _start_failed(settings: Settings, why: str) -> DependencyError:
    server_log = prefect_dir(settings) / "server.log"
    return DependencyError(
        f"the Prefect server did not start: {why}. Log: {server_log}; last lines:\n"
        f"{tail_lines(server_log)}\n",
        hint=f"read {server_log}; is port {settings.prefect_port} taken? (DOSSIER_PREFECT_PORT)",
    )


def prefect_stop(settings: Settings, timeout_s: float = 30.0) -> None:
    """Stop the server this installation started, with its worker processes."""
    pidfile = prefect_dir(settings) / "server.pid"
    pid = alive_pid(pidfile, SERVER_MARKER)
    if pid is None:
        if prefect_status(settings).running:
            log.warning(
                "%s was not started by this DOSSIER_HOME: left alone", settings.prefect_api_url
            )
    else:
        log.info("stopping the Prefect server (pid %d)", pid)
        try:
            server = psutil.Process(pid)
            stop_processes([server, *server.children(recursive=True)], timeout_s)
        except psutil.NoSuchProcess:
            pass
    pidfile.unlink(missing_ok=True)


def prefect_client_env(settings: Settings) -> dict[str, str]:
    """Environment that points Prefect clients at the local server; empty when it is down."""
    if not prefect_status(settings).ready:
        return {}
    return {
        "PREFECT_API_URL": settings.prefect_api_url,
        "PREFECT_HOME": str(prefect_dir(settings)),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }

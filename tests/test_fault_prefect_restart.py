"""The Prefect server killed (SIGKILL) mid-batch and restarted: the next run works, no duplicates.

A real `prefect server` of its own (own port, own SQLite database under a temporary
DOSSIER_HOME) runs for this test; `dossier ingest` talks to it as in production. The archive,
not Prefect's database, is the record, so whatever the killed run left behind is finished
by the next run without processing or indexing anything twice.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from test_faults import _cards

from flows.server import prefect_dir, prefect_start, prefect_status, prefect_stop
from pipeline.archive import Archive
from pipeline.config import Settings
from search.indexer import count

pytestmark = pytest.mark.integration
N_CARDS = 6
RESTART_AFTER_S = 2.0
FIRST_RUN_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kill_server(s: Settings) -> None:
    """SIGKILL the server and its children (no clean shutdown, like a power cut)."""
    pid = int((prefect_dir(s) / "server.pid").read_text())
    server = psutil.Process(pid)
    procs = [server, *server.children(recursive=True)]
    for proc in procs:
        proc.send_signal(signal.SIGKILL)
    psutil.wait_procs(procs, timeout=10)
    assert not prefect_status(s).running


def _env(s: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {
        **env, "DOSSIER_HOME": str(s.home), "DOSSIER_ARCHIVE_DIR": str(s.archive_path),
        "DOSSIER_ES_URL": s.es_url, "DOSSIER_INDEX_PREFIX": s.index_prefix,
        "DOSSIER_PREFECT_PORT": str(s.prefect_port), "PREFECT_API_URL": s.prefect_api_url,
    }  # fmt: skip


def _json_report(log: Path) -> dict:
    """The `--json` report among the log lines the run wrote beside it."""
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if line.startswith('{"'):
            return dict(json.loads(line))
    raise AssertionError("no JSON report in:\n" + log.read_text(errors="replace")[-3000:])


def _flow_run_states(s: Settings) -> list[str]:
    request = urllib.request.Request(
        f"{s.prefect_api_url}/flow_runs/filter", data=b"{}", method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as r:
        return [run["state_type"] for run in json.loads(r.read())]


def test_prefect_server_killed_mid_batch_then_restarted(
    tmp_path: Path, settings: Settings, es_node
) -> None:
    s = Settings(
        home=tmp_path / "home", archive_dir=tmp_path / "archive", es_url=settings.es_url,
        index_prefix=f"{settings.index_prefix}-pfkill", prefect_port=_free_port(),
    )  # fmt: skip
    scans = tmp_path / "scans"
    scans.mkdir()
    _cards(scans, N_CARDS)
    prefect_start(s)
    try:
        log = tmp_path / "first-run.log"
        with log.open("wb") as out:
            first = subprocess.Popen(
                [sys.executable, "-m", "flows.cli", "ingest", str(scans), "--json"],
                env=_env(s), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        records = s.archive_path / "records"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and first.poll() is None:
            if list(records.glob("*/*/file.json")):
                break
            time.sleep(0.05)
        _kill_server(s)  # the server dies while the batch is running ...
        time.sleep(RESTART_AFTER_S)
        prefect_start(s)  # ... and comes back on the same SQLite database
        try:
            first.wait(timeout=FIRST_RUN_TIMEOUT_S)  # its client reconnects and finishes
        except subprocess.TimeoutExpired:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
            pytest.fail("the ingest hung after the Prefect restart:\n" + log.read_text()[-3000:])
        assert first.returncode == 0, log.read_text(errors="replace")[-3000:]
        assert sorted(f["status"] for f in _json_report(log)["files"]) == ["processed"] * N_CARDS
        res = subprocess.run(
            [sys.executable, "-m", "flows.cli", "ingest", str(scans), "--json"],
            env=_env(s), capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr[-3000:]
        report = json.loads(res.stdout)
        statuses = [f["status"] for f in report["files"]]
        assert statuses == ["duplicate"] * N_CARDS  # nothing processed or indexed twice
        assert _flow_run_states(s).count("COMPLETED") >= 1  # the runs are on the server
    finally:
        prefect_stop(s, timeout_s=10)

    archive = Archive(s.archive_path)
    ids = [r["id"] for r in archive.iter_records()]
    assert len(ids) == len(set(ids)) == N_CARDS
    assert all(r["index_state"] == "indexed" for r in archive.iter_records())
    assert count(es_node, s) == N_CARDS

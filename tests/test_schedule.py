"""The nightly schedule on a real Prefect server, and a real worker running a deployment."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hostile import text_pdf
from test_services import free_port

from flows.schedule import TIMEZONE, install, next_runs, server_api, show
from flows.server import prefect_start, prefect_stop
from pipeline.archive import Archive
from pipeline.config import Settings

pytestmark = pytest.mark.integration
VN = ZoneInfo(TIMEZONE)


def test_next_runs_are_1am_vietnam_time() -> None:
    before = datetime(2026, 3, 1, 0, 30, tzinfo=VN)
    after = datetime(2026, 3, 1, 2, 0, tzinfo=VN)
    assert next_runs("0 1 * * *", TIMEZONE, 2, before) == [
        "2026-03-01T01:00:00+07:00",
        "2026-03-02T01:00:00+07:00",
    ]
    assert next_runs("0 1 * * *", TIMEZONE, 1, after) == ["2026-03-02T01:00:00+07:00"]
    # 01:00 in Hanoi is 18:00 UTC the day before.
    utc = datetime.fromisoformat(next_runs("0 1 * * *", TIMEZONE, 1, before)[0])
    assert utc.astimezone(ZoneInfo("UTC")).hour == 18


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[Settings]:
    home = tmp_path_factory.mktemp("prefect-server")
    s = Settings(
        home=home, prefect_port=free_port(), index_prefix=settings.index_prefix + "-sched",
        es_url=settings.es_url,
    )  # fmt: skip
    prefect_start(s)
    try:
        yield s
    finally:
        prefect_stop(s)


def test_install_then_show(server: Settings) -> None:
    install(server)
    install(server)  # idempotent: updates the same deployment
    [dep] = show(server)
    assert dep["name"] == "nightly-digitisation/nightly"
    assert dep["work_pool"] == "dossier"
    [sched] = dep["schedules"]
    assert (sched["cron"], sched["timezone"], sched["active"]) == ("0 1 * * *", TIMEZONE, True)
    runs = [datetime.fromisoformat(r) for r in sched["next_runs"]]
    assert all(r.utcoffset() == timedelta(hours=7) and (r.hour, r.minute) == (1, 0) for r in runs)
    assert runs[0] > datetime.now(VN) and runs[1] - runs[0] == timedelta(days=1)


def test_worker_runs_the_deployment(server: Settings, es_node, tmp_path: Path) -> None:
    install(server)
    inbox, archive_dir = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    text_pdf(inbox / "letter.pdf", ["THÔNG BÁO", "V/v lịch tiếp công dân", "Số: 5/TB-UBND"])
    env = {
        **os.environ,
        "DOSSIER_HOME": str(server.home_path),
        "DOSSIER_INBOX_DIR": str(inbox),
        "DOSSIER_ARCHIVE_DIR": str(archive_dir),
        "DOSSIER_INDEX_PREFIX": server.index_prefix,
        "DOSSIER_PREFECT_PORT": str(server.prefect_port),
        "PREFECT_API_URL": server.prefect_api_url,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "worker", "start"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        state = asyncio.run(_run_and_wait(server, {"settle_seconds": 0}, timeout_s=240))
    finally:
        _stop(worker)
    assert state == "COMPLETED"
    [record] = Archive(archive_dir).iter_records()
    assert record["source_file"] == "letter.pdf"
    assert not (inbox / "letter.pdf").exists()


def _stop(worker: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the worker's process group if Prefect's shutdown drags on.

    On a loaded 2-core CI machine it once took over 30 s after the run had finished; the
    test is about the run, not about how fast Prefect's worker shuts down.
    """
    worker.terminate()
    try:
        worker.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)


async def _run_and_wait(server: Settings, params: dict, timeout_s: float) -> str:
    from prefect.client.orchestration import get_client

    with server_api(server):
        async with get_client() as client:
            dep = await client.read_deployment_by_name("nightly-digitisation/nightly")
            run = await client.create_flow_run_from_deployment(dep.id, parameters=params)
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                current = await client.read_flow_run(run.id)
                if current.state and current.state.is_final():
                    return current.state.type.value
                await asyncio.sleep(2)
    return "TIMEOUT"

"""Deployments on a process work pool: install the nightly schedule and list what is planned.

Needs the Prefect server (`dossier services up`): embedded mode cannot run schedules.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.config import Settings
from pipeline.errors import DependencyError

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
WORK_POOL = "dossier"
NIGHTLY_CRON = "0 1 * * *"
TIMEZONE = "Asia/Ho_Chi_Minh"
# name → (entrypoint, cron or None for on-demand)
DEPLOYMENTS: dict[str, tuple[str, str | None]] = {
    "nightly": ("flows/nightly.py:nightly_digitisation", NIGHTLY_CRON),
}


def require_server(settings: Settings) -> None:
    """Raise a DependencyError saying how to start the Prefect server when it is down."""
    from flows.runtime import prefect_server_up

    if not prefect_server_up(settings):
        raise DependencyError(
            f"the Prefect server is not running at {settings.prefect_api_url}",
            hint="start it with `dossier services up` (schedules need the server)",
        )


@contextmanager
def server_api(settings: Settings) -> Iterator[None]:
    """Talk to the configured Prefect server for the duration of the block."""
    require_server(settings)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: settings.prefect_api_url}):
        yield


async def _ensure_pool(pool: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    async with get_client() as client:
        try:
            await client.read_work_pool(pool)
        except ObjectNotFound:
            await client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
            log.info("created process work pool %s", pool)


def install(settings: Settings, *, cron: str = NIGHTLY_CRON, pool: str = WORK_POOL) -> str:
    """Create or update the nightly deployment (cron in Asia/Ho_Chi_Minh); returns its id."""
    with server_api(settings):
        from prefect import flow
        from prefect.client.schemas.schedules import CronSchedule

        asyncio.run(_ensure_pool(pool))
        entrypoint = DEPLOYMENTS["nightly"][0]
        deployable = flow.from_source(source=str(REPO_ROOT), entrypoint=entrypoint)
        deployment_id = deployable.deploy(  # type: ignore[attr-defined]
            name="nightly",
            work_pool_name=pool,
            schedules=[CronSchedule(cron=cron, timezone=TIMEZONE)],
            build=False,
            push=False,
            print_next_steps=False,
            ignore_warnings=True,
            description="Digitise what the counters dropped in the inbox (DOSSIER_INBOX_DIR).",
        )
    return str(deployment_id)


async def _next_runs(cron: str, timezone: str, n: int, start: datetime | None) -> list[str]:
    from prefect.server.schemas.schedules import CronSchedule as ServerCron

    start = start or datetime.now(ZoneInfo(timezone))
    dates = await ServerCron(cron=cron, timezone=timezone).get_dates(n=n, start=start)
    return [d.astimezone(ZoneInfo(timezone)).isoformat() for d in dates]


def next_runs(cron: str, timezone: str, n: int = 3, start: datetime | None = None) -> list[str]:
    """The next `n` run times of a cron schedule, as Prefect's scheduler computes them."""
    return asyncio.run(_next_runs(cron, timezone, n, start))


async def _deployments() -> list[dict[str, Any]]:
    from prefect.client.orchestration import get_client

    out = []
    async with get_client() as client:
        for dep in await client.read_deployments():
            flow_ = await client.read_flow(dep.flow_id)
            schedules = []
            for s in dep.schedules:
                cron = getattr(s.schedule, "cron", None)
                tz = getattr(s.schedule, "timezone", None) or "UTC"
                schedules.append(
                    {"cron": cron, "timezone": tz, "active": s.active,
                     "next_runs": await _next_runs(cron, tz, 3, None) if cron else []}
                )  # fmt: skip
            out.append(
                {"name": f"{flow_.name}/{dep.name}", "id": str(dep.id),
                 "work_pool": dep.work_pool_name, "paused": dep.paused, "schedules": schedules}
            )  # fmt: skip
    return out


def show(settings: Settings) -> list[dict[str, Any]]:
    """Every deployment on the server with its schedules and next run times."""
    with server_api(settings):
        return asyncio.run(_deployments())

"""`dossier schedule install|show` and `dossier worker start`."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline.config import get_settings

schedule_app = typer.Typer(help="Install and inspect the nightly digitisation schedule.")
worker_app = typer.Typer(help="Run a Prefect worker that executes scheduled and queued runs.")
console = Console()


@schedule_app.command("install")
def install_cmd(
    cron: Annotated[str, typer.Option(help="Cron in Asia/Ho_Chi_Minh time.")] = "0 1 * * *",
) -> None:
    """Create or update the nightly deployment on the `dossier` process work pool."""
    from flows.schedule import TIMEZONE, install, next_runs

    deployment_id = install(get_settings(), cron=cron)
    console.print(f"deployment nightly-digitisation/nightly ({deployment_id}): {cron} {TIMEZONE}")
    console.print("next runs: " + ", ".join(next_runs(cron, TIMEZONE)))
    console.print("run a worker to execute them: dossier worker start")


@schedule_app.command("show")
def show_cmd(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List deployments with their schedules and next run times."""
    from flows.schedule import show

    deployments = show(get_settings())
    if as_json:
        typer.echo(json.dumps({"deployments": deployments}, ensure_ascii=False))
        return
    table = Table(title="Deployments")
    for col in ("deployment", "work pool", "cron", "timezone", "next runs"):
        table.add_column(col)
    for d in deployments:
        for s in d["schedules"] or [{"cron": "-", "timezone": "-", "next_runs": []}]:
            table.add_row(d["name"], d["work_pool"] or "", s["cron"], s["timezone"],
                          "\n".join(s["next_runs"]))  # fmt: skip
    console.print(table)


@worker_app.command("start")
def worker_start(
    pool: Annotated[str, typer.Option(help="Work pool to pull runs from.")] = "dossier",
    limit: Annotated[int | None, typer.Option(help="Max concurrent flow runs.")] = None,
) -> None:
    """Run a worker in the foreground (run several, on several machines, to scale out)."""
    from flows.schedule import require_server

    settings = get_settings()
    require_server(settings)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ["PREFECT_API_URL"] = settings.prefect_api_url
    prefect = shutil.which("prefect", path=str(Path(sys.executable).parent)) or "prefect"
    args = [prefect, "worker", "start", "--pool", pool, "--type", "process"]
    if limit:
        args += ["--limit", str(limit)]
    os.execvp(args[0], args)

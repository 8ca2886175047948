"""`dossier services`: start, stop and inspect the local Elasticsearch node and Prefect server."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.server import prefect_start, prefect_status, prefect_stop
from pipeline.config import Settings, get_settings
from pipeline.errors import DependencyError
from search.node import es_start, es_status, es_stop
from search.processes import ServiceStatus

app = typer.Typer(
    help="Run the local Elasticsearch node and Prefect server (files under $DOSSIER_HOME).",
    no_args_is_help=True,
)


class Service(StrEnum):
    """A service that `--only` can pick."""

    es = "es"
    prefect = "prefect"


OnlyOption = Annotated[
    Service | None, typer.Option("--only", help="Act on this service alone.", show_default=False)
]


def _statuses(settings: Settings) -> dict[str, ServiceStatus]:
    return {"elasticsearch": es_status(settings), "prefect": prefect_status(settings)}


def _print_table(statuses: dict[str, ServiceStatus]) -> None:
    console = Console()
    table = Table("service", "up", "health", "version", "pid")
    table.add_column("url", overflow="fold")
    for name, st in statuses.items():
        running = "[green]yes[/]" if st.running else "[red]no[/]"
        health = f"[{'green' if st.ready else 'yellow'}]{st.health or '-'}[/]"
        pid = str(st.pid) if st.pid else "-"
        table.add_row(name, running, health, st.version or "-", pid, st.url)
    console.print(table)
    for name, st in statuses.items():
        console.print(f"{name}: {st.detail or ''}", style="dim", highlight=False)


@app.command()
def up(only: OnlyOption = None) -> None:
    """Start the services (idempotent) and wait until they are healthy."""
    settings = get_settings()
    if only in (None, Service.es):
        Console(stderr=True).print(f"starting Elasticsearch at {settings.es_url} …")
        es_start(settings)
    if only in (None, Service.prefect):
        Console(stderr=True).print(f"starting the Prefect server at {settings.prefect_api_url} …")
        prefect_start(settings)
    _print_table(_statuses(settings))


@app.command()
def down(only: OnlyOption = None) -> None:
    """Stop the services this DOSSIER_HOME started (others are left alone)."""
    settings = get_settings()
    if only in (None, Service.prefect):
        prefect_stop(settings)
    if only in (None, Service.es):
        es_stop(settings)
    _print_table(_statuses(settings))


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show what is running; exit 0 only when every service is up and healthy (else 4)."""
    statuses = _statuses(get_settings())
    if as_json:
        typer.echo(json.dumps({name: st.as_json() for name, st in statuses.items()}, indent=2))
    else:
        _print_table(statuses)
    if not all(st.ready for st in statuses.values()):
        raise typer.Exit(DependencyError.exit_code)


if __name__ == "__main__":
    app()

"""`dossier serve`, `dossier user add|disable|reset-key|list`, `dossier audit`, `dossier stats`."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Annotated, Any

import typer

from pipeline.errors import InputError

user_app = typer.Typer(help="Web accounts: add, disable, reset API keys, list.")


def _settings() -> Any:
    from pipeline.config import get_settings

    return get_settings()


def _web() -> tuple[Any, Any]:
    """Settings plus the web app's database (users and audit log)."""
    from search.web.config import WebSettings
    from search.web.store import Store

    settings = _settings()
    return settings, Store(WebSettings().database(settings))


def _accounts() -> Any:
    from search.web.accounts import Accounts

    _, store = _web()
    return Accounts(store)


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise InputError(f"{option} {text!r} is not a date", hint="use YYYY-MM-DD") from e


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Run the officers' web app and REST API (OpenAPI at /docs) with uvicorn."""
    import uvicorn

    from search.web.app import create_app
    from search.web.audit import mask_log_handlers

    app = create_app(_settings())  # refuses a missing or weak DOSSIER_WEB_SECRET
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    config = uvicorn.Config(app, host=host, port=port, proxy_headers=False, log_level="info")
    server = uvicorn.Server(config)  # Config has installed uvicorn's handlers by now
    mask_log_handlers()
    typer.echo(f"dossier web app on http://{host}:{port}/ (API docs at /docs)", err=True)
    server.run()


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="officer, archivist or admin.")] = "officer",
    password: Annotated[
        str | None,
        typer.Option(help="Sign-in password (prompted when omitted; --no-password for API only)."),
    ] = None,
    no_password: Annotated[bool, typer.Option("--no-password", help="API key only.")] = False,
) -> None:
    """Create an account and print its API key (shown once)."""
    accounts = _accounts()
    if password is None and not no_password:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = accounts.add(username, role, password)
    key = accounts.reset_key(user.username)
    typer.echo(f"created {user.username} ({user.role}); API key (shown once):")
    typer.echo(key)


@user_app.command("disable")
def user_disable(
    username: str,
    enable: Annotated[bool, typer.Option("--enable", help="Enable it again instead.")] = False,
) -> None:
    """Disable an account: its sessions and API key stop working at once."""
    _accounts().set_disabled(username, not enable)
    typer.echo(f"{'enabled' if enable else 'disabled'} {username}")


@user_app.command("reset-key")
def user_reset_key(username: str) -> None:
    """Replace an account's API key and print the new one (shown once)."""
    typer.echo(_accounts().reset_key(username))


@user_app.command("password")
def user_password(username: str) -> None:
    """Set a new sign-in password (prompted)."""
    password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    _accounts().set_password(username, password)
    typer.echo(f"password of {username} changed")


@user_app.command("list")
def user_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every account (no secrets)."""
    users = _accounts().list()
    if as_json:
        _print_json({"users": users})
        return
    for u in users:
        state = "disabled" if u["disabled"] else "active"
        typer.echo(
            f"{u['username']:<20} {u['role']:<10} {state:<9} key={'yes' if u['has_key'] else 'no'}"
        )


def audit(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    user: Annotated[str | None, typer.Option("--user", help="Only this user.")] = None,
    action: Annotated[str | None, typer.Option(help="login, search, view, download, …")] = None,
    since: Annotated[str | None, typer.Option(help="From this date/time (ISO).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date/time (ISO).")] = None,
    contains: Annotated[str | None, typer.Option(help="Text in query, records or detail.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 100,
) -> None:
    """Search the web app's audit log (newest first)."""
    from search.web.audit import AuditFilter, AuditLog

    _, store = _web()
    entries = AuditLog(store).read(AuditFilter(user, action, since, until, contains, limit))
    for e in entries:
        if as_json:
            _print_json(e)
        else:
            records = ",".join(r[:12] for r in (e.get("records") or [])[:3])
            typer.echo(
                f"{e['at']}  {e['username'] or '-':<14} {e['ip'] or '-':<15} {e['action']:<9} "
                f"{e['outcome']:<16} {e['query'] or ''} {records}".rstrip()
            )


def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    start: Annotated[str | None, typer.Option("--from", help="First ingest day (ISO).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last ingest day (ISO).")] = None,
) -> None:
    """Papers digitised per day, by type and agency; review backlog; OCR confidence; reuse."""
    from pipeline.archive import Archive
    from search.web.stats import compute

    settings, store = _web()
    figures = compute(
        Archive(settings.archive_path), store, _day(start, "--from"), _day(end, "--to")
    )
    if as_json:
        _print_json(figures)
        return
    typer.echo(
        f"papers digitised: {figures['papers']}   review backlog: {figures['review_backlog']}"
    )
    reuse = figures["reuse"]
    rate = "-" if reuse["rate"] is None else f"{reuse['rate']:.0%}"
    typer.echo(
        f"reuse look-ups: {reuse['lookups']}, found reusable: {reuse['found_reusable']} ({rate})"
    )
    for row in figures["by_type"]:
        typer.echo(f"  {row['doc_type']:<28} {row['count']}")


def register(app: typer.Typer) -> None:
    """Mount the web commands on the `dossier` app."""
    app.command("serve")(serve)
    app.command("audit")(audit)
    app.command("stats")(stats)
    app.add_typer(user_app, name="user", help="Web accounts: add, disable, reset-key, list.")

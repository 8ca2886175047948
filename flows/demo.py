"""`dossier demo`: generate sample scans, ingest them, show searches, then hand over the web app."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from flows.render import IngestProgress, print_ingest_report, print_reuse, print_search
from flows.runtime import configure_prefect
from ocr_models.vietnamese import fold
from pipeline.config import Settings

console = Console()
DEMO_COUNT = 14  # one paper of every doc_type
DEMO_SEED = 2025
DEMO_USER = "demo"
WEB_URL = "http://127.0.0.1:8000/"
# Plain HTTP on 127.0.0.1: dev mode (a random signing key per start) and a non-Secure cookie.
SERVE_COMMAND = "DOSSIER_WEB_DEV=1 DOSSIER_WEB_SECURE_COOKIE=0 make serve"


@dataclass(frozen=True)
class DemoAccount:
    """The demo officer's sign-in, printed once at the end of the demo."""

    username: str
    password: str
    created: bool  # False: the account was already there and got a new password


def ensure_demo_account(settings: Settings) -> DemoAccount:
    """Create the `demo` officer, or give the existing one a fresh password (idempotent).

    An existing `demo` account with a higher role is left alone: the demo never resets the
    password of an archivist or an admin.
    """
    from pipeline.errors import InputError
    from search.web.accounts import Accounts
    from search.web.config import WebSettings
    from search.web.store import Store

    accounts = Accounts(Store(WebSettings().database(settings)))
    password = secrets.token_urlsafe(12)  # 16 characters, none that a shell would mangle
    existing = accounts.get(DEMO_USER)
    if existing is None:
        accounts.add(DEMO_USER, "officer", password)
        return DemoAccount(DEMO_USER, password, created=True)
    if existing.role != "officer":
        raise InputError(
            f"user {DEMO_USER!r} exists with role {existing.role}; the demo will not reset it",
            hint=f"sign in with your own account, or `dossier user disable {DEMO_USER}`",
        )
    accounts.set_password(DEMO_USER, password)
    if existing.disabled:
        accounts.set_disabled(DEMO_USER, False)
    return DemoAccount(DEMO_USER, password, created=False)


def print_web_instructions(account: DemoAccount) -> None:
    """How to start the web app on the demo's data and sign in (copy-pasteable)."""
    state = "created" if account.created else "password renewed"
    console.print("Start the officers' web app on the demo data (Ctrl-C stops it):")
    console.print(f"  {SERVE_COMMAND}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"then open {WEB_URL} and sign in", markup=False, highlight=False)
    console.print(f"  user:     {account.username}", markup=False, highlight=False)
    console.print(f"  password: {account.password}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"(role officer, {state}; a new password on every `make demo`)", markup=False)
    console.print(f"REST API docs: {WEB_URL}docs", markup=False, highlight=False)


def pick_person(records: list[dict[str, Any]]) -> dict[str, str] | None:
    """A person the pipeline found with a name and an ID number (ID cards first)."""
    ranked = sorted(records, key=lambda r: r["doc_type"] != "citizen_id_card")
    for record in ranked:
        f = record.get("fields", {})
        if "full_name" in f and "id_number" in f:
            return {"full_name": f["full_name"]["value"], "id_number": f["id_number"]["value"]}
    return None


def run_demo(settings: Settings, folder: Path | None, *, verbose: bool = False) -> None:
    """The main job on generated scans, end to end, with what an officer would see."""
    from search.client import connect

    connect(settings)  # fail fast with "start it with `dossier services up`"
    mode = configure_prefect(settings, quiet=not verbose)
    from flows.ingest import ingest_batch
    from pipeline.samples import generate

    folder = folder or settings.home_path / "demo-scans"
    console.rule("1. Generate sample scans")
    written = generate(folder, DEMO_COUNT, DEMO_SEED)
    console.print(f"{len(written)} scans with ground truth in {folder}")
    console.rule(f"2. Ingest them (Prefect flow, {mode} mode)")
    with IngestProgress(enabled=console.is_terminal) as progress:
        report = ingest_batch([str(p) for p in written], None, settings, progress.hook)
    print_ingest_report(report)
    _searches(settings, pick_person(report.records))
    if mode == "server":
        ui = settings.prefect_api_url.removesuffix("/api")
        console.print(f"\nPrefect UI with this run: {ui}")
    console.rule("6. The officers' web app")
    print_web_instructions(ensure_demo_account(settings))


def _searches(settings: Settings, person: dict[str, str] | None) -> None:
    from search.client import connect
    from search.queries import reuse, search

    es = connect(settings)
    name = person["full_name"] if person else "Nguyễn"
    console.rule(f"3. Search with diacritics: {name}")
    print_search(name, search(es, settings, name, size=5))
    folded = fold(name).lower()
    console.rule(f"4. Search without diacritics: {folded}")
    print_search(folded, search(es, settings, folded, size=5))
    if person:
        console.rule(f"5. Reuse look-up by ID number {person['id_number']}")
        print_reuse(reuse(es, settings, person["id_number"]))

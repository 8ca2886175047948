"""`dossier user …`, `dossier audit`, `dossier serve` refusing a missing secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import flows.cmd_web as cmd_web
from pipeline.config import Settings
from pipeline.errors import ConfigError
from search.web.accounts import Accounts
from search.web.audit import AuditLog
from search.web.config import WebSettings
from search.web.store import Store


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, Settings]:
    settings = Settings(home=tmp_path)
    monkeypatch.setattr(cmd_web, "_settings", lambda: settings)
    for name in ("DOSSIER_WEB_SECRET", "DOSSIER_WEB_DEV", "DOSSIER_WEB_DB_PATH"):
        monkeypatch.delenv(name, raising=False)
    app = typer.Typer()
    cmd_web.register(app)
    return app, settings


def test_user_add_disable_and_reset_key(cli: tuple[typer.Typer, Settings]) -> None:
    app, settings = cli
    runner = CliRunner()
    added = runner.invoke(
        app, ["user", "add", "lan", "--role", "archivist"], input="mật-khẩu-dài-1\n" * 2
    )
    assert added.exit_code == 0, added.output
    key = added.output.strip().splitlines()[-1]
    accounts = Accounts(Store(WebSettings().database(settings)))
    user = accounts.by_api_key(key)
    assert user is not None and user.role == "archivist"
    assert accounts.login("lan", "mật-khẩu-dài-1", "127.0.0.1").user is not None
    new_key = runner.invoke(app, ["user", "reset-key", "lan"]).output.strip()
    assert accounts.by_api_key(key) is None and accounts.by_api_key(new_key) is not None
    assert runner.invoke(app, ["user", "disable", "lan"]).exit_code == 0
    assert accounts.by_api_key(new_key) is None
    listed = json.loads(runner.invoke(app, ["user", "list", "--json"]).output)
    assert listed["users"][0]["disabled"] is True


def test_audit_command_filters_and_prints_json(cli: tuple[typer.Typer, Settings]) -> None:
    app, settings = cli
    log = AuditLog(Store(WebSettings().database(settings)))
    log.write("search", username="lan", ip="10.0.0.5", query="nguyen van an", records=["x-1"])
    log.write("login", username="binh", ip="10.0.0.6", outcome="bad-credentials")
    result = CliRunner().invoke(app, ["audit", "--json", "--action", "search"])
    assert result.exit_code == 0
    [entry] = [json.loads(line) for line in result.output.splitlines()]
    assert entry["query"] == "nguyen van an" and entry["ip"] == "10.0.0.5"
    text = CliRunner().invoke(app, ["audit", "--user", "binh"]).output
    assert "bad-credentials" in text and "nguyen" not in text


def test_serve_refuses_to_start_without_a_secret(cli: tuple[typer.Typer, Settings]) -> None:
    app, _ = cli
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    assert isinstance(result.exception, ConfigError)
    assert "DOSSIER_WEB_SECRET" in str(result.exception)

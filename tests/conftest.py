"""Session fixtures: test Settings, the real Elasticsearch node, a Prefect test harness."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from elasticsearch import ApiError, Elasticsearch, TransportError

from pipeline.config import Settings
from search.client import connect
from search.node import es_start, es_status, es_stop

log = logging.getLogger(__name__)

# No telemetry from the Prefect test server (this machine has no network beyond registries).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
# The node the tests use lives in the checkout's var/, so it is shared by runs and stays warm.
NODE_HOME = REPO_ROOT / "var"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for this run: a private home and a unique index prefix; ES URL from the env."""
    home = tmp_path_factory.mktemp("dossier-home")
    return Settings(
        home=home,
        archive_dir=home / "archive",
        inbox_dir=home / "inbox",
        index_prefix=f"test-{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture(scope="session")
def es_node(settings: Settings) -> Iterator[Elasticsearch]:
    """A client for the real node at `settings.es_url`, started (and later stopped) if needed."""
    node_settings = Settings(home=NODE_HOME, es_url=settings.es_url)
    before = es_status(node_settings)
    if not before.ready:
        es_start(node_settings)
    es = connect(settings)
    try:
        yield es
    finally:
        _delete_test_objects(es, settings.index_prefix)
        es.close()
        if not before.running and before.pid is None:
            es_stop(node_settings)


def _delete_test_objects(es: Elasticsearch, prefix: str) -> None:
    """Delete the indices, aliases and templates this run created (`{prefix}-*`), by name."""
    pattern = f"{prefix}-*"
    quiet = es.options(ignore_status=404)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("aliases", lambda: _delete_aliases(quiet, pattern)),
        ("indices", lambda: _delete_indices(quiet, pattern)),
        ("templates", lambda: _delete_templates(quiet, pattern)),
    ]
    for what, step in steps:
        try:
            step()
        except (ApiError, TransportError) as e:
            log.warning("could not delete test %s %s: %s", what, pattern, e)


def _delete_aliases(es: Elasticsearch, pattern: str) -> None:
    resp = es.indices.get_alias(index="*", name=pattern, expand_wildcards="all")
    if resp.meta.status == 200:
        for index, body in resp.body.items():
            for alias in body.get("aliases", {}):
                es.indices.delete_alias(index=index, name=alias)


def _delete_indices(es: Elasticsearch, pattern: str) -> None:
    # Wildcard deletes are refused by default (action.destructive_requires_name): list, then name.
    names = list(es.indices.get(index=pattern, expand_wildcards="all").body)
    if names:
        es.indices.delete(index=",".join(names), expand_wildcards="all")


def _delete_templates(es: Elasticsearch, pattern: str) -> None:
    for item in es.indices.get_index_template(name=pattern).body.get("index_templates", []):
        es.indices.delete_index_template(name=item["name"])
    for item in es.cluster.get_component_template(name=pattern).body.get("component_templates", []):
        es.cluster.delete_component_template(name=item["name"])


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Flows run against a temporary Prefect server and SQLite database for the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield

"""A small load test: concurrent officers searching and opening records through uvicorn."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from elasticsearch import Elasticsearch
from test_web_support import running, seed

from pipeline.config import Settings
from search.web.audit import AuditFilter

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REQUESTS = 200
CLIENTS = 8
QUERIES = ["nguyen thi lan", "Lê Minh Khoa", "732/QĐ-UBND", "001190012345", "quyet dinh"]


def test_search_and_view_latency_under_concurrency(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, es_node: Elasticsearch
) -> None:
    world = seed(tmp_path_factory.mktemp("web-load"), settings, es_node, suffix="webload")
    headers = {"X-API-Key": world.keys["officer"]}
    with running(world.app) as base, httpx.Client(base_url=base, headers=headers) as client:

        def one(i: int) -> float:
            started = time.perf_counter()
            if i % 4 == 3:
                response = client.get(f"/api/v1/records/{world.ids['card']}")
            else:
                response = client.get("/api/v1/search", params={"q": QUERIES[i % len(QUERIES)]})
            assert response.status_code == 200, response.text
            return time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            latencies = sorted(pool.map(one, range(REQUESTS)))
        elapsed = time.perf_counter() - started
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(
        f"\n{REQUESTS} requests, {CLIENTS} clients: {REQUESTS / elapsed:.0f} req/s, "
        f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    assert p95 < 2.0  # generous: 2 shared cores, every request audited with fsync
    assert world.app.state.ctx.audit.count(AuditFilter()) >= REQUESTS  # all audited

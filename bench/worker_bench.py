"""Ingest throughput with 1 vs 2 Prefect workers pulling from one process work pool.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/worker_bench.py --files 16 --chunks 4 --runs 3

Starts a throwaway Prefect server (its own PREFECT_HOME and database in a temporary folder,
on a free port; a server someone else started is never touched, and this one is stopped at
the end) and deploys the `ingest-batch` flow from this checkout on one process work pool
per worker count: pool `worker-bench-1` gets one worker, `worker-bench-2` two, each
worker running one flow run at a time (`--limit 1`). A trial ingests the same generated
batch (pipeline.samples, seed 11) split round-robin into --chunks flow runs on one pool;
trials of the two pools alternate, so load drift on a shared machine hits both alike.
Every flow run OCRs its pages in its own page pool (one process per core). Each trial
gets a fresh archive and index prefix through the runs' job variables, so nothing is
deduplicated by content hash. Time is wall clock from submitting the runs to the end of
the last one (as the server recorded it): it includes the worker starting a Python
process per flow run, OCR, archiving and indexing into Elasticsearch (the node at
DOSSIER_ES_URL; the bench's indices are deleted afterwards, by name).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.server import prefect_start, prefect_stop  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.samples import generate  # noqa: E402

SEED = 11


def pool_name(n: int) -> str:
    """One process pool per worker count, so trials of both can be interleaved."""
    return f"worker-bench-{n}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def client_env(settings: Settings, prefect_home: Path) -> dict[str, str]:
    """This process's environment pointed at the throwaway server only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_API_URL=settings.prefect_api_url,
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_WORKER_QUERY_SECONDS="1",  # default 10 s would dominate short trials
        OMP_THREAD_LIMIT="1",
        DOSSIER_HOME=str(settings.home_path),
        DOSSIER_ES_URL=settings.es_url,
    )
    return env


def split(paths: list[Path], chunks: int) -> list[list[str]]:
    """Round-robin, so each chunk gets a mix of paper types and degradations."""
    return [[str(p) for p in paths[i::chunks]] for i in range(chunks) if paths[i::chunks]]


def page_count(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        truth = json.loads(Path(f"{p}.truth.json").read_text(encoding="utf-8"))
        total += len(truth["pages"])
    return total


async def ensure_pool(pool: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    async with get_client() as client:
        try:
            await client.read_work_pool(pool)
        except ObjectNotFound:
            await client.create_work_pool(WorkPoolCreate(name=pool, type="process"))


def deploy(n: int) -> str:
    """The ingest flow from this checkout on pool `n`'s process pool (as `schedule install`)."""
    from prefect import flow

    asyncio.run(ensure_pool(pool_name(n)))
    deployable = flow.from_source(source=str(ROOT), entrypoint="flows/ingest.py:ingest_batch")
    deployment_id = deployable.deploy(  # type: ignore[attr-defined]
        name=pool_name(n),
        work_pool_name=pool_name(n),
        build=False,
        push=False,
        print_next_steps=False,
        ignore_warnings=True,
    )
    return str(deployment_id)


@contextlib.contextmanager
def workers(counts: list[int], env: dict[str, str], logs: Path) -> Iterator[None]:
    """`n` workers on pool `n` for each count, one flow run at a time each."""
    prefect = str(Path(sys.executable).parent / "prefect")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for n in counts:
            for i in range(n):
                out = (logs / f"worker-{n}-{i}.log").open("wb")
                procs.append(
                    subprocess.Popen(
                        [
                            prefect,
                            "worker",
                            "start",
                            "--pool",
                            pool_name(n),
                            "--type",
                            "process",
                            "--limit",
                            "1",
                            "--name",
                            f"bench-{n}-{i}",
                        ],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL,
                        start_new_session=True,
                        cwd=ROOT,
                    )  # fmt: skip
                )
            asyncio.run(wait_online(pool_name(n), [f"bench-{n}-{i}" for i in range(n)]))
        yield
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, 15)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)


async def wait_online(pool: str, names: list[str], timeout_s: float = 120) -> None:
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout_s
    async with get_client() as client:
        while time.monotonic() < deadline:
            seen = {w.name for w in await client.read_workers_for_work_pool(pool)}
            if set(names) <= seen:
                return
            await asyncio.sleep(0.5)
    raise RuntimeError(f"workers {names} did not come online in {timeout_s:.0f} s")


async def trial(
    deployment_id: str, chunks: list[list[str]], env: dict[str, str], timeout_s: float
) -> dict[str, Any]:
    """Submit one flow run per chunk and wait until all are final."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        started = datetime.now(UTC)
        t0 = time.monotonic()
        ids = [
            (
                await client.create_flow_run_from_deployment(
                    uuid.UUID(deployment_id),
                    parameters={"paths": chunk},
                    job_variables={"env": env},
                )
            ).id
            for chunk in chunks
        ]
        while True:
            runs = [await client.read_flow_run(i) for i in ids]
            if all(r.state is not None and r.state.is_final() for r in runs):
                break
            if time.monotonic() - t0 > timeout_s:
                raise RuntimeError(f"flow runs not finished after {timeout_s:.0f} s")
            await asyncio.sleep(0.5)
    ends = [r.end_time for r in runs if r.end_time is not None]
    first_start = min(r.start_time for r in runs if r.start_time is not None)
    return {
        "seconds": (max(ends) - started).total_seconds(),
        "first_start_lag_s": (first_start - started).total_seconds(),
        "states": sorted({r.state.name for r in runs if r.state is not None}),
        "run_seconds": [round(r.total_run_time.total_seconds(), 1) for r in runs],
    }


def delete_indices(settings: Settings, prefixes: list[str]) -> None:
    from search.client import connect

    es = connect(settings).options(ignore_status=404)
    for prefix in prefixes:
        names = list(es.indices.get(index=f"{prefix}-*", expand_wildcards="all").body)
        for name in names:
            es.indices.delete(index=name)
        templates = es.indices.get_index_template(name=f"{prefix}-*").body
        for t in templates.get("index_templates", []):
            es.indices.delete_index_template(name=t["name"])


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({model}), Python "
        f"{platform.python_version()}, load average before {load[0]:.1f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--chunks", type=int, default=4, help="flow runs per trial")
    ap.add_argument("--runs", type=int, default=3, help="trials per worker count")
    ap.add_argument("--workers", default="1,2", help="worker counts to compare")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds per trial")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="worker-bench-"))
    tag = uuid.uuid4().hex[:8]
    settings = Settings(
        home=tmp / "home", prefect_port=free_port(), index_prefix=f"bench-workers-{tag}"
    )
    env = client_env(settings, tmp / "prefect-client")
    os.environ.update(env)
    for key in [k for k in os.environ if k.startswith("PREFECT_") and k not in env]:
        del os.environ[key]
    scans = generate(tmp / "scans", args.files, SEED)
    pages = page_count(scans)
    chunks = split(scans, args.chunks)
    counts = [int(n) for n in args.workers.split(",")]
    print(f"machine: {machine()}", file=sys.stderr)
    print(
        f"batch: {len(scans)} files, {pages} pages, {len(chunks)} flow runs; "
        f"server {settings.prefect_api_url}; files in {tmp}",
        file=sys.stderr,
    )
    prefixes: list[str] = []
    results: dict[int, list[dict[str, Any]]] = {n: [] for n in counts}
    try:
        prefect_start(settings)
        deployments = {n: deploy(n) for n in counts}
        with workers(counts, env, tmp):
            for r in range(args.runs):  # interleaved, so load drift hits every count alike
                for n in counts:
                    prefix = f"{settings.index_prefix}-w{n}r{r}"
                    prefixes.append(prefix)
                    archive = tmp / f"archive-w{n}r{r}"
                    job_env = {"DOSSIER_ARCHIVE_DIR": str(archive), "DOSSIER_INDEX_PREFIX": prefix}
                    out = asyncio.run(trial(deployments[n], chunks, job_env, args.timeout))
                    out.update(
                        archived_files=len(list(archive.glob("records/*/*/file.json"))),
                        busy_s=round(sum(out["run_seconds"]), 1),
                        load=round(os.getloadavg()[0], 1),
                    )
                    results[n].append(out)
                    print(f"{n} worker(s), run {r + 1}: {json.dumps(out)}", file=sys.stderr)
    finally:
        prefect_stop(settings)
        with contextlib.suppress(Exception):
            delete_indices(settings, prefixes)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    report(results, len(scans), pages, len(chunks), args.json)


def report(
    results: dict[int, list[dict[str, Any]]], files: int, pages: int, chunks: int, as_json: bool
) -> None:
    summary = {}
    for n, runs in results.items():
        secs = [r["seconds"] for r in runs]
        med = statistics.median(secs)
        summary[n] = {
            "median_s": round(med, 1),
            "runs_s": [round(s, 1) for s in secs],
            "files_per_s": round(files / med, 3),
            "pages_per_s": round(pages / med, 3),
            "all_completed": all(r["states"] == ["Completed"] for r in runs),
            "archived_files": [r["archived_files"] for r in runs],
            "busy_s_median": round(statistics.median(r["busy_s"] for r in runs), 1),
        }
    base = summary[min(summary)]["median_s"]
    for row in summary.values():
        row["speedup"] = round(base / row["median_s"], 2)
    if as_json:
        print(json.dumps({"files": files, "pages": pages, "flow_runs": chunks, "workers": summary}))
        return
    print(f"{files} files, {pages} pages, {chunks} flow runs per trial")
    print("| workers | time s, median (runs) | files/s | pages/s | vs 1 worker | Σ flow-run s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, row in summary.items():
        runs = ", ".join(f"{s:.1f}" for s in row["runs_s"])
        print(
            f"| {n} | {row['median_s']:.1f} ({runs}) | {row['files_per_s']:.2f} | "
            f"{row['pages_per_s']:.2f} | {row['speedup']:.2f}× | {row['busy_s_median']:.1f} |"
        )


if __name__ == "__main__":
    main()

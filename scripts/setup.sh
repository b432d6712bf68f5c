#!/usr/bin/env bash
# Set up geomap on a fresh machine: Chromium for the browser tests (Debian package),
# a virtual environment in .venv with geomap and its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "setup: Chromium is missing; run: sudo apt-get install chromium (needed by the browser tests)" >&2
  fi
fi

# A C compiler compiles the pipeline's hot modules (setup.py); without one, geomap
# installs and runs as pure Python, slower.
if ! command -v cc >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq gcc python3-dev >/dev/null
  else
    echo "setup: no C compiler; geomap will run as pure Python (sudo apt-get install gcc python3-dev)" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,notebook]'
echo "setup: ready (.venv; $(.venv/bin/python -c 'import geo.native as n; print(n.status())'))" >&2

#!/usr/bin/env bash
# The installed package works on its own: build the wheel, install it with its
# dependencies (from PyPI; pip's cache makes a rerun fast) into a fresh virtual
# environment outside the repository, and run geomap's commands from there.
# Usage: bash scripts/check_wheel.sh   (GEOMAP_CACHE is honoured, so a built gazetteer is reused)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/geomap-wheel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

.venv/bin/python -m pip wheel -q --no-deps . -w "$WORK/dist"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "$WORK"/dist/geomap-*.whl

cd "$WORK"  # nothing of the repository is reachable from here
G="$WORK/venv/bin/geomap"
where=$("$WORK/venv/bin/python" -c 'import geo; print(geo.__file__)')
case "$where" in
  "$WORK"/venv/*) ;;
  *) echo "check_wheel: geo was imported from $where, not from the installed wheel" >&2; exit 1 ;;
esac
native=$("$WORK/venv/bin/python" -c 'import geo.native as n; print(n.status())')
echo "check_wheel: the installed modules run $native" >&2
if [ "${GEOMAP_REQUIRE_COMPILED:-0}" = "1" ]; then
  case "$native" in
    compiled*) ;;
    *) echo "check_wheel: the wheel's modules are not compiled: $native" >&2; exit 1 ;;
  esac
fi
DEMO=$("$WORK/venv/bin/python" -c 'from geo.resources import demo_reports; print(demo_reports())')

"$G" --version
"$G" map --offline -o map.html
"$G" places "$DEMO" -o places.csv
"$G" events "$DEMO" -o events.csv
"$G" control "$DEMO" -o control.geojson
for f in map.html places.csv events.csv control.geojson; do
  [ -s "$f" ] || { echo "check_wheel: $f is missing or empty" >&2; exit 1; }
done
grep -q "<html" map.html
echo "check_wheel: the wheel installs and runs outside the repository ($(basename "$WORK"/dist/*.whl))" >&2

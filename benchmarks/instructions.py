"""find_places on N benchmark reports, for counting its instructions with callgrind.

The reports are ``bench_geoparse.make_reports(N)`` (``DISTINCT=1``: every sentence made
unique, as ``bench_scale.py --distinct``); five are geoparsed first (the caches warm, as
the benchmark does), then callgrind counts only the call on all N::

    CG=1 valgrind --tool=callgrind --instr-atstart=no \\
        .venv/bin/python benchmarks/places_instructions.py 300

Without ``CG=1`` it prints the call's time. The figures are in docs/scale.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_geoparse import make_reports  # noqa: E402


def main() -> None:
    from geo.boundaries import default_boundaries
    from geo.gazetteer import default_gazetteer
    from geo.geoparse import find_places
    from geo.reports import report_from_text

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    texts = make_reports(n)
    if os.environ.get("DISTINCT"):
        from bench_scale import _distinct

        texts = _distinct(texts)
    reports = [report_from_text(t) for t in texts]
    gaz, regions = default_gazetteer(), default_boundaries()
    find_places(reports[:5], gazetteer=gaz, boundaries=regions)
    counting = bool(os.environ.get("CG"))
    if counting:
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=False)
    cpu = time.process_time()
    places = find_places(reports, gazetteer=gaz, boundaries=regions)
    cpu = time.process_time() - cpu
    if counting:
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=False)
    print(json.dumps({"reports": n, "rows": len(places), "cpu_s": round(cpu, 3)}))


if __name__ == "__main__":
    main()

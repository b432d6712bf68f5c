"""One stage on N benchmark reports, for counting its instructions with callgrind.

The reports are ``bench_geoparse.make_reports(N)`` (``DISTINCT=1``: every sentence made
unique, as ``bench_scale.py --distinct``), dated. Five are run through the stage first
(the caches warm, as the benchmark does; for ``both`` and ``pool``, geoparsing alone, in
this process, as ``bench_scale.py`` warms its one-core and pool measures, so the event
stage starts cold in both); then callgrind counts only the call on all N:

- ``places``: ``find_places`` (geoparsing);
- ``events``: ``event_rows``, the event stage before the merge, on places found before
  the count starts;
- ``cold``: the event stage's cold start: ``extract_events`` on the first report alone,
  nothing of the stage run before (its rules, actors and their expressions' start strings
  made in the call), places found before the count starts;
- ``both``: ``find_places`` then ``extract_events`` in one process (what a pool of the
  two stages is compared with);
- ``pool``: ``geo.parallel.places_and_events`` with ``--jobs`` workers (default 2). The
  workers are forked while callgrind counts, so each writes a file of its own: give
  ``--callgrind-out-file=cg.%p`` to tell them apart (the parent's is the one that
  prints).

::

    CG=1 valgrind --tool=callgrind --instr-atstart=no \\
        .venv/bin/python benchmarks/instructions.py 300 --stage events
    CG=1 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python benchmarks/instructions.py 1000 --stage pool

Without ``CG=1`` it prints the call's CPU time. The figures are in docs/scale.md.
"""

from __future__ import annotations

import argparse
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
    from geo.events import event_rows
    from geo.gazetteer import default_gazetteer
    from geo.geoparse import find_places
    from geo.reports import report_from_text

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=int, nargs="?", default=300)
    parser.add_argument(
        "--stage", choices=["places", "events", "cold", "both", "pool"], default="places"
    )
    parser.add_argument("--jobs", type=int, default=2, help="the pool's workers (--stage pool)")
    args = parser.parse_args()
    texts = make_reports(args.reports)
    if os.environ.get("DISTINCT"):
        from bench_scale import _distinct

        texts = _distinct(texts)
    reports = [report_from_text(t, date="2021-07-15") for t in texts]
    gaz, regions = default_gazetteer(), default_boundaries()
    if args.stage == "places":

        def run(rs):
            return find_places(rs, gazetteer=gaz, boundaries=regions)
    elif args.stage == "events":
        places = find_places(reports, gazetteer=gaz, boundaries=regions)

        def run(rs):
            return event_rows(rs, places, regions=regions)[0]

    elif args.stage == "both":
        from geo.events import extract_events

        def run(rs):
            places = find_places(rs, gazetteer=gaz, boundaries=regions)
            return extract_events(rs, places, regions=regions)
    elif args.stage == "pool":
        from geo.parallel import places_and_events

        def run(rs):
            return places_and_events(rs, gazetteer=gaz, boundaries=regions, jobs=args.jobs)[1]
    else:
        from geo.events import extract_events

        reports = reports[:1]
        places = find_places(reports, gazetteer=gaz, boundaries=regions)

        def run(rs):
            return extract_events(rs, places, regions=regions)

    if args.stage in ("both", "pool"):
        # as bench_scale.py warms its one-core and pool measures: geoparsing five
        # reports in this process, the event stage from cold in both
        find_places(reports[:5], gazetteer=gaz, boundaries=regions)
    elif args.stage != "cold":
        run(reports[:5])
    counting = bool(os.environ.get("CG"))
    if counting:
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=False)
    cpu = time.process_time()
    rows = run(reports)
    cpu = time.process_time() - cpu
    if counting:
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=False)
    print(
        json.dumps(
            {
                "reports": args.reports,
                "stage": args.stage,
                "rows": len(rows),
                "cpu_s": round(cpu, 3),
            }
        )
    )


if __name__ == "__main__":
    main()

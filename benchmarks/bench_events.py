"""Benchmark: events and control for many reports (not a test).

Makes N synthetic reports by recombining sentences of the sample corpus (each
report: 4-10 sentences drawn at random, a random date in July-August 2021),
geoparses them, then times ``extract_events`` and ``control_as_of`` /
``control_timeline`` (a pass without tracemalloc), then records peak Python
memory in a second pass under tracemalloc, and the process's peak RSS.

    .venv/bin/python benchmarks/bench_events.py            # 10,000 reports
    .venv/bin/python benchmarks/bench_events.py --n 500

It prints its figures and writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.boundaries import default_boundaries  # noqa: E402
from geo.control import control_as_of, control_timeline  # noqa: E402
from geo.events import extract_events  # noqa: E402
from geo.geoparse import find_places  # noqa: E402
from geo.reports import read_reports, report_from_text  # noqa: E402
from geo.text import sentence_spans  # noqa: E402


def synthetic_reports(n: int, seed: int = 7) -> list:
    corpus = read_reports(ROOT / "data" / "samples" / "corpus")
    sentences = [r.text[s:e] for r in corpus for s, e in sentence_spans(r.text)]
    rng = random.Random(seed)
    start = dt.date(2021, 7, 1)
    out = []
    for i in range(n):
        body = " ".join(rng.sample(sentences, rng.randint(4, 10)))
        date = start + dt.timedelta(days=rng.randint(0, 61))
        out.append(report_from_text(f"date: {date}\nsource: bench\n\n{body}", name=f"bench-{i}"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()

    reports = synthetic_reports(args.n)
    regions = default_boundaries()
    af = regions[regions["country"] == "AF"]
    chars = sum(len(r.text) for r in reports)

    t0 = time.perf_counter()
    places = find_places(reports, boundaries=regions)
    t_places = time.perf_counter() - t0

    # timed pass, without tracemalloc (it slows Python code several times over)
    t0, c0 = time.perf_counter(), time.process_time()
    events, versions = extract_events(reports, places, regions=regions, versions=True)
    t_events, c_events = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    control = control_as_of(events, af, "2021-08-16")
    timeline = control_timeline(events, af)
    t_control = time.perf_counter() - t0
    # memory pass: the same work under tracemalloc
    tracemalloc.start()
    extract_events(reports, places, regions=regions, versions=True)
    control_timeline(events, af)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"reports               {len(reports):,} ({chars / 1e6:.1f} M characters)")
    print(
        f"place mentions        {len(places):,} in {t_places:.1f} s (geoparse, not part of this benchmark)"
    )
    print(f"event versions        {len(versions):,}; merged events {len(events):,}")
    print(
        f"extract_events        {t_events:.1f} s = {len(reports) / t_events:,.0f} reports/s"
        f" (CPU time {c_events:.1f} s = {len(reports) / c_events:,.0f} reports/s)"
    )
    print(f"control (as_of + {timeline['date'].nunique()}-day timeline) {t_control:.2f} s")
    print(f"peak traced memory    {peak / 2**20:.0f} MiB (events + control)")
    print(f"peak RSS of process   {rss_mb:.0f} MiB (whole run, incl. gazetteer and geoparse)")
    print(f"controlled on 2021-08-16: {(control['status'] == 'controlled').sum()} regions")


if __name__ == "__main__":
    main()

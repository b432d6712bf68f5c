"""Byte-identity check of the event stage for speed work (a script, not a test).

Runs :func:`geo.events.extract_events` (``versions=True``) on fixed sets of reports and
prints the md5 of each result table written as CSV: 2,000 generated reports of ~3,000
characters (``bench_geoparse.make_reports``, as ``bench_scale.py``: every tenth one
undated, the others spread over a month), 300 long ones (~15,000 characters), every
file under ``data/samples``, the development corpus and the seed report (read from
``../shared`` at run time, skipped when absent), a 300 KB report of repeated capture
sentences (the shape of the 10 MB measure of ``reliability_campaign.py``), and the
2,000 reports again through ``geo.parallel.extract_events`` with two workers (which must
give the same tables as one process). Each set's merged events are also made without the
table of versions (``versions=False``, the path of ``geomap events``): a line with
``MISMATCH`` says they differ from the events made with it.

The places of every set are found once and kept in ``--cache`` (a pickle of geomap's own
tables, never committed), so a rerun measures only the event stage; ``--fresh`` finds
them again. Compare two runs' output with ``diff``.

    .venv/bin/python benchmarks/events_regression.py > /tmp/before.txt
    .venv/bin/python benchmarks/events_regression.py > /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import pickle
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_geoparse import make_reports  # noqa: E402

SHARED = ROOT.parent / "shared"
BIG_SENTENCE = (
    "The Taliban captured Kunduz city, the capital of Kunduz province, on Monday. "
    "Fighting went on near Herat city. "
)


def _sets() -> dict[str, list]:
    from geo.errors import ReportError
    from geo.reports import read_reports, report_from_text

    day0 = dt.date(2021, 7, 1)
    out: dict[str, list] = {}
    out["gen2000"] = [
        report_from_text(
            t,
            name=f"g{i}",
            date=None if i % 10 == 9 else day0 + dt.timedelta(days=i % 30),
            parse_header=False,
        )
        for i, t in enumerate(make_reports(2000))
    ]
    out["long300"] = [
        report_from_text(t, name=f"l{i}", date=day0 + dt.timedelta(days=i % 7), parse_header=False)
        for i, t in enumerate(make_reports(300, size=15000, seed=11))
    ]
    samples = []
    for path in sorted((ROOT / "data" / "samples").rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".jsonl"):
            errors: list[ReportError] = []
            try:
                samples += read_reports(path, errors=errors)
            except (ReportError, OSError, ValueError):
                continue
    out["samples"] = samples
    corpus = sorted((SHARED / "dev-corpus" / "corpus").glob("*.txt"))
    if corpus:
        out["dev_corpus"] = read_reports(corpus)
    seed = SHARED / "seeds" / "2021-07-07-badghis.txt"
    if seed.exists():
        out["seed"] = read_reports([seed])
    out["big300k"] = [
        report_from_text(
            "date: 2021-08-01\n\n" + BIG_SENTENCE * (300_000 // len(BIG_SENTENCE)), name="big"
        )
    ]
    return out


def _md5(df) -> str:
    """Of the table as CSV and of its column types (a CSV does not show them)."""
    text = df.dtypes.to_string() + "\n" + df.to_csv(index=False)
    return hashlib.md5(text.encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/events_regression.pkl"))
    parser.add_argument("--fresh", action="store_true", help="find the places again")
    parser.add_argument("--only", nargs="*", help="these sets only")
    parser.add_argument("--no-pool", action="store_true", help="skip the two-worker run")
    args = parser.parse_args()
    from geo.boundaries import default_boundaries
    from geo.events import extract_events
    from geo.gazetteer import default_gazetteer
    from geo.geoparse import find_places

    regions = default_boundaries()
    if args.cache.exists() and not args.fresh:
        sets = pickle.loads(args.cache.read_bytes())
    else:
        gaz = default_gazetteer()
        sets = {
            name: (reports, find_places(reports, gazetteer=gaz, boundaries=regions))
            for name, reports in _sets().items()
        }
        args.cache.write_bytes(pickle.dumps(sets))
    total = total_alone = 0.0
    for name, (reports, places) in sets.items():
        if args.only and name not in args.only:
            continue
        c = time.process_time()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            events, versions = extract_events(reports, places, regions=regions, versions=True)
        cpu = time.process_time() - c
        total += cpu
        said = sorted({str(w.message) for w in caught})
        print(f"{name}: {len(reports)} reports, {len(events)} events, {len(versions)} versions")
        print(f"  events {_md5(events)} versions {_md5(versions)} warnings {said!r}")
        print(f"  cpu {cpu:.2f} s", file=sys.stderr)
        # the merged events alone (what `geomap events` and bench_scale ask for) take a
        # path of their own: they must be the same table
        c = time.process_time()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            alone = extract_events(reports, places, regions=regions)
        cpu_alone = time.process_time() - c
        total_alone += cpu_alone
        if _md5(alone) != _md5(events) or sorted({str(w.message) for w in caught}) != said:
            print(f"  MISMATCH: events without versions {_md5(alone)}")
        print(f"  cpu {cpu_alone:.2f} s without versions", file=sys.stderr)
    if not args.no_pool and (not args.only or "gen2000" in args.only):
        from geo.parallel import extract_events as pooled

        reports, places = sets["gen2000"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            events, versions = pooled(reports, places, regions=regions, versions=True, jobs=2)
        print(f"gen2000 jobs=2: events {_md5(events)} versions {_md5(versions)}")
    print(f"event stage total: {total:.2f} s of CPU", file=sys.stderr)
    print(f"event stage total without versions: {total_alone:.2f} s of CPU", file=sys.stderr)


if __name__ == "__main__":
    main()

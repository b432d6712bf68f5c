"""Benchmark: HTML size and time to interactive of big geomap maps (not a test).

Generates 1,000 / 10,000 / 100,000 ACLED-like events at random points inside
the real Afghan provinces (``data/admin1.parquet``), with a control timeline
for the 34 provinces over 60 days, renders each map offline with
:func:`maps.make_map`, and opens it from file:// in headless Chromium with
every network request refused. "Interactive" is the moment geomap's script
has added every layer and set ``window.__geomapReady`` (measured from the
start of navigation by the page itself, and as wall time around the load).

Run from the repository root::

    .venv/bin/python benchmarks/bench_map.py                 # prints the results
    .venv/bin/python benchmarks/bench_map.py --sizes 1000 10000
    .venv/bin/python benchmarks/bench_map.py --save          # also writes benchmarks/results/map.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from maps_browser import browser, open_map  # noqa: E402

from maps import make_map, save_map  # noqa: E402

TYPES = [
    ("Battles", "Armed clash"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Battles", "Government regains territory"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Headquarters or base established"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
]
ACTORS = ["Taliban", "Afghan government forces", "US forces", "Civilians", "Local militia"]
VERBS = ["attacked", "shelled", "surrounded", "entered", "withdrew from", "retook", "raided"]
SITES = ["a checkpoint", "the district centre", "a police post", "the bazaar", "an army base"]


def make_events(n: int, regions: gpd.GeoDataFrame, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    afg = regions[regions["country"] == "AF"].reset_index(drop=True)
    which = rng.integers(0, len(afg), n)
    counts = np.bincount(which, minlength=len(afg))
    points, prov = [], []
    for i, k in enumerate(counts):
        if k:
            pts = afg.geometry.iloc[[i]].sample_points(int(k), rng=rng).explode(index_parts=False)
            points.extend(pts.values)
            prov.extend([i] * int(k))
    points = gpd.GeoSeries(points, crs=4326)
    t = rng.integers(0, len(TYPES), n)
    a1 = rng.integers(0, len(ACTORS), n)
    a2 = (a1 + rng.integers(1, len(ACTORS), n)) % len(ACTORS)
    days = rng.integers(0, 60, n)
    dates = pd.Timestamp("2021-07-01") + pd.to_timedelta(days, unit="D")
    verbs = rng.integers(0, len(VERBS), n)
    sites = rng.integers(0, len(SITES), n)
    casualties = rng.integers(0, 40, n)
    names = afg["admin1"].to_numpy()[prov]
    notes = [
        f"{ACTORS[a1[i]]} {VERBS[verbs[i]]} {SITES[sites[i]]} in {names[i]} province on "
        f"{dates[i]:%d %B}, officials said; {casualties[i]} people were reported hurt."
        for i in range(n)
    ]
    df = pd.DataFrame(
        {
            "event_id": [f"ev-{i:06d}" for i in range(n)],
            "event_date": dates.strftime("%Y-%m-%d"),
            "event_type": [TYPES[k][0] for k in t],
            "sub_event_type": [TYPES[k][1] for k in t],
            "actor1": [ACTORS[k] for k in a1],
            "actor2": [ACTORS[k] for k in a2],
            "country": "AF",
            "admin1": names,
            "iso_3166_2": afg["iso_3166_2"].to_numpy()[prov],
            "location": names,
            "latitude": points.y.to_numpy(),
            "longitude": points.x.to_numpy(),
            "geo_precision": rng.integers(1, 4, n),
            "source": [f"Sample wire {k}" for k in rng.integers(0, 20, n)],
            "notes": notes,
            "claim_status": np.where(rng.random(n) < 0.1, "claimed", "reported"),
            "sources_count": rng.integers(1, 5, n),
            "url": [f"https://example.org/report/{k}" for k in rng.integers(0, n // 3 + 1, n)],
        }
    )
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.longitude, df.latitude), crs=4326)


def make_timeline(regions: gpd.GeoDataFrame, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    afg = regions[regions["country"] == "AF"]
    rows = []
    for iso in afg["iso_3166_2"]:
        day = int(rng.integers(0, 30))
        rows.append((iso, day, "controlled", "Afghan government", "reported"))
        day += int(rng.integers(5, 20))
        rows.append((iso, day, "contested", None, "reported"))
        day += int(rng.integers(1, 10))
        claim = "claimed" if rng.random() < 0.2 else "reported"
        rows.append((iso, min(day, 59), "controlled", "Taliban", claim))
    df = pd.DataFrame(rows, columns=["iso_3166_2", "day", "status", "controller", "claim_status"])
    df["date"] = (pd.Timestamp("2021-07-01") + pd.to_timedelta(df["day"], unit="D")).dt.strftime(
        "%Y-%m-%d"
    )
    df["since"] = df["date"]
    df["evidence"] = ""
    shapes = afg.set_index("iso_3166_2")
    df["admin1"] = df["iso_3166_2"].map(shapes["admin1"])
    return gpd.GeoDataFrame(
        df.drop(columns="day"), geometry=df["iso_3166_2"].map(shapes.geometry).values, crs=4326
    )


def run(sizes: list[int], repeats: int) -> list[dict]:
    regions = gpd.read_parquet(
        ROOT / "data" / "admin1.parquet",
        filters=[("country", "in", ["AF", "IR", "PK", "TJ", "UZ", "TM"])],
    )
    timeline = make_timeline(regions)
    results = []
    with tempfile.TemporaryDirectory() as tmp, browser() as b:
        for n in sizes:
            events = make_events(n, regions)
            t0 = time.perf_counter()
            m = make_map(
                regions=regions,
                events=events,
                control_timeline=timeline,
                title=f"Benchmark: {n:,} events",
                offline=True,
            )
            path = save_map(m, Path(tmp) / f"bench-{n}.html")
            build_s = time.perf_counter() - t0
            size = path.stat().st_size
            ready_ms, wall_s = [], []
            for _ in range(repeats):
                t1 = time.perf_counter()
                with open_map(b, path) as (page, log):
                    wall_s.append(time.perf_counter() - t1)
                    ready_ms.append(page.evaluate("window.__geomapReadyAt"))
                    shown = page.evaluate("window.__geomap.shownEvents()")
                    # a slider step back and forth: the replay must stay usable too
                    t2 = time.perf_counter()
                    page.evaluate("window.__geomap.setDay(20); window.__geomap.setDay(59)")
                    slider_s = time.perf_counter() - t2
                    assert shown == n, (shown, n)
                    assert not log.network_requests and not log.page_errors, log
            row = {
                "events": n,
                "html_bytes": size,
                "html_mb": round(size / 1e6, 2),
                "build_s": round(build_s, 2),
                "interactive_s": round(min(ready_ms) / 1000, 2),
                "load_wall_s": round(min(wall_s), 2),
                "slider_round_trip_s": round(slider_s, 2),
            }
            print(row, flush=True)
            results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--save", action="store_true", help="write benchmarks/results/map.json (committed)"
    )
    parser.add_argument("--out", type=Path, help="write the results to this file instead")
    args = parser.parse_args(argv)
    if args.save and args.out is None:
        args.out = ROOT / "benchmarks" / "results" / "map.json"
    results = run(args.sizes, args.repeats)
    doc = {
        "benchmark": "maps.make_map offline, events + control timeline, headless Chromium",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "targets": {"html_mb_at_100k": 25, "interactive_s_at_100k": 5},
        "results": results,
    }
    if args.out is None:
        print(json.dumps(doc, indent=2))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

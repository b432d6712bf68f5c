"""Benchmark of geomap at scale (a script, not a test): one run, the same reports for all.

Measures, on N reports of about 3,000 characters recombined from the sample reports
(``bench_geoparse.make_reports``):

- geomap on one core: ``find_places`` (geoparsing with every place resolved and joined
  to its region) and ``extract_events``; reports/s by wall clock and by CPU time;
- geomap on every core: ``geo.parallel.find_places`` / ``extract_events`` with
  ``jobs=N``; speed-up over one core, the same run, by the wall clock and from CPU time
  (one core's CPU over the critical path: the parent's CPU plus the busiest worker's,
  from ``geo.parallel.pool_stats``), with each worker's CPU and when it started its
  first chunk and ended its last; and both stages in one pool
  (``geo.parallel.places_and_events``, what the commands needing both run) against one
  core's geoparsing then events;
- geomap on a Dask ``LocalCluster`` (N worker processes, started before the clock):
  ``geo.batch.run_batch`` over N shards (places, events, merge, control, GeoParquet);
- the peers on the same texts: ``geotext`` and ``flashgeotext`` (look names up, no
  resolving);
- the machine's ceiling: N forked processes doing CPU-bound Python work that shares
  nothing, against one process doing it N times (a pool's speed-up cannot exceed it);
- peak memory of every process: max RSS, and for the pool's workers PSS and USS
  (``/proc``), which show how much of the gazetteer they share (sampled in a pool run
  after the timed ones: reading ``/proc`` costs a worker's core time);
- 1,000,000 events joined to admin-1 regions (``geo.region_index.RegionIndex``; the
  geopandas/STRtree join on 100,000 of them for comparison): the regions file is
  ``--regions`` (default: the embedded worldwide admin-1 regions, ``data/admin1.parquet``).

Each measure runs in its own fresh process. Results are printed; they are written to
``benchmarks/results/scale.json`` only with ``--save``.

Usage::

    python benchmarks/bench_scale.py                 # 1,000 reports, every core
    python benchmarks/bench_scale.py --reports 2000 --jobs 2 --save
    python benchmarks/bench_scale.py --distinct --skip geomap_dask geotext flashgeotext join

``--distinct`` makes every sentence unique: the recombined reports repeat 245 sentences,
which the per-process caches of one process (and of each worker) live on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_geoparse import make_reports  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# Shared by the child scripts: load the texts as reports, sample children's memory.
PRELUDE = """
import datetime, json, os, resource, sys, threading, time
sys.path.insert(0, {root!r})
from geo.reports import report_from_text
texts = json.load(open({path!r}))
# Every report dated, as a record with a date field (the way geomap batch reads shards).
from geo.batch import read_shard
records = [{{"id": f"r{{i}}", "text": t, "date": "2021-07-15"}} for i, t in enumerate(texts)]
with open({path!r} + ".jsonl", "w") as f:
    f.write("\\n".join(json.dumps(r) for r in records))
reports = read_shard({path!r} + ".jsonl")

def _smaps(pid):
    try:
        with open(f"/proc/{{pid}}/smaps_rollup") as f:
            d = {{l.split(":")[0]: int(l.split()[1]) for l in f if l.endswith("kB\\n")}}
        with open(f"/proc/{{pid}}/status") as f:
            hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
    except (OSError, StopIteration):
        return None
    return {{"peak_rss": hwm / 1024, "pss": d.get("Pss", 0) / 1024,
             "uss": (d.get("Private_Clean", 0) + d.get("Private_Dirty", 0)) / 1024}}

def _children(pid):
    try:
        with open(f"/proc/{{pid}}/task/{{pid}}/children") as f:
            kids = [int(x) for x in f.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]

class Sampler(threading.Thread):
    # The largest memory seen of each child process, sampled every 0.1 s.
    def __init__(self):
        super().__init__(daemon=True); self.seen = {{}}; self.stop = False; self.cpu = 0.0
    def run(self):
        while not self.stop:
            c = time.thread_time()
            for pid in _children(os.getpid()):
                m = _smaps(pid)
                if m:
                    old = self.seen.setdefault(pid, m)
                    for k in m: old[k] = max(old[k], m[k])
            self.cpu += time.thread_time() - c  # reading /proc costs CPU: not geomap's
            time.sleep(0.1)

def peak_self():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

ONE = """
from geo.boundaries import default_boundaries
from geo.events import extract_events
from geo.gazetteer import default_gazetteer
from geo.geoparse import find_places
gaz, regions = default_gazetteer(), default_boundaries()
find_places(reports[:5], gazetteer=gaz, boundaries=regions)  # warm-up
w, c = time.perf_counter(), time.process_time()
places = find_places(reports, gazetteer=gaz, boundaries=regions)
pw, pc = time.perf_counter() - w, time.process_time() - c
w, c = time.perf_counter(), time.process_time()
events = extract_events(reports, places, regions=regions)
ew, ec = time.perf_counter() - w, time.process_time() - c
print(json.dumps({{"places_wall": pw, "places_cpu": pc, "events_wall": ew, "events_cpu": ec,
                  "mentions": len(places), "events": len(events), "peak_rss": peak_self()}}))
"""

POOL = """
from geo.boundaries import default_boundaries
from geo.gazetteer import default_gazetteer
from geo.parallel import extract_events, find_places, places_and_events, pool_stats
from geo.geoparse import find_places as find_one
import geo.events  # imported before the clock, as the one-core measure does
gaz, regions = default_gazetteer(), default_boundaries()
find_one(reports[:5], gazetteer=gaz, boundaries=regions)  # warm-up, as for one core
def cpu():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime - sampler.cpu, kids.ru_utime + kids.ru_stime
def workers(stats, kids):
    # each worker's CPU (start-up and tasks), when it started its first task and ended
    # its last, in seconds from the start of the call; what the workers spent outside
    # their tasks' accounting (the last result's pickling, exiting) shared evenly
    ws = list(stats["workers"].values())
    rest = max(0.0, kids - sum(w["cpu"] for w in ws)) / max(1, len(ws))
    t = stats["start"]
    return [{{"tasks": w["tasks"], "cpu": w["cpu"] + rest, "task_cpu": w["task_cpu"],
              "first_task": w["first_start"] - t, "last_task": w["last_end"] - t}}
            for w in ws], stats["end"] - t, stats["forked"] - t, len(stats["chunks"])
# The memory sampler reads each worker's /proc/PID/smaps_rollup, 10-15 ms of a core for a
# 430 MB process, every 0.1 s: run during the timed pools it took a tenth of the cores
# the workers were timed on. It samples a fourth pool, run after the clock (below).
sampler = Sampler()
w, c = time.perf_counter(), cpu()
places = find_places(reports, gazetteer=gaz, boundaries=regions, jobs={jobs})
pw, c2 = time.perf_counter() - w, cpu()
pstats = workers(pool_stats(), c2[1] - c[1])
events = extract_events(reports, places, regions=regions, jobs={jobs})
ew, c3 = time.perf_counter() - w - pw, cpu()
estats = workers(pool_stats(), c3[1] - c2[1])
# both stages in one pool, as the commands that need both run them
w = time.perf_counter()
places2, events2 = places_and_events(reports, gazetteer=gaz, boundaries=regions, jobs={jobs})
bw, c4 = time.perf_counter() - w, cpu()
bstats = workers(pool_stats(), c4[1] - c3[1])
assert len(places2) == len(places) and len(events2) == len(events)
sampler.start()  # memory: the same pool again, not timed
places_and_events(reports, gazetteer=gaz, boundaries=regions, jobs={jobs})
sampler.stop = True; sampler.join()
print(json.dumps({{"places_wall": pw, "events_wall": ew,
                  "places_cpu_parent": c2[0] - c[0], "places_cpu_workers": c2[1] - c[1],
                  "events_cpu_parent": c3[0] - c2[0], "events_cpu_workers": c3[1] - c2[1],
                  "places_pool": dict(zip(["workers", "end", "forked", "chunks"], pstats)),
                  "events_pool": dict(zip(["workers", "end", "forked", "chunks"], estats)),
                  "both_wall": bw, "both_cpu_parent": c4[0] - c3[0],
                  "both_cpu_workers": c4[1] - c3[1],
                  "both_pool": dict(zip(["workers", "end", "forked", "chunks"], bstats)),
                  "mentions": len(places),
                  "events": len(events), "peak_rss": peak_self(),
                  "workers": list(sampler.seen.values())}}))
"""

DASK = """
import shutil, tempfile
from pathlib import Path
import pandas as pd
from distributed import Client, LocalCluster
from geo.batch import run_batch
from geo.parallel import memory_mb
tmp = Path(tempfile.mkdtemp())
(tmp / "shards").mkdir()
n = {jobs} * 4  # shards: consecutive reports, in report order
size = -(-len(records) // n)
for k in range(n):
    pd.DataFrame(records[k * size : (k + 1) * size]).to_parquet(tmp / "shards" / f"s{{k:03d}}.parquet")
w = time.perf_counter()
cluster = LocalCluster(n_workers={jobs}, threads_per_worker=1, dashboard_address=None)
client = Client(cluster)
client.run(lambda: __import__("geo.gazetteer").gazetteer.default_gazetteer() and None)
start = time.perf_counter() - w
w = time.perf_counter()
result = run_batch(tmp / "shards", tmp / "out", scheduler=cluster.scheduler_address)
wall = time.perf_counter() - w
workers = list(client.run(memory_mb).values())
client.close(); cluster.close()
shutil.rmtree(tmp)
print(json.dumps({{"startup_wall": start, "batch_wall": wall, "mentions": result.places,
                  "events": result.events, "peak_rss": peak_self(), "workers": workers}}))
"""

GEOTEXT = """
from geotext import GeoText
GeoText("warm up in Kabul")
w, c = time.perf_counter(), time.process_time()
n = sum(len(GeoText(t).cities) + len(GeoText(t).countries) for t in texts) // 2
print(json.dumps({{"wall": time.perf_counter() - w, "cpu": time.process_time() - c,
                  "mentions": n, "peak_rss": peak_self()}}))
"""

# The machine's own ceiling for N processes: the same CPU-bound Python work (string
# splits and dictionary look-ups, like geoparsing's, and nothing shared) done N times
# by one process, then once by each of N forked processes at once. On a machine whose
# cores are truly N and idle this is N; on a shared virtual machine it is less, and no
# pool can beat it.
CEILING = """
import multiprocessing as mp
def work(rounds=40):
    words = " ".join(texts[:200]).split()
    seen = {{}}
    for _ in range(rounds):
        for w in words:
            seen[w] = seen.get(w, 0) + 1
    return len(seen)
work(1)
ceilings = []
for trial in range(3):
    w = time.perf_counter()
    for _ in range({jobs}):
        work()
    serial = time.perf_counter() - w
    ctx = mp.get_context("fork")
    w = time.perf_counter()
    procs = [ctx.Process(target=work) for _ in range({jobs})]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    ceilings.append(serial / (time.perf_counter() - w))
print(json.dumps({{"speedups": ceilings, "best": max(ceilings)}}))
"""

FLASH = """
from flashgeotext.geotext import GeoText
g = GeoText()  # the data it ships (GeoNames cities over 15,000 people, countries)
g.extract("warm up in Kabul")
w, c = time.perf_counter(), time.process_time()
n = 0
for t in texts:
    found = g.extract(t, span_info=True)
    n += sum(v["count"] for part in found.values() for v in part.values())
print(json.dumps({{"wall": time.perf_counter() - w, "cpu": time.process_time() - c,
                  "mentions": n, "peak_rss": peak_self()}}))
"""

JOIN = """
import json, time
import numpy as np, geopandas as gpd, shapely
from geo.region_index import RegionIndex
regions = (gpd.read_parquet if {regions!r}.endswith(".parquet") else gpd.read_file)({regions!r})
geoms = np.asarray(regions.geometry.array)
rng = np.random.default_rng(1)
n = 1_000_000
# Events cluster where places are: around a random region's inner point, 0.5 degrees.
inner = shapely.point_on_surface(geoms)
pick = rng.integers(0, len(geoms), n)
x = shapely.get_x(inner)[pick] + rng.normal(0, 0.5, n)
y = shapely.get_y(inner)[pick] + rng.normal(0, 0.5, n)
c = time.process_time()
index = RegionIndex(regions)
build = time.process_time() - c
c, w = time.process_time(), time.perf_counter()
found = index.lookup(x, y)
lookup_cpu, lookup_wall = time.process_time() - c, time.perf_counter() - w
m = 100_000
points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x[:m], y[:m]), crs=regions.crs)
c = time.process_time()
joined = gpd.sjoin(points, regions[["geometry"]], predicate="within", how="left")
sjoin_cpu = time.process_time() - c
joined = joined[~joined.index.duplicated()]
same = bool((joined["index_right"].fillna(-1).astype(int).to_numpy() == found[:m]).all())
print(json.dumps({{"regions": len(regions), "vertices": int(shapely.get_num_coordinates(geoms).sum()),
                  "build_cpu": build, "lookup_cpu": lookup_cpu, "lookup_wall": lookup_wall,
                  "in_a_region": int((found >= 0).sum()), "sjoin_100k_cpu": sjoin_cpu,
                  "same_as_sjoin": same}}))
"""


def _child(code: str, env: dict[str, str] | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if out.returncode:
        print(f"bench_scale: a measure failed:\n{out.stderr[-3000:]}", file=sys.stderr)
        return {"failed": out.stderr[-500:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _distinct(texts: list[str]) -> list[str]:
    """The texts with a running reference number before each sentence's last character.

    The recombined reports repeat 245 sentences, and geomap remembers what it read in a
    sentence: one process reads each sentence in full once, each worker of a pool once
    more. With every sentence unique, both read every sentence in full (text that does
    not repeat itself, as most real reports).
    """
    from geo.text import sentence_spans

    out, k = [], 0
    for text in texts:
        parts, last = [], 0
        for _, end in sentence_spans(text):
            k += 1
            parts.append(f"{text[last : end - 1]} (ref {k}){text[end - 1]}")
            last = end
        out.append("".join(parts) + text[last:])
    return out


def _largest_regions() -> Path:
    """The embedded worldwide admin-1 regions (what the pipeline joins to)."""
    from geo.boundaries import DEFAULT_BOUNDARIES

    return DEFAULT_BOUNDARIES


def _machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"
    )


def main() -> None:
    from geo.parallel import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--regions", type=Path, help="admin-1 regions for the 1M-event join")
    parser.add_argument("--skip", nargs="*", default=[], help="measures to leave out")
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/scale.json")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="make every sentence unique (a reference number in it): no per-sentence cache hits",
    )
    args = parser.parse_args()
    texts = make_reports(args.reports)
    if args.distinct:
        texts = _distinct(texts)
    n = len(texts)
    out: dict = {
        "date": dt.date.today().isoformat(),
        "machine": _machine(),
        "load_average_at_start": os.getloadavg(),
        "reports": n,
        "mean_chars": round(sum(map(len, texts)) / n),
        "jobs": args.jobs,
        "distinct_sentences": args.distinct,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.json"
        path.write_text(json.dumps(texts))
        pre = PRELUDE.format(root=str(ROOT), path=str(path))
        measures = {
            "geomap_1_core": (ONE.format(), ONE_CORE),
            "machine_ceiling": (CEILING.format(jobs=args.jobs), None),
            "geomap_pool": (POOL.format(jobs=args.jobs), None),
            "geomap_dask": (DASK.format(jobs=args.jobs), None),
            "geotext": (GEOTEXT.format(), ONE_CORE),
            "flashgeotext": (FLASH.format(), ONE_CORE),
        }
        for name, (code, env) in measures.items():
            if name not in args.skip:
                print(f"bench_scale: {name} ...", file=sys.stderr)
                out[name] = _child(pre + code, env)
    if "join" not in args.skip:
        regions = args.regions or _largest_regions()
        print(f"bench_scale: join (regions {regions}) ...", file=sys.stderr)
        out["join_1m"] = {"file": str(regions), **_child(JOIN.format(regions=str(regions)))}
    out["load_average_at_end"] = os.getloadavg()
    _summarise(out)
    print(json.dumps(out, indent=2))
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "scale.json").write_text(json.dumps(out, indent=2) + "\n")
        print(f"bench_scale: wrote {RESULTS / 'scale.json'}", file=sys.stderr)


def _summarise(out: dict) -> None:
    out = {k: v for k, v in out.items() if not (isinstance(v, dict) and "failed" in v)}
    n = out["reports"]
    rows = []
    one = out.get("geomap_1_core")
    if one:
        rows.append(
            (
                "geomap, 1 core, geoparse",
                n / one["places_wall"],
                n / one["places_cpu"],
                one["peak_rss"],
            )
        )
        rows.append(
            (
                "geomap, 1 core, events",
                n / one["events_wall"],
                n / one["events_cpu"],
                one["peak_rss"],
            )
        )
    pool = out.get("geomap_pool")
    if pool:
        worst = max((w["peak_rss"] for w in pool["workers"]), default=0.0)
        rows.append(
            (f"geomap, --jobs {out['jobs']}, geoparse", n / pool["places_wall"], None, worst)
        )
        rows.append((f"geomap, --jobs {out['jobs']}, events", n / pool["events_wall"], None, worst))
        if "both_wall" in pool:
            rows.append(
                (
                    f"geomap, --jobs {out['jobs']}, geoparse and events in one pool",
                    n / pool["both_wall"],
                    None,
                    worst,
                )
            )
        if one:
            jobs = out["jobs"]
            for step in ("places", "events"):
                pool[f"speedup_{step}_wall"] = one[f"{step}_wall"] / pool[f"{step}_wall"]
                # On idle cores, the critical path: the parent's CPU (all of it counted
                # as if serial) plus the busiest worker's.
                busiest = max((w["cpu"] for w in pool[f"{step}_pool"]["workers"]), default=0)
                busy = pool[f"{step}_cpu_parent"] + busiest
                pool[f"speedup_{step}_cpu"] = one[f"{step}_cpu"] / busy
                # the earlier figure: the parent's CPU plus an even share of the workers'
                even = pool[f"{step}_cpu_parent"] + pool[f"{step}_cpu_workers"] / jobs
                pool[f"speedup_{step}_cpu_even"] = one[f"{step}_cpu"] / even
                rows.append(
                    (
                        f"geomap, --jobs {jobs}, {step} (from CPU time)",
                        n * jobs / (busy * jobs),
                        None,
                        worst,
                    )
                )
            if "both_wall" in pool:
                # against one core's geoparsing then events, in one process
                one_both_wall = one["places_wall"] + one["events_wall"]
                one_both_cpu = one["places_cpu"] + one["events_cpu"]
                pool["speedup_both_wall"] = one_both_wall / pool["both_wall"]
                busiest = max((w["cpu"] for w in pool["both_pool"]["workers"]), default=0)
                pool["speedup_both_cpu"] = one_both_cpu / (pool["both_cpu_parent"] + busiest)
    dask = out.get("geomap_dask")
    if dask:
        worst = max((w["peak_rss"] for w in dask["workers"]), default=0.0)
        rows.append(
            (f"geomap batch, Dask {out['jobs']} workers, all", n / dask["batch_wall"], None, worst)
        )
    for peer in ("geotext", "flashgeotext"):
        if peer in out:
            p = out[peer]
            rows.append((peer, n / p["wall"], n / p["cpu"], p["peak_rss"]))
    print(
        "| what | reports/s (wall) | reports/s (CPU) | peak RSS per process, MB |", file=sys.stderr
    )
    print("|---|---:|---:|---:|", file=sys.stderr)
    for what, wall, cpu, rss in rows:
        cpu_s = f"{cpu:,.0f}" if cpu else "–"
        print(f"| {what} | {wall:,.0f} | {cpu_s} | {rss:,.0f} |", file=sys.stderr)
    ceiling = out.get("machine_ceiling")
    if ceiling:
        print(
            f"machine ceiling for {out['jobs']} processes (the same work, nothing shared): "
            + ", ".join(f"{x:.2f}x" for x in ceiling["speedups"]),
            file=sys.stderr,
        )
    if pool and one and "speedup_both_wall" in pool:
        print(
            f"geoparse and events in one pool: speed-up {pool['speedup_both_wall']:.2f}x wall, "
            f"{pool['speedup_both_cpu']:.2f}x from CPU (critical path); parent "
            f"{pool['both_cpu_parent']:.2f} s CPU, workers {pool['both_cpu_workers']:.2f} s CPU, "
            f"one core {one['places_cpu'] + one['events_cpu']:.2f} s CPU",
            file=sys.stderr,
        )
    if pool and one:
        for step in ("places", "events"):
            p = pool[f"{step}_pool"]
            ws = ", ".join(
                f"{w['tasks']} tasks {w['cpu']:.2f} s CPU, tasks {w['first_task']:.2f}"
                f"-{w['last_task']:.2f} s"
                for w in p["workers"]
            )
            print(
                f"{step}: speed-up {pool[f'speedup_{step}_wall']:.2f}x wall, "
                f"{pool[f'speedup_{step}_cpu']:.2f}x from CPU (critical path; "
                f"{pool[f'speedup_{step}_cpu_even']:.2f}x even share); one core "
                f"{one[f'{step}_cpu']:.2f} s CPU; parent {pool[f'{step}_cpu_parent']:.2f} s CPU, "
                f"{p['chunks']} chunks, forked at {p['forked']:.2f} s, ended at {p['end']:.2f} s; "
                f"workers: {ws}",
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()

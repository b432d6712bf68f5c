"""The child scripts of ``bench_scale.py``: each measure runs as one of these, in a fresh
process, formatted with its parameters and run after :data:`PRELUDE` (which loads the
reports). Each prints one JSON line."""

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
sampler = Sampler()  # not started: the pools' memory is POOL_MEMORY's
w, c = time.perf_counter(), cpu()
places = find_places(reports, gazetteer=gaz, boundaries=regions, jobs={jobs})
pw, c2 = time.perf_counter() - w, cpu()
pstats = workers(pool_stats(), c2[1] - c[1])
# both stages in one pool, as the commands that need both run them: before the event
# stage's pool, so that its parent builds the stage's rules and actors before it forks
# (the cold start one core's events pay too; docs/benchmarks.md, twelfth session)
w = time.perf_counter()
places2, events2 = places_and_events(reports, gazetteer=gaz, boundaries=regions, jobs={jobs})
bw, c3 = time.perf_counter() - w, cpu()
bstats = workers(pool_stats(), c3[1] - c2[1])
# the event stage alone (its parent's stage built by the pool above: no cold start)
w = time.perf_counter()
events = extract_events(reports, places, regions=regions, jobs={jobs})
ew, c4 = time.perf_counter() - w, cpu()
estats = workers(pool_stats(), c4[1] - c3[1])
assert len(places2) == len(places) and len(events2) == len(events)
print(json.dumps({{"places_wall": pw, "events_wall": ew,
                  "places_cpu_parent": c2[0] - c[0], "places_cpu_workers": c2[1] - c[1],
                  "events_cpu_parent": c4[0] - c3[0], "events_cpu_workers": c4[1] - c3[1],
                  "places_pool": dict(zip(["workers", "end", "forked", "chunks"], pstats)),
                  "events_pool": dict(zip(["workers", "end", "forked", "chunks"], estats)),
                  "both_wall": bw, "both_cpu_parent": c3[0] - c2[0],
                  "both_cpu_workers": c3[1] - c2[1],
                  "both_pool": dict(zip(["workers", "end", "forked", "chunks"], bstats)),
                  "mentions": len(places),
                  "events": len(events), "peak_rss": peak_self()}}))
"""

# The pool's memory, in a process of its own: a forked worker's RSS counts every page its
# parent holds when it forks, so the parent holds what a command's holds (the reports,
# the gazetteer, the regions), not the tables and freed heap of the timed pools. The
# sampler reads each worker's /proc/PID/smaps_rollup (10-15 ms of a core for a 430 MB
# process) every 0.1 s: not during a timed pool, where it took a tenth of the cores.
POOL_MEMORY = """
from geo.boundaries import default_boundaries
from geo.gazetteer import default_gazetteer
from geo.parallel import places_and_events
from geo.geoparse import find_places as find_one
import geo.events
del texts, records  # a command holds its reports only
gaz, regions = default_gazetteer(), default_boundaries()
find_one(reports[:5], gazetteer=gaz, boundaries=regions)
sampler = Sampler(); sampler.start()
places_and_events(reports, gazetteer=gaz, boundaries=regions, jobs={jobs})
sampler.stop = True; sampler.join()
print(json.dumps({{"workers": list(sampler.seen.values()), "parent_peak_rss": peak_self()}}))
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

# geomap's own work cut in parts, one forked process each, nothing sent between them: the
# speed-up this machine gives the work itself (the pool can only approach it). Both runs
# are forked from the same warm parent: one child does the parts one after the other
# (its caches carry over from part to part, as in one process), then one child per part.
SPLIT = """
import multiprocessing as mp
from geo.boundaries import default_boundaries
from geo.events import extract_events
from geo.gazetteer import default_gazetteer
from geo.geoparse import find_places
gaz, regions = default_gazetteer(), default_boundaries()
def both(part):
    extract_events(part, find_places(part, gazetteer=gaz, boundaries=regions), regions=regions)
both(reports[:5])  # warm-up of both stages, as the pool's parent warms before it forks
total, acc, cuts = sum(len(r.text) for r in reports), 0, [0]
for i, r in enumerate(reports):  # {jobs} parts of about as many characters
    acc += len(r.text)
    if acc * {jobs} >= total * len(cuts) and len(cuts) < {jobs}:
        cuts.append(i + 1)
cuts.append(len(reports))
parts = [reports[a:b] for a, b in zip(cuts, cuts[1:])]
def timed(targets):
    w = time.perf_counter()
    procs = [mp.get_context("fork").Process(target=t) for t in targets]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return time.perf_counter() - w
serial = timed([lambda: [both(p) for p in parts]])
split = timed([lambda p=p: both(p) for p in parts])
print(json.dumps({{"serial_wall": serial, "split_wall": split, "speedup": serial / split,
                  "parts": [len(p) for p in parts]}}))
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

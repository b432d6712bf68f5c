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
  core's geoparsing then events, run before the event stage's own pool so that, like one
  core's events, it pays the stage's cold start (its rules and actors, built by the
  parent before it forks; the event stage's pool, after it, does not);
- geomap on a Dask ``LocalCluster`` (N worker processes, started before the clock):
  ``geo.batch.run_batch`` over N shards (places, events, merge, control, GeoParquet);
- the peers on the same texts: ``geotext`` and ``flashgeotext`` (look names up, no
  resolving);
- the machine's ceiling: N forked processes doing CPU-bound Python work that shares
  nothing, against one process doing it N times (a pool's speed-up cannot exceed it);
- geomap's work split (``geomap_split``): both stages on the reports cut in N parts of
  about as many characters, one forked process per part and nothing sent between them,
  against one forked process doing the parts in turn: the speed-up this machine gives
  geomap's own work (memory-heavy, unlike the ceiling's loop), which the pool approaches;
- peak memory of every process: max RSS, and for the pool's workers PSS and USS
  (``/proc``), which show how much of the gazetteer they share (sampled in a pool run
  after the timed ones: reading ``/proc`` costs a worker's core time);
- 1,000,000 events joined to admin-1 regions (``geo.region_index.RegionIndex``; the
  geopandas/STRtree join on 100,000 of them for comparison): the regions file is
  ``--regions`` (default: the embedded worldwide admin-1 regions, ``data/admin1.parquet``).

Each measure runs in its own fresh process. The virtual machine's speed drifts by up to
2x within seconds, so the measures that are compared (geomap on one core, geotext,
flashgeotext, the machine's ceiling, the pool) run in ``--repeat`` rounds (default 3):
each comparison (geomap's geoparsing over flashgeotext's, the pool's speed-ups) is made
within a round, and its median over the rounds is the figure (``by_round``). Within a
round, geomap on one core and the pool run twice, first and last in mirrored order (one
core, pool, the others, pool, one core), and each comparison takes the mean of both
runs: a drift that goes one way through the round slows both sides alike. Results
are printed; they are written to
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
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_geoparse import make_reports  # noqa: E402
from scale_scripts import (  # noqa: E402
    CEILING,
    DASK,
    FLASH,
    GEOTEXT,
    JOIN,
    ONE,
    POOL,
    POOL_MEMORY,
    PRELUDE,
    SPLIT,
)

RESULTS = ROOT / "benchmarks" / "results"
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# The measures run in rounds, --repeat times each (see main), and the figure each one's
# median run is chosen by. PAIRED run first and last in each round, mirrored, around the
# others (TAKEN_IN_TURN); their comparisons take the mean of both runs.
PAIRED = ("geomap_1_core", "geomap_pool")
TAKEN_IN_TURN = (
    "geotext",
    "flashgeotext",
    "machine_ceiling",
    "geomap_split",
)
MEDIAN_OF = {
    "geomap_1_core": "places_wall",
    "geotext": "wall",
    "flashgeotext": "wall",
    "machine_ceiling": "best",
    "geomap_split": "speedup",
    "geomap_pool": "both_wall",
}


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


def _median_run(runs: list[dict], key: str) -> dict:
    """The run of one measure whose ``key`` is the median (of an even number, the lower
    of the middle two), the runs that failed left out; every run under ``runs``, in
    the order they ran."""
    good = [r for r in runs if "failed" not in r]
    if not good:
        return runs[-1]
    ranked = sorted(good, key=lambda r: r[key])
    return {**ranked[(len(ranked) - 1) // 2], "runs": good}


def _round_order(names: list[str]) -> list[str]:
    """The measures of one round in the order they run: the paired ones first and again
    last, mirrored, the others between.

    >>> _round_order(["geomap_1_core", "geotext", "geomap_pool"])
    ['geomap_1_core', 'geomap_pool', 'geotext', 'geomap_pool', 'geomap_1_core']
    >>> _round_order(["geotext", "geomap_pool"])
    ['geomap_pool', 'geotext', 'geomap_pool']
    """
    paired = [k for k in PAIRED if k in names]
    return [*paired, *(k for k in names if k not in PAIRED), *reversed(paired)]


def _mean(runs: list[dict], key: str) -> float:
    return statistics.fmean(r[key] for r in runs)


def _by_round(rounds: list[dict[str, list[dict]]]) -> dict:
    """The comparisons made within each round (measures run one after the other, minutes
    apart at most): geomap's geoparsing over flashgeotext's reports/s, the pool's speed-up
    over one core by the wall clock (geoparsing, events, both in one pool) and the
    machine's ceiling; each with its median over the rounds. A paired measure's figure
    in a round is the mean of its runs there (both, if neither failed). A measure left
    out (``--skip``) or failed in a round leaves out the comparisons that need it.

    >>> one = {"places_wall": 10.0, "events_wall": 10.0}
    >>> pool = {"places_wall": 6.0, "events_wall": 6.0, "both_wall": 11.0}
    >>> slow = {k: 2 * v for k, v in pool.items()}
    >>> _by_round([{"geomap_1_core": [one, one], "geomap_pool": [pool, slow]}])["pool_both"]
    {'rounds': [1.2121212121212122], 'median': 1.2121212121212122}
    """
    out: dict[str, list[float]] = {}
    for measured in rounds:
        got = {k: ok for k, v in measured.items() if (ok := [r for r in v if "failed" not in r])}
        one, flash = got.get("geomap_1_core"), got.get("flashgeotext")
        ceiling, pool = got.get("machine_ceiling"), got.get("geomap_pool")
        if one and flash:
            out.setdefault("geoparse_over_flashgeotext", []).append(
                _mean(flash, "wall") / _mean(one, "places_wall")
            )
        if ceiling:
            out.setdefault("ceiling", []).append(_mean(ceiling, "best"))
        if got.get("geomap_split"):
            out.setdefault("split", []).append(_mean(got["geomap_split"], "speedup"))
        if one and pool:
            one_places, one_events = _mean(one, "places_wall"), _mean(one, "events_wall")
            out.setdefault("pool_places", []).append(one_places / _mean(pool, "places_wall"))
            out.setdefault("pool_events", []).append(one_events / _mean(pool, "events_wall"))
            out.setdefault("pool_both", []).append(
                (one_places + one_events) / _mean(pool, "both_wall")
            )
    return {k: {"rounds": v, "median": statistics.median(v)} for k, v in out.items()}


_ROUND_NAMES = {
    "geoparse_over_flashgeotext": "geomap's geoparsing over flashgeotext's reports/s",
    "ceiling": "the machine's ceiling (best of 3)",
    "split": "geomap's two stages cut in parts, a forked process each, nothing pooled",
    "pool_places": "the pool's speed-up, geoparsing",
    "pool_events": "the pool's speed-up, events (its rules built by the pool before)",
    "pool_both": "the pool's speed-up, both stages in one pool",
}


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
    parser.add_argument(
        "--save",
        action="store_true",
        help="write benchmarks/results/scale.json (scale-N[-distinct].json for another size or --distinct)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds of the measures that are compared (the median round's figures are kept)",
    )
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
            "geomap_split": (SPLIT.format(jobs=args.jobs), None),
            "geomap_pool": (POOL.format(jobs=args.jobs), None),
            "geomap_dask": (DASK.format(jobs=args.jobs), None),
            "geotext": (GEOTEXT.format(), ONE_CORE),
            "flashgeotext": (FLASH.format(), ONE_CORE),
        }
        # A shared virtual machine's speed drifts by up to 2x within seconds: the
        # measures that are compared (geomap on one core, its peers, the machine's
        # ceiling, the pool) run in rounds, --repeat fresh processes each, and each
        # comparison is made within a round, then its median over the rounds is kept.
        in_turn = [k for k in (*PAIRED, *TAKEN_IN_TURN) if k not in args.skip]
        rounds: list[dict[str, list[dict]]] = []
        for r in range(max(1, args.repeat)):
            rounds.append({k: [] for k in in_turn})
            for name in _round_order(in_turn):
                print(f"bench_scale: {name} (round {r + 1}) ...", file=sys.stderr)
                rounds[-1][name].append(_child(pre + measures[name][0], measures[name][1]))
        for name in in_turn:
            runs = [run for measured in rounds for run in measured[name]]
            out[name] = _median_run(runs, MEDIAN_OF[name])
        out["by_round"] = _by_round(rounds)
        pool = out.get("geomap_pool")
        if pool and "failed" not in pool:
            print("bench_scale: the pool's memory ...", file=sys.stderr)
            memory = _child(pre + POOL_MEMORY.format(jobs=args.jobs))  # {"failed"}: none
            pool["workers"] = memory.get("workers", [])
            pool["parent_peak_rss"] = memory.get("parent_peak_rss")
        for name, (code, env) in measures.items():
            if name not in args.skip and name not in in_turn:
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
        saved = RESULTS / _results_name(n, args.distinct)
        saved.write_text(json.dumps(out, indent=2) + "\n")
        print(f"bench_scale: wrote {saved}", file=sys.stderr)


def _results_name(reports: int, distinct: bool) -> str:
    """The file ``--save`` writes: ``scale.json`` for the usual run (1,000 recombined
    reports), else named by its reports, so that each size keeps its own results.

    >>> _results_name(1000, False), _results_name(10000, False), _results_name(1000, True)
    ('scale.json', 'scale-10000.json', 'scale-1000-distinct.json')
    """
    if reports == 1000 and not distinct:
        return "scale.json"
    return f"scale-{reports}{'-distinct' if distinct else ''}.json"


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
    for what, figure in (out.get("by_round") or {}).items():
        print(
            f"{_ROUND_NAMES[what]}, round by round: "
            + ", ".join(f"{x:.2f}" for x in figure["rounds"])
            + f" (median {figure['median']:.2f})",
            file=sys.stderr,
        )
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

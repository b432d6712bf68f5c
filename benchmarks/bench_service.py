"""Benchmark of geomap serve (not a test): run it by hand, 127.0.0.1 only, bounded.

1. Ingest: 20 concurrent clients post N distinct invented reports plus duplicates to a
   fresh SQLite service; counts errors and duplicate events; throughput, p50/p99 latency.
2. Reads: p50/p99 of ``GET /events?bbox=`` on a store of 100,000 events (rows made from
   the ingested events, moved around; inserted directly, then served read-only).
3. POST to page: time from a POST to its ``event`` message on an open ``/stream`` (what
   the live page receives; the browser test checks the page draws it): during the ingest
   flood (10 posts, 2 s apart, counted in its CPU time: it measures the queue ahead of
   it), after it, and during a steady load below capacity (``--steady-reports`` more
   reports at ``--steady-rate`` posts a second in all, from the same number of clients).

    .venv/bin/python benchmarks/bench_service.py [--reports 2000] [--clients 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import service_support as ss

TOWNS = [
    "Herat",
    "Kunduz",
    "Ghazni",
    "Kandahar",
    "Lashkar Gah",
    "Zaranj",
    "Sheberghan",
    "Taloqan",
    "Pul-e Khumri",
    "Faizabad",
    "Mazar-i-Sharif",
    "Jalalabad",
    "Gardez",
    "Farah",
    "Qalat",
    "Chaghcharan",
]
VERBS = ["captured", "attacked", "shelled", "fought for"]


def invented(i: int) -> str:
    town = TOWNS[i % len(TOWNS)]
    day = 1 + (i // len(TOWNS)) % 28
    month = 6 + (i // (len(TOWNS) * 28)) % 3
    verb = VERBS[(i // 7) % len(VERBS)]
    return (
        f"title: bench {i}\ndate: 2021-{month:02d}-{day:02d}\n\n"
        f"Taliban fighters {verb} {town} on the {day}th after clashes with government forces, "
        f"according to bench statement {i}.\n"
    )


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


async def ingest(
    url: str, n: int, dups: int, clients: int, rate: float | None = None, offset: int = 0
) -> dict:
    """``clients`` concurrent clients post ``n`` distinct reports (from ``offset``) and
    ``dups`` re-posts, as fast as they can or ``rate`` posts a second in all."""
    bodies = [invented(offset + i) for i in range(n)]
    rng = random.Random(9)
    jobs = list(range(n)) + [rng.randrange(n) for _ in range(dups)]
    rng.shuffle(jobs)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for j in jobs:
        queue.put_nowait(j)
    latencies: list[float] = []
    codes: dict[int, int] = {}
    errors: list[str] = []
    headers = {"Authorization": f"Bearer {ss.TOKEN}"}

    started = time.perf_counter()
    sent = 0

    async def worker() -> None:
        nonlocal sent
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=300) as c:
            while True:
                try:
                    j = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                if rate:
                    sent += 1
                    await asyncio.sleep(max(0.0, started + sent / rate - time.perf_counter()))
                t = time.perf_counter()
                try:
                    r = await c.post(
                        "/reports", content=bodies[j].encode(), params={"wait": "false"}
                    )
                    codes[r.status_code] = codes.get(r.status_code, 0) + 1
                    if r.status_code not in (200, 201):
                        errors.append(f"{r.status_code} {r.text[:100]}")
                except httpx.HTTPError as err:
                    errors.append(repr(err))
                latencies.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    acked = time.perf_counter() - t0
    async with httpx.AsyncClient(base_url=url) as c:  # end to end: events and control too
        while True:
            h = (await c.get("/healthz")).json()
            if h["derived_seq"] >= h["input_seq"] and h.get("pending", 0) == 0:
                break
            await asyncio.sleep(0.05)
    wall = time.perf_counter() - t0
    return {
        "posts": len(jobs),
        "acked_s": acked,
        "derived_s": wall,
        "reports_per_s": n / wall,
        "codes": codes,
        "errors": errors,
        "p50_ms": 1000 * pct(latencies, 0.5),
        "p99_ms": 1000 * pct(latencies, 0.99),
    }


def check_store(db: str) -> dict:
    from geomap.service import store as S

    store = S.Store(db)
    with store.read() as conn:
        n_reports = conn.execute(sa.select(sa.func.count()).select_from(S.reports)).scalar()
        rows = conn.execute(sa.select(S.events.c.event_id, S.events.c.props)).all()
    store.dispose()
    dup_reports = 0
    keys = set()
    dup_events = 0
    for _eid, props in rows:
        p = json.loads(props)
        reps = p["reports"].split(";")
        dup_reports += len(reps) != len(set(reps))
        key = (p["event_type"], p["sub_event_type"], p["location"], p["event_date"], p["reports"])
        dup_events += key in keys
        keys.add(key)
    return {
        "reports": n_reports,
        "events": len(rows),
        "duplicate_events": dup_events,
        "events_listing_a_report_twice": dup_reports,
    }


def fill_100k(src_db: str, db: str, target: int = 100_000) -> int:
    """A store of ``target`` events: the ingested ones, copied and moved around."""
    from geomap.service import store as S

    src = S.Store(src_db)
    with src.read() as conn:
        template = [json.loads(p) for p in conn.execute(sa.select(S.events.c.props)).scalars()]
    src.dispose()
    store = S.Store(db)
    store.migrate()
    rng = random.Random(1)
    rows = []
    for i in range(target):
        p = dict(template[i % len(template)])
        p["event_id"] = f"bench-{i:06d}"
        p["longitude"] = round(60.5 + rng.random() * 14.5, 5)
        p["latitude"] = round(29.5 + rng.random() * 9.0, 5)
        rows.append(
            {
                "event_id": p["event_id"],
                "seq": i + 1,
                "event_date": p["event_date"],
                "event_type": p["event_type"],
                "actor1": p["actor1"],
                "actor2": p["actor2"],
                "country": p["country"],
                "latitude": p["latitude"],
                "longitude": p["longitude"],
                "iso_3166_2": p.get("iso_3166_2"),
                "effect": p.get("effect"),
                "digest": "x",
                "props": json.dumps(p),
            }
        )
    with store.write() as conn:
        for k in range(0, len(rows), 5000):
            conn.execute(S.events.insert(), rows[k : k + 5000])
        S.Store.set_meta(conn, "seq", target)
        S.Store.set_meta(conn, "derived_seq", target)
    store.dispose()
    return target


def bbox_latency(url: str, n: int = 300) -> dict:
    rng = random.Random(2)
    lat_ms = []
    sizes = []
    with httpx.Client(base_url=url, timeout=60) as c:
        for _ in range(n):
            w, s = 60.5 + rng.random() * 13.5, 29.5 + rng.random() * 8
            t = time.perf_counter()
            r = c.get("/events", params={"bbox": f"{w},{s},{w + 0.5},{s + 0.5}"})
            lat_ms.append(1000 * (time.perf_counter() - t))
            assert r.status_code == 200
            sizes.append(len(r.json()["features"]))
    return {
        "requests": n,
        "p50_ms": pct(lat_ms, 0.5),
        "p99_ms": pct(lat_ms, 0.99),
        "mean_features": statistics.mean(sizes),
    }


def post_to_stream(url: str, n: int = 10, base: int = 900_000, pause: float = 0.0) -> dict:
    """Seconds from sending a POST to receiving *its* event on /stream (the first
    ``event`` message that lists the posted report; ``pause`` seconds between posts)."""
    out = []
    headers = {"Authorization": f"Bearer {ss.TOKEN}"}
    for k in range(n):
        time.sleep(pause)
        ready, done = threading.Event(), threading.Event()
        seen: list[tuple[float, str]] = []  # (arrival, the event's reports)
        body = invented(base + 7 * 4 * k)  # a report with an event

        def listen(ready=ready, done=done, seen=seen) -> None:
            try:
                with (
                    httpx.Client(base_url=url, timeout=120) as c,
                    c.stream("GET", "/stream") as r,
                ):
                    kind = None
                    for line in r.iter_lines():
                        line = line.strip()
                        if line == "event: ready":
                            ready.set()
                        if line.startswith("event:"):
                            kind = line[6:].strip()
                        elif line.startswith("data:") and kind == "event":
                            reports = json.loads(line[5:]).get("reports") or ""
                            seen.append((time.perf_counter(), reports))
                        if done.is_set():
                            return
            except httpx.HTTPError:
                ready.set()

        threading.Thread(target=listen, daemon=True).start()
        ready.wait(30)
        t0 = time.perf_counter()
        r = httpx.post(
            url + "/reports",
            content=body.encode(),
            headers=headers,
            params={"wait": "false"},
            timeout=120,
        )
        rid = r.json()["reports"][0]["id"]
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            hits = [at for at, reports in list(seen) if rid in reports.split(";")]
            if hits:
                out.append(hits[0] - t0)
                break
            time.sleep(0.01)
        else:
            out.append(math.inf)
        done.set()  # the listener leaves at its next message (at worst the 15 s ping)
    return {"posts": n, "median_s": statistics.median(out), "max_s": max(out)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--duplicates", type=int, default=400)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--steady-reports", type=int, default=600)
    ap.add_argument("--steady-rate", type=float, default=30.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    db = str(tmp / "ingest.sqlite3")
    with ss.running(db, tmp, "--rate-limit", "0") as srv:
        cpu0 = cpu_seconds(srv.proc.pid)
        # the POST-to-stream probe also runs during the flood (10 posts, 2 s apart):
        # there it measures the queue of reports ahead of it
        flood: dict = {}
        during = threading.Thread(
            target=lambda: flood.update(post_to_stream(srv.url, base=800_000, pause=2.0)),
            daemon=True,
        )
        during.start()
        res = asyncio.run(ingest(srv.url, args.reports, args.duplicates, args.clients))
        res["server_cpu_s"] = cpu_seconds(srv.proc.pid) - cpu0
        res["reports_per_cpu_s"] = args.reports / res["server_cpu_s"]
        during.join()
        print("ingest:", json.dumps({k: v for k, v in res.items() if k != "errors"}), flush=True)
        print("errors:", res["errors"][:5])
        print("stream during the flood:", json.dumps(flood), flush=True)
        print("stream after:", json.dumps(post_to_stream(srv.url)), flush=True)
        # a steady load below the service's capacity: the probe during it
        steady: dict = {}
        during = threading.Thread(
            target=lambda: steady.update(post_to_stream(srv.url, base=700_000, pause=1.0)),
            daemon=True,
        )
        during.start()
        paced = asyncio.run(
            ingest(srv.url, args.steady_reports, 0, args.clients, args.steady_rate, 100_000)
        )
        during.join()
        print(
            f"stream during a steady {args.steady_rate:g} posts/s "
            f"({args.steady_reports} reports, {len(paced['errors'])} errors):",
            json.dumps(steady),
            flush=True,
        )
    print("store:", json.dumps(check_store(db)), flush=True)
    big = str(tmp / "100k.sqlite3")
    print("filled:", fill_100k(db, big), flush=True)
    with ss.running(big, tmp, "--read-only") as srv:
        print("bbox:", json.dumps(bbox_latency(srv.url)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

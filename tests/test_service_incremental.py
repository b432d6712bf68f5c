"""The incremental derivation equals a derivation from scratch: invented reports posted
and retracted in random batches (some re-posted), on SQLite and (in CI) PostGIS."""

from __future__ import annotations

import json
import os
import random
import uuid

import pytest
import service_support as ss
import sqlalchemy as sa

import geo
from geomap.service import derive as D
from geomap.service import store as S
from geomap.service.core import Service

pytestmark = pytest.mark.slow

# real towns, several pairs close enough to merge (< 25 km) and some far apart
TOWNS = [
    "Kunduz",
    "Khanabad",
    "Mazar-i-Sharif",
    "Balkh",
    "Charikar",
    "Bagram",
    "Herat",
    "Ghazni",
    "Qala-e Naw",
]
VERBS = [
    "captured",
    "attacked",
    "shelled",
    "fought for",
    "said they had captured",
    "repelled an attack on",
]
PROVINCES = ["Kunduz province", "Balkh province", "Badghis province"]


def invented(rng: random.Random, i: int) -> str:
    """An invented report (no real source): one or two sentences, maybe undated."""
    day = rng.randint(1, 12)
    header = f"title: invented {i}\n" + (
        f"date: 2021-08-{day:02d}\n" if rng.random() < 0.85 else ""
    )
    place = rng.choice(TOWNS) if rng.random() < 0.8 else rng.choice(PROVINCES)
    text = (
        f"Taliban fighters {rng.choice(VERBS)} {place} on {day} August, "
        f"according to invented statement {i}."
    )
    if rng.random() < 0.4:
        other = rng.choice(TOWNS)
        text += f" Government forces {rng.choice(VERBS)} {other} on {rng.randint(1, 12)} August."
    return f"{header}\n{text}\n"


def _db(kind: str, tmp) -> str:
    if kind == "sqlite":
        return str(tmp / "incremental.sqlite3")
    base = ss.pg_url()
    if base is None:
        if os.environ.get("CI") == "true" or os.environ.get("GEOMAP_REQUIRE_PG"):
            pytest.fail("CI: GEOMAP_TEST_PG_URL is not set (scripts/ci_postgres.sh)")
        pytest.skip("no PostgreSQL: set GEOMAP_TEST_PG_URL")
    return ss.fresh_pg_db(base, f"geomap_incr_{uuid.uuid4().hex[:8]}")


def _tables(store: S.Store) -> tuple[dict, dict, dict, dict]:
    with store.read() as conn:
        events = {
            k: json.loads(p)
            for k, p in conn.execute(sa.select(S.events.c.event_id, S.events.c.props))
        }
        control = {
            k: json.loads(p)
            for k, p in conn.execute(sa.select(S.control.c.iso_3166_2, S.control.c.props))
        }
        rm = S.report_mentions
        links = {
            (r, n): e for r, n, e in conn.execute(sa.select(rm.c.report, rm.c.n, rm.c.event_id))
        }
        cd = S.control_days
        days = {
            (i, d): json.loads(st)
            for i, d, st in conn.execute(sa.select(cd.c.iso_3166_2, cd.c.day, cd.c.state))
        }
    return events, control, links, days


def _from_scratch(store: S.Store, regions) -> tuple[dict, dict, dict, dict]:
    """Events, control, links and control checkpoints derived from all live reports."""
    _seq, versions, keys = D.snapshot(store)
    events, control, link, checkpoints = D.compute(versions, regions)
    with store.read() as conn:
        rm = S.report_mentions
        all_keys = [(r, n) for r, n in conn.execute(sa.select(rm.c.report, rm.c.n))]
    ids = list(versions["event_id"]) if len(versions) else []
    live = {k: link[v] for k, v in zip(keys, ids, strict=True)}
    days = {(i, d): json.loads(st) for i, d, st in checkpoints}
    return events, control, {k: live.get(k) for k in all_keys}, days


@pytest.fixture(scope="module")
def pipeline():
    p = D.Pipeline()
    p.warm()
    return p


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_equals_full(kind, seed, tmp_path, pipeline):
    rng = random.Random(seed)
    svc = Service(_db(kind, tmp_path), pipeline=pipeline)
    svc.store.migrate()
    try:
        live: list[str] = []
        retracted: list[geo.Report] = []
        posted: dict[str, geo.Report] = {}
        i = 0
        for _round in range(10):
            batch = []
            for _ in range(rng.randint(1, 8)):
                batch.append(geo.report_from_text(invented(rng, i)))
                i += 1
            if retracted and rng.random() < 0.5:  # a retracted report posted again
                batch.append(retracted.pop(rng.randrange(len(retracted))))
            for s in svc.post(batch, wait=False):
                if s.new:
                    live.append(s.id)
            for r in batch:
                posted[D.content_id(r)] = r
            while svc.analyse_pending():
                pass
            for _ in range(min(rng.randint(0, 2), len(live))):
                rid = live.pop(rng.randrange(len(live)))
                assert svc.retract(rid, wait=False)
                retracted.append(posted[rid])
            svc.derive_now()  # incremental
            assert _tables(svc.store) == _from_scratch(svc.store, pipeline.regions)
        events, control, _links, days = _tables(svc.store)
        # the mix exercised merging across reports, control and retractions
        assert any(int(e["sources_count"]) > 1 for e in events.values())
        assert control
        # control was replayed from checkpoints: some region has several event days
        assert len(days) > len({iso for iso, _ in days})
        with svc.store.read() as conn:
            n_retracted = conn.execute(
                sa.select(sa.func.count()).where(S.reports.c.retracted_seq.is_not(None))
            ).scalar()
        assert n_retracted >= 3
    finally:
        svc.store.dispose()

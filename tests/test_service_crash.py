"""kill -9 during a batch of POSTs: every acknowledged report survives, none is half-stored,
and the derived tables are what a clean recomputation gives."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest
import service_support as ss
import sqlalchemy as sa

pytestmark = pytest.mark.slow

TOWNS = ["Herat", "Kunduz", "Ghazni", "Kandahar", "Lashkar Gah", "Zaranj", "Sheberghan", "Taloqan"]


def _db(kind: str, tmp) -> str:
    if kind == "sqlite":
        return str(tmp / "crash.sqlite3")
    import os

    base = ss.pg_url()
    if base is None:
        if os.environ.get("CI") == "true" or os.environ.get("GEOMAP_REQUIRE_PG"):
            pytest.fail("CI: GEOMAP_TEST_PG_URL is not set (scripts/ci_postgres.sh)")
        pytest.skip("no PostgreSQL: set GEOMAP_TEST_PG_URL")
    return ss.fresh_pg_db(base, f"geomap_crash_{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill9_loses_nothing_acknowledged(kind, tmp_path):
    db = _db(kind, tmp_path)
    server = ss.start(db, tmp_path)
    acked: dict[str, str] = {}  # id -> text
    sent: dict[int, str] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(k: int) -> None:
        with server.client() as c:
            i = k
            while not stop.is_set():
                text = ss.invented_report(i, TOWNS[i % len(TOWNS)], 1 + i % 28)
                with lock:
                    sent[i] = text
                try:
                    r = c.post("/reports", content=text.encode())
                except httpx.HTTPError:
                    return  # the server died while we were waiting: not acknowledged
                if r.status_code in (200, 201):
                    with lock:
                        acked[r.json()["reports"][0]["id"]] = text
                i += 3

    threads = [threading.Thread(target=client, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while len(acked) < 12 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill9()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert len(acked) >= 12, "the server acknowledged too few reports before the kill"

    with ss.running(db, tmp_path) as again, again.client() as c:
        health = c.get("/healthz").json()
        assert health["derived_seq"] == health["input_seq"] > 0, "derived tables repaired on start"
        for rid in acked:
            r = c.get(f"/reports/{rid}")
            assert r.status_code == 200, f"acknowledged report {rid} lost"
            assert r.json()["places"]["features"], f"{rid} stored without its places"
        events = c.get("/events", params={"limit": 5000}).json()["features"]

    # none half-stored: every stored report has its places and event versions
    from geomap.service import store as S

    store = S.Store(db)
    with store.read() as conn:
        stored_ids = set(conn.execute(sa.select(S.reports.c.id)).scalars())
        with_places = set(conn.execute(sa.select(S.report_places.c.report).distinct()).scalars())
        with_versions = set(
            conn.execute(sa.select(S.report_mentions.c.report).distinct()).scalars()
        )
    store.dispose()
    assert set(acked) <= stored_ids
    assert stored_ids == with_places == with_versions
    texts = {rid: t for rid, t in acked.items()}
    for i, text in sent.items():  # reports stored but not acknowledged (killed mid-reply)
        texts.setdefault(f"unacked-{i}", text)

    # derived tables consistent: the same as a fresh service given the same reports
    from geomap.service.core import Service
    from geomap.service.ingest import parse_body

    fresh = Service(str(tmp_path / "fresh.sqlite3"))
    fresh.start()
    try:
        reports = [r for t in texts.values() for r in parse_body(t.encode(), "text/plain")]
        fresh.post([r for r in reports if _content_id(r) in stored_ids])
        with fresh.store.read() as conn:
            expected = dict(conn.execute(sa.select(S.events.c.event_id, S.events.c.digest)).all())
    finally:
        fresh.stop()
    from geomap.service.derive import digest

    got = {
        f["id"]: digest({k: v for k, v in f["properties"].items() if k != "seq"}) for f in events
    }
    assert got == expected
    assert len(got) > 0


def _content_id(report) -> str:
    from geomap.service.derive import content_id

    return content_id(report)

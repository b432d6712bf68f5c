"""geomap serve against a real uvicorn, a real SQLite file and (when GEOMAP_TEST_PG_URL is
set, always in CI) a real PostgreSQL/PostGIS cluster."""

from __future__ import annotations

import json
import os
import uuid

import httpx
import pytest
import service_support as ss

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"serve-{request.param}")
    if request.param == "sqlite":
        db = str(tmp / "geomap.sqlite3")
    else:
        base = ss.pg_url()
        if base is None:
            if os.environ.get("CI") == "true" or os.environ.get("GEOMAP_REQUIRE_PG"):
                pytest.fail("CI: GEOMAP_TEST_PG_URL is not set (scripts/ci_postgres.sh)")
            pytest.skip("no PostgreSQL: set GEOMAP_TEST_PG_URL")
        db = ss.fresh_pg_db(base, f"geomap_test_{uuid.uuid4().hex[:8]}")
    with ss.running(db, tmp) as srv:
        yield srv


@pytest.fixture(scope="module")
def seed_text() -> bytes:
    if not ss.SEED.exists():
        pytest.skip("seed report absent (../shared/seeds)")
    return ss.SEED.read_bytes()


def _events(c: httpx.Client, **params) -> list[dict]:
    r = c.get("/events", params={"limit": 5000, **params})
    assert r.status_code == 200, r.text
    return r.json()["features"]


def test_seed_report_round_trip(server, seed_text):
    with server.client() as c, server.client(token=None) as anon:
        assert anon.post("/reports", content=seed_text).status_code == 401
        wrong = server.client(token="not-the-token")
        assert wrong.post("/reports", content=seed_text).status_code == 401
        wrong.close()
        assert _events(c) == []

        first = c.post("/reports", content=seed_text)
        assert first.status_code == 201, first.text
        [rec] = first.json()["reports"]
        assert rec["new"] and rec["events"]
        rid = rec["id"]

        events = _events(c)
        ids = {f["id"] for f in events}
        assert set(rec["merged_events"]) <= ids and set(rec["merged_events"]) <= set(rec["events"])
        for f in events:
            p = f["properties"]
            assert rid in p["reports"].split(";")
            # provenance: the sentence offsets point into the stored text
            assert 0 <= p["sentence_start"] < p["sentence_end"]
            assert f["geometry"]["coordinates"] == [p["longitude"], p["latitude"]]
        stored = c.get(f"/reports/{rid}").json()
        for f in events:
            p = f["properties"]
            assert p["notes"].strip() in stored["text"]
        assert stored["places"]["features"], "the report's places are served"

        control = c.get("/control").json()["features"]
        held = [f for f in control if f["properties"]["status"] != "unknown"]
        assert held and all(f["properties"]["report"] == rid for f in held)
        assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in held)

        # districts (admin-2), each with its province
        r = c.get("/control", params={"level": "district"})
        assert r.status_code == 200, r.text
        districts = r.json()["features"]
        provinces = {f["id"] for f in c.get("/control").json()["features"]}
        held_d = [f for f in districts if f["properties"]["status"] != "unknown"]
        assert held_d and all(f["properties"]["report"] == rid for f in held_d)
        for f in districts:
            p = f["properties"]
            assert f["id"] == p["admin2_code"] and p["admin2"]
            assert p["iso_3166_2"] in provinces or p["status"] == "unknown"
        assert c.get("/control", params={"level": "district", "country": "NO"}).json() == {
            "type": "FeatureCollection",
            "features": [],
            "next": None,
        }
        assert c.get("/control", params={"level": "county"}).status_code == 400

        # the same report again: 200 and nothing added
        seq = c.get("/healthz").json()["seq"]
        again = c.post("/reports", content=seed_text)
        assert again.status_code == 200
        assert again.json()["reports"][0]["new"] is False
        assert c.get("/healthz").json()["seq"] == seq
        assert sorted(f["id"] for f in _events(c)) == sorted(ids)

        # filters and the cursor
        some = events[0]["properties"]
        typed = _events(c, event_type=some["event_type"])
        assert typed and all(f["properties"]["event_type"] == some["event_type"] for f in typed)
        lon, lat = some["longitude"], some["latitude"]
        boxed = _events(c, bbox=f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}")
        assert some["event_id"] in {f["id"] for f in boxed}
        assert len(boxed) < len(events) or len(events) == 1
        far = _events(c, bbox="-10,-10,-9,-9")
        assert far == []
        page1 = c.get("/events", params={"limit": 2}).json()
        assert len(page1["features"]) == 2 and page1["next"] is not None
        page2 = c.get("/events", params={"limit": 5000, "after": page1["next"]}).json()
        assert {f["id"] for f in page1["features"]} | {f["id"] for f in page2["features"]} == ids
        assert c.get("/events", params={"bbox": "1,2,3"}).status_code == 400
        assert c.get("/events", params={"since": "yesterday"}).status_code == 400

        # retraction: events gone, control back to unknown, both in the change feed
        assert anon.delete(f"/reports/{rid}").status_code == 401
        gone = c.delete(f"/reports/{rid}")
        assert gone.status_code == 200 and gone.json()["retracted"] is True
        assert _events(c) == []
        assert c.get(f"/reports/{rid}").json()["retracted"] is True
        assert c.get("/control").json()["features"] == []
        assert c.delete("/reports/r-nosuchreport").status_code == 404

        feed = _read_stream(c, after=0)
        kinds = [k for k, _ in feed]
        assert "report" in kinds and "report_retracted" in kinds
        retracted = {d["event_id"] for k, d in feed if k == "event_retracted"}
        assert retracted == ids

        # posting it again brings it back
        back = c.post("/reports", content=seed_text)
        assert back.status_code == 201
        assert sorted(f["id"] for f in _events(c)) == sorted(ids)


def _read_stream(c: httpx.Client, after: int) -> list[tuple[str, dict]]:
    """Read the change feed from ``after`` until it has caught up with /healthz."""
    last = c.get("/healthz").json()["seq"]
    out: list[tuple[str, dict]] = []
    kind = None
    with c.stream("GET", "/stream", headers={"Last-Event-ID": str(after)}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        seq = after
        for line in r.iter_lines():
            if line.startswith("id:"):
                seq = int(line[3:].strip())
            elif line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:") and kind:
                out.append((kind, json.loads(line[5:].strip())))
                if seq >= last:
                    break
    return out


def test_bad_input_stores_nothing(server):
    with server.client() as c:
        seq = c.get("/healthz").json()["seq"]
        cases = [
            (b"", "text/plain", 400),
            (b"   \n", "text/plain", 400),
            (b"\x00\x01\x02binary", "application/octet-stream", 415),
            (b"\xff\xfe bad utf8", "text/plain", 415),
            (b"{not json", "application/json", 400),
            (b'{"title": "no text"}', "application/json", 400),
            (b'{"text": "Fighting in Kabul.", "date": "someday"}', "application/json", 400),
            # a batch with one bad line: nothing of it is stored
            (
                b'{"text": "Fighting in Herat on 3 May 2021."}\n{"text": ""}\n',
                "application/x-ndjson",
                400,
            ),
            (b"x" * (2 * 1024 * 1024 + 1), "text/plain", 413),
        ]
        for body, kind, status in cases:
            r = c.post("/reports", content=body, headers={"Content-Type": kind})
            assert r.status_code == status, (body[:40], r.text)
            error = r.json()["error"]
            assert isinstance(error, str) and "Traceback" not in error
        assert c.get("/healthz").json()["seq"] == seq


def test_openapi_and_no_cors(server):
    with server.client(token=None) as c:
        spec = c.get("/openapi.json").json()
        assert {"/reports", "/events", "/places", "/control", "/stream"} <= set(spec["paths"])
        r = c.get("/events", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in r.headers
        assert c.get("/control", params={"level": "admin3"}).status_code == 400

"""The read side: GeoJSON FeatureCollections of places, events and control, filtered and
paged by an increasing cursor (``seq``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from shapely.geometry import mapping

from geomap.service import store as S

__all__ = ["Filters", "control_features", "event_features", "place_features"]

MAX_LIMIT = 5000


@dataclass
class Filters:
    """Query parameters shared by ``/places`` and ``/events``."""

    bbox: tuple[float, float, float, float] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    actor: str | None = None
    country: str | None = None
    after: int = 0
    limit: int = 1000


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees, or ValueError."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError("bbox is west,south,east,north")
    w, s, e, n = (float(p) for p in parts)
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90 and w <= e):
        raise ValueError("bbox is west,south,east,north in degrees, west <= east, south <= north")
    return w, s, e, n


def _point(lon: Any, lat: Any) -> dict[str, Any] | None:
    if lon is None or lat is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _collection(features: list[dict[str, Any]], limit: int, last: int) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": features,
        "next": last if len(features) >= limit else None,
    }


def event_features(store: S.Store, f: Filters) -> str:
    """Events as a GeoJSON FeatureCollection, serialised (``next``: the cursor or null)."""
    t = S.events
    q = sa.select(t.c.event_id, t.c.seq, t.c.longitude, t.c.latitude, t.c.props).where(
        t.c.seq > f.after
    )
    if f.bbox:
        w, s, e, n = f.bbox
        if store.is_sqlite:
            q = q.where(t.c.longitude.between(w, e), t.c.latitude.between(s, n))
        else:
            q = q.where(
                sa.text("geom && ST_MakeEnvelope(:w, :s, :e, :n, 4326)").bindparams(
                    w=w, s=s, e=e, n=n
                )
            )
    if f.since:
        q = q.where(t.c.event_date >= f.since.isoformat())
    if f.until:
        q = q.where(t.c.event_date <= f.until.isoformat())
    if f.event_type:
        q = q.where(t.c.event_type == f.event_type)
    if f.actor:
        q = q.where(sa.or_(t.c.actor1 == f.actor, t.c.actor2 == f.actor))
    if f.country:
        q = q.where(t.c.country == f.country.upper())
    q = q.order_by(t.c.seq).limit(f.limit)
    with store.read() as conn:
        rows = conn.execute(q).all()
    # rows hold their properties as JSON already: splice them in rather than parse them
    parts = []
    for r in rows:
        eid = json.dumps(r.event_id)
        geometry = json.dumps(_point(r.longitude, r.latitude))
        parts.append(
            f'{{"type": "Feature", "id": {eid}, "geometry": {geometry}, '
            f'"properties": {r.props[:-1]}, "seq": {r.seq}}}}}'
        )
    nxt = rows[-1].seq if len(rows) >= f.limit else None
    return (
        '{"type": "FeatureCollection", "features": ['
        + ", ".join(parts)
        + f'], "next": {json.dumps(nxt)}}}'
    )


def place_features(store: S.Store, f: Filters, report: str | None = None) -> dict[str, Any]:
    p, r = S.report_places, S.reports
    q = (
        sa.select(r.c.seq, p.c.n, p.c.lon, p.c.lat, p.c.props)
        .join(r, r.c.id == p.c.report)
        .where(r.c.retracted_seq.is_(None), r.c.seq > f.after)
    )
    if report:
        q = q.where(p.c.report == report)
    if f.bbox:
        w, s, e, n = f.bbox
        q = q.where(p.c.lon.between(w, e), p.c.lat.between(s, n))
    if f.since:
        q = q.where(r.c.date >= f.since.isoformat())
    if f.until:
        q = q.where(r.c.date <= f.until.isoformat())
    if f.country:
        q = q.where(p.c.country == f.country.upper())
    q = q.order_by(r.c.seq, p.c.n).limit(f.limit + 1)
    with store.read() as conn:
        rows = conn.execute(q).all()
    more = len(rows) > f.limit
    if more:  # a page ends at a report boundary (unless one report fills it)
        cut = rows[f.limit].seq
        rows = [x for x in rows[: f.limit] if x.seq != cut] or rows[: f.limit]
    features = [
        {
            "type": "Feature",
            "geometry": _point(x.lon, x.lat),
            "properties": {**json.loads(x.props), "seq": x.seq},
        }
        for x in rows
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "next": rows[-1].seq if more and rows else None,
    }


def control_features(table: Any) -> dict[str, Any]:
    """A control GeoDataFrame (:func:`geo.control_as_of`) as a FeatureCollection."""
    from geomap.service.derive import frame_records

    records = frame_records(table)
    geoms = list(table.geometry) if "geometry" in table else [None] * len(records)
    features = [
        {
            "type": "Feature",
            "id": rec.get("admin2_code") or rec.get("iso_3166_2"),
            "geometry": mapping(g) if g is not None and not g.is_empty else None,
            "properties": rec,
        }
        for rec, g in zip(records, geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features, "next": None}

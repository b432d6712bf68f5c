"""Incremental derivation: after a change, re-merge only the versions it can affect and
recompute control only for the regions whose events changed.

Why this equals a full recompute
--------------------------------
:func:`geo.events.merge_events` merges a version into a group only when they have the same
``event_type``, ``sub_event_type`` and ``target`` (undated versions: also the same report),
are dated within ``window_days`` of the group's anchor and lie within ``distance_km`` of it
(region-only versions: the same region). Whether a version starts a new group or joins one
depends only on the anchors it could join, so the grouping of a set of versions is the union
of the groupings of the connected components of the graph whose edges join two versions of
one partition (:func:`partition`) that are at most ``window_days`` apart and close enough
(the merge's own tests; a little slack on distance only makes components larger). The
versions are always merged in one canonical order (report ``seq``, then the version's
``n``), so a component merged alone gives the same events as inside the whole store.

A batch of changes (reports posted or retracted since the last derivation) therefore
re-merges the components that contain a version of a changed report, in the graph of the
versions of live *and* changed reports (a superset of the versions before and after the
change, so each old and each new component lies inside one of them). The merged events
those components held before (each version remembers its event, ``report_mentions.event_id``)
are replaced by the new ones.

Control (:func:`geo.control_as_of` on the last event day) is per region: a region's row
depends only on the events placed in it, and on whether its country has any fighting at all
(:func:`geomap.service.derive.control_regions`). So it is recomputed for the regions of the
events that changed, plus every region of a country whose "any fighting" flag flipped.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.distance import haversine_km
from geo.events import merge_events
from geomap.service import store as S

__all__ = ["Delta", "derive_incremental", "partition"]

KEY_COLUMNS = ("event_type", "sub_event_type", "target")
_MERGE = inspect.signature(merge_events).parameters
WINDOW_DAYS = int(_MERGE["window_days"].default)
DISTANCE_KM = float(_MERGE["distance_km"].default) * 1.01 + 1e-6  # slack: a superset
CHUNK = 500  # parameters per IN (...)


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:  # YYYY-MM-DD, as versions store it
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    ts = pd.to_datetime(value, errors="coerce")
    if ts is None or pd.isna(ts):
        return None
    return str(ts.strftime("%Y-%m-%d"))


def partition(version: dict[str, Any]) -> dict[str, Any]:
    """The columns of one event version that say what it can merge with: ``merge_key``,
    ``day``, ``lat``, ``lon`` and ``region_loc`` (the region of a region-only version).

    Versions of different keys never merge (:func:`geo.events.merge_events`); an undated
    version's key includes its report, as undated versions merge only within a report.
    """
    key = "\x1f".join(str(version.get(c)) for c in KEY_COLUMNS)
    day = _day(version.get("event_date"))
    if day is None:
        key += "\x1fundated\x1f" + str(version.get("report"))
    lat, lon = _float(version.get("latitude")), _float(version.get("longitude"))
    region = version.get("place_kind") == "region"
    return {
        "merge_key": key,
        "day": day,
        "lat": None if math.isnan(lat) else lat,
        "lon": None if math.isnan(lon) else lon,
        "region_loc": str(version.get("location")) if region else None,
    }


@dataclass(slots=True)
class _Version:
    report: str
    n: int
    seq: int
    live: bool
    day: int | None  # proleptic ordinal
    lat: float
    lon: float
    region: bool
    loc: str
    key: str
    props_json: str  # parsed only for the versions merged again
    event_id: str | None  # the merged event it is in (as last derived)

    @property
    def props(self) -> dict[str, Any]:
        return dict(json.loads(self.props_json))


def _float(value: Any) -> float:
    try:
        return float(value) if value is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def _version(row: Any) -> _Version:
    return _Version(
        report=row.report,
        n=row.n,
        seq=row.seq,
        live=row.retracted_seq is None,
        day=dt.date.fromisoformat(row.day).toordinal() if row.day else None,
        lat=_float(row.lat),
        lon=_float(row.lon),
        region=row.region_loc is not None,
        loc=str(row.region_loc),
        key=row.merge_key,
        props_json=row.props,
        event_id=row.event_id,
    )


# 1 degree of latitude is 111.2 km: two points further apart in latitude are never near
_LAT_DEGREES = DISTANCE_KM / 111.0


def _near(a: _Version, b: _Version) -> bool:
    if a.region or b.region:
        return a.region and b.region and a.loc == b.loc
    if abs(a.lat - b.lat) > _LAT_DEGREES:
        return False
    return bool(haversine_km(a.lat, a.lon, b.lat, b.lon) <= DISTANCE_KM)


def _components(vs: list[_Version]) -> list[list[_Version]]:
    """Connected components: versions at most WINDOW_DAYS apart and near each other."""
    parent = list(range(len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(vs)), key=lambda i: vs[i].day or 0)
    for pos, i in enumerate(order):
        for j in order[pos + 1 :]:
            if (vs[j].day or 0) - (vs[i].day or 0) > WINDOW_DAYS:
                break
            if _near(vs[i], vs[j]):
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, list[_Version]] = {}
    for i, v in enumerate(vs):
        groups.setdefault(find(i), []).append(v)
    return list(groups.values())


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for x in items:
        batch.append(x)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


_VERSION_COLUMNS = (
    S.report_mentions.c.report,
    S.report_mentions.c.n,
    S.report_mentions.c.props,
    S.report_mentions.c.event_id,
    S.report_mentions.c.day,
    S.report_mentions.c.lat,
    S.report_mentions.c.lon,
    S.report_mentions.c.region_loc,
    S.report_mentions.c.merge_key,
    S.reports.c.seq,
    S.reports.c.retracted_seq,
)


def _versions(conn: Connection, where: Any) -> list[_Version]:
    q = (
        sa.select(*_VERSION_COLUMNS)
        .join(S.reports, S.reports.c.id == S.report_mentions.c.report)
        .where(where)
    )
    return [_version(row) for row in conn.execute(q).all()]


def _window_query(kind: str) -> sa.Select:
    """The versions of one key in a range of days (``:key``, ``:a``, ``:b``): of one
    region (``region``: ``:loc``), or points in a box (``box``: ``:s``, ``:n``, ``:w``,
    ``:e``; ``lat``: latitudes only, near the antimeridian; ``all``: any point). Built
    once: building a statement costs more than running it."""
    rm = S.report_mentions
    where = (rm.c.merge_key == sa.bindparam("key")) & rm.c.day.between(
        sa.bindparam("a"), sa.bindparam("b")
    )
    if kind == "region":
        where &= rm.c.region_loc == sa.bindparam("loc")
    else:
        where &= rm.c.region_loc.is_(None)
    if kind in ("box", "lat"):
        where &= rm.c.lat.between(sa.bindparam("s"), sa.bindparam("n"))
    if kind == "box":
        where &= rm.c.lon.between(sa.bindparam("w"), sa.bindparam("e"))
    return (
        sa.select(*_VERSION_COLUMNS)
        .join(S.reports, S.reports.c.id == S.report_mentions.c.report)
        .where(where)
    )


_WINDOW = {kind: _window_query(kind) for kind in ("region", "box", "lat", "all")}
_KEY_DAYS = sa.select(
    S.report_mentions.c.merge_key,
    sa.func.min(S.report_mentions.c.day),
    sa.func.max(S.report_mentions.c.day),
).group_by(S.report_mentions.c.merge_key)


def _key_days(conn: Connection, keys: list[str]) -> dict[str, tuple[int, int]]:
    """The first and last day (ordinals) of the versions of each key."""
    out = {}
    for batch in _chunks(keys):
        for key, first, last in conn.execute(
            _KEY_DAYS.where(S.report_mentions.c.merge_key.in_(batch))
        ):
            if first is not None:
                out[key] = (
                    dt.date.fromisoformat(first).toordinal(),
                    dt.date.fromisoformat(last).toordinal(),
                )
    return out


def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(max(1, ordinal)).isoformat()


def _margins(south: float, north: float) -> tuple[float, float]:
    """Degrees of latitude and longitude within which a point may lie DISTANCE_KM from
    another between latitudes ``south`` and ``north``."""
    lat = _LAT_DEGREES
    far = min(89.0, max(abs(south), abs(north)) + lat)
    return lat, lat / max(math.cos(math.radians(far)), 0.01)


def _expand(
    conn: Connection,
    key: str,
    key_days: tuple[int, int],
    seeds: list[_Version],
    changed: set[str],
) -> list[_Version]:
    """The components of ``key`` that hold one of ``seeds`` (versions of changed reports,
    all points or all of one region): load the versions in a range of days (and, for
    points, a box around them), widen it until no chosen component can reach past it.
    ``key_days``: the key's first and last day."""
    kmin, kmax = key_days
    seed_ids = {(v.report, v.n) for v in seeds}
    region = seeds[0].loc if seeds[0].region else None
    a = min(v.day or 0 for v in seeds) - WINDOW_DAYS
    b = max(v.day or 0 for v in seeds) + WINDOW_DAYS
    box = _box(seeds, 1.0)
    while True:
        params: dict[str, Any] = {"key": key, "a": _iso(a), "b": _iso(b)}
        if region is not None:
            q = _WINDOW["region"]
            params["loc"] = region
        elif box is None:
            q = _WINDOW["all"]
        else:
            south, north, west, east = box
            params.update(s=south, n=north)
            if west > -180 and east < 180:
                q = _WINDOW["box"]
                params.update(w=west, e=east)
            else:  # near the antimeridian: no bound on longitude
                q = _WINDOW["lat"]
        loaded = {(v.report, v.n): v for v in map(_version, conn.execute(q, params).all())}
        loaded.update({(v.report, v.n): v for v in seeds})  # e.g. points without coordinates
        alive = [v for v in loaded.values() if v.live or v.report in changed]
        chosen = [c for c in _components(alive) if any((v.report, v.n) in seed_ids for v in c)]
        found = [v for c in chosen for v in c]
        days = [v.day or 0 for v in found]
        cmin, cmax = min(days), max(days)
        low_ok = a <= kmin or a <= cmin - WINDOW_DAYS
        high_ok = b >= kmax or b >= cmax + WINDOW_DAYS
        reach = _box(found, 1.0) if region is None else None
        space_ok = reach is None or (
            box is not None
            and box[0] <= reach[0]
            and box[1] >= reach[1]
            and box[2] <= reach[2]
            and box[3] >= reach[3]
        )
        if low_ok and high_ok and space_ok:
            return found
        span = b - a
        if not low_ok:
            a = min(a - span, cmin - WINDOW_DAYS)
        if not high_ok:
            b = max(b + span, cmax + WINDOW_DAYS)
        if not space_ok:
            box = _box(found, 2.0)


def _box(vs: list[_Version], margin: float) -> tuple[float, float, float, float] | None:
    """South, north, west, east around the points of ``vs`` (None: no point), widened by
    ``margin`` times the distance within which points merge."""
    pts = [(v.lat, v.lon) for v in vs if not v.region and not math.isnan(v.lat + v.lon)]
    if not pts:
        return None
    south, north = min(p[0] for p in pts), max(p[0] for p in pts)
    west, east = min(p[1] for p in pts), max(p[1] for p in pts)
    mlat, mlon = _margins(south, north)
    return south - margin * mlat, north + margin * mlat, west - margin * mlon, east + margin * mlon


def _clusters(seeds: list[_Version]) -> list[list[_Version]]:
    """Versions of changed reports (one key) in groups expanded together: a region's
    versions, or points close in time and space (far-apart ones are expanded apart)."""
    out: list[list[_Version]] = []
    spans: list[tuple[int, int, float, float, float, float] | None] = []
    regions: dict[str, list[_Version]] = {}
    for v in sorted(seeds, key=lambda x: x.day or 0):
        if v.region:
            regions.setdefault(v.loc, []).append(v)
            continue
        day = v.day or 0
        if math.isnan(v.lat + v.lon):
            out.append([v])  # near nothing: its own component
            spans.append(None)
            continue
        for i, span in enumerate(spans):
            if span is None:
                continue
            d0, d1, s, n, w, e = span
            if (
                day - d1 <= 2 * WINDOW_DAYS + 1
                and s - 1 <= v.lat <= n + 1
                and w - 1 <= v.lon <= e + 1
            ):
                out[i].append(v)
                spans[i] = (d0, day, min(s, v.lat), max(n, v.lat), min(w, v.lon), max(e, v.lon))
                break
        else:
            out.append([v])
            spans.append((day, day, v.lat, v.lat, v.lon, v.lon))
    return out + list(regions.values())


@dataclass
class Delta:
    """What one derivation changes: event rows, control rows and version→event links."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    events_gone: list[str] = field(default_factory=list)
    control: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    control_gone: list[str] = field(default_factory=list)
    links: list[tuple[str, int, str | None]] = field(default_factory=list)
    existing_events: set[str] = field(default_factory=set)
    existing_control: set[str] = field(default_factory=set)


def _affected_versions(conn: Connection, changed: set[str]) -> list[_Version]:
    rm = S.report_mentions
    touched: list[_Version] = []
    for batch in _chunks(sorted(changed)):
        touched += _versions(conn, rm.c.report.in_(batch))
    by_key: dict[str, list[_Version]] = {}
    for v in touched:
        by_key.setdefault(v.key, []).append(v)
    spans = _key_days(conn, sorted(k for k, vs in by_key.items() if vs[0].day is not None))
    selected: dict[tuple[str, int], _Version] = {}
    for key, vs in by_key.items():
        if vs[0].day is None:  # undated: the key is one report's
            found = [
                v for v in _versions(conn, rm.c.merge_key == key) if v.live or v.report in changed
            ]
        else:
            found = []
            for seeds in _clusters(vs):
                found += _expand(conn, key, spans[key], seeds, changed)
        for v in found:
            selected[(v.report, v.n)] = v
    return sorted(selected.values(), key=lambda v: (v.seq, v.n))


def _event_rows(conn: Connection, ids: Iterable[str]) -> dict[str, Any]:
    e = S.events
    out = {}
    for batch in _chunks(ids):
        for row in conn.execute(
            sa.select(e.c.event_id, e.c.digest, e.c.iso_3166_2, e.c.country, e.c.effect).where(
                e.c.event_id.in_(batch)
            )
        ).all():
            out[row.event_id] = row
    return out


def _fighting(
    conn: Connection, country: str, excluded: set[str], added: Iterable[dict[str, Any]]
) -> bool:
    from geomap.service.derive import FIGHTING

    if any(r.get("country") == country and r.get("effect") in FIGHTING for r in added):
        return True
    e = S.events
    ids = conn.execute(
        sa.select(e.c.event_id)
        .where(e.c.country == country, e.c.effect.in_(FIGHTING))
        .limit(len(excluded) + 1)
    ).scalars()
    return any(i not in excluded for i in ids)


def plan(conn: Connection, changed: set[str], regions: gpd.GeoDataFrame) -> Delta:
    """The changes to derived rows after the reports ``changed`` were posted or retracted
    (read from ``conn``, one consistent snapshot of the store)."""
    from geomap.service import derive as D

    delta = Delta()
    affected = _affected_versions(conn, changed)
    live = [v for v in affected if v.live]
    if live:
        merged, versions = merge_events(D.events_frame([v.props for v in live]))
        new_events = {r["event_id"]: r for r in D.frame_records(merged)}
        link = dict(zip(versions["version_id"], versions["event_id"], strict=True))
    else:
        new_events, link = {}, {}
    for v in affected:
        want = link.get(v.props.get("event_id")) if v.live else None
        if want != v.event_id:
            delta.links.append((v.report, v.n, want))
    old = _event_rows(conn, {v.event_id for v in affected if v.event_id} | set(new_events))
    delta.existing_events = set(old)
    delta.events = [
        (k, r) for k, r in new_events.items() if k not in old or old[k].digest != D.digest(r)
    ]
    delta.events_gone = [k for k in old if k not in new_events]
    if not delta.events and not delta.events_gone:
        return delta

    # control: the regions of changed events that count for control (fighting, captures,
    # repelled attacks: geo.control reads no other), and every region of a country whose
    # "any fighting" flag flips
    from geomap.service.derive import FIGHTING

    changed_ids = set(delta.events_gone) | {k for k, _ in delta.events}
    before = [old[k] for k in changed_ids if k in old]
    added = [r for _, r in delta.events]
    isos: set[str] = {
        str(x)
        for x in [b.iso_3166_2 for b in before if b.effect in FIGHTING]
        + [r.get("iso_3166_2") for r in added if r.get("effect") in FIGHTING]
        if x
    }
    countries: set[str] = {
        str(x) for x in [b.country for b in before] + [r.get("country") for r in added] if x
    }
    fighting: dict[str, bool] = {}
    for c in sorted(countries):
        was = _fighting(conn, c, set(), [])
        fighting[c] = _fighting(conn, c, changed_ids, added)
        if was != fighting[c]:
            isos |= set(regions.loc[regions["country"] == c, "iso_3166_2"].dropna())
    sub = regions[regions["iso_3166_2"].isin(isos)]
    for c in set(sub["country"].dropna()) - set(fighting):
        fighting[c] = _fighting(conn, c, changed_ids, added)
    sub = sub[sub["country"].map(lambda c: fighting.get(c, False)).astype(bool)]

    e = S.events
    records = [r for r in added if r.get("iso_3166_2") in isos and r.get("effect") in FIGHTING]
    for batch in _chunks(sorted(isos)):
        for eid, props in conn.execute(
            sa.select(e.c.event_id, e.c.props).where(
                e.c.iso_3166_2.in_(batch), e.c.effect.in_(FIGHTING)
            )
        ).all():
            if eid not in changed_ids:
                records.append(json.loads(props))
    rows = {r["iso_3166_2"]: r for r in D.region_control(D.events_frame(records), sub)}
    ct = S.control
    old_c: dict[str, str] = {}
    for batch in _chunks(sorted(isos)):
        old_c.update(
            conn.execute(
                sa.select(ct.c.iso_3166_2, ct.c.digest).where(ct.c.iso_3166_2.in_(batch))
            ).all()
        )
    delta.existing_control = set(old_c)
    delta.control = [(k, r) for k, r in rows.items() if old_c.get(k) != D.digest(r)]
    delta.control_gone = [k for k in old_c if k not in rows]
    return delta


def changed_reports(conn: Connection, derived_seq: int, input_seq: int) -> set[str]:
    """The reports posted or retracted after ``derived_seq`` up to ``input_seq``."""
    ch = S.changes
    return set(
        conn.execute(
            sa.select(ch.c.key).where(
                ch.c.seq > derived_seq,
                ch.c.seq <= input_seq,
                ch.c.kind.in_(("report", "report_retracted")),
            )
        ).scalars()
    )


def derive_incremental(store: S.Store, regions: gpd.GeoDataFrame) -> int | None:
    """Bring the derived tables up to the stored reports by re-deriving only what the
    changes since the last derivation can affect.

    Returns the number of changes written, or None if another derivation was written
    meanwhile (the caller tries again).
    """
    from geomap.service import derive as D

    with store.read() as conn:
        if not store.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            input_seq = S.Store.get_meta(conn, "input_seq")
            derived_seq = S.Store.get_meta(conn, "derived_seq")
            if derived_seq >= input_seq:
                return 0
            delta = plan(conn, changed_reports(conn, derived_seq, input_seq), regions)
    with store.write() as conn:
        if S.Store.get_meta(conn, "derived_seq") != derived_seq:
            return None
        n = D.write_delta(conn, delta)
        S.Store.set_meta(conn, "derived_seq", input_seq)
    return n

"""Which event versions a change can affect: after reports are posted or retracted, the
incremental derivation (:mod:`geomap.service.incremental`) re-merges only these.

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
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.distance import haversine_km
from geo.events import merge_events
from geomap.service import store as S

__all__ = ["Version", "affected_versions", "partition"]

KEY_COLUMNS = ("event_type", "sub_event_type", "target")
_MERGE = inspect.signature(merge_events).parameters
WINDOW_DAYS = int(_MERGE["window_days"].default)
DISTANCE_KM = float(_MERGE["distance_km"].default) * 1.01 + 1e-6  # slack: a superset


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
class Version:
    """One stored event version: what says what it merges with, and its merged event."""

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
    event_id: str | None  # the merged event it is in (as last derived)
    props_json: str | None = None  # loaded only for the versions merged again

    @property
    def props(self) -> dict[str, Any]:
        return dict(json.loads(self.props_json or "{}"))


def _float(value: Any) -> float:
    try:
        return float(value) if value is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def _version(row: Any) -> Version:
    return Version(
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
        event_id=row.event_id,
    )


# 1 degree of latitude is 111.2 km: two points further apart in latitude are never near
_LAT_DEGREES = DISTANCE_KM / 111.0


def _near(a: Version, b: Version) -> bool:
    if a.region or b.region:
        return a.region and b.region and a.loc == b.loc
    if abs(a.lat - b.lat) > _LAT_DEGREES:
        return False
    if a.lat == b.lat and a.lon == b.lon:
        return True
    return bool(haversine_km(a.lat, a.lon, b.lat, b.lon) <= DISTANCE_KM)


def _components(vs: list[Version]) -> list[list[Version]]:
    """Connected components: versions at most WINDOW_DAYS apart and near each other.

    Versions of one day at one point (or in one region) are one site: joined at once,
    and compared with others once (a town's reports of a day are many versions)."""
    sites: dict[tuple[Any, ...], int] = {}
    site_of: list[int] = []
    reps: list[Version] = []  # a version of each site
    for i, v in enumerate(vs):
        if v.region:
            key: tuple[Any, ...] = (v.day, True, v.loc)
        elif math.isnan(v.lat) or math.isnan(v.lon):
            key = (None, i)  # near nothing, not even another point without coordinates
        else:
            key = (v.day, False, v.lat, v.lon)
        site = sites.setdefault(key, len(reps))
        if site == len(reps):
            reps.append(v)
        site_of.append(site)
    parent = list(range(len(reps)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(reps)), key=lambda i: reps[i].day or 0)
    for pos, i in enumerate(order):
        for j in order[pos + 1 :]:
            if (reps[j].day or 0) - (reps[i].day or 0) > WINDOW_DAYS:
                break
            ri, rj = find(i), find(j)
            if ri != rj and _near(reps[i], reps[j]):  # joined already: no need to look
                parent[ri] = rj
    groups: dict[int, list[Version]] = {}
    for i, v in enumerate(vs):
        groups.setdefault(find(site_of[i]), []).append(v)
    return list(groups.values())


_VERSION_COLUMNS = (
    S.report_mentions.c.report,
    S.report_mentions.c.n,
    S.report_mentions.c.event_id,
    S.report_mentions.c.day,
    S.report_mentions.c.lat,
    S.report_mentions.c.lon,
    S.report_mentions.c.region_loc,
    S.report_mentions.c.merge_key,
    S.reports.c.seq,
    S.reports.c.retracted_seq,
)


def _versions(conn: Connection, where: Any) -> list[Version]:
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
    for batch in S.chunks(keys):
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
    seeds: list[Version],
    changed: set[str],
) -> list[Version]:
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


def _box(vs: list[Version], margin: float) -> tuple[float, float, float, float] | None:
    """South, north, west, east around the points of ``vs`` (None: no point), widened by
    ``margin`` times the distance within which points merge."""
    pts = [(v.lat, v.lon) for v in vs if not v.region and not math.isnan(v.lat + v.lon)]
    if not pts:
        return None
    south, north = min(p[0] for p in pts), max(p[0] for p in pts)
    west, east = min(p[1] for p in pts), max(p[1] for p in pts)
    mlat, mlon = _margins(south, north)
    return south - margin * mlat, north + margin * mlat, west - margin * mlon, east + margin * mlon


def _clusters(seeds: list[Version]) -> list[list[Version]]:
    """Versions of changed reports (one key) in groups expanded together: a region's
    versions, or points close in time and space (far-apart ones are expanded apart)."""
    out: list[list[Version]] = []
    spans: list[tuple[int, int, float, float, float, float] | None] = []
    regions: dict[str, list[Version]] = {}
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


def affected_versions(conn: Connection, changed: set[str]) -> list[Version]:
    """The versions of the components that hold a version of a report in ``changed``
    (live versions, and those of the changed reports), in the canonical merge order."""
    rm = S.report_mentions
    touched: list[Version] = []
    for batch in S.chunks(sorted(changed)):
        touched += _versions(conn, rm.c.report.in_(batch))
    by_key: dict[str, list[Version]] = {}
    for v in touched:
        by_key.setdefault(v.key, []).append(v)
    spans = _key_days(conn, sorted(k for k, vs in by_key.items() if vs[0].day is not None))
    selected: dict[tuple[str, int], Version] = {}
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
    # the versions' rows (large) only for those chosen
    for batch in S.chunks(sorted({r for r, _n in selected})):
        for report, n, props in conn.execute(
            sa.select(rm.c.report, rm.c.n, rm.c.props).where(rm.c.report.in_(batch))
        ):
            if (report, n) in selected:
                selected[(report, n)].props_json = props
    return sorted(selected.values(), key=lambda v: (v.seq, v.n))

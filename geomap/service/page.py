"""``GET /``: the page of ``geomap map`` drawn from the store, plus ``live.js``, which
keeps it up to date from ``/stream``."""

from __future__ import annotations

from importlib import resources
from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from geomap.service import derive as D
from geomap.service import store as S
from maps.safe import json_for_script

__all__ = ["live_js", "live_page"]


def live_js() -> str:
    """The page's live client (``maps/static/live.js``)."""
    return resources.files("maps.static").joinpath("live.js").read_text(encoding="utf-8")


def _places(conn: sa.Connection) -> gpd.GeoDataFrame:
    import json

    rows = conn.execute(
        sa.select(S.report_places.c.props)
        .join(S.reports, S.reports.c.id == S.report_places.c.report)
        .where(S.reports.c.retracted_seq.is_(None))
        .order_by(S.reports.c.seq, S.report_places.c.n)
    ).scalars()
    df = pd.DataFrame([json.loads(r) for r in rows])
    if df.empty:
        return gpd.GeoDataFrame(df, geometry=[], crs="EPSG:4326")
    if "report_date" in df:
        df["report_date"] = pd.to_datetime(df["report_date"], errors="coerce")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")


def live_page(service: Any, *, title: str = "geomap live", offline: bool = True) -> str:
    """The HTML of the live map for the store's current state."""
    import maps
    from geo.control import control_as_of, control_timeline

    with service.store.read() as conn:
        places = _places(conn)
        events = D.stored_events(conn)
        last = S.Store.get_meta(conn, "seq")
    regions = service.pipeline.regions
    # only the countries the reports are about: the boundaries may cover the world
    countries = set(places["country"].dropna()) if len(places) else set()
    if len(events):
        countries |= set(events["country"].dropna())
    regions = regions[regions["country"].isin(countries)]
    extra: dict[str, Any] = {}
    if len(events):
        extra["events"] = events
        extra["control_timeline"] = control_timeline(events, regions)
        dated = events["event_date"].dropna()
        if len(dated):
            extra["control"] = control_as_of(events, regions, dated.max())
    m = maps.make_map(
        places if len(places) else None,
        regions=regions if len(regions) else None,
        title=title,
        offline=offline,
        **extra,
    )
    html = m.get_root().render()
    config = json_for_script({"stream": "stream", "after": last})
    tail = (
        f'<script id="geomap-live-config" type="application/json">{config}</script>\n'
        '<script src="static/live.js"></script>\n'
    )
    i = html.rfind("</body>")
    return html[:i] + tail + html[i:] if i >= 0 else html + tail

"""Build a geomap map: provinces, places, control, events and a time slider.

The page is a :class:`folium.Map` that needs exactly one library, Leaflet,
inlined from ``maps/assets`` (no jQuery, Bootstrap, Font Awesome or
awesome-markers; events are clustered by geomap's own script). All data goes into ONE compact
JSON blob (``<script type="application/json">``) that geomap's own script
(``maps/static/geomap.js``) turns into layers in a loop, so 100,000 events do
not become 100,000 copies of JavaScript. Report text reaches the page only
through that blob, escaped for ``<script>`` by :func:`maps.safe.json_for_script`,
and the script writes it into the page as text nodes, never as HTML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement

from maps import legend as lg
from maps.assets import app_script, inline_head_html
from maps.basemap import clip_to, compact_features, display_outlines, load_countries
from maps.safe import escape_html, json_for_script, safe_url
from maps.timeline import NO_DAY, date_range_text, day_numbers, to_dates

__all__ = ["make_map", "save_map"]

CREDITS = (
    "Places: GeoNames (geonames.org), CC BY 4.0",
    "Boundaries: Natural Earth (naturalearthdata.com), public domain",
)
_PRECISION = {
    1: "1: the town itself",
    2: "2: near a town, or part of a region",
    3: "3: a province or region",
}
# Online base layers (folium names, label in the layer control).
# (url, label in the layer control, attribution)
_TILES = (
    (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "OpenStreetMap",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "Light (CARTO positron)",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
        '&copy; <a href="https://carto.com/attributions">CARTO</a>',
    ),
)
_REGION_TOLERANCE = 0.01  # degrees, display simplification of provinces
_COUNTRY_TOLERANCE = 0.02  # degrees, display simplification of countries
_BASEMAP_MARGIN = 20.0  # degrees of country outlines drawn around the data, offline


class _Strings:
    """A table of distinct strings: columns store indexes, each text appears once."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, value: object) -> int:
        text = _text(value)
        if text is None:
            return -1
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.items)
            self.items.append(text)
        return i

    def column(self, values: Any) -> list[int]:
        # factorize first: each distinct value is converted once, not once per row
        series = values if isinstance(values, pd.Series) else pd.Series(list(values))
        codes, uniques = pd.factorize(series.astype(object))
        table = np.array([self.add(u) for u in uniques] + [-1], dtype=np.int64)
        return table[codes].tolist()  # code -1 (missing) picks the trailing -1


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NaT or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def _as_wgs84(df: pd.DataFrame | None, what: str) -> pd.DataFrame | None:
    if df is None:
        return None
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a (Geo)DataFrame, instead got: {type(df).__name__!r}")
    if isinstance(df, gpd.GeoDataFrame) and df.crs is not None and not df.crs.equals("EPSG:4326"):
        df = df.to_crs(4326)
    return df


def _lat_lon(df: pd.DataFrame, what: str, lat: str = "lat", lon: str = "lon") -> np.ndarray:
    """Coordinates as an (n, 2) array of lat, lon: from the geometry, else the columns."""
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        geoms = df.geometry
        ok = ~(geoms.isna() | geoms.is_empty)
        pts = geoms[ok].representative_point()
        out = np.full((len(df), 2), np.nan)
        out[np.asarray(ok), 0] = pts.y.to_numpy()
        out[np.asarray(ok), 1] = pts.x.to_numpy()
        return out
    if lat in df.columns and lon in df.columns:
        return np.column_stack(
            [pd.to_numeric(df[lat], errors="coerce"), pd.to_numeric(df[lon], errors="coerce")]
        )
    raise ValueError(
        f"{what} needs a geometry column or {lat!r} and {lon!r} columns, "
        f"instead got columns: {list(df.columns)!r}"
    )


def _round(values: np.ndarray, ndigits: int = 4) -> list[float]:
    return [float(v) for v in np.round(values, ndigits)]


# --------------------------------------------------------------------------- places


def _prepare_places(places: pd.DataFrame) -> tuple[dict[str, Any], pd.Series, int]:
    """Group mention rows into one marker per place; count mentions per region."""
    coords = _lat_lon(places, "places")
    ok = ~np.isnan(coords).any(axis=1)
    df = places.assign(_lat=coords[:, 0], _lon=coords[:, 1])[ok]
    dropped = int((~ok).sum())
    counts = _column(places, "iso_3166_2").dropna().astype(str).value_counts()
    key = (
        _column(df, "name").astype(str)
        + "|"
        + df["_lat"].round(5).astype(str)
        + "|"
        + df["_lon"].round(5).astype(str)
    )
    markers: list[dict[str, Any]] = []
    for _, group in df.groupby(key, sort=False):
        first = group.iloc[0]
        conf = pd.to_numeric(_column(group, "confidence"), errors="coerce")
        mentions = [
            {
                "mention": _text(row.get("mention")),
                "sentence": _text(row.get("sentence")),
                "report": _text(row.get("report")),
                "date": _text(row.get("report_date")),
            }
            for _, row in group.head(50).iterrows()
        ]
        markers.append(
            {
                "lat": round(float(first["_lat"]), 5),
                "lon": round(float(first["_lon"]), 5),
                "name": _text(first.get("name")) or _text(first.get("mention")),
                "kind": _text(first.get("kind")),
                "admin1": _text(first.get("admin1")),
                "iso": _text(first.get("iso_3166_2")),
                "country": _text(first.get("country")),
                "source": _text(first.get("source")),
                "confidence": None if conf.isna().all() else round(float(conf.max()), 2),
                "n": len(group),
                "mentions": mentions,
            }
        )
    return {"markers": markers, "dropped": dropped}, counts, len(markers)


# --------------------------------------------------------------------------- regions


def _prepare_regions(regions: gpd.GeoDataFrame, counts: pd.Series | None) -> dict[str, Any]:
    shapes = display_outlines(regions.geometry, _REGION_TOLERANCE)
    props = []
    for _, row in regions.iterrows():
        iso = _text(row.get("iso_3166_2"))
        props.append(
            {
                "iso": iso,
                "name": _text(row.get("admin1")),
                "country": _text(row.get("country")),
                "n": int(counts.get(iso, 0)) if counts is not None and iso else 0,
            }
        )
    return compact_features(shapes, props)


# --------------------------------------------------------------------------- events


def _event_symbols(types: pd.Series) -> tuple[list[lg.EventSymbol], list[int]]:
    """The symbols used on this map, and each event's index into them."""
    known = {s.event_type.lower(): s for s in lg.EVENT_TYPES}
    other = lg.EVENT_TYPES[-1]
    used: dict[str, int] = {}
    symbols: list[lg.EventSymbol] = []
    out = []
    for value in types:
        text = _text(value)
        sym = known.get(text.lower(), other) if text else other
        if sym.event_type not in used:
            used[sym.event_type] = len(symbols)
            symbols.append(sym)
        out.append(used[sym.event_type])
    # legend and icons in the codebook's order
    order = sorted(range(len(symbols)), key=lambda i: lg.EVENT_TYPES.index(symbols[i]))
    remap = {old: new for new, old in enumerate(order)}
    return [symbols[i] for i in order], [remap[i] for i in out]


def _prepare_events(
    events: pd.DataFrame, day0: pd.Timestamp | None, strings: _Strings
) -> tuple[dict[str, Any], list[lg.EventSymbol]]:
    coords = _lat_lon(events, "events", "latitude", "longitude")
    ok = ~np.isnan(coords).any(axis=1)
    df = events[ok]
    coords = coords[ok]
    days = day_numbers(to_dates(_column(df, "event_date")), day0)
    order = np.argsort(days, kind="stable")  # the slider shows a prefix of this order
    df = df.iloc[order]
    coords = coords[order]
    days = days[order]
    symbols, type_idx = _event_symbols(_column(df, "event_type"))
    hollow = [int(lg.is_unconfirmed(v)) for v in _column(df, "claim_status")]
    precision = pd.to_numeric(_column(df, "geo_precision"), errors="coerce").fillna(0).astype(int)
    count = pd.to_numeric(_column(df, "sources_count"), errors="coerce").fillna(1).astype(int)
    url_codes, url_values = pd.factorize(_column(df, "url").astype(object))
    checked = np.array([safe_url(u) for u in url_values] + [None], dtype=object)
    urls = pd.Series(checked[url_codes], index=df.index, dtype=object)
    data = {
        "n": len(df),
        "dropped": int((~ok).sum()),
        "lat": _round(coords[:, 0]),
        "lon": _round(coords[:, 1]),
        "day": days.tolist(),
        "type": type_idx,
        "hollow": hollow,
        "id": strings.column(_column(df, "event_id")),
        # the page shows a dated event's date from its day number; the text
        # is kept only for the dates it could not read
        "date": strings.column(
            _column(df, "event_date").map(_date_text).where(days == NO_DAY, None)
        ),
        "sub": strings.column(_column(df, "sub_event_type")),
        "actor1": strings.column(_column(df, "actor1")),
        "actor2": strings.column(_column(df, "actor2")),
        "location": strings.column(_column(df, "location")),
        "admin1": strings.column(_column(df, "admin1")),
        "source": strings.column(_column(df, "source")),
        "notes": strings.column(_column(df, "notes")),
        "claim": strings.column(_column(df, "claim_status")),
        "url": strings.column(urls),
        "precision": precision.tolist(),
        "count": count.tolist(),
    }
    return data, symbols


def _date_text(value: object) -> str | None:
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts.date().isoformat()
    return _text(value)


# --------------------------------------------------------------------------- control


def _prepare_control(
    control: pd.DataFrame | None,
    timeline: pd.DataFrame | None,
    regions: gpd.GeoDataFrame | None,
    day0: pd.Timestamp | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Control shapes (one per region) and each region's states sorted by day."""
    shapes: dict[str, Any] = {}
    names: dict[str, str | None] = {}
    for source in (regions, control, timeline):
        if isinstance(source, gpd.GeoDataFrame) and "iso_3166_2" in source.columns:
            for _, row in source.drop_duplicates("iso_3166_2").iterrows():
                iso = _text(row["iso_3166_2"])
                geom = row.geometry
                if iso and geom is not None and not geom.is_empty:
                    shapes[iso] = geom
                    names[iso] = _text(row.get("admin1")) or names.get(iso)
    if timeline is not None:
        rows = timeline
        days = day_numbers(to_dates(_column(rows, "date")), day0)
    else:
        rows = control if control is not None else pd.DataFrame()
        days = np.full(len(rows), NO_DAY, dtype=np.int64)
    states: dict[str, list[list[Any]]] = {}
    controllers: list[str] = []
    for day, (_, row) in zip(days.tolist(), rows.iterrows(), strict=True):
        iso = _text(row.get("iso_3166_2"))
        if not iso:
            continue
        status = (_text(row.get("status")) or "unknown").lower()
        controller = _text(row.get("controller")) if status == "controlled" else None
        if controller:
            controllers.append(controller)
        names.setdefault(iso, _text(row.get("admin1")))
        states.setdefault(iso, []).append(
            [
                day,
                status,
                controller,
                _text(row.get("claim_status")),
                _date_text(row.get("since")),
                _text(row.get("evidence")),
                int(lg.is_unconfirmed(row.get("claim_status"))),
            ]
        )
    for iso, seq in states.items():
        seq.sort(key=lambda s: s[0])
        # daily snapshots become change points: a state equal to the one before adds nothing
        states[iso] = [s for i, s in enumerate(seq) if i == 0 or s[1:] != seq[i - 1][1:]]
    # Every region of the countries that have some evidence of control (the
    # rest of such a country shows as unknown: no evidence is not government
    # control); neighbours with no evidence at all are left out.
    known = {
        iso.split("-")[0] for iso, seq in states.items() if any(s[1] != "unknown" for s in seq)
    }
    countries = known or {iso.split("-")[0] for iso in states}
    isos = [iso for iso in shapes if iso.split("-")[0] in countries]
    geoms = gpd.GeoSeries([shapes[i] for i in isos], crs=4326)
    fc = compact_features(
        display_outlines(geoms, _REGION_TOLERANCE),
        [{"iso": i, "name": names.get(i), "states": states.get(i, [])} for i in isos],
    )
    missing = sorted(set(states) - set(shapes))
    colors = lg.controller_colors(sorted(set(controllers)))
    return {"shapes": fc, "missing": missing}, colors


# --------------------------------------------------------------------------- the map


class _RawHTML(Element):
    """HTML put into the page as it is (branca would compile it as a template)."""

    def __init__(self, html: str):
        super().__init__()
        self._html = html

    def render(self, **kwargs: Any) -> str:
        return self._html


class GeomapLayers(MacroElement):
    """Adds geomap's data blob, title, legend and script to a :class:`folium.Map`.

    Rendered after the map itself (it is the map's last child), so the map
    variable exists when the script runs. Its HTML goes into the page as it
    is, never through a Jinja template: branca compiles the output of a
    macro as a template, which would evaluate a ``{{ ... }}`` written in a
    report.
    """

    def __init__(self, data: dict[str, Any], body_html: str, tiles: dict[str, str]):
        super().__init__()
        self._name = "GeomapLayers"
        self.data_json = json_for_script(data)
        self.body_html = body_html
        self.tiles_json = json_for_script(tiles)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca returns None too
        figure: Any = self.get_root()  # a branca Figure: header, html, script
        name = self.get_name()
        figure.header.add_child(_RawHTML(inline_head_html()), name="geomap_assets")
        figure.header.add_child(_RawHTML(f"<script>\n{app_script()}\n</script>"), name="geomap_app")
        figure.html.add_child(
            _RawHTML(
                f"{self.body_html}\n"
                f'<script type="application/json" id="{name}_data">{self.data_json}</script>'
            ),
            name=name,
        )
        figure.script.add_child(
            _RawHTML(
                f"geomapInit({self._parent.get_name()}, "  # type: ignore[union-attr]
                f'document.getElementById("{name}_data"), {{tiles: {self.tiles_json}}});'
            ),
            name=name,
        )


def _dates(series: pd.Series | None) -> pd.Series:
    if series is None:
        return pd.Series([], dtype="datetime64[ns]")
    return to_dates(series).dropna()


def make_map(
    places: pd.DataFrame | None = None,
    *,
    regions: gpd.GeoDataFrame | None = None,
    events: pd.DataFrame | None = None,
    control: pd.DataFrame | None = None,
    control_timeline: pd.DataFrame | None = None,
    title: str | None = None,
    offline: bool = False,
    basemap: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Draw places, provinces, territorial control and events on one map.

    Parameters
    ----------
    places : GeoDataFrame, optional
        One row per place mention (columns of ``geo.geoparse.find_places``,
        see docs/ARCHITECTURE.md). Drawn as one marker per place whose popup
        lists every mention with its sentence; mentions are counted per
        ``iso_3166_2`` for the province shading.
    regions : GeoDataFrame, optional
        Admin-1 polygons (``admin1``, ``iso_3166_2``, ``country``), e.g.
        ``geo.boundaries.load_boundaries()``. Shaded by mention count.
    events : GeoDataFrame or DataFrame, optional
        ACLED-like events (``event_id``, ``event_date``, ``event_type``,
        ``sub_event_type``, ``actor1``, ``actor2``, ``location``, ``latitude``,
        ``longitude``, ``geo_precision``, ``source``, ``notes``,
        ``claim_status``, ``sources_count``, ``url``). Clustered markers, one
        symbol per ``event_type``; claimed or denied events are hollow.
    control : GeoDataFrame, optional
        Control per admin-1 region (``iso_3166_2``, ``admin1``, ``status``,
        ``controller``, ``since``, ``claim_status``, ``evidence``).
    control_timeline : DataFrame, optional
        Same columns plus ``date``: the state of a region from that date on.
        With events dates, it drives the time slider.
    title : str, optional
        Shown at the top, with the range of dates the data covers.
    offline : bool, default False
        No tile layer: a light basemap drawn from country and province
        outlines instead, so the saved file works with no network.
    basemap : GeoDataFrame, optional
        Country outlines for the offline basemap; default
        :func:`maps.basemap.load_countries`.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`. Every library is inlined; only the
        online tiles (``offline=False``) come from the network.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> places = gpd.GeoDataFrame(
    ...     {"name": ["Herat"], "mention": ["Herat"], "iso_3166_2": ["AF-HER"],
    ...      "sentence": ["<b>Herat</b> is near Iran."]},
    ...     geometry=[Point(62.2, 34.35)], crs=4326)
    >>> html = make_map(places, title="Demo", offline=True).get_root().render()
    >>> "<b>Herat" in html, "\\\\u003cb\\\\u003eHerat" in html
    (False, True)
    """
    places = _as_wgs84(places, "places")
    regions = _as_wgs84(regions, "regions")
    events = _as_wgs84(events, "events")
    control = _as_wgs84(control, "control")
    control_timeline = _as_wgs84(control_timeline, "control_timeline")
    if regions is not None and not isinstance(regions, gpd.GeoDataFrame):
        raise TypeError(f"regions must be a GeoDataFrame, instead got: {type(regions).__name__!r}")

    # The slider's day 0: first dated event or control change.
    slider_dates = pd.concat(
        [
            _dates(_column(events, "event_date") if events is not None else None),
            _dates(_column(control_timeline, "date") if control_timeline is not None else None),
        ]
    )
    day0 = slider_dates.min() if len(slider_dates) else None
    day_last = slider_dates.max() if len(slider_dates) else None
    all_dates = pd.concat(
        [
            slider_dates,
            _dates(_column(places, "report_date") if places is not None else None),
        ]
    )
    covered = date_range_text(
        all_dates.min() if len(all_dates) else None, all_dates.max() if len(all_dates) else None
    )

    strings = _Strings()
    data: dict[str, Any] = {"offline": bool(offline), "strings": strings.items}
    counts = None
    n_places = 0
    if places is not None and len(places):
        data["places"], counts, n_places = _prepare_places(places)
    bins = None
    if regions is not None and len(regions):
        data["regions"] = _prepare_regions(regions, counts)
        max_count = max((f["properties"]["n"] for f in data["regions"]["features"]), default=0)
        if places is not None:
            bins = lg.choropleth_bins(max_count)
            data["choropleth"] = {
                "bins": [[lo, hi] for lo, hi in bins],
                "colors": list(lg.CHOROPLETH_COLORS),
            }
    symbols: list[lg.EventSymbol] = []
    n_events = 0
    if events is not None:
        data["events"], symbols = _prepare_events(events, day0, strings)
        n_events = data["events"]["n"]
        data["eventSymbols"] = [
            {
                "type": s.event_type,
                "svg": lg.event_symbol_svg(s),
                "hollow": lg.event_symbol_svg(s, hollow=True),
            }
            for s in symbols
        ]
    controllers: dict[str, str] | None = None
    if control is not None or control_timeline is not None:
        data["control"], controllers = _prepare_control(control, control_timeline, regions, day0)
        data["controlColors"] = {
            "controllers": controllers,
            "contested": lg.CONTESTED_COLOR,
            "unknown": lg.UNKNOWN_COLOR,
            "hatch": {
                c: lg.hatch_pattern_id(c) for c in [*controllers.values(), lg.CONTESTED_COLOR]
            },
        }
    if day0 is not None and day_last is not None:
        data["slider"] = {"day0": day0.date().isoformat(), "days": int((day_last - day0).days) + 1}
    data["placeColor"] = lg.PLACE_COLOR

    data["view"] = _view(places, events, regions, data)

    if offline:
        countries = basemap if basemap is not None else load_countries()
        data["basemap"] = _basemap_features(countries, regions, places, events)
        if data["basemap"]["features"] and data["view"]:
            (s, w), (n, e) = data["view"]
            data["maxBounds"] = [
                [max(s - _BASEMAP_MARGIN, -85.0), max(w - _BASEMAP_MARGIN, -180.0)],
                [min(n + _BASEMAP_MARGIN, 85.0), min(e + _BASEMAP_MARGIN, 180.0)],
            ]

    credits = list(CREDITS)
    report_credit = _report_credit(places, events)
    if report_credit:
        credits.append(report_credit)
    data["credits"] = " | ".join(escape_html(c) for c in credits[:3])

    summary_bits = []
    if places is not None:
        summary_bits.append(f"{n_places} places named")
    if events is not None:
        summary_bits.append(f"{n_events:,} events")
    if controllers is not None:
        summary_bits.append(f"control of {len(data['control']['shapes']['features'])} regions")
    body = "".join(
        [
            lg.title_html(title, covered, ", ".join(summary_bits) or None),
            lg.legend_html(
                bins=bins,
                has_places=n_places > 0,
                controllers=controllers,
                event_types=symbols or None,
                has_clusters=n_events > 0,
                credits=credits,
            ),
            lg.hatch_defs_html([*(controllers or {}).values(), lg.CONTESTED_COLOR])
            if controllers is not None
            else "",
            '<div class="geomap-slider" id="geomap-slider"></div>' if "slider" in data else "",
        ]
    )

    # geomap.js sets the view from the data without animation
    m = folium.Map(location=[34.5, 66.0], tiles=None, control_scale=True, zoom_start=5)
    # Only Leaflet, inlined by GeomapLayers: none of folium's CDN links.
    m.default_js = []
    m.default_css = []
    root: Any = m.get_root()  # a branca Figure
    root.header.add_child(
        _RawHTML(f"<title>{escape_html(title or 'geomap map')}</title>"), name="geomap_title"
    )
    tiles: dict[str, str] = {}
    if not offline:
        for i, (url, label, attr) in enumerate(_TILES):
            layer = folium.TileLayer(
                url, attr=attr, name=label, control=False, show=i == 0, max_zoom=19
            )
            layer.add_to(m)
            tiles[label] = layer.get_name()
    GeomapLayers(data, body, tiles).add_to(m)
    return m


def _point_boxes(
    places: pd.DataFrame | None, events: pd.DataFrame | None
) -> list[tuple[float, float, float, float]]:
    """(west, south, east, north) around the places, and around the events, where any."""
    boxes = []
    for df, lat, lon in ((places, "lat", "lon"), (events, "latitude", "longitude")):
        if df is not None and len(df):
            ll = _lat_lon(df, "data", lat, lon)
            ll = ll[~np.isnan(ll).any(axis=1)]
            if len(ll):
                boxes.append((ll[:, 1].min(), ll[:, 0].min(), ll[:, 1].max(), ll[:, 0].max()))
    return boxes


def _basemap_features(
    countries: gpd.GeoDataFrame | None,
    regions: gpd.GeoDataFrame | None,
    places: pd.DataFrame | None,
    events: pd.DataFrame | None,
) -> dict[str, Any]:
    """Country outlines around the data, simplified, for the offline basemap."""
    extents = _point_boxes(places, events)
    if regions is not None and len(regions):
        extents.append(tuple(regions.total_bounds))
    if not extents or countries is None or not len(countries):
        return {"type": "FeatureCollection", "features": []}
    arr = np.array(extents)
    bounds = (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())
    near = clip_to(countries, bounds, margin=_BASEMAP_MARGIN)
    shapes = near.geometry.simplify(_COUNTRY_TOLERANCE, preserve_topology=True)
    props = [{"name": _text(n)} for n in _column(near, "name")]
    return compact_features(shapes, props, ndigits=3)


def _view(
    places: pd.DataFrame | None,
    events: pd.DataFrame | None,
    regions: gpd.GeoDataFrame | None,
    data: dict[str, Any],
) -> list[list[float]] | None:
    """[[south, west], [north, east]] around what the map is about.

    The places (not countries named in passing) and events, the provinces
    that are named or whose control is known; all the regions only when there
    is nothing else.
    """
    boxes = []
    if places is not None and "kind" in places.columns:
        # a country named in passing ("the US") should not zoom the map out to the world
        places = places[places["kind"].astype(str) != "country"]
    # Reports name capitals abroad (talks in Doha, envoys from Moscow): frame the
    # country most places are in, the others are a zoom out away.
    focus = _focus_country(places, events)
    if focus is not None:
        places = _in_country(places, focus)
        events = _in_country(events, focus)
    boxes += _point_boxes(places, events)
    if regions is not None and len(regions):
        iso = _column(regions, "iso_3166_2").astype(str)
        named = set()
        if places is not None:
            named |= set(_column(places, "iso_3166_2").dropna().astype(str))
        if "control" in data:
            named |= {
                f["properties"]["iso"]
                for f in data["control"]["shapes"]["features"]
                if any(s[1] != "unknown" for s in f["properties"]["states"])
            }
        hit = regions[iso.isin(named).to_numpy()]
        if len(hit):
            boxes.append(tuple(hit.total_bounds))
        elif not boxes:
            boxes.append(tuple(regions.total_bounds))
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return [
        [round(float(arr[:, 1].min()), 4), round(float(arr[:, 0].min()), 4)],
        [round(float(arr[:, 3].max()), 4), round(float(arr[:, 2].max()), 4)],
    ]


def _focus_country(places: pd.DataFrame | None, events: pd.DataFrame | None) -> str | None:
    names = pd.concat(
        [_column(df, "country") for df in (places, events) if df is not None and len(df)]
        or [pd.Series([], dtype=object)]
    ).dropna()
    if names.empty:
        return None
    return str(names.astype(str).value_counts().index[0])


def _in_country(df: pd.DataFrame | None, country: str) -> pd.DataFrame | None:
    if df is None or "country" not in df.columns:
        return df
    inside = df[df["country"].astype(str) == country]
    return inside if len(inside) else df


def _report_credit(places: pd.DataFrame | None, events: pd.DataFrame | None) -> str | None:
    names: list[str] = []
    if events is not None:
        names += [t for t in (_text(v) for v in _column(events, "source").unique()) if t]
    n_reports = 0
    if places is not None:
        n_reports = _column(places, "report").nunique()
    if not names and not n_reports:
        return None
    shown = ", ".join(sorted(set(names))[:5])
    more = len(set(names)) - 5
    text = "Reports: "
    if shown:
        text += shown + (f" and {more} more" if more > 0 else "")
    else:
        text += f"{n_reports} report{'s' if n_reports != 1 else ''}"
    return text


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the map as one HTML file, whole or not at all.

    The page is written to a temporary file in the same folder and moved
    over ``path`` in one step (:func:`os.replace`): if anything fails, an
    existing file at ``path`` is left as it was.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`make_map` (or any folium map).
    path : str or PathLike
        Where to write; the folder must exist.

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> save_map(make_map(title="empty", offline=True), out).stat().st_size > 100_000
    True
    """
    from geo.output import write_text

    return write_text(m.get_root().render(), path)

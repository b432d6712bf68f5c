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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement

from maps import legend as lg
from maps.assets import app_script, inline_head_html
from maps.basemap import load_countries
from maps.columns import Strings, as_wgs84, column, text
from maps.control_layer import evidence_table, is_district, prepare_control, report_table
from maps.event_layer import prepare_events, symbols_data
from maps.places import prepare_places, prepare_regions
from maps.safe import escape_html, json_for_script
from maps.timeline import date_range_text, to_dates
from maps.view import (
    BASEMAP_MARGIN,
    basemap_features,
    data_countries,
    frame,
    point_boxes,
    regions_to_draw,
)

__all__ = ["CREDITS", "make_map", "page_data", "save_map"]

CREDITS = (
    "Places: GeoNames (geonames.org), CC BY 4.0",
    "Boundaries: Natural Earth (naturalearthdata.com), public domain",
)
# Shown when a district layer is drawn (geoBoundaries asks for attribution).
DISTRICT_CREDIT = "Districts: geoBoundaries (geoboundaries.org), gbOpen"
# With no data, a regions file bigger than this (a worldwide one) is not drawn.
_MAX_REGIONS_WITHOUT_DATA = 500
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


def _split_levels(
    df: pd.DataFrame | None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(admin-1 rows, admin-2 rows) of a control table; None where there are none."""
    if df is None:
        return None, None
    district = is_district(df)
    if not district.any():
        return df, None
    provinces = df[~district]
    return (provinces if len(provinces) else None), df[district]


def page_data(
    places: pd.DataFrame | None = None,
    *,
    regions: gpd.GeoDataFrame | None = None,
    events: pd.DataFrame | None = None,
    control: pd.DataFrame | None = None,
    control_timeline: pd.DataFrame | None = None,
    reports: Iterable[Any] | pd.DataFrame | None = None,
    offline: bool = False,
    basemap: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """The JSON-ready data a geomap page draws (what ``geomap.addData`` takes).

    The parameters are those of :func:`make_map` (but ``title``). The returned dict is
    what :func:`make_map` puts into the page; a live service can send it (or
    a part: ``events``, ``places``, ``control``) to ``geomap.addData`` in a
    page that is already open (see docs/maps.md).

    Examples
    --------
    >>> d = page_data()
    >>> d["view"] is None, "events" in d
    (True, False)
    """
    data = _page_data(
        places,
        regions=regions,
        events=events,
        control=control,
        control_timeline=control_timeline,
        reports=reports,
        offline=offline,
        basemap=basemap,
    )
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _page_data(
    places: pd.DataFrame | None = None,
    *,
    regions: gpd.GeoDataFrame | None = None,
    events: pd.DataFrame | None = None,
    control: pd.DataFrame | None = None,
    control_timeline: pd.DataFrame | None = None,
    reports: Iterable[Any] | pd.DataFrame | None = None,
    offline: bool = False,
    basemap: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """:func:`page_data`, plus keys starting with ``_`` that :func:`make_map` uses."""
    places = as_wgs84(places, "places")
    regions = as_wgs84(regions, "regions")  # type: ignore[assignment]
    events = as_wgs84(events, "events")
    control = as_wgs84(control, "control")
    control_timeline = as_wgs84(control_timeline, "control_timeline")
    if regions is not None and not isinstance(regions, gpd.GeoDataFrame):
        raise TypeError(f"regions must be a GeoDataFrame, instead got: {type(regions).__name__!r}")

    # The slider's day 0: first dated event or control change.
    slider_dates = pd.concat(
        [
            _dates(column(events, "event_date") if events is not None else None),
            _dates(column(control_timeline, "date") if control_timeline is not None else None),
        ]
    )
    day0 = slider_dates.min() if len(slider_dates) else None
    day_last = slider_dates.max() if len(slider_dates) else None
    all_dates = pd.concat(
        [slider_dates, _dates(column(places, "report_date") if places is not None else None)]
    )

    strings = Strings()
    data: dict[str, Any] = {"offline": bool(offline), "strings": strings.items}
    data["_covered"] = date_range_text(
        all_dates.min() if len(all_dates) else None, all_dates.max() if len(all_dates) else None
    )
    counts = None
    data["_n_places"] = 0
    if places is not None and len(places):
        data["places"], counts, data["_n_places"] = prepare_places(places)
    data["_symbols"] = []
    if events is not None:
        data["events"], data["_symbols"] = prepare_events(events, day0, strings)
        data["eventSymbols"] = symbols_data(data["_symbols"])

    evidence = (
        evidence_table(events, [control, control_timeline])
        if control is not None or control_timeline is not None
        else {}
    )
    controllers: list[str] | None = None
    province_rows, district_rows = _split_levels(control)
    province_tl, district_tl = _split_levels(control_timeline)
    district_regions = None
    if regions is not None and is_district(regions).any():
        district_regions = regions[is_district(regions)]
        regions = regions[~is_district(regions)]
    if province_rows is not None or province_tl is not None:
        data["control"], controllers = prepare_control(
            province_rows, province_tl, regions, day0, evidence
        )
    if district_rows is not None or district_tl is not None:
        data["districts"], more = prepare_control(
            district_rows, district_tl, district_regions, day0, evidence, district=True
        )
        controllers = sorted(set(controllers or []) | set(more))
    if controllers is not None:
        colors = lg.controller_colors(controllers)
        data["controlColors"] = {
            "controllers": colors,
            "contested": lg.CONTESTED_COLOR,
            "unknown": lg.UNKNOWN_COLOR,
            "hatch": {c: lg.hatch_pattern_id(c) for c in [*colors.values(), lg.CONTESTED_COLOR]},
        }
        wanted = {
            s[8]
            for key in ("control", "districts")
            if key in data
            for f in data[key]["shapes"]["features"]
            for s in f["properties"]["states"]
            if s[8]
        }
        data["reports"] = report_table(reports, events, places, wanted)
    if day0 is not None and day_last is not None:
        data["slider"] = {"day0": day0.date().isoformat(), "days": int((day_last - day0).days) + 1}
    data["placeColor"] = lg.PLACE_COLOR
    # every symbol, for events that arrive later as plain rows (geomap.addData)
    data["allEventSymbols"] = symbols_data(list(lg.EVENT_TYPES))
    data["confirmedClaims"] = sorted(lg.CONFIRMED_CLAIMS)

    # regions whose control is known frame the map (and name its countries, with no shape)
    known = {
        f["properties"]["iso"]
        for f in data.get("control", {}).get("shapes", {}).get("features", [])
        if any(s[1] != "unknown" for s in f["properties"]["states"])
    } | set(data.get("control", {}).get("missing", []))
    countries = basemap if basemap is not None else load_countries()
    has_data = bool(known) or any(df is not None and len(df) for df in (places, events))
    if not has_data and regions is not None and len(regions) > _MAX_REGIONS_WITHOUT_DATA:
        # nothing to frame (an empty live page): the world, without thousands of outlines
        regions = None
    data["view"] = frame(places, events, regions, known, countries)
    if regions is not None and len(regions):
        drawn = regions_to_draw(regions, data["view"], data_countries(places, events, known))
        data["regions"] = prepare_regions(drawn, counts)
        max_count = max((f["properties"]["n"] for f in data["regions"]["features"]), default=0)
        if places is not None:
            bins = lg.choropleth_bins(max_count)
            data["_bins"] = bins
            data["choropleth"] = {
                "bins": [[lo, hi] for lo, hi in bins],
                "colors": list(lg.CHOROPLETH_COLORS),
            }
    if offline:
        data["basemap"] = basemap_features(countries, data["view"], point_boxes(places, events))
        if data["basemap"]["features"] and data["view"]:
            (s, w), (n, e) = data["view"]
            data["maxBounds"] = [
                [max(s - BASEMAP_MARGIN, -85.0), max(w - BASEMAP_MARGIN, -180.0)],
                [min(n + BASEMAP_MARGIN, 85.0), min(e + BASEMAP_MARGIN, 180.0)],
            ]
    credits = list(CREDITS)
    if data.get("districts"):
        credits.append(DISTRICT_CREDIT)
    report_credit = _report_credit(places, events)
    if report_credit:
        credits.append(report_credit)
    data["_credits"] = credits
    data["credits"] = " | ".join(escape_html(c) for c in credits[:4])
    return data


def make_map(
    places: pd.DataFrame | None = None,
    *,
    regions: gpd.GeoDataFrame | None = None,
    events: pd.DataFrame | None = None,
    control: pd.DataFrame | None = None,
    control_timeline: pd.DataFrame | None = None,
    reports: Iterable[Any] | pd.DataFrame | None = None,
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
        Admin-1 polygons (``admin1``, ``iso_3166_2``, ``country``) of any
        country, e.g. ``geo.boundaries.load_boundaries()``. Shaded by mention
        count; only the regions of the data's countries and those near it are
        drawn. Admin-2 rows (see :mod:`maps.control_layer`) give the district
        control layer its shapes.
    events : GeoDataFrame or DataFrame, optional
        ACLED-like events (``event_id``, ``event_date``, ``event_type``,
        ``sub_event_type``, ``actor1``, ``actor2``, ``location``, ``latitude``,
        ``longitude``, ``geo_precision``, ``source``, ``notes``,
        ``claim_status``, ``sources_count``, ``url``). Clustered markers, one
        symbol per ``event_type``; claimed or denied events are hollow; listed
        newest first in the events panel, with filters by type and actor.
    control : GeoDataFrame, optional
        Control per region (``iso_3166_2``, ``admin1``, ``status``,
        ``controller``, ``since``, ``claim_status``, ``evidence``, and the
        provenance ``report``, ``quote``). Rows with ``level`` ``district``
        (or an ``admin2``) are drawn as a separate district layer.
    control_timeline : DataFrame, optional
        Same columns plus ``date``: the state of a region from that date on.
        With events dates, it drives the time slider.
    reports : iterable of geo.reports.Report, or DataFrame, optional
        The reports read, for the title, date and link a region's popup gives
        next to its evidence sentence (else taken from the events' columns).
    title : str, optional
        Shown at the top, with the range of dates the data covers.
    offline : bool, default False
        No tile layer: a light basemap drawn from country and province
        outlines instead, so the saved file works with no network.
    basemap : GeoDataFrame, optional
        Country outlines (``name``, ``country`` ISO alpha-2) for the offline
        basemap and to frame the data's countries; default
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
    ...     {"name": ["Aleppo"], "mention": ["Aleppo"], "iso_3166_2": ["SY-HL"],
    ...      "sentence": ["<b>Aleppo</b> is in the north."]},
    ...     geometry=[Point(37.16, 36.2)], crs=4326)
    >>> html = make_map(places, title="Demo", offline=True).get_root().render()
    >>> "<b>Aleppo" in html, "\\\\u003cb\\\\u003eAleppo" in html
    (False, True)
    """
    data = _page_data(
        places,
        regions=regions,
        events=events,
        control=control,
        control_timeline=control_timeline,
        reports=reports,
        offline=offline,
        basemap=basemap,
    )
    symbols: list[lg.EventSymbol] = data["_symbols"]
    n_events = data["events"]["n"] if "events" in data else 0
    colors = data.get("controlColors", {}).get("controllers")
    summary_bits = []
    if places is not None:
        summary_bits.append(f"{data['_n_places']} places named")
    if events is not None:
        summary_bits.append(f"{n_events:,} events")
    if "control" in data:
        summary_bits.append(f"control of {len(data['control']['shapes']['features'])} regions")
    if "districts" in data:
        summary_bits.append(f"{len(data['districts']['shapes']['features'])} districts")
    body = "".join(
        [
            lg.title_html(title, data["_covered"], ", ".join(summary_bits) or None),
            lg.legend_html(
                bins=data.get("_bins"),
                has_places=data["_n_places"] > 0,
                controllers=colors,
                event_types=symbols or None,
                has_clusters=n_events > 0,
                credits=data["_credits"],
            ),
            lg.hatch_defs_html([*(colors or {}).values(), lg.CONTESTED_COLOR])
            if colors is not None
            else "",
            # always there, empty (hidden) until data arrives: geomap.addData fills them
            '<div class="geomap-slider" id="geomap-slider"></div>',
            '<div class="geomap-list" id="geomap-list"></div>',
        ]
    )
    for key in [k for k in data if k.startswith("_")]:
        del data[key]

    # geomap.js sets the view from the data (the world when there is none), without animation
    m = folium.Map(location=[20.0, 0.0], tiles=None, control_scale=True, zoom_start=2)
    # Only Leaflet, inlined by GeomapLayers: none of folium's CDN links.
    m.default_js = []
    m.default_css = []
    root: Any = m.get_root()  # a branca Figure
    root.header.add_child(
        _RawHTML(f"<title>{escape_html(title or 'geomap map')}</title>"), name="geomap_title"
    )
    root.header.add_child(
        _RawHTML('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        name="geomap_viewport",
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


def _report_credit(places: pd.DataFrame | None, events: pd.DataFrame | None) -> str | None:
    names: list[str] = []
    if events is not None:
        names += [t for t in (text(v) for v in column(events, "source").unique()) if t]
    n_reports = 0
    if places is not None:
        n_reports = column(places, "report").nunique()
    if not names and not n_reports:
        return None
    shown = ", ".join(sorted(set(names))[:5])
    more = len(set(names)) - 5
    credit = "Reports: "
    if shown:
        credit += shown + (f" and {more} more" if more > 0 else "")
    else:
        credit += f"{n_reports} report{'s' if n_reports != 1 else ''}"
    return credit


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

    return write_text(m.get_root().render(), Path(path))

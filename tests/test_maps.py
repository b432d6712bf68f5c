"""Rendered-HTML tests of the maps package (no browser): escaping, layers, credits, offline."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest
from branca.element import Element
from maps_support import (
    XSS_IMG,
    XSS_SCRIPT,
    control_as_of,
    load_regions,
    make_control_timeline,
    make_events,
    make_places,
    make_xss_places,
)

from maps import escape_html, json_for_script, make_map, safe_url, save_map
from maps.basemap import display_outlines
from maps.legend import choropleth_bins

DATA_RE = re.compile(r'<script type="application/json" id="[^"]+_data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def regions():
    return load_regions()


@pytest.fixture(scope="module")
def places(regions):
    return make_places(regions)


@pytest.fixture(scope="module")
def timeline(regions):
    return make_control_timeline(regions)


def render(m: folium.Map) -> str:
    return m.get_root().render()


def blob(html: str) -> dict:
    found = DATA_RE.findall(html)
    assert len(found) == 1, "expected exactly one geomap data blob"
    return json.loads(found[0])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


# ----------------------------------------------------------------------------- safe text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("HTTPS://EXAMPLE.ORG/x", "HTTPS://EXAMPLE.ORG/x"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/a", None),
        ("/relative", None),
        ("https://", None),
        ("https://exa mple.org", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_safe_url_allows_only_absolute_http(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize("payload", [XSS_SCRIPT, XSS_IMG, "</script><!--", "a\u2028b"])
def test_json_for_script_cannot_close_the_element_and_round_trips(payload):
    text = json_for_script({"q": payload})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"q": payload}


def test_escape_html_escapes_markup_and_quotes():
    assert escape_html(XSS_IMG) == "&lt;img src=x onerror=&quot;window.__x=2&quot;&gt;"


def test_report_text_never_reaches_the_page_as_markup(regions):
    html = render(
        make_map(make_xss_places(regions), regions=regions, title=XSS_SCRIPT, offline=True)
    )
    assert XSS_SCRIPT not in html
    assert XSS_IMG not in html
    parsed = tags(html)
    assert not [t for t, _ in parsed if t == "img"]
    assert not [(t, a) for t, attrs in parsed for a in attrs if a.startswith("on")]
    # the title is shown, escaped, in the title box and the <title> element
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in html
    data = blob(html)
    sentences = [m["sentence"] for p in data["places"]["markers"] for m in p["mentions"]]
    assert all(s.startswith(f"{XSS_SCRIPT} {XSS_IMG} ") for s in sentences)


def test_only_http_urls_become_event_links(regions):
    html = render(make_map(events=make_events(), regions=regions, offline=True))
    data = blob(html)
    strings, ev = data["strings"], data["events"]
    urls = {strings[ev["id"][i]]: ev["url"][i] for i in range(ev["n"])}
    assert urls["GM-2"] == -1  # javascript: URL dropped
    assert strings[urls["GM-4"]] == "http://example.org/zaranj"
    assert "javascript:window.__x=3" not in html


# ----------------------------------------------------------------------------- layers


def test_places_map_has_markers_choropleth_layers_and_credits(regions, places):
    html = render(make_map(places, regions=regions, title="Badghis", offline=True))
    data = blob(html)
    markers = data["places"]["markers"]
    # Qala i Naw is named twice: one marker with both mentions
    assert len(markers) == 6
    qala = next(m for m in markers if m["name"] == "Qala i Naw")
    assert qala["n"] == 2 and qala["admin1"] == "Badghis" and qala["iso"] == "AF-BDG"
    counts = {f["properties"]["iso"]: f["properties"]["n"] for f in data["regions"]["features"]}
    assert counts["AF-BDG"] == 3 and counts["AF-HER"] == 1 and counts["AF-KAN"] == 0
    # every region of the countries named (AF, IR) is drawn; far ones are not needed
    drawn = {f["properties"]["iso"] for f in data["regions"]["features"]}
    named = set(regions.loc[regions["country"].isin(["AF", "IR"]), "iso_3166_2"])
    assert named <= drawn <= set(regions["iso_3166_2"])
    assert data["choropleth"]["bins"] == [[1, 1], [2, 2], [3, 3]]
    for credit in ("GeoNames", "CC BY 4.0", "Natural Earth", "public domain", "Reports: 1 report"):
        assert credit in html
    assert "7 July 2021" in html  # date range in the title box
    assert "Place mentions per province" in html  # legend


def test_offline_map_loads_nothing_from_the_network(regions, places):
    html = render(make_map(places, regions=regions, events=make_events(), offline=True))
    for tag, attrs in tags(html):
        for attr in ("src", "href"):
            value = (attrs.get(attr) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
        assert tag != "link", attrs
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "L.tileLayer(" not in html
    data = blob(html)
    assert len(data["basemap"]["features"]) > 20  # countries around the data
    # no CDN library: Leaflet is inlined, jQuery/Bootstrap/Font Awesome are not used
    assert "L.Map" in html or "L.map" in html
    for absent in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert absent not in html.lower()


def test_online_map_uses_tiles_but_inlines_the_libraries(regions, places):
    html = render(make_map(places, regions=regions, offline=False))
    assert "tile.openstreetmap.org" in html
    assert "basemaps.cartocdn.com" in html
    assert all(tag != "script" or not attrs.get("src") for tag, attrs in tags(html))
    assert "basemap" not in blob(html)


def test_events_get_one_symbol_per_type_and_hollow_claims(regions):
    html = render(make_map(events=make_events(), regions=regions, offline=True))
    data = blob(html)
    types = [s["type"] for s in data["eventSymbols"]]
    assert types == [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Strategic developments",
    ]
    ev, strings = data["events"], data["strings"]
    by_id = {strings[ev["id"][i]]: i for i in range(ev["n"])}
    assert ev["hollow"][by_id["GM-4"]] == 1 and ev["hollow"][by_id["GM-1"]] == 0
    # sorted by day for the slider; day 0 is the first event date
    assert ev["day"] == sorted(ev["day"]) and ev["day"][0] == 0
    assert data["slider"] == {"day0": "2021-07-01", "days": 46}


def test_control_states_follow_the_timeline(regions, timeline):
    m = make_map(
        regions=regions,
        control=control_as_of(timeline, "2021-08-16"),
        control_timeline=timeline,
        offline=True,
    )
    data = blob(render(m))
    shapes = {
        f["properties"]["iso"]: f["properties"] for f in data["control"]["shapes"]["features"]
    }
    # every Afghan province is drawn (unknown without evidence), no neighbour is
    assert len(shapes) == 34 and all(iso.startswith("AF-") for iso in shapes)
    herat = shapes["AF-HER"]["states"]
    assert [(s[1], s[2]) for s in herat] == [
        ("controlled", "Afghan government"),
        ("controlled", "Taliban"),
    ]
    assert shapes["AF-NIM"]["states"][0][6] == 1  # claimed, not confirmed
    assert shapes["AF-KAN"]["states"] == []
    colors = data["controlColors"]["controllers"]
    assert colors["Taliban"] != colors["Afghan government"]


def test_legend_explains_every_layer(regions, places, timeline):
    html = render(
        make_map(
            places, regions=regions, events=make_events(), control_timeline=timeline, offline=True
        )
    )
    for label in (
        "controlled by Taliban",
        "controlled by Afghan government",
        "contested",
        "unknown (no evidence)",
        "claimed, not confirmed",
        "Battles",
        "Strategic developments",
        "a cluster of events",
        "place named in a report",
    ):
        assert label in html, label


# ----------------------------------------------------------------------------- helpers


def test_display_outlines_keep_neighbours_touching(regions):
    afg = regions[regions["country"] == "AF"].set_index("iso_3166_2")
    simple = display_outlines(afg.geometry, 0.02)
    assert simple.is_valid.all()
    assert sum(len(g.exterior.coords) if g.geom_type == "Polygon" else 0 for g in simple) < sum(
        len(g.exterior.coords) if g.geom_type == "Polygon" else 0 for g in afg.geometry
    )
    # Herat and Badghis share a border before and after
    assert afg.geometry["AF-HER"].intersects(afg.geometry["AF-BDG"])
    assert simple["AF-HER"].intersects(simple["AF-BDG"])
    assert simple["AF-HER"].intersection(simple["AF-BDG"]).length > 0.5


def test_choropleth_bins_cover_every_count():
    for top in (1, 4, 5, 6, 17, 1000):
        bins = choropleth_bins(top)
        assert bins[0][0] == 1
        for n in range(1, top + 1):
            assert any(lo <= n and (hi is None or n <= hi) for lo, hi in bins), (top, n)


# ----------------------------------------------------------------------------- saving


class _Explodes(Element):
    def render(self, **kwargs):
        raise RuntimeError("render failed")


def test_save_map_is_atomic(tmp_path: Path, places, regions):
    target = tmp_path / "map.html"
    target.write_text("old map", encoding="utf-8")
    broken = make_map(places, regions=regions, offline=True)
    broken.get_root().html.add_child(_Explodes())
    with pytest.raises(RuntimeError, match="render failed"):
        save_map(broken, target)
    assert target.read_text(encoding="utf-8") == "old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    save_map(make_map(places, regions=regions, offline=True), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_bad_input_names_what_was_expected():
    with pytest.raises(TypeError, match="places must be a"):
        make_map("places.csv")  # type: ignore[arg-type]
    import pandas as pd

    with pytest.raises(ValueError, match="'lat' and 'lon'"):
        make_map(pd.DataFrame({"name": ["x"]}))


def test_template_syntax_in_a_report_stays_literal(regions):
    # branca compiles a macro's output as a Jinja template: report text must never pass there
    places = make_places(regions, sentence_prefix="{{ 7*7 }} {% if true %}x{% endif %} ")
    html = render(make_map(places, regions=regions, title="{{ 6*7 }}", offline=True))
    assert '<div class="geomap-title-main" title="{{ 6*7 }}">{{ 6*7 }}</div>' in html
    assert "<title>{{ 6*7 }}</title>" in html
    sentences = [m["sentence"] for p in blob(html)["places"]["markers"] for m in p["mentions"]]
    assert all(s.startswith("{{ 7*7 }} {% if true %}x{% endif %} ") for s in sentences)


# ----------------------------------------------------------------------------- anywhere


@pytest.fixture(scope="module")
def countries():
    from maps.basemap import load_countries

    return load_countries()


def _halves(countries, code: str):
    """Two made-up admin-1 regions of a real country outline: its west and east halves."""
    import geopandas as gpd
    from shapely.geometry import box

    shape = countries.loc[countries["country"] == code].geometry.union_all()
    w, s, e, n = shape.bounds
    mid = (w + e) / 2
    return gpd.GeoDataFrame(
        {
            "admin1": ["West", "East"],
            "iso_3166_2": [f"{code}-W", f"{code}-E"],
            "country": [code, code],
        },
        geometry=[shape.intersection(box(w, s, mid, n)), shape.intersection(box(mid, s, e, n))],
        crs=4326,
    )


def _inside(view, bounds, slack=0.5) -> bool:
    (s, w), (n, e) = view
    bw, bs, be, bn = bounds
    return bw - slack <= w and e <= be + slack and bs - slack <= s and n <= bn + slack


def test_a_map_of_another_country_frames_it_and_draws_its_control(countries):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    regions = _halves(countries, "SY")
    places = gpd.GeoDataFrame(
        {
            "name": ["Aleppo", "Damascus"],
            "mention": ["Aleppo", "Damascus"],
            "iso_3166_2": ["SY-W", "SY-W"],
            "country": ["SY", "SY"],
            "sentence": ["Fighters entered Aleppo.", "Damascus was quiet."],
        },
        geometry=[Point(37.16, 36.2), Point(36.29, 33.51)],
        crs=4326,
    )
    control = regions.assign(
        status=["controlled", "unknown"],
        controller=["Military Forces of Syria", None],
        evidence=["SY-1", None],
        report=["r-1", None],
        quote=["Government troops held the west.", None],
    )
    data = blob(render(make_map(places, regions=regions, control=control, offline=True)))
    syria = countries.loc[countries["country"] == "SY"].total_bounds
    assert _inside(data["view"], syria)
    assert {f["properties"]["iso"] for f in data["control"]["shapes"]["features"]} == {
        "SY-W",
        "SY-E",
    }
    west = next(
        f for f in data["control"]["shapes"]["features"] if f["properties"]["iso"] == "SY-W"
    )
    assert west["properties"]["states"][0][7] == "Government troops held the west."
    assert data["controlColors"]["controllers"]["Military Forces of Syria"] == "#2166ac"
    names = {f["properties"]["name"] for f in data["basemap"]["features"]}
    assert "Syria" in names and "Brazil" not in names
    # with only region codes and no shapes, the map frames the countries they name
    only_codes = pd.DataFrame(
        {"iso_3166_2": ["ML-1"], "admin1": ["Kayes"], "status": ["contested"]}
    )
    view = blob(render(make_map(control=only_codes, offline=True)))["view"]
    assert _inside(view, countries.loc[countries["country"] == "ML"].total_bounds)


def test_no_data_shows_the_world_and_maps_name_no_country():
    data = blob(render(make_map(offline=True)))
    assert data["view"] is None and "maxBounds" not in data
    assert len(data["basemap"]["features"]) > 150
    root = Path(__file__).resolve().parents[1] / "maps"
    code = "".join(p.read_text() for p in [*root.glob("*.py"), *root.glob("static/*")])
    for wired in ("34.5", "66.0", "Afghan", "AF-", "afghan"):
        assert wired not in code, wired


def test_worldwide_regions_are_drawn_only_near_the_data(regions, places, countries):
    import pandas as pd

    far = _halves(countries, "BR")  # a worldwide file has far-away regions too
    both = pd.concat([regions, far], ignore_index=True)
    data = blob(render(make_map(places, regions=both, offline=True)))
    drawn = {f["properties"]["iso"] for f in data["regions"]["features"]}
    assert "AF-BDG" in drawn and not drawn & {"BR-W", "BR-E"}


def test_district_rows_are_their_own_layer(regions, timeline):
    from shapely.geometry import box

    badghis = regions.loc[regions["iso_3166_2"] == "AF-BDG"].geometry.iloc[0]
    c = badghis.centroid
    provinces = control_as_of(timeline, "2021-08-16").assign(level="province")
    district = provinces.iloc[:1].copy()
    district["iso_3166_2"] = "AF-BDG"
    district["admin2"] = "Qala i Naw district"
    district["level"] = "district"
    district["status"] = "controlled"
    district["controller"] = "Taliban"
    district["geometry"] = [box(c.x - 0.2, c.y - 0.2, c.x + 0.2, c.y + 0.2)]
    import pandas as pd

    control = pd.concat([provinces, district], ignore_index=True)
    html = render(make_map(regions=regions, control=control, offline=True))
    data = blob(html)
    districts = data["districts"]["shapes"]["features"]
    assert [f["properties"]["name"] for f in districts] == ["Qala i Naw district"]
    assert districts[0]["properties"]["states"][0][1:3] == ["controlled", "Taliban"]
    assert len(data["control"]["shapes"]["features"]) == 34  # provinces unchanged
    assert "1 districts" in html or "1 district" in html


def test_region_states_carry_the_evidence_sentence_and_report(regions, timeline):
    from maps_support import make_reports

    events = make_events()
    events.loc[events["event_id"] == "GM-5", "url"] = "javascript:alert(1)"
    reports = make_reports(events)
    data = blob(
        render(
            make_map(
                regions=regions,
                events=events,
                control_timeline=timeline,
                reports=reports,
                offline=True,
            )
        )
    )
    shapes = {
        f["properties"]["iso"]: f["properties"] for f in data["control"]["shapes"]["features"]
    }
    last = shapes["AF-HER"]["states"][-1]
    herat = events.set_index("event_id").loc["GM-5"]
    assert last[5] == "GM-5" and last[7] == herat["notes"] and last[8] == "report-gm-5"
    entry = data["reports"]["report-gm-5"]
    assert entry["title"] == "Sample dispatch on Herat"
    assert entry["url"] is None  # only http(s) becomes a link
    assert data["reports"]["report-gm-7"]["url"].startswith("http")
    assert set(data["reports"]) <= set(events["report"])  # only the reports quoted


def test_legend_sections_name_their_layers(regions, places, timeline):
    html = render(
        make_map(
            places, regions=regions, events=make_events(), control_timeline=timeline, offline=True
        )
    )
    layers = re.findall(r'class="geomap-legend-sec" data-layer="([^"]+)"', html)
    assert layers == ["regions", "places", "control districts", "events"]

"""Shared inputs for the map tests: real Natural Earth provinces, hand-built rows.

The provinces come from the project's ``data/admin1.parquet`` (Natural Earth,
public domain). The places, events and control rows are written by hand in
our own words with real coordinates (GeoNames, CC BY 4.0, and airportsdata
for Bagram) and are given their province by a point-in-polygon join against
those real boundaries, the way the pipeline does it.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parents[1]
ADMIN1 = ROOT / "data" / "admin1.parquet"
NEIGHBOURS = ["AF", "IR", "PK", "TJ", "UZ", "TM"]
XSS_SCRIPT = "<script>window.__x=1</script>"
XSS_IMG = '<img src=x onerror="window.__x=2">'


def load_regions() -> gpd.GeoDataFrame:
    """Admin-1 polygons of Afghanistan and its neighbours."""
    try:
        from geo.boundaries import load_boundaries
    except ImportError:
        regions = gpd.read_parquet(ADMIN1, filters=[("country", "in", NEIGHBOURS)])
        return regions[["admin1", "iso_3166_2", "country", "source", "geometry"]]
    return load_boundaries(countries=NEIGHBOURS)


# name, kind, lat, lon, gazetteer record, mention as written, sentence
_PLACES = [
    (
        "Qala i Naw",
        "city",
        34.98735,
        63.12891,
        "geonames:1135689",
        "Qala-e-Naw",
        "Militants pushed into Qala-e-Naw on Wednesday and took the police headquarters.",
    ),
    (
        "Qala i Naw",
        "city",
        34.98735,
        63.12891,
        "geonames:1135689",
        "Qala-e-Naw",
        "By evening the fighting had reached the centre of Qala-e-Naw.",
    ),
    (
        "Badghis",
        "province",
        35.1671,
        63.7695,
        "naturalearth:AFG-1741",
        "Badghis",
        "Officials in Badghis said several districts had fallen.",
    ),
    (
        "Herat",
        "city",
        34.34817,
        62.19967,
        "geonames:1139715",
        "Herat",
        "Fighters were also reported on the outskirts of Herat.",
    ),
    (
        "Bagram Air Base",
        "airbase",
        34.9461,
        69.265,
        "airport:OAIX",
        "Bagram Air Base",
        "Foreign troops handed Bagram Air Base to the Afghan army last week.",
    ),
    (
        "Kabul",
        "city",
        34.52813,
        69.17233,
        "geonames:1138958",
        "Kabul",
        "Talks between envoys from Kabul and the movement resumed.",
    ),
    (
        "Tehran",
        "city",
        35.69439,
        51.42151,
        "geonames:112931",
        "Tehran",
        "The delegations met in Tehran, the foreign ministry said.",
    ),
]


def make_places(
    regions: gpd.GeoDataFrame, *, report: str = "r1", sentence_prefix: str = ""
) -> gpd.GeoDataFrame:
    """Places table in the documented columns, joined to the real provinces."""
    rows = []
    for name, kind, lat, lon, source, mention, sentence in _PLACES:
        rows.append(
            {
                "report": report,
                "mention": mention,
                "start": 0,
                "end": len(mention),
                "name": name,
                "kind": kind,
                "lat": lat,
                "lon": lon,
                "source": source,
                "confidence": 0.9,
                "match": "exact",
                "sentence": sentence_prefix + sentence,
                "report_date": "2021-07-07",
            }
        )
    pts = gpd.GeoDataFrame(
        rows, geometry=[Point(r["lon"], r["lat"]) for r in rows], crs="EPSG:4326"
    )
    joined = gpd.sjoin(
        pts,
        regions[["admin1", "iso_3166_2", "country", "geometry"]],
        how="left",
        predicate="within",
    )
    return joined.drop(columns="index_right")


def make_xss_places(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The places table of a report whose sentences carry script payloads."""
    places = make_places(regions, report=XSS_SCRIPT, sentence_prefix=f"{XSS_SCRIPT} {XSS_IMG} ")
    places["mention"] = places["mention"] + " " + XSS_IMG
    return places


def make_events() -> gpd.GeoDataFrame:
    """A handful of ACLED-like events from July and August 2021, our own words."""
    rows = [
        (
            "GM-1",
            "2021-07-07",
            "Battles",
            "Armed clash",
            "Taliban",
            "Afghan government forces",
            "Qala i Naw",
            34.98735,
            63.12891,
            1,
            "Fighters attacked the city from three sides.",
            "reported",
            2,
            "https://example.org/badghis",
        ),
        (
            "GM-2",
            "2021-07-07",
            "Strategic developments",
            "Agreement",
            "Afghan government",
            "Taliban",
            "Tehran",
            35.69439,
            51.42151,
            1,
            "Envoys of both sides met for talks.",
            "reported",
            1,
            "javascript:window.__x=3",
        ),
        (
            "GM-3",
            "2021-07-01",
            "Strategic developments",
            "Non-violent transfer of territory",
            "US forces",
            "Afghan government forces",
            "Bagram Air Base",
            34.9461,
            69.265,
            2,
            "Foreign troops left the base to the Afghan army.",
            "reported",
            3,
            None,
        ),
        (
            "GM-4",
            "2021-08-06",
            "Battles",
            "Non-state actor overtakes territory",
            "Taliban",
            "Afghan government forces",
            "Zaranj",
            30.95962,
            61.86037,
            1,
            "The Taliban said they had taken Zaranj.",
            "claimed",
            1,
            "http://example.org/zaranj",
        ),
        (
            "GM-5",
            "2021-08-13",
            "Battles",
            "Non-state actor overtakes territory",
            "Taliban",
            "Afghan government forces",
            "Herat",
            34.34817,
            62.19967,
            1,
            "Herat fell after two weeks of fighting.",
            "reported",
            4,
            "https://example.org/herat",
        ),
        (
            "GM-6",
            "2021-08-10",
            "Explosions/Remote violence",
            "Air/drone strike",
            "Afghan government forces",
            "Taliban",
            "Lashkar Gah",
            31.59382,
            64.37161,
            2,
            "Air strikes hit positions near Lashkar Gah.",
            "reported",
            1,
            None,
        ),
        (
            "GM-7",
            "2021-08-15",
            "Violence against civilians",
            "Attack",
            "Unidentified armed group",
            "Civilians",
            "Kabul",
            34.52813,
            69.17233,
            1,
            "Gunmen fired on a crowd in Kabul.",
            "reported",
            1,
            "https://example.org/kabul",
        ),
        (
            "GM-8",
            "2021-08-02",
            "Protests",
            "Peaceful protest",
            "Protesters",
            None,
            "Kabul",
            34.53,
            69.18,
            1,
            "Residents marched against the offensive.",
            "reported",
            1,
            None,
        ),
    ]
    cols = [
        "event_id",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "notes",
        "claim_status",
        "sources_count",
        "url",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["source"] = "geomap sample reports"
    df["report"] = "report-" + df["event_id"].str.lower()
    return gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df.longitude, df.latitude), crs="EPSG:4326"
    )


def make_reports(events: pd.DataFrame) -> pd.DataFrame:
    """One report per event: id, title, date, source and url, as ``geo.reports.Report`` has."""
    return pd.DataFrame(
        {
            "id": events["report"],
            "title": "Sample dispatch on " + events["location"].astype(str),
            "date": events["event_date"],
            "source": "geomap sample reports",
            "url": events["url"],
        }
    )


def make_control_timeline(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Control changes of five Afghan provinces, keyed to real polygons."""
    rows = [
        ("AF-BDG", "2021-07-07", "contested", None, "reported", "GM-1"),
        ("AF-HER", "2021-07-07", "controlled", "Afghan government", "reported", ""),
        ("AF-HER", "2021-08-13", "controlled", "Taliban", "reported", "GM-5"),
        ("AF-NIM", "2021-08-06", "controlled", "Taliban", "claimed", "GM-4"),
        ("AF-HEL", "2021-08-10", "contested", None, "reported", "GM-6"),
        ("AF-KAB", "2021-07-01", "controlled", "Afghan government", "reported", ""),
        ("AF-KAB", "2021-08-15", "controlled", "Taliban", "reported", "GM-7"),
    ]
    df = pd.DataFrame(
        rows, columns=["iso_3166_2", "date", "status", "controller", "claim_status", "evidence"]
    )
    df["since"] = df["date"]
    shapes = regions.drop_duplicates("iso_3166_2").set_index("iso_3166_2")
    df["admin1"] = df["iso_3166_2"].map(shapes["admin1"])
    return gpd.GeoDataFrame(
        df, geometry=df["iso_3166_2"].map(shapes.geometry).values, crs="EPSG:4326"
    )


def control_as_of(timeline: gpd.GeoDataFrame, date: str) -> gpd.GeoDataFrame:
    """The last state of each region on or before ``date``."""
    past = timeline[pd.to_datetime(timeline["date"]) <= pd.Timestamp(date)]
    return (
        past.sort_values("date")
        .groupby("iso_3166_2", as_index=False)
        .last()
        .pipe(gpd.GeoDataFrame, geometry="geometry", crs="EPSG:4326")
    )

"""The map reads its tables a column at a time (a long report has a row per mention):
the answers are those of reading them row by row."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from maps.columns import lat_lon, text
from maps.places import prepare_places
from maps.timeline import to_dates
from maps.view import _countries_of


def _places() -> gpd.GeoDataFrame:
    # Invented places: Alpha twice at one point (the 6th decimal differs), once 1e-4
    # away; Beta at 0.0 and at -0.0 (two texts of the key); a row without a name.
    rows = [
        ("Alpha", 34.123451, 62.1, "AF-AAA", 0.5, "Alpha fell."),
        ("Beta", 0.0, 10.0, "XX-BBB", 0.9, "Beta, then Alpha."),
        ("Alpha", 34.123449, 62.1, "AF-AAA", 0.7, 'He said "Alpha".'),
        ("Alpha", 34.12355, 62.1, "AF-AAA", None, "Alpha again."),
        (None, 1.0, 1.0, None, 0.1, "Nameless."),
        ("Beta", -0.0, 10.0, "XX-BBB", 0.2, "Beta."),
        ("Alpha", 34.123451, 62.1, "AF-AAA", 0.6, "Alpha, third."),
    ]
    df = pd.DataFrame(rows, columns=["name", "lat", "lon", "iso_3166_2", "confidence", "sentence"])
    df["name"] = df["name"].astype("str")
    df["mention"] = df["name"]
    df["report"] = "r1"
    df["report_date"] = pd.to_datetime("2021-07-07")
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)


def _markers_row_by_row(places: pd.DataFrame) -> list[tuple]:
    """What the map did before: group by the text key, one pandas group at a time."""
    coords = lat_lon(places, "places")
    df = places.assign(_lat=coords[:, 0], _lon=coords[:, 1])
    key = (
        df["name"].astype(str)
        + "|"
        + df["_lat"].round(5).astype(str)
        + "|"
        + df["_lon"].round(5).astype(str)
    )
    out = []
    for _, group in df.groupby(key, sort=False):
        conf = pd.to_numeric(group["confidence"], errors="coerce")
        out.append(
            (
                text(group.iloc[0]["name"]),
                round(float(group.iloc[0]["_lat"]), 5),
                len(group),
                None if conf.isna().all() else round(float(conf.max()), 2),
                [text(s) for s in group["sentence"]],
            )
        )
    return out


def test_markers_group_mentions_by_name_and_rounded_position():
    places = _places()
    page, counts, n = prepare_places(places)
    got = [
        (m["name"], m["lat"], m["n"], m["confidence"], [x["sentence"] for x in m["mentions"]])
        for m in page["markers"]
    ]
    assert got == _markers_row_by_row(places)
    assert [(name, count) for name, _, count, _, _ in got] == [
        ("Alpha", 3),  # 34.123451, 34.123449 and 34.123451: 34.12345 to 5 decimals
        ("Beta", 1),
        ("Alpha", 1),  # 34.12355: another point
        ("Beta", 1),  # -0.0: another key than 0.0, as the text key had it
    ]
    assert n == 4 and counts["AF-AAA"] == 4


@pytest.mark.parametrize(
    "dates",
    [
        pd.Series(pd.to_datetime(["2021-07-07", None, "1900-01-01"])).astype("datetime64[s]"),
        pd.Series(pd.to_datetime(["2021-07-07 10:30", None, "2021-07-08 23:59"])),
        pd.Series(pd.to_datetime(["2021-07-07 01:30", None])).dt.tz_localize("Asia/Kabul"),
        pd.Series([], dtype="datetime64[ns]"),
        pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]"),
    ],
    ids=["days", "times", "zoned", "empty", "none"],
)
def test_a_date_column_gives_the_days_its_values_parse_to(dates):
    dates.index = dates.index + 10  # the result is indexed from 0 either way
    parsed = to_dates(list(dates))  # the lenient parse of any values
    pd.testing.assert_series_equal(to_dates(dates), parsed)
    if len(dates) and dates.dt.tz is not None:
        assert to_dates(dates).iloc[0] == pd.Timestamp("2021-07-06")  # 01:30 in Kabul is UTC's 6th


def test_positions_of_points_are_exact_and_of_shapes_on_the_shape():
    square = shapely.box(0, 0, 2, 2)
    points = gpd.GeoDataFrame(geometry=[shapely.Point(62.123456789, 34.1), None], crs=4326)
    ll = lat_lon(points, "places")
    assert ll[0].tolist() == [34.1, 62.123456789] and np.isnan(ll[1]).all()
    mixed = gpd.GeoDataFrame(geometry=[shapely.Point(5, 6), square], crs=4326)
    ll = lat_lon(mixed, "places")
    assert ll[0].tolist() == [6.0, 5.0]
    assert square.contains(shapely.Point(ll[1, 1], ll[1, 0]))


def test_a_rows_country_is_its_own_else_its_regions():
    df = pd.DataFrame(
        {
            "country": pd.array(["AF", None, None, None, " "], dtype="str"),
            "iso_3166_2": pd.array(["IR-01", "PK-BA", None, " IN-KA ", "XX"], dtype="str"),
        }
    )
    got = _countries_of(df)
    assert got.iloc[:2].tolist() == ["AF", "PK"] and got.iloc[3:].tolist() == ["IN", "XX"]
    assert pd.isna(got.iloc[2])

"""Admin-2 districts (Afghanistan, geoBoundaries): data, join, gazetteer, control by district."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo.boundaries import ADMIN2_COLUMNS, admin2_countries, load_boundaries, load_districts
from geo.provinces import assign_admin2, district_level, with_provinces
from tests.test_cli import geomap


@pytest.fixture(scope="module")
def districts():
    return load_districts(["AF"])


def test_398_districts_each_with_its_province(districts):
    assert "AF" in admin2_countries()
    assert len(districts) == 398 and list(districts.columns) == ADMIN2_COLUMNS
    assert districts["admin2_code"].is_unique and districts.geometry.is_valid.all()
    provinces = load_boundaries(countries=["AF"])
    assert set(districts["iso_3166_2"]) == set(provinces["iso_3166_2"])
    names = dict(zip(provinces["iso_3166_2"], provinces["admin1"], strict=True))
    assert (districts["admin1"] == districts["iso_3166_2"].map(names)).all()
    # A point inside each district lies in the province it was given, but for a few
    # districts that straddle Natural Earth's coarser province lines (data/README.md).
    points = districts.set_geometry(districts.geometry.representative_point())
    joined = gpd.sjoin(points, provinces[["iso_3166_2", "geometry"]], how="left", rsuffix="p")
    joined = joined[~joined.index.duplicated()]
    assert (joined["iso_3166_2_left"] == joined["iso_3166_2_p"]).mean() > 0.9


def test_level_two_and_countries_without_districts():
    assert len(load_boundaries(level=2, countries=["AF"])) == 398
    assert load_districts(["SY"]).empty


def test_places_get_their_district(districts):
    # Every district's own point gets that district back; a province gets none.
    sample = districts.iloc[::40]
    places = gpd.GeoDataFrame(
        {"kind": ["town"] * len(sample) + ["province"], "country": "AF"},
        geometry=[*sample.geometry.representative_point(), sample.geometry.iloc[0].centroid],
        crs="EPSG:4326",
    )
    out = assign_admin2(places)
    assert list(out["admin2_code"].iloc[:-1]) == list(sample["admin2_code"])
    assert pd.isna(out["admin2"].iloc[-1])


def test_a_place_gets_only_a_district_of_its_own_country(districts):
    # A point inside an Afghan district, given as a place of another country (a border
    # town whose point the coarse lines put across the border): no Afghan district.
    point = districts.geometry.iloc[7].representative_point()
    places = gpd.GeoDataFrame(
        {"kind": ["town", "town"], "country": ["AF", "IR"]},
        geometry=[point, point],
        crs="EPSG:4326",
    )
    out = assign_admin2(places, districts)
    assert out["admin2_code"].iloc[0] == districts["admin2_code"].iloc[7]
    assert pd.isna(out["admin2_code"].iloc[1]) and pd.isna(out["admin2"].iloc[1])


def test_district_names_in_the_gazetteer(districts):
    from geo.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    found = 0
    for name, iso in zip(districts["admin2"], districts["iso_3166_2"], strict=True):
        name = name.split("(")[0].strip()
        rows = gazetteer.candidates(name, country="AF")
        rows = rows[rows["kind"] == "district"]
        found += bool((rows["iso_3166_2"] == iso).any())
    assert found == len(districts)


def test_district_level_control_keeps_the_province(districts):
    chosen = districts.iloc[7]
    point = chosen.geometry.representative_point()
    events = gpd.GeoDataFrame(
        {
            "event_id": ["e1"],
            "event_date": [pd.Timestamp("2021-08-01")],
            "iso_3166_2": [chosen["iso_3166_2"]],
            "effect": ["capture"],
            "target": ["whole"],
            "capital": [False],
            "side1": ["Taliban"],
            "claim_status": ["reported"],
            "location": [chosen["admin2"]],
            "place_kind": ["town"],
            "country": ["AF"],
        },
        geometry=[point],
        crs="EPSG:4326",
    )
    from geo.control import control_as_of

    ev, regions = district_level(events, districts)
    control = with_provinces(control_as_of(ev, regions, "2021-08-02"), regions)
    assert len(control) == 398
    held = control[control["status"] == "controlled"]
    assert list(held["admin2_code"]) == [chosen["admin2_code"]]
    assert held.iloc[0]["iso_3166_2"] == chosen["iso_3166_2"]
    assert held.iloc[0]["admin1"] == chosen["admin1"]


def test_cli_control_by_district(tmp_path):
    report = tmp_path / "nimroz.txt"
    report.write_text(
        "date: 2021-08-06\n\nTaliban fighters captured Zaranj, the capital of Nimroz "
        "province, on Friday, officials said.\n"
    )
    out = tmp_path / "districts.csv"
    result = geomap("control", report, "--level", "district", "-o", out)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out)
    assert len(table) == 398 and {"admin2", "admin2_code", "admin1"} <= set(table.columns)
    held = table[table["status"] == "controlled"]
    assert len(held) == 1 and held.iloc[0]["iso_3166_2"] == "AF-NIM"
    assert held.iloc[0]["controller"] == "Taliban"


def test_cli_control_in_syria_needs_no_boundaries_file(tmp_path):
    report = tmp_path / "syria.txt"
    report.write_text(
        "date: 2020-02-27\n\nRebel fighters recaptured the town of Saraqib in Idlib province "
        "in Syria on Thursday, a war monitor said.\n"
    )
    out = tmp_path / "control.csv"
    result = geomap("control", report, "-o", out)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out)
    # ISO 3166-2 codes, or Natural Earth's id for a zone without one (data/README.md).
    iso = table["iso_3166_2"].str.startswith("SY-")
    assert set(table["country"]) == {"SY"} and iso.sum() == 14
    assert table.loc[~iso, "iso_3166_2"].str.startswith("SYR-").all()
    idlib = table[table["status"] != "unknown"]
    assert list(idlib["iso_3166_2"]) == ["SY-ID"]

"""Rivers, lakes and geographic regions (data/natural_features.csv), cities that are their
own region beside a region of their name (Kyiv), the seat of a region named like it, and
cues that tell a region or a town: "X Region", "X province" spelt otherwise, "X, a town"."""

import pandas as pd
import pytest

from geo import extract_events, find_places, report_from_text
from geo.distance import haversine_km
from geo.resources import data_path


def _places(text: str) -> pd.DataFrame:
    return find_places(report_from_text(text))


def _row(places: pd.DataFrame, mention: str) -> pd.Series:
    rows = places[places["mention"] == mention]
    assert len(rows) == 1, f"{mention!r}: {places[['mention', 'name', 'kind']].values.tolist()}"
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("text", "mention", "kind", "name"),
    [
        ("Militants fled across the Tigris as the army advanced.", "Tigris", "river", "Tigris"),
        ("Kurdish fighters held the east bank of the Euphrates.", "Euphrates", "river", None),
        ("Drones struck boats on the Dnieper River overnight.", "Dnieper River", "river", None),
        ("Troops dug in along the Siverskyi Donets.", "Siverskyi Donets", "river", None),
        ("Fishermen fled the islands of Lake Chad.", "Lake Chad", "lake", None),
        # the word "river" after a river's name takes nothing from it
        ("Jets struck south of the Litani river.", "Litani", "river", None),
        ("Soldiers fled across the Amu Darya.", "Amu Darya", "river", None),
        ("Shells landed in the Golan Heights on Sunday.", "Golan Heights", "region", None),
        ("Gunmen attacked a checkpoint in the Sinai.", "Sinai", "region", "Sinai Peninsula"),
    ],
)
def test_a_river_lake_or_region_is_a_place_of_its_kind_without_an_admin1(text, mention, kind, name):
    row = _row(_places(text), mention)
    assert row["kind"] == kind
    assert row["name"] == (name or row["name"])
    # it spans several admin-1 regions: its point (a river's mouth) names none
    assert pd.isna(row["admin1"]) or row["admin1"] == ""
    assert pd.isna(row["iso_3166_2"]) or row["iso_3166_2"] == ""
    assert str(row["source"]).startswith("curated-feature:")


def test_a_river_beside_a_town_takes_nothing_from_the_town():
    places = _places("Iraqi troops crossed the Tigris into western Mosul on Monday.")
    assert _row(places, "Tigris")["kind"] == "river"
    mosul = _row(places, "Mosul")
    assert (mosul["kind"], mosul["iso_3166_2"]) == ("city", "IQ-NI")


def test_an_event_on_a_river_never_changes_control():
    from geo.control import control_changes

    report = report_from_text("date: 2024-05-01\n\nThe rebels captured the Euphrates on Monday.")
    events = extract_events([report], find_places(report))
    assert events["place_kind"].tolist() == ["river"]
    assert events["admin1"].isna().all()
    assert control_changes(events).empty


def test_every_feature_row_has_a_source_and_a_point():
    table = pd.read_csv(data_path("natural_features.csv"), comment="#", dtype=str)
    assert len(table) and table["source"].str.len().gt(10).all()
    assert set(table["kind"]) <= {"river", "lake", "region"}
    lat, lon = table["lat"].astype(float), table["lon"].astype(float)
    assert lat.between(-90, 90).all() and lon.between(-180, 180).all()


def test_a_city_that_is_its_own_region_and_the_region_of_its_name_are_told_apart():
    places = _places(
        "Drones hit Kyiv overnight. The governor of the Kyiv region said two villages "
        "were hit, and Kyiv Oblast police closed a road."
    )
    city = places[places["kind"] == "city"]
    assert city["name"].tolist() == ["Kyiv"] and city["iso_3166_2"].tolist() == ["UA-30"]
    regions = places[places["kind"] == "province"]
    assert len(regions) == 2
    assert set(regions["iso_3166_2"]) == {"UA-32"}
    assert set(regions["admin1"]) == {"Kyiv Oblast"}


def test_the_admin1_names_of_a_city_and_its_surrounding_region_differ():
    table = pd.read_csv(data_path("admin1_names.csv"), dtype=str, keep_default_na=False)
    kyiv = dict(zip(table["iso_3166_2"], table["admin1"], strict=True))
    assert kyiv["UA-30"] == "Kyiv" and kyiv["UA-32"] == "Kyiv Oblast"
    # two regions of one country with one English name and two codes are rarer now
    shared = table.groupby(["country", "admin1"])["iso_3166_2"].nunique()
    assert ("UA", "Kyiv") not in shared[shared > 1].index


def test_a_region_seat_is_the_city_named_like_the_region():
    # GeoNames lists a quarter of Basra with more people than the city; the city the
    # governorate is named after is its seat, and a bare "Basra" is the city.
    row = _row(_places("Protesters gathered in Basra on Friday."), "Basra")
    assert (row["kind"], row["iso_3166_2"], bool(row["seat"])) == ("city", "IQ-BA", True)


def test_a_place_without_an_admin1_code_gets_no_regions_code():
    # a region of Natural Earth with no GeoNames admin-1 code (Syria's UNDOF zone) is
    # not the region of every record of its country that has no admin-1 code
    from geo.gazetteer import default_gazetteer

    records = default_gazetteer().records
    features = records[records["source"].str.startswith("curated-feature:")]
    assert len(features) and (features["iso_3166_2"] == "").all()
    syria = records[
        (records["country"] == "SY")
        & (records["admin1_code"] == "")
        & (records["kind"] != "province")
    ]
    assert not (syria["iso_3166_2"] == "SYR-5261").any()


@pytest.mark.parametrize(
    ("text", "mention", "iso"),
    [
        # a region's word after its name, capitalised, even where a place is named "Region"
        ("Fighting flared in Sagaing Region on Monday.", "Sagaing", "MM-01"),
        ("Air strikes hit Magway Region and Shan State.", "Magway", "MM-03"),
        # a province cue picks the region spelt otherwise ("Sa'dah") over the town whose
        # alternate name the text wrote, in the town's country only
        ("Jets struck targets in Saada province, officials said.", "Saada", "YE-SD"),
        ("Troops moved into Saada Governorate.", "Saada", "YE-SD"),
    ],
)
def test_a_region_word_after_a_name_makes_it_the_region(text, mention, iso):
    row = _row(_places(text), mention)
    assert (row["kind"], row["iso_3166_2"]) == ("province", iso)


def test_without_a_cue_the_town_stays_the_town():
    row = _row(_places("The army shelled Saada on Monday."), "Saada")
    assert (row["kind"], row["iso_3166_2"]) == ("city", "YE-SD")


def test_an_apposition_a_town_makes_an_english_word_a_place():
    # "sake" is an English word; ", a town ..." says it is a place here
    places = _places("Rebels shelled Sake, a small town 25 km west of Goma, on Monday.")
    row = _row(places, "Sake")
    assert (row["kind"], row["country"], row["iso_3166_2"]) == ("town", "CD", "CD-NK")
    # "the capital of ..." after a name is no such apposition
    assert _places("Troops retook Namacunde, the capital of Muidumbe district.").empty


def test_of_two_towns_of_one_name_the_one_near_the_reports_places_is_meant():
    # GeoNames has several villages named Terny; the larger one lies 250 km away, in
    # another oblast. Beside the front-line towns the report names, the near one is meant.
    places = _places(
        "Russian forces attacked near Kreminna and Lyman on Monday, and fighting "
        "continued near Terny, Ukraine's military said."
    )
    terny = _row(places, "Terny")
    kreminna = _row(places, "Kreminna")
    km = haversine_km(terny["lat"], terny["lon"], kreminna["lat"], kreminna["lon"])
    assert km < 60 and terny["iso_3166_2"] == "UA-14"


def test_nearness_chooses_among_towns_not_between_a_town_and_its_province():
    # "the Balkh police" is the province's, though the town of Balkh lies near Mazar
    places = _places(
        "Taliban fighters attacked Mazar-e Sharif, said a spokesman for the Balkh police."
    )
    assert _row(places, "Balkh")["kind"] == "province"


@pytest.mark.parametrize(
    "text",
    [
        # a valley named after a place abroad is no reading of that city here
        "Al-Shabaab holds much of the Juba valley, officials in Somalia said.",
        "Fighting spread through the Juba Valley of Somalia.",
    ],
)
def test_a_valley_named_like_a_city_abroad_is_not_the_city(text):
    places = _places(text)
    assert "SS" not in set(places["country"])


def test_a_valley_named_after_a_place_of_the_reports_country_keeps_it():
    places = _places("Taliban fighters entered the Panjshir valley of Afghanistan.")
    assert _row(places, "Panjshir")["iso_3166_2"] == "AF-PAN"

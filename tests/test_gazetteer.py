"""The gazetteer built from registry data: sizes, keys, countries, seats."""

import pandas as pd
import pytest

from geo.gazetteer import default_gazetteer
from geo.geocoder import rank_candidates


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def test_built_from_all_sources(gaz):
    prefixes = set(gaz.records["source"].str.split(":").str[0])
    assert {"geonames", "airport", "naturalearth"} <= prefixes
    assert len(gaz) > 250_000


@pytest.mark.parametrize(
    ("country", "lat", "lon"),
    [("RU", (41, 82), (27, 180)), ("US", (24, 50), (-125, -66)), ("AF", (29, 39), (60, 75))],
)
def test_country_points_lie_on_the_mainland(gaz, country, lat, lon):
    row = gaz.records[
        (gaz.records["kind"] == "country") & (gaz.records["country"] == country)
    ].iloc[0]
    assert lat[0] < row["lat"] < lat[1] and lon[0] < row["lon"] < lon[1]


def test_afghan_provincial_capitals_are_seats(gaz):
    rec = gaz.records
    seats = rec[(rec["country"] == "AF") & rec["seat"].astype(bool)]
    # one seat per province found in GeoNames cities500, the capital in every case checked
    assert seats["iso_3166_2"].nunique() == len(seats) >= 30
    top = rank_candidates(gaz, "Qala i Naw").iloc[0]
    assert bool(top["seat"]) and top["kind"] == "city"


def test_natural_earth_aliases_that_name_a_city_are_dropped(gaz):
    # Natural Earth lists Mazar-i-Sharif as an alias of Balkh: it is Balkh's capital.
    kinds = set(gaz.candidates("Mazar-i-Sharif")["kind"])
    assert kinds == {"city"}
    assert set(gaz.candidates("Hilmand")["iso_3166_2"]) == {"AF-HEL"}


def test_short_capitals_only_match_acronyms(gaz):
    assert set(gaz.candidates("US")["country"]) == {"US"}
    # Nato is a town in the Philippines, but not under the acronym key NATO is read by.
    assert len(gaz.lookup("nato")) > 0
    assert len(gaz.lookup("nato", how="acronym")) == 0


def test_second_level_regions_take_their_first_level_units_code():
    """A Natural Earth region inside a first-level ISO unit (a county in England) keeps
    its name in the gazetteer but has its unit's code; the unit's name is its code's."""
    pycountry = pytest.importorskip("pycountry")
    from geo.resources import data_path

    names = pd.read_csv(data_path("admin1_names.csv"), dtype=str, keep_default_na=False)
    inner = names[names["level"] == "2"]
    assert len(inner) > 500
    subs = {s.code: s for s in pycountry.subdivisions}
    assert all(not subs[c].parent_code for c in inner["iso_3166_2"])
    assert (inner["iso_3166_2"] != inner["iso_own"]).mean() > 0.9
    gaz = default_gazetteer()
    for code in set(inner["iso_3166_2"]):
        unit = names[(names["iso_3166_2"] == code) & (names["level"] == "1")]
        assert gaz.region_names[code] == unit["admin1"].iloc[0], code

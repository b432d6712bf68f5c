"""The geopy interface: the offline gazetteer, and the online chain with a stand-in service.

The only test double here is the online service (the edge of the network)."""

import geopandas as gpd
import pytest
from geopy.location import Location
from geopy.point import Point

from geo.geocoder import CachedGeocoder, ChainGeocoder, GazetteerGeocoder, nominatim


@pytest.fixture(scope="module")
def geocoder():
    return GazetteerGeocoder()


@pytest.mark.parametrize(
    ("query", "country", "iso"),
    [
        ("Qal'eh-ye Now", "AF", "AF-BDG"),
        ("Mazar-i-Sharif", "AF", "AF-BAL"),
        ("Tehran", "IR", "IR-23"),  # ISO 3166-2:IR since 2018 (data/README.md)
        ("Pol-e Khomri", "AF", "AF-BGL"),
    ],
)
def test_geocode_returns_geopy_locations(geocoder, query, country, iso):
    location = geocoder.geocode(query)
    assert isinstance(location, Location)
    assert location.raw["country"] == country and location.raw["iso_3166_2"] == iso


def test_geocode_alternatives_and_country_filter(geocoder):
    found = geocoder.geocode("Herat", exactly_one=False)
    assert found[0].raw["country"] == "AF"
    assert any(loc.raw["country"] == "IR" for loc in found)
    (iran,) = geocoder.geocode(
        "Herat", exactly_one=False, country_codes="IR", kinds=["town", "city"]
    )
    assert iran.raw["country"] == "IR"
    assert geocoder.geocode("Zorblax") is None


def test_reverse_finds_the_nearest_place(geocoder):
    location = geocoder.reverse((34.99, 63.12))
    assert location.raw["name"] == "Qala i Naw" and location.raw["distance_km"] < 2


def test_works_with_geopandas_tools_geocode(geocoder):
    # geopandas takes the class and builds it with the keyword arguments given.
    out = gpd.tools.geocode(
        ["Kabul", "Kandahar"], provider=GazetteerGeocoder, gazetteer=geocoder.gazetteer
    )
    assert out.crs.to_epsg() == 4326
    assert out.geometry.y.between(31, 35).all() and out.geometry.x.between(65, 70).all()


class StandInService:
    """Plays an online geocoder: counts calls, knows one place."""

    def __init__(self):
        self.calls = []

    def geocode(self, query, exactly_one=True, **kwargs):
        self.calls.append(query)
        if query == "Shahr-e Naw Park":
            return Location("Shahr-e Naw Park, Kabul", Point(34.53, 69.17), {"osm": 1})
        return None


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_online_geocoder_is_rate_limited_and_cached(tmp_path):
    service, clock = StandInService(), FakeClock()
    cache = tmp_path / "cache.json"
    online = CachedGeocoder(service, cache, min_delay_seconds=1.0, clock=clock, sleep=clock.sleep)
    assert online.geocode("Shahr-e Naw Park").latitude == pytest.approx(34.53)
    assert online.geocode("Nowhere at all") is None
    assert clock.slept == [pytest.approx(1.0)]  # the second request waited a second
    assert online.geocode("Shahr-e Naw Park") is not None  # from the cache
    assert service.calls == ["Shahr-e Naw Park", "Nowhere at all"]
    again = CachedGeocoder(service, cache, clock=clock, sleep=clock.sleep)
    assert again.geocode("Nowhere at all") is None and len(service.calls) == 2


def test_chain_asks_online_only_for_what_the_gazetteer_lacks(tmp_path, geocoder):
    service, clock = StandInService(), FakeClock()
    chain = ChainGeocoder(
        geocoder, CachedGeocoder(service, tmp_path / "c.json", clock=clock, sleep=clock.sleep)
    )
    assert chain.geocode("Kabul").raw["source"].startswith("geonames:")
    assert chain.geocode("Shahr-e Naw Park").address == "Shahr-e Naw Park, Kabul"
    assert service.calls == ["Shahr-e Naw Park"]


def test_nominatim_needs_a_real_user_agent(tmp_path):
    with pytest.raises(ValueError, match="user agent"):
        nominatim("", tmp_path / "c.json")


class GeocoderContract:
    """What every geomap geocoder promises (like geopy's BaseTestGeocoder)."""

    known = "Mazar-i-Sharif"

    @pytest.fixture
    def coder(self, tmp_path):
        raise NotImplementedError

    def test_known_place_is_a_location(self, coder):
        location = coder.geocode(self.known)
        assert isinstance(location, Location)
        assert isinstance(location.latitude, float) and isinstance(location.longitude, float)
        assert 36 < location.latitude < 37.5 and 66.5 < location.longitude < 67.5

    def test_all_matches_are_a_list_of_locations(self, coder):
        found = coder.geocode(self.known, exactly_one=False)
        assert isinstance(found, list) and found
        assert all(isinstance(loc, Location) for loc in found)

    def test_unknown_place_is_none(self, coder):
        assert coder.geocode("Zorblaxville Quux") is None


class TestGazetteerGeocoderContract(GeocoderContract):
    @pytest.fixture
    def coder(self, geocoder):
        return geocoder


class TestChainGeocoderContract(GeocoderContract):
    @pytest.fixture
    def coder(self, geocoder, tmp_path):
        clock = FakeClock()
        online = CachedGeocoder(
            StandInService(), tmp_path / "c.json", clock=clock, sleep=clock.sleep
        )
        return ChainGeocoder(geocoder, online)


class TestCachedGeocoderContract(GeocoderContract):
    """The cache in front of a geocoder keeps the contract (here in front of the gazetteer)."""

    @pytest.fixture
    def coder(self, geocoder, tmp_path):
        clock = FakeClock()
        return CachedGeocoder(geocoder, tmp_path / "c.json", clock=clock, sleep=clock.sleep)

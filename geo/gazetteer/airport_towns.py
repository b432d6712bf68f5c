"""Towns that GeoNames' cities500 lacks, at the airport that serves them.

airportsdata names the town each airport serves (its ``city``). Where cities500 has no
place of that name in the airport's country (a district town of eastern Congo, of
Burkina Faso's north, of Tigray), the town is added as a record of kind ``town`` at the
airport's coordinates: an airstrip lies at or near the town it serves, close enough to
put the town in its admin-1 region (which the join of :mod:`geo.provinces` gives it, by
polygon, at parse time). Air bases are left out (the town of an air base is the base,
already a record), and so are towns written with digits (oil-field strips, "Amal V12")
and one-word towns whose name is an English word or a given name (wordfreq Zipf >=
:data:`~geo.gazetteer.schema.KNOWN_WORD_ZIPF`: "Saw", "Likely", "Albert"), which would be
read in text far more often as the word than as a hamlet's name. A record's source is
``airport-town:ICAO``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from geo.gazetteer.schema import KNOWN_WORD_ZIPF

__all__ = ["airport_towns"]

# A town's name as airportsdata writes it: letters, spaces, hyphens, apostrophes, dots.
_PLAIN = re.compile(r"[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]+[^\W\d_][^\W\d_'’-]*)*")
_BASE_WORDS = ("air base", "airbase", "air force", "military", "army", "naval", "heliport")


def airport_towns(
    add: Callable[[tuple, list[str]], Any],
    place_keys: dict[str, set[str]],
    folded: Callable[[str], list[str]],
) -> int:
    """Add a town record for each airport town cities500 lacks; returns how many.

    Parameters
    ----------
    add : callable
        The gazetteer builder's ``add(record, names)``.
    place_keys : dict
        Country code → the folded names (words joined by spaces) of its cities500 places.
    folded : callable
        A name → its folded words (the builder's own folding, so keys compare).

    Returns
    -------
    int
        The number of towns added.
    """
    import airportsdata
    from wordfreq import zipf_frequency

    added: set[tuple[str, str]] = set()
    for icao, a in sorted(airportsdata.load("ICAO").items()):
        city = (a.get("city") or "").strip()
        if not city or not _PLAIN.fullmatch(city):
            continue
        if any(w in a["name"].lower() for w in _BASE_WORDS):
            continue
        cc = a["country"]
        key = " ".join(folded(city))
        if not key or key in place_keys.get(cc, ()) or (cc, key) in added:
            continue
        if " " not in key and zipf_frequency(key, "en") >= KNOWN_WORD_ZIPF:
            continue
        added.add((cc, key))
        add(
            (
                f"airport-town:{icao}",
                city,
                "town",
                cc,
                "",
                "",
                float(a["lat"]),
                float(a["lon"]),
                0,
                False,
            ),
            [city],
        )
    return len(added)

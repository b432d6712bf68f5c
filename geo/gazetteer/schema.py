"""What a gazetteer record is and how names are keyed: shared by building and look-up."""

from __future__ import annotations

import hashlib

__all__ = [
    "CACHE_LIMIT",
    "COMMON_WORD_ZIPF",
    "KNOWN_WORD_ZIPF",
    "RECORD_COLUMNS",
    "is_acronym",
    "key_hash",
]

# Single words at least this frequent in English (wordfreq's Zipf scale: 4.3 is about
# once in 50,000 words: "fighting", "security", "governor") are common words first.
COMMON_WORD_ZIPF = 4.3
# Entries a look-up cache may hold before it is started afresh (Gazetteer.bound_caches):
# a few hundred MB at most for the largest, the run cache.
CACHE_LIMIT = 200_000
# Words at least this frequent (about once in 300,000: "taliban", "militants") are English
# words, not misspelt foreign names: they are never matched by transliteration.
KNOWN_WORD_ZIPF = 3.5
RECORD_COLUMNS = [
    "source",
    "name",
    "kind",
    "country",
    "admin1_code",
    "iso_3166_2",
    "lat",
    "lon",
    "population",
    "seat",
]


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a lookup key (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def is_acronym(name: str) -> bool:
    """A short all-capital name (``US``, ``U.A.E.``): looked up only under the acronym key."""
    letters = name.replace(".", "")
    return 1 < len(letters) <= 4 and letters.isupper() and letters.isalpha()

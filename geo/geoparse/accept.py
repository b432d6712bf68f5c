"""Whether the best reading of a name counts as a place, given what the report adds.

The last step of resolving (:mod:`geo.geoparse.resolve`): a country or a cue that fits is
strong evidence; a small place abroad, a common English word, an alternate name or a
loose spelling needs the report's countries behind it. The thresholds here are shared
with the resolver.
"""

from __future__ import annotations

from geo.gazetteer import Gazetteer
from geo.geoparse.words import BASE_CUES
from geo.scoring import cue_fits, likeness

__all__ = [
    "CLOSE_SPELLING",
    "METROPOLIS",
    "MIN_LIKENESS",
    "SMALL_TOWN",
    "WORD_ZIPF",
    "accept_reading",
]

# How alike a transliteration-matched mention and the place's main name must be.
MIN_LIKENESS = 0.6

# A single word at least this frequent in English (Zipf 4.0: "gulf", "mars") names a
# small town or a region abroad only with strong evidence.
WORD_ZIPF = 4.0

# A city this populous abroad is not given up for a namesake in the report's country.
METROPOLIS = 1_000_000

# Below this population a town named by an alternate name must be in the report's
# main country.
SMALL_TOWN = 10_000

# How alike a transliteration and a place's main name must be to read a town in a report
# that names nothing else (no focus to support it), or a country at all.
CLOSE_SPELLING = 0.8


def accept_reading(
    gkey: tuple,
    best: int,
    in_focus: bool,
    supported: bool,
    has_focus: bool,
    in_main_country: bool,
    gaz: Gazetteer,
) -> tuple[bool, bool]:
    """Whether the best reading of a name counts as a place, and whether on strong evidence.

    What the report adds comes in as four flags: the place's country is in the report's
    focus (``in_focus``), and so without this name (``supported``); the report has a
    focus at all (``has_focus``); the place is in its main country (``in_main_country``).
    """
    key, cue, match = gkey
    cols = gaz._columns
    kind, pop = cols["kind"][best], int(cols["population"][best])
    if kind in ("region", "river", "lake"):
        kind = "province"  # a region of several provinces, a river, a lake: weighed as one
    main = gaz.main_key(best)
    # A facility named in full ("X Air Base") names itself as a cue would.
    strong = (
        kind == "country"
        or cue_fits(cue, kind) is True
        or (kind == "airbase" and main == key and not BASE_CUES.isdisjoint(key.split()))
    )
    if match == "transliteration" and cue_fits(cue, kind) is False:
        return False, False  # "X Air Base" read as a city of a like-sounding name
    if match == "transliteration" and kind == "country" and likeness(key, main) < CLOSE_SPELLING:
        # English writes a country by one of its names or a close spelling (Tadjikistan):
        # a word merely like-sounding is a person's or a group's name ("Maute gunmen" is
        # not Mayotte).
        return False, False
    if strong:
        # Abroad, a cue does not make a small place of an alternate name (a name that
        # is its main name less generic words, "X" for "X Air Base", is no alternate),
        # nor a metropolis of a like-sounding word unless it is spelt very like it ("the
        # town of Rubaya" is not Rabat); and a transliteration must still look like the
        # place's name (below).
        if (
            kind not in ("country", "province")
            and main != key
            and not in_focus
            and likeness(key, main) < 1.0
        ):
            return pop >= METROPOLIS and (
                match != "transliteration" or likeness(key, main) >= CLOSE_SPELLING
            ), strong
        return (match != "transliteration" or likeness(key, main) >= MIN_LIKENESS), strong
    zipf = gaz.zipf.get(key, 0.0)
    # A small place abroad needs strong evidence; in a report that names no country
    # and no other place of one ("Troops shelled X on Monday"), a town or a seat of
    # government named by its main name, or by a spelling very like it (Mazar-e Sharif
    # for Mazar-i-Sharif, exact or by transliteration), and not an English word, is
    # taken at its word.
    lone_town = (
        not has_focus
        and kind in ("city", "town")
        and (pop >= SMALL_TOWN or bool(cols["seat"][best]))
        and key not in gaz.known_words
        # its own name, or one spelt very like it, written exactly as one of its
        # alternate names (Avdiivka for Avdiyivka) or by a like-sounding key; or its name
        # less a generic word ("X" for "X City")
        and (main == key or likeness(key, main) >= CLOSE_SPELLING)
    )
    if (
        not in_focus
        and not lone_town
        and not (
            (kind in ("city", "province") and pop >= 100_000)
            or (kind == "province" and match == "exact")
        )
    ):
        return False, strong
    # A region abroad named by an English word ("Gulf") or by common words only.
    if (
        kind == "province"
        and not supported
        and (zipf >= WORD_ZIPF or all(w in gaz.common_words for w in key.split()))
    ):
        return False, strong
    # Abroad, a small place named by one of its alternate names (Özbek for "Uzbek",
    # a village once called "Taliban") is more likely a word than a place; a very
    # small one must be in the report's main country.
    if main != key and kind not in ("country", "province") and not lone_town:
        if not in_focus and pop < 1_000_000:
            return False, strong
        if pop < SMALL_TOWN and not in_main_country:
            return False, strong
    if match == "transliteration" and not in_focus and not lone_town:
        return False, strong
    # A transliteration key is lossy: the written forms must still look alike
    # (Kala-i-Nau ~ Qala i Naw), or "Hairatan" could be read as Manchester; outside the
    # report's main country, very alike (a village of the front line is no namesake in
    # the neighbour the report also names).
    if match == "transliteration" and likeness(key, main) < (
        MIN_LIKENESS if in_main_country else CLOSE_SPELLING
    ):
        return False, strong
    # An English word ("Taliban") that is only an alternate name of a small place is the
    # word, wherever the place is; a frequent one ("Mars") even as a small town's name.
    if (
        key in gaz.known_words
        and pop < 100_000
        and kind not in ("country", "province")
        and (main != key or zipf >= WORD_ZIPF)
    ):
        return False, strong
    # Nor is an English word that is a larger city's alternate name ("Hamas", a name of
    # Hamm) that city, unless the report's other places are in its country.
    if (
        key in gaz.known_words
        and main != key
        and kind not in ("country", "province")
        and pop < METROPOLIS
    ):
        return supported, strong
    return True, strong

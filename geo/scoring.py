"""Scoring of gazetteer candidates, shared by the geoparser and the geocoder.

A candidate's score is a sum of log-scale evidence: its prior (what kind of place it
is, how many live there, whether it is a seat), whether the text named it by its main
name, how alike a transliteration-matched name and the place's name are, and whether
the words around the mention ("X province", "city of X") fit its kind. The geoparser
adds the report's focus and neighbours (:mod:`geo.geoparse.resolve`); the geocoder,
which has no report, uses these parts alone (:func:`geo.geocoder.rank_candidates`).
"""

from __future__ import annotations

import math
from difflib import SequenceMatcher

__all__ = [
    "MAIN_NAME_BONUS",
    "candidate_score",
    "cue_fits",
    "likeness",
    "prior",
    "transliteration_score",
]

# Named by its main name, not a historical or foreign alternate (Islamabad is
# Pakistan's capital before it is an old name of Chittagong).
MAIN_NAME_BONUS = 1.5
# Weight of written likeness for a transliteration match (centred on a ratio of 0.5).
LIKENESS_WEIGHT = 6.0
CUE_FIT = 4.0
CUE_MISFIT = -2.0


def prior(kind: str, population: int, seat: bool) -> float:
    """How likely a place is to be meant, before any context.

    Examples
    --------
    >>> prior("country", 0, False) > prior("province", 0, False) > prior("town", 5_000, False)
    True
    """
    if kind == "country":
        return 9.0
    if kind in ("province", "region"):  # a region: several provinces (Darfur, Donbas)
        return 6.0
    if kind in ("airbase", "river", "lake"):
        return 5.0
    if kind in ("other", "border_crossing"):
        return 3.0
    return math.log10(population + 10) + (1.5 if seat else 0.0)


# Generic words of a place's name and the Arabic article, left out when written forms
# are compared ("Annad" is like "Al Anad Air Base").
_GENERIC = frozenset(
    {"air", "base", "airbase", "airport", "airfield", "international", "al", "el", "city"}
)


def _core(key: str) -> str:
    words = key.split()
    core = [w for w in words if w not in _GENERIC]
    return "".join(core or words)


def likeness(a: str, b: str) -> float:
    """How alike two names are written (0..1), spaces, generic words and articles ignored.

    Examples
    --------
    >>> likeness("kala i nau", "qala i naw") > likeness("kala i nau", "khulna")
    True
    >>> likeness("annad", "al anad air base") > 0.8
    True
    """
    return SequenceMatcher(None, _core(a), _core(b)).ratio()


def cue_fits(cue: str | None, kind: str) -> bool | None:
    """Whether a cue word around a mention fits a kind of place; None without a cue.

    ``cue`` is ``province`` ("X province"), ``region`` ("capital of X"), ``airbase``
    ("X Air Base") or ``city`` ("city of X", "X district").
    """
    if cue is None:
        return None
    if cue == "province":
        return kind == "province"
    if cue == "region":
        return kind in ("province", "country")
    if cue == "airbase":
        return kind in ("airbase", "other")
    return kind in ("city", "town", "district", "border_crossing")


def candidate_score(
    kind: str,
    population: int,
    seat: bool,
    *,
    main_name: bool,
    likeness_ratio: float | None = None,
    cue: str | None = None,
) -> float:
    """The context-free score of one candidate for one mention.

    Parameters
    ----------
    kind, population, seat
        The gazetteer record's fields.
    main_name : bool
        The mention is the record's main name (not an alternate name).
    likeness_ratio : float, optional
        For a transliteration match: :func:`likeness` of the mention and the record's
        main name (Kala-i-Nau is Qala i Naw more than Khulna).
    cue : str, optional
        The cue read around the mention (see :func:`cue_fits`).
    """
    s = prior(kind, population, seat)
    if main_name:
        s += MAIN_NAME_BONUS
    if likeness_ratio is not None:
        s += transliteration_score(likeness_ratio)
    fit = cue_fits(cue, kind)
    if fit is True:
        s += CUE_FIT
    elif fit is False:
        s += CUE_MISFIT
    return s


def transliteration_score(ratio: float) -> float:
    """What a transliteration match's written likeness (:func:`likeness`) adds."""
    return LIKENESS_WEIGHT * (ratio - 0.5)

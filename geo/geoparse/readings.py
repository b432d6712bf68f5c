"""What the gazetteer alone says about a name read one way (its key, cue and match): its
candidates worth weighing, scored without context by :func:`geo.scoring.candidate_score`,
and what each tells the report's resolving (:mod:`geo.geoparse.resolve`). The same in
every report, so made once per name and process (``Gazetteer.score_cache``).
"""

from __future__ import annotations

from math import exp
from typing import Any, Final, NamedTuple

from geo.gazetteer import Gazetteer
from geo.geoparse import nearness
from geo.geoparse.accept import CLOSE_SPELLING, METROPOLIS
from geo.scoring import candidate_score, cue_fits, likeness

__all__ = ["PRUNE", "REGION_KINDS", "Readings", "readings"]

#: A candidate this far below the best by its own score can never win: the report's
#: focus (at most +4) and its neighbours (+1) cannot make up the difference. The best
#: candidate of each country is kept all the same, for the report's own countries.
PRUNE: Final = 6.0
#: Kinds of area below a country: an admin-1 province, a region of several (Darfur).
REGION_KINDS: Final = ("province", "region")


class Readings(NamedTuple):
    """What the gazetteer alone says about one name read one way (its key, cue and
    match): the same in every report, so computed once per process."""

    rids: list[int]  # the candidates worth weighing, best context-free score first
    scores: list[float]
    countries: list[str]
    isos: list[str]
    home: list[bool]  # may stand for the name in its country (see _own_country_reading)
    focus: float  # what the name adds to its top reading's country, if it counts
    top_is_main: bool  # the top reading is named by its main name
    stays: list[bool]  # never gives way to a reading at home (a country, a metropolis)
    country_set: frozenset[str]  # the candidates' countries
    iso_set: frozenset[str]  # the candidates' regions (ISO 3166-2), those they have
    confidence: float  # the top candidate's confidence when nothing in the report counts
    points: nearness.Points | None  # the candidates that are points, for nearness
    regional: tuple[bool, ...]  # each candidate is a region (a province, Darfur)
    namesakes: bool  # towns of one name in two regions of one country
    places: tuple[nearness.Anchor | None, ...]  # each candidate's point, if it is one
    anchor: nearness.Anchor | None  # the name's anchor when the report leaves its scores


def readings(key: tuple, rids: Any, gaz: Gazetteer) -> Readings:
    """The candidates of a name, scored without context (:func:`geo.scoring.candidate_score`).

    Parameters
    ----------
    key : tuple of (str, str or None, str)
        The name's key, its cue and how it matched (``Mention.key``, ``.cue``, ``.match``).
    rids : numpy.ndarray of int
        Its candidate records (``Mention.rids``).
    gaz : Gazetteer

    Returns
    -------
    Readings
        The candidates worth weighing, best first, and what they tell the report.
    """
    name, cue, match = key
    cols = gaz._columns
    kinds, countries, pops = cols["kind"], cols["country"], cols["population"]
    seats, isos = cols["seat"], cols["iso_3166_2"]

    # A seat of government named by its province's name, spelt like its own ("Hama" for
    # Hamah, the seat of Hama province), is named by its own name: the press names both
    # alike. (Not a seat the province's name is only an old name of.)
    own_province = {
        isos[r] for r in rids if kinds[r] == "province" and isos[r] and gaz.main_key(r) == name
    }

    def base(r: int) -> float:
        primary = gaz.main_key(r)
        return candidate_score(
            kinds[r],
            int(pops[r]),
            bool(seats[r]),
            main_name=primary == name
            or (
                bool(seats[r])
                and kinds[r] != "province"
                and isos[r] in own_province
                and likeness(name, primary) >= CLOSE_SPELLING
            ),
            likeness_ratio=likeness(name, primary) if match == "transliteration" else None,
            cue=cue,
        )

    # Best first; of two equal scores (two countries of one name: "Congo"), the more
    # populous first.
    scored = [
        (sc, r)
        for sc, _, r in sorted(((base(int(r)), int(pops[r]), int(r)) for r in rids), reverse=True)
    ]
    seen: set[str] = set()
    kept = []
    for sc, r in scored:
        if sc >= scored[0][0] - PRUNE or countries[r] not in seen:
            kept.append((sc, r))
        seen.add(countries[r])
    s0, top = scored[0]
    # The weight of the name as evidence of its country: a country, or a significant
    # place (a region, a capital, a city) whose country is clear: no reading in another
    # country comes near. A city and the province it is the capital of share a name
    # ("X" the city, "X" the province): that makes the name no less clearly of its country.
    runner_up = next((sc for sc, r in scored if countries[r] != countries[top]), float("-inf"))
    clear = s0 - runner_up > 2
    major = bool(seats[top]) or int(pops[top]) >= 100_000
    focus = 0.0
    if kinds[top] == "country":
        # A name two countries share ("Congo") is evidence of neither.
        shared = any(
            kinds[r] == "country" and countries[r] != countries[top] and sc > s0 - 2
            for sc, r in scored
        )
        focus = 0.0 if shared else 2.0
    elif clear and (kinds[top] in REGION_KINDS or (major and gaz.main_key(top) == name)):
        focus = 1.0
    elif clear and major:
        # A capital or city named by another spelling (Sheberghan for Shibirghān)
        # is weaker evidence, but a short report may have nothing else.
        focus = 0.5
    kept_rids = [r for _, r in kept]
    kept_scores = [sc for sc, _ in kept]
    places = nearness.anchors_at(kept_rids, gaz)
    return Readings(
        rids=kept_rids,
        scores=kept_scores,
        countries=[countries[r] for _, r in kept],
        isos=[isos[r] for _, r in kept],
        home=[
            kinds[r] != "country"
            and cue_fits(cue, kinds[r]) is not False
            and gaz.main_key(r) == name  # its own name, not a village's alternate one
            for _, r in kept
        ],
        focus=focus,
        top_is_main=gaz.main_key(top) == name,
        stays=[kinds[r] == "country" or int(pops[r]) >= METROPOLIS for _, r in kept],
        country_set=frozenset(countries[r] for _, r in kept),
        iso_set=frozenset(isos[r] for _, r in kept if isos[r]),
        confidence=1.0 / sum([exp(sc - kept[0][0]) for sc, _ in kept]),
        points=nearness.points([r for _, r in kept], gaz) if len(kept) > 1 else None,
        regional=tuple(kinds[r] in REGION_KINDS for _, r in kept),
        namesakes=len(
            {(countries[r], isos[r]) for _, r in kept if kinds[r] in nearness.POINT_KINDS}
        )
        > len({countries[r] for _, r in kept if kinds[r] in nearness.POINT_KINDS}),
        places=places,
        anchor=places[0] if nearness.beyond_doubt(kept_scores, 0) else None,
    )

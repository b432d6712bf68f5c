"""What "the city" stands for: the places a report has named so far.

:class:`Story` keeps the places a report has named so far, so :func:`anaphora` finds
what "the city" or "the provincial capital" stands for in time linear in the report;
:func:`dominant_country` is the country a list of places names most; :func:`seat_of` is
the gazetteer's capital of an admin-1 region.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

from geo.events.places import Place
from geo.gates import SHARED_PASS, StartIndex

__all__ = ["Story", "anaphora", "dominant_country", "seat_of"]


# "the city", "the provincial capital", "The Shiite-majority town", "the IS-held city's":
# up to three modifiers (lower-case or hyphenated words) between "the" and the noun.
_MODIFIER = r"(?:(?!(?:the|a|an|and|or|of|in|on|at|to|by|from|with|into)\s)(?:[a-z][\w'’]*|[\w'’]+-[\w'’-]+)\s+)"
_ANAPHORA_RE = re.compile(
    rf"\b[Tt]he {_MODIFIER}{{0,3}}?(?:(?:provincial |regional |district )?capital|city|town"
    r"|provincial cent(?:re|er)|province)\b(?!\s+(?:hall|council|centre|center)\b)"
    r"(?!\s+of\s+(?:the\s+)?[A-Z])"
)
# where "the city" can start, in the event stage's one pass over a sentence (geo.gates)
_ANAPHORA_INDEX = StartIndex([_ANAPHORA_RE], group=SHARED_PASS, keep=True)


def dominant_country(places: list[Place]) -> str | None:
    """The country named most often among ``places``, the first named of equals."""
    first: str | None = None
    for p in places:
        c = p.country
        if c:
            if first is None:
                first = c
            elif c != first:
                return _most_named(places)
    return first  # one country (most sentences): no tally


def _most_named(places: list[Place]) -> str | None:
    counts: dict[str, int] = {}
    for p in places:
        c = p.country
        if c:
            counts[c] = counts.get(c, 0) + 1
    if len(counts) < 2:
        return next(iter(counts), None)
    return max(counts, key=counts.__getitem__)


class Story:
    """The places a report has named so far, for "the city" (each place is added once).

    For each kind of referent (towns, provinces) it keeps the place named most often
    so far, the latest of equals, both in the report's home country and anywhere, so a
    report of any length is read in linear time.
    """

    _GROUPS: ClassVar[dict[str, str]] = {"city": "town", "town": "town", "province": "province"}

    def __init__(self, places: list[Place], home: str | None) -> None:
        self.places = places  # sorted by start
        self.home = home
        self._k = 0
        self._count: dict[str, int] = {}
        # (group, home only) -> (count, order, place)
        self._best: dict[tuple[str, bool], tuple[int, int, Place]] = {}
        self._to = -1  # the offset taken in up to, once asked (see best)

    def advance(self, offset: int) -> None:
        """Take in every place that ends at or before ``offset`` (offsets only grow).

        The places are tallied when :meth:`best` is asked, not here: most sentences of a
        report say no "the city", and a report that never does costs no tally at all.
        """
        self._to = offset

    def _tally(self, offset: int) -> None:
        places, k = self.places, self._k
        if k >= len(places) or places[k].end > offset:
            return  # most sentences: no place ended since the last one
        count, best, groups, home = self._count, self._best, self._GROUPS, self.home
        n = len(places)
        while k < n and places[k].end <= offset:
            p = places[k]
            group = groups.get(p.kind)
            if group is not None and not p.via:
                key = p.source or p.name
                c = count.get(key, 0) + 1
                count[key] = c
                anywhere = (group, False)
                got = best.get(anywhere)
                if got is None or c >= got[0]:
                    best[anywhere] = (c, k, p)
                if p.country == home:
                    at_home = (group, True)
                    got = best.get(at_home)
                    if got is None or c >= got[0]:
                        best[at_home] = (c, k, p)
            k += 1
        self._k = k

    def best(self, group: str) -> Place | None:
        """The referent of "the city" (``group="town"``) or "the province"."""
        self._tally(self._to)
        got = self._best.get((group, True)) or self._best.get((group, False))
        return got[2] if got else None


def anaphora(
    s_text: str,
    s0: int,
    story: Story,
    s_places: list[Place],
    heading: Place | None = None,
) -> list[Place]:
    """Places that "the city", "the provincial capital" stand for.

    The town named earlier in the same sentence ("In Herat, ... the edge of the city");
    else the heading place of the sentence's entry (a factbox's "– Riverton: The town
    fell ..."); else the story's town: in the country the report is about (a city abroad
    named in passing is not it), the one named most often so far, the latest of equals.
    ``story`` must have been advanced to the sentence start.
    """
    hits = _phrases(s_text)
    if not hits:
        return []  # no "the city", "the provincial capital"...: nothing to stand for
    out = []
    named_at = {p.start for p in s_places}
    for m_start, m_end, said, group in hits:
        start = s0 + m_start
        if any(s0 + m_end + k in named_at for k in (1, 2)):
            continue  # "the capital Tripoli": the name that follows is the place
        wants = ("province",) if group == "province" else ("city", "town")
        own = [p for p in s_places if p.end <= start and p.kind in wants and not p.via]
        own = [p for p in own if p.country == story.home] or own
        ref: Place | None
        if own:
            ref = own[-1]
        elif (
            heading is not None
            and (heading.kind in wants or group == "town")
            and (heading.kind != "province" or group == "province")
        ):
            ref = heading
        else:
            ref = story.best(group)
        if ref is None:
            continue
        out.append(
            Place(
                start,
                s0 + m_end,
                ref.name,
                ref.kind,
                ref.country,
                ref.admin1,
                ref.iso,
                ref.lat,
                ref.lon,
                ref.source,
                ref.capital or "capital" in said.lower(),
                via=said,
            )
        )
    return out


@lru_cache(maxsize=4096)
def _phrases(s_text: str) -> tuple[tuple[int, int, str, str], ...]:
    """The phrases of the sentence that may stand for a place: offsets in the sentence,
    the words, and ``"town"`` or ``"province"`` (what they stand for). They depend on the
    sentence alone, so a sentence read again costs a look-up."""
    scanned = _ANAPHORA_INDEX.scan(s_text)
    if not _ANAPHORA_INDEX.may(0, scanned):
        return ()  # no "city", "town", "capital" or "province"
    return tuple(
        (
            m.start(),
            m.end(),
            m.group(0),
            "province" if m.group(0).lower().endswith("province") else "town",
        )
        for m in _ANAPHORA_INDEX.find_all(0, _ANAPHORA_RE, s_text, scanned)
    )


@lru_cache(maxsize=4096)
def seat_of(iso: str) -> Place | None:
    """The capital (gazetteer ``seat``) of the admin-1 region ``iso``, the most populous
    seat when several places carry the flag; ``None`` when the gazetteer knows none."""

    table = _seats_by_region()
    rec = table.get(iso)
    if rec is None:
        return None
    return Place(
        -1,
        -1,
        rec["name"],
        rec["kind"],
        rec["country"],
        rec["admin1"],
        iso,
        float(rec["lat"]),
        float(rec["lon"]),
        rec["source"],
        True,
    )


@lru_cache(maxsize=1)
def _seats_by_region() -> dict[str, dict]:
    from geo.gazetteer import default_gazetteer

    rec = default_gazetteer().records
    if "seat" not in rec.columns:
        return {}
    seats = rec[rec["seat"].astype(bool) & rec["kind"].isin(["city", "town"])]
    seats = seats.sort_values("population", ascending=False).drop_duplicates("iso_3166_2")
    out = {}
    for r in seats.to_dict("records"):
        out[str(r["iso_3166_2"])] = {
            "name": r["name"],
            "kind": r["kind"],
            "country": r["country"],
            "admin1": r.get("admin1_code"),
            "lat": r["lat"],
            "lon": r["lon"],
            "source": r["source"],
        }
    return out

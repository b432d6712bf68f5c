"""Resolving: which gazetteer record each spotted name is, and whether it is a place.

Each candidate is scored by :func:`geo.scoring.candidate_score` (prior, main name,
written likeness, cue), then by the report's focus countries (those it names, and
those of its significant places with one clear reading, or of two or more small towns
found in that country only: :func:`_towns_together`) and its neighbours (other places
in the same region; of several towns of one name in one country, the one in a region
its own sentence names, :data:`SAME_SENTENCE_REGION`, then the one within
:data:`geo.geoparse.nearness.NEAR_KM` of a town the report names without doubt). A
reading abroad with no support in the report gives way to a reading in the report's own
countries. A single common English word ("Mobile",
"Split", "We"), a small place abroad, a name shadowed as a person's, or an English word
that is only a small place's alternate name ("Taliban") needs strong evidence.
"""

from __future__ import annotations

import math
from math import exp
from operator import itemgetter
from typing import Final

from geo.gazetteer import Gazetteer
from geo.geoparse import nearness
from geo.geoparse.accept import METROPOLIS, accept_reading
from geo.geoparse.readings import REGION_KINDS, Readings, readings
from geo.geoparse.spot import Mention
from geo.geoparse.words import is_dictionary_word

# Focus weight of a country that counts as one of the report's countries.
_IN_FOCUS: Final = 0.1
# Focus weight (without the name itself) that makes a country the report's own: a
# reading there beats an unsupported reading abroad.
_OWN_COUNTRY: Final = 0.25
#: What a reading gains in the region that its own sentence names (besides the point
#: any region named in the report gives): more than nearness to a town named elsewhere.
SAME_SENTENCE_REGION: Final = 1.0
#: Names of towns of one country only (see _towns_together) that make it the report's
#: own when named together, and the focus each adds (a city by another spelling's).
TOWNS_TOGETHER: Final = 2
TOWN_FOCUS: Final = 0.5


class _Focus:
    """A report's focus: each country's weight (``focus``; ``weight``, its share of the
    ``total``) and what each name adds to one country (``own``)."""

    def __init__(
        self,
        focus: dict[str, float],
        own: dict[str, tuple[str, float]],
        total: float,
        weight: dict[str, float],
    ) -> None:
        self.focus = focus
        self.own = own
        self.total = total
        self.weight = weight

    def without(self, key: str, cc: str) -> float:
        """A country's focus weight without the name's own contribution."""
        mine = self.own.get(key)
        if mine is None:  # the name adds nothing to any country's weight
            return self.weight.get(cc, 0.0)
        occ, ow = mine
        rest = self.total - ow
        if rest <= 0:
            return 0.0
        return (self.focus.get(cc, 0.0) - (ow if occ == cc else 0.0)) / rest


def _argmax(values: list[float]) -> int:
    """The index of the first largest of ``values`` (as ``max(range(len(values)),
    key=values.__getitem__)``, without a call per value)."""
    b = 0
    top = values[0]
    for k in range(1, len(values)):
        if values[k] > top:
            b, top = k, values[k]
    return b


def resolve_mentions(
    mentions: list[Mention], gaz: Gazetteer, armed_groups: dict[str, float] | None = None
) -> list[tuple[Mention, int, float]]:
    """The record and confidence of each mention that is a place; ``armed_groups``: the focus
    weight the armed groups the report names give their countries
    (``ArmedGroups.focus`` of :func:`geo.geoparse.groups.armed_groups`)."""
    cache = gaz.score_cache
    accepted = gaz.accept_cache

    # The mentions by name read one way (key, cue, match): the groups are numbered in
    # the order of their first mention, and each one's state is kept in lists by number.
    number: dict[tuple, int] = {}
    members: list[list[Mention]] = []
    group_of: list[int] = []  # each mention's group, in mention order
    for m in mentions:
        gkey = (m.key, m.cue, m.match)
        g = number.get(gkey)
        if g is None:
            g = number[gkey] = len(members)
            members.append([m])
        else:
            members[g].append(m)
        group_of.append(g)
    gkeys = list(number)

    # Focus countries: those named, and those of significant places (regions, capitals,
    # cities) with one clear reading. Each distinct name counts once; a name seen as a
    # person's, or a common English word read as another name ("It" for Itu), does not.
    names: list[Readings] = []
    focus: dict[str, float] = {}
    own: dict[str, tuple[str, float]] = {}
    counted: set[tuple[str, str]] = set()
    for gkey, ms in zip(gkeys, members, strict=True):
        info = cache.get(gkey)
        if info is None:
            info = cache[gkey] = readings(gkey, ms[0].rids, gaz)
        names.append(info)
        if len(ms) == 1:
            m = ms[0]
            if m.shadow or (m.risky and not info.top_is_main):
                continue
        elif all(m.shadow or (m.risky and not info.top_is_main) for m in ms):
            continue
        key, cc = gkey[0], info.countries[0]
        if (key, cc) in counted:
            continue
        counted.add((key, cc))
        w = info.focus
        if w:
            focus[cc] = focus.get(cc, 0.0) + w
            prev = own.get(key, ("", 0.0))
            own[key] = (cc, prev[1] + w) if prev[0] in ("", cc) else prev
    _towns_together(gkeys, members, names, focus, own, gaz)
    # A report that names no place of a country is still no lone name ("lone_town" in
    # _accept) for naming an armed group: the group only weighs for its countries.
    named = bool(focus)
    for cc, w in (armed_groups or {}).items():
        focus[cc] = focus.get(cc, 0.0) + w
    total = sum(focus.values()) or 1.0
    weight = {cc: w / total for cc, w in focus.items()}
    main_country = max(weight, key=weight.__getitem__) if weight else ""
    # what the report's focus adds to a reading in each country (see the first pass)
    pull = {cc: 4.0 * w for cc, w in weight.items()}

    shares = _Focus(focus, own, total, weight)

    # First pass: the best reading of each distinct name, for the regions in play
    # (the candidates come best first: without a focus, or alone, the first is best).
    # A name none of whose candidates is in a focus country keeps its own order.
    first: list[list[float]] = []
    tops: dict[str, str] = {}  # the region of each name's best reading
    kinds = gaz._columns["kind"]
    # the regions named in each sentence, with the names that name them
    sentence_regions: dict[int, set[tuple[str, str]]] = {}
    # the places each name stands for without doubt, by name (nearness.anchor)
    anchors: dict[str, nearness.Anchor] = {}
    two_cues: set[str] = set()  # names read with two cues ("X town" and "X state")
    for g, (gkey, info) in enumerate(zip(gkeys, names, strict=True)):
        key = gkey[0]
        b = 0
        scores = info.scores
        if len(scores) > 1 and not pull.keys().isdisjoint(info.country_set):
            scores = [sc + pull.get(cc, 0.0) for sc, cc in zip(scores, info.countries, strict=True)]
            b = _argmax(scores)
            anchored = info.places[b]
            if anchored is not None and not nearness.beyond_doubt(scores, b):
                anchored = None
        else:
            anchored = info.anchor
        if key in tops:
            two_cues.add(key)
        tops[key] = info.isos[b]
        first.append(scores)
        if anchored is not None:
            anchors[key] = anchored
        if info.regional[b] and info.isos[b]:
            for m in members[g]:
                sentence_regions.setdefault(m.sentence, set()).add((info.isos[b], key))
    regions_seen: dict[str, int] = {}
    for iso in tops.values():
        if iso:
            regions_seen[iso] = regions_seen.get(iso, 0) + 1
    near_to = nearness.Nearness(anchors)
    decided: list[tuple[int, float, bool, bool]] = []  # by group
    for gkey, info, scores, ms in zip(gkeys, names, first, members, strict=True):
        key = gkey[0]
        if len(scores) == 1:
            b, confidence = 0, 1.0
        else:
            # The regions of other names' best readings (or of two of its own) count.
            top_iso = tops[key]
            # the regions in play that are among the name's (few: no set is made)
            near = 0
            near_top = False
            iso_set = info.iso_set
            if len(iso_set) < len(regions_seen):  # the smaller side is read
                for iso in iso_set:
                    if iso in regions_seen:
                        near += 1
                        near_top = near_top or iso == top_iso
            else:
                for iso in regions_seen:
                    if iso in iso_set:
                        near += 1
                        near_top = near_top or iso == top_iso
            if not near or (near == 1 and near_top and regions_seen[top_iso] == 1):
                final = scores
            else:
                final = [
                    sc + (1.0 if iso and regions_seen.get(iso, 0) - (iso == top_iso) > 0 else 0.0)
                    for sc, iso in zip(scores, info.isos, strict=True)
                ]
            if info.namesakes and near and sentence_regions:
                # Of namesake towns in one country, the one in a region the name's own
                # sentence names ("X, in Y region") outweighs one near a place named
                # elsewhere in the report (no reading moves to another country or kind).
                here = {
                    i
                    for m in ms
                    for i, k in sentence_regions.get(m.sentence, ())
                    if k != key  # not the name's own reading as a region
                }
                if not here.isdisjoint(info.iso_set):
                    cc = info.countries[_argmax(final)]
                    final = [
                        sc + SAME_SENTENCE_REGION
                        if iso in here and c == cc and kinds[r] in nearness.POINT_KINDS
                        else sc
                        for sc, iso, c, r in zip(
                            final, info.isos, info.countries, info.rids, strict=True
                        )
                    ]
            b = _argmax(final)
            if info.points is not None and near_to and info.places[b] is not None:
                # a town near a place the report names without doubt (nearness)
                flags = near_to.flags(key, len(final), info.points)
                if flags is not None:
                    final = [
                        sc + nearness.NEAR_BONUS if close else sc
                        for sc, close in zip(final, flags, strict=True)
                    ]
                    b = _argmax(final)
            if not info.stays[b]:
                cc = info.countries[b]
                if (weight.get(cc, 0.0) if key not in own else shares.without(key, cc)) < _IN_FOCUS:
                    b = _own_country_reading(key, b, info, final, shares, regions_seen)
            if b == 0 and final is info.scores:
                confidence = info.confidence
            else:
                fb = final[b]
                confidence = 1.0 / sum([exp(sc - fb) for sc in final])
        best = info.rids[b]
        cc = info.countries[b]
        in_focus = weight.get(cc, 0.0)
        alone = (in_focus if key not in own else shares.without(key, cc)) >= _IN_FOCUS
        akey = (
            gkey,
            best,
            in_focus >= _IN_FOCUS,
            alone,
            # a like-sounding spelling abroad is no lone name where a group is named
            named or (bool(weight) and gkey[2] == "transliteration"),
            cc == main_country,
        )
        verdict = accepted.get(akey)
        if verdict is None:
            verdict = accepted[akey] = accept_reading(gkey, best, *akey[2:], gaz)
        decided.append((best, confidence, verdict[0], verdict[1]))
    if two_cues:
        _one_sense(two_cues, gkeys, decided, weight, gaz)
    # Each mention's verdict: its group's, read with the mention's own two flags (in
    # practice the same for every mention of a name, so worked out once per group).
    out: list[tuple[Mention, int, float]] = []
    countries_of, kinds_of = gaz._columns["country"], gaz._columns["kind"]
    # the verdict of a plain mention of each group, once worked out (no sentinel object:
    # compiled, a tuple[int, float] is a value, not an object with an identity)
    plain: list[tuple[int, float] | None] = [None] * len(decided)
    plain_known = [False] * len(decided)
    verdicts: dict[tuple[int, bool, bool], tuple[int, float] | None] = {}
    for m, g in zip(mentions, group_of, strict=True):
        found: tuple[int, float] | None
        if not m.risky and not m.shadow:  # what _mention_verdict says of a plain name
            if plain_known[g]:
                found = plain[g]
            else:
                group = decided[g]
                plain_known[g] = True
                found = plain[g] = (
                    (group[0], _round3(group[1] * _MATCH_CONFIDENCE[m.match])) if group[2] else None
                )
        else:
            vkey = (g, m.risky, m.shadow)
            if vkey in verdicts:
                found = verdicts[vkey]
            else:
                found = verdicts[vkey] = _mention_verdict(m, decided[g], weight, gaz)
        if found is None:
            continue
        if (
            m.feature
            and kinds_of[found[0]] in nearness.POINT_KINDS
            and (
                shares.without(m.key, countries_of[found[0]])
                if m.key in own
                else weight.get(countries_of[found[0]], 0.0)
            )
            < _IN_FOCUS
        ):
            # "the X valley": the valley is named after a place of the report's own
            # countries, not after a town abroad of that name (a river is itself)
            continue
        out.append((m, found[0], found[1]))
    return out


def _towns_together(
    gkeys: list[tuple],
    members: list[list[Mention]],
    names: list[Readings],
    focus: dict[str, float],
    own: dict[str, tuple[str, float]],
    gaz: Gazetteer,
) -> None:
    """Small towns named together support each other: TOWNS_TOGETHER or more names that
    are each only towns (or other points) of one country, and of no other, make that
    country one of the report's own (each adds TOWN_FOCUS), as a city would. "Palma, X
    and Y" with X and Y two towns found only in Mozambique is Palma in Mozambique, not
    the Spanish city. One such name alone is no evidence (a village's namesake abroad);
    a country the report already names gets nothing more (the shares of the others,
    a town across the border, stay as they were).
    Changes ``focus`` and ``own`` in place (``gkeys``, ``members``, ``names``: each
    group's key, mentions and candidates)."""
    kinds = gaz._columns["kind"]
    single: dict[str, list[str]] = {}
    for gkey, ms, info in zip(gkeys, members, names, strict=True):
        if info.focus or len(info.country_set) != 1 or gkey[2] != "exact":
            continue
        if (
            focus.get(info.countries[0])
            or all(m.shadow or m.risky for m in ms)
            or not all(kinds[r] in nearness.POINT_KINDS for r in info.rids)
        ):
            continue
        single.setdefault(info.countries[0], []).append(gkey[0])
    for cc, keys in single.items():
        keys = list(dict.fromkeys(keys))
        if len(keys) < TOWNS_TOGETHER:
            continue
        for key in keys:
            focus[cc] = focus.get(cc, 0.0) + TOWN_FOCUS
            prev = own.get(key, ("", 0.0))
            own[key] = (cc, prev[1] + TOWN_FOCUS) if prev[0] in ("", cc) else prev


def _one_sense(
    two_cues: set[str],
    gkeys: list[tuple],
    decided: list[tuple[int, float, bool, bool]],
    weight: dict[str, float],
    gaz: Gazetteer,
) -> None:
    """One name, one place in a report: a small place abroad that a cue alone made of a
    name ("Rebels attack X town" in a headline, X the report's state) gives way to the
    reading of the same name, with another cue or none, in the report's own countries.
    ``two_cues``: the names of two or more groups (``gkeys``, in order). Changes
    ``decided`` (by group) in place."""
    cols = gaz._columns
    countries, kinds, pops = cols["country"], cols["kind"], cols["population"]
    by_key: dict[str, list[int]] = {}
    for g, gkey in enumerate(gkeys):
        if gkey[0] in two_cues:
            by_key.setdefault(gkey[0], []).append(g)
    for gs in by_key.values():
        home = [
            decided[g]
            for g in gs
            if decided[g][2] and weight.get(countries[decided[g][0]], 0.0) >= _IN_FOCUS
        ]
        if not home:
            continue
        at_home = max(home, key=itemgetter(1))
        for g in gs:
            best, _, ok, _ = decided[g]
            if (
                ok
                and gkeys[g][1] is not None
                and weight.get(countries[best], 0.0) < _IN_FOCUS
                and kinds[best] != "country"
                and int(pops[best]) < METROPOLIS
            ):
                decided[g] = at_home


def _mention_verdict(
    m: Mention, group: tuple[int, float, bool, bool], weight: dict[str, float], gaz: Gazetteer
) -> tuple[int, float] | None:
    """The record and confidence of a mention whose group was decided as ``group``
    (best record, confidence, accepted, on strong evidence), or None if it is no place."""
    best, confidence, ok, strong = group
    if not ok:
        return None
    if (
        m.risky
        and not strong
        and (int(gaz._columns["population"][best]) < 1_000_000 or gaz.main_key(best) != m.key)
        and not _proper_name_city(m.key, best, gaz)
    ):
        # A common word ("We", "Mobile") is a place only as a big city's main name.
        return None
    if m.shadow and not _major_here(m.key, best, weight, gaz):
        return None
    confidence *= _MATCH_CONFIDENCE[m.match]
    if m.risky:
        confidence *= 0.8
    return best, _round3(confidence)


def _round3(x: float) -> float:
    """``round(x, 3)`` of a confidence (between 0 and 1), without formatting the number as
    ``round`` does (thousands of instructions): below 1000, ``x * 1000`` is within 1e-10
    of the exact product, so its nearest integer is the exact product's unless that is
    within a millionth of a half (then ``round`` decides), and dividing it by 1000 gives
    the double nearest to that many thousandths, as ``round`` does."""
    if not 0.0 < x < 1000.0:  # zero (keep its sign), negative, large, not a number
        return round(x, 3)
    y = x * 1000.0
    k = math.floor(y)
    frac = y - k
    if abs(frac - 0.5) < 1e-6:
        return round(x, 3)
    if frac > 0.5:
        k += 1
    return k / 1000.0


_MATCH_CONFIDENCE: Final = {"exact": 1.0, "acronym": 0.95, "transliteration": 0.85}
# A seat of government this populous, named by its main name, is that city even if
# its name is a frequent word, so long as the word is no English word (Boston, Seattle).
_PROPER_NAME_CITY: Final = 300_000


def _proper_name_city(key: str, best: int, gaz: Gazetteer) -> bool:
    """A frequent name that is no English word ("Washington", "Boston": frequent as names,
    not as words) of a large seat of government: the city, not a word. A name the text
    also writes in lower case is a word there (the mention is risky for that alone)."""
    cols = gaz._columns
    return (
        bool(cols["seat"][best])
        and int(cols["population"][best]) >= _PROPER_NAME_CITY
        and gaz.main_key(best) == key
        and key in gaz.common_words
        and not is_dictionary_word(key)
    )


def _own_country_reading(
    key: str,
    b: int,
    info: Readings,
    final: list[float],
    shares: _Focus,
    regions_seen: dict[str, int],
) -> int:
    """A reading abroad that nothing else in the report supports gives way to a reading
    of the same name in the report's main country (Palma the Mozambican town in a
    report on Mozambique, not the Spanish city). A metropolis abroad keeps its name
    (London is London in an American paper): ``info.stays``, tested by the caller.
    Indices into the name's candidates."""
    if shares.without(key, info.countries[b]) >= _IN_FOCUS:
        return b
    iso = info.isos[b]
    if iso and regions_seen.get(iso, 0) > 1:
        return b
    share = {cc: shares.without(key, cc) for cc in set(info.countries)}
    main = max(share, key=share.__getitem__)
    if share[main] < _OWN_COUNTRY:
        return b
    home = [k for k, cc in enumerate(info.countries) if cc == main and info.home[k]]
    return max(home, key=final.__getitem__) if home else b


def _major_here(key: str, best: int, weight: dict[str, float], gaz: Gazetteer) -> bool:
    """A country, a region, or a city named by its main name, of the report's countries."""
    cols = gaz._columns
    kind, cc = cols["kind"][best], cols["country"][best]
    if kind == "country":
        return True
    if weight.get(cc, 0.0) < _IN_FOCUS:
        return False
    return kind in REGION_KINDS or (
        int(cols["population"][best]) >= 100_000 and gaz.main_key(best) == key
    )

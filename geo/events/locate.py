"""Which place an event is about: the verb's object, a list, the nearest place.

:func:`pick_place` reads the places around a trigger: the object of "captured X" or the
subject of "X fell" (with the places listed with it, "X, Y and Z"), "the capital of X
province" as that capital, else the nearest place; each ``whole`` or ``part``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import attrgetter, itemgetter

from geo.dates import find_date_expressions
from geo.events.places import Place
from geo.events.rules import EventRule

__all__ = ["NEAR_RE", "SeatLookup", "pick_place"]


# "the capital of Nineveh province", "the capital of the northern province of Nineveh"
_CAPITAL_OF_RE = re.compile(
    r"\bcapital\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:(?:province|region|state|governorate|oblast)\s+of\s+)?$",
    re.I,
)
# "in the northern province of Nineveh", "in Nineveh province": a place that contains the
# subject, not the subject ("the town in the province of X fell": the town fell).
_CONTAINER_BEFORE_RE = re.compile(
    r"\b(?:in|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:province|region|state|governorate|oblast|district)\s+of\s+$",
    re.I,
)
# "the Kunduz airport", "Slovyansk city-council building": a part of the place, not all of it
_FACILITY_AFTER_RE = re.compile(
    r"^(?:['’]s)?\s+(?:[\w-]+\s+)?(?:airport|air ?base|air ?field|base|building|headquarters"
    r"|compound|prison|palace|barracks|checkpoints?|cent(?:re|er)|outskirts|suburbs?"
    r"|neighbou?rhoods?|bridge|dam|refinery|fortress|port|hospital|university|market"
    r"|garrison|district cent(?:re|er)|side|half|portion)\b"
    # "the city's east", "X's northern edge": a side of it
    r"|^['’]s\s+(?:(?:north|south)-?)?(?:north|south|east|west)(?:ern)?\b"
    # "X's old city", "X's downtown": a quarter of it
    r"|^['’]s\s+(?:old\s+(?:city|town|quarter)|downtown)\b",
    re.I,
)
# Words allowed between a capture verb and its place when the place itself is taken.
_WHOLE_GAP_TEXT = (
    "the a of control full complete total city town provincial capital province centre center "
    "village settlement hamlet cities towns villages "
    "key strategic important major administrative northern southern eastern western central "
    "northeastern northwestern southeastern southwestern north-eastern north-western "
    "south-eastern south-western nearby neighbouring neighboring border was were has have had "
    "been is are finally also reportedly now itself largely completely to came come comes "
    "coming remain remains remained stayed still firmly fully entirely back which"
)
_WHOLE_GAP = frozenset(_WHOLE_GAP_TEXT.split())
# and between a withdrawal's verb and the place it leaves
# ("withdrew its troops from X", "pulled their last forces out of X": X itself is left)
_LEFT_GAP = frozenset(
    [
        "from",
        "out",
        "of",
        "its",
        "their",
        "his",
        "own",
        "last",
        "remaining",
        "troops",
        "forces",
        "soldiers",
        "units",
        "men",
        "fighters",
        "personnel",
        "garrison",
    ]
)

# The subject before a trigger that refers to a place named before: none, "it", "its",
# "the city" (at the start of its clause).
_REFERENCE_SUBJECT_RE = re.compile(
    r"(?:^|[,;:(—–])\s*(?:(?:and|but|then|when|after|as|since|until)\s+)?"
    r"(?:(?:it|its|the\s+(?:city|town|village|base|district|province|capital|area|airport"
    r"|garrison|stronghold)(?:['’]s)?)\s+)?"
    r"(?:(?:has|had|have|was|were|is|are|been|also|finally|now|reportedly|quickly)\s+)*$",
    re.I,
)
NEAR_RE = re.compile(
    r"\b(?:near|outside|close to|around|outskirts of|"
    r"(?:north|south|east|west)(?:-?(?:east|west))? of)\s+(?:the\s+)?$",
    re.I,
)


# the smaller expressions of this module, compiled once
_GAP_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")  # a quote mark is no word
_REGION_WORD_AFTER_RE = re.compile(r"^\s+(?:province|region|governorate)\b", re.I)
_REGION_NOUN_AFTER_RE = re.compile(
    r"^\s+(?:province|region|governorate|state|oblast|district)\b", re.I
)
_IN_END_RE = re.compile(r"\bin\s+(?:the\s+)?$", re.I)
_DESTINATION_RE = re.compile(r"\b(?:to|towards?|into|for|across|over|behind|beyond)\b", re.I)
_CLAUSE_MARK_RE = re.compile(r"[,;:]")
_OF_END_RE = re.compile(r"\bof$", re.I)


def _gap_words(gap: str) -> list[str]:
    return _GAP_WORD_RE.findall(gap.lower())


_LIST_GAP_RE = re.compile(
    r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+(?:cities|towns)\s+of\s+)?$", re.I
)


_APPOSITIVE_RE = re.compile(
    r",\s*(?:the|a)\s+(?:[\w-]+\s+){0,4}?capital\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$", re.I
)


def _dated_list_gap(gap: str) -> bool:
    """ " on Sunday and ", " on Sunday, and ": a list's separator after a date of its own
    ("seized X on Sunday and Y on Monday")."""
    lead = re.match(r"\s*(?:on\s+)?", gap)
    start = lead.end() if lead else 0
    for _, m in find_date_expressions(gap):
        if m.start() == start:
            return bool(_LIST_GAP_RE.match(gap[m.end() :]))
    return False


def _chain(first: Place, ordered: list[Place], s_text: str, s0: int, forward: bool) -> list[Place]:
    """``first`` and the places listed with it ("X, Y and Z")."""
    out = [first]
    k = ordered.index(first)
    step = 1 if forward else -1
    while 0 <= k + step < len(ordered):
        a, b = (out[-1], ordered[k + step]) if forward else (ordered[k + step], out[-1])
        gap = s_text[a.end - s0 : b.start - s0]
        if (
            b.kind in ("province", "region")
            and gap.strip() == ","
            and (
                (b.kind == "province" and b.iso and b.iso == a.iso)
                or _REGION_NOUN_AFTER_RE.match(s_text[b.end - s0 : b.end - s0 + 15])
            )
        ):
            # "X, Y State", "X, Y state": the region that holds the place, not another
            # place listed (also when the gazetteer puts X in another region)
            break
        # skip an appositive such as ", the capital of Zabul province," between list items
        if not _LIST_GAP_RE.match(gap) and not (forward and _dated_list_gap(gap)):
            break
        out.append(ordered[k + step])
        k += step
    return out


# Nouns of ground and of what stands on it: what a capture may take short of a whole
# place ("captured the district headquarters in X", "overran army posts near X").
_TERRITORY_TEXT = """headquarters base post position checkpoint village town district city area
    neighbourhood neighborhood outskirt suburb hill hilltop height ridge road highway
    junction crossing border bridge airport airfield airbase port harbour harbor dam
    refinery oilfield field mine palace prison barrack garrison camp compound building
    complex centre center quarter part much most swath swathe territory ground stronghold
    bastion enclave pocket corridor line front trench station terminal fort fortress
    citadel ministry parliament province region county state island locality
    settlement"""
_TERRITORY = frozenset(_TERRITORY_TEXT.split())
# What a capture may take that is not ground: people, arms, goods, abstractions
# ("seized weapons in X", "captured two soldiers near X", "took over the investigation").
_NOT_GROUND_TEXT = """weapon arm ammunition munition explosive rifle gun soldier fighter troop militant
    prisoner hostage captive people civilian men women children member official
    commander leader suspect investigation initiative release momentum power vehicle car
    truck tank equipment document money cash drug cargo shipment ship vessel boat aircraft
    plane helicopter drone convoy supplies aid food fuel"""
_NOT_GROUND = frozenset(_NOT_GROUND_TEXT.split())


def _other_object(s_text: str, s0: int, t1: int, after: list[Place]) -> bool:
    """A capture whose object, between its verb and the first place after it, is a thing
    other than ground ("seized weapons in X", "captured two soldiers near X", "took over
    the investigation in X"): the place is where it happened, not what was taken."""
    if not after:
        return False
    gap = s_text[t1 - s0 : after[0].start - s0]
    if len(gap) > 60 or "," in gap:
        return False
    # each word as written and, for a plural, without its "s"
    words = [{w, w[:-1]} if w.endswith("s") else {w} for w in _gap_words(gap)]
    taken = any(forms & _NOT_GROUND for forms in words)
    return taken and not any(forms & _TERRITORY for forms in words)


def _tag(rule: EventRule, gap: str, p: Place, s_text: str, s0: int) -> str:
    """``whole`` when the words between the verb and the place leave the place itself taken."""
    words = set(_gap_words(gap))
    if rule.effect == "withdraw":
        words -= _LEFT_GAP  # "withdrew from X", "pulled back out of X": X itself is left
    whole = words <= _WHOLE_GAP and p.kind != "country"
    if rule.partial or _FACILITY_AFTER_RE.match(s_text[p.end - s0 : p.end - s0 + 40]):
        whole = False
    return "whole" if whole else "part"


def _as_capital(p: Place, s_text: str, s0: int, seat_of: SeatLookup | None) -> Place | None:
    """The capital of a province the text names as "the capital of X province"."""
    if seat_of is None or p.kind != "province" or not p.iso:
        return None
    if not _CAPITAL_OF_RE.search(s_text[max(0, p.start - s0 - 60) : p.start - s0]):
        return None
    seat = seat_of(p.iso)
    if seat is None:
        return None
    return Place(
        p.start,
        p.end,
        seat.name,
        seat.kind,
        seat.country,
        p.admin1,
        seat.iso,
        seat.lat,
        seat.lon,
        seat.source,
        True,
        via="capital of " + p.name,
    )


def _container(p: Place, s_text: str, s0: int) -> bool:
    """True for "(the town) in the northern province of X": X holds the subject."""
    before = s_text[max(0, p.start - s0 - 60) : p.start - s0]
    return bool(_CONTAINER_BEFORE_RE.search(before)) or (
        p.kind == "province"
        and bool(_REGION_WORD_AFTER_RE.match(s_text[p.end - s0 :]))
        and bool(_IN_END_RE.search(before))
    )


SeatLookup = Callable[[str], "Place | None"]


def _object_after(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    ordered: list[Place],
    after: list[Place],
    before: list[Place],
    seat_of: SeatLookup | None,
) -> list[tuple[Place, str]]:
    for p in after[:1]:
        gap = s_text[t1 - s0 : p.start - s0]
        if rule.effect == "withdraw" and _DESTINATION_RE.search(gap):
            # "fled to a camp in X", "withdrew across the X river": X is where they
            # went, not what they left
            break
        if len(gap) <= 60 and "," not in gap:
            cap = _as_capital(p, s_text, s0, seat_of)
            if cap is not None:
                return [(cap, "part" if rule.partial else "whole")]
            tag = _tag(rule, gap, p, s_text, s0)
            return [(q, tag) for q in _chain(p, ordered, s_text, s0, True)]
    return []


# ", a town west of X, was": an appositive between the subject and its verb
# a relative clause between commas ("X, which Russian forces held in May, was retaken")
_RELATIVE_RE = re.compile(r"^\s*,\s*(?:which|who|that|where)\b[^,;:]{0,80},", re.I)
# (the appositive may end with a region's word outside its name: "..., the largest town in
# northern X state, fell")
_APPOSITION_GAP_RE = re.compile(
    r"^(?:\s+(?:province|state|region|governorate|oblast|district))?"
    r"\s*,\s*(?:(?:was|were|has|had|have|is|are|been|also)\s+)*$",
    re.I,
)
_LEAD_APPOSITIVE_RE = re.compile(r",\s*(?:the|a|an)\s+[^,;]{0,60}$", re.I)


def _object_before(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    ordered: list[Place],
    after: list[Place],
    before: list[Place],
    seat_of: SeatLookup | None,
) -> list[tuple[Place, str]]:
    for k, p in enumerate(before[:2]):
        # "X, which the army had held since May, was retaken": the relative clause aside
        # (only when nothing but "was", "has been" is left: the place is the subject)
        gap = s_text[p.end - s0 : t0 - s0]
        aside = _RELATIVE_RE.sub(" ", gap)
        if aside != gap and _LINK_GAP_RE.fullmatch(aside):
            gap = aside
        if k == 0 and _container(p, s_text, s0) and len(before) > 1:
            # "The town in the province of X fell": the subject is the place before X
            q = before[1]
            lead = _CONTAINER_BEFORE_RE.search(s_text[: p.start - s0])
            cut = lead.start() if lead else p.start - s0
            between = s_text[q.end - s0 : cut]
            if len(between) <= 40 and len(gap) <= 60:
                return [(q, _tag(rule, between, q, s_text, s0))]
        if k > 0:
            break
        # "Sheberghan, the capital of Jowzjan, fell", "Tal Afar, a town west of Mosul, was
        # taken": the subject is before the appositive
        # (the short gap first: the appositive is searched for only after "X, was")
        lead = None
        if _APPOSITION_GAP_RE.fullmatch(gap):
            prefix = s_text[: p.start - s0]
            lead = _APPOSITIVE_RE.search(prefix) or _LEAD_APPOSITIVE_RE.search(prefix)
        if lead:
            head = [q for q in before if q.end - s0 <= lead.start()]
            if head and len(s_text[head[0].end - s0 : lead.start()].strip()) == 0:
                p = head[0]
                gap = ""
        part_of = False
        if rule.actor == "after":
            # "the road from X to Y has been in rebel hands": a place after a preposition
            # is not the subject ("the town of Y fell" still is; "the districts of Y
            # have fallen" is part of Y)
            lead_in = s_text[max(0, p.start - s0 - 30) : p.start - s0]
            prep = _PREPOSITION_END_RE.search(lead_in)
            if prep and not _KIND_OF_END_RE.search(lead_in):
                if not _OF_PREPOSITION_RE.match(prep.group(0)):
                    return []
                part_of = True
        # "X was shelled for days and fell": an intransitive verb's subject may be further
        reach = 60 if rule.actor == "after" and not _CLAUSE_MARK_RE.search(gap) else 40
        if len(gap) <= reach:
            tag = "part" if part_of else _tag(rule, gap, p, s_text, s0)
            return [(q, tag) for q in _chain(p, ordered, s_text, s0, False)]
    return []


# what may stand between a place and words of which it is the subject: "X is still", "X,
# which has long been", "X, the capital of Y, is" (an apposition is skipped before this)
_LINK_GAP_RE = re.compile(
    r"\s*,?\s*(?:(?:which|that|has|have|had|been|is|are|was|were|being|remains?|remained"
    r"|stays?|stayed|still|now|long|firmly|largely|mostly|fully|entirely|also)\s+)*",
    re.I,
)
# a place after a preposition is no subject ("talks in X were held by ...")
_PREPOSITION_END_RE = re.compile(
    r"\b(?:in|at|of|near|from|to|for|on|outside|around|into|across|towards?)\s+(?:the\s+)?$",
    re.I,
)

_OF_PREPOSITION_RE = re.compile(r"of\b", re.I)
# "the town of X": X is still the subject
_KIND_OF_END_RE = re.compile(
    r"\b(?:city|town|village|district|province|region|base|port|capital)\s+of\s+$", re.I
)


def _subject(
    s_text: str, s0: int, t0: int, ordered: list[Place], before: list[Place]
) -> list[tuple[Place, str]]:
    """The place that is the subject right before words at ``t0`` (``place`` ``subject``)."""
    if not before:
        return []
    p = before[0]
    gap = s_text[p.end - s0 : t0 - s0]
    prefix = s_text[: p.start - s0]
    if _APPOSITION_GAP_RE.fullmatch(gap):
        # "X, the capital of Y, is held by": the subject is before the appositive
        lead = _APPOSITIVE_RE.search(prefix) or _LEAD_APPOSITIVE_RE.search(prefix)
        head = [q for q in before if lead and q.end - s0 <= lead.start()]
        if lead and head and not s_text[head[0].end - s0 : lead.start()].strip():
            p, gap, prefix = head[0], "", s_text[: head[0].start - s0]
    if not _LINK_GAP_RE.fullmatch(gap):
        return []
    if _PREPOSITION_END_RE.search(prefix[-30:]) and not _KIND_OF_END_RE.search(prefix[-30:]):
        return []
    return [(q, "whole") for q in _chain(p, ordered, s_text, s0, False)]


# a proper name alone as the object: "captured Minova on Monday", "took Hit, ..."
_UNKNOWN_NAME_OBJECT_RE = re.compile(
    r"\s+(?:the\s+(?:town|city|village|district)\s+of\s+)?(?-i:[A-Z])[\w'’-]+"
    r"(?:\s+(?-i:[A-Z])[\w'’-]+){0,2}"
    r"(?=\s*(?:[,.;:)]|$|\s(?:on|in|at|after|before|from|and|by|late|early|last|this"
    r"|overnight|yesterday|today|two|three|several|a|\d)\b))"
)
# a conjunction and the verb of another predicate ("... and was preparing to move on X",
# "... before heading to X"); not "Y and Z, near X" (a list of names)
_NEW_PREDICATE_RE = re.compile(
    r"\b(?:and|but|while|then|before|after|as)\s+(?:then\s+|later\s+|also\s+|now\s+)?"
    r"(?-i:(?:was|were|is|are|has|have|had|will|would|moved?|[a-z]+(?:ed|ing)))\b"
    # a participle clause after a comma: "seized Y, cutting the road to X"
    r"|,\s+(?-i:[a-z]+ing)\b",
    re.I,
)
_START = attrgetter("start")
_RANK = itemgetter(0, 1)


def pick_place(
    rule: EventRule,
    s_text: str,
    s0: int,
    t0: int,
    t1: int,
    places: list[Place],
    seat_of: SeatLookup | None = None,
) -> list[tuple[Place, str]]:
    """The places a trigger at ``t0:t1`` (report offsets) reports on, each ``whole``/``part``.

    ``seat_of`` maps an ISO 3166-2 code to the region's capital, for "the capital of X
    province" (the capital is taken, not the province).
    """
    if not places:
        return []
    ordered = sorted(places, key=_START)
    after = [p for p in ordered if p.start >= t1]
    before = [p for p in ordered if p.end <= t0][::-1]
    if rule.place == "subject":
        return _subject(s_text, s0, t0, ordered, before)
    if rule.place == "object":
        # "X fell", "X is under rebel control": the subject comes first; "the fall of X"
        # and transitive verbs ("captured X") look after the words first
        subject_first = rule.actor == "after" and not _OF_END_RE.search(s_text[t0 - s0 : t1 - s0])
        look = (_object_before,) if subject_first else (_object_after, _object_before)
        if rule.effect == "capture" and not subject_first and _other_object(s_text, s0, t1, after):
            return []  # "seized weapons in X", "captured two soldiers near X": not X
        if not subject_first and rule.effect in ("capture", "withdraw"):
            name = _UNKNOWN_NAME_OBJECT_RE.match(s_text[t1 - s0 :])
            if (
                name
                and after
                and after[0].start >= t1 + name.end()
                and _NEW_PREDICATE_RE.search(s_text[t1 - s0 + name.end() : after[0].start - s0])
            ):
                # "retook Hit two weeks ago and moved on X": its object is a name the
                # gazetteer does not know, and X is another verb's ("took Y, a hamlet
                # near X" or "took Y, 40 km from X" is still placed at X, in part)
                return []
        for find in look:
            got = find(rule, s_text, s0, t0, t1, ordered, after, before, seat_of)
            if got:
                return got
        if rule.effect == "withdraw":
            return []  # a withdrawal is placed only where its object says

        if subject_first and not _REFERENCE_SUBJECT_RE.search(s_text[: t0 - s0]):
            # "X fell", "X was lost to Y": where its subject is; the place of the context
            # only when the subject refers to it ("its fall", "the city fell", no subject:
            # "Under rebel control since May, ..."), not "the areas around X were lost"
            return []
    # nearest place, preferring one after the trigger ("fighting in X", "attack on X")
    cands = [(0, p.start - t1, p) for p in after if p.start - t1 <= 80]
    cands += [(1, t0 - p.end, p) for p in before]
    cands += [(1, p.start - t1, p) for p in after if p.start - t1 > 80]
    cands.sort(key=_RANK)
    if not cands:
        return []
    first = cands[0][2]
    if len(ordered) > 1 and rule.event_type in _LISTED_TYPES:
        # "airstrikes hit X and Y", "shelled X, Y and Z", "X and Y were shelled": one
        # event at each place of the list the words act on (a place listed with the
        # first one, at most ", and " away, is looked for before the words are read)
        k = ordered.index(first)
        if first.start >= t1:
            if (
                k + 1 < len(ordered)
                and ordered[k + 1].start - first.end <= 6
                and _LIST_LEAD_RE.fullmatch(s_text, t1 - s0, first.start - s0)
            ):
                return [(q, "part") for q in _chain(first, ordered, s_text, s0, True)]
        elif (
            k > 0
            and first.start - ordered[k - 1].end <= 6
            and _LIST_TAIL_RE.fullmatch(s_text, first.end - s0, t0 - s0)
        ):
            return [(q, "part") for q in _chain(first, ordered, s_text, s0, False)]
    return [(first, "part")]


# Event types told of each place of a list ("shelled X, Y and Z"): violence happens at
# each place; talks or an agreement "in X and Y" are one event.
_LISTED_TYPES = frozenset(
    ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"]
)
# the words between a trigger and the first place of a list it acts on ("hit", "in the
# towns of", "targeting"); not "on the road between X and Y" or "from X to Y"
_LIST_LEAD_RE = re.compile(
    r"\s*(?:(?:hit|hits|struck|strike|pounded|targeted|targeting|shelled|bombed|bombarded"
    r"|attacked|raided|was|were|reported|raged|erupted|continued|on|in|at|across|against"
    r"|the|several|towns?|villages?|cities|city|areas?|parts?|districts?|of)\s+)*",
    re.I,
)
# between the last place of a list and its trigger ("X and Y were shelled")
_LIST_TAIL_RE = re.compile(
    r"\s+(?:(?:were|was|have|has|had|been|also|again|came|come|under)\s+)+", re.I
)

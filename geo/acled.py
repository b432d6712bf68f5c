"""geomap's events as an ACLED table: every codebook column, its name, order, type and codes.

:func:`to_acled` takes the events table (:func:`geo.events.extract_events`) and
returns ACLED's columns first, in the codebook's order (:data:`ACLED_CODEBOOK`),
then geomap's own columns (claim status, sources count, offsets, ...). The
rules, each from ACLED's codebook (2023 edition) unless said otherwise:

* ``event_id_cnty``: the country's ISO alpha-3 code and a number, derived from
  geomap's event id so that the same event keeps its id between runs.
* ``event_date`` a date (``YYYY-MM-DD`` in CSV), ``year`` its year.
* ``disorder_type``: Battles, Explosions/Remote violence and Violence against
  civilians are *Political violence*; Protests and Riots *Demonstrations*;
  Excessive force against protesters is *Political violence; Demonstrations*;
  Strategic developments are *Strategic developments*.
* ``inter1``/``inter2``: 1 State forces, 2 Rebel groups, 3 Political militias,
  4 Identity militias, 5 Rioters, 6 Protesters, 7 Civilians, 8 External/Other
  forces; ``inter2`` is 0 when there is no second actor. The actor's kind in
  ``data/actors.csv`` gives the code (state and host → 1, non_state → 2,
  civilians → 7, foreign → 8). ``interaction`` is the two codes with the
  smaller first (``12``: state forces and rebels; ``20``: rebels alone).
  Actor 1 and actor 2 carry no direction in ACLED, so an event whose only named
  actor is the second one has it moved to ``actor1``; an event with no named
  actor gets ACLED's ``Unidentified Armed Group (<country>)``.
* ``civilian_targeting``: ``Civilian targeting`` when civilians are the target
  (Violence against civilians, or an event whose second actor is civilians),
  else empty.
* ``iso`` (numeric ISO 3166-1) and ``country`` from pycountry (its common name;
  ACLED's spelling where ``data/acled_regions.csv`` gives one); ``region`` from
  that table.
* ``location``: the place's name in plain ASCII (anyascii), as ACLED writes
  common English names ("Lashkar Gah", not "Lashkar Gāh"). ``admin2`` is the
  district where the country has an admin-2 file (``geo.boundaries.admin2_countries``),
  else empty; ``admin3`` is empty.
* ``source``: every source that tells the event, ``; ``-separated.
  ``source_scale`` is empty: geomap does not know the scale of a source.
* ``fatalities`` is read from the event's sentence by :func:`read_fatalities`.
  ACLED's rule for vague numbers: "tens" is 10, "dozens" 12, "hundreds" 100;
  qualifiers ("at least", "more than") keep the number, the conservative
  estimate. Words with no number ("several", "a few", "many") count 3, geomap's
  conservative reading of a plural. ``fatalities_text`` keeps the words read.
* ``tags``: ``crowd size=no report`` for Protests and Riots, as ACLED writes
  when the report gives no size; else empty.
* ``timestamp``: when the table was made (Unix seconds), as ACLED's is when
  the row was last uploaded.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from anyascii import anyascii

__all__ = [
    "ACLED_CODEBOOK",
    "ACLED_REGIONS_CSV",
    "DISORDER_TYPES",
    "INTER_CODES",
    "acled_country",
    "disorder_type",
    "interaction_code",
    "read_fatalities",
    "to_acled",
]

ACLED_REGIONS_CSV = __import__("geo.resources").resources.data_path("acled_regions.csv")

#: ACLED's columns in the codebook's order, with the dtype geomap gives each.
ACLED_CODEBOOK: dict[str, str] = {
    "event_id_cnty": "str",
    "event_date": "date",
    "year": "Int64",
    "time_precision": "Int64",
    "disorder_type": "str",
    "event_type": "str",
    "sub_event_type": "str",
    "actor1": "str",
    "assoc_actor_1": "str",
    "inter1": "Int64",
    "actor2": "str",
    "assoc_actor_2": "str",
    "inter2": "Int64",
    "interaction": "Int64",
    "civilian_targeting": "str",
    "iso": "Int64",
    "region": "str",
    "country": "str",
    "admin1": "str",
    "admin2": "str",
    "admin3": "str",
    "location": "str",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "Int64",
    "source": "str",
    "source_scale": "str",
    "notes": "str",
    "fatalities": "Int64",
    "tags": "str",
    "timestamp": "Int64",
}

#: ACLED's actor types ("inter" codes).
INTER_CODES = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
# geomap's actor kinds (data/actors.csv) to ACLED's inter codes.
_KIND_INTER = {"state": 1, "host": 1, "non_state": 2, "civilians": 7, "foreign": 8}

DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# Renamed geomap columns that stay after ACLED's, so nothing is lost.
_RENAMED = {"event_id": "geomap_event_id", "country": "country_code"}
# geomap columns that become ACLED's (or are folded into one) and are not repeated.
_DROPPED = frozenset([*ACLED_CODEBOOK, "sources"])


def disorder_type(event_type: str, sub_event_type: str | None = None) -> str:
    """ACLED's ``disorder_type`` of an event type and sub-event type.

    Examples
    --------
    >>> disorder_type("Battles", "Armed clash")
    'Political violence'
    >>> disorder_type("Protests", "Excessive force against protesters")
    'Political violence; Demonstrations'
    """
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    return DISORDER_TYPES.get(event_type, "")


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's two-digit ``interaction``: the smaller inter code first; ``x0`` for one actor.

    Examples
    --------
    >>> interaction_code(2, 1), interaction_code(2, 0), interaction_code(8, 7)
    (12, 20, 78)
    """
    if not inter1:
        return None
    if not inter2:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


@dataclass(frozen=True)
class _Country:
    name: str
    iso: int
    alpha3: str
    region: str


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    with open(ACLED_REGIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["iso3"]: (r["region"], r["acled_name"]) for r in rows}


@lru_cache(maxsize=512)
def _country(alpha2: str) -> _Country | None:
    import pycountry

    found = pycountry.countries.get(alpha_2=alpha2.upper())
    if found is None:
        return None
    region, acled_name = _regions().get(found.alpha_3, ("", ""))
    name = acled_name or getattr(found, "common_name", None) or found.name
    return _Country(name, int(found.numeric), found.alpha_3, region)


def acled_country(alpha2: str | None) -> tuple[str, int | None, str]:
    """ACLED's country name, numeric ISO code and region for an ISO alpha-2 code.

    Examples
    --------
    >>> acled_country("AF")
    ('Afghanistan', 4, 'South Asia')
    >>> acled_country("IR")
    ('Iran', 364, 'Middle East')
    >>> acled_country(None)
    ('', None, '')
    """
    info = _country(alpha2) if isinstance(alpha2, str) and alpha2 else None
    if info is None:
        return "", None, ""
    return info.name, info.iso, info.region


# --- fatalities --------------------------------------------------------------------------

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# ACLED's rule for vague numbers (codebook, "Reported fatalities"), then geomap's reading of
# a plural with no number.
_VAGUE = {
    "tens": 10,
    "dozens": 12,
    "a dozen": 12,
    "hundreds": 100,
    "a hundred": 100,
    "thousands": 1000,
    "several": 3,
    "a few": 3,
    "a number of": 3,
    "many": 3,
    "scores": 3,
}
_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
)


def _number_group(name: str) -> str:
    vague = "|".join(sorted((re.escape(k) for k in _VAGUE), key=len, reverse=True))
    return rf"(?P<{name}>\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER}|{vague})"


_NUMBER = _number_group("n")
_QUALIFIER = (
    r"(?:(?:at least|more than|over|some|about|around|nearly|almost|up to|roughly"
    r"|an estimated)\s+)?"
)
_VICTIMS = r"(?:[\w-]+\s+){0,3}?"
_WERE = r"(?:(?:were|was|have been|had been|are|been)\s+)?"
_KILLED = r"(?:killed|dead|died|slain|lost their lives|executed)"
_PATTERNS = [
    # "four soldiers and two civilians were killed": two counts, one verb
    re.compile(
        rf"\b{_QUALIFIER}{_NUMBER}\s+(?:[\w-]+\s+){{1,2}}and\s+{_QUALIFIER}{_number_group('m')}"
        rf"\s+{_VICTIMS}{_WERE}{_KILLED}\b",
        re.I,
    ),
    # "killed at least 12 people", "killing dozens of civilians", "left 5 dead"
    re.compile(
        rf"\b(?:killed|killing|kills|kill|left|leaving|claimed the lives of|executed)\s+"
        rf"{_QUALIFIER}{_NUMBER}\b",
        re.I,
    ),
    # "at least 12 people were killed", "dozens of civilians died", "5 dead"
    re.compile(rf"\b{_QUALIFIER}{_NUMBER}\s+(?:of\s+)?{_VICTIMS}{_WERE}{_KILLED}\b", re.I),
    # "a guard was killed": one
    re.compile(
        r"\b(?P<n>an?)\s+(?:[\w-]+\s+){1,3}?(?:was|has been|had been)\s+(?:killed|shot dead)\b",
        re.I,
    ),
    # "the death toll rose to 30"
    re.compile(
        rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at|reached|is|was|stood at)\s+"
        rf"{_QUALIFIER}{_NUMBER}\b",
        re.I,
    ),
]


def _number(words: str) -> int | None:
    w = words.lower().strip()
    if w in ("a", "an"):
        return 1
    if w in _VAGUE:
        return _VAGUE[w]
    if w.replace(",", "").isdigit():
        return int(w.replace(",", ""))
    if w in _UNITS:
        return _UNITS[w]
    parts = re.split(r"[- ]", w)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


def read_fatalities(sentence: str | None) -> tuple[int, str]:
    """Reported fatalities in a sentence, and the words they were read from.

    Separate counts in one sentence add up ("killing 4 soldiers and 2
    civilians" is 6); a death toll is taken as a total. Injuries do not count.

    Examples
    --------
    >>> read_fatalities("The attack killed at least 12 people near the market.")
    (12, 'killed at least 12')
    >>> read_fatalities("Dozens of fighters were killed in the clashes.")[0]
    12
    >>> read_fatalities("Four soldiers and two civilians were killed.")[0]
    6
    >>> read_fatalities("Fighting left 5 dead and 20 wounded.")
    (5, 'left 5')
    >>> read_fatalities("Fighting continued on Tuesday; no one was killed.")
    (0, '')
    """
    if not isinstance(sentence, str) or not sentence:
        return 0, ""
    spans: list[tuple[int, int, int, bool]] = []
    for index, pattern in enumerate(_PATTERNS):
        for m in pattern.finditer(sentence):
            values = [_number(g) for k, g in m.groupdict().items() if g is not None]
            if not values or None in values:
                continue
            if any(m.start() < e and s < m.end() for s, e, _, _ in spans):
                continue
            if re.search(r"\b(?:no|not)\s+$", sentence[: m.start()], re.I):
                continue  # "no one was killed"
            total = sum(v for v in values if v is not None)
            spans.append((m.start(), m.end(), total, index == len(_PATTERNS) - 1))
    if not spans:
        return 0, ""
    spans.sort()
    tolls = [v for _, _, v, toll in spans if toll]
    counts = sum(v for _, _, v, toll in spans if not toll)
    total = max([counts, *tolls])
    words = "; ".join(sentence[s:e] for s, e, _, _ in spans)
    return total, words


# --- the table ---------------------------------------------------------------------------


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _inter(kind: str | None) -> int:
    return _KIND_INTER.get(kind or "", 0)


def _event_number(event_id: str) -> int:
    digest = hashlib.sha1(str(event_id).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 10**8


def to_acled(events: pd.DataFrame, *, timestamp: int | None = None) -> pd.DataFrame:
    """The events as an ACLED table: :data:`ACLED_CODEBOOK`'s columns, then geomap's.

    Parameters
    ----------
    events : DataFrame
        From :func:`geo.events.extract_events` (:data:`geo.events.EVENT_COLUMNS`).
    timestamp : int, optional
        The ``timestamp`` column (Unix seconds); default: now.

    Returns
    -------
    DataFrame
        No geometry (``latitude``/``longitude`` carry the position). ``event_date``
        is ``datetime64`` (written ``YYYY-MM-DD``); codes are nullable integers.

    Examples
    --------
    >>> ev = pd.DataFrame([{"event_id": "ev-1", "event_date": pd.Timestamp("2021-08-13"),
    ...     "time_precision": 1, "event_type": "Battles",
    ...     "sub_event_type": "Non-state actor overtakes territory", "actor1": None,
    ...     "actor2": "Taliban", "country": "AF", "admin1": "Helmand",
    ...     "location": "Lashkar Gāh", "latitude": 31.59, "longitude": 64.37,
    ...     "geo_precision": 1, "sources": "Wire A;Wire B",
    ...     "notes": "The Taliban took the city, killing at least 12 people."}])
    >>> row = to_acled(ev, timestamp=0).iloc[0]
    >>> row["actor1"], int(row["inter1"]), int(row["interaction"]), row["location"]
    ('Taliban', 2, 20, 'Lashkar Gah')
    >>> row["country"], int(row["iso"]), row["region"], int(row["fatalities"])
    ('Afghanistan', 4, 'South Asia', 12)
    >>> row["source"], row["event_id_cnty"][:3]
    ('Wire A; Wire B', 'AFG')
    """
    from geo.actors import load_actors

    src = pd.DataFrame(events.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    n = len(src)

    def column(name: str) -> pd.Series:
        return src[name] if name in src.columns else pd.Series([None] * n, dtype=object)

    actors = load_actors()

    def alpha2_of(i: int) -> str:
        return _text(column("country").iat[i])

    stamp = int(time.time()) if timestamp is None else int(timestamp)
    rows = []
    for i in range(n):
        actor1, actor2 = _text(column("actor1").iat[i]), _text(column("actor2").iat[i])
        assoc1 = _text(column("assoc_actor_1").iat[i])
        assoc2 = _text(column("assoc_actor_2").iat[i])
        if not actor1 and actor2:  # no direction in ACLED: the one named actor is actor 1
            actor1, actor2, assoc1, assoc2 = actor2, "", assoc2, ""
        if not actor1:  # ACLED names an unknown perpetrator this way
            actor1 = f"Unidentified Armed Group ({acled_country(alpha2_of(i))[0] or 'unknown'})"
        inter1 = _inter(actors.kind_of(actor1)) if actor1 else 0
        inter2 = _inter(actors.kind_of(actor2)) if actor2 else 0
        event_type = _text(column("event_type").iat[i])
        sub_event_type = _text(column("sub_event_type").iat[i])
        alpha2 = _text(column("country").iat[i])
        name, iso, region = acled_country(alpha2)
        info = _country(alpha2) if alpha2 else None
        alpha3 = info.alpha3 if info else ""
        sources = _text(column("sources").iat[i]) or _text(column("source").iat[i])
        notes = _text(column("notes").iat[i])
        deaths, deaths_text = read_fatalities(notes)
        date = pd.to_datetime(column("event_date").iat[i])
        rows.append(
            {
                "event_id_cnty": f"{alpha3 or 'XXX'}{_event_number(column('event_id').iat[i])}",
                "event_date": date,
                "year": date.year if not pd.isna(date) else None,
                "time_precision": column("time_precision").iat[i],
                "disorder_type": disorder_type(event_type, sub_event_type),
                "event_type": event_type,
                "sub_event_type": sub_event_type,
                "actor1": actor1,
                "assoc_actor_1": assoc1,
                "inter1": inter1 or None,
                "actor2": actor2,
                "assoc_actor_2": assoc2,
                "inter2": inter2 if actor1 else None,
                "interaction": interaction_code(inter1, inter2),
                "civilian_targeting": (
                    "Civilian targeting"
                    if event_type == "Violence against civilians" or (actor1 and inter2 == 7)
                    else ""
                ),
                "iso": iso,
                "region": region,
                "country": name,
                "admin1": _text(column("admin1").iat[i]),
                "admin2": anyascii(_text(column("admin2").iat[i])),
                "admin3": "",
                "location": anyascii(_text(column("location").iat[i])),
                "latitude": column("latitude").iat[i],
                "longitude": column("longitude").iat[i],
                "geo_precision": column("geo_precision").iat[i],
                "source": "; ".join(s.strip() for s in sources.split(";") if s.strip()),
                "source_scale": "",
                "notes": notes,
                "fatalities": deaths,
                "tags": "crowd size=no report" if event_type in ("Protests", "Riots") else "",
                "timestamp": stamp,
                "fatalities_text": deaths_text,
            }
        )
    out = pd.DataFrame(rows, columns=[*ACLED_CODEBOOK, "fatalities_text"])
    for name, dtype in ACLED_CODEBOOK.items():
        if dtype == "date":
            out[name] = pd.to_datetime(out[name]).astype("datetime64[ns]")
        elif dtype == "Int64":
            out[name] = pd.to_numeric(out[name], errors="coerce").astype("Int64")
        elif dtype == "float64":
            out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64").round(4)
        else:
            out[name] = out[name].fillna("").astype(str)
    # geomap's own columns after ACLED's; those whose name ACLED uses for something else
    # are renamed (geomap's event id, the alpha-2 country code)
    keep = {c: _RENAMED.get(c, c) for c in src.columns if c in _RENAMED or c not in _DROPPED}
    extra = src[list(keep)].rename(columns=keep)
    return pd.concat([out, extra], axis=1)

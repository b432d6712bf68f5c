"""Geoparsing: finding the places a report names, and deciding which place each is.

Two steps, both general rules over the gazetteer:

1. **Spotting.** Runs of capitalised words (joined by spaces, hyphens or ezafe
   particles) are looked up, longest first, by their exact key and then by their
   transliteration key (:mod:`geo.text`). Short all-capital words match only
   acronyms (``US``), so ``NATO`` is not the town of Nato. Day and month names,
   words after a personal title or a given name (``Governor Hussamuddin Shams``)
   and words before an organisation word (``Kabul Bank``) are not places.
2. **Resolving.** Each candidate record is scored by its prior (a country, a
   region, a populous or capital city), the cue words around the mention
   ("X province", "city of X", "X Air Base", "capital of X"), the report's focus
   countries (those it names, and those of its unambiguous places) and the other
   places near it (same region). A single common English word ("Mobile",
   "Split"), or a small place abroad, needs strong evidence to count.

The result has a confidence and the gazetteer record (``source``) of every place.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundaries import default_boundaries
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.provinces import assign_admin1
from geo.reports import Report
from geo.text import Token, fold, sentence_spans, tokenize, translit_key

__all__ = ["PLACE_COLUMNS", "find_places", "parse_report"]

PLACE_COLUMNS = [
    "report",
    "mention",
    "start",
    "end",
    "name",
    "kind",
    "country",
    "admin1",
    "iso_3166_2",
    "lat",
    "lon",
    "source",
    "confidence",
    "match",
    "sentence",
    "sentence_start",
    "sentence_end",
    "population",
    "report_date",
    "geometry",
]
MAX_WORDS = 6
# Small words that may sit inside a place name (Mazar-i-Sharif, Dasht-e Laili, Bandar-e Abbas).
_JOINERS = frozenset({"e", "i", "ye", "yi", "al", "el", "ul", "ud", "as", "an", "de", "of"})
_CALENDAR = frozenset(
    fold(w) for w in [*calendar.day_name, *calendar.month_name, *calendar.day_abbr] if w
)
# Titles and roles that come before a person's name.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "gen",
        "general",
        "col",
        "colonel",
        "lt",
        "maj",
        "major",
        "capt",
        "captain",
        "sgt",
        "cmdr",
        "governor",
        "gov",
        "president",
        "minister",
        "ambassador",
        "envoy",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commander",
        "chief",
        "mullah",
        "mawlawi",
        "maulvi",
        "mawlana",
        "haji",
        "hajji",
        "sheikh",
        "shaikh",
        "sayed",
        "syed",
        "king",
        "queen",
        "prince",
        "senator",
        "judge",
        "marshal",
        "admiral",
        "officer",
        "deputy",
        "secretary",
        "chairman",
        "mayor",
        "lord",
        "saint",
        "father",
        "imam",
        "amir",
        "emir",
    ]
)
# Words that make the capitalised name before them an organisation, not a place.
_ORG_WORDS = frozenset(
    [
        "bank",
        "university",
        "college",
        "institute",
        "school",
        "academy",
        "airlines",
        "airways",
        "times",
        "post",
        "tribune",
        "herald",
        "gazette",
        "news",
        "radio",
        "tv",
        "television",
        "channel",
        "club",
        "company",
        "corporation",
        "corp",
        "group",
        "agency",
        "press",
        "ltd",
        "inc",
        "llc",
        "fc",
        "united",
        "foundation",
        "council",
        "committee",
        "commission",
        "party",
        "movement",
        "front",
        "network",
        "declaration",
        "accord",
        "agreement",
        "process",
        "format",
        "summit",
        "conference",
        "talks",
    ]
)
_PROVINCE_CUES = frozenset({"province", "provinces", "provincial", "governor", "governorate"})
_CITY_CUES = frozenset({"city", "town", "village", "capital", "district"})
_BASE_CUES = frozenset({"airbase", "airport", "airfield", "base"})


@dataclass
class _Mention:
    i: int  # first token
    j: int  # last token (inclusive)
    start: int
    end: int
    rids: np.ndarray
    match: str
    sentence: int
    key: str = ""
    cue: str | None = None
    risky: bool = False
    scores: dict[int, float] = field(default_factory=dict)


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 3 and all(ch in " -–‐'’`ʼ" for ch in gap) and "\n" not in gap


def _spot(
    text: str, tokens: list[Token], folded: list[str], sent_of: list[int], gaz: Gazetteer
) -> list[_Mention]:
    mentions: list[_Mention] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not tok.capitalized or folded[i] in _CALENDAR or not folded[i]:
            i += 1
            continue
        found = None
        # Longest run first: capitalised words, possibly joined by small particles.
        last = i
        while (
            last + 1 < n
            and last - i + 1 < MAX_WORDS
            and sent_of[last + 1] == sent_of[i]
            and (_gap_ok(text, tokens[last], tokens[last + 1]))
            and (tokens[last + 1].capitalized or folded[last + 1] in _JOINERS)
        ):
            last += 1
        for j in range(last, i - 1, -1):
            if not tokens[j].capitalized:
                continue
            words = folded[i : j + 1]
            surface = text[tokens[i].start : tokens[j].end]
            letters = surface.replace(".", "")
            if j == i and 1 < len(letters) <= 4 and letters.isupper() and letters.isalpha():
                rids = gaz.lookup(words[0], how="acronym")
                if len(rids):
                    found = (j, rids, "acronym")
                    break
                continue
            rids = gaz.lookup(" ".join(words))
            if len(rids):
                found = (j, rids, "exact")
                break
            # A transliteration is of a foreign name: not of a run that starts or ends
            # with an English word ("In Qala", "The").
            if words[0] in gaz.known_words or words[-1] in gaz.known_words:
                continue
            rids = gaz.lookup(translit_key(words), how="translit")
            if len(rids):
                found = (j, rids, "transliteration")
                break
        if found is None:
            i += 1
            continue
        j, rids, how = found
        mentions.append(
            _Mention(
                i,
                j,
                tokens[i].start,
                tokens[j].end,
                rids,  # unique already (Gazetteer.lookup)
                how,
                sent_of[i],
                " ".join(folded[i : j + 1]),
            )
        )
        i = j + 1
    return mentions


def _context(
    m: _Mention,
    tokens: list[Token],
    folded: list[str],
    sent_starts: set[int],
    placed: set[int],
    lower_words: set[str],
    gaz: Gazetteer,
) -> bool:
    """Read the words around a mention: sets its cue and risk; False if it is no place."""
    before = folded[m.i - 1] if m.i > 0 else ""
    before2 = folded[m.i - 2] if m.i > 1 else ""
    after = folded[m.j + 1] if m.j + 1 < len(folded) else ""
    after2 = folded[m.j + 2] if m.j + 2 < len(folded) else ""
    same_sentence_before = m.i > 0 and m.i not in sent_starts
    # A person: "Governor X", "Abdul Aziz X" (a capitalised non-place word right before).
    if same_sentence_before and tokens[m.i - 1].capitalized and (m.i - 1) not in placed:
        if before in _TITLES:
            return False
        if before not in gaz.common_words and before not in _JOINERS and before not in _CALENDAR:
            return False
    if before in _TITLES and same_sentence_before:
        return False
    # A given name: "Aziz Bek" (a capitalised word after it that is no English word).
    if (
        m.j + 1 < len(tokens)
        and tokens[m.j + 1].capitalized
        and (m.j + 1) not in placed
        and after not in gaz.known_words
        and after not in _CALENDAR
        and tokens[m.j].end == tokens[m.j + 1].start - 1
    ):
        return False
    # An organisation: "Kabul Bank", "Herat University".
    if after in _ORG_WORDS and m.j + 1 < len(tokens) and tokens[m.j + 1].capitalized:
        return False
    if after in _PROVINCE_CUES or (before == "of" and before2 in _PROVINCE_CUES):
        m.cue = "province"
    elif before == "of" and before2 == "capital":
        m.cue = "region"
    elif after in _BASE_CUES or (after == "air" and after2 == "base"):
        m.cue = "airbase"
    elif after in _CITY_CUES or (before == "of" and before2 in _CITY_CUES):
        m.cue = "city"
    word = " ".join(folded[m.i : m.j + 1])
    m.risky = m.i == m.j and (word in gaz.common_words or word in lower_words)
    if m.i in sent_starts and m.i == m.j and word in lower_words:
        m.risky = True
    return True


def _prior(kind: str, population: int, seat: bool) -> float:
    if kind == "country":
        return 9.0
    if kind == "province":
        return 6.0
    if kind == "airbase":
        return 5.0
    if kind == "other":
        return 3.0
    return math.log10(population + 10) + (1.5 if seat else 0.0)


def _cue_fits(cue: str | None, kind: str) -> bool | None:
    if cue is None:
        return None
    if cue == "province":
        return kind == "province"
    if cue == "region":
        return kind in ("province", "country")
    if cue == "airbase":
        return kind in ("airbase", "other")
    return kind in ("city", "town", "district")


def _resolve(mentions: list[_Mention], gaz: Gazetteer) -> list[tuple[_Mention, int, float]]:
    cols = gaz._columns
    kinds, countries, pops = cols["kind"], cols["country"], cols["population"]
    seats, isos = cols["seat"], cols["iso_3166_2"]

    cache = gaz.score_cache

    def base(m: _Mention, r: int) -> float:
        # The score depends on the name, its cue and how it matched: the same across reports.
        key = (m.key, m.cue, m.match, r)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _base(m, r)
        return hit

    def _base(m: _Mention, r: int) -> float:
        s = _prior(kinds[r], int(pops[r]), bool(seats[r]))
        primary = gaz.main_key(r)
        if primary == m.key:
            # Named by its main name, not a historical or foreign alternate
            # (Islamabad is Pakistan's capital before it is an old name of Chittagong).
            s += 1.5
        if m.match == "transliteration":
            # How alike the written forms are: Qala-e-Naw is Qala i Naw more than Khulna.
            written = primary.replace(" ", "")
            s += 6.0 * (SequenceMatcher(None, m.key.replace(" ", ""), written).ratio() - 0.5)
        fit = _cue_fits(m.cue, kinds[r])
        if fit is True:
            s += 4.0
        elif fit is False:
            s -= 2.0
        return s

    # Focus countries: those named, and those of significant places (regions, capitals,
    # cities) with one clear reading. Each distinct name counts once.
    focus: Counter[str] = Counter()
    counted: set[tuple[str, str]] = set()
    for m in mentions:
        scored = sorted(((base(m, int(r)), int(r)) for r in m.rids), reverse=True)
        top = scored[0][1]
        if (m.key, countries[top]) in counted:
            continue
        counted.add((m.key, countries[top]))
        clear = len(scored) == 1 or scored[0][0] - scored[1][0] > 2
        if kinds[top] == "country":
            focus[countries[top]] += 2.0
        elif clear and (
            kinds[top] == "province"
            or (
                (seats[top] or pops[top] >= 100_000)
                and gaz.main_key(top) == m.key  # by its main name
            )
        ):
            focus[countries[top]] += 1.0
    total = sum(focus.values()) or 1.0
    weight = {cc: w / total for cc, w in focus.items()}
    # First pass: the best reading of each distinct name, for the regions in play.
    tops: dict[str, int] = {}
    for m in mentions:
        for r in m.rids:
            m.scores[int(r)] = base(m, int(r)) + 4.0 * weight.get(countries[r], 0.0)
        tops[m.key] = max(m.scores, key=m.scores.__getitem__)
    regions_seen = Counter(isos[r] for r in tops.values() if isos[r])
    out = []
    for m in mentions:
        own = isos[tops[m.key]]
        for r in m.scores:
            others = regions_seen[isos[r]] - (1 if isos[r] == own else 0)
            if isos[r] and others > 0:
                m.scores[r] += 1.0
        ranked = sorted(m.scores.items(), key=lambda kv: kv[1], reverse=True)
        best, score = ranked[0]
        kind, pop, cc = kinds[best], int(pops[best]), countries[best]
        in_focus = weight.get(cc, 0.0) >= 0.1
        strong = kind == "country" or _cue_fits(m.cue, kind) is True
        # A small place abroad, or a common word, needs strong evidence.
        if (
            not strong
            and not in_focus
            and not (
                (kind in ("city", "province") and pop >= 100_000)
                or (kind == "province" and m.match == "exact")
            )
        ):
            continue
        # Abroad, a small place named by one of its alternate names (Özbek for "Uzbek",
        # a village once called "Taliban") is more likely a word than a place.
        by_main_name = gaz.main_key(best) == m.key
        if (
            not in_focus
            and not by_main_name
            and pop < 1_000_000
            and kind not in ("country", "province")
        ):
            continue
        if m.risky and not strong and pop < 1_000_000:
            continue
        if m.match == "transliteration" and not strong and not in_focus:
            continue
        exps = np.exp(np.array([s for _, s in ranked]) - score)
        confidence = float(1.0 / exps.sum())
        confidence *= {"exact": 1.0, "acronym": 0.95, "transliteration": 0.85}[m.match]
        if m.risky:
            confidence *= 0.8
        out.append((m, best, round(confidence, 3)))
    return out


def parse_report(report: Report, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """The resolved place mentions of one report, before the join to regions.

    Returns a DataFrame with the columns of :data:`PLACE_COLUMNS` but ``admin1`` and
    ``geometry``; see :func:`find_places`.
    """
    rows = _rows(report, gazetteer or default_gazetteer())
    return pd.DataFrame(rows, columns=[c for c in PLACE_COLUMNS if c not in ("admin1", "geometry")])


def _rows(report: Report, gaz: Gazetteer) -> list[dict]:
    text = report.text
    tokens = tokenize(text)
    folded = [fold(t.surface) for t in tokens]
    spans = sentence_spans(text)
    sent_of: list[int] = []
    k = 0
    sent_starts: set[int] = set()
    for idx, tok in enumerate(tokens):
        while k + 1 < len(spans) and tok.start >= spans[k + 1][0]:
            k += 1
        if not sent_of or sent_of[-1] != k:
            sent_starts.add(idx)
        sent_of.append(k)
    lower_words = {f for f, t in zip(folded, tokens, strict=True) if t.surface[:1].islower()}
    mentions = _spot(text, tokens, folded, sent_of, gaz)
    placed = {idx for m in mentions for idx in range(m.i, m.j + 1)}
    mentions = [
        m for m in mentions if _context(m, tokens, folded, sent_starts, placed, lower_words, gaz)
    ]
    if not mentions:
        return []
    resolved = _resolve(mentions, gaz)
    cols = gaz._columns
    rows = []
    for m, r, confidence in resolved:
        s0, s1 = spans[m.sentence]
        rows.append(
            {
                "report": report.id,
                "mention": text[m.start : m.end],
                "start": m.start,
                "end": m.end,
                "name": cols["name"][r],
                "kind": cols["kind"][r],
                "country": cols["country"][r],
                "iso_3166_2": cols["iso_3166_2"][r],
                "lat": float(cols["lat"][r]),
                "lon": float(cols["lon"][r]),
                "source": cols["source"][r],
                "confidence": confidence,
                "match": m.match,
                "sentence": text[s0:s1],
                "sentence_start": s0,
                "sentence_end": s1,
                "population": int(cols["population"][r]),
                "report_date": report.date,
            }
        )
    return rows


def find_places(
    reports: Report | Iterable[Report],
    *,
    gazetteer: Gazetteer | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find and resolve the places named in reports, joined to admin-1 regions.

    Parameters
    ----------
    reports : Report or iterable of Report
        From :func:`geo.reports.read_reports`.
    gazetteer : Gazetteer, optional
        The embedded one by default.
    boundaries : geopandas.GeoDataFrame, optional
        Admin-1 polygons (:func:`geo.boundaries.load_boundaries`); embedded by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per resolved mention, EPSG:4326 points, columns :data:`PLACE_COLUMNS`
        (see docs/ARCHITECTURE.md).

    Examples
    --------
    >>> from geo.reports import report_from_text
    >>> r = report_from_text("Fighting broke out in Kunduz province on Monday.")
    >>> find_places(r)[["mention", "kind", "iso_3166_2"]].values.tolist()
    [['Kunduz', 'province', 'AF-KDZ']]
    """
    if isinstance(reports, Report):
        reports = [reports]
    gaz = gazetteer or default_gazetteer()
    regions = boundaries if boundaries is not None else default_boundaries()
    frames = [parse_report(r, gaz) for r in reports]
    frames = [f for f in frames if not f.empty]
    table = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[c for c in PLACE_COLUMNS if c not in ("admin1", "geometry")])
    )
    gdf = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
    )
    provinces = gaz.records[gaz.records["kind"] == "province"]
    names = dict(zip(provinces["iso_3166_2"], provinces["name"], strict=True))
    gdf = assign_admin1(gdf, regions, fallback_names=names)
    return gdf[[*PLACE_COLUMNS, "in_boundaries"]]

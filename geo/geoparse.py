"""Geoparsing: finding the places a report names, and deciding which place each is.

Two steps, both general rules over the gazetteer:

1. **Spotting.** Runs of capitalised words (joined by spaces, hyphens or ezafe
   particles) are looked up, longest first, by their exact key and then by their
   transliteration key (:mod:`geo.text`). Short all-capital words match only
   acronyms (``US``), so ``NATO`` is not the town of Nato (a capitalised dateline,
   ``KYIV,``, is a place). Day and month names, words after a personal title or a
   given name (``Governor Karim Sadat``), two one-word names side by side
   (``Georgia Hamilton``) and words before an organisation word (``Kabul Bank``)
   are not places.
2. **Resolving.** Each candidate record is scored by its prior (a country, a
   region, a populous or capital city), the cue words around the mention
   ("X province", "city of X", "X Air Base", "capital of X"), the report's focus
   countries (those it names, and those of its unambiguous places) and the other
   places near it (same region). A single common English word ("Mobile",
   "Split"), a small place abroad, or an English word that is only a small place's
   alternate name ("Taliban"), needs strong evidence to count.

The result has a confidence and the gazetteer record (``source``) of every place.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundaries import default_boundaries
from geo.gazetteer import Gazetteer, default_gazetteer, is_acronym
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
    "seat",
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


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 3 and all(ch in " -–‐'’`ʼ" for ch in gap) and "\n" not in gap


def _match_run(
    words: tuple[str, ...], caps: tuple[bool, ...], acronym: bool, gaz: Gazetteer
) -> tuple[int, np.ndarray, str] | None:
    """The longest prefix of a run of words that names something: (last index, ids, how)."""
    for j in range(len(words) - 1, -1, -1):
        if not caps[j]:
            continue
        if j == 0 and acronym:
            rids = gaz.lookup(words[0], how="acronym")
            if len(rids):
                return 0, rids, "acronym"
            continue
        part = words[: j + 1]
        rids = gaz.lookup(" ".join(part))
        if len(rids):
            return j, rids, "exact"
        # A transliteration is of a foreign name: not of a run that starts or ends
        # with an English word ("In Qala", "The").
        if part[0] in gaz.known_words or part[-1] in gaz.known_words:
            continue
        rids = gaz.lookup(translit_key(list(part)), how="translit")
        if len(rids):
            return j, rids, "transliteration"
    return None


def _is_dateline(text: str, token: Token) -> bool:
    """A word in capitals at the start of a line, followed by a comma (``KYIV, Ukraine``)."""
    line_start = text.rfind("\n", 0, token.start) + 1
    return not text[line_start : token.start].strip() and text[token.end : token.end + 1] == ","


def _spot(
    text: str,
    tokens: list[Token],
    folded: list[str],
    caps: list[bool],
    sent_of: list[int],
    gaz: Gazetteer,
) -> list[_Mention]:
    mentions: list[_Mention] = []
    runs = gaz.run_cache
    i = 0
    n = len(tokens)
    while i < n:
        if not caps[i] or folded[i] in _CALENDAR or not folded[i]:
            i += 1
            continue
        # Longest run first: capitalised words, possibly joined by small particles.
        last = i
        while (
            last + 1 < n
            and last - i + 1 < MAX_WORDS
            and sent_of[last + 1] == sent_of[i]
            and (caps[last + 1] or folded[last + 1] in _JOINERS)
            and _gap_ok(text, tokens[last], tokens[last + 1])
        ):
            last += 1
        acronym = is_acronym(tokens[i].surface)
        if acronym and _is_dateline(text, tokens[i]):
            acronym = False  # "KYIV, Ukraine —": a place in capitals, not an acronym
        key = (tuple(folded[i : last + 1]), tuple(caps[i : last + 1]), acronym)
        if key in runs:
            found = runs[key]
        else:
            found = runs[key] = _match_run(*key, gaz)
        if found is None:
            i += 1
            continue
        jrel, rids, how = found
        j = i + jrel
        mentions.append(
            _Mention(
                i,
                j,
                tokens[i].start,
                tokens[j].end,
                rids,
                how,
                sent_of[i],
                " ".join(folded[i : j + 1]),
            )
        )
        i = j + 1
    return mentions


# Words for a feature of a place: "Panjshir Valley", "Kandahar Airfield" are one place.
_FEATURE_WORDS = frozenset(
    [
        "valley",
        "river",
        "airfield",
        "airport",
        "airbase",
        "base",
        "pass",
        "gorge",
        "mountains",
        "mountain",
        "range",
        "lake",
        "dam",
        "road",
        "highway",
        "bridge",
        "gate",
        "square",
        "border",
        "crossing",
        "district",
        "province",
        "city",
        "town",
        "village",
        "camp",
        "prison",
        "market",
    ]
)
# Words this frequent (Zipf ≥ 5.5: "in", "at", "from") are function words, never a name.
_FUNCTION_ZIPF = 5.5


def _drop_name_pairs(mentions: list[_Mention], text: str, gaz: Gazetteer) -> list[_Mention]:
    """Two one-word "places" side by side with only a space between them are a person's
    given name and surname ("Georgia Hamilton", "Ahad Balkhi"), not two places: English
    writes two places with a comma, a hyphen or a word between them. A function word
    before ("In Jowzjan") or a feature word after ("Panjshir Valley") is no name."""
    drop: set[int] = set()
    for k in range(len(mentions) - 1):
        a, b = mentions[k], mentions[k + 1]
        if not (a.i == a.j and b.i == b.j and b.i == a.j + 1 and text[a.end : b.start] == " "):
            continue
        if gaz.zipf.get(a.key, 0.0) >= _FUNCTION_ZIPF or b.key in _FEATURE_WORDS:
            continue
        drop.update((k, k + 1))
    return [m for k, m in enumerate(mentions) if k not in drop]


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


# A candidate this far below the best by its own score can never win: the report's
# focus (at most +4) and its neighbours (+1) cannot make up the difference.
_PRUNE = 6.0


def _resolve(mentions: list[_Mention], gaz: Gazetteer) -> list[tuple[_Mention, int, float]]:
    cols = gaz._columns
    kinds, countries, pops = cols["kind"], cols["country"], cols["population"]
    seats, isos = cols["seat"], cols["iso_3166_2"]
    cache = gaz.score_cache

    def _base(m: _Mention, r: int) -> float:
        s = _prior(kinds[r], int(pops[r]), bool(seats[r]))
        primary = gaz.main_key(r)
        if primary == m.key:
            # Named by its main name, not a historical or foreign alternate
            # (Islamabad is Pakistan's capital before it is an old name of Chittagong).
            s += 1.5
        if m.match == "transliteration":
            # How alike the written forms are: Kala-i-Nau is Qala i Naw more than Khulna.
            s += 6.0 * (_likeness(m.key, primary) - 0.5)
        fit = _cue_fits(m.cue, kinds[r])
        if fit is True:
            s += 4.0
        elif fit is False:
            s -= 2.0
        return s

    def ranked(m: _Mention) -> list[tuple[float, int]]:
        # Depends on the name, its cue and how it matched: the same in every report.
        key = (m.key, m.cue, m.match)
        hit = cache.get(key)
        if hit is None:
            scored = sorted(((_base(m, int(r)), int(r)) for r in m.rids), reverse=True)
            hit = cache[key] = [(sc, r) for sc, r in scored if sc >= scored[0][0] - _PRUNE]
            hit.append((scored[1][0] if len(scored) > 1 else float("-inf"), -1))
        return hit

    groups: dict[tuple, list[_Mention]] = {}
    for m in mentions:
        groups.setdefault((m.key, m.cue, m.match), []).append(m)

    # Focus countries: those named, and those of significant places (regions, capitals,
    # cities) with one clear reading. Each distinct name counts once.
    focus: dict[str, float] = {}
    counted: set[tuple[str, str]] = set()
    for (key, _, _), ms in groups.items():
        scored = ranked(ms[0])
        (s0, top), runner_up = scored[0], scored[-1][0]
        if (key, countries[top]) in counted:
            continue
        counted.add((key, countries[top]))
        clear = s0 - runner_up > 2
        if kinds[top] == "country":
            focus[countries[top]] = focus.get(countries[top], 0.0) + 2.0
        elif clear and (
            kinds[top] == "province"
            or ((seats[top] or pops[top] >= 100_000) and gaz.main_key(top) == key)
        ):
            focus[countries[top]] = focus.get(countries[top], 0.0) + 1.0
        elif clear and (seats[top] or pops[top] >= 100_000):
            # A capital or city named by another spelling (Sheberghan for Shibirghān)
            # is weaker evidence, but a short report may have nothing else.
            focus[countries[top]] = focus.get(countries[top], 0.0) + 0.5
    total = sum(focus.values()) or 1.0
    weight = {cc: w / total for cc, w in focus.items()}
    # First pass: the best reading of each distinct name, for the regions in play.
    first: dict[tuple, dict[int, float]] = {}
    tops: dict[str, int] = {}
    for gkey, ms in groups.items():
        scores = {r: sc + 4.0 * weight.get(countries[r], 0.0) for sc, r in ranked(ms[0])[:-1]}
        first[gkey] = scores
        tops[gkey[0]] = max(scores, key=scores.__getitem__)
    regions_seen = Counter(isos[r] for r in tops.values() if isos[r])
    decided: dict[tuple, tuple[int, float, bool, bool]] = {}
    for gkey, scores in first.items():
        own = isos[tops[gkey[0]]]
        final = {
            r: sc + (1.0 if isos[r] and regions_seen[isos[r]] - (isos[r] == own) > 0 else 0.0)
            for r, sc in scores.items()
        }
        best = max(final, key=final.__getitem__)
        confidence = 1.0 / sum(math.exp(sc - final[best]) for sc in final.values())
        decided[gkey] = (best, confidence, *_accept(gkey, best, weight, gaz))
    out = []
    for m in mentions:
        best, confidence, ok, strong = decided[(m.key, m.cue, m.match)]
        if not ok or (m.risky and not strong and int(pops[best]) < 1_000_000):
            continue
        confidence *= {"exact": 1.0, "acronym": 0.95, "transliteration": 0.85}[m.match]
        if m.risky:
            confidence *= 0.8
        out.append((m, best, round(confidence, 3)))
    return out


# How alike a transliteration-matched mention and the place's main name must be.
_MIN_LIKENESS = 0.6


def _likeness(a: str, b: str) -> float:
    return SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio()


def _accept(gkey: tuple, best: int, weight: dict[str, float], gaz: Gazetteer) -> tuple[bool, bool]:
    """Whether the best reading of a name counts as a place, and whether on strong evidence."""
    key, cue, match = gkey
    cols = gaz._columns
    kind, pop, cc = cols["kind"][best], int(cols["population"][best]), cols["country"][best]
    in_focus = weight.get(cc, 0.0) >= 0.1
    strong = kind == "country" or _cue_fits(cue, kind) is True
    # A small place abroad needs strong evidence.
    if (
        not strong
        and not in_focus
        and not (
            (kind in ("city", "province") and pop >= 100_000)
            or (kind == "province" and match == "exact")
        )
    ):
        return False, strong
    # Abroad, a small place named by one of its alternate names (Özbek for "Uzbek",
    # a village once called "Taliban") is more likely a word than a place.
    if (
        not in_focus
        and gaz.main_key(best) != key
        and pop < 1_000_000
        and kind not in ("country", "province")
    ):
        return False, strong
    if match == "transliteration" and not strong and not in_focus:
        return False, strong
    # A transliteration key is lossy: the written forms must still look alike
    # (Kala-i-Nau ~ Qala i Naw), or "Hairatan" could be read as Manchester.
    if match == "transliteration" and _likeness(key, gaz.main_key(best)) < _MIN_LIKENESS:
        return False, strong
    # An English word ("Taliban") that is only an alternate name of a small place is the
    # word, wherever the place is.
    if (
        not strong
        and key in gaz.known_words
        and gaz.main_key(best) != key
        and pop < 100_000
        and kind not in ("country", "province")
    ):
        return False, strong
    return True, strong


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
    caps = [t.surface[:1].isupper() for t in tokens]
    mentions = _spot(text, tokens, folded, caps, sent_of, gaz)
    placed = {idx for m in mentions for idx in range(m.i, m.j + 1)}
    mentions = [
        m
        for m in _drop_name_pairs(mentions, text, gaz)
        if _context(m, tokens, folded, sent_starts, placed, lower_words, gaz)
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
                "seat": bool(cols["seat"][r]),
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
    rows = [row for report in reports for row in _rows(report, gaz)]
    table = pd.DataFrame(
        rows, columns=[c for c in PLACE_COLUMNS if c not in ("admin1", "geometry")]
    )
    gdf = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
    )
    provinces = gaz.records[gaz.records["kind"] == "province"]
    names = dict(zip(provinces["iso_3166_2"], provinces["name"], strict=True))
    gdf = assign_admin1(gdf, regions, fallback_names=names)
    return gdf[[*PLACE_COLUMNS, "in_boundaries"]]

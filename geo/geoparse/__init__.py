"""Geoparsing: finding the places a report names, and deciding which place each is.

Three steps, all general rules over the gazetteer, one module each:

1. **Spotting.** Runs of capitalised words (joined by spaces, hyphens or ezafe
   particles) are looked up, longest first, by their exact key and then by their
   transliteration key (:mod:`geo.text`). Short all-capital words match only
   acronyms (``US``), so ``NATO`` is not the town of Nato (a capitalised dateline,
   ``KYIV,``, is a place). Day and month names are skipped (:mod:`.spot`).
2. **Context.** Words after a personal title or a given name (``Governor Karim
   Sadat``), two one-word names side by side (``Georgia Hamilton``), names inside an
   organisation's, a team's or a unit's name (``Kabul Bank``, ``X Police
   Department``) and demonyms (``Somali troops``) are not places; a name seen as a
   person's is shadowed in the rest of the text (:mod:`.context`).
3. **Resolving.** Each candidate record is scored by its prior (a country, a
   region, a populous or capital city), the cue words around the mention
   ("X province", "city of X", "X Air Base", "capital of X"), the report's focus
   countries (those it names, and those of its unambiguous places) and the other
   places near it (same region). A single common English word ("Mobile",
   "Split"), a small place abroad, or an English word that is only a small place's
   alternate name ("Taliban"), needs strong evidence to count; a reading abroad
   that nothing supports gives way to one in the report's own countries
   (:mod:`.resolve`, scores from :mod:`geo.scoring`).

The result has a confidence and the gazetteer record (``source``) of every place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from geo.boundaries import default_boundaries
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.geoparse.context import read_mentions
from geo.geoparse.resolve import resolve_mentions
from geo.geoparse.spot import Mention, spot_candidates
from geo.provinces import assign_admin1
from geo.reports import Report, report_from_text
from geo.text import Token, fold, sentence_spans, tokenize

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
    "admin2",
    "admin2_code",
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


# Columns that come from the join to regions, not from the report and the gazetteer.
_JOINED = ("admin1", "admin2", "admin2_code", "geometry")


def parse_report(report: Report, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """The resolved place mentions of one report, before the join to regions.

    Returns a DataFrame with the columns of :data:`PLACE_COLUMNS` but ``admin1``, ``admin2``,
    ``admin2_code`` and
    ``geometry``; see :func:`find_places`.
    """
    rows = _rows(report, gazetteer or default_gazetteer())
    return pd.DataFrame(rows, columns=[c for c in PLACE_COLUMNS if c not in _JOINED])


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
    caps = [t.surface[:1].isupper() for t in tokens]
    mentions = spot_candidates(text, tokens, folded, caps, sent_of, gaz)
    mentions = read_mentions(mentions, tokens, folded, text, spans, sent_starts, gaz)
    if not mentions:
        return []
    resolved = resolve_mentions(mentions, gaz)
    cols = gaz._columns
    rows = []
    for m, r, confidence in resolved:
        s0, s1 = spans[m.sentence]
        if cols["kind"][r] in ("airbase", "other"):
            _whole_facility_name(m, text, tokens, folded)
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


# Words that end a facility's name written in lower case ("the al-X air base").
_FACILITY_END = frozenset({"base", "airbase", "airport", "airfield"})
_ARTICLE_PREFIX = re.compile(r"(?i)\b(?:al|el|ad|ar|as|at|az|an|ash)[-‐]$")


def _whole_facility_name(m: Mention, text: str, tokens: list[Token], folded: list[str]) -> None:
    """Stretch a facility's mention over its article and its generic words as written
    ("al-X air base", "X military airport"), so the mention is the name in the text."""
    k = m.j + 1
    while k < len(tokens) and k <= m.j + 3 and text[tokens[k - 1].end : tokens[k].start] == " ":
        if folded[k] in _FACILITY_END:
            m.j, m.end = k, tokens[k].end
            break
        k += 1
    article = _ARTICLE_PREFIX.search(text, max(0, m.start - 4), m.start)
    if article:
        m.start = article.start()


def find_places(
    reports: str | Report | Iterable[Report],
    *,
    gazetteer: Gazetteer | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find and resolve the places named in reports, joined to admin-1 regions.

    Parameters
    ----------
    reports : str, Report or iterable of Report
        From :func:`geo.reports.read_reports`; a str is the text of one report
        (:func:`geo.reports.report_from_text`).
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
    if isinstance(reports, str):  # plain text: one report
        reports = report_from_text(reports)
    if isinstance(reports, Report):
        reports = [reports]
    gaz = gazetteer or default_gazetteer()
    regions = boundaries if boundaries is not None else default_boundaries()
    rows = [row for report in reports for row in _rows(report, gaz)]
    table = pd.DataFrame(rows, columns=[c for c in PLACE_COLUMNS if c not in _JOINED])
    # One date type in every table (docs/ARCHITECTURE.md): datetime64 at midnight, NaT if none.
    table["report_date"] = pd.to_datetime(table["report_date"])
    gdf = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
    )
    provinces = gaz.records[gaz.records["kind"] == "province"]
    names = dict(zip(provinces["iso_3166_2"], provinces["name"], strict=True))
    record_iso = gdf["iso_3166_2"].copy()
    gdf = assign_admin1(gdf, regions, fallback_names=names)
    # A point a few kilometres across a coarse border (a border crossing, a town on a
    # river frontier) falls in the neighbour's polygon: a place's region is in its own
    # country, so its gazetteer record's region stands.
    joined_cc = gdf["iso_3166_2"].fillna("").str.split("-").str[0]
    abroad = (joined_cc != "") & (joined_cc != gdf["country"]) & (record_iso != "")
    gdf.loc[abroad, "iso_3166_2"] = record_iso[abroad]
    gdf.loc[abroad, "admin1"] = [names.get(c) for c in record_iso[abroad]]
    return gdf[[*PLACE_COLUMNS, "in_boundaries"]]

"""The territorial control layers (admin-1, and admin-2 when given) and their evidence.

Each region gets its list of states sorted by day, as change points: ``[day,
status, controller, claim_status, since, evidence ids, unconfirmed (0/1),
quote, report id]``. The quote is the sentence of the state's latest evidence
event: the row's own ``quote`` (``geo.control.control_as_of`` sets it), else
the ``notes`` of the last evidence id found in the events drawn. What the
page says about a report (title, date, source, link) is in one table,
:func:`report_table`, keyed by report id.

Admin-2 (district) rows are those with ``level`` ``district``/``admin2``, or,
without a ``level`` column, a non-empty ``admin2``. They are drawn as their
own layer, keyed by ``admin2_code`` (or ``shapeID``, ``pcode``) when the
table has one, else by ``iso_3166_2`` and ``admin2`` together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from maps import legend as lg
from maps.basemap import compact_features, display_outlines
from maps.columns import column, date_text, text, text_column
from maps.places import REGION_TOLERANCE
from maps.safe import safe_url
from maps.timeline import NO_DAY, day_numbers, to_dates

__all__ = [
    "DISTRICT_LEVELS",
    "evidence_table",
    "is_district",
    "prepare_control",
    "region_keys",
    "report_table",
]

DISTRICT_LEVELS = {"district", "admin2", "adm2", "2"}
_DISTRICT_CODES = ("admin2_code", "shapeID", "shape_id", "pcode")


def is_district(df: pd.DataFrame | None) -> np.ndarray:
    """Which rows of a control table are admin-2 (district) rows."""
    if df is None or not len(df):
        return np.zeros(0 if df is None else len(df), dtype=bool)
    if "level" in df.columns:
        level = df["level"].astype(str).str.strip().str.lower()
        return level.isin(DISTRICT_LEVELS).to_numpy()
    if "admin2" in df.columns:
        return df["admin2"].map(text).notna().to_numpy()
    return np.zeros(len(df), dtype=bool)


def region_keys(df: pd.DataFrame, district: bool) -> list[str | None]:
    """The key that joins a row to its shape: the ISO code, or a district's code."""
    if not district:
        return [text(v) for v in column(df, "iso_3166_2")]
    for name in _DISTRICT_CODES:
        if name in df.columns:
            return [text(v) for v in df[name]]
    return [
        f"{text(i) or '?'}/{text(n)}" if text(n) else None
        for i, n in zip(column(df, "iso_3166_2"), column(df, "admin2"), strict=True)
    ]


def evidence_table(
    events: pd.DataFrame | None, tables: Iterable[pd.DataFrame | None] = ()
) -> dict[str, tuple[Any, ...]]:
    """Event id → (sentence, report id, date) for the events the ``tables`` cite as evidence.

    With no ``tables``, for every event.
    """
    if events is None or not len(events) or "event_id" not in events.columns:
        return {}
    ids = text_column(events["event_id"])
    cited: set[str] = set()
    given = [t for t in tables if t is not None and len(t)]
    for table in given:
        for value in text_column(column(table, "evidence")).dropna().unique():
            cited.update(e.strip() for e in value.split(";") if e.strip())
    if given:
        keep = ids.isin(cited).to_numpy()
        events, ids = events[keep], ids[keep]
    notes = text_column(column(events, "notes"))
    reports = text_column(column(events, "report"))
    dates = column(events, "event_date").map(date_text)
    return {
        i: (n, r, d) for i, n, r, d in zip(ids, notes, reports, dates, strict=True) if i is not None
    }


def report_table(
    reports: Iterable[Any] | pd.DataFrame | None,
    events: pd.DataFrame | None,
    places: pd.DataFrame | None,
    wanted: set[str],
) -> dict[str, dict[str, str | None]]:
    """Report id → ``title``, ``date``, ``source``, ``url`` (http(s) only) for ``wanted`` ids.

    Taken from ``reports`` (``geo.reports.Report`` objects, or a table with
    ``id`` or ``report`` and ``title``, ``date``, ``source``, ``url``), then
    filled from the events' and places' own columns.
    """
    out: dict[str, dict[str, str | None]] = {}

    def put(rid: object, **fields: object) -> None:
        key = text(rid)
        if key is None or key not in wanted:
            return
        entry = out.setdefault(key, {"title": None, "date": None, "source": None, "url": None})
        for name, value in fields.items():
            if entry.get(name) is None:
                entry[name] = safe_url(value) if name == "url" else date_text(value)

    if isinstance(reports, pd.DataFrame):
        key = "id" if "id" in reports.columns else "report"
        for _, row in reports.iterrows():
            put(
                row.get(key),
                title=row.get("title"),
                date=row.get("date"),
                source=row.get("source"),
                url=row.get("url"),
            )
    elif reports is not None:
        for r in reports:
            put(
                getattr(r, "id", None),
                title=getattr(r, "title", None),
                date=getattr(r, "date", None),
                source=getattr(r, "source", None),
                url=getattr(r, "url", None),
            )
    for df, date_col in ((events, None), (places, "report_date")):
        if df is None or not len(df) or "report" not in df.columns:
            continue
        sub = df[text_column(df["report"]).isin(wanted)]
        for _, row in sub.drop_duplicates("report").iterrows():
            put(
                row["report"],
                source=row.get("source") if date_col is None else None,
                url=row.get("url"),
                date=row.get(date_col) if date_col else None,
            )
    return out


def _country(iso: object, key: str) -> str:
    code = text(iso) or key
    return code.split("-")[0].split("/")[0]


def prepare_control(
    control: pd.DataFrame | None,
    timeline: pd.DataFrame | None,
    regions: gpd.GeoDataFrame | None,
    day0: pd.Timestamp | None,
    evidence: dict[str, tuple[Any, ...]],
    *,
    district: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """Control shapes (one per region) and each region's states sorted by day.

    Parameters
    ----------
    control, timeline : DataFrame or None
        Rows of one level only (see :func:`is_district`).
    regions : GeoDataFrame or None
        Shapes of that level (admin-1 regions for provinces).
    day0 : Timestamp or None
        The slider's day 0.
    evidence : dict
        From :func:`evidence_table`, to quote a state's sentence.
    district : bool
        Whether these are admin-2 rows.

    Returns
    -------
    dict, list of str
        The page's control entry (``shapes``, ``missing``) and the controllers named.
    """
    shapes: dict[str, Any] = {}
    names: dict[str, str | None] = {}
    nation: dict[str, str] = {}  # a region's country: the prefix of its ISO 3166-2 code
    for source in (regions, control, timeline):
        if not isinstance(source, gpd.GeoDataFrame) or not len(source):
            continue
        keys = region_keys(source, district)
        name_col = "admin2" if district else "admin1"
        for key, geom, name, iso in zip(
            keys,
            source.geometry,
            column(source, name_col),
            column(source, "iso_3166_2"),
            strict=True,
        ):
            if key and key not in shapes and geom is not None and not geom.is_empty:
                shapes[key] = geom
                names[key] = text(name) or names.get(key)
                nation[key] = _country(iso, key)
    if timeline is not None and len(timeline):
        rows = timeline
        days = day_numbers(to_dates(column(rows, "date")), day0)
    else:
        rows = control if control is not None else pd.DataFrame()
        days = np.full(len(rows), NO_DAY, dtype=np.int64)
    keys = region_keys(rows, district) if len(rows) else []
    states: dict[str, list[list[Any]]] = {}
    controllers: list[str] = []
    name_col = "admin2" if district else "admin1"
    # The columns read, as lists (a timeline has a row per region and day: thousands of
    # rows for a worldwide region table; a pandas row object each cost ~0.1 ms).
    n = len(rows)
    fields = [
        *("status", "controller", name_col, "iso_3166_2", "evidence"),
        *("quote", "report", "claim_status", "since"),
    ]
    values = {c: rows[c].astype(object).tolist() if c in rows else [None] * n for c in fields}
    for i, (day, key) in enumerate(zip(days.tolist(), keys, strict=True)):
        if not key:
            continue
        status = (text(values["status"][i]) or "unknown").lower()
        controller = text(values["controller"][i]) if status == "controlled" else None
        if controller:
            controllers.append(controller)
        names.setdefault(key, text(values[name_col][i]))
        nation.setdefault(key, _country(values["iso_3166_2"][i], key))
        ids = [e for e in (text(values["evidence"][i]) or "").split(";") if e.strip()]
        found = [evidence[e] for e in ids if e in evidence]
        quote = text(values["quote"][i]) or (found[-1][0] if found else None)
        report = text(values["report"][i]) or (found[-1][1] if found else None)
        claim = values["claim_status"][i]
        states.setdefault(key, []).append(
            [
                day,
                status,
                controller,
                text(claim),
                date_text(values["since"][i]),
                ";".join(ids) or None,
                int(lg.is_unconfirmed(claim)),
                quote,
                report,
                found[-1][2] if found else None,
            ]
        )
    for key, seq in states.items():
        seq.sort(key=lambda s: s[0])
        # daily snapshots become change points: a state equal to the one before adds nothing
        states[key] = [s for i, s in enumerate(seq) if i == 0 or s[1:] != seq[i - 1][1:]]
    # Every region of the countries that have some evidence of control (the
    # rest of such a country shows as unknown: no evidence is not government
    # control); neighbours with no evidence at all are left out.
    known = {nation[k] for k, seq in states.items() if any(s[1] != "unknown" for s in seq)}
    countries = known or {nation[k] for k in states}
    keys_drawn = [k for k in shapes if nation[k] in countries]
    geoms = gpd.GeoSeries([shapes[k] for k in keys_drawn], crs=4326)
    fc = compact_features(
        display_outlines(geoms, REGION_TOLERANCE),
        [{"iso": k, "name": names.get(k), "states": states.get(k, [])} for k in keys_drawn],
    )
    missing = sorted(set(states) - set(shapes))
    return {"shapes": fc, "missing": missing}, sorted(set(controllers))

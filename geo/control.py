"""Territorial control of admin-1 regions over time, from events.

Every region starts ``unknown``: no evidence, no assumption (in particular, not
the government's). Each day's events in a region then apply these rules, in
order (``docs/control.md`` has the reasons and examples):

1. **Capture of the region**: a territory event whose object is the region's
   capital itself (the place is flagged ``capital``: a seat in the gazetteer, or
   called "the capital" by the report) or the whole province.

   a. Captures by different sides on the same day, or a capture and an attack on
      the same capital said to be repelled the same day: ``contested`` (the
      contradiction is shown, not resolved).
   b. A capture only claimed by its side, or denied: ``contested`` with
      ``claim_status`` ``claimed`` and no controller.
   c. Otherwise ``controlled`` by the captor's side (``Taliban``; a retaking by
      state forces gives ``Government of <country>``), ``claim_status`` ``reported``.

2. **Fighting**: a battle at the capital, or part of the region taken (a district,
   a town, a border crossing, buildings in the capital), makes the region
   ``contested`` — unless the region is controlled by the side that did all the
   taking that day (a captor mopping up its own ground does not contest it).
   A region already controlled is contested again only by fighting *after* the
   day it was taken.

Events without a date, events placed only at country or region level
("western Afghanistan") and events of other kinds (talks, withdrawals,
explosions) change nothing; undated events that would otherwise count are named in a
:class:`ControlWarning`.

Control is kept as change points (:func:`control_changes`: per region, the dates
where its status changes), so its cost follows the number of events, not the span of
dates they cover; :func:`control_timeline` samples it on the days asked for.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.reports import DATE_MAX, DATE_MIN

__all__ = [
    "CONTROL_COLUMNS",
    "MAX_DAILY_DAYS",
    "STATUSES",
    "ControlState",
    "ControlWarning",
    "apply_day",
    "control_as_of",
    "control_changes",
    "control_timeline",
    "fighting_regions",
]

STATUSES = ("controlled", "contested", "unknown")
CONTROL_COLUMNS = [
    "iso_3166_2",
    "admin1",
    "country",
    "status",
    "controller",
    "since",
    "claim_status",
    "evidence",
]


# control_timeline's default is every day when the events span at most this many days,
# else the days on which something changes (a daily grid of a century is millions of rows).
MAX_DAILY_DAYS = 731


class ControlWarning(UserWarning):
    """Something about the events that control cannot use (e.g. events without a date)."""


@dataclass
class ControlState:
    """A region's control after the days applied so far (:func:`apply_day`).

    ``since`` is the day the status began (any object comparable with the days given to
    :func:`apply_day`); ``evidence`` the event ids behind it, oldest first.
    """

    status: str = "unknown"
    controller: str | None = None
    since: pd.Timestamp | None = None
    claim_status: str | None = None
    evidence: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.status, self.controller, self.claim_status)


def _as_timestamp(value: str | dt.date | pd.Timestamp) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as err:
        raise ValueError(f"as_of {value!r} is not a date (expected e.g. 2021-08-16)") from err
    if pd.isna(ts):
        raise ValueError(f"as_of {value!r} is not a date (expected e.g. 2021-08-16)")
    return ts.normalize()


def _relevant(events: pd.DataFrame) -> pd.DataFrame:
    need = {"event_id", "event_date", "iso_3166_2", "effect", "target", "capital", "side1"}
    missing = need - set(events.columns)
    if len(events) == 0:
        return pd.DataFrame(columns=sorted(need | {"claim_status", "place_kind"}))
    if missing:
        raise ValueError(
            f"the events table lacks {sorted(missing)!r}; make it with geo.events.extract_events"
        )
    ev = pd.DataFrame(events.drop(columns="geometry", errors="ignore"))
    ev["event_date"] = _datetimes(ev["event_date"])
    ev = ev[ev["iso_3166_2"].notna() & ev["effect"].isin(["capture", "fight", "repel"])]
    ev = ev[~ev["place_kind"].isin(["region", "country"])] if "place_kind" in ev else ev
    undated = ev["event_date"].isna()
    if undated.any():
        ids = ", ".join(map(str, ev.loc[undated, "event_id"].head(5)))
        more = f" and {int(undated.sum()) - 5} more" if undated.sum() > 5 else ""
        warnings.warn(
            f"{int(undated.sum())} event(s) without a usable date left out of control "
            f"({ids}{more})",
            ControlWarning,
            stacklevel=3,
        )
    return ev[~undated].sort_values(["event_date", "event_id"])


def _datetimes(values: pd.Series) -> pd.Series:
    """Dates as ``datetime64[ns]``; missing, unreadable or out-of-range ones
    (outside :data:`geo.reports.DATE_MIN` .. ``DATE_MAX``) are NaT."""
    out = pd.to_datetime(values, errors="coerce")
    # dt.date values come as seconds (they may overflow ns): bound them first
    end = pd.Timestamp(DATE_MAX) + pd.Timedelta(days=1)
    out = out.where((out >= pd.Timestamp(DATE_MIN)) & (out < end))
    return out.astype("datetime64[ns]")


def _ids(events: list[dict]) -> list[str]:
    return [str(e["event_id"]) for e in events]


def apply_day(state: ControlState, day: Any, events: list[dict]) -> ControlState:
    """Apply one day's events of one region to its state (the rules in this module's
    docstring); returns the new state (``state`` itself when only its evidence grew).

    ``events`` are plain records (``effect``, ``target``, ``capital``, ``side1``,
    ``event_id``, optional ``claim_status`` and ``place_kind``) of the events that count
    for control (dated, placed in the region, effect ``capture``, ``fight`` or ``repel``,
    not placed only at region or country level), in ``event_id`` order;
    :func:`control_changes` applies them day by day in date order.
    """
    caps, fights, repels = [], [], []
    for e in events:
        whole_seat = (
            e["effect"] == "capture"
            and e["target"] == "whole"
            and (bool(e["capital"]) or e.get("place_kind") == "province")
        )
        if whole_seat:
            caps.append(e)
        elif e["effect"] == "capture" or (e["effect"] in ("fight", "repel") and bool(e["capital"])):
            fights.append(e)
        if e["effect"] == "repel" and bool(e["capital"]):
            repels.append(e)
    if caps:
        claims = {e.get("claim_status") or "reported" for e in caps}
        sides = {e["side1"] for e in caps if isinstance(e["side1"], str)}
        if len(sides) > 1 or repels:
            return ControlState("contested", None, day, "reported", _ids(caps) + _ids(repels))
        if "reported" not in claims:
            # only claimed (or denied): shown as a claim, never as control
            if state.status == "controlled" and state.controller in sides:
                return state
            return ControlState("contested", None, day, "claimed", _ids(caps))
        if not sides:
            return ControlState("contested", None, day, "reported", _ids(caps))
        side = next(iter(sides))
        if (
            state.status == "controlled"
            and state.controller == side
            and state.claim_status == "reported"
        ):
            state.evidence = [*state.evidence, *_ids(caps)]
            return state
        return ControlState("controlled", side, day, "reported", _ids(caps))
    if fights:
        if state.status == "controlled":
            if state.since is not None and day <= state.since:
                return state
            takers = {e["side1"] for e in fights if e["effect"] == "capture"}
            if all(e["effect"] == "capture" for e in fights) and takers <= {state.controller}:
                return state
        if state.status == "contested":
            if state.claim_status == "claimed":
                return ControlState(
                    "contested", None, state.since, "claimed", [*state.evidence, *_ids(fights)]
                )
            state.evidence = [*state.evidence, *_ids(fights)]
            return state
        return ControlState("contested", None, day, "reported", _ids(fights))
    return state


def control_changes(events: pd.DataFrame) -> pd.DataFrame:
    """Every change of a region's control status, in date order.

    Parameters
    ----------
    events : DataFrame
        From :func:`geo.events.extract_events`.

    Returns
    -------
    DataFrame
        ``iso_3166_2``, ``date``, ``status``, ``controller``, ``since``, ``claim_status``,
        ``evidence`` (``;``-separated event ids), one row per change.
    """
    ev = _relevant(events)
    cols = ["event_id", "event_date", "iso_3166_2", "effect", "target", "capital", "side1"]
    cols += [c for c in ("claim_status", "place_kind") if c in ev.columns]
    records = pd.DataFrame(ev[cols]).astype(object).where(ev[cols].notna(), None)
    by_region: dict[str, dict[pd.Timestamp, list[dict]]] = {}
    for rec in records.to_dict("records"):
        day = pd.Timestamp(rec["event_date"]).normalize()
        by_region.setdefault(rec["iso_3166_2"], {}).setdefault(day, []).append(rec)
    rows = []
    for iso in sorted(by_region):
        state = ControlState()
        for day in sorted(by_region[iso]):
            before = state.key()
            n_evidence = len(state.evidence)
            state = apply_day(state, day, by_region[iso][day])
            if state.key() != before or len(state.evidence) != n_evidence:
                rows.append(
                    {
                        "iso_3166_2": iso,
                        "date": day,
                        "status": state.status,
                        "controller": state.controller,
                        "since": state.since,
                        "claim_status": state.claim_status,
                        "evidence": ";".join(dict.fromkeys(state.evidence)),
                    }
                )
    columns = ["iso_3166_2", "date", "status", "controller", "since", "claim_status", "evidence"]
    out = pd.DataFrame(rows, columns=columns)
    out["date"] = _datetimes(out["date"])
    out["since"] = _datetimes(out["since"])
    return out


def _regions_frame(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    missing = {"iso_3166_2", "admin1", "geometry"} - set(regions.columns)
    if missing:
        raise ValueError(f"regions lack the columns {sorted(missing)!r} (see geo.boundaries)")
    out = regions.copy()
    if "country" not in out:
        out["country"] = out["iso_3166_2"].str[:2]
    if out.crs is not None and out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    return out


# The sentence behind a region's status: that of its latest evidence event.
PROVENANCE_COLUMNS = ["report", "quote", "quote_start", "quote_end"]


def _add_provenance(out: pd.DataFrame, events: pd.DataFrame) -> None:
    """Set ``report``, ``quote`` (the sentence) and its offsets from each row's latest
    evidence event."""
    known = {}
    wanted = ("report", "notes", "sentence_start", "sentence_end")
    if len(events) and "event_id" in events.columns:
        cols = {
            c: (events[c] if c in events.columns else pd.Series(None, index=events.index))
            for c in wanted
        }
        for i, event_id in enumerate(events["event_id"].astype(str)):
            known[event_id] = tuple(cols[c].iloc[i] for c in wanted)
    latest = []
    for evidence in out["evidence"]:
        ids = [e for e in str(evidence or "").split(";") if e in known]
        latest.append(known[ids[-1]] if ids else (None, None, None, None))
    for k, column in enumerate(PROVENANCE_COLUMNS):
        values = [row[k] for row in latest]
        if column.startswith("quote_"):
            values = [None if v is None or pd.isna(v) else int(v) for v in values]
            out[column] = pd.Series(values, index=out.index, dtype="Int64")
        else:
            out[column] = pd.Series(values, index=out.index, dtype=object)


def fighting_regions(
    events: pd.DataFrame, regions: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """The regions of the countries where the events report fighting or a capture.

    ``regions`` defaults to the embedded admin-1 boundaries
    (:func:`geo.boundaries.default_boundaries`) of those countries.
    """
    fighting = events["effect"].isin(["capture", "fight", "repel"])
    countries = sorted(set(events.loc[fighting, "country"].dropna()))
    if regions is None:
        from geo.boundaries import default_boundaries

        return default_boundaries(countries) if countries else default_boundaries([]).iloc[0:0]
    return regions[regions["country"].isin(countries)] if countries else regions.iloc[0:0]


def control_as_of(
    events: pd.DataFrame,
    regions: gpd.GeoDataFrame | str | dt.date | pd.Timestamp | None = None,
    as_of: str | dt.date | pd.Timestamp | None = None,
    *,
    changes: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The control of every region at the end of the day ``as_of``.

    Parameters
    ----------
    events : DataFrame
        From :func:`geo.events.extract_events`.
    regions : GeoDataFrame, optional
        Admin-1 polygons (:func:`geo.boundaries.load_boundaries`), one feature each in the
        output; by default those of the countries where the events report fighting
        (:func:`fighting_regions`). A date given here instead is taken as ``as_of``, so
        ``control_as_of(events, "2021-08-16")`` works.
    as_of : date or str, optional
        The day asked about (``"2021-08-16"``); by default the last dated event's day.
    changes : DataFrame, optional
        :func:`control_changes` of ``events``, when already computed.

    Returns
    -------
    GeoDataFrame
        :data:`CONTROL_COLUMNS`, ``as_of``, the provenance of the latest evidence event
        (``report``, ``quote``: its sentence, ``quote_start``/``quote_end``: the sentence's
        character offsets in the report) and the region's polygon, EPSG:4326. Regions without evidence are
        ``unknown`` with no controller.

    Raises
    ------
    ValueError
        If ``as_of`` is not a date.

    Examples
    --------
    >>> import shapely
    >>> regions = gpd.GeoDataFrame({"iso_3166_2": ["XX-A"], "admin1": ["A"]},
    ...     geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326")
    >>> events = pd.DataFrame({"event_id": ["e1"], "event_date": [pd.Timestamp("2021-08-01")],
    ...     "iso_3166_2": ["XX-A"], "effect": ["capture"], "target": ["whole"],
    ...     "capital": [True], "side1": ["Taliban"], "claim_status": ["reported"]})
    >>> control_as_of(events, regions, "2021-07-31").loc[0, "status"]
    'unknown'
    >>> control_as_of(events, regions, "2021-08-01").loc[0, ["status", "controller"]].tolist()
    ['controlled', 'Taliban']
    """
    if isinstance(regions, (str, dt.date, pd.Timestamp)):
        regions, as_of = None, regions
    if regions is None:
        regions = fighting_regions(events)
    if as_of is None:
        dates = pd.to_datetime(events["event_date"], errors="coerce").dropna()
        if dates.empty:
            raise ValueError("no dated event: give as_of, the day to report control on")
        as_of = dates.max()
    day = _as_timestamp(as_of)
    ch = control_changes(events) if changes is None else changes
    ch = ch[ch["date"] <= day].drop_duplicates("iso_3166_2", keep="last").set_index("iso_3166_2")
    out = _regions_frame(regions)
    joined = out[["iso_3166_2"]].join(ch, on="iso_3166_2")
    out["status"] = joined["status"].fillna("unknown").to_numpy()
    for col in ("controller", "claim_status", "evidence"):
        values = joined[col].astype(object)
        out[col] = values.where(values.notna(), None).to_numpy()
    out["since"] = pd.to_datetime(joined["since"]).to_numpy()
    out["as_of"] = day
    _add_provenance(out, events)
    cols = [*CONTROL_COLUMNS, "as_of", *PROVENANCE_COLUMNS, "geometry"]
    return gpd.GeoDataFrame(out[cols].reset_index(drop=True), geometry="geometry", crs="EPSG:4326")


def control_timeline(
    events: pd.DataFrame,
    regions: gpd.GeoDataFrame | pd.DataFrame,
    *,
    dates: Iterable[str | dt.date | pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Control of every region on every day: a long table (date × region).

    Parameters
    ----------
    events : DataFrame
        From :func:`geo.events.extract_events`.
    regions : DataFrame
        Admin-1 regions (``iso_3166_2``, ``admin1``); geometry is not needed.
    dates : iterable of dates, optional
        The days to report; by default every day from the first to the last dated event
        when they span at most :data:`MAX_DAILY_DAYS`, else the days of events and changes
        (each row then holds until the next date).

    Returns
    -------
    DataFrame
        ``date``, ``iso_3166_2``, ``admin1``, ``status``, ``controller``, ``since``,
        ``claim_status``, ``evidence``; ``unknown`` before any evidence.
    """
    changes = control_changes(events)
    if dates is None:
        known = (
            _datetimes(events["event_date"]).dropna().dt.normalize()
            if len(events) and "event_date" in events
            else pd.Series([], dtype="datetime64[ns]")
        )
        if len(known) == 0:
            days = pd.DatetimeIndex([], dtype="datetime64[ns]")
        elif (known.max() - known.min()).days <= MAX_DAILY_DAYS:
            days = pd.date_range(known.min(), known.max(), freq="D")
        else:  # change points only: the cost follows the events, not the span
            days = pd.DatetimeIndex(sorted({*known, *changes["date"].dt.normalize()}))
    else:
        days = pd.DatetimeIndex([_as_timestamp(d) for d in dates])
    days = days.astype("datetime64[ns]")
    base = pd.DataFrame(regions[["iso_3166_2", "admin1"]]).drop_duplicates("iso_3166_2")
    base = base[base["iso_3166_2"].notna()]
    grid = base.merge(pd.DataFrame({"date": days}), how="cross").sort_values(["date", "iso_3166_2"])
    grid["date"] = grid["date"].astype("datetime64[ns]")
    grid["iso_3166_2"] = grid["iso_3166_2"].astype(object)
    ch = changes.sort_values("date").astype({"iso_3166_2": object})
    merged = pd.merge_asof(grid, ch, on="date", by="iso_3166_2", direction="backward")
    merged["status"] = merged["status"].fillna("unknown")
    cols = [
        "date",
        "iso_3166_2",
        "admin1",
        "status",
        "controller",
        "since",
        "claim_status",
        "evidence",
    ]
    return merged[cols].reset_index(drop=True)

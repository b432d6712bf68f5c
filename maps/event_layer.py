"""The events layer: ACLED-like rows as columns of the page's data blob."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from maps import legend as lg
from maps.columns import Strings, column, date_text, lat_lon, rounded, text
from maps.safe import safe_url
from maps.timeline import NO_DAY, day_numbers, to_dates

__all__ = ["event_symbols", "prepare_events", "symbols_data"]


def event_symbols(types: pd.Series) -> tuple[list[lg.EventSymbol], list[int]]:
    """The symbols used on this map, and each event's index into them."""
    known = {s.event_type.lower(): s for s in lg.EVENT_TYPES}
    other = lg.EVENT_TYPES[-1]
    used: dict[str, int] = {}
    symbols: list[lg.EventSymbol] = []
    out = []
    for value in types:
        value_text = text(value)
        sym = known.get(value_text.lower(), other) if value_text else other
        if sym.event_type not in used:
            used[sym.event_type] = len(symbols)
            symbols.append(sym)
        out.append(used[sym.event_type])
    # legend and icons in the codebook's order
    order = sorted(range(len(symbols)), key=lambda i: lg.EVENT_TYPES.index(symbols[i]))
    remap = {old: new for new, old in enumerate(order)}
    return [symbols[i] for i in order], [remap[i] for i in out]


def symbols_data(symbols: list[lg.EventSymbol]) -> list[dict[str, str]]:
    """The page's ``eventSymbols``: type name and its two SVG icons (fixed markup)."""
    return [
        {
            "type": s.event_type,
            "svg": lg.event_symbol_svg(s),
            "hollow": lg.event_symbol_svg(s, hollow=True),
        }
        for s in symbols
    ]


def prepare_events(
    events: pd.DataFrame, day0: pd.Timestamp | None, strings: Strings
) -> tuple[dict[str, Any], list[lg.EventSymbol]]:
    """Events sorted by day as columns (strings as indexes into ``strings``).

    Undated events (day ``NO_DAY``) come first and are shown on every day.
    """
    coords = lat_lon(events, "events", "latitude", "longitude")
    ok = ~np.isnan(coords).any(axis=1)
    df = events[ok]
    coords = coords[ok]
    days = day_numbers(to_dates(column(df, "event_date")), day0)
    order = np.argsort(days, kind="stable")  # the slider shows a range of this order
    df = df.iloc[order]
    coords = coords[order]
    days = days[order]
    symbols, type_idx = event_symbols(column(df, "event_type"))
    hollow = [int(lg.is_unconfirmed(v)) for v in column(df, "claim_status")]
    precision = pd.to_numeric(column(df, "geo_precision"), errors="coerce").fillna(0).astype(int)
    count = pd.to_numeric(column(df, "sources_count"), errors="coerce").fillna(1).astype(int)
    url_codes, url_values = pd.factorize(column(df, "url").astype(object))
    checked = np.array([safe_url(u) for u in url_values] + [None], dtype=object)
    urls = pd.Series(checked[url_codes], index=df.index, dtype=object)
    data = {
        "n": len(df),
        "dropped": int((~ok).sum()),
        "lat": rounded(coords[:, 0]),
        "lon": rounded(coords[:, 1]),
        "day": days.tolist(),
        "type": type_idx,
        "hollow": hollow,
        "id": strings.column(column(df, "event_id")),
        # the page shows a dated event's date from its day number; the text
        # is kept only for the dates it could not read
        "date": strings.column(column(df, "event_date").map(date_text).where(days == NO_DAY, None)),
        "sub": strings.column(column(df, "sub_event_type")),
        "actor1": strings.column(column(df, "actor1")),
        "actor2": strings.column(column(df, "actor2")),
        "location": strings.column(column(df, "location")),
        "admin1": strings.column(column(df, "admin1")),
        "source": strings.column(column(df, "source")),
        "notes": strings.column(column(df, "notes")),
        "claim": strings.column(column(df, "claim_status")),
        "url": strings.column(urls),
        "precision": precision.tolist(),
        "count": count.tolist(),
    }
    return data, symbols

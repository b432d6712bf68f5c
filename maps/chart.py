"""A chart of the control timeline: how many regions each side holds or contests, by date.

Drawn with matplotlib's Agg backend (no display needed) from the table of
:func:`geo.control.control_timeline`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["control_counts", "plot_control_timeline", "save_control_chart"]

_STATUS_COLOURS = {"contested": "#f2a541", "unknown": "#d9d9d9"}


def control_counts(timeline: pd.DataFrame) -> pd.DataFrame:
    """Regions per category and date: ``controlled by <side>``, ``contested``, ``claimed``, ``unknown``.

    Parameters
    ----------
    timeline : DataFrame
        From :func:`geo.control.control_timeline`.

    Returns
    -------
    DataFrame
        Index ``date``, one column per category, counts of regions.
    """
    tl = timeline.copy()
    label = tl["status"].astype(str)
    held = tl["status"].eq("controlled")
    label = label.where(~held, "held by " + tl["controller"].fillna("?").astype(str))
    claimed = tl["status"].eq("contested") & tl["claim_status"].eq("claimed")
    label = label.where(~claimed, "claimed, unconfirmed")
    counts = pd.crosstab(tl["date"], label).sort_index()
    order = sorted(c for c in counts.columns if c.startswith("held by "))
    order += [c for c in ("contested", "claimed, unconfirmed", "unknown") if c in counts.columns]
    return counts[order]


def plot_control_timeline(timeline: pd.DataFrame, *, title: str | None = None) -> Figure:
    """A stacked area chart of :func:`control_counts`; returns the matplotlib Figure."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    counts = control_counts(timeline)
    fig = Figure(figsize=(9, 4.5), dpi=110)
    ax = fig.add_subplot()
    if len(counts) == 0:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
    else:
        from maps.legend import controller_colors

        # the map's colours for the same controllers (maps.legend), so chart and map agree
        sides = controller_colors(
            c.removeprefix("held by ") for c in counts.columns if c.startswith("held by ")
        )
        colours = []
        for col in counts.columns:
            if col.startswith("held by "):
                colours.append(sides[col.removeprefix("held by ")])
            elif col == "claimed, unconfirmed":
                colours.append("#f7dc6f")
            else:
                colours.append(_STATUS_COLOURS.get(col, "#aaaaaa"))
        ax.stackplot(counts.index, counts.T.to_numpy(), labels=list(counts.columns), colors=colours)
        first, last = counts.index.min(), counts.index.max()
        if first == last:  # one day: a day either side (equal limits make matplotlib warn)
            first, last = first - pd.Timedelta(days=1), last + pd.Timedelta(days=1)
        ax.set_xlim(first, last)
        ax.set_ylim(0, counts.sum(axis=1).max())
        ax.legend(loc="upper left", fontsize=8, frameon=True)
    ax.set_ylabel("admin-1 regions")
    ax.set_title(title or "Territorial control by date")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def save_control_chart(
    timeline: pd.DataFrame, path: str | Path, *, title: str | None = None
) -> Path:
    """Write the chart as a PNG, atomically (a temporary file renamed into place)."""
    from geo.output import atomic_path

    path = Path(path)
    fig = plot_control_timeline(timeline, title=title)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return path

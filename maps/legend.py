"""Colours, symbols, the title box and the legend of a geomap map.

Every colour and symbol the page draws is decided here, so the legend and
the drawing cannot disagree: the JavaScript receives these palettes in the
data blob. All text that may come from a report goes through
:func:`maps.safe.escape_html`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from maps.safe import escape_html

__all__ = [
    "CHOROPLETH_COLORS",
    "CONTESTED_COLOR",
    "EVENT_TYPES",
    "PLACE_COLOR",
    "UNKNOWN_COLOR",
    "EventSymbol",
    "choropleth_bins",
    "controller_colors",
    "event_symbol_svg",
    "is_unconfirmed",
    "legend_html",
    "title_html",
]

#: ColorBrewer YlOrRd, 5 classes: mentions per province.
CHOROPLETH_COLORS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
PLACE_COLOR = "#1f4e79"
CONTESTED_COLOR = "#f1a340"
UNKNOWN_COLOR = "#bdbdbd"
# Controllers are coloured by who they are, the rest from a fixed palette.
# State forces of any country are blue (ACLED names them "Military Forces of ...").
_KNOWN_CONTROLLERS = (
    ("taliban", "#7f2704"),
    ("government", "#2166ac"),
    ("military forces of", "#2166ac"),
    ("police forces of", "#2166ac"),
)
_OTHER_CONTROLLERS = ("#1b7837", "#762a83", "#35978f", "#8c510a", "#c51b7d", "#4d4d4d")
_CONFIRMED = {"", "reported", "confirmed", "verified"}


@dataclass(frozen=True)
class EventSymbol:
    """How one ACLED ``event_type`` is drawn."""

    event_type: str
    shape: str  # an SVG shape name understood by event_symbol_svg
    color: str


#: One symbol per ACLED event type (ACLED codebook, 2023), and one for anything else.
EVENT_TYPES: tuple[EventSymbol, ...] = (
    EventSymbol("Battles", "diamond", "#c0392b"),
    EventSymbol("Explosions/Remote violence", "star", "#e67e22"),
    EventSymbol("Violence against civilians", "triangle", "#8e44ad"),
    EventSymbol("Protests", "circle", "#2980b9"),
    EventSymbol("Riots", "square", "#a0522d"),
    EventSymbol("Strategic developments", "hexagon", "#2e7d32"),
    EventSymbol("Other", "cross", "#555555"),
)

_SHAPES = {
    "diamond": '<path d="M9 1 L17 9 L9 17 L1 9 Z"/>',
    "star": '<path d="M9 1 L11.2 6.5 L17 7 L12.5 10.8 L14 16.5 L9 13.4 L4 16.5 L5.5 10.8 L1 7 '
    'L6.8 6.5 Z"/>',
    "triangle": '<path d="M9 1.5 L17 16 L1 16 Z"/>',
    "circle": '<circle cx="9" cy="9" r="7"/>',
    "square": '<rect x="2.5" y="2.5" width="13" height="13"/>',
    "hexagon": '<path d="M5 2 L13 2 L17 9 L13 16 L5 16 L1 9 Z"/>',
    "cross": '<path d="M6 1 H12 V6 H17 V12 H12 V17 H6 V12 H1 V6 H6 Z"/>',
}


def event_symbol_svg(symbol: EventSymbol, *, hollow: bool = False, size: int = 18) -> str:
    """Return the inline SVG drawn for an event of this type.

    Parameters
    ----------
    symbol : EventSymbol
        The event type's symbol.
    hollow : bool, default False
        True for a claimed or denied event: white fill, coloured outline.
    size : int, default 18
        Width and height in pixels.

    Returns
    -------
    str
        An ``<svg>`` element.

    Examples
    --------
    >>> event_symbol_svg(EVENT_TYPES[0]).startswith('<svg')
    True
    """
    fill = "#ffffff" if hollow else symbol.color
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 18 18" fill="{fill}" stroke="{symbol.color if hollow else "#ffffff"}" '
        f'stroke-width="{2 if hollow else 1.2}">{_SHAPES[symbol.shape]}</svg>'
    )


def choropleth_bins(max_count: int) -> list[tuple[int, int | None]]:
    """Class limits for mention counts: one class per value up to 5, then doubling.

    Parameters
    ----------
    max_count : int
        The largest count on the map.

    Returns
    -------
    list of (low, high)
        Inclusive limits; the last class has ``high=None`` (open-ended).
        At most ``len(CHOROPLETH_COLORS)`` classes.

    Examples
    --------
    >>> choropleth_bins(3)
    [(1, 1), (2, 2), (3, 3)]
    >>> choropleth_bins(40)
    [(1, 1), (2, 3), (4, 7), (8, 15), (16, None)]
    """
    n = len(CHOROPLETH_COLORS)
    if max_count <= n:
        return [(i, i) for i in range(1, max(max_count, 1) + 1)]
    bins: list[tuple[int, int | None]] = []
    low = 1
    for i in range(n - 1):
        high = 2 ** (i + 1) - 1
        bins.append((low, high))
        low = high + 1
    bins.append((low, None))
    return bins


def controller_colors(controllers: Iterable[str]) -> dict[str, str]:
    """Give each controller a colour: the Taliban brown-red, the government blue.

    Examples
    --------
    >>> controller_colors(["Taliban", "Military Forces of Mali", "Militia X"])
    {'Taliban': '#7f2704', 'Military Forces of Mali': '#2166ac', 'Militia X': '#1b7837'}
    """
    colors: dict[str, str] = {}
    other = 0
    for name in controllers:
        if name in colors:
            continue
        low = name.lower()
        for key, color in _KNOWN_CONTROLLERS:
            if key in low:
                colors[name] = color
                break
        else:
            colors[name] = _OTHER_CONTROLLERS[other % len(_OTHER_CONTROLLERS)]
            other += 1
    return colors


def is_unconfirmed(claim_status: object) -> bool:
    """True when a claim status means "claimed by one side, not confirmed".

    Examples
    --------
    >>> is_unconfirmed("claimed"), is_unconfirmed("reported"), is_unconfirmed(None)
    (True, False, False)
    """
    if not isinstance(claim_status, str):
        return False
    return claim_status.strip().lower() not in _CONFIRMED


def hatch_pattern_id(color: str) -> str:
    """The id of the SVG hatch pattern that marks an unconfirmed claim in ``color``."""
    return "geomap-hatch-" + color.lstrip("#")


def hatch_defs_html(colors: Iterable[str]) -> str:
    """An invisible ``<svg>`` defining one diagonal hatch pattern per colour."""
    patterns = "".join(
        f'<pattern id="{hatch_pattern_id(c)}" patternUnits="userSpaceOnUse" width="8" '
        f'height="8" patternTransform="rotate(45)"><rect width="8" height="8" '
        f'fill="{c}" fill-opacity="0.18"/><line x1="0" y1="0" x2="0" y2="8" stroke="{c}" '
        f'stroke-width="3.5"/></pattern>'
        for c in dict.fromkeys(colors)
    )
    return (
        '<svg class="geomap-defs" width="0" height="0" aria-hidden="true" '
        f'style="position:absolute"><defs>{patterns}</defs></svg>'
    )


def title_html(title: str | None, date_range: str | None, summary: str | None) -> str:
    """The title box shown at the top of the map (all text escaped)."""
    parts = ['<div class="geomap-title" id="geomap-title">']
    text = escape_html(title or "geomap")
    parts.append(f'<div class="geomap-title-main" title="{text}">{text}</div>')
    if date_range:
        parts.append(f'<div class="geomap-title-dates">{escape_html(date_range)}</div>')
    if summary:
        parts.append(f'<div class="geomap-title-summary">{escape_html(summary)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _swatch(fill: str, *, stroke: str = "#555", dashed: bool = False, opacity: float = 0.7) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    return (
        '<svg width="22" height="14" aria-hidden="true"><rect x="1" y="1" width="20" height="12" '
        f'fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}"{dash}/></svg>'
    )


def legend_html(
    *,
    bins: Sequence[tuple[int, int | None]] | None,
    has_places: bool,
    controllers: dict[str, str] | None,
    event_types: Sequence[EventSymbol] | None,
    has_clusters: bool,
    credits: Sequence[str],
) -> str:
    """The legend: one row per colour and symbol drawn, then the credits.

    Parameters
    ----------
    bins : sequence of (low, high) or None
        Mention classes of the province choropleth, if drawn.
    has_places : bool
        Whether the place markers layer is drawn.
    controllers : dict or None
        Controller name to colour, if a control layer is drawn.
    event_types : sequence of EventSymbol or None
        The event symbols drawn.
    has_clusters : bool
        Whether events are clustered.
    credits : sequence of str
        Plain-text credit lines (escaped here).

    Returns
    -------
    str
        HTML of the legend box.
    """
    rows = ['<div class="geomap-legend" id="geomap-legend"><details open>']
    rows.append("<summary>Legend</summary>")
    # each section names its layer: the page hides a section while its layer is off
    if bins:
        rows.append('<div class="geomap-legend-sec" data-layer="regions">')
        rows.append('<div class="geomap-legend-h">Place mentions per province</div>')
        rows.append(f'<div class="geomap-legend-row">{_swatch("#ffffff", opacity=0)} none</div>')
        for (low, high), color in zip(bins, CHOROPLETH_COLORS, strict=False):
            label = f"{low}" if high == low else (f"{low}+" if high is None else f"{low}–{high}")
            rows.append(f'<div class="geomap-legend-row">{_swatch(color)} {label}</div>')
        rows.append("</div>")
    if has_places:
        rows.append('<div class="geomap-legend-sec" data-layer="places">')
        rows.append('<div class="geomap-legend-h">Places</div>')
        rows.append(
            '<div class="geomap-legend-row"><svg width="22" height="14" aria-hidden="true">'
            f'<circle cx="11" cy="7" r="5" fill="{PLACE_COLOR}" fill-opacity="0.8" '
            'stroke="#fff" stroke-width="1.5"/></svg> place named in a report</div>'
        )
        rows.append("</div>")
    if controllers is not None:
        rows.append('<div class="geomap-legend-sec" data-layer="control districts">')
        rows.append('<div class="geomap-legend-h">Territorial control</div>')
        for name, color in controllers.items():
            rows.append(
                f'<div class="geomap-legend-row">{_swatch(color)} controlled by '
                f"{escape_html(name)}</div>"
            )
        rows.append(f'<div class="geomap-legend-row">{_swatch(CONTESTED_COLOR)} contested</div>')
        rows.append(
            f'<div class="geomap-legend-row">{_swatch(UNKNOWN_COLOR, opacity=0.25)} '
            "unknown (no evidence)</div>"
        )
        sample = next(iter(controllers.values()), CONTESTED_COLOR)
        rows.append(
            '<div class="geomap-legend-row">'
            f"{_swatch('url(#' + hatch_pattern_id(sample) + ')', dashed=True, opacity=1)} "
            "hatched, dashed edge: claimed, not confirmed</div>"
        )
        rows.append("</div>")
    if event_types:
        rows.append('<div class="geomap-legend-sec" data-layer="events">')
        rows.append('<div class="geomap-legend-h">Events (ACLED event type)</div>')
        for sym in event_types:
            rows.append(
                f'<div class="geomap-legend-row">{event_symbol_svg(sym, size=14)} '
                f"{escape_html(sym.event_type)}</div>"
            )
        rows.append(
            f'<div class="geomap-legend-row">{event_symbol_svg(event_types[0], hollow=True, size=14)}'
            " hollow: claimed or denied, not confirmed</div>"
        )
        if has_clusters:
            rows.append(
                '<div class="geomap-legend-row"><span class="geomap-legend-cluster">12</span> '
                "a cluster of events: click to zoom in</div>"
            )
        rows.append("</div>")
    rows.append('<div class="geomap-legend-h">Sources</div>')
    rows.extend(f'<div class="geomap-credit">{escape_html(c)}</div>' for c in credits)
    rows.append("</details></div>")
    return "".join(rows)

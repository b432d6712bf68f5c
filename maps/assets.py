"""The browser code a map needs, read from files shipped inside the package.

``maps/assets/`` holds the one bundled library, Leaflet (rebuilt by
``scripts/build_assets.py``, see its README); ``maps/static/`` holds geomap's
own script (which also clusters events) and stylesheet. Every map
inlines all of them, online or offline, so a page never loads a script from a
CDN: only the online tile images come from the network.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["SCRIPTS", "STYLESHEETS", "asset_text", "inline_head_html"]

# (folder, file name) in load order
STYLESHEETS: tuple[tuple[str, str], ...] = (
    ("assets", "leaflet.css"),
    ("static", "geomap.css"),
)
SCRIPTS: tuple[tuple[str, str], ...] = (("assets", "leaflet.js"),)
APP_SCRIPT = ("static", "geomap.js")


@cache
def asset_text(folder: str, name: str) -> str:
    """Return the text of one shipped asset.

    Parameters
    ----------
    folder : str
        ``"assets"`` (bundled libraries) or ``"static"`` (geomap's own code).
    name : str
        File name inside that folder.

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    FileNotFoundError
        If the file is not in the package; rebuild with
        ``python scripts/build_assets.py``.

    Examples
    --------
    >>> "Leaflet" in asset_text("assets", "leaflet.js")[:200]
    True
    """
    path = resources.files("maps").joinpath(folder, name)
    if not path.is_file():
        raise FileNotFoundError(
            f"map asset {folder}/{name!r} is missing from the maps package; "
            "rebuild it with `python scripts/build_assets.py`"
        )
    return path.read_text(encoding="utf-8")


def _script_safe(code: str) -> str:
    # A literal "</script" inside inlined code would end the element early.
    return code.replace("</script", "<\\/script")


def inline_head_html() -> str:
    """Return ``<style>`` and ``<script>`` elements with every library inlined.

    Returns
    -------
    str
        HTML for the page's ``<head>``: no ``src`` or ``href`` attribute.

    Examples
    --------
    >>> head = inline_head_html()
    >>> "<script src" in head, "<link" in head, head.count("<script>")
    (False, False, 1)
    """
    parts = [f"<style>\n{asset_text(*css)}\n</style>" for css in STYLESHEETS]
    parts += [f"<script>\n{_script_safe(asset_text(*js))}\n</script>" for js in SCRIPTS]
    return "\n".join(parts)


def app_script() -> str:
    """Return geomap's own map script, safe to inline in a ``<script>`` element."""
    return _script_safe(asset_text(*APP_SCRIPT))

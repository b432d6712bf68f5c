"""Drawing geomap's data: folium maps that open anywhere, offline included.

``maps`` imports ``geo``; ``geo`` never imports ``maps``.
"""

from maps.render import make_map, page_data, save_map
from maps.safe import escape_html, json_for_script, safe_url

__all__ = ["escape_html", "json_for_script", "make_map", "page_data", "safe_url", "save_map"]

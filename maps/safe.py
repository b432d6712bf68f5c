"""Make untrusted report text safe to put into a web page.

Everything a report says (quotes, place names, titles, URLs) is untrusted:
it may contain ``<script>`` or an ``onerror=`` attribute. The map pages put
such text in two places only, and this module guards both:

* HTML that Python writes (title, legend): :func:`escape_html`.
* The JSON data blob inside a ``<script>`` element, which the page's own
  JavaScript turns into DOM text nodes (never ``innerHTML``):
  :func:`json_for_script` escapes ``<``, ``>`` and ``&`` so the blob cannot
  close its ``<script>`` element or open a comment.

A link is only made from a URL whose scheme is http or https: :func:`safe_url`.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any
from urllib.parse import urlsplit

__all__ = ["escape_html", "json_for_script", "safe_url"]

_SCRIPT_UNSAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def escape_html(text: object) -> str:
    """Escape text for HTML element content or a quoted attribute value.

    ``None`` and missing values (NaN) become the empty string.

    Parameters
    ----------
    text : object
        Anything; it is converted with ``str``.

    Returns
    -------
    str
        The text with ``& < > " '`` replaced by character references.

    Examples
    --------
    >>> escape_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> escape_html(None)
    ''
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=True)


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&`` and the JavaScript line separators are written as
    ``\\uXXXX`` escapes, which JSON and JavaScript read back unchanged, so the
    text ``</script>`` can never appear in the output. NaN is not valid JSON
    and is rejected.

    Parameters
    ----------
    value : Any
        A JSON-serialisable value.

    Returns
    -------
    str
        Compact JSON.

    Examples
    --------
    >>> json_for_script({"q": "</script><script>alert(1)</script>"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_UNSAFE)


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL with a host, else ``None``.

    ``javascript:``, ``data:``, relative and malformed URLs are refused, so
    they are shown as text and never become links.

    Parameters
    ----------
    url : object
        The candidate URL (missing values are allowed).

    Returns
    -------
    str or None
        The URL, stripped of surrounding whitespace, or ``None``.

    Examples
    --------
    >>> safe_url(" https://example.org/a?b=1 ")
    'https://example.org/a?b=1'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url

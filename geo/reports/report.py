"""A :class:`Report` from a string: its header, its dateline and its identity."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from geo.errors import ReportError
from geo.reports.checks import (
    MAX_REPORT_BYTES,
    MONTH_PATTERN,
    check_date,
    check_string,
    looks_like_html,
    parse_date,
    too_big,
)

__all__ = ["HEADER_KEYS", "Report", "report_from_text", "text_key"]


def _date_argument(value: object, where: str) -> dt.date | None:
    """The ``date`` argument of :func:`report_from_text` as a date in range, or an error
    naming the report (a string such as "2021-07-07" is read, not kept as a string)."""
    try:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return check_date(value.date())
        if isinstance(value, dt.date):
            return check_date(value)
        if isinstance(value, str):
            return parse_date(value)
    except ValueError as err:
        raise ReportError(f"{where}: bad date argument: {err}") from err
    raise ReportError(f"{where}: bad date argument: {value!r} is no date")


HEADER_KEYS = ("title", "date", "url", "source")
_HEADER_RE = re.compile(r"^(title|date|url|source)\s*:\s*(.*?)\s*$", re.IGNORECASE)
# A dateline: an optional place in capitals ("KABUL, ") then a date, then ":" or a dash.
_DATELINE_RE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z .'’-]{{1,40}},\s*)?(?P<date>(?:{MONTH_PATTERN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{MONTH_PATTERN})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*(?:[:—–-]|\(|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Report:
    """One report: its text and what is known about where it came from.

    Attributes
    ----------
    id : str
        Stable identifier: a slug of the file name (or title) and a hash of the text.
    text : str
        The body of the report. All character offsets geomap reports are into this string.
    date : datetime.date or None
        Publication date, from a header, a dateline or the caller.
    title, url, source : str or None
        Optional metadata from the header or the JSON record.
    path : str or None
        Where the report was read from (``file.jsonl:3`` for line 3 of a JSON Lines file).
    body_offset : int
        Offset of ``text`` within the file, so offsets can be mapped back to the file.
    date_origin : str
        Where ``date`` came from: ``header``, ``dateline``, ``argument`` or ``none``.
    """

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None
    body_offset: int = 0
    date_origin: str = "none"
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


def text_key(text: str) -> str:
    """The identity of a report's text: a SHA-256 of it, line endings and outer space aside.

    The same text read twice (the same file named twice, or copied into two files or two
    JSON Lines records) has one key, so it counts as one report, never as corroboration.

    Examples
    --------
    >>> text_key("Fighting in Kunduz.\\r\\n") == text_key("  Fighting in Kunduz.")
    True
    """
    norm = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].strip("-") or "report"


def _report_id(name: str, text: str) -> str:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{_slug(name)}-{digest}"


def _split_header(raw: str) -> tuple[dict[str, str], str, int]:
    """Split ``key: value`` header lines (ended by a blank line) from the body."""
    lines = raw.splitlines(keepends=True)
    headers: dict[str, str] = {}
    consumed = 0
    for line in lines:
        if not line.strip():
            if headers:
                consumed += len(line)
                body = raw[consumed:]
                return headers, body, consumed
            break
        m = _HEADER_RE.match(line)
        if not m:
            break
        headers[m[1].lower()] = m[2]
        consumed += len(line)
    return {}, raw, 0


def _find_dateline(body: str) -> re.Match[str] | None:
    """A dateline at the start of one of the first three lines (a headline may come first)."""
    for line in body.splitlines()[:3]:
        m = _DATELINE_RE.match(line)
        if m:
            return m
    return None


def report_from_text(
    text: str,
    *,
    name: str = "report",
    date: dt.date | str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    path: str | None = None,
    parse_header: bool = True,
) -> Report:
    """Make a :class:`Report` from a string, reading its header and dateline.

    ``date`` (a ``datetime.date`` or a string :func:`geo.reports.checks.parse_date`
    reads, such as ``"2021-07-07"``) dates a report whose header and dateline give none.

    Raises
    ------
    geo.errors.ReportError
        If the text or a field is not what a report holds (empty, too long, HTML, a date
        outside the dates geomap accepts...).

    Examples
    --------
    >>> r = report_from_text("title: A test\\n\\nMarch 3, 2021: Fighting in Kunduz.")
    >>> r.title, r.date, r.text[:5]
    ('A test', datetime.date(2021, 3, 3), 'March')
    """
    where = path or name
    check_string(text, where, "text")
    date = _date_argument(date, where)
    if not text.strip():
        raise ReportError(f"{where}: the report is empty")
    if len(text) > MAX_REPORT_BYTES or len(text.encode("utf-8")) > MAX_REPORT_BYTES:
        raise ReportError(f"{where}: {too_big(len(text.encode('utf-8')))}")
    for label, value in (("title", title), ("url", url), ("source", source), ("name", name)):
        if value is not None:
            check_string(value, where, label)
    if looks_like_html(text):
        raise ReportError(
            f"{where}: looks like an HTML page, not a plain-text report; "
            "save the article's text (or put it in the 'text' field of a JSON Lines file)"
        )
    headers: dict[str, str] = {}
    body, offset = text, 0
    if parse_header:
        headers, body, offset = _split_header(text)
    if not body.strip():
        raise ReportError(f"{where}: the report has a header but no text")
    origin = "none"
    report_date: dt.date | None = None
    if headers.get("date"):
        try:
            report_date = parse_date(headers["date"])
        except ValueError as err:
            raise ReportError(f"{where}: bad date header: {err}") from err
        origin = "header"
    else:
        m = _find_dateline(body)
        if m:
            try:
                report_date = parse_date(re.sub(r"\s+", " ", m["date"]))
                origin = "dateline"
            except ValueError:
                report_date = None
        if report_date is None and date is not None:
            report_date, origin = date, "argument"
    title = headers.get("title") or title
    return Report(
        id=_report_id(title if name == "report" and title else name, body),
        text=body,
        date=report_date,
        title=title,
        url=headers.get("url") or url,
        source=headers.get("source") or source,
        path=path,
        body_offset=offset,
        date_origin=origin,
    )
